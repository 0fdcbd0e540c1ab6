"""Review 37: the Hong Kong 2020 rows say why, with the sources that acted on the row's dates.

The ITAR change starts on 30 Jun 2020, the day after the Secretary of State's statement of
29 Jun 2020 ending defence exports to Hong Kong; DDTC's notice placing Hong Kong under China's
126.1(d)(1) entry came on 15 Jul 2020, under EO 13936 sec. 2(c) (the Arms Export Control Act;
signed 14 Jul 2020, 85 FR 43413 of 17 Jul 2020). A determination in between must not rest on
an undated "DDTC notice of Jul 2020" alone.
"""

from __future__ import annotations

from datetime import date

from exportcheck import determine
from exportcheck.models import Determination, TraceStep

ITAR_ALIAS = "HK determined as CN under the ITAR"


def _step(d: Determination, rule: str) -> TraceStep:
    return next(s for s in d.trace if s.rule == rule)


def test_itar_change_of_1_jul_2020_cites_the_secretarys_statement_of_29_jun() -> None:
    """On 1 Jul 2020 the only act in force was the statement of 29 Jun: the trace names it."""
    d = determine("USML:XI", "HK", date(2020, 7, 1))
    step = _step(d, ITAR_ALIAS)
    assert step.fired and step.effective_from == date(2020, 6, 30)
    assert "Secretary of State's statement of 29 Jun 2020" in step.citation
    assert d.review_policy == "policy of denial"


def test_itar_change_cites_ddtc_notice_and_eo_section_with_their_dates() -> None:
    """The DDTC notice is dated (15 Jul 2020) and the EO cited by the section that names the
    Arms Export Control Act (2(c)), signed 14 Jul 2020 and published at 85 FR 43413."""
    step = _step(determine("USML:XII", "HK", date(2020, 7, 15)), ITAR_ALIAS)
    assert "DDTC's notice of 15 Jul 2020" in step.citation
    assert "EO 13936 sec. 2(c) (14 Jul 2020, 85 FR 43413, 17 Jul 2020)" in step.citation
    assert "notice of Jul 2020" not in step.citation
    assert "'Hong Kong Executive Order: Licensing Policy Change for Hong Kong'" in step.detail


def test_itar_change_does_not_reach_29_jun_2020() -> None:
    """The day of the statement keeps the case-by-case review (the row's date is unchanged)."""
    d = determine("USML:XI", "HK", date(2020, 6, 29))
    assert all(s.rule != ITAR_ALIAS for s in d.trace)
    assert d.review_policy == "case-by-case"


def test_ear_removal_names_its_savings_clause_and_fr_doc() -> None:
    """85 FR 83765 (FR Doc 2020-28101): the trace tells the clause the engine does not apply."""
    step = _step(determine("3A991.b", "HK", date(2021, 1, 15)), "HK determined as CN under the EAR")
    assert step.citation.startswith("85 FR 83765 (23 Dec 2020)")
    assert "22 Jan 2021" in step.detail and "not modelled" in step.detail
    assert "2020-28101" in step.detail
