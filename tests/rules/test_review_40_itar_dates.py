"""Review 40: start dates of the ITAR 22 CFR 126.1 rows, each from the Federal Register rule
that listed the destination (South Sudan: 83 FR 6457, effective 14 Feb 2018; Venezuela:
72 FR 5614, FR Doc E7-2034, effective 7 Feb 2007). Both are before the rule base's start, so a
determination of 2019 rests on a dated row: same outcome and review policy as before, without
the caveat for rules whose start dates are not established. And the USML categories, each
dated by the rule that gave it its present form (the Export Control Reform rules of 2013-2016;
85 FR 3819 for Categories I-III, 9 Mar 2020, with the rows it replaced ending the day before)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import typer
from typer.testing import CliRunner

from exportcheck import determine
from exportcheck.models import Determination, TraceStep
from exportcheck.rules import load_ruleset

NOT_ESTABLISHED = "whose start dates are not established"


def _step(d: Determination, rule: str) -> TraceStep:
    return next(s for s in d.trace if s.rule == rule)


def _unestablished(d: Determination) -> str:
    return " ".join(c for c in d.caveats if NOT_ESTABLISHED in c)


@pytest.mark.parametrize(
    ("code", "rule", "start", "policy", "cited"),
    [
        ("SS", "22 CFR 126.1(d)(2): SS", date(2018, 2, 14),
         "policy of denial, case-by-case exceptions listed in 126.1", "83 FR 6457"),
        ("VE", "22 CFR 126.1(d)(1): VE", date(2007, 2, 7), "policy of denial", "72 FR 5614"),
    ],
)
def test_dated_126_1_row_answers_2019_without_the_unestablished_caveat(
        code: str, rule: str, start: date, policy: str, cited: str) -> None:
    d = determine("USML:XI", code, date(2019, 6, 1))
    step = _step(d, rule)
    assert step.fired and step.start_date_known and step.effective_from == start
    assert rule not in _unestablished(d)
    # the answer is the one the undated row gave
    assert d.outcome == "LICENSE_REQUIRED" and d.review_policy == policy
    # the rule that listed the destination is named in the row's start citation
    row = next(r for r in load_ruleset().rows("proscribed") if r.code == code)
    assert cited in (row.start_citation or "") and "[src:" in (row.note or "")


def test_rules_history_counts_no_undated_126_1_rows() -> None:
    """Review 40 dated South Sudan and Venezuela; review 41 the other 19 rows (81 FR 66804,
    test_review_41_itar_126_dates.py): none of the 27 is undated now."""
    from exportcheck.cli import rules_cmds

    app = typer.Typer()
    rules_cmds.register(app)
    out = CliRunner().invoke(app, ["rules", "history", "--table", "proscribed", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    table = next(t for t in report["tables"] if t["table"] == "proscribed")
    assert (table["rows"], table["dated"], table["undated"]) == (27, 27, 0)
    assert not report["undated_rows"]


# -- the USML categories the Export Control Reform rules gave their present form ------------
#: category -> the day the rule that revised it under its present title took effect
ECR_DATES = {"IV": date(2014, 7, 1), "VIII": date(2013, 10, 15), "XV": date(2014, 11, 10),
             "XI": date(2014, 12, 30), "XII": date(2016, 12, 31),
             "XVIII": date(2016, 12, 31), "XX": date(2014, 1, 6)}


@pytest.mark.parametrize(("category", "start"), ECR_DATES.items())
def test_a_usml_category_dated_by_its_ecr_rule_carries_no_caveat(category: str,
                                                                  start: date) -> None:
    row = next(r for r in load_ruleset().tables["usml"] if r.category == category)
    assert row.effective_from == start and row.start_date_known
    assert "FR" in (row.start_citation or "") and "[src:" in (row.note or "")
    d = determine(f"USML:{category}", "DE", date(2019, 6, 1))
    assert d.outcome.value == "LICENSE_REQUIRED"
    assert not any(f"Category {category}:" in c for c in d.caveats), d.caveats
    step = next(s for s in d.trace if s.rule.startswith(f"USML Category {category}:"))
    assert step.start_date_known and step.effective_from == start


def test_a_usml_category_not_yet_dated_keeps_its_caveat() -> None:
    """Category IX's present title ("... and training") was not read in the 2014 rule that
    revised it: still a caveat."""
    d = determine("USML:IX", "DE", date(2019, 6, 1))
    assert any("Category IX:" in c for c in d.caveats), d.caveats


def test_categories_i_to_iii_change_on_9_march_2020() -> None:
    """85 FR 3819 revised Categories I-III from 9 Mar 2020 (most non-automatic firearms moved to
    the EAR): the day before, Category I is the old row, start unknown; that day, the dated one."""
    before = determine("USML:I", "DE", date(2020, 3, 8))
    on = determine("USML:I", "DE", date(2020, 3, 9))
    old = next(s for s in before.trace if s.rule.startswith("USML Category I:"))
    new = next(s for s in on.trace if s.rule.startswith("USML Category I:"))
    assert "close assault weapons" in old.rule and not old.start_date_known
    assert new.rule == "USML Category I: Firearms and related articles"
    assert new.start_date_known and new.effective_from == date(2020, 3, 9)
    assert any("Category I:" in c for c in before.caveats)
    assert not any("Category I:" in c for c in on.caveats)
    assert before.outcome.value == on.outcome.value == "LICENSE_REQUIRED"
