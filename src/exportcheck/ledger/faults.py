"""Fault injection: SIGKILL ledger writers at random points, then prove nothing was lost.

Used by ``benchmarks/faults.py --kills N`` and, with a small N, by the test suite. Each round
forks one writer that posts shipments, licences (+ a status change) and audit events as fast as
it can, with random sub-millisecond stalls before SQL statements so that kills land inside
transactions, inside seals and between them; it journals each operation to a file only *after*
its commit returned, and records in a shared byte what kind of statement it issued last (write
or seal). The parent SIGKILLs it after a random delay and checks, on fresh connections:

* no committed entry lost: every journaled shipment, licence, status change and event is there;
* no half-applied shipment: each shipment has its lines and its audit entry, and vice versa;
* balances: no licence line over its cap, drawn totals equal the sum of the shipment lines;
* the chain: after a final seal every entry is sealed exactly once and ``verify`` passes (the
  full verification, chain and tables, runs every ``verify_every`` rounds and at the end).

Writers seal as the ledger does by default (after commit on PostgreSQL, at most once per
interval, partly from a timer thread; inside the write on SQLite); on SQLite every other round
uses after-commit sealing, on PostgreSQL every other round seals after every write, and every
writer also calls the explicit seal now and then, so kills land in separate seal transactions
on both databases.
"""

from __future__ import annotations

import datetime as dt
import mmap
import os
import random
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from exportcheck.db.engine import dispose_engines, normalise_url
from exportcheck.ledger.api import Ledger

POLICE = "Hong Kong Police Force"
_SEAL_MARKS = ("audit_seal", "UPDATE audit_head", "synchronous_commit", "FOR UPDATE SKIP",
               "FROM audit_head WHERE id = 1 FOR UPDATE", "last_value")


def licence_spec(number: str, value: str = "100000000.00", quantity: int = 10**7) -> dict:
    """A DSP-5 the writers draw on (big enough never to refuse a post)."""
    return {
        "agency": "DDTC", "number": number, "kind": "DSP5", "destination": "HK",
        "valid_from": "2019-03-01",
        "parties": [{"role": "applicant", "name": "Acme Arms"},
                    {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}],
        "lines": [{"classification": "I(a)", "description": "pistols", "quantity": quantity,
                   "value": value}],
    }


def shipment_spec(key: str, licence: str = "FAULT-1") -> dict:
    return {"idempotency_key": key, "licence_number": licence, "ship_date": "2019-06-01",
            "destination": "HK", "consignee": POLICE, "end_user": POLICE,
            "lines": [{"classification": "I(a)", "quantity": 1, "value": "1.00"}]}


@dataclass
class FaultReport:
    """Figures of one fault-injection run (all the "lost"/"bad" counts must be 0)."""

    database: str
    kills: int = 0
    kills_while_sealing: int = 0
    kills_while_writing: int = 0
    shipments: int = 0
    entries: int = 0
    journaled: int = 0
    committed_unacked: int = 0  # committed, then killed before journaling (allowed)
    lost: int = 0
    half_applied: int = 0
    balance_problems: int = 0
    full_verifications: int = 0
    chain_ok: bool = True
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _writer(url: str, round_no: int, journal: str, seed: int, phase: mmap.mmap,
            sealing: str, seal_interval: float | None) -> None:
    rng = random.Random(seed)
    ledger = Ledger(url, migrate=False, sealing=sealing, seal_interval=seal_interval)

    @event.listens_for(ledger.engine, "before_cursor_execute")
    def _stall(_conn: Any, _cur: Any, statement: str, *_args: Any) -> None:
        phase[0] = ord("S") if any(m in statement for m in _SEAL_MARKS) else ord("W")
        if rng.random() < 0.3:
            time.sleep(rng.random() * 0.002)

    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    for i in range(10**9):
        phase[0] = ord("-")
        if i % 11 == 7:  # a licence, then a status change on it (two transactions)
            number = f"L{round_no}-{i}"
            ledger.add_licence(licence_spec(number, "1000.00", 10), actor="writer")
            os.write(fd, f"L {number}\n".encode())
            ledger.set_status(number, "suspended", effective=dt.date(2020, 1, 1),
                              reason="test", citation="22 CFR 126.7", actor="writer")
            os.write(fd, f"X {number}\n".encode())
        elif i % 5 == 4:
            seq = ledger.append_event(kind="screening.disposition", actor="writer",
                                      payload={"round": round_no, "i": i})
            os.write(fd, f"E {seq}\n".encode())
        elif i % 13 == 12:
            ledger.seal(timeout=1.0)
        else:
            key = f"r{round_no}-{i}"
            ledger.post_shipment(shipment_spec(key), actor="writer")
            os.write(fd, f"S {key}\n".encode())


