"""Review 34: advanced-computing determinations checked against the law, 2022-2026.

The AI diffusion rule (90 FR 4544, 15 Jan 2025) took effect on 13 Jan 2025, but its DATES gave
exporters until 15 May 2025 (120 days from publication) to comply with its changes (BIS, "Public
Information for Framework for Artificial Intelligence Diffusion", bis.gov/advanced-compute-
resources; Akin Gump, 14 Jan 2025: "a May 15, 2025 compliance date"). Until then the
destinations of 88 FR 73458 governed the .a tier: 3A090.a to Germany in February 2025 needed no
licence, where exportcheck answered LICENSE_REQUIRED from 13 Jan 2025.
"""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine
from exportcheck.models import Determination, TransactionFacts

BEFORE_COMPLIANCE = date(2025, 2, 1)
COMPLIANCE = date(2025, 5, 15)


def _step(d: Determination, start: str):
    (step,) = [st for st in d.trace if st.rule.startswith(start)]
    return step


@pytest.mark.parametrize("item", ["3A090.a", "4A090.a", "3A001.z.4.a", "5A992.z.1"])
def test_the_worldwide_tier_binds_from_the_compliance_date(item: str) -> None:
    """Germany and the UK are outside the 2023 set (A:5): no licence until 15 May 2025."""
    for dest in ("DE", "GB"):
        before = determine(item, dest, BEFORE_COMPLIANCE, facts=TransactionFacts(headquarters=dest))
        assert before.outcome.value == "NLR", (item, dest)
        after = determine(item, dest, COMPLIANCE, facts=TransactionFacts(headquarters=dest))
        assert after.outcome.value == "LICENSE_REQUIRED" and "RS" in after.reasons, (item, dest)


def test_before_the_compliance_date_the_2023_set_and_the_headquarters_reach_still_bind() -> None:
    assert determine("3A090.a", "SA", BEFORE_COMPLIANCE).outcome.value == "LICENSE_REQUIRED"
    assert determine("3A090.a", "CN", BEFORE_COMPLIANCE).outcome.value == "LICENSE_REQUIRED"
    owned = determine("3A090.a", "MY", BEFORE_COMPLIANCE,
                      facts=TransactionFacts(headquarters="CN"))
    assert owned.outcome.value == "LICENSE_REQUIRED"
    assert "744.23(a)(3)(i)" in owned.requirements[0].citation
    step = _step(determine("3A090.a", "DE", BEFORE_COMPLIANCE), "3A090 RS -> rs_ai_worldwide")
    assert not step.fired
    assert "90 FR 4544" in step.citation and "15 May 2025" in step.citation


def test_ai_model_weights_need_the_licence_from_the_compliance_date() -> None:
    before = determine("4E091", "DE", BEFORE_COMPLIANCE)
    assert before.outcome.value == "NLR"
    step = _step(before, "4E091 RS -> rs_worldwide_742_6a13")  # says why, not "not in force"
    assert not step.fired and "15 May 2025" in step.citation
    assert determine("4E091", "DE", COMPLIANCE).outcome.value == "LICENSE_REQUIRED"


def test_the_non_enforcement_note_is_written_only_beside_the_requirement_it_qualifies() -> None:
    """BIS announced non-enforcement on 13 May 2025, two days before the compliance date: the
    note says the worldwide requirement "is reported above", which it is only from 15 May."""
    may13 = determine("3A090.a", "DE", date(2025, 5, 13))
    assert may13.outcome.value == "NLR"
    assert not [st for st in may13.trace if st.rule.startswith("AI diffusion rule not enforced")]
    june = determine("3A090.a", "DE", date(2025, 6, 1))
    assert june.outcome.value == "LICENSE_REQUIRED"
    assert "13 May 2025" in _step(june, "AI diffusion rule not enforced").detail


@pytest.mark.parametrize(("dest", "on", "window", "words"), [
    ("GB", date(2024, 6, 1), "2023-11-17 to 2025-01-12", "Macau or Country Groups D:1, D:4, D:5"),
    ("MO", date(2022, 11, 1), "2022-10-21 to 2023-01-16", "licence to or within China"),
    ("DE", BEFORE_COMPLIANCE, "2025-01-13 to 2025-05-14", "Macau or Country Groups D:1, D:4, D:5"),
])
def test_the_trace_names_the_destinations_of_the_version_in_force(
        dest: str, on: date, window: str, words: str) -> None:
    """The control line's text is the 2026 chart cell ("To or within any destination
    worldwide"); a trace for an earlier date said "worldwide ...: GB is not covered" without
    the destinations that version reached."""
    step = _step(determine("3A090.a", dest, on), "3A090 RS -> rs_ai_worldwide")
    assert not step.fired
    assert f"version in force {window}: " in step.detail and words in step.detail
    assert step.detail.endswith(f": {dest} is not covered")


def test_the_detail_of_one_version_is_the_same_on_every_day_of_it() -> None:
    """The impact report reads a changed detail of a rule that fired on both days as a cause."""
    first, last = (_step(determine("3A090.a", "CN", day), "3A090 RS -> rs_ai_worldwide")
                   for day in (date(2023, 11, 20), date(2024, 12, 1)))
    assert first.fired and first.detail == last.detail


def test_the_current_version_adds_no_words_to_the_chart_text() -> None:
    step = _step(determine("3A090.a", "CN", date(2026, 7, 1)), "3A090 RS -> rs_ai_worldwide")
    assert step.fired and "version in force" not in step.detail
