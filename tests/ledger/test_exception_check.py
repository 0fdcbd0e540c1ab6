"""A shipment under a licence exception is checked against the determination of each line
(not only its regime): refused, audited, when the exception is not available; accepted with
the conditions it is offered under; an officer's override is recorded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa

from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import Ledger, parse
from exportcheck.ledger.exception_check import ExceptionRefused, check_exception
from exportcheck.ledger.schemas import ShipmentIn
from exportcheck.rules import load_ruleset


def _spec(key: str, symbol: str, item: str, to: str, on: str, value: str = "100.00",
          *more: tuple[str, str]) -> dict:
    lines = [{"classification": c, "quantity": 1, "value": v} for c, v in ((item, value), *more)]
    return {"idempotency_key": key, "licence_exception": symbol, "ship_date": on,
            "destination": to, "consignee": "Consignee Ltd", "end_user": "End User Ltd",
            "lines": lines}


def _count(ledger: Ledger, table: str) -> int:
    with ledger.engine.connect() as c:
        return c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def _payload(ledger: Ledger, seq: int) -> dict:
    with ledger.engine.connect() as c:
        return json.loads(c.execute(sa.text("SELECT payload FROM audit_log WHERE seq = :s"),
                                    {"s": seq}).scalar_one())


def _refused(ledger: Ledger, spec: dict, *, override: str | None = None) -> ExceptionRefused:
    before = _count(ledger, "ledger_shipment")
    with pytest.raises(ExceptionRefused) as info:
        ledger.post_shipment(spec, override_reason=override)
    assert _count(ledger, "ledger_shipment") == before  # nothing recorded
    entry, = ledger.audit_entries(kind="shipment.refused", limit=1)[0]
    payload = json.loads(entry.payload)
    assert payload["rule"] == info.value.rule and payload["reason"] == str(info.value)
    assert payload["determination"] == info.value.determination
    assert "\n" not in str(info.value)
    return info.value


def test_lvs_to_iran_is_refused_naming_line_exception_outcome_and_rule(ledger: Ledger) -> None:
    exc = _refused(ledger, _spec("ir-1", "LVS", "3A001.a.2", "IR", "2024-06-01"))
    assert str(exc).startswith("line 1 (3A001.a.2): LVS is not available to IR on 2024-06-01: "
                               "LICENSE_REQUIRED (15 CFR 746.7")
    assert exc.rule == "exception_not_available"
    assert exc.determination[0]["outcome"] == "LICENSE_REQUIRED"
    assert exc.determination[0]["rule_base"] == load_ruleset().version
    assert ledger.verify_audit().ok


def test_an_offered_exception_is_recorded_with_its_conditions(ledger: Ledger) -> None:
    out = ledger.post_shipment(_spec("gb-1", "LVS", "0A501.x", "GB", "2022-05-01", "300.00"))
    assert out.created and out.override_reason is None
    line, = out.determination
    assert (line["outcome"], line["exception"]["symbol"], line["exception"]["citation"]) == (
        "EXCEPTION_AVAILABLE", "LVS", "15 CFR 740.3")
    assert "LVS limit $500" in line["exception"]["conditions"]
    assert _payload(ledger, out.audit_seq)["determination"] == out.determination
    enc = ledger.post_shipment(_spec("gb-2", "ENC", "5A002.a", "GB", "2024-06-01"))
    assert "740.17" in enc.determination[0]["exception"]["conditions"]
    assert ledger.verify_audit().ok


def test_lvs_above_its_limit_is_refused_and_lines_of_one_entry_count_together(
        ledger: Ledger) -> None:
    exc = _refused(ledger, _spec("gb-1", "LVS", "0A501.x", "GB", "2022-05-01", "600.00"))
    assert "exceeds the LVS limit $500" in str(exc)
    # two lines of 0A501 within the limit each, $600 together: one shipment of the entry
    exc = _refused(ledger, _spec("gb-2", "LVS", "0A501.x", "GB", "2022-05-01", "300.00",
                                 ("0A501.y", "300.00")))
    assert str(exc).startswith("line 1 (0A501.x)") and "$600" in str(exc)
    assert [d["value"] for d in exc.determination] == ["600.00", "600.00"]


@pytest.mark.parametrize(("symbol", "item", "to", "on", "rule"), [
    ("NLR", "0A501.x", "GB", "2022-05-01", "licence_required"),  # LVS would do, not NLR
    ("NLR", "EAR99", "IR", "2024-06-01", "licence_required"),
    ("GBS", "0A501.x", "GB", "2022-05-01", "exception_not_available"),
    ("LVS", "0A501.x", "HK", "2020-07-01", "exception_not_available"),  # 740.2(a)(23)
    ("TMP", "5A002.a", "GB", "2024-06-01", "exception_not_available"),  # not modelled
])
def test_an_exception_the_determination_does_not_offer_is_refused(
        ledger: Ledger, symbol: str, item: str, to: str, on: str, rule: str) -> None:
    exc = _refused(ledger, _spec("k", symbol, item, to, on))
    assert exc.rule == rule and str(exc).startswith(f"line 1 ({item}): ")
    assert symbol in str(exc) and to in str(exc) and on in str(exc)


def test_hong_kong_after_740_2_a_23_says_why(ledger: Ledger) -> None:
    exc = _refused(ledger, _spec("hk", "LVS", "0A501.x", "HK", "2020-07-01"))
    assert "740.2(a)(23)" in str(exc)


@pytest.mark.parametrize(("symbol", "item", "to", "on"), [
    ("NLR", "EAR99", "DE", "2024-03-01"),
    ("LVS", "3A001.a.2", "DE", "2024-06-01"),  # no licence needed: LVS is not needed either
])
def test_where_no_licence_is_required_the_shipment_is_recorded(
        ledger: Ledger, symbol: str, item: str, to: str, on: str) -> None:
    out = ledger.post_shipment(_spec("k", symbol, item, to, on))
    line, = out.determination
    assert line["outcome"] == "NLR" and line["note"].startswith("no licence required")


@pytest.mark.parametrize(("to", "on", "accepted"), [
    ("GB", "2022-05-01", True),
    ("HK", "2019-06-01", True),
    ("HK", "2020-07-01", False),  # 22 CFR 126.1(d)(1) from 30 June 2020
    ("IR", "2024-06-01", False),
    ("ET", "2021-10-31", True),
    ("ET", "2022-01-01", False),  # 22 CFR 126.1(n) from 1 Nov 2021 (86 FR 60165)
])
def test_an_itar_exemption_is_refused_only_where_126_1_bars_it(
        ledger: Ledger, to: str, on: str, accepted: bool) -> None:
    spec = _spec("k", "22 CFR 123.17", "I(a)", to, on)
    if accepted:
        line, = ledger.post_shipment(spec).determination
        assert line["outcome"] == "LICENSE_REQUIRED" and "does not check" in line["note"]
        return
    exc = _refused(ledger, spec)
    assert exc.rule == "exemption_not_available"
    assert "22 CFR 126.1" in str(exc) and "ITAR exemptions are not available" in str(exc)


def test_an_override_posts_a_refused_exception_and_is_recorded(ledger: Ledger) -> None:
    spec = _spec("ir-1", "LVS", "3A001.a.2", "IR", "2024-06-01")
    refusal = str(_refused(ledger, spec))
    out = ledger.post_shipment(spec, override_reason="  OFAC specific licence IA-2024-7 ")
    assert out.created and out.override_reason == "OFAC specific licence IA-2024-7"
    payload = _payload(ledger, out.audit_seq)
    assert payload["override"] == {"reason": "OFAC specific licence IA-2024-7",
                                   "overrode": [refusal]}
    # a replay of the key answers the first post, override or not
    again = ledger.post_shipment(spec)
    assert not again.created and again.id == out.id
    assert ledger.verify_audit().ok


@pytest.mark.parametrize(("spec", "reason", "message"), [
    (_spec("k", "LVS", "3A001.a.2", "IR", "2024-06-01"), " ", "override_reason is empty"),
    ({"idempotency_key": "k", "licence_number": "L-1", "ship_date": "2024-06-01",
      "destination": "GB", "consignee": "c", "end_user": "e",
      "lines": [{"classification": "0A501.x", "quantity": 1, "value": "1"}]},
     "ruling", "applies to a shipment under a licence exception"),
])
def test_a_bad_override_is_a_clear_error(ledger: Ledger, spec: dict, reason: str,
                                         message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ledger.post_shipment(spec, override_reason=reason)
    assert _count(ledger, "audit_log") == 0


def test_a_line_the_rule_base_cannot_determine_is_refused_unless_overridden(
        ledger: Ledger) -> None:
    spec = _spec("k", "LVS", "3A001.a.2", "GB", "2018-06-01")  # before the rule base starts
    exc = _refused(ledger, spec)
    assert exc.rule == "exception_unchecked" and "cannot be checked" in str(exc)
    assert ledger.post_shipment(spec, override_reason="classification ruling G-1").created


def test_prohibited_is_refused_even_with_an_override(tmp_path: Path) -> None:
    """PROHIBITED comes from certain party hits, which this check does not screen, or an
    embargo row that prohibits: one is layered over the bundled rules here."""
    from exportcheck.rules import ruleset as module

    shutil.copy(Path(module.__file__).parent / "data" / "embargoes.yaml", tmp_path)
    text = (tmp_path / "embargoes.yaml").read_text()
    head, sep, tail = text.partition('id: "746.7 Iran (EAR)"')
    (tmp_path / "embargoes.yaml").write_text(
        head + sep + tail.replace("ccl: license_required", "ccl: prohibited", 1))
    spec = parse(ShipmentIn, _spec("k", "LVS", "3A001.a.2", "IR", "2024-06-01"))
    checked = check_exception(spec, ruleset=load_ruleset(tmp_path))
    assert checked.lines[0]["outcome"] == "PROHIBITED"
    with pytest.raises(ExceptionRefused, match=r"PROHIBITED .*override does not lift") as info:
        checked.refuse("an advisory opinion")
    assert info.value.rule == "prohibited"


def test_without_a_screener_the_check_screens_no_party(ledger: Ledger,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The Python API screens the parties only when given a screener: no list is loaded
    otherwise, and the record says the parties were not screened."""
    import exportcheck.screen.service as service

    def no_lists(*_a: object, **_k: object) -> None:
        raise AssertionError("the exception check loaded the screening lists")

    monkeypatch.setattr(service, "default_screener", no_lists)
    spec = _spec("k", "LVS", "0A501.x", "GB", "2022-05-01", "300.00")
    spec["end_user"] = "Hong Kong Police Force"  # a police force: no MEU rule for GB
    out = ledger.post_shipment(spec)
    assert out.created and out.determination[0]["parties_screened"] is False


