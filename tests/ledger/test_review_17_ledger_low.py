"""Review 17, ledger, LOW findings: the date of a recorded expiry (L1), a retroactive
suspension flags the shipments it now blocks (L2), remaining/available per line with an
exhausted quantity (L3), a file of licences added all or none (L11), unusual licence terms
refused (L14)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from cli_helpers import one_line_error
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError, NotFound
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

Cli = Callable[[list[str]], tuple[int, str, str]]
D = dt.date


def _refusal(ledger: Ledger, spec: dict) -> ShipmentRefused:
    with pytest.raises(ShipmentRefused) as info:
        ledger.post_shipment(spec)
    return info.value


# -- L1: a recorded expiry names its own date ------------------------------------------------
def test_a_recorded_expiry_names_its_date_and_reason(ledger: Ledger) -> None:
    """Was: "expired on 2023-02-28" (valid_to) for an expiry recorded from 2019-10-01."""
    ledger.add_licence(dsp5())  # valid 2019-03-01 to 2023-02-28
    ledger.set_status("DSP5-T-1", "expired", effective=D(2019, 10, 1),
                      reason="all authorised quantity exported (DDTC notice)",
                      citation="22 CFR 123.21(b)")
    exc = _refusal(ledger, ship("after", date="2019-10-02"))
    msg = str(exc)
    assert "with effect from 2019-10-01" in msg and "2019-10-02" in msg, msg
    assert "expired on 2023-02-28" not in msg, msg
    assert "all authorised quantity exported" in msg and "22 CFR 123.21(b)" in msg, msg
    assert exc.rule == "outside_validity"
    assert ledger.post_shipment(ship("before", date="2019-09-30")).created


def test_the_end_of_validity_still_names_valid_to(ledger: Ledger) -> None:
    """An expiry recorded after valid_to does not move the date the licence expired."""
    ledger.add_licence(dsp5())
    assert "expired on 2023-02-28" in str(_refusal(ledger, ship("late", date="2023-03-01")))
    ledger.set_status("DSP5-T-1", "expired", effective=D(2023, 6, 1), reason="noted late",
                      citation="22 CFR 123.21")
    msg = str(_refusal(ledger, ship("later", date="2023-07-01")))
    assert "expired on 2023-02-28" in msg, msg
    row = ledger.report(as_of=D(2023, 7, 1)).rows[0]
    assert (row.status, row.status_since) == ("expired", D(2023, 3, 1))


# -- L2: a retroactive suspension flags the shipments it blocks -------------------------------
def test_a_retroactive_suspension_returns_the_shipments_to_review(ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("s-before", date="2019-05-31", value="100.00"))
    ledger.post_shipment(ship("s-on", date="2019-06-01", value="200.00"))
    ledger.post_shipment(ship("s-after", date="2019-07-01", value="300.00"))
    ledger.post_shipment(ship("s-reversed", date="2019-07-02", value="400.00"))
    ledger.reverse_shipment("s-reversed", reason="keyed twice", idempotency_key="r1")
    out = ledger.set_status("DSP5-T-1", "suspended", effective=D(2019, 6, 1),
                            reason="notice", citation="22 CFR 126.7")
    assert out.status == "suspended"  # recorded, not refused
    assert [(s.idempotency_key, s.ship_date, s.total_value) for s in out.shipments_to_review] \
        == [("s-on", D(2019, 6, 1), Decimal("200.00")),
            ("s-after", D(2019, 7, 1), Decimal("300.00"))]
    entries, _ = ledger.audit_entries(kind="licence.status")
    assert json.loads(entries[0].payload)["shipments_to_review"] == ["s-on", "s-after"]
    assert ledger.verify_audit().ok  # the extra payload key replays
    # a reinstatement flags nothing; a suspension back-dated further flags only what it
    # blocks (s-after comes after the reinstatement of 2019-06-15)
    assert ledger.set_status("DSP5-T-1", "reinstated", effective=D(2019, 6, 15), reason="r",
                             citation="c").shipments_to_review == []
    out = ledger.set_status("DSP5-T-1", "suspended", effective=D(2019, 5, 15), reason="r",
                            citation="22 CFR 126.7")
    assert [s.idempotency_key for s in out.shipments_to_review] == ["s-before", "s-on"]


def test_a_revocation_dated_before_a_reinstatement_stays_final(ledger: Ledger) -> None:
    # recorded last but effective first: the reinstatement (recorded earlier) cannot undo it
    ledger.add_licence(dsp5())
    ledger.set_status("DSP5-T-1", "suspended", effective=D(2019, 6, 1), reason="notice",
                      citation="22 CFR 126.7")
    ledger.set_status("DSP5-T-1", "reinstated", effective=D(2019, 6, 15), reason="lifted",
                      citation="22 CFR 126.7")
    ledger.set_status("DSP5-T-1", "revoked", effective=D(2019, 5, 1), reason="DDTC letter",
                      citation="22 CFR 126.7(a)")
    assert ledger.get_licence("DSP5-T-1", as_of=D(2019, 7, 1)).status == "revoked"
    refused = _refusal(ledger, ship("after-revocation", date="2019-07-01"))
    assert "revoked" in str(refused)
    assert ledger.verify_audit().ok


def test_a_prospective_suspension_flags_nothing(ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("s1", date="2019-05-31"))
    out = ledger.set_status("DSP5-T-1", "suspended", effective=D(2019, 6, 1), reason="r",
                            citation="22 CFR 126.7")
    assert out.shipments_to_review == []
    entries, _ = ledger.audit_entries(kind="licence.status")
    assert "shipments_to_review" not in json.loads(entries[0].payload)


def test_the_cli_warns_per_shipment_to_review(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    led = Ledger(db)
    led.add_licence(dsp5())
    led.post_shipment(ship("INV-1", date="2019-06-02", value="250.00"))
    led.post_shipment(ship("INV-0", date="2019-05-02"))
    code, out, err = cli(["licences", "suspend", "DSP5-T-1", "--effective", "2019-06-01",
                          "--reason", "notice", "--citation", "22 CFR 126.7", "--db", db])
    assert code == 0, err
    review = [ln for ln in out.splitlines() if ln.startswith("review:")]
    assert review == ["review: shipment INV-1 of 2019-06-02 ($250.00) is dated on/after the "
                      "effective date"], out
    assert Ledger(db).get_licence("DSP5-T-1", as_of=D(2019, 6, 2)).status == "suspended"


# -- L3: remaining/available per line ------------------------------------------------------
def _two_lines(ledger: Ledger) -> None:
    ledger.add_licence(dsp5(lines=[
        {"classification": "I(a)", "quantity": 100, "value": "1000000.00"},
        {"classification": "I(h)", "quantity": 10, "value": "1000.00"},
        {"classification": "III(a)", "quantity": 10, "value": "500.00"}]))


def test_an_exhausted_quantity_leaves_nothing_available(ledger: Ledger) -> None:
    """Was: remaining 999900.00 after all 100 units shipped for $100."""
    _two_lines(ledger)
    ledger.post_shipment(ship("all-units", quantity=100, value="100.00"))
    lines = ledger.get_licence("DSP5-T-1").lines
    assert (lines[0].remaining_quantity, lines[0].remaining_value) == (0, Decimal("0.00"))
    assert ledger.report().rows[0].remaining == Decimal("1500.00")  # today: expired
    row = ledger.report(as_of=D(2019, 6, 1)).rows[0]
    assert (row.remaining, row.available) == (Decimal("1500.00"), Decimal("1500.00"))
    assert ledger.report(as_of=D(2019, 5, 31)).rows[0].remaining == Decimal("1001500.00")
    assert sum(ln.remaining_value for ln in ledger.list_licences()[0].lines) \
        == Decimal("1500.00")


def test_an_overshipped_line_does_not_hide_another_lines_balance(ledger: Ledger) -> None:
    """Was: max(0, 1501500 - ...) netted the 10% overshoot of I(h) against III(a)."""
    _two_lines(ledger)
    ledger.post_shipment(ship("over", classification="I(h)", quantity=5, value="1100.00"))
    row = ledger.report(as_of=D(2019, 12, 31)).rows[0]
    assert row.shipped == Decimal("1100.00")
    assert row.remaining == Decimal("1000500.00")  # I(a) 1000000 + I(h) 0 + III(a) 500
    assert ledger.report().rows[0].remaining == Decimal("1000500.00")


def test_the_cli_list_and_report_show_the_line_sums(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    _two_lines(Ledger(db))
    Ledger(db).post_shipment(ship("all-units", quantity=100, value="100.00"))
    code, out, err = cli(["licences", "list", "--db", db])
    assert code == 0 and "$1,500.00" in out and "999,900" not in out, (out, err)
    code, out, _ = cli(["licences", "report", "--db", db, "--json", "--as-of", "2019-07-01"])
    assert json.loads(out)["available"] == "1500.00"


# -- L11: a file of licences is added all or none -----------------------------------------
def test_a_bad_entry_in_a_file_adds_nothing_and_is_named(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    good, bad = dsp5("GOOD-1"), dsp5("BAD-2", destination="XX")
    path = tmp_path / "lics.yaml"
    path.write_text(yaml.safe_dump([good, bad, dsp5("GOOD-3")]), encoding="utf-8")
    one_line_error(cli(["licences", "add", str(path), "--db", f"sqlite:///{db}"]),
                   "entry 2 of 3", "'BAD-2'", "XX")
    if db.exists():
        with sa.create_engine(f"sqlite:///{db}").connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM ledger_licence")).scalar() == 0
    path.write_text(yaml.safe_dump([good, dsp5("GOOD-3")]), encoding="utf-8")
    code, out, err = cli(["licences", "add", str(path), "--db", f"sqlite:///{db}"])
    assert code == 0 and out.count("added:") == 2, (out, err)


def test_a_conflict_found_while_writing_rolls_back_the_whole_list(ledger: Ledger) -> None:
    """The second entry passes validation but conflicts with the ledger: the first is not
    left behind, and the audit trail has no entry for it."""
    ledger.add_licence(dsp5("OLD"))
    before = ledger.audit_entries()[1]
    with pytest.raises(LedgerError, match=r"entry 2 of 2 \(number 'OLD'\).*different terms"):
        ledger.add_licences([dsp5("NEW"), dsp5("OLD", value="5.00")])
    with pytest.raises(NotFound, match="NEW"):
        ledger.get_licence("NEW")
    assert ledger.audit_entries()[1] == before
    out = ledger.add_licences([dsp5("NEW"), dsp5("OLD")])
    assert [(lic.number, created) for lic, created in out] == [("NEW", True), ("OLD", False)]
    assert ledger.verify_audit().ok


def test_an_entry_that_is_no_mapping_is_named(ledger: Ledger) -> None:
    with pytest.raises(InvalidInput, match="entry 1 of 2: invalid licence:"):
        ledger.add_licences(["DSP5-T-1", dsp5()])
    assert ledger.list_licences() == []


# -- L14: unusual licence terms -------------------------------------------------------------
@pytest.mark.parametrize(("line", "needle"), [
    ({"value": "0.00"}, "value must be more than $0.00"),
    ({"value": "0"}, "value must be more than $0.00"),
    ({"quantity": 0}, "quantity must be more than 0"),
])
def test_a_line_authorising_nothing_is_refused(ledger: Ledger, line: dict, needle: str) -> None:
    spec = dsp5()
    spec["lines"] = [spec["lines"][0] | line]
    with pytest.raises(InvalidInput, match=needle.replace("$", r"\$")):
        ledger.add_licence(spec)
    assert ledger.list_licences() == []


@pytest.mark.parametrize(("spec", "needle"), [
    (bis(valid_to="2099-12-31"), "15 CFR 750.7(g)"),
    (bis(valid_to="2025-01-05"), "at most 2025-01-04"),
    (dsp5(valid_to="2023-03-02"), "22 CFR 123.21"),
])
def test_validity_beyond_four_years_is_refused(ledger: Ledger, spec: dict, needle: str) -> None:
    with pytest.raises(InvalidInput, match=r"more than 4 years after valid_from") as info:
        ledger.add_licence(spec)
    assert needle in str(info.value)
    assert ledger.list_licences() == []


@pytest.mark.parametrize("spec", [
    bis(valid_to="2025-01-04"),  # the anniversary itself
    bis(valid_to=None),  # the default: four years less a day
    dsp5(valid_to="2023-03-01"),
    dsp5(valid_from="2020-02-29", valid_to="2024-02-29"),
    dsp5(kind="TAA", valid_to="2029-02-28", lines=[  # an agreement's term is its own
        {"classification": "I(a)", "unit_basis": "value", "value": "1000.00"}]),
])
def test_validity_within_the_rules_is_accepted(ledger: Ledger, spec: dict) -> None:
    lic, created = ledger.add_licence(spec)
    assert created and lic.valid_to >= lic.valid_from
