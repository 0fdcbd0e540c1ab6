"""Country Group changes of 2019-2026 (issue #12 point 1): each dated change holds the day it
took effect and not the day before, names its Federal Register rule, and every move out of a
group ends on the day before the move into the new one."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from exportcheck.rules import RULEBASE_START, load_ruleset
from exportcheck.rules.loader import BUNDLED

HISTORY = Path(__file__).resolve().parents[2] / "tools" / "chart_history.yaml"
VE_DAY = date(2019, 5, 24)  # 84 FR 24018


@pytest.fixture(scope="module")
def rs():
    return load_ruleset()


@pytest.mark.parametrize("group", ["D:1", "D:2", "D:3", "D:4"])
def test_venezuela_enters_d_groups_on_24_may_2019(rs, group: str) -> None:
    before, on = rs.as_of(VE_DAY - timedelta(days=1)), rs.as_of(VE_DAY)
    assert not before.in_group("VE", group) and on.in_group("VE", group)
    row = on.groups["VE"][group]
    assert row.start_date_known and row.effective_from == VE_DAY
    assert "84 FR 24018" in (row.start_citation or "")


def test_venezuela_leaves_b_but_stays_d5(rs) -> None:
    before, on = rs.as_of(VE_DAY - timedelta(days=1)), rs.as_of(VE_DAY)
    assert before.in_group("VE", "B") and not on.in_group("VE", "B")
    assert "84 FR 24018" in (before.groups["VE"]["B"].start_citation or "")
    # D:5 (arms embargo) was not changed by the rule: in force both days, start still unknown
    assert before.in_group("VE", "D:5") and on.in_group("VE", "D:5")
    assert not on.groups["VE"]["D:5"].start_date_known


@pytest.mark.parametrize("column", ["NP2", "CB3"])
def test_venezuela_chart_marks_added_by_the_same_rule(rs, column: str) -> None:
    assert column not in rs.as_of(VE_DAY - timedelta(days=1)).chart["VE"]
    mark = rs.as_of(VE_DAY).chart["VE"][column]
    assert mark.effective_from == VE_DAY and "84 FR 24018" in (mark.start_citation or "")
    # a mark the rule did not touch keeps an unknown start
    assert not rs.as_of(VE_DAY).chart["VE"]["NS1"].start_date_known


def test_india_a1_dated_before_the_rule_base_by_its_rule(rs) -> None:
    row = rs.as_of(RULEBASE_START).groups["IN"]["A:1"]
    assert row.start_date_known and row.effective_from == date(2018, 8, 3)
    assert "83 FR 38018" in (row.start_citation or "")


def test_uae_a5_bound_follows_the_june_2026_copy_of_the_table(rs) -> None:
    """Not in any A group in a copy verified against the eCFR of 20 Jun 2026: A:5 is applied
    from 21 Jun 2026 at the earliest, D:3/D:4 until the day before; the start stays unknown."""
    last_d, first_a5 = rs.as_of(date(2026, 6, 20)), rs.as_of(date(2026, 6, 21))
    assert not last_d.in_group("AE", "A:5") and first_a5.in_group("AE", "A:5")
    assert last_d.in_group("AE", "D:4") and not first_a5.in_group("AE", "D:4")
    assert last_d.in_group("AE", "D:3") and not first_a5.in_group("AE", "D:3")
    a5 = first_a5.groups["AE"]["A:5"]
    assert not a5.start_date_known and a5.not_before == date(2026, 6, 21)


def _moves() -> list[tuple[str, str, str]]:
    """(code, old group, new group) for every move the history file records."""
    return [
        ("VE", "B", "D:1"),
        ("YE", "B", "D:1"),
        ("UA", "D:1", "B"),
        ("MM", "B", "D:1"),
        ("NI", "B", "D:1"),
        ("SD", "E:1", "B"),
        ("RU", "A:2", "D:2"),
        ("RU", "A:4", "D:4"),
    ]


@pytest.mark.parametrize(("code", "old", "new"), _moves())
def test_every_move_ends_the_old_membership_the_day_before(rs, code, old, new) -> None:
    start = next(r for r in rs.rows("group_members") if (r.code, r.group) == (code, new)).start
    ended = [r for r in rs.rows("group_members") if (r.code, r.group) == (code, old)]
    assert [r.effective_to for r in ended] == [start - timedelta(days=1)], (code, old)


def test_history_notes_claim_no_missing_event() -> None:
    """The notes once said ended memberships were 'not recorded'; each is now in an event file."""
    text = HISTORY.read_text(encoding="utf-8")
    assert "not recorded" not in text
    events = {
        (m["code"], m["group"])
        for path in (BUNDLED / "events").glob("country_groups_*.yaml")
        for m in yaml.safe_load(path.read_text(encoding="utf-8")).get("group_members", [])
    }
    assert {("VE", "B"), ("YE", "B"), ("UA", "D:1"), ("MM", "B"), ("NI", "B")} <= events


def test_diff_lists_a_membership_whose_start_is_only_bounded(rs) -> None:
    """The UAE's A:5 listing is applied from 21 Jun 2026 (a lower bound, start unknown): the
    diff over that day names it beside the D:3/D:4 listings it replaces, and says its day is
    a bound, so `rules diff` agrees with what a determination applies."""
    from exportcheck.rules.describe import rule_changes

    day = date(2026, 6, 21)
    changes = rule_changes(rs, day - timedelta(days=1), day, "AE")
    added = [c for c in changes if c.change == "added" and c.row.table == "group_members"]
    assert [(c.on, c.row.summary) for c in added] == [(day, "AE in Country Group A:5")]
    assert not added[0].row.start_date_known and added[0].row.not_before == day
    # a start before the diff's window is no change inside it
    assert not [c for c in rule_changes(rs, day, date(2026, 7, 1), "AE")
                if c.row.summary == "AE in Country Group A:5"]


def test_diff_names_the_federal_register_rule_of_a_move(rs) -> None:
    """A dated membership cites the rule that made it (start_citation); the diff carries it, so
    an auditor sees 85 FR 84211 beside Ukraine's move into Country Group B, not only the
    table's own citation."""
    from exportcheck.rules.describe import rule_changes

    day = date(2020, 12, 28)
    changes = rule_changes(rs, day - timedelta(days=1), day, "UA")
    into_b = next(c for c in changes if c.row.summary == "UA in Country Group B")
    assert into_b.change == "added" and "85 FR 84211" in (into_b.row.start_citation or "")


