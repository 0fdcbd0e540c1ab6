"""Licence-ledger throughput: shipments/s posted through the Python API.

    .venv/bin/python benchmarks/ledger.py [--shipments 2000]

SQLite (WAL, synchronous=FULL) in a temp directory and a throwaway PostgreSQL cluster started
for the run (fsync on, a Unix socket, stopped afterwards); 1 writer, then 16 concurrent writer
processes, all drawing on the SAME licence (the worst case: every post takes its lock) and
every post appending to the one audit chain. Prints one table.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from exportcheck.db.engine import dispose_engines
from exportcheck.db.pgtemp import TempPostgres, find_pg_bindir
from exportcheck.ledger.api import Ledger

POLICE = "Hong Kong Police Force"


def _licence(n: int) -> dict:
    return {
        "agency": "DDTC", "number": "BENCH-1", "kind": "DSP5", "destination": "HK",
        "valid_from": "2019-01-01",
        "parties": [{"role": "applicant", "name": "Bench Co"},
                    {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}],
        "lines": [{"classification": "I(a)", "quantity": n * 10, "value": f"{n * 100}.00"}],
    }


def _post(url: str, keys: range, prefix: str, start: multiprocessing.synchronize.Event) -> None:
    ledger = Ledger(url, migrate=False)
    start.wait()
    for i in keys:
        ledger.post_shipment({
            "idempotency_key": f"{prefix}-{i}", "licence_number": "BENCH-1",
            "ship_date": "2019-06-01", "destination": "HK", "consignee": POLICE,
            "end_user": POLICE, "lines": [{"classification": "I(a)", "quantity": 1,
                                           "value": "10.00"}]}, actor="bench")
    dispose_engines()


def run(url: str, writers: int, n: int, prefix: str) -> float:
    """Post ``n`` shipments with ``writers`` processes; returns shipments per second."""
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    chunks = [range(w, n, writers) for w in range(writers)]
    dispose_engines()
    procs = [ctx.Process(target=_post, args=(url, c, f"{prefix}-{w}", start))
             for w, c in enumerate(chunks)]
    for p in procs:
        p.start()
    time.sleep(0.5)  # let every writer connect before the clock starts
    t0 = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a writer failed (exit code {p.exitcode})")
    elapsed = time.perf_counter() - t0
    ledger = Ledger(url)
    check = ledger.verify_audit()
    assert check.ok and not ledger.balance_mismatches(), "ledger inconsistent after benchmark"
    return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shipments", type=int, default=2000, help="per configuration")
    args = parser.parse_args()
    n = args.shipments
    results: list[tuple[str, int, float]] = []
    with tempfile.TemporaryDirectory(prefix="ecbench-") as tmp:
        for writers in (1, 16):
            url = f"sqlite:///{Path(tmp) / f'bench-{writers}.db'}"
            Ledger(url).add_licence(_licence(n))
            results.append(("SQLite (WAL, synchronous=FULL)", writers,
                            run(url, writers, n, f"s{writers}")))
    if find_pg_bindir() is None:
        print("PostgreSQL server binaries not found: PostgreSQL rows skipped", file=sys.stderr)
    else:
        with TempPostgres(durable=True) as pg:
            for writers in (1, 16):
                url = pg.create_database(f"bench{writers}")
                Ledger(url).add_licence(_licence(n))
                results.append(("PostgreSQL 15 (fsync on, Unix socket)", writers,
                                run(url, writers, n, f"p{writers}")))
            dispose_engines()
    table = Table(title=f"Ledger: shipments/s through the Python API ({n} shipments each, one "
                        f"licence, {os.cpu_count()} CPUs)")
    table.add_column("Database")
    table.add_column("Writers", justify="right")
    table.add_column("Shipments/s", justify="right")
    for name, writers, rate in results:
        table.add_row(name, str(writers), f"{rate:,.0f}")
    Console().print(table)


if __name__ == "__main__":
    main()
