"""Regression guard on the posting hot path: statements per shipment post, on each backend.

Counted with SQLAlchemy's ``before_cursor_execute`` (every statement the ledger sends, BEGIN
IMMEDIATE included on SQLite; the driver's own BEGIN/COMMIT on PostgreSQL are not statements
here). A post used to make 13 (SQLite) / 15 (PostgreSQL) of them; more than the bounds below
means an ORM load or an extra query crept back into the hot path. No timing is asserted.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from ledger_helpers import dsp5, ship
from sqlalchemy import event

from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

TWO_LINES = [{"classification": "I(a)", "description": "pistols", "quantity": 100,
              "value": "100000.00"},
             {"classification": "I(b)", "description": "rifles", "quantity": 100,
              "value": "100000.00"}]


def statements(ledger: Ledger, fn: Callable[[], object]) -> list[str]:
    seen: list[str] = []

    def listen(_conn: object, _cur: object, statement: str, *_args: object) -> None:
        seen.append(" ".join(statement.split())[:60])

    event.listen(ledger.engine, "before_cursor_execute", listen)
    try:
        fn()
    finally:
        event.remove(ledger.engine, "before_cursor_execute", listen)
    return seen


@pytest.fixture
def quiet(db_url: str) -> Ledger:
    """Default sealing, but no opportunistic seal inside the posts counted (the first write of
    the process's sealer seals at once; the long interval keeps the next ones from sealing)."""
    ledger = Ledger(db_url, seal_interval=3600)
    ledger.add_licence(dsp5(lines=TWO_LINES))
    ledger.post_shipment(ship("warm-up"))
    return ledger


def test_a_post_is_three_statements_on_postgres_and_nine_on_sqlite(quiet, db_url):
    pg = db_url.startswith("postgresql")
    one = statements(quiet, lambda: quiet.post_shipment(ship("one")))
    # PostgreSQL: lock the licence; its terms + the idempotency check + the audit number; the
    # draw, entry, shipment and lines in one statement. SQLite adds BEGIN IMMEDIATE, one
    # statement per table written and the inline seal (link + head).
    assert len(one) <= (3 if pg else 9), one
    two = {**ship("two"), "lines": [{"classification": "I(a)", "quantity": 1, "value": "5.00"},
                                    {"classification": "I(b)", "quantity": 2, "value": "7.00"}]}
    both = statements(quiet, lambda: quiet.post_shipment(two))
    assert len(both) <= (3 if pg else 10), both  # PostgreSQL: independent of the line count
    orm_loads = ("SELECT ledger_licence_line", "SELECT ledger_licence_party",
                 "SELECT ledger_licence_status", "SELECT ledger_shipment")
    assert not any(s.startswith(orm_loads) for s in one + both)
    line_b = quiet.get_licence("DSP5-T-1").lines[1]
    assert (line_b.shipped_quantity, line_b.shipped_value) == (2, Decimal("7.00"))
    check = quiet.verify_audit()  # lines stored in request order, tables match the chain
    assert check.ok and not check.state_mismatches, check.problem


def test_a_replay_reads_only(quiet, db_url):
    first = quiet.post_shipment(ship("again"))
    replay = statements(quiet, lambda: quiet.post_shipment(ship("again")))
    assert len(replay) <= (2 if db_url.startswith("postgresql") else 3), replay
    assert not any(s.startswith(("INSERT", "UPDATE")) for s in replay)
    assert quiet.post_shipment(ship("again")).id == first.id


def test_a_refusal_is_still_audited_in_its_own_transaction(quiet):
    def refused() -> None:
        with pytest.raises(ShipmentRefused, match="would exceed the remaining value"):
            quiet.post_shipment(ship("big", value="999999.00"))

    seen = statements(quiet, refused)
    assert sum(s.startswith("INSERT INTO audit_log") for s in seen) == 1  # the refusal entry
    assert not any(s.startswith("INSERT INTO ledger_shipment") for s in seen)
