"""Impact's "unusable licence value" counts each line's own remainder (review 17, L3): a line
whose licensed quantity is all shipped has nothing left to lose, and an overshipped line does
not hide another line's balance."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck.impact import impact
from exportcheck.impact.report import render_report
from exportcheck.ledger import Ledger, seed

POLICE = "Hong Kong Police Force"


def test_unusable_value_is_the_sum_of_the_lines_remainders(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger(url)
    parties = [{"role": "applicant", "name": "Acme Arms"},
               {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}]
    ledger.add_licence({
        "agency": "DDTC", "number": "DSP5-L3", "kind": "DSP5", "destination": "HK",
        "valid_from": "2019-03-01", "parties": parties,
        "lines": [{"classification": "I(a)", "quantity": 100, "value": "999900.00"},
                  {"classification": "I(h)", "quantity": 10, "value": "1000.00"},
                  {"classification": "III(a)", "quantity": 10, "value": "500.00"}]})

    def post(key: str, cls: str, qty: int, value: str) -> None:
        ledger.post_shipment({
            "idempotency_key": key, "licence_number": "DSP5-L3", "ship_date": "2019-06-01",
            "destination": "HK", "consignee": POLICE, "end_user": POLICE,
            "lines": [{"classification": cls, "quantity": qty, "value": value}]})

    post("all-units", "I(a)", 100, "100.00")  # quantity exhausted: nothing left
    post("over", "I(h)", 5, "1100.00")  # 10% over its value, within tolerance
    ledger.apply_policy_event(seed.HK_2020_EVENT)
    orders = pl.DataFrame({"order_id": ["A1"], "item": ["EAR99"], "destination": ["DE"],
                           "value": [10.0], "end_user_type": ["civil"]})
    r = impact(orders, date(2020, 6, 29), date(2021, 1, 15), database_url=url)
    lic = r.summary.licences
    assert lic is not None and [x.number for x in lic.rows] == ["DSP5-L3"]
    # only III(a)'s $500 was left (was $1,001,400 approved - $1,200 shipped = $1,000,200)
    assert lic.unusable_value == pytest.approx(500.00, abs=0.001)
    assert lic.rows[0].remaining_value == pytest.approx(500.00, abs=0.001)


def test_a_licence_whose_validity_ends_between_the_dates_is_not_policy_impact(tmp_path) -> None:
    """L15: a BIS licence valid until 2020-12-31 is unusable on 2021-01-15 whatever the rules
    say; it was counted as if the Hong Kong change had cost it. It is now listed apart, while a
    licence suspended by the change is still counted."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    ledger = Ledger(url)
    parties = [{"role": "applicant", "name": "Acme Inc."},
               {"role": "consignee", "name": "Tokyo Optics KK"},
               {"role": "end_user", "name": "Tokyo Optics KK"}]
    ledger.add_licence({
        "agency": "BIS", "number": "D-EXPIRES", "kind": "BIS", "destination": "JP",
        "valid_from": "2017-01-02", "valid_to": "2020-12-31", "parties": parties,
        "lines": [{"classification": "3A001.a.2", "quantity": 10, "value": "8000.00"}]})
    ledger.add_licence({
        "agency": "DDTC", "number": "DSP5-HK-SUSP", "kind": "DSP5", "destination": "HK",
        "valid_from": "2019-03-01", "parties": [
            {"role": "applicant", "name": "Acme Arms"},
            {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}],
        "lines": [{"classification": "I(a)", "quantity": 10, "value": "5000.00"}]})
    ledger.apply_policy_event(seed.HK_2020_EVENT)
    orders = pl.DataFrame({"order_id": ["A1"], "item": ["EAR99"], "destination": ["DE"],
                           "value": [10.0], "end_user_type": ["civil"]})
    result = impact(orders, date(2020, 6, 29), date(2021, 1, 15), database_url=url)
    lic = result.summary.licences
    assert lic is not None
    assert [x.number for x in lic.rows] == ["DSP5-HK-SUSP"] and lic.hit == 1
    assert lic.unusable_value == pytest.approx(5000.00, abs=0.001)
    assert (lic.expired, [x.number for x in lic.expired_rows]) == (1, ["D-EXPIRES"])
    assert lic.expired_value == pytest.approx(8000.00, abs=0.001)
    assert lic.expired_rows[0].cause == "validity ended 2020-12-31 (15 CFR 750.7(g))"
    html = render_report(result.lines, result.summary)
    assert "Not counted: 1 licence (D-EXPIRES) reached the end of its validity" in html
    # both dates inside the validity: nothing expired
    inside = impact(orders, date(2020, 6, 29), date(2020, 12, 31), database_url=url)
    assert inside.summary.licences.expired == 0
