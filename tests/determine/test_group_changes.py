"""Determinations the day before and the day a Country Group change took effect (issue #12
point 1): the answer changes on the rule's effective date, and the trace dates the rows the
change rests on by that rule."""

from __future__ import annotations

from datetime import date

from exportcheck import determine
from exportcheck.models import TransactionFacts
from exportcheck.rules import load_ruleset


def _symbols(item: str, dest: str, on: date, **kw: object) -> list[str]:
    return [e.symbol for e in determine(item, dest, on, value=1000, **kw).license_exceptions]


def test_venezuela_loses_the_group_b_exceptions_on_24_may_2019() -> None:
    """84 FR 24018 moved Venezuela from B to D:1: LVS and GBS (Country Group B) go."""
    assert {"LVS", "GBS"} <= set(_symbols("3A001.a.2", "VE", date(2019, 5, 23)))
    after = determine("3A001.a.2", "VE", date(2019, 5, 24), value=1000)
    assert after.outcome.value == "LICENSE_REQUIRED" and after.license_exceptions == []


def test_venezuela_np2_step_is_dated_by_the_rule() -> None:
    before = determine("2A290", "VE", date(2019, 5, 23))
    after = determine("2A290", "VE", date(2019, 5, 24))
    assert before.outcome.value == "NLR" and after.reasons == ["NP2"]
    step = next(s for s in after.trace if s.fired and "NP2" in s.rule)
    assert step.start_date_known and step.effective_from == date(2019, 5, 24)
    mark = load_ruleset().as_of(date(2019, 5, 24)).chart["VE"]["NP2"]
    assert "84 FR 24018" in (mark.start_citation or "")


def test_uae_sta_only_from_the_a5_bound() -> None:
    """STA (740.20(c)(1), Country Group A:5) is not offered for the UAE before 21 Jun 2026, the
    earliest day its A:5 listing is applied (tools/chart_history.yaml AE A:5)."""
    approved = TransactionFacts(conditions_met=frozenset({"STA"}))  # 740.2(a)(26)
    assert "STA" not in _symbols("3A001.a.2", "AE", date(2026, 6, 20), facts=approved)
    assert "STA" in _symbols("3A001.a.2", "AE", date(2026, 6, 21), facts=approved)
    # ... and only for the approved UAE entities of Supp. No. 8 to Part 740, on the exporter's word
    assert "STA" not in _symbols("3A001.a.2", "AE", date(2026, 6, 21))
