"""Benchmark: licence determination, single and batch.

Run: ``python benchmarks/determination.py [--lines 1000000]``

Prints one table: single-determination latency (median, p99) in-process, and order lines per
second through the vectorised batch path, next to the naive peer (the scalar API called once per
line) measured in the same run on a slice and extrapolated. Targets from issue #3: batch
>= 200,000 lines/s on this 2-core machine, single determination < 1 ms median.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

import numpy as np
import polars as pl
from rich.console import Console
from rich.table import Table

from exportcheck import determine, determine_frame, load_ruleset
from exportcheck.errors import ExportCheckError

DESTS = [
    "DE",
    "GB",
    "FR",
    "JP",
    "KR",
    "CA",
    "AU",
    "NL",
    "SG",
    "TW",
    "IN",
    "IL",
    "AE",
    "BR",
    "MX",
    "HK",
    "CN",
    "MO",
    "VN",
    "MY",
    "TH",
    "TR",
    "SA",
    "RU",
    "BY",
    "VE",
    "CU",
    "IR",
    "KP",
    "SY",
    "NZ",  # not "US": shipping within the United States is not an export (refused)
    "IT",
    "ES",
    "SE",
    "CH",
    "PL",
    "ZA",
    "EG",
    "PK",
    "ID",
    "PH",
    "NG",
    "KZ",
    "UA",
    "NI",
    "MM",
    "KH",
    "IQ",
    "LB",
    "AR",
]
END_USES = [None, None, None, "civil aviation", "research", "military", "law enforcement"]


def catalogue(rng: random.Random, n_items: int) -> list[str]:
    """Real ECCNs (with a paragraph where the entry lists them), EAR99 and USML categories."""
    snap = load_ruleset().as_of(date(2026, 7, 23))
    items = []
    eccns = sorted(snap.ccl)
    for eccn in rng.sample(eccns, n_items - 12):
        paras = [p for p in snap.ccl[eccn].paragraphs if p.count(".") <= 2]
        items.append(eccn + (rng.choice(paras) if paras and rng.random() < 0.7 else ""))
    return (
        items
        + ["EAR99"] * 6
        + ["USML:I", "USML:III", "USML:XI", "USML:XII", "USML:VIII", "USML:IV"]
    )


def order_book(n: int, seed: int = 2020) -> pl.DataFrame:
    """Zipf-skewed order lines: a catalogue of 300 items, 2,000 customers, 2019-2026 dates."""
    rng = random.Random(seed)
    nrng = np.random.default_rng(seed)
    items = catalogue(rng, 300)
    customers = [
        (
            f"Customer {i:04d}",
            rng.choice(DESTS),
            rng.choices(["civil", "government", "military"], [85, 10, 5])[0],
            rng.choice(END_USES),
        )
        for i in range(2000)
    ]
    item_idx = np.minimum(nrng.zipf(1.3, n) - 1, len(items) - 1)
    cust_idx = np.minimum(nrng.zipf(1.2, n) - 1, len(customers) - 1)
    days = nrng.integers(0, (date(2026, 11, 1) - date(2019, 1, 1)).days, n)
    cust = [customers[i] for i in cust_idx]
    return pl.DataFrame(
        {
            "item": [items[i] for i in item_idx],
            "destination": [c[1] for c in cust],
            "date": [(date(2019, 1, 1) + timedelta(days=int(d))).isoformat() for d in days],
            "value": np.round(nrng.lognormal(7.5, 1.5, n), 2),
            "quantity": nrng.integers(1, 50, n),
            "end_user": [c[0] for c in cust],
            "end_user_type": [c[2] for c in cust],
            "end_use": [c[3] for c in cust],
        }
    )


def single_latency(lines: pl.DataFrame, k: int = 5000) -> tuple[float, float]:
    rows = lines.head(k).to_dicts()
    for r in rows[:200]:  # warm the snapshot cache, as a long-running process would be
        _one(r)
    times = []
    for r in rows:
        t = time.perf_counter()
        _one(r)
        times.append(time.perf_counter() - t)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99)]


def _one(r: dict) -> None:
    # bad lines count as work done, as in the batch
    with contextlib.suppress(ExportCheckError):
        determine(
            r["item"],
            r["destination"],
            date.fromisoformat(r["date"]),
            value=r["value"],
            end_user_type=r["end_user_type"],
            end_use=r["end_use"],
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=1_000_000)
    args = ap.parse_args()
    console = Console()
    t0 = time.perf_counter()
    load_ruleset()
    load_s = time.perf_counter() - t0
    lines = order_book(args.lines)
    med, p99 = single_latency(lines)

    slice_n = 20_000
    t = time.perf_counter()
    for r in lines.head(slice_n).iter_rows(named=True):
        _one(r)
    naive_rate = slice_n / (time.perf_counter() - t)

    t = time.perf_counter()
    out = determine_frame(lines)
    batch_s = time.perf_counter() - t
    rate = lines.height / batch_s
    keys = out.select("item", "destination", "end_user_type", "end_use").unique().height

    table = Table(
        title=f"exportcheck determination benchmark ({os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]})",
        title_justify="left",
    )
    for col in ("metric", "exportcheck", "peer: scalar API per line", "target", "met"):
        table.add_column(col)
    table.add_row("rule base load (cold)", f"{load_s * 1000:.0f} ms", "—", "—", "—")
    table.add_row(
        "single determination, median",
        f"{med * 1e6:.0f} µs",
        f"{med * 1e6:.0f} µs",
        "< 1 ms",
        "yes" if med < 1e-3 else "NO",
    )
    table.add_row(
        "single determination, p99", f"{p99 * 1e6:.0f} µs", f"{p99 * 1e6:.0f} µs", "—", "—"
    )
    table.add_row(
        f"batch, {lines.height:,} lines",
        f"{rate:,.0f} lines/s",
        f"{naive_rate:,.0f} lines/s",
        "≥ 200,000 lines/s",
        "yes" if rate >= 200_000 else "NO",
    )
    table.add_row(
        "batch wall time",
        f"{batch_s:.2f} s",
        f"{lines.height / naive_rate:.0f} s (extrapolated)",
        "—",
        "—",
    )
    console.print(table)
    counts = out.group_by("outcome").len().sort("len", descending=True)
    console.print("outcomes: " + ", ".join(f"{o or 'ERROR'} {n:,}" for o, n in counts.iter_rows()))
    console.print(f"distinct (item, destination, end-user type, end use): {keys:,}")


if __name__ == "__main__":
    main()
