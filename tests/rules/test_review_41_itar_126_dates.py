"""Review 41: the start dates of the remaining 19 rows of the 22 CFR 126.1 table.

Each is dated by 81 FR 66804 (FR Doc 2016-23284, effective 29 Sep 2016), the interim final rule
that consolidated the list of proscribed countries into 126.1(d)(1) and the (d)(2) table, with
copies of the section from 2016-18 to 2024 showing the row (the eCFR prints no amendment list
for 126.1). All are before the rule base's start, so an answer of 2019-2026 rests on a dated row:
the same outcome and review policy as before, without the caveat for rules whose start dates
are not established. Eritrea's and Cyprus's first rows keep their ends (31 Oct 2021, 30 Sep
2020), where the rows of 86 FR 60165 and 85 FR 60698 take over."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import exportcheck
from exportcheck import determine
from exportcheck.models import Determination, TraceStep
from exportcheck.rules import load_ruleset
from exportcheck.rules.schema import RULEBASE_START

NOT_ESTABLISHED = "whose start dates are not established"
RULE_2016 = date(2016, 9, 29)
ITAR_YAML = Path(exportcheck.__file__).resolve().parent / "rules" / "data" / "itar.yaml"
DENIAL = "policy of denial"
DENIAL_EXCEPT = "policy of denial, case-by-case exceptions listed in 126.1"
CY_R = "policy of denial (126.1(r)); exceptions case-by-case only as 126.1(r) lists them"

#: (destination, trace rule, a day on which the row answers, review policy, the line of the
#: 2016-18 copy its note quotes)
DATED_2016 = [
    *[(c, f"22 CFR 126.1(d)(1): {c}", date(2019, 6, 1), DENIAL,
       "In the (d)(1) list of every copy of 126.1 read")
      for c in ("BY", "MM", "CN", "CU", "IR", "KP", "SY")],
    ("AF", "22 CFR 126.1(d)(2): AF", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (g)"),
    ("CF", "22 CFR 126.1(d)(2): CF", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (u)"),
    ("CD", "22 CFR 126.1(d)(2): CD", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (i)"),
    ("ER", "22 CFR 126.1(d)(2): ER", date(2020, 6, 1), DENIAL_EXCEPT, "paragraph (h)"),
    ("HT", "22 CFR 126.1(d)(2): HT", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (j)"),
    ("IQ", "22 CFR 126.1(d)(2): IQ", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (f)"),
    ("LB", "22 CFR 126.1(d)(2): LB", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (t)"),
    ("LY", "22 CFR 126.1(d)(2): LY", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (k)"),
    ("SO", "22 CFR 126.1(d)(2): SO", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (m)"),
    ("SD", "22 CFR 126.1(d)(2): SD", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (v)"),
    ("ZW", "22 CFR 126.1(d)(2): ZW", date(2019, 6, 1), DENIAL_EXCEPT, "paragraph (s)"),
    ("CY", "22 CFR 126.1(r): CY", date(2019, 6, 1), CY_R, "paragraph (r)"),
]


def _step(d: Determination, rule: str) -> TraceStep:
    return next(s for s in d.trace if s.rule == rule)


def _unestablished(d: Determination) -> str:
    return " ".join(c for c in d.caveats if NOT_ESTABLISHED in c)


@pytest.mark.parametrize(("code", "rule", "on", "policy", "quoted"), DATED_2016,
                         ids=[f"{r[0]}-{r[2].year}" for r in DATED_2016])
def test_a_row_dated_by_the_2016_rule_answers_without_the_unestablished_caveat(
        code: str, rule: str, on: date, policy: str, quoted: str) -> None:
    d = determine("USML:XI", code, on)
    step = _step(d, rule)
    assert step.fired and step.start_date_known and step.effective_from == RULE_2016
    assert "126.1" not in _unestablished(d), d.caveats
    # the answer is the one the undated row gave
    assert d.outcome.value == "LICENSE_REQUIRED" and d.review_policy == policy


@pytest.mark.parametrize(("code", "rule", "on", "policy", "quoted"), DATED_2016,
                         ids=[f"{r[0]}-{r[2].year}" for r in DATED_2016])
def test_the_row_cites_the_2016_rule_and_quotes_the_copy_it_was_read_in(
        code: str, rule: str, on: date, policy: str, quoted: str) -> None:
    paragraph = rule.split(":")[0].removeprefix("22 CFR ")
    row = next(r for r in load_ruleset().rows("proscribed")
               if r.code == code and r.paragraph == paragraph and r.in_force(on))
    assert row.effective_from == RULE_2016 < RULEBASE_START
    cited = row.start_citation or ""
    assert "81 FR 66804" in cited and "2016-23284" in cited
    note = row.note or ""
    assert quoted in note and "UNSURE" in note
    # the evidence every 2016 row rests on is said once, in the comment heading proscribed:
    heading = ITAR_YAML.read_text(encoding="utf-8").split("\nproscribed:\n")[1].split("  - ")[0]
    assert "section-126.1.md at commits 17639b1" in heading and "[src: strtrade.com" in heading


def test_every_126_1_row_now_has_a_start_date() -> None:
    rows = load_ruleset().rows("proscribed")
    assert len(rows) == 27 and all(r.start_date_known for r in rows)
    assert sum(r.effective_from == RULE_2016 for r in rows) == 19


@pytest.mark.parametrize("on", [date(2019, 1, 1), date(2022, 6, 1), date(2025, 7, 7)])
def test_no_126_1_destination_answers_with_the_unestablished_caveat_for_its_row(on: date) -> None:
    """On any day of 2019-2026 the 126.1 row a USML answer rests on is dated: the caveat of rules
    whose start dates are not established names no 126.1 row (other rules, e.g. OFAC's Iran
    programme, may still be named)."""
    for code in sorted({r.code for r in load_ruleset().rows("proscribed") if r.in_force(on)}):
        d = determine("USML:XI", code, on)
        assert "126.1" not in _unestablished(d), (code, d.caveats)


def test_a_rule_still_undated_keeps_its_caveat_beside_a_dated_126_1_row() -> None:
    """Category IX is not dated yet: a 2019 answer for Iraq names it, and not Iraq's row."""
    d = determine("USML:IX", "IQ", date(2019, 6, 1))
    said = _unestablished(d)
    assert "Category IX:" in said and "126.1" not in said
    assert _step(d, "22 CFR 126.1(d)(2): IQ").start_date_known


