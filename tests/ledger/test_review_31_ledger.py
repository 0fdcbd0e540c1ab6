"""Ledger findings of a licensing specialist's QA pass (review 31): one reinstatement lifted
both an individual suspension and a policy event's; a shipment dated in the future was
recorded and drew the licence down; a shipment naming the licence's intermediate consignee as
its consignee was accepted; ``licences show --as-of`` listed status changes made after that
date.

Every test but the CLI ones runs on SQLite and on PostgreSQL (the ``ledger`` fixture).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cli_helpers import one_line_error
from ledger_helpers import POLICE, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

Cli = Callable[[list[str]], tuple[int, str, str]]
D = dt.date
HK_SUSPENSION = {"key": "us-ddtc-hk-2020-06-30", "action": "suspended",
                 "title": "End of US defence exports to Hong Kong", "effective": "2020-06-30",
                 "citation": "22 CFR 126.7; 85 FR 43413",
                 "filter": {"agency": "DDTC", "destinations": ["HK"]}}


def _suspend(ledger: Ledger, number: str, day: dt.date) -> None:
    ledger.set_status(number, "suspended", effective=day, reason="end-use check pending",
                      citation="22 CFR 126.7(a)(3)")


def _reinstate(ledger: Ledger, number: str, day: dt.date, lifts: str | None = None) -> None:
    named = {"lifts": lifts} if lifts else {}
    ledger.set_status(number, "reinstated", effective=day, reason="end-use check passed",
                      citation="DDTC letter", **named)


# -- suspensions stack: each reinstatement lifts the suspension it answers -------------------
@pytest.mark.parametrize("individual_first", [True, False])
def test_an_individual_reinstatement_leaves_a_policy_suspension_in_force(
        ledger: Ledger, individual_first: bool) -> None:
    """Suspended on its own and by the Hong Kong event, the licence was usable again after one
    reinstatement of its own suspension: the event's suspension (22 CFR 126.7) still stood."""
    ledger.add_licence(dsp5("HK-1"))
    if individual_first:
        _suspend(ledger, "HK-1", D(2020, 6, 1))
        ledger.apply_policy_event(HK_SUSPENSION)
    else:
        ledger.apply_policy_event(HK_SUSPENSION)
        _suspend(ledger, "HK-1", D(2020, 7, 15))
    _reinstate(ledger, "HK-1", D(2020, 8, 1))
    assert ledger.get_licence("HK-1", as_of=D(2020, 9, 1)).status == "suspended"
    with pytest.raises(ShipmentRefused, match=r"suspended with effect from 2020-06-30.*"
                                              r"End of US defence exports.*85 FR 43413"):
        ledger.post_shipment(ship("after", "HK-1", date="2020-09-01"))
    assert ledger.verify_audit().ok


def test_a_reinstatement_naming_the_event_lifts_only_its_suspension(ledger: Ledger) -> None:
    ledger.add_licence(dsp5("HK-1"))
    _suspend(ledger, "HK-1", D(2020, 6, 1))
    ledger.apply_policy_event(HK_SUSPENSION)
    _reinstate(ledger, "HK-1", D(2020, 8, 1), lifts="us-ddtc-hk-2020-06-30")
    with pytest.raises(ShipmentRefused, match=r"suspended with effect from 2020-06-01.*"
                                              r"end-use check pending"):
        ledger.post_shipment(ship("still-own", "HK-1", date="2020-09-01"))
    _reinstate(ledger, "HK-1", D(2020, 10, 1))  # now its own suspension
    assert ledger.get_licence("HK-1", as_of=D(2020, 10, 1)).status == "reinstated"
    assert ledger.post_shipment(ship("free", "HK-1", date="2020-10-02")).created
    assert ledger.verify_audit().ok


def test_a_reinstatement_that_would_lift_nothing_of_its_kind_names_the_event(
        ledger: Ledger) -> None:
    """Only the event's suspension is in force: a reinstatement of the licence's own
    suspension would lift nothing, so it is refused, saying how to lift the event's."""
    ledger.add_licence(dsp5("HK-1"))
    ledger.apply_policy_event(HK_SUSPENSION)
    with pytest.raises(LedgerError, match=r"policy event 'us-ddtc-hk-2020-06-30'.*lifts"):
        _reinstate(ledger, "HK-1", D(2020, 8, 1))
    with pytest.raises(InvalidInput, match="no policy event 'hk-typo'"):
        _reinstate(ledger, "HK-1", D(2020, 8, 1), lifts="hk-typo")
    _suspend(ledger, "HK-1", D(2020, 6, 1))
    with pytest.raises(LedgerError, match=r"us-ddtc-hk-2020-06-30.*nothing would be lifted"):
        # the event's suspension began 2020-06-30: on 2020-06-15 there is none to lift
        _reinstate(ledger, "HK-1", D(2020, 6, 15), lifts="us-ddtc-hk-2020-06-30")
    assert ledger.get_licence("HK-1", as_of=D(2020, 9, 1)).status == "suspended"


