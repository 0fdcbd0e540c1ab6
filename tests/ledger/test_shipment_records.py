"""Listing posted shipments (Python API and CLI): what an officer reads before reversing one.
Newest first, filtered by licence, destination, ship dates and reversal; a reversed shipment
carries who reversed it, when and why; an unknown licence or shipment is an error, not an
empty answer."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from ledger_helpers import dsp5, ship

from exportcheck.errors import InvalidInput, NotFound
from exportcheck.ledger.api import Ledger


@pytest.fixture
def shipped(ledger: Ledger) -> Ledger:
    """Two licences; three shipments on the first (one of two lines), one on the second, one
    under a licence exception; the second shipment reversed."""
    ledger.add_licence(dsp5(lines=[
        {"classification": "I(a)", "description": "pistols", "quantity": 100,
         "value": "100000.00"},
        {"classification": "XI(c)", "description": "radios", "unit_basis": "value",
         "value": "5000.00"}]))
    ledger.add_licence(dsp5("DSP5-T-2", destination="SG"))
    ledger.post_shipment(ship("A-1", value="100.00", date="2019-04-01"), actor="alice")
    two = ship("A-2", value="200.00", quantity=2, date="2019-05-01")
    two["lines"].append({"classification": "XI(c)", "value": "50.25"})
    ledger.post_shipment(two, actor="bob")
    ledger.post_shipment(ship("A-3", value="300.00", date="2019-06-01"), actor="alice")
    ledger.post_shipment(ship("B-1", "DSP5-T-2", value="400.00", date="2019-05-15",
                              destination="SG"), actor="carol")
    ledger.post_shipment({
        "idempotency_key": "X-1", "licence_exception": "NLR", "ship_date": "2019-05-20",
        "destination": "DE", "consignee": "Acme GmbH", "end_user": "Acme GmbH",
        "lines": [{"classification": "EAR99", "value": "10.00"}]}, actor="dave")
    ledger.reverse_shipment("A-2", reason="keyed against the wrong order",
                            idempotency_key="R-1", reference="credit note 7", actor="erin")
    return ledger


def _keys(records) -> list[str]:
    return [r.idempotency_key for r in records]


def test_newest_first_with_lines_parties_and_who_posted(shipped: Ledger) -> None:
    records, total = shipped.list_shipments()
    assert total == 5
    assert _keys(records) == ["A-3", "X-1", "B-1", "A-2", "A-1"]
    two = records[3]
    assert (two.licence_number, two.licence_agency, two.licence_exception) == (
        "DSP5-T-1", "DDTC", None)
    assert [(ln.classification, ln.quantity, ln.value) for ln in two.lines] == [
        ("I(a)", Decimal(2), Decimal("200.00")), ("XI(c)", Decimal(0), Decimal("50.25"))]
    assert two.total_value == Decimal("250.25") and two.actor == "bob"
    assert two.consignee == "Hong Kong Police Force" and two.ship_date == dt.date(2019, 5, 1)
    assert two.recorded_at.tzinfo is not None
    exc = records[1]
    assert (exc.licence_number, exc.licence_exception) == (None, "NLR")


def test_a_reversed_shipment_says_who_reversed_it_when_and_why(shipped: Ledger) -> None:
    rec = shipped.get_shipment("A-2")
    assert rec.reversed and rec.reversal is not None
    rev = rec.reversal
    assert (rev.idempotency_key, rev.reason, rev.reference, rev.actor) == (
        "R-1", "keyed against the wrong order", "credit note 7", "erin")
    assert rev.audit_seq > rec.audit_seq and rev.recorded_at >= rec.recorded_at
    entry = next(e for e in shipped.audit_entries(kind="shipment.reversed")[0])
    assert entry.seq == rev.audit_seq
    standing = shipped.get_shipment("A-1")
    assert not standing.reversed and standing.reversal is None


def test_filters(shipped: Ledger) -> None:
    def keys(**filters) -> list[str]:
        records, total = shipped.list_shipments(**filters)
        assert total == len(records)
        return _keys(records)

    assert keys(licence_number="DSP5-T-1") == ["A-3", "A-2", "A-1"]
    assert keys(licence_number=" DSP5-T-2 ", agency="ddtc") == ["B-1"]
    assert keys(destination="sg") == ["B-1"]
    assert keys(start=dt.date(2019, 5, 1), end=dt.date(2019, 5, 20)) == ["X-1", "B-1", "A-2"]
    assert keys(reversed=True) == ["A-2"]
    assert keys(reversed=False, licence_number="DSP5-T-1") == ["A-3", "A-1"]


def test_pages_count_every_match(shipped: Ledger) -> None:
    first, total = shipped.list_shipments(limit=2)
    rest, again = shipped.list_shipments(limit=2, offset=2)
    last, _ = shipped.list_shipments(limit=2, offset=4)
    assert total == again == 5
    assert _keys(first) + _keys(rest) + _keys(last) == _keys(shipped.list_shipments()[0])


def test_unknown_licence_or_shipment_and_bad_periods_are_errors(shipped: Ledger) -> None:
    with pytest.raises(NotFound, match="no licence 'DSP5-T-9' in the ledger"):
        shipped.list_shipments(licence_number="DSP5-T-9")
    with pytest.raises(NotFound, match="of agency 'BIS'"):
        shipped.list_shipments(licence_number="DSP5-T-1", agency="BIS")
    with pytest.raises(NotFound, match="no shipment with idempotency key 'nope'"):
        shipped.get_shipment("nope")
    with pytest.raises(InvalidInput, match="starts 2019-06-01 after it ends 2019-05-01"):
        shipped.list_shipments(start=dt.date(2019, 6, 1), end=dt.date(2019, 5, 1))
    with pytest.raises(InvalidInput, match="limit"):
        shipped.list_shipments(limit=0)


def test_a_replayed_post_of_a_reversed_shipment_says_so(shipped: Ledger) -> None:
    two = ship("A-2", value="200.00", quantity=2, date="2019-05-01")
    two["lines"].append({"classification": "XI(c)", "value": "50.25"})
    again = shipped.post_shipment(two, actor="bob")
    assert (again.created, again.reversed) == (False, True)
    assert shipped.get_licence("DSP5-T-1").lines[0].shipped_value == Decimal("400.00")
    one = shipped.post_shipment(ship("A-1", value="100.00", date="2019-04-01"))
    assert (one.created, one.reversed) == (False, False)


def test_cli_lists_and_shows(cli, tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(db)
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("INV-1", value="1000.00", quantity=2), actor="alice")
    ledger.post_shipment(ship("INV-2", value="10.00", date="2019-07-01"), actor="alice")
    ledger.reverse_shipment("INV-1", reason="keyed twice", idempotency_key="REV-1",
                            actor="bob")
    code, out, _ = cli(["shipments", "list", "--db", db])
    assert code == 0 and "2 shipments" in out
    assert out.index("INV-2") < out.index("INV-1")  # newest first
    assert "bob" in out and "keyed" in out  # who reversed it, and why (the table may wrap)
    code, out, _ = cli(["shipments", "list", "--db", db, "--standing", "--json"])
    body = json.loads(out)
    assert code == 0 and body["total"] == 1 and body["items"][0]["idempotency_key"] == "INV-2"
    code, out, _ = cli(["shipments", "show", "INV-1", "--db", db])
    assert code == 0 and "under licence DDTC DSP5-T-1: $1,000.00" in out
    assert "REVERSED by bob" in out and "(key REV-1, audit #" in out
    code, _, err = cli(["shipments", "list", "--licence", "NOPE", "--db", db])
    assert code == 2 and err.startswith("error: ") and "no licence 'NOPE'" in err
    code, _, err = cli(["shipments", "list", "--from", "2019-13-01", "--db", db])
    assert code == 2 and "--from" in err and err.count("\n") == 1
    code, _, err = cli(["shipments", "show", "INV-9", "--db", db])
    assert code == 2 and "no shipment with idempotency key 'INV-9'" in err
