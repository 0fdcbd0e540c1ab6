"""Country Chart columns as Part 742 defines them: they reproduce the printed chart, and they
are where Hong Kong's pre-2020 row comes from."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from exportcheck import determine
from exportcheck.models import Outcome
from exportcheck.rules import load_ruleset
from exportcheck.rules.columns import chart_mismatches, derive_row
from exportcheck.rules.loader import BUNDLED, load_tables
from exportcheck.rules.ruleset import RuleSet

#: dates on both sides of every change the definitions are versioned or checked for
DAYS = [
    date(2019, 6, 1),
    date(2020, 6, 29),
    date(2021, 1, 13),
    date(2021, 1, 14),
    date(2021, 6, 1),
    date(2022, 6, 1),
    date(2023, 12, 7),
    date(2023, 12, 8),
    date(2024, 4, 18),
    date(2024, 4, 19),
    date(2026, 7, 23),
]

HK_ROW = {"CB1", "CB2", "NP1", "NS1", "NS2", "MT1", "RS1", "RS2", "CC1", "CC3"}


@pytest.mark.parametrize("day", DAYS, ids=str)
def test_definitions_reproduce_every_chart_row(day: date) -> None:
    snap = load_ruleset().as_of(day)
    assert len(snap.column_definitions) == 16
    checked = [
        c for c in snap.destinations if c != "US" and "-" not in c and not snap.embargoes.get(c)
    ]
    assert len(checked) > 180
    assert chart_mismatches(snap) == []


def test_a_wrong_definition_is_caught(tmp_path: Path) -> None:
    # CB2 is "all except A:3" (Australia Group); claiming "all except A:1" must show up
    doc = yaml.safe_load((BUNDLED / "column_definitions.yaml").read_text())
    for row in doc["column_definitions"]:
        if row["column"] == "CB2":
            row["exclude_groups"] = ["A:1"]
    (tmp_path / "column_definitions.yaml").write_text(yaml.safe_dump(doc))
    rs = RuleSet(*load_tables(tmp_path))
    wrong = {(m.code, m.column) for m in chart_mismatches(rs.as_of(date(2026, 7, 23)))}
    # Cyprus and Malta are Australia Group members outside A:1
    assert ("CY", "CB2") in wrong and ("MT", "CB2") in wrong
    assert all(col == "CB2" for _, col in wrong)


def test_hong_kong_row_before_2020_is_the_derivation() -> None:
    snap = load_ruleset().as_of(date(2020, 6, 29))
    assert set(snap.groups["HK"]) == {"A:6", "B"}
    assert set(derive_row(snap, "HK")) == HK_ROW == set(snap.chart["HK"])
    for col, mark in snap.chart["HK"].items():
        assert mark.basis == "derived", col
        assert "742." in mark.citation, col
    assert "79 FR 76867" in snap.chart["HK"]["NS2"].citation
    # the row goes with the separate-destination status
    assert "HK" not in load_ruleset().as_of(date(2020, 12, 23)).chart


def test_hong_kong_trace_says_the_mark_is_derived() -> None:
    d = determine("3A001.a.2", "HK", date(2020, 6, 29))
    step = next(s for s in d.trace if "NS2: X for HK" in s.rule)
    assert "derived from the column's Part 742 definition" in step.detail
    assert "742.4(a)" in step.citation and "79 FR 76867" in step.citation
    cn = determine("3A001.a.2", "CN", date(2020, 6, 29))
    assert not any("derived" in s.detail for s in cn.trace)
    # CC1 is a printed list, not a Part 742 rule in words: the trace says which
    cc = determine("0A978", "HK", date(2020, 6, 29))
    step = next(s for s in cc.trace if "CC1: X for HK" in s.rule)
    assert "printed destination list" in step.detail and "Part 742 definition" not in step.detail


def test_russia_and_belarus_np_marks_follow_their_group_moves() -> None:
    # NP1 reaches destinations outside A:4 (742.3(a)(1)), NP2 reaches D:2 (742.3(a)(2))
    rs = load_ruleset()
    before, after = rs.as_of(date(2020, 2, 23)).chart["RU"], rs.as_of(date(2020, 2, 24)).chart["RU"]
    assert "NP1" not in before and "NP2" not in before
    assert {"NP1", "NP2"} <= set(after)
    by_before = rs.as_of(date(2022, 3, 1)).chart["BY"]
    by_after = rs.as_of(date(2022, 3, 2)).chart["BY"]
    assert "NP1" not in by_before and {"NP1", "NP2"} <= set(by_after)


def test_donetsk_before_2022_is_ukraine() -> None:
    # found by the column check: before the covered-regions rule the region had no rule of its own
    d = determine("3A001.a.2", "UA-14", date(2019, 6, 1))
    assert d.outcome is Outcome.LICENSE_REQUIRED and "NS2" in d.reasons
    assert any("determined as UA" in s.rule for s in d.trace)
    later = determine("3A001.a.2", "UA-14", date(2022, 2, 24))
    assert "EMBARGO" in later.reasons