def test_eritrea_and_cyprus_change_rows_on_the_dated_days() -> None:
    """Eritrea: the 2016 row to 31 Oct 2021, 86 FR 60165's 126.1(h) from 1 Nov 2021; Cyprus:
    the 2016 row to 30 Sep 2020, 85 FR 60698's waiver from 1 Oct 2020. Both sides dated."""
    for code, last, first, old, new in [
            ("ER", date(2021, 10, 31), date(2021, 11, 1), "22 CFR 126.1(d)(2): ER",
             "22 CFR 126.1(h): ER"),
            ("CY", date(2020, 9, 30), date(2020, 10, 1), "22 CFR 126.1(r): CY",
             "22 CFR 126.1(r): CY")]:
        before, after = determine("USML:XI", code, last), determine("USML:XI", code, first)
        b, a = _step(before, old), _step(after, new)
        assert b.fired and b.effective_from == RULE_2016
        assert a.fired and a.start_date_known and a.effective_from == first
        assert before.review_policy != after.review_policy
        assert "126.1" not in _unestablished(before) + _unestablished(after)


def test_hong_kong_under_china_s_entry_rests_on_a_dated_row() -> None:
    """From 30 Jun 2020 Hong Kong is determined under China's (d)(1) entry, dated 2016."""
    d = determine("USML:XII", "HK", date(2021, 1, 15))
    step = _step(d, "22 CFR 126.1(d)(1): CN")
    assert step.fired and step.effective_from == RULE_2016
    assert d.review_policy == DENIAL and "126.1" not in _unestablished(d)
