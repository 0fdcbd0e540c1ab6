"""Regression guard on the posting hot path: statements and round trips per shipment post.

SQLite: statements counted with SQLAlchemy's ``before_cursor_execute`` (BEGIN IMMEDIATE
included). PostgreSQL: the post runs on the raw psycopg connection (:mod:`exportcheck.ledger.
pgpost`), so what is counted there is what costs: round trips, read from libpq's protocol trace
(each run of server messages answers one flush of client messages), and the statements sent.
A post used to make 13 (SQLite) statements / 6 (PostgreSQL) round trips; on PostgreSQL it is now
one statement on a licence this process alone draws on (its cached terms), else two round trips.
More than the bounds below means an ORM load, an extra query or a lost pipeline crept back into
the hot path. No timing is asserted.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Callable
from decimal import Decimal

import pytest
import sqlalchemy as sa
from ledger_helpers import dsp5, ship
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from exportcheck.ledger import pgpost
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

TWO_LINES = [{"classification": "I(a)", "description": "pistols", "quantity": 100,
              "value": "100000.00"},
             {"classification": "I(b)", "description": "rifles", "quantity": 100,
              "value": "100000.00"}]


def _sqlite_statements(ledger: Ledger, fn: Callable[[], object]) -> list[str]:
    seen: list[str] = []

    def listen(_conn: object, _cur: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split())[:60])

    event.listen(ledger.engine, "before_cursor_execute", listen)
    try:
        fn()
    finally:
        event.remove(ledger.engine, "before_cursor_execute", listen)
    return seen


def _pg_trace(ledger: Ledger, fn: Callable[[], object]) -> tuple[int, list[str]]:
    """(round trips, statements parsed or executed) of ``fn``, from libpq's trace of every
    connection checked out meanwhile and of those kept idle for posts."""
    fd, path = tempfile.mkstemp(suffix=".trace")
    traced = []

    def on(dbapi_conn, _record=None, _proxy=None) -> None:
        dbapi_conn.pgconn.trace(fd)
        dbapi_conn.pgconn.set_trace_flags(0)
        traced.append(dbapi_conn)

    for kept in pgpost.connections(ledger.engine).idle():
        on(kept)
    event.listen(ledger.engine, "checkout", on)
    try:
        fn()
    finally:
        event.remove(ledger.engine, "checkout", on)
        for conn in traced:
            conn.pgconn.untrace()
        os.close(fd)
    with open(path, encoding="utf-8", errors="replace") as f:
        messages = [line.split("\t") for line in f if line.count("\t") >= 3]
    os.unlink(path)
    trips = sum(1 for a, b in itertools.pairwise(messages) if a[1] == "F" and b[1] == "B")
    sent = [" ".join(m[4].split())[:60].strip(' "') for m in messages
            if m[1] == "F" and m[3] == "Parse"]
    return trips, sent


def statements(ledger: Ledger, fn: Callable[[], object]) -> list[str]:
    """The statements of ``fn`` (PostgreSQL: as parsed by the server, first use)."""
    if ledger.engine.dialect.name == "sqlite":
        return _sqlite_statements(ledger, fn)
    return _pg_trace(ledger, fn)[1]


@pytest.fixture
def quiet(db_url: str) -> Ledger:
    """Default sealing, but no opportunistic seal inside the posts counted (the first write of
    the process's sealer seals at once; the long interval keeps the next ones from sealing)."""
    ledger = Ledger(db_url, seal_interval=3600)
    ledger.add_licence(dsp5(lines=TWO_LINES))
    ledger.post_shipment(ship("warm-up"))
    return ledger


def test_a_post_is_one_statement_or_two_round_trips_on_postgres_nine_statements_on_sqlite(
        quiet, db_url):
    pg = db_url.startswith("postgresql")
    if pg:
        # BEGIN + the licence lock + its terms and the idempotency check; then the draw, entry,
        # shipment and lines in one statement + COMMIT. The read finds what the warm-up post
        # left: the licence is quiet, and the next posts are one statement each.
        trips, sent = _pg_trace(quiet, lambda: quiet.post_shipment(ship("one")))
        assert trips == 2, sent
        trips, sent = _pg_trace(quiet, lambda: quiet.post_shipment(ship("one-more")))
        assert trips == 1 and len(sent) <= 1, sent
        two_lines = {**ship("two"), "lines": [
            {"classification": "I(a)", "quantity": 1, "value": "5.00"},
            {"classification": "I(b)", "quantity": 2, "value": "7.00"}]}
        trips, sent = _pg_trace(quiet, lambda: quiet.post_shipment(two_lines))
        assert trips == 1, sent  # whatever the number of lines
    one = statements(quiet, lambda: quiet.post_shipment(ship("three")))
    # SQLite: BEGIN IMMEDIATE, the lock, the terms, one statement per table written and the
    # inline seal (link + head). PostgreSQL (statements parsed, not yet prepared): the write.
    assert len(one) <= (1 if pg else 9), one
    two = {**ship("four"), "lines": [{"classification": "I(a)", "quantity": 1, "value": "5.00"},
                                     {"classification": "I(b)", "quantity": 2, "value": "7.00"}]}
    both = statements(quiet, lambda: quiet.post_shipment(two))
    assert len(both) <= (1 if pg else 10), both
    orm_loads = ("SELECT ledger_licence_line", "SELECT ledger_licence_party",
                 "SELECT ledger_licence_status", "SELECT ledger_shipment")
    assert not any(s.startswith(orm_loads) for s in one + both)
    line_b = quiet.get_licence("DSP5-T-1").lines[1]
    assert line_b.shipped_quantity == (4 if pg else 2)
    assert line_b.shipped_value == (Decimal("14.00") if pg else Decimal("7.00"))
    check = quiet.verify_audit()  # lines stored in request order, tables match the chain
    assert check.ok and not check.state_mismatches, check.problem


def test_a_replay_draws_nothing(quiet, db_url):
    """A replay is answered from the first post. On PostgreSQL a quiet licence's post is tried
    as one statement first; the key's UNIQUE index fails it (nothing written) and the read
    finds the first post."""
    first = quiet.post_shipment(ship("again"))
    count = text("SELECT (SELECT count(*) FROM ledger_shipment), (SELECT count(*) FROM "
                 "audit_log), (SELECT sum(shipped_value_cents) FROM ledger_licence_line)")
    with quiet.engine.connect() as c:
        before = c.execute(count).one()
    replay = statements(quiet, lambda: quiet.post_shipment(ship("again")))
    if db_url.startswith("postgresql"):  # the failed statement, the read, its ROLLBACK
        assert _pg_trace(quiet, lambda: quiet.post_shipment(ship("again")))[0] <= 3
    else:
        assert len(replay) <= 3, replay
        assert not any(s.startswith(("INSERT", "UPDATE")) for s in replay)
    again = quiet.post_shipment(ship("again"))
    assert again.id == first.id and not again.created
    with quiet.engine.connect() as c:
        assert c.execute(count).one() == before


def test_a_refusal_is_still_audited_in_its_own_transaction(quiet):
    def refused() -> None:
        with pytest.raises(ShipmentRefused, match="would exceed the remaining value"):
            quiet.post_shipment(ship("big", value="999999.00"))

    seen = statements(quiet, refused)
    assert sum(s.startswith("INSERT INTO audit_log") for s in seen) == 1  # the refusal entry
    assert not any(s.startswith("INSERT INTO ledger_shipment") for s in seen)


@pytest.mark.postgres
def test_a_partial_draw_fails_on_the_server_and_its_queued_commit_commits_nothing(pg_server):
    """The write is pipelined with COMMIT, so it must fail on the server, not in Python, when
    a line was not drawn (here: a cap below what is already drawn, as a writer that skipped
    the licence lock would see). Nothing of it may be committed; the error is retryable."""
    ledger = Ledger(pg_server.create_database("partial"))
    ledger.add_licence(dsp5(lines=TWO_LINES))
    ledger.post_shipment(ship("first"))
    count = text("SELECT (SELECT count(*) FROM ledger_shipment), (SELECT count(*) FROM "
                 "audit_log), (SELECT sum(shipped_value_cents) FROM ledger_licence_line)")
    with ledger.engine.connect() as conn:
        before = conn.execute(count).one()
        conn.rollback()
        entry = {"recorded_at": "2026-12-05T00:00:00.000000Z", "actor": "test",
                 "kind": "shipment.posted", "payload": "{}", "versions": "{}", "tail": "]"}
        shipment = {"idempotency_key": "partial", "request_hash": "0" * 64, "licence_id": 1,
                    "licence_exception": None, "ship_date": "2019-06-01", "destination": "HK",
                    "consignee": "x", "end_user": "x", "reference": None,
                    "recorded_at": "2026-12-05T00:00:00+00:00"}
        with pgpost.connections(ledger.engine).cursor() as cur:
            raw = cur.connection
            lic, _ = pgpost.lock_and_read(raw, "DSP5-T-1", None, "partial")
            line_a, line_b = lic.lines
            draws = [{"id": ln.id, "q": 1000, "v": 100, "cap_q": 10**9, "cap_v": cap,
                      "had_q": ln.shipped_qty_milli, "had_v": ln.shipped_value_cents}
                     for ln, cap in ((line_a, 10**9), (line_b, 0))]
            lines = [{"licence_line_id": line_a.id, "classification": "I(a)",
                      "qty_milli": 1000, "value_cents": 100}]
            with pytest.raises(OperationalError, match="changed concurrently: 1 of 2") as err:
                pgpost.write_and_commit(raw, lic, draws, entry, shipment, lines, cursor=cur)
        assert err.value.orig.sqlstate == "40001"  # the Ledger retries it
        assert conn.execute(count).one() == before  # line A's draw was not committed either
        conn.rollback()
    assert ledger.verify_audit().ok


@pytest.mark.postgres
def test_a_post_on_a_connection_the_server_dropped_is_retried_once_not_lost(pg_server):
    """Pooled connections are not pinged when used moments ago, so a server restart can hand a
    post a dead one: the post is retried on a new connection (it is keyed, so a retry never
    draws twice) and the dead connection leaves the pool."""
    url = pg_server.create_database("dropped")
    ledger = Ledger(url)
    ledger.add_licence(dsp5())
    first = ledger.post_shipment(ship("before"))
    with ledger.engine.connect() as c:
        pids = c.exec_driver_sql("SELECT pid FROM pg_stat_activity WHERE datname = "
                                 "current_database()").scalars().all()
    with sa.create_engine(ledger.engine.url, poolclass=sa.pool.NullPool).connect() as admin:
        for pid in pids:
            admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")
    after = ledger.post_shipment(ship("after"))
    assert after.created and after.id != first.id
    assert ledger.post_shipment(ship("after")).id == after.id  # one shipment, drawn once
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_quantity == 2
    assert ledger.verify_audit().ok
