"""Licence-ledger throughput: shipments/s by database x writer processes x licences.

    .venv/bin/python benchmarks/ledger.py [--shipments 6000] [--db sqlite|postgres|both]
                                          [--writers 1,4,16] [--repeat 1] [--before REV]

SQLite (WAL, synchronous=FULL) in a temp directory and a throwaway PostgreSQL 15 cluster started
for the run (fsync on, synchronous_commit on, a Unix socket, stopped afterwards). Each
configuration gets a fresh database; W writer processes post through the Python API either on
ONE shared licence (every post takes the same licence lock: the worst case) or on one licence
each. The clock stops when the last writer returns; the entries its opportunistic seals have
not linked yet are counted ("unsealed at end") and then sealed, and the run is checked: the
chain verifies, every shipment's entry is in it once, no licence is over-drawn and drawn
balances equal the sum of the shipments.

``--before REV`` also measures every row of ``REV`` (e.g. HEAD, the committed code; with
``--before-shared-only`` only its 1-licence rows)
from a temporary ``git worktree`` with the same interpreter, for comparison in the same run:
with ``--repeat N`` the two revisions take turns, N passes each, so that a slow minute of the
VM does not fall on one of them only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gitrev import worktree
from sqlalchemy import text

from exportcheck.db.engine import dispose_engines
from exportcheck.db.pgtemp import TempPostgres, find_pg_bindir
from exportcheck.ledger.api import Ledger

try:
    from exportcheck.ledger.sealing import close_sealers
except ImportError:  # a revision measured by --before that predates it
    def close_sealers() -> None:
        pass

ROOT = Path(__file__).resolve().parents[1]
POLICE = "Hong Kong Police Force"
NAMES = {"sqlite": "SQLite (WAL, synchronous=FULL)",
         "postgres": "PostgreSQL 15 (fsync on, synchronous_commit on)"}


def _licence(number: str, n: int) -> dict:
    return {
        "agency": "DDTC", "number": number, "kind": "DSP5", "destination": "HK",
        "valid_from": "2019-01-01",
        "parties": [{"role": "applicant", "name": "Bench Co"},
                    {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}],
        "lines": [{"classification": "I(a)", "quantity": n * 10, "value": f"{n * 100}.00"}],
    }


def _post(url: str, keys: range, prefix: str, licence: str,
          start: multiprocessing.synchronize.Event) -> None:
    ledger = Ledger(url, migrate=False)
    start.wait()
    for i in keys:
        ledger.post_shipment({
            "idempotency_key": f"{prefix}-{i}", "licence_number": licence,
            "ship_date": "2019-06-01", "destination": "HK", "consignee": POLICE,
            "end_user": POLICE, "lines": [{"classification": "I(a)", "quantity": 1,
                                           "value": "10.00"}]}, actor="bench")
    dispose_engines()


def _check(ledger: Ledger, n: int, licences: int) -> None:
    """Everything posted is drawn once, within its cap, and in the chain once."""
    check = ledger.verify_audit()  # seals what the writers' opportunistic seals left
    with ledger.engine.connect() as c:
        shipped = c.execute(text("SELECT count(*) FROM ledger_shipment")).scalar()
        over = c.execute(text("SELECT count(*) FROM ledger_licence_line "
                              "WHERE shipped_value_cents > value_cents")).scalar()
        drawn = c.execute(text("SELECT sum(shipped_value_cents) FROM ledger_licence_line"))
        drawn = drawn.scalar()
        has_seal = c.dialect.has_table(c, "audit_seal")
        in_chain = c.execute(text(
            "SELECT count(*) FROM ledger_shipment s JOIN audit_seal l ON l.seq = s.audit_seq"
            if has_seal else "SELECT count(*) FROM ledger_shipment")).scalar()
    problems = [p for p, bad in [
        (f"{shipped} shipments recorded, {n} posted", shipped != n),
        (f"{over} licence lines over-drawn", over),
        (f"drawn {drawn} cents, posted {n * 1000}", drawn != n * 1000),
        (f"{n - in_chain} shipments missing from the chain", in_chain != n),
        (f"chain: {check.problem}", not check.ok),
        ("balances differ from the shipments", ledger.balance_mismatches())] if bad]
    if problems:
        raise SystemExit(f"ledger inconsistent after the run ({licences} licences): "
                         + "; ".join(problems))


def run(url: str, writers: int, licences: int, n: int) -> tuple[float, int]:
    """Post ``n`` shipments with ``writers`` processes over ``licences`` licences; returns
    (shipments per second, entries left unsealed when the last writer returned)."""
    ledger = Ledger(url)
    for k in range(licences):
        ledger.add_licence(_licence(f"BENCH-{k}", n))
    ctx = multiprocessing.get_context("fork")
    start = ctx.Event()
    close_sealers()  # one of the writers, not this idle process, is to be the sealer
    dispose_engines()
    procs = [ctx.Process(target=_post, args=(url, range(w, n, writers), f"w{w}",
                                             f"BENCH-{w % licences}", start))
             for w in range(writers)]
    for p in procs:
        p.start()
    time.sleep(0.5 + 0.05 * writers)  # let every writer connect before the clock starts
    t0 = time.perf_counter()
    start.set()
    for p in procs:
        p.join()
        if p.exitcode != 0:
            raise SystemExit(f"a writer failed (exit code {p.exitcode})")
    elapsed = time.perf_counter() - t0
    ledger = Ledger(url)
    unsealed = ledger.verify_audit(seal=False, state=False).as_dict().get("unsealed", 0) \
        if hasattr(ledger, "seal") else 0
    _check(ledger, n, licences)
    dispose_engines()
    return n / elapsed, unsealed


def configurations(writer_counts: list[int], only_shared: bool) -> list[tuple[int, int]]:
    """(writers, licences): one shared licence, then one licence per writer."""
    out = []
    for w in writer_counts:
        out.append((w, 1))
        if w > 1 and not only_shared:
            out.append((w, w))
    return out


def _row(db: str, writers: int, licences: int, runs: list[tuple[float, int]]) -> dict:
    """One table row from ``repeat`` runs: the median rate (and the runs' range)."""
    rates = sorted(r for r, _ in runs)
    print(f"  {db} {writers} writers {licences} licences: "
          + ", ".join(f"{r:,.0f}/s" for r, _ in runs), file=sys.stderr)
    return {"db": db, "writers": writers, "licences": licences,
            "rate": statistics.median(rates), "low": rates[0], "high": rates[-1],
            "unsealed": max(u for _, u in runs), "runs": rates}


def merge(batches: list[list[dict]]) -> list[dict]:
    """Rows measured in several passes (``--before`` alternates passes of the two revisions,
    so that both see the same minutes of this VM), as one row per configuration."""
    merged: dict[tuple, dict] = {}
    for rows in batches:
        for r in rows:
            m = merged.setdefault((r["db"], r["writers"], r["licences"]),
                                  dict(r, runs=[], unsealed=0))
            m["runs"] += r.get("runs", [r["rate"]])  # a revision from before "runs"
            m["unsealed"] = max(m["unsealed"], r["unsealed"])
    for m in merged.values():
        rates = sorted(m["runs"])
        m.update(rate=statistics.median(rates), low=rates[0], high=rates[-1])
    return list(merged.values())


def measure(dbs: list[str], configs: list[tuple[int, int]], n: int,
            repeat: int = 1) -> list[dict]:
    """Each configuration ``repeat`` times, each time on a fresh database."""
    rows = []
    if "sqlite" in dbs:
        with tempfile.TemporaryDirectory(prefix="ecbench-") as tmp:
            for i, (w, lic) in enumerate(configs):
                runs = [run(f"sqlite:///{Path(tmp) / f'b{i}-{k}.db'}", w, lic, n)
                        for k in range(repeat)]
                rows.append(_row("sqlite", w, lic, runs))
    if "postgres" in dbs:
        if find_pg_bindir() is None:
            print("PostgreSQL server binaries not found: PostgreSQL rows skipped",
                  file=sys.stderr)
            return rows
        with TempPostgres(durable=True) as pg:
            for i, (w, lic) in enumerate(configs):
                runs = [run(pg.create_database(f"bench{i}_{k}"), w, lic, n)
                        for k in range(repeat)]
                rows.append(_row("postgres", w, lic, runs))
            close_sealers()
            dispose_engines()
    return rows



def measure_before(rev: str, dbs: list[str], writer_counts: list[int], n: int,
                   only_shared: bool = False) -> list[dict]:
    """The rows of ``rev``: this script in a child process importing exportcheck
    from a worktree of ``rev`` (empty, with the reason on stderr, if that fails)."""
    with worktree(rev) as tree:
        env = dict(os.environ, PYTHONPATH=str(tree / "src"))
        cmd = [sys.executable, __file__, "--json", *(["--only-shared"] if only_shared else []),
               "--shipments", str(n), "--db", ",".join(dbs),
               "--writers", ",".join(map(str, writer_counts))]
        r = subprocess.run(cmd, env=env, cwd=tree, stdout=subprocess.PIPE, text=True)
        if r.returncode or not r.stdout.strip():
            print(f"measuring {rev} failed (exit {r.returncode})", file=sys.stderr)
            return []
        out = json.loads(r.stdout.strip().splitlines()[-1])
        if Path(out["src"]) != (tree / "src" / "exportcheck").resolve():
            raise SystemExit(f"{rev}: exportcheck was imported from {out['src']}")
        return out["rows"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shipments", type=int, default=6000,
                    help="per configuration (a few seconds of steady state: a connection's "
                         "first posts are parsed before psycopg prepares them, and the "
                         "writers' sealing settles after a second or two)")
    ap.add_argument("--db", default="both", help="sqlite, postgres or both")
    ap.add_argument("--writers", default="1,4,16", help="comma-separated writer counts")
    ap.add_argument("--repeat", type=int, default=1,
                    help="runs per row (a fresh database each): the table gives the median "
                         "and the range (this VM's speed varies by about 10%%)")
    ap.add_argument("--before", metavar="REV", help="also measure REV (every row)")
    ap.add_argument("--before-shared-only", action="store_true",
                    help="with --before: only REV's 1-licence rows")
    ap.add_argument("--only-shared", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    dbs = ["sqlite", "postgres"] if args.db == "both" else args.db.split(",")
    if not set(dbs) <= set(NAMES):
        raise SystemExit(f"--db must be sqlite, postgres or both, not {args.db!r}")
    counts = [int(w) for w in args.writers.split(",")]
    if args.repeat < 1:
        raise SystemExit(f"--repeat must be 1 or more, not {args.repeat}")
    configs = configurations(counts, args.only_shared)
    if args.json:
        import exportcheck

        rows = measure(dbs, configs, args.shipments, args.repeat)
        print(json.dumps({"src": str(Path(exportcheck.__file__).parent.resolve()),
                          "rows": rows}))
        return
    if not args.before:
        rows, before = measure(dbs, configs, args.shipments, args.repeat), {}
    else:  # alternate: this code, then REV, REPEAT times
        mine, theirs = [], []
        for _ in range(args.repeat):
            mine.append(measure(dbs, configs, args.shipments))
            theirs.append(measure_before(args.before, dbs, counts, args.shipments,
                                         args.before_shared_only))
        rows = merge(mine)
        before = {(r["db"], r["writers"], r["licences"]): r for r in merge(theirs)}
    print_table(rows, before, args.before, args.shipments, args.repeat)


def _rate(r: dict, repeat: int) -> str:
    if repeat == 1:
        return f"{r['rate']:,.0f}"
    return f"{r['rate']:,.0f} ({r['low']:,.0f}-{r['high']:,.0f})"


def print_table(rows: list[dict], before: dict, rev: str | None, n: int, repeat: int) -> None:
    from rich.console import Console
    from rich.table import Table

    runs = f", median (range) of {repeat} runs" if repeat > 1 else ""
    table = Table(title=f"Ledger: shipments/s through the Python API ({n} shipments per run"
                        f"{runs}, {os.cpu_count()} CPUs)")
    for name, justify in (("Database", "left"), ("Writers", "right"), ("Licences", "left"),
                          ("Shipments/s", "right"), ("Unsealed at end", "right")):
        table.add_column(name, justify=justify)
    if rev:
        table.add_column(f"Before ({rev})", justify="right")
    for r in rows:
        lic = "1 shared" if r["licences"] == 1 else "one per writer"
        cells = [NAMES[r["db"]], str(r["writers"]), lic, _rate(r, repeat), str(r["unsealed"])]
        if rev:
            b = before.get((r["db"], r["writers"], r["licences"]))
            cells.append(_rate(b, repeat) if b else "")
        table.add_row(*cells)
    Console(width=130).print(table)


if __name__ == "__main__":
    main()