def test_cli_reinstatement_lifts_the_event_it_names(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    Ledger(db).add_licence(dsp5("HK-1"))
    event = tmp_path / "hk.yaml"
    event.write_text(yaml.safe_dump(HK_SUSPENSION))
    assert cli(["licences", "policy", str(event), "--db", db])[0] == 0
    base = ["licences", "status", "HK-1", "reinstated", "--effective", "2020-08-01",
            "--reason", "DDTC lifted it for this licence", "--citation", "DDTC letter",
            "--db", db]
    one_line_error(cli(base), "us-ddtc-hk-2020-06-30", "--lifts")
    code, out, err = cli([*base, "--lifts", "us-ddtc-hk-2020-06-30"])
    assert code == 0, err
    assert "lifts us-ddtc-hk-2020-06-30" in out and "status now" in out


# -- a ship date in the future is refused ----------------------------------------------------
def test_a_shipment_dated_after_tomorrow_is_refused_and_draws_nothing(ledger: Ledger) -> None:
    today = dt.date.today()
    ledger.add_licence(dsp5("NOW-1", valid_from=(today - dt.timedelta(days=30)).isoformat()))
    later = today + dt.timedelta(days=2)
    with pytest.raises(InvalidInput, match=rf"ship_date {later}.*future") as err:
        ledger.post_shipment(ship("typo", "NOW-1", date=later.isoformat()))
    assert err.value.field == "ship_date"
    assert ledger.get_licence("NOW-1").lines[0].shipped_value == 0
    # tomorrow is today somewhere (time zones): accepted
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert ledger.post_shipment(ship("tz", "NOW-1", date=tomorrow)).created
    assert ledger.verify_audit().ok


def test_cli_refuses_a_future_ship_date_naming_the_option(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    today = dt.date.today()
    Ledger(db).add_licence(dsp5("NOW-1", valid_from=(today - dt.timedelta(days=30)).isoformat()))
    later = (today.replace(year=today.year + 2)).isoformat()
    code, _, err = cli(["ship", "--db", db, "--licence", "NOW-1", "--date", later, "--to", "HK",
                        "--consignee", POLICE, "--end-user", POLICE, "--item",
                        "I(a)=1@1000.00", "--key", "K1"])
    last = err.strip().splitlines()[-1]  # after the warning that the sample lists screen
    assert code == 2 and last.startswith("error: ") and later in last and "future" in last, err
    assert Ledger(db).list_shipments()[1] == 0


# -- the intermediate consignee is not the consignee -----------------------------------------
FORWARDER = "Pacific Forwarding Pte Ltd"


def test_a_shipment_naming_the_intermediate_consignee_as_consignee_is_refused(
        ledger: Ledger) -> None:
    """15 CFR 748.5(c)/(d): the intermediate consignee takes possession only to pass the items
    on to the ultimate consignee the licence names; a shipment to it as consignee delivers to
    a party the licence does not authorise to receive them (15 CFR 30.6(a)(3))."""
    parties = [{"role": "applicant", "name": "Acme Arms"},
               {"role": "intermediate_consignee", "name": FORWARDER},
               {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}]
    ledger.add_licence(dsp5("IC-1", parties=parties))
    with pytest.raises(ShipmentRefused, match=rf"'{FORWARDER}' is its intermediate consignee"
                                              r".*'Hong Kong Police Force'") as err:
        ledger.post_shipment(ship("to-forwarder", "IC-1", consignee=FORWARDER))
    assert err.value.rule == "consignee_not_on_licence"
    assert ledger.post_shipment(ship("to-police", "IC-1")).created  # via the forwarder: fine


# -- licences show --as-of: the history of that day ------------------------------------------
def test_a_licence_as_of_a_date_lists_the_status_changes_up_to_it(ledger: Ledger) -> None:
    ledger.add_licence(dsp5("HK-1"))
    ledger.apply_policy_event(HK_SUSPENSION)
    then = ledger.get_licence("HK-1", as_of=D(2020, 6, 29))
    assert [h.status for h in then.history] == ["approved"]
    assert [h.status for h in ledger.get_licence("HK-1", as_of=D(2020, 6, 30)).history] == [
        "approved", "suspended"]
    assert [h.status for h in ledger.list_licences(as_of=D(2020, 6, 29))[0].history] == [
        "approved"]
    assert len(ledger.get_licence("HK-1").history) == 2


def test_cli_show_as_of_prints_the_history_of_that_day(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    ledger = Ledger(db)
    ledger.add_licence(dsp5("HK-1"))
    ledger.apply_policy_event(HK_SUSPENSION)
    code, out, err = cli(["licences", "show", "HK-1", "--db", db, "--as-of", "2020-06-01"])
    assert code == 0, err
    assert "2019-03-01" in out and "2020-06-30" not in out
