"""Fault injection: a writer process is SIGKILLed at random points, many times.

Each round forks a writer that posts shipments and audit events as fast as it can (with random
microsecond stalls between SQL statements, so kills land inside transactions too) and journals
each one *after* its commit returned. The parent kills it with SIGKILL after a random delay
and then checks, on a fresh connection: nothing journaled is missing (no committed entry lost),
every shipment has its line and its audit entry (nothing half-applied), drawn balances equal
the sum of the shipments, and the audit chain verifies.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import signal
import time
from pathlib import Path

import pytest
from ledger_helpers import dsp5, ship
from sqlalchemy import event, text

from exportcheck.db.engine import dispose_engines
from exportcheck.ledger.api import Ledger

KILLS = 30


def _writer(url: str, round_no: int, journal: str, seed: int) -> None:
    rng = random.Random(seed)
    ledger = Ledger(url, migrate=False)

    @event.listens_for(ledger.engine, "before_cursor_execute")
    def _stall(*_args: object) -> None:
        if rng.random() < 0.3:
            time.sleep(rng.random() * 0.002)

    fd = os.open(journal, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    for i in range(10**9):
        if i % 11 == 7:  # a licence, then a status change on it (two transactions)
            number = f"L{round_no}-{i}"
            ledger.add_licence(dsp5(number), actor="writer")
            os.write(fd, f"L {number}\n".encode())
            ledger.set_status(number, "suspended", effective=dt.date(2020, 1, 1),
                              reason="test", citation="22 CFR 126.7", actor="writer")
            os.write(fd, f"X {number}\n".encode())
        elif i % 5 == 4:
            seq = ledger.append_event(kind="screening.disposition", actor="writer",
                                      payload={"round": round_no, "i": i})
            os.write(fd, f"E {seq} {round_no}-{i}\n".encode())
        else:
            key = f"r{round_no}-{i}"
            ledger.post_shipment(ship(key, value="1.00"), actor="writer")
            os.write(fd, f"S {key}\n".encode())


def _check(ledger: Ledger, journal: str) -> tuple[int, int]:
    path = Path(journal)
    lines = path.read_text().splitlines() if path.exists() else []
    acked = {ln.split()[1] for ln in lines if ln.startswith("S ")}
    events = {int(ln.split()[1]) for ln in lines if ln.startswith("E ")}
    added = {ln.split()[1] for ln in lines if ln.startswith("L ")}
    suspended = {ln.split()[1] for ln in lines if ln.startswith("X ")}
    with ledger.engine.connect() as c:
        keys = set(c.execute(text("SELECT idempotency_key FROM ledger_shipment")).scalars())
        n_lines = c.execute(text("SELECT count(*) FROM ledger_shipment_line")).scalar()
        posted = c.execute(text(
            "SELECT count(*) FROM ledger_shipment s JOIN audit_log a ON a.seq = s.audit_seq "
            "WHERE a.kind = 'shipment.posted'")).scalar()
        seqs = set(c.execute(text("SELECT seq FROM audit_log WHERE kind = "
                                  "'screening.disposition'")).scalars())
        numbers = set(c.execute(text("SELECT number FROM ledger_licence")).scalars())
        with_status = set(c.execute(text(
            "SELECT l.number FROM ledger_licence l JOIN ledger_licence_status s ON "
            "s.licence_id = l.id WHERE s.status = 'suspended'")).scalars())
        no_lines = c.execute(text(
            "SELECT count(*) FROM ledger_licence l WHERE NOT EXISTS (SELECT 1 FROM "
            "ledger_licence_line x WHERE x.licence_id = l.id)")).scalar()
        if c.dialect.name == "sqlite":
            assert c.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    lost = acked - keys
    assert not lost, f"committed shipments lost: {sorted(lost)[:5]}"
    assert events <= seqs, f"committed audit entries lost: {sorted(events - seqs)[:5]}"
    assert n_lines == len(keys) == posted, "a shipment was half-applied"
    assert added <= numbers and suspended <= with_status, "a committed licence change was lost"
    assert no_lines == 0, "a licence was half-applied"
    assert ledger.balance_mismatches() == []
    result = ledger.verify_audit()
    assert result.ok, result.problem
    return len(keys), len(keys - acked)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_never_loses_or_half_applies(ledger, db_url, tmp_path):
    ledger.add_licence(dsp5(value="100000000.00", quantity=10**7))
    journal = str(tmp_path / "journal")
    rng = random.Random(5)
    kills = 0
    for round_no in range(KILLS):
        dispose_engines()  # never carry open connections across fork
        pid = os.fork()
        if pid == 0:  # the writer
            try:
                _writer(db_url, round_no, journal, rng.randrange(10**9))
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.02, 0.2))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        kills += 1
        ledger = Ledger(db_url)
        shipments, unacked = _check(ledger, journal)
    assert kills == KILLS and shipments > KILLS  # the writers made real progress
    # unacked: committed, then killed before the writer could journal it (allowed)
    print(f"\n[{ledger.engine.dialect.name}] rounds={KILLS} kills={kills} shipments={shipments} "
          f"lost=0 half_applied=0 committed_before_ack={unacked}")
