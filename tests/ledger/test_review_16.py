"""Defects found by a new-user review (session 16): a status change dated before the licence's
start, licences naming unknown countries or classifications, zero-quantity shipments."""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_helpers import bis, ship

from exportcheck.ledger.shipments import ShipmentRefused


def test_a_suspension_dated_before_the_licence_starts_blocks_it_from_its_start(ledger):
    """A notice "with effect from" a day before the licence's start suspends the licence
    from its start; the approval recorded for that start does not undo it."""
    ledger.add_licence(bis(valid_from="2022-01-10", valid_to="2024-01-09"))
    ledger.set_status("D123456", "suspended", effective=dt.date(2021, 6, 1), reason="review",
                      citation="15 CFR 750.8")
    assert ledger.get_licence("D123456", as_of=dt.date(2021, 7, 1)).status == "not yet valid"
    assert ledger.get_licence("D123456", as_of=dt.date(2022, 6, 1)).status == "suspended"
    with pytest.raises(ShipmentRefused, match="suspended"):
        ledger.post_shipment(ship("K1", "D123456", date="2022-06-01", classification="0A501.a",
                                  destination="GB", consignee="UK Importer Ltd",
                                  end_user="UK Importer Ltd"))
    assert ledger.get_licence("D123456").lines[0].shipped_value == 0
    rows = {r.number: r.status for r in ledger.report(as_of=dt.date(2022, 6, 1)).rows}
    assert rows["D123456"] == "suspended"
    # a later reinstatement still lifts it
    ledger.set_status("D123456", "reinstated", effective=dt.date(2022, 7, 1), reason="cleared",
                      citation="15 CFR 750.8")
    assert ledger.get_licence("D123456", as_of=dt.date(2022, 8, 1)).status == "reinstated"
    assert ledger.verify_audit().ok
