"""Ledger findings of a licensing specialist's QA pass (review 30): a policy event skipped a
licence that was suspended on its date, so lifting that suspension later revived a licence
the event had revoked; a licence shown ``--as-of`` a past date had that date's status but
today's balances; the shipments of a licence number two agencies use were listed as one's.

Every test runs on SQLite and on PostgreSQL (the ``ledger`` fixture).
"""

from __future__ import annotations

import datetime as dt

import pytest
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

D = dt.date
HK_REVOCATION = {"key": "hk-rev", "title": "HK: DDTC licences revoked", "action": "revoked",
                 "effective": "2020-07-01", "citation": "22 CFR 126.7(a); 85 FR 43413",
                 "filter": {"agency": "DDTC", "destinations": ["HK"]}}


def _suspend(ledger: Ledger, number: str, day: dt.date) -> None:
    ledger.set_status(number, "suspended", effective=day, reason="end-use check pending",
                      citation="22 CFR 126.7(a)")


# -- a policy event covers a licence suspended on its date -----------------------------------
def test_a_policy_revocation_covers_a_licence_suspended_on_its_date(ledger: Ledger) -> None:
    ledger.add_licence(dsp5("HK-1"))
    _suspend(ledger, "HK-1", D(2020, 6, 1))
    result = ledger.apply_policy_event(HK_REVOCATION)
    assert result.affected == ["DDTC HK-1"]
    assert ledger.get_licence("HK-1", as_of=D(2020, 7, 1)).status == "revoked"
    # the revocation is final: lifting the earlier suspension cannot revive the licence
    with pytest.raises(LedgerError, match="revocation is final"):
        ledger.set_status("HK-1", "reinstated", effective=D(2020, 8, 1),
                          reason="end-use check passed", citation="DDTC letter")
    with pytest.raises(ShipmentRefused, match="revoked"):
        ledger.post_shipment(ship("after", "HK-1", date="2020-09-01"))
    assert ledger.verify_audit().ok


def test_a_revocation_event_after_a_suspension_event_revokes_their_licences(
        ledger: Ledger) -> None:
    """Suspended by a first event, every licence was skipped by a later revocation: lifting
    the suspension then revived them all. A licence back-filled later gets both."""
    ledger.add_licence(dsp5("HK-1"))
    suspension = HK_REVOCATION | {"key": "hk-susp", "action": "suspended",
                                  "effective": "2020-06-30"}
    assert ledger.apply_policy_event(suspension).affected == ["DDTC HK-1"]
    assert ledger.apply_policy_event(HK_REVOCATION).affected == ["DDTC HK-1"]
    ledger.add_licence(dsp5("HK-2"))  # back-filled after both events
    for number in ("HK-1", "HK-2"):
        assert ledger.get_licence(number, as_of=D(2020, 7, 1)).status == "revoked"
        with pytest.raises(LedgerError, match="revocation is final"):
            ledger.set_status(number, "reinstated", effective=D(2020, 8, 1),
                              reason="suspension lifted", citation="DDTC letter")
    assert ledger.verify_audit().ok


def test_a_policy_suspension_is_recorded_on_a_licence_already_suspended(
        ledger: Ledger) -> None:
    """The event's suspension is in the licence's history with its citation, so lifting the
    earlier, individual suspension is done knowing the policy one."""
    ledger.add_licence(dsp5("HK-1"))
    _suspend(ledger, "HK-1", D(2020, 6, 1))
    result = ledger.apply_policy_event(HK_REVOCATION | {"key": "hk-susp", "action": "suspended"})
    assert result.affected == ["DDTC HK-1"]
    history = [(h.status, h.effective, h.citation) for h in ledger.get_licence("HK-1").history]
    assert ("suspended", D(2020, 7, 1), HK_REVOCATION["citation"]) in history
    assert ledger.verify_audit().ok


