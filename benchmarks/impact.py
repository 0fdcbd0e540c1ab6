"""Benchmark: policy-change impact on a large portfolio, next to running ``batch`` twice.

Run: ``python benchmarks/impact.py [--lines 1000000] [--from 2020-06-29 --to 2021-01-15]``

A synthetic portfolio (``exportcheck portfolio generate``) is written to Parquet once; then, each
in a fresh process so that peak memory is its own:

- exportcheck: ``impact()`` of the file between the two dates, written to an output folder
  (``lines.parquet``, ``summary.json``, ``report.html``), end users screened;
- peer: the plain batch path twice (``determine_frame`` of the same lines dated on each side,
  each result written to Parquet), end users screened the same way — what a user would do
  without the impact command, and still without the comparison, the causes or the report.

Loads that every process pays once (rule base, screening index, the Cantonese dictionary, the
report's JavaScript bundle) are made before the clock starts, in both columns alike.

Targets (issue #9): 1,000,000 lines x 2 dates in <= 10 s on this 2-core machine, peak memory
<= 2 GB, and not slower than the two batch runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table


def _child(kind: str, src: str, out: str, d_old: str, d_new: str) -> None:
    """One measured run (in its own process): prints its wall time and peak RSS as JSON."""
    from exportcheck import determine_frame, load_ruleset
    from exportcheck.screen.service import Screener

    # per-process loads, outside the timing as the rule base load is in determination.py:
    # the rule base, the screener, its Cantonese dictionary (first Han-script name, ~3 s)
    load_ruleset()
    screener = Screener.from_samples()
    screener.screen("陳大文")
    if kind == "impact":
        from exportcheck.impact.charts import vega_bundle

        vega_bundle()  # the report's inlined JavaScript: cached on disk after the first run
    t = time.perf_counter()
    lines = pl.read_parquet(src)
    if kind == "impact":
        from exportcheck.impact import impact

        result = impact(lines, date.fromisoformat(d_old), date.fromisoformat(d_new),
                        screener=screener)
        result.write(out)
        extra = {"changed": result.summary.totals.changed_lines,
                 "value_changed": result.summary.totals.value_changed}
    else:
        extra = {}
        for i, d in enumerate((d_old, d_new)):
            res = determine_frame(lines.with_columns(pl.lit(d).alias("date")), screener=screener)
            res.write_parquet(Path(out) / f"batch{i}.parquet")
    wall = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"wall": wall, "rss": rss, **extra}))


def _measure(kind: str, src: str, d_old: str, d_new: str) -> dict:
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--src", src, "--out", out,
             "--from", d_old, "--to", d_new],
            capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2020)
    ap.add_argument("--from", dest="d_old", default="2020-06-29")
    ap.add_argument("--to", dest="d_new", default="2021-01-15")
    ap.add_argument("--child")
    ap.add_argument("--src")
    ap.add_argument("--out")
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.src, args.out, args.d_old, args.d_new)
        return
    from exportcheck.impact.portfolio import generate

    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        src = str(Path(tmp) / "portfolio.parquet")
        t = time.perf_counter()
        generate(args.lines, seed=args.seed).write_parquet(src)
        gen_s = time.perf_counter() - t
        mine = _measure("impact", src, args.d_old, args.d_new)
        peer = _measure("batch", src, args.d_old, args.d_new)
    gb = 1024**3
    table = Table(
        title=f"exportcheck impact benchmark: {args.lines:,} lines x 2 dates "
        f"({args.d_old} → {args.d_new}; {os.cpu_count()} cores, Python {sys.version.split()[0]})",
        title_justify="left",
    )
    for col in ("metric", "exportcheck impact", "peer: batch twice", "target", "met"):
        table.add_column(col)
    table.add_row(
        "wall time (read, determine both sides, write)",
        f"{mine['wall']:.2f} s",
        f"{peer['wall']:.2f} s",
        "≤ 10 s and ≤ peer",
        "yes" if mine["wall"] <= 10 and mine["wall"] <= peer["wall"] else "NO",
    )
    table.add_row(
        "lines/s (both sides)",
        f"{2 * args.lines / mine['wall']:,.0f}",
        f"{2 * args.lines / peer['wall']:,.0f}",
        "—",
        "—",
    )
    table.add_row(
        "peak memory (RSS)",
        f"{mine['rss'] / gb:.2f} GB",
        f"{peer['rss'] / gb:.2f} GB",
        "≤ 2 GB",
        "yes" if mine["rss"] <= 2 * gb else "NO",
    )
    table.add_row("what it writes", "lines + causes, summary, report", "two result files", "—",
                  "—")
    console.print(table)
    console.print(
        f"portfolio generated in {gen_s:.1f} s; {mine['changed']:,} lines changed, "
        f"${mine['value_changed']:,.2f}"
    )


if __name__ == "__main__":
    main()
