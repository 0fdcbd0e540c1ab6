"""Ledger findings of the QA pass of an export licensing officer's year (review 26): a licence
number registered twice in another spelling, a BIS licence for a USML item, a status change
without a reason, the balances an audit entry records, and the citation of a refusal.

Every test runs on SQLite and on PostgreSQL (the ``ledger`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

D = dt.date


def _payload(ledger: Ledger, seq: int) -> dict:
    entries, _ = ledger.audit_entries(limit=500)
    return json.loads(next(e for e in entries if e.seq == seq).payload)


# -- a licence number is one licence however it is spelt --------------------------------------
@pytest.mark.parametrize("spelling", ["d123456", " D 123456", "D123 456"])
def test_a_licence_number_in_another_spelling_is_not_a_second_licence(
        ledger: Ledger, spelling: str) -> None:
    """'d123456' next to 'D123456' doubled what the ledger let ship against one licence."""
    ledger.add_licence(bis("D123456"))
    with pytest.raises(LedgerError, match=r"D123456.*already in the ledger"):
        ledger.add_licence(bis(spelling))
    assert [lic.number for lic in ledger.list_licences()] == ["D123456"]


def test_a_file_naming_one_licence_twice_in_two_spellings_adds_nothing(ledger: Ledger) -> None:
    with pytest.raises(LedgerError, match=r"entry 2 of 2.*D123456"):
        ledger.add_licences([bis("D123456"), bis("d123456")])
    assert ledger.list_licences() == []


def test_the_same_number_at_the_other_agency_is_still_another_licence(ledger: Ledger) -> None:
    ledger.add_licence(bis("X1"))
    ledger.add_licence(dsp5("x1"))
    assert {(lic.agency, lic.number) for lic in ledger.list_licences()} == {
        ("BIS", "X1"), ("DDTC", "x1")}


# -- a BIS licence cannot authorise a USML article --------------------------------------------
@pytest.mark.parametrize("item", ["I(a)", "USML XI(a)(3)"])
def test_a_bis_licence_for_a_usml_item_is_refused(ledger: Ledger, item: str) -> None:
    spec = bis()
    spec["lines"][0]["classification"] = item
    with pytest.raises(InvalidInput, match=r"USML.*22 CFR 120\.5"):
        ledger.add_licence(spec)
    assert ledger.list_licences() == []


def test_a_ddtc_licence_may_still_list_an_ear_item(ledger: Ledger) -> None:
    """22 CFR 120.5(b): DDTC may license items subject to the EAR with the USML articles."""
    spec = dsp5()
    spec["lines"].append({"classification": "0A501.x", "quantity": 5, "value": "500.00"})
    _, created = ledger.add_licence(spec)
    assert created


# -- a status change says why -----------------------------------------------------------------
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_status_change_without_a_reason_is_refused(ledger: Ledger, reason: str) -> None:
    ledger.add_licence(dsp5())
    with pytest.raises(InvalidInput, match="reason"):
        ledger.set_status("DSP5-T-1", "suspended", effective=D(2019, 7, 1), reason=reason,
                          citation="22 CFR 126.7")
    assert [h.status for h in ledger.get_licence("DSP5-T-1").history] == ["approved"]


# -- the balance an audit entry records is the ledger's balance -------------------------------
def test_a_draw_into_the_tolerance_records_no_negative_balance(ledger: Ledger) -> None:
    """Shipped $12,000 on a $10,000 line (25% tolerance, 15 CFR 750.11(b)(2)): the line has
    $0.00 left, as `licences show` says, not -$2,000.00."""
    ledger.add_licence(bis())
    out = ledger.post_shipment(ship("S1", "D123456", classification="0A501.a", quantity=10,
                                    value="12000.00", destination="GB",
                                    consignee="UK Importer Ltd", end_user="UK Importer Ltd",
                                    date="2021-06-01"))
    drawn = _payload(ledger, out.audit_seq)["drawn"][0]
    line = ledger.get_licence("D123456").lines[0]
    assert (drawn["remaining_value"], drawn["remaining_quantity"]) == ("0.00", "0")
    assert str(line.remaining_value) == drawn["remaining_value"]
    assert ledger.verify_audit().ok


def test_a_line_whose_quantity_is_shipped_records_nothing_left(ledger: Ledger) -> None:
    """All 10 units shipped for $8,000: nothing more may ship (15 CFR 750.11(a)), so the
    entry's remaining value is $0.00, not the $2,000.00 of value not shipped."""
    ledger.add_licence(bis())
    out = ledger.post_shipment(ship("S1", "D123456", classification="0A501.a", quantity=10,
                                    value="8000.00", destination="GB",
                                    consignee="UK Importer Ltd", end_user="UK Importer Ltd",
                                    date="2021-06-01"))
    assert _payload(ledger, out.audit_seq)["drawn"][0]["remaining_value"] == "0.00"
    rev = ledger.reverse_shipment("S1", reason="keyed by mistake", idempotency_key="R1")
    returned = _payload(ledger, rev.audit_seq)["returned"][0]
    assert (returned["remaining_value"], returned["remaining_quantity"]) == ("10000.00", "10")
    assert ledger.verify_audit().ok


