"""Licences: registration, validation, validity defaults, status history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ledger_helpers import bis, dsp5

from exportcheck.errors import InvalidInput, LedgerError, NotFound


def test_add_show_and_list(ledger):
    lic, created = ledger.add_licence(dsp5())
    assert created
    assert lic.status == "expired"  # valid 2019-03-01 + 4 years, seen from today
    assert lic.valid_to == dt.date(2023, 2, 28)
    assert lic.lines[0].remaining_value == Decimal("100000.00")
    assert ledger.get_licence("DSP5-T-1").number == "DSP5-T-1"
    assert ledger.get_licence("DSP5-T-1", as_of=dt.date(2020, 1, 1)).status == "approved"
    assert [x.number for x in ledger.list_licences(destination="HK")] == ["DSP5-T-1"]
    assert ledger.list_licences(agency="BIS") == []


def test_readding_identical_licence_is_a_no_op_but_different_terms_are_refused(ledger):
    ledger.add_licence(dsp5())
    _again, created = ledger.add_licence(dsp5())
    assert not created
    with pytest.raises(LedgerError, match="different terms"):
        ledger.add_licence(dsp5(value="200000.00"))
    assert ledger.verify_audit().checked == 1  # only the first add was recorded


@pytest.mark.parametrize("change, message", [
    ({"kind": "BIS"}, "DDTC licences are of kind"),
    ({"destination": "Hong Kong"}, "ISO 3166"),
    ({"valid_to": "2018-01-01"}, "before valid_from"),
    ({"parties": [{"role": "applicant", "name": "A"}]}, "names a consignee"),
    ({"lines": []}, "lines"),
    ({"lines": [{"classification": "I(a)", "quantity": 1, "value": "1.005"}]}, "2 decimal"),
    ({"lines": [{"classification": "I(a)", "value": "10"}]}, "quantity is required"),
    ({"agency": "OFAC"}, "BIS and DDTC"),
])
def test_bad_licence_input_is_a_clear_error(ledger, change, message):
    with pytest.raises(InvalidInput, match=message):
        ledger.add_licence(dsp5(**change))
    assert ledger.list_licences() == []


def test_unknown_licence_is_not_found(ledger):
    with pytest.raises(NotFound, match="no licence numbered"):
        ledger.get_licence("nope")


def test_same_number_at_two_agencies_needs_the_agency(ledger):
    ledger.add_licence(dsp5(number="X1"))
    ledger.add_licence(bis(number="X1"))
    with pytest.raises(InvalidInput, match="give the agency"):
        ledger.get_licence("X1")
    assert ledger.get_licence("X1", agency="BIS").kind == "BIS"


def test_status_history_and_reinstatement(ledger):
    ledger.add_licence(bis())
    ledger.set_status("D123456", "suspended", effective=dt.date(2022, 1, 1), reason="review",
                      citation="15 CFR 750.8")
    ledger.set_status("D123456", "reinstated", effective=dt.date(2022, 3, 1), reason="cleared",
                      citation="15 CFR 750.8")
    assert ledger.get_licence("D123456", as_of=dt.date(2022, 2, 1)).status == "suspended"
    assert ledger.get_licence("D123456", as_of=dt.date(2022, 4, 1)).status == "reinstated"
    lic = ledger.get_licence("D123456")
    assert [h.status for h in lic.history] == ["approved", "suspended", "reinstated"]
    with pytest.raises(InvalidInput, match="citation"):
        ledger.set_status("D123456", "revoked", effective=dt.date(2022, 5, 1), reason="x",
                          citation=" ")
    with pytest.raises(InvalidInput, match="unknown status"):
        ledger.set_status("D123456", "paused", effective=dt.date(2022, 5, 1), reason="x",
                          citation="y")