def test_a_licence_already_revoked_or_expired_is_left_alone(ledger: Ledger) -> None:
    ledger.add_licence(dsp5("HK-R"))
    ledger.set_status("HK-R", "revoked", effective=D(2020, 5, 1), reason="revoked earlier",
                      citation="22 CFR 126.7(a)")
    ledger.add_licence(dsp5("HK-E", valid_from="2016-07-01", valid_to="2020-06-30"))
    result = ledger.apply_policy_event(HK_REVOCATION)
    assert result.affected == []
    assert [h.status for h in ledger.get_licence("HK-R").history] == ["approved", "revoked"]


# -- a licence's balances on a past date --------------------------------------------------
def test_a_licence_as_of_a_past_date_shows_the_balances_of_that_date(ledger: Ledger) -> None:
    """``licences show/list --as-of`` gave the status of that date with today's balances:
    a licence "suspended, $400 left" on a day it still had $900, unlike ``licences report``."""
    ledger.add_licence(dsp5("A", value="1000.00", quantity=10))
    ledger.post_shipment(ship("a1", "A", value="100.00", date="2019-06-01"))
    ledger.post_shipment(ship("a2", "A", value="200.00", date="2019-09-01", quantity=2))
    ledger.post_shipment(ship("a3", "A", value="300.00", date="2020-06-29"))
    ledger.post_shipment(ship("typo", "A", value="50.00", date="2019-06-02"))
    ledger.reverse_shipment("typo", reason="keyed twice", idempotency_key="r-typo")
    day = D(2019, 7, 1)
    for lic in (ledger.get_licence("A", as_of=day), ledger.list_licences(as_of=day)[0]):
        line = lic.lines[0]
        assert (line.shipped_value, line.shipped_quantity) == (100, 1)
        assert (line.remaining_value, line.remaining_quantity) == (900, 9)
    row = ledger.report(as_of=day).rows[0]
    assert row.shipped == 100 and row.remaining == 900
    now = ledger.get_licence("A").lines[0]  # no date: everything drawn so far
    assert (now.shipped_value, now.remaining_value, now.remaining_quantity) == (600, 400, 6)


# -- a licence number two agencies use --------------------------------------------------------
def test_shipments_of_a_number_two_agencies_use_need_the_agency(ledger: Ledger) -> None:
    """``shipments list --licence N`` listed the shipments of both licences numbered N as one
    licence's (its table names no agency), where every other command asks for the agency."""
    ledger.add_licence(dsp5("SAME-1"))
    ledger.add_licence(bis("SAME-1", destination="HK"))
    ledger.post_shipment(ship("ddtc-1", "SAME-1") | {"agency": "DDTC"})
    with pytest.raises(InvalidInput, match="exists for BIS, DDTC: give the agency"):
        ledger.list_shipments(licence_number="SAME-1")
    items, total = ledger.list_shipments(licence_number="SAME-1", agency="ddtc")
    assert [s.idempotency_key for s in items] == ["ddtc-1"] and total == 1
    assert ledger.list_shipments(licence_number="SAME-1", agency="BIS") == ([], 0)


# -- an application returned without action ---------------------------------------------------
def test_a_shipment_on_a_returned_application_is_refused_in_words_without_a_suspension_rule(
        ledger: Ledger) -> None:
    """It quoted "was returned_without_action ... (22 CFR 126.7)": 126.7 and 15 CFR 750.8
    are the agency suspending or revoking a licence, not an application it never approved."""
    ledger.add_licence(dsp5())
    ledger.set_status("DSP5-T-1", "returned_without_action", effective=D(2019, 3, 1),
                      reason="returned without action", citation="DDTC RWA letter")
    with pytest.raises(ShipmentRefused) as refused:
        ledger.post_shipment(ship("rwa"))
    assert refused.value.rule == "licence_returned_without_action"
    message = str(refused.value)
    assert "was returned without action with effect from 2019-03-01" in message
    assert "126.7" not in message and "authorises nothing" in message
