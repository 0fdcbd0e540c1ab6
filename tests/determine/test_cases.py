"""Determination cases written from the regulations; each row names its citation."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from exportcheck import determine
from exportcheck.models import TransactionFacts

CASES = list(csv.DictReader((Path(__file__).with_name("cases.csv")).open(encoding="utf-8")))


def _split(cell: str) -> list[str]:
    return [p for p in (cell or "").split("|") if p and p != "-"]


def test_enough_cases() -> None:
    """Issue #12 point 6: at least 150 cited cases, spread over every year 2019-2026."""
    assert len(CASES) >= 160
    assert all(c["citation"].strip() for c in CASES)
    assert len({c["id"] for c in CASES}) == len(CASES)
    assert {int(c["date"][:4]) for c in CASES} >= set(range(2019, 2027))


def _facts(cell: str | None) -> TransactionFacts:
    """``hq=GB;nac=2024-04-01;met=NAC|ACA`` (the inputs of ``check --headquarters`` ...)."""
    kw = dict(p.split("=", 1) for p in (cell or "").split(";") if p)
    return TransactionFacts(
        headquarters=kw.get("hq"),
        nac_notified=date.fromisoformat(kw["nac"]) if "nac" in kw else None,
        conditions_met=frozenset(_split(kw.get("met", ""))),
    )


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(case: dict[str, str]) -> None:
    d = determine(
        case["item"],
        case["destination"],
        date.fromisoformat(case["date"]),
        value=float(case["value"]) if case["value"] else None,
        end_user_type=case["end_user_type"] or "civil",
        end_use=case["end_use"] or None,
        facts=_facts(case.get("facts")),
    )
    why = f"{case['citation']}\n" + "\n".join(
        f"{'X' if s.fired else '-'} {s.rule}: {s.detail}" for s in d.trace
    )
    assert d.outcome.value == case["outcome"], why
    assert (d.agency.value if d.agency else "") == case["agency"], why
    for reason in _split(case["reasons"]):
        assert reason in d.reasons, why
    symbols = [e.symbol for e in d.license_exceptions]
    if case["exceptions"] == "-":
        assert symbols == [], why
    for sym in _split(case["exceptions"]):
        assert sym in symbols, why
    if case["policy"]:
        assert case["policy"].lower() in (d.review_policy or "").lower(), why
    if case["outcome"] == "NLR":
        assert d.reasons == [] and d.review_policy is None
    # the reasons, each with the rule that imposes it and that rule's citation
    assert list(dict.fromkeys(r.reason for r in d.requirements)) == d.reasons, why
    assert all(r.citation.strip() and r.rule for r in d.requirements), d.requirements
    assert all(r.prohibited for r in d.requirements) == (d.outcome.value == "PROHIBITED") or (
        not d.requirements)