#: ended rows whose ending rule is not established (the UAE's D listings end the day before its
#: A:5 listing is applied, a bound: events/country_groups_2020_2026.yaml)
_END_NOT_ESTABLISHED = {("AE", "D:3"), ("AE", "D:4")}


@pytest.mark.parametrize("table", ["group_members", "chart_marks"])
def test_every_ended_membership_and_mark_names_the_rule_that_ended_it(rs, table: str) -> None:
    """A removal in `rules diff` cited the text that was in force, or even the rule that had
    made the row (Cambodia's D:5: '86 FR 70015'), never the notice that ended it."""
    missing = [(r.code, getattr(r, "group", None) or r.column) for r in rs.rows(table)
               if r.effective_to and not r.end_citation]
    assert set(missing) <= _END_NOT_ESTABLISHED, missing


def test_diff_cites_the_notice_that_removed_cambodia_from_d5(rs) -> None:
    from exportcheck.rules.describe import rule_changes

    day = date(2026, 2, 3)
    (out,) = [c for c in rule_changes(rs, day - timedelta(days=1), day, "KH")
              if c.row.summary == "KH in Country Group D:5"]
    assert out.change == "removed" and "2026-02262" in (out.row.end_citation or "")


@pytest.mark.parametrize(("code", "day"), [("UA", date(2020, 12, 28)), ("SD", date(2021, 1, 14))])
def test_diff_for_a_destination_lists_the_exceptions_that_exclude_it(rs, code, day) -> None:
    """85 FR 84211 moved Ukraine into Country Group B but out of GBS and TSR, and 86 FR 4929 did
    the same for Sudan (740.4, 740.6(a): 'except Sudan and Ukraine'). `rules diff --country`
    lists 'rules naming this destination': it left those rows out, so the diff showed the move
    into B alone, as if GBS had opened for the country."""
    from exportcheck.rules.describe import rule_changes

    changes = rule_changes(rs, day - timedelta(days=1), day, code)
    added = {c.row.summary.split(":")[0] for c in changes if c.change == "added"}
    assert {"License Exception GBS", "License Exception TSR"} <= added


@pytest.mark.parametrize(("day", "notice"), [(date(2020, 12, 28), "85 FR 84211"),
                                             (date(2021, 1, 14), "86 FR 4929")])
def test_diff_cites_the_notice_that_ended_the_old_gbs_and_tsr(rs, day, notice) -> None:
    """The GBS and TSR versions before Ukraine's and Sudan's moves into Country Group B ended
    with those rules; the unfiltered diff printed no citation for their removal."""
    from exportcheck.rules.describe import rule_changes

    removed = [c for c in rule_changes(rs, day - timedelta(days=1), day)
               if c.change == "removed" and c.row.summary.startswith("License Exception")]
    assert {c.row.summary.split(":")[0] for c in removed} == {
        "License Exception GBS", "License Exception TSR"}
    assert all(notice in (c.row.end_citation or "") for c in removed)
