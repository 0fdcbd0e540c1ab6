"""Crash safety at scale: SIGKILL ledger writers N times, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/faults.py --kills 1000 [--db sqlite|postgres|both] [--seed 5]

Each database is fresh: SQLite (WAL, synchronous=FULL) in a temp directory, and a throwaway
PostgreSQL 15 cluster with fsync and synchronous_commit on. Writers are killed at random points
(inside transactions, inside seals, between them); after every kill the journal of acknowledged
operations is compared with the database, and every ``--verify-every`` kills and at the end the
chain is sealed and fully verified (see :mod:`exportcheck.ledger.faults`). Prints one table;
exits 1 if any check failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from exportcheck.db.pgtemp import TempPostgres, find_pg_bindir
from exportcheck.ledger.faults import FaultReport, run_faults


def _progress(report: FaultReport) -> None:
    if report.kills % 100 == 0:
        print(f"  {report.database}: {report.kills} kills, {report.shipments} shipments, "
              f"{report.seconds or 0:.0f}s", file=sys.stderr)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=100, help="writers to kill per database")
    ap.add_argument("--db", default="both", choices=["sqlite", "postgres", "both"])
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--verify-every", type=int, default=10,
                    help="full seal + chain + table verification every N kills (and at the end)")
    args = ap.parse_args()
    if args.kills < 1 or args.verify_every < 1:
        raise SystemExit("--kills and --verify-every must be at least 1")
    reports = []
    with tempfile.TemporaryDirectory(prefix="ecfaults-") as tmp:
        if args.db in ("sqlite", "both"):
            t0 = time.monotonic()
            r = run_faults(f"sqlite:///{Path(tmp) / 'faults.db'}", args.kills,
                           Path(tmp) / "journal-sqlite", seed=args.seed,
                           verify_every=args.verify_every, progress=_progress)
            r.seconds = time.monotonic() - t0
            reports.append(r)
        if args.db in ("postgres", "both"):
            if find_pg_bindir() is None:
                raise SystemExit("PostgreSQL server binaries (initdb, pg_ctl) not found")
            with TempPostgres(durable=True) as pg:
                t0 = time.monotonic()
                r = run_faults(pg.create_database("faults"), args.kills,
                               Path(tmp) / "journal-pg", seed=args.seed,
                               verify_every=args.verify_every, progress=_progress)
                r.seconds = time.monotonic() - t0
                reports.append(r)
    print_table(reports)
    if not all(r.ok for r in reports):
        for r in reports:
            for p in r.problems:
                print(f"{r.database}: {p}", file=sys.stderr)
        raise SystemExit(1)


def print_table(reports: list[FaultReport]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Ledger crash safety: writers killed with SIGKILL at random points")
    rows = [
        ("kills", lambda r: f"{r.kills:,}"),
        ("  while sealing (last statement a seal's)", lambda r: f"{r.kills_while_sealing:,}"),
        ("  inside a write transaction", lambda r: f"{r.kills_while_writing:,}"),
        ("shipments committed", lambda r: f"{r.shipments:,}"),
        ("audit entries", lambda r: f"{r.entries:,}"),
        ("operations acknowledged (journaled)", lambda r: f"{r.journaled:,}"),
        ("committed, killed before the ack", lambda r: f"{r.committed_unacked:,}"),
        ("committed entries lost", lambda r: str(r.lost)),
        ("half-applied shipments/licences", lambda r: str(r.half_applied)),
        ("balance mismatches / over-draws", lambda r: str(r.balance_problems)),
        ("full verifications (seal + chain + tables)", lambda r: str(r.full_verifications)),
        ("chain verifies, every entry sealed once", lambda r: "yes" if r.chain_ok else "NO"),
        ("wall time", lambda r: f"{r.seconds / 60:.1f} min"),
    ]
    table.add_column("")
    for r in reports:
        table.add_column("SQLite" if r.database == "sqlite" else "PostgreSQL (fsync on)",
                         justify="right")
    for name, cell in rows:
        table.add_row(name, *(cell(r) for r in reports))
    Console(width=130).print(table)


if __name__ == "__main__":
    main()