def _journal(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {k: set() for k in "SELX"}
    if path.exists():
        for line in path.read_text().splitlines():
            kind, _, value = line.partition(" ")
            if kind in out and value:  # a line torn by the kill has no value yet
                out[kind].add(value)
    return out


def check(ledger: Ledger, journal: Path, report: FaultReport, *, full: bool) -> None:
    """Compare the database with the writers' journal; ``full``: seal, then verify the chain
    and the tables against it. Problems are appended to ``report.problems``."""
    j = _journal(journal)
    with ledger.engine.connect() as c:
        q = lambda sql: c.execute(text(sql))  # noqa: E731
        keys = set(q("SELECT idempotency_key FROM ledger_shipment").scalars())
        seqs = {str(s) for s in q("SELECT seq FROM audit_log").scalars()}
        numbers = set(q("SELECT number FROM ledger_licence").scalars())
        suspended = set(q("SELECT l.number FROM ledger_licence l JOIN ledger_licence_status s "
                          "ON s.licence_id = l.id WHERE s.status = 'suspended'").scalars())
        half = q("SELECT count(*) FROM ledger_shipment s WHERE NOT EXISTS (SELECT 1 FROM "
                 "ledger_shipment_line x WHERE x.shipment_id = s.id) OR NOT EXISTS (SELECT 1 "
                 "FROM audit_log a WHERE a.seq = s.audit_seq AND a.kind = 'shipment.posted')"
                 ).scalar()
        orphans = q("SELECT count(*) FROM audit_log a WHERE a.kind = 'shipment.posted' AND NOT "
                    "EXISTS (SELECT 1 FROM ledger_shipment s WHERE s.audit_seq = a.seq)"
                    ).scalar()
        bare = q("SELECT count(*) FROM ledger_licence l WHERE NOT EXISTS (SELECT 1 FROM "
                 "ledger_licence_line x WHERE x.licence_id = l.id)").scalar()
        over = q("SELECT count(*) FROM ledger_licence_line WHERE shipped_value_cents > "
                 "value_cents * 11 / 10").scalar()
        if c.dialect.name == "sqlite" and q("PRAGMA integrity_check").scalar() != "ok":
            report.problems.append("SQLite integrity_check failed")
    lost = (len(j["S"] - keys) + len(j["E"] - seqs) + len(j["L"] - numbers)
            + len(j["X"] - suspended))
    report.lost = max(report.lost, lost)
    report.half_applied = max(report.half_applied, half + orphans + bare)
    mismatches = ledger.balance_mismatches()
    report.balance_problems = max(report.balance_problems, len(mismatches) + over)
    report.shipments, report.entries = len(keys), len(seqs)
    report.journaled = sum(len(v) for v in j.values())
    report.committed_unacked = len(keys - j["S"])
    if lost:
        report.problems.append(f"round {report.kills}: {lost} committed operations lost")
    if half + orphans + bare:
        report.problems.append(f"round {report.kills}: {half + orphans + bare} half-applied")
    if mismatches or over:
        report.problems.append(f"round {report.kills}: balances {mismatches[:2]}, {over} over")
    if full:
        _check_chain(ledger, j, report)


def _check_chain(ledger: Ledger, j: dict[str, set[str]], report: FaultReport) -> None:
    sealed = ledger.seal(timeout=30.0)
    result = ledger.verify_audit(seal=False)
    with ledger.engine.connect() as c:
        in_chain = {str(s) for s in c.execute(text(
            "SELECT a.seq FROM audit_log a JOIN audit_seal s ON s.seq = a.seq")).scalars()}
        unlinked_shipments = c.execute(text(
            "SELECT count(*) FROM ledger_shipment s WHERE NOT EXISTS (SELECT 1 FROM audit_seal "
            "l WHERE l.seq = s.audit_seq)")).scalar()
    report.full_verifications += 1
    problems = []
    if not result.ok:
        problems.append(f"chain: {result.problem}")
    if sealed.unsealed or result.unsealed:
        problems.append(f"{result.unsealed} entries left unsealed after a final seal")
    if j["E"] - in_chain or unlinked_shipments:
        problems.append("committed entries missing from the chain")
    if problems:
        report.chain_ok = False
        report.problems.extend(f"round {report.kills}: {p}" for p in problems)


def _await_sessions_end(url: str, timeout: float = 30.0) -> None:
    """PostgreSQL: wait until the killed writer's server sessions have ended. A backend
    finishes the statement its client was killed in, and may commit it (a post is one
    statement in autocommit), before it notices the client is gone: checked earlier, that
    entry would come after the final seal. The parent holds no connection here (engines are
    disposed before each fork), so every other session of the database is the writer's."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    url = normalise_url(url)
    if not url.startswith("postgresql"):
        return
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as c:
            deadline = time.monotonic() + timeout
            while c.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")).scalar():
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the killed writer's sessions did not end in {timeout} s")
                c.rollback()
                time.sleep(0.005)
    finally:
        engine.dispose()


def run_faults(url: str, kills: int, journal: Path, *, seed: int = 5,
               delay: tuple[float, float] = (0.02, 0.2), verify_every: int = 10,
               progress: Callable[[FaultReport], None] | None = None) -> FaultReport:
    """Kill ``kills`` writers on the database at ``url`` (created/upgraded here); see the
    module docstring. Stops at the first round with a problem."""
    ledger = Ledger(url)
    report = FaultReport(ledger.engine.dialect.name)
    ledger.add_licence(licence_spec("FAULT-1"))
    rng = random.Random(seed)
    phase = mmap.mmap(-1, 1)
    start = time.monotonic()
    for round_no in range(kills):
        sealing = "auto" if report.database != "sqlite" else ("inline", "after")[round_no % 2]
        # PostgreSQL: every other writer seals after each write (more kills inside seals), the
        # others at the default interval (seals from the timer thread too)
        interval = 0.0 if report.database != "sqlite" and round_no % 2 else None
        phase[0] = ord("-")
        dispose_engines()  # never carry open connections across fork
        pid = os.fork()
        if pid == 0:  # the writer
            try:
                _writer(url, round_no, str(journal), rng.randrange(10**9), phase, sealing,
                        interval)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(*delay))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        if not (os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL):
            report.problems.append(f"round {round_no}: the writer exited by itself ({status})")
            break
        _await_sessions_end(url)
        report.kills += 1
        report.kills_while_sealing += phase[0] == ord("S")
        report.kills_while_writing += phase[0] == ord("W")
        ledger = Ledger(url)
        last = round_no == kills - 1
        check(ledger, journal, report, full=last or (round_no + 1) % verify_every == 0)
        report.seconds = time.monotonic() - start
        if progress is not None:
            progress(report)
        if report.problems:
            break
    dispose_engines()
    return report
