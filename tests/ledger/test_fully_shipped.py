"""A DSP-5 whose whole licensed quantity has been shipped has expired (22 CFR 123.21(a);
123.22(c)(2): licences not decremented electronically are returned "upon expiration, to
include when the total authorized value or quantity has been shipped"). The ledger showed it
'approved', with the 10% value tolerance of 22 CFR 123.23 apparently still to draw."""

from __future__ import annotations

import datetime as dt

from ledger_helpers import dsp5, ship

from exportcheck.ledger.api import Ledger

D = dt.date
FROM = "2026-01-05"  # valid four years: today is inside its validity


def _shipped_out(ledger: Ledger) -> None:
    ledger.add_licence(dsp5(valid_from=FROM))  # 100 units for $100,000
    ledger.post_shipment(ship("a", quantity=60, value="54000.00", date="2026-02-02"))
    ledger.post_shipment(ship("b", quantity=40, value="36000.00", date="2026-03-02"))


def test_a_dsp5_shipped_in_full_shows_as_expired_from_the_last_shipment(ledger: Ledger) -> None:
    _shipped_out(ledger)  # all 100 units, for $90,000: $20,000 of value tolerance "left"
    assert ledger.get_licence("DSP5-T-1").status == "expired"
    last = ledger.get_licence("DSP5-T-1").history[-1]  # said why, as `licences show` prints
    assert (last.status, last.effective) == ("expired", D(2026, 3, 2))
    assert "whole licensed quantity" in last.reason and "123.22(c)(2)" in last.citation
    assert ledger.get_licence("DSP5-T-1", as_of=D(2026, 3, 2)).status == "expired"
    assert ledger.get_licence("DSP5-T-1", as_of=D(2026, 3, 1)).status == "approved"
    row = ledger.report().rows[0]
    assert (row.status, row.status_since, row.validity_ended) == ("expired", D(2026, 3, 2),
                                                                  False)
    assert "22 CFR 123.21(a)" in row.status_citation
    assert "22 CFR 123.22(c)(2)" in row.status_citation
    assert (row.remaining, row.available) == (0, 0)
    assert ledger.report(as_of=D(2026, 2, 28)).rows[0].status == "approved"
    assert [lic.status for lic in ledger.list_licences()] == ["expired"]


def test_reversing_the_last_shipment_makes_it_approved_again(ledger: Ledger) -> None:
    _shipped_out(ledger)
    ledger.reverse_shipment("b", reason="keyed in error", idempotency_key="r-b")
    assert ledger.get_licence("DSP5-T-1").status == "approved"
    assert ledger.report().rows[0].status_citation == ""


def test_a_licence_with_a_line_left_stays_approved(ledger: Ledger) -> None:
    ledger.add_licence(dsp5(valid_from=FROM, lines=[
        {"classification": "I(a)", "quantity": 10, "value": "1000.00"},
        {"classification": "I(h)", "quantity": 10, "value": "1000.00"}]))
    ledger.post_shipment(ship("all-a", quantity=10, value="1000.00", date="2026-02-02"))
    assert ledger.get_licence("DSP5-T-1").status == "approved"
    assert ledger.report().rows[0].status == "approved"
