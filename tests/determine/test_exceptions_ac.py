"""The licence exceptions that depend on facts an order line does not carry (issue #12 point 2):
how the facts are given, what is assumed when they are not, and what the trace says."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from exportcheck import determine
from exportcheck.determine.exceptions import LIST_BASED
from exportcheck.determine.exceptions_ac import check_facts
from exportcheck.errors import InvalidInput
from exportcheck.models import Determination, EndUserType, TransactionFacts
from exportcheck.rules.ruleset import load_ruleset

JUNE_2024 = date(2024, 6, 1)
JUNE_2025 = date(2025, 6, 1)


def _step(d: Determination, symbol: str):
    return next(s for s in d.trace if s.rule.startswith(f"License Exception {symbol} (7"))


def test_facts_are_normalised() -> None:
    snap = load_ruleset().as_of(JUNE_2024)
    facts = check_facts(TransactionFacts(headquarters=" gb ", conditions_met={"aia", " hbm"}), snap)
    assert facts.headquarters == "GB"
    assert facts.conditions_met == {"AIA", "HBM"}
    assert check_facts(None, snap) == TransactionFacts()


@pytest.mark.parametrize(
    "facts, message",
    [
        (TransactionFacts(headquarters="XX"), "unknown headquarters country 'XX'"),
        (TransactionFacts(headquarters="Germany"), "ISO 3166-1 alpha-2"),
        (TransactionFacts(conditions_met={"NAC", "FOO"}), "unknown licence exception(s) FOO"),
    ],
)
def test_bad_facts_are_refused(facts: TransactionFacts, message: str) -> None:
    """A typo must fail loudly, not quietly withhold an exception."""
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        determine("3A090.a", "CN", JUNE_2024, facts=facts)


def test_missing_notification_is_assumed_not_made() -> None:
    d = determine("3A090.a", "CN", JUNE_2024, facts=TransactionFacts(conditions_met={"NAC"}))
    assert d.outcome.value == "LICENSE_REQUIRED" and d.license_exceptions == []
    step = _step(d, "NAC")
    assert not step.fired
    assert step.detail.startswith("available if:")
    assert "notification not stated - assumed not made" in step.detail
    assert [(w.exception, w.fact) for w in d.facts_wanted] == [("NAC", "nac_notified")]


def test_notification_waits_for_the_objection_period() -> None:
    facts = TransactionFacts(nac_notified=date(2024, 5, 20), conditions_met={"NAC"})
    step = _step(determine("3A090.a", "CN", JUNE_2024, facts=facts), "NAC")
    assert not step.fired and "not before 2024-06-14" in step.detail
    late = TransactionFacts(nac_notified=date(2024, 6, 2), conditions_met={"NAC"})
    step = _step(determine("3A090.a", "CN", JUNE_2024, facts=late), "NAC")
    assert "after the export date" in step.detail


def test_nac_states_what_it_relied_on() -> None:
    facts = TransactionFacts(nac_notified=date(2024, 4, 1), conditions_met={"NAC"})
    d = determine("3A090.a", "CN", JUNE_2024, facts=facts)
    (option,) = d.license_exceptions
    assert option.symbol == "NAC" and "740.8" in option.citation
    assert "notification to BIS of 2024-04-01" in option.conditions
    assert "confirmed by the exporter (conditions met: NAC)" in option.conditions
    assert d.facts_wanted == []


def test_nac_reaches_a_d5_headquartered_entity_wherever_located() -> None:
    """Germany is no NAC destination, but a Chinese-owned entity there is (740.8, 89 FR 23876)."""
    base = dict(nac_notified=date(2025, 4, 1), conditions_met={"NAC"})
    owned = determine("3A090.a", "DE", JUNE_2025, facts=TransactionFacts(headquarters="CN", **base))
    assert "NAC" in [e.symbol for e in owned.license_exceptions]
    local = determine("3A090.a", "DE", JUNE_2025, facts=TransactionFacts(headquarters="DE", **base))
    assert "NAC" not in [e.symbol for e in local.license_exceptions]
    d = determine("3A090.a", "DE", JUNE_2025, facts=TransactionFacts(**base))
    assert "(headquarters not stated)" in _step(d, "NAC").detail
    (wanted,) = [w for w in d.facts_wanted if w.exception == "NAC"]
    assert wanted.fact == "headquarters"
    assert "headquartered in Macau or Country Group D:5" in wanted.condition


def test_missing_headquarters_is_not_assumed_favourably() -> None:
    d = determine("3A090.a", "SA", JUNE_2024, facts=TransactionFacts(conditions_met={"ACA"}))
    assert d.license_exceptions == []
    step = _step(d, "ACA")
    assert "headquarters not stated - assumed possibly there" in step.detail
    assert [w.fact for w in d.facts_wanted if w.exception == "ACA"] == ["headquarters"]
    facts = TransactionFacts(conditions_met={"AIA"})
    aia = _step(determine("3A090.a", "DE", JUNE_2025, facts=facts), "AIA")
    assert "headquarters not stated - assumed outside" in aia.detail


def test_unconfirmed_conditions_are_listed_with_the_option_to_give() -> None:
    d = determine("3A090.c", "CN", date(2025, 2, 1))
    step = _step(d, "HBM")
    assert not step.fired
    assert "not confirmed - assumed not met" in step.detail
    (hbm,) = [w for w in d.facts_wanted if w.exception == "HBM"]
    assert hbm.fact == "conditions_met" and hbm.condition.startswith("the exporter confirms: ")
    assert "89 FR 96790" in step.citation and step.effective_from == date(2024, 12, 2)


def test_confirming_one_exception_does_not_open_another() -> None:
    d = determine("3A090.c", "CN", date(2025, 2, 1), facts=TransactionFacts(conditions_met={"AIA"}))
    assert d.outcome.value == "LICENSE_REQUIRED"


def test_ace_needs_no_confirmation_outside_country_group_d() -> None:
    d = determine("5A001.j", "BR", JUNE_2024)
    assert "ACE" in [e.symbol for e in d.license_exceptions]
    gov = determine("5A001.j", "CN", JUNE_2024, end_user_type=EndUserType.GOVERNMENT,
                    facts=TransactionFacts(conditions_met={"ACE"}))  # fmt: skip
    assert "government end user in Country Group D:1" in _step(gov, "ACE").detail


def test_unparsed_entry_grant_is_part_of_what_the_user_confirms() -> None:
    """4D001's APP grant ('to specific countries') was not read into paragraphs. (India: its
    CC line, applied in full, would bar APP under 740.2(a)(4) where CC Column 1 reaches.)"""
    step = _step(determine("4D001.a", "IN", JUNE_2024), "APP")
    assert "the item is within what 4D001 grants" in step.detail


def test_every_exception_the_entries_name_is_evaluated() -> None:
    """The 'not evaluated by exportcheck' path is gone for every symbol the 2026 CCL names."""
    rs = load_ruleset()
    history = rs.as_of(JUNE_2025).exception_history
    named = {sym for e in rs.rows("ccl") for sym, g in e.exceptions.items() if g.eligible != "no"}
    assert named - set(LIST_BASED) - set(history) == set()
    d = determine("4A003.z.1.a", "DE", JUNE_2025)
    assert not any("not evaluated" in s.detail for s in d.trace)


def test_every_exception_row_is_cited_and_sectioned() -> None:
    rows = [r for r in load_ruleset().rows("licence_exceptions") if r.section]
    symbols = {"APP", "NAC", "ACA", "ACE", "IEC", "HBM", "AIA", "ACM", "LPP"}
    assert {r.symbol for r in rows} == symbols
    assert all(r.citation.startswith(f"15 CFR {r.section}") for r in rows)
    # unverified facts are marked as such, by the project's convention
    assert all("[src" in (r.note or "") or "UNSURE" in (r.note or "") for r in rows)


def test_cli_check_takes_the_facts() -> None:
    from exportcheck.cli import determine_cmds

    app = typer.Typer()
    determine_cmds.register(app)
    args = ["check", "--item", "3A090.a", "--to", "CN", "--on", "2024-06-01", "--no-screen",
            "--json", "--nac-notified", "2024-04-01", "--conditions-met", "nac,ACA"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    assert d["outcome"] == "EXCEPTION_AVAILABLE"
    assert [e["symbol"] for e in d["license_exceptions"]] == ["NAC"]


def test_cli_check_names_the_options_that_give_the_wanted_facts() -> None:
    """The engine names the facts; the command line says which option gives each."""
    from exportcheck.cli import determine_cmds

    app = typer.Typer()
    determine_cmds.register(app)
    args = ["check", "--item", "3A090.a", "--to", "CN", "--on", "2024-06-01", "--no-screen"]
    out = CliRunner().invoke(app, args)
    assert out.exit_code == 0, out.output
    text = " ".join(out.output.replace("│", " ").split())  # the table's cells, unwrapped
    assert ("fact wanted NAC: give --nac-notified DATE: a notification was made to BIS "
            "(740.8(a)(2))") in text, text
    assert "fact wanted NAC: give --conditions-met NAC: the exporter confirms: the item" in text
    given = CliRunner().invoke(app, [*args, "--nac-notified", "2024-04-01", "--conditions-met",
                                     "NAC"])
    assert "EXCEPTION_AVAILABLE" in given.output and "fact wanted" not in given.output


def test_web_request_carries_the_facts() -> None:
    from exportcheck.web.schemas import DeterminationRequest

    req = DeterminationRequest.model_validate({
        "item": "3A090.a", "destination": "SA", "date": "2024-06-01",
        "facts": {"headquarters": "SA", "conditions_met": ["ACA"]},
    })
    d = determine(req.item, req.destination, req.date, facts=req.facts)
    assert [e.symbol for e in d.license_exceptions] == ["ACA"]
