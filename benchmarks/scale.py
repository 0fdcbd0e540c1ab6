"""Benchmark: rows/s of screen-batch, batch and impact in one process and on Dask (1, 2 workers).

Run: ``.venv/bin/python benchmarks/scale.py [--names 50000] [--lines 500000] [--samples]``

- screening: the ``full_name`` column of ``../shared/data/eval/yente/negatives_us.csv`` (50,000
  names) against the newest copy of each official list (``benchmarks/screening_han.py``'s
  ``LIST_PATHS``; ``--samples``: the bundled sample lists);
- determination: a synthetic portfolio (``exportcheck portfolio generate``) dated 2021-01-15,
  end users screened against the same lists, loaded into the run's fresh database as
  ``exportcheck lists load`` would (``--samples``: none loaded, so the sample lists, as
  ``benchmarks/impact.py`` does);
- impact: the same portfolio between 2020-06-29 and 2021-01-15.

"one process" is the library path with ``workers=1`` (no process pool), the fair baseline for
one Dask worker. Dask runs use a LocalCluster of worker processes with one thread each; the
cluster start and each worker's one-time loads (lists and index, rule base) are made before
the clock starts, as the one-process column loads its screener before its clock. Every run
reads its input file and writes its output file inside the timing. Scaling efficiency is
rate(2 workers) / (2 x rate(1 worker)). On a 2-core machine shared with other work the
figures are noisy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
NEGATIVES = ROOT.parent / "shared" / "data" / "eval" / "yente" / "negatives_us.csv"
#: screen the names alone, as measured before screen-batch read a country column by itself
NAMES_ONLY = {"country_column": "", "dob_column": ""}
D_OLD, D_NEW = date(2020, 6, 29), date(2021, 1, 15)


def _timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def one_process(kind: str, src: Path, out: Path, list_paths: list[Path] | None) -> float:
    """Seconds for the library path in this process, loads made first."""
    from exportcheck.determine.batch import determine_frame, read_lines, write_results
    from exportcheck.impact import impact
    from exportcheck.rules.ruleset import load_ruleset
    from exportcheck.screen import Screener
    from exportcheck.screen.batch import read_table, screen_table

    load_ruleset()
    if kind == "screening":
        scr = Screener.from_paths(list_paths) if list_paths else Screener.from_samples()
        scr.screen("陳大文")  # the Cantonese dictionary, loaded on the first Han-script name
        return _timed(lambda: screen_table(read_table(src), "full_name", screener=scr,
                                           workers=1, **NAMES_ONLY).write_csv(out))
    scr = Screener.from_database()  # the lists loaded by main(), or the samples
    scr.screen("陳大文")
    if kind == "determination":
        return _timed(lambda: write_results(
            determine_frame(read_lines(src), screener=scr, workers=1), out))
    return _timed(lambda: impact(read_lines(src), D_OLD, D_NEW, screener=scr,
                                 workers=1).write(out))


def _warm(spec: object, rules: object) -> None:
    """The one-time loads of a worker, made before the clock starts."""
    from exportcheck.scale import workers

    scr = workers.screener(spec)
    if scr is not None:
        scr.screen("陳大文")
    workers.ruleset(rules)


def on_dask(kind: str, n: int, src: Path, out: Path, list_paths: list[Path] | None) -> float:
    """Seconds on a fresh LocalCluster of ``n`` worker processes, loads made first."""
    from exportcheck.scale import connect, workers
    from exportcheck.scale.batch import determine_file, screen_file
    from exportcheck.scale.impact import impact_file

    rules = workers.rules_spec()
    if kind == "screening":
        spec = (workers.paths_screener_spec(list_paths) if list_paths
                else workers.default_screener_spec())
    else:
        spec = workers.default_screener_spec()  # the lists main() loaded, or the samples
    with connect("local", n_workers=n) as client:
        client.run(_warm, spec, rules)
        if kind == "screening":
            return _timed(lambda: screen_file(client, src, out, "full_name", spec=spec,
                                              **NAMES_ONLY))
        if kind == "determination":
            return _timed(lambda: determine_file(client, src, out))
        return _timed(lambda: impact_file(client, src, out, D_OLD, D_NEW))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", type=int, default=50_000)
    ap.add_argument("--lines", type=int, default=500_000)
    ap.add_argument("--samples", action="store_true", help="screen against the sample lists")
    args = ap.parse_args()
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory(prefix="exportcheck-scale-") as tmpdir:
        tmp = Path(tmpdir)
        import os

        # a fresh database: determination and impact screen against the lists loaded into it
        os.environ["EXPORTCHECK_DATA_DIR"] = str(tmp / "data")
        os.environ.pop("EXPORTCHECK_DATABASE_URL", None)
        list_paths = None
        if not args.samples:
            sys.path.insert(0, str(Path(__file__).parent))
            from screening_han import LIST_PATHS

            list_paths = LIST_PATHS
            from exportcheck.screen.store import load_lists

            load_lists(list_paths)  # determination and impact screen against them too
        if not NEGATIVES.exists():
            raise SystemExit(f"shared data not found: {NEGATIVES}")
        names = tmp / "names.csv"
        pl.read_csv(NEGATIVES, infer_schema_length=0).head(args.names).write_csv(names)
        from exportcheck.impact.portfolio import generate

        orders = tmp / "orders.parquet"
        generate(args.lines, seed=11).with_columns(pl.lit("2021-01-15").alias("date")
                                                   ).write_parquet(orders)
        jobs = [("screening", names, args.names, "out.csv"),
                ("determination", orders, args.lines, "out.parquet"),
                ("impact", orders, args.lines, "impact")]
        table = Table(title="exportcheck on Dask (rows/s; LocalCluster, 1 thread per worker)")
        for col in ("workload", "rows", "one process", "Dask 1 worker", "Dask 2 workers",
                    "scaling efficiency"):
            table.add_column(col, justify="left" if col == "workload" else "right", no_wrap=True)
        for kind, src, rows, out_name in jobs:
            rates = []
            for label, workers in (("one process", 0), ("1 worker", 1), ("2 workers", 2)):
                out = tmp / f"{kind}-{workers}-{out_name}"
                console.log(f"{kind}: {label}")
                secs = (on_dask(kind, workers, src, out, list_paths) if workers
                        else one_process(kind, src, out, list_paths))
                rates.append(rows / secs)
                console.log(f"{kind}: {label}: {rates[-1]:,.0f} rows/s")
            eff = rates[2] / (2 * rates[1])
            table.add_row(kind, f"{rows:,}", *(f"{r:,.0f}" for r in rates), f"{eff:.0%}")
        Console(width=130).print(table)


if __name__ == "__main__":
    main()
