"""The rule base: every row cited and dated, a strict loader, Hong Kong history in one file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from exportcheck.errors import DateOutOfRange, RuleDataError
from exportcheck.rules import RULEBASE_START, load_ruleset
from exportcheck.rules.loader import BUNDLED, load_tables
from exportcheck.rules.ruleset import RuleSet


def test_every_row_is_cited() -> None:
    rs = load_ruleset()
    for table, rows in rs.tables.items():
        for r in rows:
            assert len(r.citation) >= 3, (table, r)


def test_hong_kong_history_lives_in_one_file_with_its_citations() -> None:
    doc = yaml.safe_load((BUNDLED / "events" / "hong_kong_2020.yaml").read_text())
    alias = next(a for a in doc["aliases"] if a["scope"] == "ear")
    assert str(alias["effective_from"]) == "2020-12-23" and "85 FR 83765" in alias["citation"]
    restriction = doc["exception_restrictions"][0]
    assert "85 FR 45998" in restriction["citation"]
    assert str(restriction["effective_from"]) == "2020-06-30"


def test_snapshots_follow_the_2020_timeline() -> None:
    rs = load_ruleset()
    before, window, after = (
        rs.as_of(date(2020, 6, 29)),
        rs.as_of(date(2020, 7, 15)),
        rs.as_of(date(2021, 1, 15)),
    )
    assert before.in_group("HK", "B") and before.in_group("HK", "A:6")
    assert not any(r.id == "740.2(a)(23)" for r in before.restrictions)
    assert any(r.id == "740.2(a)(23)" for r in window.restrictions)
    assert window.in_group("HK", "B")
    assert "HK" not in after.chart and after.alias("HK", "ear").as_code == "CN"
    assert not after.in_group("HK", "B")


def test_ccl_covers_the_whole_list_and_ear99() -> None:
    rs = load_ruleset()
    assert len(rs.eccns) == 639
    assert "3A090" not in rs.as_of(date(2021, 1, 1)).ccl  # appeared in Oct 2022
    assert "3A090" in rs.as_of(date(2023, 1, 1)).ccl


def test_date_before_the_rule_base_is_refused() -> None:
    with pytest.raises(DateOutOfRange, match="before the rule base starts"):
        load_ruleset().as_of(date(2018, 12, 31))
    assert load_ruleset().as_of(RULEBASE_START).on == RULEBASE_START


def test_missing_citation_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("group_members:\n  - {code: HK, group: B}\n")
    with pytest.raises(RuleDataError, match=r"bad.yaml: group_members row 1: citation"):
        load_tables(tmp_path)


def test_unknown_table_and_bad_dates_fail(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("widgets: []\n")
    with pytest.raises(RuleDataError, match="unknown table 'widgets'"):
        load_tables(tmp_path)
    (tmp_path / "x.yaml").write_text(
        "group_members:\n  - {code: HK, group: B, citation: test, "
        "effective_from: 2021-01-01, effective_to: 2020-01-01}\n"
    )
    with pytest.raises(RuleDataError, match="before effective_from"):
        load_tables(tmp_path)


def test_a_user_rules_dir_layers_over_the_bundled_rules(tmp_path: Path) -> None:
    (tmp_path / "extra.yaml").write_text(
        "group_members:\n  - {code: CN, group: B, citation: 'hypothetical rule', "
        "effective_from: 2030-01-01}\n"
    )
    tables, version = load_tables(tmp_path)
    rs = RuleSet(tables, version)
    assert version != load_ruleset().version
    assert rs.as_of(date(2030, 1, 2)).in_group("CN", "B")
    assert not rs.as_of(date(2029, 12, 31)).in_group("CN", "B")


def test_unknown_start_dates_say_so_in_the_trace() -> None:
    from exportcheck import determine

    d = determine("3A001.a.2", "CN", date(2024, 1, 1))
    chart_step = next(s for s in d.trace if "Country Chart NS2" in s.rule)
    assert chart_step.start_date_known is False
    hk = determine("3A001.a.2", "HK", date(2021, 1, 15))
    alias_step = next(s for s in hk.trace if "determined as CN" in s.rule)
    assert alias_step.start_date_known and alias_step.effective_from == date(2020, 12, 23)