def test_cli_ship_override_reason(cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    args = ["ship", "--db", db, "--exception", "LVS", "--date", "2024-06-01", "--to", "IR",
            "--consignee", "C", "--end-user", "E", "--item", "3A001.a.2=1@100.00", "--key", "k"]
    code, _, err = cli(args)
    # the parties are screened: with no list loaded, against the samples, and it says so
    warning, error = err.splitlines()
    assert warning.startswith("warning: screened against the bundled SAMPLE lists")
    assert code == 3 and error.startswith("error: line 1 (3A001.a.2): LVS is not available")
    code, out, _ = cli([*args, "--override-reason", "OFAC licence IA-1"])
    assert code == 0 and "shipment k recorded" in out
    assert "line 1 (3A001.a.2): LICENSE_REQUIRED" in out and "OFAC licence IA-1" in out
    code, out, _ = cli(["ship", "--db", db, "--exception", "LVS", "--date", "2022-05-01",
                        "--to", "GB", "--consignee", "C", "--end-user", "E",
                        "--item", "0A501.x=1@300.00", "--key", "k2"])
    assert code == 0 and "LVS (15 CFR 740.3): value $300 within LVS limit $500" in out


@pytest.mark.parametrize(("section", "to", "refused"), [
    ("126.5", "CA", False), ("126.5", "DE", True),
    ("126.17", "GB", False), ("126.17", "AU", True),
    ("126.16", "AU", False), ("126.16", "GB", True),
    ("126.4", "DE", False),  # no destination of its own: only 126.1 bars it
])
def test_an_itar_exemption_bound_to_a_country_serves_that_country_only(
        section: str, to: str, refused: bool) -> None:
    spec = parse(ShipmentIn, _spec("k", section, "USML:XI(a)(3)", to, "2024-06-01"))
    checked = check_exception(spec)
    if refused:
        (message, rule), = checked.refusals
        assert rule == "exemption_not_available"
        row = next(r for r in load_ruleset().rows("itar_exemptions") if r.section == section)
        assert f"{row.citation} ({row.title}) serves exports to {row.destinations[0]} only" in (
            message)
    else:
        assert checked.refusals == []
        note = checked.lines[0]["note"]
        assert "not barred by 22 CFR 126.1" in note and "other conditions" in note
        assert (f"{to} is a destination it serves" in note) == (section != "126.4")


@pytest.mark.parametrize(("section", "to", "on", "paragraphs"), [
    ("126.4", "IQ", "2024-06-01", "126.4(a)(1), (a)(3), (b)(1)"),  # a 126.1(d)(2) country
    ("126.6", "CN", "2025-01-01", "126.6"),
    ("126.6", "HK", "2020-07-01", "126.6"),  # China's entry from 30 June 2020
    ("126.4", "RU", "2022-01-01", "126.4(a)(2), (b)(2)"),  # government space cooperation
])
def test_the_exemptions_126_1_a_names_serve_a_proscribed_destination(
        section: str, to: str, on: str, paragraphs: str) -> None:
    """22 CFR 126.1(a): the exemptions do not apply to a proscribed destination "except that
    the following exemptions may be utilized": 126.6, and transfers by or for the U.S.
    Government under 126.4(a)(1), (a)(3) or (b)(1) ((a)(2) or (b)(2) for Russia's government
    space cooperation). 77 FR 76864 (31 Dec 2012) opened 126.4 and 126.6 to them."""
    spec = parse(ShipmentIn, _spec("k", section, "USML:XI(a)(3)", to, on))
    checked = check_exception(spec)
    assert checked.refusals == []
    note = checked.lines[0]["note"]
    assert checked.lines[0]["outcome"] == "LICENSE_REQUIRED"
    assert "22 CFR 126.1(a)" in note and paragraphs in note and "other conditions" in note


@pytest.mark.parametrize(("section", "to", "on"), [
    ("126.4", "RU", "2021-03-17"),  # not yet a 126.1 destination: nothing to except
    ("126.5", "CN", "2025-01-01"),  # Canada only, and 126.1(a) does not name it
])
def test_other_exemptions_stay_refused_at_a_proscribed_destination(
        section: str, to: str, on: str) -> None:
    checked = check_exception(parse(ShipmentIn, _spec("k", section, "USML:XI(a)(3)", to, on)))
    if to == "RU":
        assert checked.refusals == [] and "126.1(a)" not in checked.lines[0]["note"]
        return
    (message, rule), = checked.refusals
    assert rule == "exemption_not_available" and "ITAR exemptions are not available" in message


def test_an_itar_exemption_before_it_came_into_force_is_refused(tmp_path: Path) -> None:
    """The dates are the rule base's: a layered itar.yaml moving the UK Treaty's start to
    2024-07-01 refuses 126.17 on 2024-06-01, naming the start and its source."""
    from exportcheck.rules import ruleset as module

    shutil.copy(Path(module.__file__).parent / "data" / "itar.yaml", tmp_path)
    text = (tmp_path / "itar.yaml").read_text()
    assert "effective_from: 2012-04-13" in text
    (tmp_path / "itar.yaml").write_text(text.replace("effective_from: 2012-04-13",
                                                     "effective_from: 2024-07-01"))
    spec = parse(ShipmentIn, _spec("k", "126.17", "USML:XI(a)(3)", "GB", "2024-06-01"))
    (message, rule), = check_exception(spec, ruleset=load_ruleset(tmp_path)).refusals
    assert rule == "exemption_not_available"
    assert "US-UK Defense Trade Cooperation Treaty is not in force on 2024-06-01 (from " \
           "2024-07-01: 77 FR 33089" in message


@pytest.mark.parametrize(("to", "on", "refusal"), [
    ("AU", "2024-09-01", None),
    ("GB", "2025-01-01", None),
    ("CA", "2025-01-01", "serves exports to AU, GB only"),
    ("AU", "2024-08-31", "is not in force on 2024-08-31 (from 2024-09-01: 89 FR 67270"),
    ("CN", "2025-01-01", "ITAR exemptions are not available"),
])
def test_the_aukus_exemption_serves_australia_and_the_uk_from_1_september_2024(
        to: str, on: str, refusal: str | None) -> None:
    """22 CFR 126.7 (89 FR 67270, effective 1 Sep 2024): to or within Australia, the UK or the
    United States (126.7(b)(1)); never to a 126.1 destination."""
    spec = parse(ShipmentIn, _spec("k", "ITAR 126.7", "USML:XI(a)(3)", to, on))
    assert spec.licence_exception == "22 CFR 126.7"
    checked = check_exception(spec)
    if refusal is None:
        assert checked.refusals == []
        assert f"{to} is a destination it serves" in checked.lines[0]["note"]
        return
    (message, rule), = checked.refusals
    assert rule == "exemption_not_available" and refusal in message
