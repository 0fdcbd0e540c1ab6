"""Shipments: draw-down, tolerances, every refusal rule, idempotency, licence exceptions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import parse
from exportcheck.ledger.schemas import ShipmentIn
from exportcheck.ledger.shipments import ShipmentRefused


def _state(ledger, number="DSP5-T-1"):
    lic = ledger.get_licence(number)
    return [(ln.shipped_quantity, ln.shipped_value) for ln in lic.lines]


def _refused(ledger, spec, rule, match):
    before = _state(ledger, spec["licence_number"])
    with pytest.raises(ShipmentRefused, match=match) as info:
        ledger.post_shipment(spec)
    assert info.value.rule == rule
    assert _state(ledger, spec["licence_number"]) == before  # a refusal changes nothing
    return info.value


def test_draw_down_and_remaining(ledger):
    ledger.add_licence(dsp5())
    out = ledger.post_shipment(ship("s1", quantity=40, value="30000.00"))
    assert out.created and out.total_value == Decimal("30000.00")
    line = ledger.get_licence("DSP5-T-1").lines[0]
    assert (line.remaining_quantity, line.remaining_value) == (60, Decimal("70000.00"))


def test_dsp5_value_tolerance_is_10_percent_and_quantity_has_none(ledger):
    ledger.add_licence(dsp5())  # 100 units, $100,000 -> value cap $110,000 (22 CFR 123.23)
    ledger.post_shipment(ship("a", quantity=50, value="60000.00"))
    err = _refused(ledger, ship("b", quantity=10, value="50000.01"), "value_exceeded",
                   r"22 CFR 123\.23")
    assert "$50,000.00" in str(err)
    ledger.post_shipment(ship("c", quantity=50, value="50000.00"))  # exactly at the cap
    _refused(ledger, ship("d", quantity=0, value="0.01"), "quantity_exhausted",
             r"22 CFR 123\.23")  # a DSP-5: the ITAR's rule, not the EAR's 750.11


def test_quantity_cannot_exceed_the_licence(ledger):
    ledger.add_licence(dsp5())
    _refused(ledger, ship("q", quantity=101, value="1.00"), "quantity_exceeded",
             "remaining quantity 100")


def test_bis_number_items_get_25_percent_value_tolerance(ledger):
    ledger.add_licence(bis())  # 10 units, $10,000 -> cap $12,500 (15 CFR 750.11(b)(2))
    ok = ship("b1", "D123456", classification="0A501.a", quantity=5, value="12500.00",
              destination="GB", consignee="UK Importer Ltd", end_user="UK Importer Ltd",
              date="2022-01-10")
    ledger.post_shipment(ok)
    more = dict(ok, idempotency_key="b2", lines=[{"classification": "0A501.a", "quantity": 1,
                                                  "value": "0.01"}])
    _refused(ledger, more, "value_exceeded", r"750\.11\(b\)\(2\): value tolerance 25%")


def test_bis_dollar_value_items_get_no_tolerance(ledger):
    ledger.add_licence(bis(unit_basis="value", quantity=None))
    base = ship("v1", "D123456", classification="0A501.a", quantity=0, value="10000.01",
                destination="GB", consignee="UK Importer Ltd", end_user="UK Importer Ltd",
                date="2022-01-10")
    _refused(ledger, base, "value_exceeded", r"750\.11\(b\)\(1\): value tolerance 0%")
    ledger.post_shipment(dict(base, lines=[{"classification": "0A501.a", "value": "10000"}]))


def test_units_must_be_whole(ledger):
    ledger.add_licence(dsp5())
    _refused(ledger, ship("f", quantity=0, value="1") | {
        "lines": [{"classification": "I(a)", "quantity": "1.5", "value": "1"}]},
        "fractional_units", "whole units")


@pytest.mark.parametrize("date, rule", [("2019-02-28", "outside_validity"),
                                        ("2023-03-01", "outside_validity")])
def test_outside_validity_dates(ledger, date, rule):
    ledger.add_licence(dsp5())
    _refused(ledger, ship("d", date=date), rule, r"22 CFR 123\.21")


@pytest.mark.parametrize("change, rule", [
    ({"destination": "CN"}, "destination_not_on_licence"),
    ({"consignee": "Someone Else"}, "consignee_not_on_licence"),
    ({"end_user": "PLA"}, "end_user_not_on_licence"),
    ({"classification": "III(a)"}, "item_not_on_licence"),
])
def test_terms_not_on_the_licence_are_refused(ledger, change, rule):
    ledger.add_licence(dsp5())
    _refused(ledger, ship("t", **change), rule, r"22 CFR 123\.(9|25)")


def test_party_names_match_ignoring_case_and_spacing(ledger):
    ledger.add_licence(dsp5())
    assert ledger.post_shipment(ship("p", consignee="  hong kong   POLICE force ")).created


def test_suspension_blocks_shipments_from_its_date_only(ledger):
    ledger.add_licence(dsp5())
    ledger.set_status("DSP5-T-1", "suspended", effective=dt.date(2020, 6, 30),
                      reason="HK", citation="22 CFR 126.7")
    assert ledger.post_shipment(ship("before", date="2020-06-29")).created
    _refused(ledger, ship("on", date="2020-06-30"), "licence_suspended", "suspended")
    ledger.set_status("DSP5-T-1", "revoked", effective=dt.date(2020, 8, 1), reason="HK",
                      citation="22 CFR 126.7")
    _refused(ledger, ship("later", date="2020-08-02"), "licence_revoked", r"126\.7")


def test_refusals_are_audited_without_touching_balances(ledger):
    ledger.add_licence(dsp5())
    with pytest.raises(LedgerError):
        ledger.post_shipment(ship("x", destination="CN"))
    entries = ledger.verify_audit()
    assert entries.ok and entries.checked == 2
    assert ledger.report().shipped == 0


def test_idempotency_key_draws_once(ledger):
    ledger.add_licence(dsp5())
    first = ledger.post_shipment(ship("inv-1", value="5000"))
    second = ledger.post_shipment(ship("inv-1", value="5000.00"))
    assert first.created and not second.created and first.id == second.id
    assert _state(ledger) == [(1, Decimal("5000.00"))]
    with pytest.raises(LedgerError, match="already used for a different shipment"):
        ledger.post_shipment(ship("inv-1", value="6000"))


def test_idempotent_replay_after_suspension_returns_the_original(ledger):
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("inv-2", date="2020-06-01"))
    ledger.set_status("DSP5-T-1", "suspended", effective=dt.date(2020, 6, 2), reason="r",
                      citation="c")
    assert not ledger.post_shipment(ship("inv-2", date="2020-06-01")).created


def test_licence_exception_shipment_is_recorded_not_drawn(ledger):
    out = ledger.post_shipment({
        "idempotency_key": "lvs-1", "licence_exception": "LVS", "ship_date": "2022-05-01",
        "destination": "GB", "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
        "lines": [{"classification": "0A501.x", "quantity": 2, "value": "300"}]})
    assert out.created and out.licence_number is None and out.licence_exception == "LVS"
    assert ledger.list_licences() == []


@pytest.mark.parametrize("spec, message", [
    ({"idempotency_key": "k", "ship_date": "2020-01-01", "destination": "HK",
      "consignee": "a", "end_user": "b", "lines": [{"classification": "I", "value": "1"}]},
     "exactly one of licence_number"),
    (ship("k", value="-1"), "must not be negative"),
    (ship("k") | {"lines": []}, "lines"),
    (ship("k") | {"ship_date": "30/06/2020"}, "ship_date"),
])
def test_bad_shipment_input_is_a_clear_error(ledger, spec, message):
    with pytest.raises(InvalidInput, match=message):
        ledger.post_shipment(spec)


def _exception_spec(key: str, symbol: str) -> dict:
    """An ITAR exemption ships a USML item, an EAR exception an ECCN (the ledger refuses the
    other regime's items)."""
    itar = any(ch.isdigit() for ch in symbol)
    return {"idempotency_key": key, "licence_exception": symbol, "ship_date": "2022-05-01",
            "destination": "GB", "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
            "lines": [{"classification": "I(a)" if itar else "0A501.x", "quantity": 1,
                       "value": "300"}]}


@pytest.mark.parametrize("symbol", ["NOTREAL", "XYZ", "LVS2", "22 CFR 999.1", "123.99"])
def test_unknown_licence_exception_is_refused_listing_valid_ones(symbol):
    with pytest.raises(InvalidInput, match="not a licence exception") as exc:
        parse(ShipmentIn, _exception_spec("x-1", symbol))
    assert "LVS" in str(exc.value) and "NLR" in str(exc.value)
    assert "22 CFR 123.17" in str(exc.value)


@pytest.mark.parametrize("given, stored", [
    ("lvs", "LVS"), (" NLR ", "NLR"), ("TMP", "TMP"), ("22 CFR 123.17", "22 CFR 123.17"),
    ("ITAR 126.4", "22 CFR 126.4"), ("§126.17", "22 CFR 126.17"), ("125.4", "22 CFR 125.4"),
])
def test_part_740_symbols_and_itar_exemptions_are_accepted(given, stored):
    assert parse(ShipmentIn, _exception_spec("ok-1", given)).licence_exception == stored


def test_exception_shipments_are_validated_before_anything_is_written(ledger):
    with pytest.raises(InvalidInput, match="NOTREAL"):
        ledger.post_shipment(_exception_spec("x-1", "NOTREAL"))
    out = ledger.post_shipment(_exception_spec("ok-1", "itar 123.17"))
    assert out.created and out.licence_exception == "22 CFR 123.17"
    with ledger.engine.connect() as c:
        import sqlalchemy as sa

        assert c.execute(sa.text("SELECT licence_exception FROM ledger_shipment")).scalars(
            ).all() == ["22 CFR 123.17"]
    assert ledger.verify_audit().ok


def test_cli_refuses_unknown_exception(db_url, capsys):
    from exportcheck.cli.app import main

    with pytest.raises(SystemExit) as exit_:
        main(["ship", "--exception", "NOTREAL", "--date", "2022-05-01", "--to", "GB",
              "--consignee", "A", "--end-user", "A", "--item", "0A501.x=1@10", "--key", "k",
              "--db", db_url])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and err.startswith("error: ") and "NOTREAL" in err