def test_a_reversal_within_the_tolerance_records_the_line_balance(ledger: Ledger) -> None:
    ledger.add_licence(bis())
    common = {"licence": "D123456", "classification": "0A501.a", "destination": "GB",
              "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
              "date": "2021-06-01"}
    ledger.post_shipment(ship("S1", quantity=5, value="7000.00", **common))
    ledger.post_shipment(ship("S2", quantity=4, value="5000.00", **common))
    rev = ledger.reverse_shipment("S2", reason="invoice cancelled", idempotency_key="R2")
    returned = _payload(ledger, rev.audit_seq)["returned"][0]
    assert returned["remaining_value"] == "3000.00"
    assert str(ledger.get_licence("D123456").lines[0].remaining_value) == "3000.00"


# -- a refusal cites its own agency's rule ----------------------------------------------------
@pytest.mark.parametrize(("agency", "cited", "not_cited"), [
    ("BIS", "15 CFR 750.11(a)", "22 CFR"), ("DDTC", "22 CFR 123.23", "15 CFR")])
def test_an_exhausted_quantity_cites_the_licence_agencys_rule(
        ledger: Ledger, agency: str, cited: str, not_cited: str) -> None:
    if agency == "BIS":
        ledger.add_licence(bis())
        common = {"licence": "D123456", "classification": "0A501.a", "destination": "GB",
                  "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
                  "date": "2021-06-01"}
    else:
        ledger.add_licence(dsp5(quantity=10))
        common = {}
    ledger.post_shipment(ship("S1", quantity=10, value="1000.00", **common))
    with pytest.raises(ShipmentRefused) as refused:
        ledger.post_shipment(ship("S2", quantity=1, value="10.00", **common))
    assert refused.value.rule == "quantity_exhausted"
    assert cited in str(refused.value) and not_cited not in str(refused.value)


# -- a policy event's key names one event -----------------------------------------------------
HK_EVENT = {"key": "hk-2020", "title": "End of defence exports to Hong Kong",
            "action": "suspended", "effective": "2020-06-30", "citation": "22 CFR 126.7",
            "filter": {"agency": "DDTC", "destinations": ["HK"]}}


@pytest.mark.parametrize("change", [{"action": "revoked"}, {"effective": "2020-07-15"},
                                    {"filter": {"agency": "DDTC", "destinations": ["CN"]}}])
def test_a_policy_key_reused_for_another_event_is_refused(ledger: Ledger, change: dict) -> None:
    """The revocation sent under the suspension's key answered '1 licences affected (already
    applied)' and recorded nothing: the officer believed the licences revoked."""
    ledger.add_licence(dsp5())
    assert ledger.apply_policy_event(HK_EVENT).created
    with pytest.raises(LedgerError, match=r"hk-2020.*already.*different"):
        ledger.apply_policy_event(HK_EVENT | change)
    assert [h.status for h in ledger.get_licence("DSP5-T-1").history] == [
        "approved", "suspended"]


def test_the_same_policy_event_sent_again_is_answered_as_before(ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    first = ledger.apply_policy_event(HK_EVENT)
    again = ledger.apply_policy_event(HK_EVENT | {"effective": dt.date(2020, 6, 30)})
    assert (again.created, again.affected) == (False, first.affected)


# -- a reinstatement lifts a suspension -------------------------------------------------------
def test_a_reinstatement_dated_before_the_suspension_is_refused(ledger: Ledger) -> None:
    """Typed 2019-05-01 for 2019-07-01: recorded, it lifted nothing, and the licence stayed
    suspended while its history showed a reinstatement."""
    ledger.add_licence(dsp5())
    ledger.set_status("DSP5-T-1", "suspended", effective=D(2019, 6, 1), reason="notice",
                      citation="22 CFR 126.7")
    with pytest.raises(LedgerError, match="not suspended on 2019-05-01"):
        ledger.set_status("DSP5-T-1", "reinstated", effective=D(2019, 5, 1), reason="lifted",
                          citation="22 CFR 126.7")
    with pytest.raises(LedgerError, match="not suspended on 2019-04-01"):
        ledger.add_licence(dsp5("DSP5-T-2"))
        ledger.set_status("DSP5-T-2", "reinstated", effective=D(2019, 4, 1), reason="lifted",
                          citation="22 CFR 126.7")
    ledger.set_status("DSP5-T-1", "reinstated", effective=D(2019, 7, 1), reason="lifted",
                      citation="22 CFR 126.7")
    assert [h.status for h in ledger.get_licence("DSP5-T-1").history] == [
        "approved", "suspended", "reinstated"]
    assert ledger.verify_audit().ok
