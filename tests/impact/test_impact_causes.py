"""The cause of a changed line names the day its answer first changed, and opens with the rule
that changed it: a rule widened within the window is not credited to its later version, and a
rule that changed beside the line without changing its answer comes last."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck import determine
from exportcheck.impact import impact
from exportcheck.impact.causes import SEP, diff_traces, headline

#: how a cause tells a later change, and a rule that changed beside the line
LATER, BACKGROUND = "then on ", "background: "
RU_CATEGORIES = "15 CFR 746.8(a)(1), (c), added by 87 FR 12226 (3 Mar 2022, effective 24 Feb 2022)"


def _one(item: str, dest: str, d_old: date, d_new: date):
    return impact(pl.DataFrame({"item": [item], "destination": [dest], "value": [1000.0]}),
                  d_old, d_new)


def test_a_rule_widened_within_the_window_is_credited_on_the_day_it_changed_the_line() -> None:
    """3A001.a.2 to Russia, 1 Jan → 15 Apr 2022: the embargo reached Categories 3-9 on 24 Feb
    2022 (87 FR 12226) and every ECCN on 8 Apr 2022 (87 FR 22130). The line changed on 24 Feb:
    its cause and the timeline say so, not the 8 Apr version that is in force on the new date."""
    assert determine("3A001.a.2", "RU", date(2022, 2, 25)).reasons[0] == "EMBARGO"
    r = _one("3A001.a.2", "RU", date(2022, 1, 1), date(2022, 4, 15))
    row = r.lines.row(0, named=True)
    assert row["changed"] and row["new_reasons"] == "EMBARGO,NS2"
    cause = row["cause"]
    assert cause.startswith("now: 746.8 Russia, Categories 3-9 (")
    assert "in force from 2022-02-24" in cause and "2022-04-08" not in cause
    assert "87 FR 22130" not in cause  # the 8 Apr version changed nothing for this line
    assert headline(cause) == "now: 746.8 Russia, Categories 3-9, from 2022-02-24"
    credited = [(e.on, e.change, e.citation, e.lines, e.value) for e in r.summary.events
                if e.lines]
    assert credited == [(date(2022, 2, 24), "added", RU_CATEGORIES, 1, 1000.0)]
    # the later events are still on the timeline, with no line
    assert any(e.on == date(2022, 4, 8) and "87 FR 22130" in e.citation and e.lines == 0
               for e in r.summary.events)


def test_each_later_change_is_told_after_the_first_and_not_credited() -> None:
    """3A001.a.2 to Hong Kong, 29 Jun 2020 → 15 Jan 2021: LVS and GBS went on 30 Jun 2020
    (740.2(a)(23)); China's review policy came with 85 FR 83765 on 23 Dec 2020. One line, two
    changes: the first in full, the second in one item, credited to the first alone."""
    r = _one("3A001.a.2", "HK", date(2020, 6, 29), date(2021, 1, 15))
    parts = r.lines["cause"][0].split(SEP)
    later = [p for p in parts if p.startswith(LATER)]
    assert len(later) == 1 and later[0].startswith(
        "then on 2020-12-23: now: HK determined as CN under the EAR (85 FR 83765")
    first = [p for p in parts if not p.startswith(LATER)]
    assert first and all(p.startswith("no longer: License Exception ") for p in first)
    assert all("740.2(a)(23)" in p for p in first)
    credited = {(e.on, e.citation.split(",")[0]) for e in r.summary.events if e.lines}
    assert credited == {(date(2020, 6, 30), "15 CFR 740.2(a)(23)")}


def test_the_rule_that_changed_the_answer_comes_first() -> None:
    """3A090.a to China, 1 → 20 Nov 2023: the review-policy row (rs-ac-2022 → rs-ac-2023-d5)
    changed the line's answer; the 734.9(h) FDP rule changed the same day and did not. The cause
    opens with the policy row; the FDP rule follows, marked as background, and the timeline
    credits the policy rows only."""
    r = _one("3A090.a", "CN", date(2023, 11, 1), date(2023, 11, 20))
    row = r.lines.row(0, named=True)
    assert row["old_reasons"] == row["new_reasons"] == "RS"
    assert row["old_review_policy"] != row["new_review_policy"]
    parts = row["cause"].split(SEP)
    assert parts[0].startswith("now: Licence review policy for 3A090 RS: row rs-ac-2023-d5")
    assert parts[1].startswith("no longer: Licence review policy for 3A090 RS: row rs-ac-2022")
    fdp = [i for i, p in enumerate(parts) if "734.9(h)" in p.split(" (")[0]]
    assert fdp and min(fdp) > 1
    assert all(parts[i].startswith(BACKGROUND) for i in fdp)
    assert headline(row["cause"]) == (
        "now: Licence review policy for 3A090 RS: row rs-ac-2023-d5, from 2023-11-17")
    credited = {e.rule for e in r.summary.events if e.lines}
    assert credited == {"rs-ac-2022", "rs-ac-2023-d5"}


def test_diff_traces_puts_what_changed_the_answer_first() -> None:
    """The same order where two determinations are compared directly (the web UI's check of
    two dates): the day before and the day 88 FR 73458 took effect."""
    items = diff_traces(determine("3A090.a", "CN", date(2023, 11, 16)),
                        determine("3A090.a", "CN", date(2023, 11, 17)))
    assert items[0].startswith("now: Licence review policy for 3A090 RS")
    assert items[-1].startswith(BACKGROUND + "no longer: 734.9(h)")


def test_an_event_that_changed_the_destination_stays_first() -> None:
    """USML to Hong Kong, 29 Jun → 15 Jul 2020: only the review policy changed, and the event
    that changed it (HK determined as CN under the ITAR) still opens the cause, before China's
    126.1(d)(1) policy it brought."""
    r = _one("USML:XI", "HK", date(2020, 6, 29), date(2020, 7, 15))
    parts = r.lines["cause"][0].split(SEP)
    assert parts[0].startswith("now: HK determined as CN under the ITAR")
    assert "in force from 2020-06-30" in parts[0]
    assert parts[1].startswith("now: 22 CFR 126.1(d)(1)")


def test_the_report_sets_later_days_and_background_apart() -> None:
    """In report.html a later change and a background rule keep their mark, and the engine's
    "now" / "no longer" is still set in bold after it."""
    from exportcheck.impact.report import _cause

    html = _cause("no longer: A (x) | then on 2020-12-23: now: B (y): z | background: now: C (w)")
    assert "<li><b>no longer</b> A (x)</li>" in html
    assert "<li><i>then on 2020-12-23:</i> <b>now</b> B (y): z</li>" in html
    assert "<li><i>background:</i> <b>now</b> C (w)</li>" in html


def test_a_rule_whose_start_is_unknown_is_dated_by_its_known_end() -> None:
    """5D992.c to Sudan, 1 Dec 2020 → 1 Feb 2021: the AT licence requirement ended when 86 FR
    4929 removed Sudan's AT controls (effective 14 Jan 2021, 15 CFR 742.10 removed). The chart
    mark's start date is not established, which also dropped its known end: the cause carried
    no date and the timeline credited the line to no event."""
    r = _one("5D992.c", "SD", date(2020, 12, 1), date(2021, 2, 1))
    row = r.lines.row(0, named=True)
    assert row["changed"] and (row["old_outcome"], row["new_outcome"]) == (
        "LICENSE_REQUIRED", "NLR")
    assert "in force until 2021-01-13" in row["cause"]
    credited = {(e.on, e.rule) for e in r.summary.events if e.lines}
    assert (date(2021, 1, 14), "SD: X in Country Chart column AT1") in credited
    assert sum(e.value for e in r.summary.events if e.rule.startswith("SD: X")) == 1000.0
    # dated too, the 2019 edition of 742.4(b)(7) that 85 FR 68448 replaced on 29 Oct 2020: its
    # end is credited beside the new version, as rs-ac-2022 is beside rs-ac-2023-d5
    r = _one("3A001.a.2", "CN", date(2020, 6, 29), date(2021, 1, 15))
    assert ("row ns-cn-ru-2019 (15 CFR 742.4(b)(7) (edition before 29 Oct 2020); in force until "
            "2020-10-28)") in r.lines["cause"][0]
    credited = {(e.change, e.rule) for e in r.summary.events if e.lines}
    assert credited == {("removed", "ns-cn-ru-2019"), ("added", "ns-cn-ru-ve-2020")}


def test_a_country_group_move_is_named_dated_and_credited() -> None:
    """3A002.a ($2,814) to Ukraine, 1 Dec 2020 → 15 Jan 2021: Ukraine moved from Country Group
    D:1 to B on 28 Dec 2020 (85 FR 84211), so 742.4(b)(2)'s D:1 review policy gave way to the
    general one and LVS (Country Group B) became usable. The trace names the rows that read the
    membership, not the move: the cause carried no date or notice, and the timeline credited
    the line to no event (its D:1 and B rows showed 0 lines)."""
    r = impact(pl.DataFrame({"item": ["3A002.a"], "destination": ["UA"], "value": [2814.0]}),
               date(2020, 12, 1), date(2021, 1, 15))
    row = r.lines.row(0, named=True)
    assert (row["old_outcome"], row["new_outcome"]) == ("LICENSE_REQUIRED", "EXCEPTION_AVAILABLE")
    cause = row["cause"]
    assert cause.startswith("now: License Exception LVS")  # what the answer rests on, first
    assert ("no longer: UA in Country Group D:1 (15 CFR 740 Supp. 1 (editions before 28 Dec "
            "2020); in force until 2020-12-27): Ukraine moved from Country Group D:1 to B by 85 "
            "FR 84211") in cause
    assert "now: UA in Country Group B (15 CFR 740 Supp. 1; in force from 2020-12-28)" in cause
    credited = {(e.on, e.change, e.rule) for e in r.summary.events if e.lines}
    assert credited == {(date(2020, 12, 28), "removed", "UA in Country Group D:1"),
                        (date(2020, 12, 28), "added", "UA in Country Group B")}


def test_a_membership_applied_from_a_bound_is_named_as_such_and_credited() -> None:
    """3A001.b.1 ($100,000, STA conditions confirmed) to the UAE, 20 → 21 Jun 2026: the UAE's
    A:5 listing is applied from 21 Jun 2026 at the earliest (its rule is not established), so
    STA (740.20(c)(1)) opens. The move into A:5 was missing from the cause and the timeline
    (only the D:3/D:4 listings ending showed): a start known by its bound only was no event."""
    r = impact(pl.DataFrame({"item": ["3A001.b.1"], "destination": ["AE"], "value": [100000.0],
                             "conditions_met": ["STA"]}),
               date(2026, 6, 20), date(2026, 6, 21))
    row = r.lines.row(0, named=True)
    assert (row["old_outcome"], row["new_outcome"]) == ("LICENSE_REQUIRED", "EXCEPTION_AVAILABLE")
    assert ("now: AE in Country Group A:5 (15 CFR 740 Supp. 1; in force from 2026-06-21 at the "
            "earliest, start not established)") in row["cause"]
    credited = {(e.on, e.change, e.rule) for e in r.summary.events if e.lines}
    assert (date(2026, 6, 21), "added", "AE in Country Group A:5") in credited


def test_an_eccn_that_came_onto_the_ccl_between_the_dates_is_named_and_credited() -> None:
    """3A090.a ($150,000) to China, 20 → 22 Oct 2022: ECCN 3A090 came onto the CCL on 21 Oct
    2022 (87 FR 62186), so the old side is an error ("not on the Commerce Control List") and the
    new side needs an RS licence (742.6(a)(6)). The cause told only the old side's error: it
    named no rule, and the timeline credited the line to no event (ECCN 3A090 added: 0 lines,
    $0) although the new ECCN is the whole of the change."""
    r = impact(pl.DataFrame({"item": ["3A090.a"], "destination": ["CN"], "value": [150000.0]}),
               date(2022, 10, 20), date(2022, 10, 22))
    row = r.lines.row(0, named=True)
    assert row["changed"] and (row["old_outcome"], row["new_outcome"]) == (
        None, "LICENSE_REQUIRED")
    cause = row["cause"]
    assert cause.startswith("now: ECCN 3A090 on the Commerce Control List (15 CFR 774 Supp. 1, "
                            "ECCN 3A090; in force from 2022-10-21): 87 FR 62186")
    assert "old side (2022-10-20): unknown ECCN 3A090" in cause  # the error is still told
    assert headline(cause) == "now: ECCN 3A090 on the Commerce Control List, from 2022-10-21"
    credited = [(e.on, e.change, e.citation, e.lines, e.value) for e in r.summary.events
                if e.lines]
    assert credited == [(date(2022, 10, 21), "added", "15 CFR 774 Supp. 1, ECCN 3A090", 1,
                         150000.0)]


def test_an_eccn_that_left_the_ccl_and_a_new_paragraph_are_named_and_credited() -> None:
    """3B090 left the CCL after 16 Nov 2023 (88 FR 73424 moved its items to 3B001/3B002): a line
    decided on 17 Nov is an error on the new side, and the cause names the entry's end. The .z
    paragraphs of 3A001 came on 17 Nov 2023 (88 FR 73458): 3A001.z is an error before."""
    r = impact(pl.DataFrame({"item": ["3B090", "3A001.z.1"], "destination": ["CN", "CN"],
                             "value": [2000.0, 3000.0]}), date(2023, 11, 16), date(2023, 11, 18))
    gone, new = r.lines.row(0, named=True), r.lines.row(1, named=True)
    assert gone["changed"] and gone["new_outcome"] is None
    assert gone["cause"].startswith("no longer: ECCN 3B090 on the Commerce Control List (15 CFR "
                                    "774 Supp. 1, ECCN 3B090; in force until 2023-11-16)")
    assert "new side (2023-11-18): unknown ECCN 3B090" in gone["cause"]
    assert new["changed"] and new["old_outcome"] is None
    assert new["cause"].startswith("now: ECCN paragraph 3A001.z (88 FR 73458 (25 Oct 2023)")
    assert "in force from 2023-11-17)" in new["cause"]
    credited = {(e.on, e.change, e.table): (e.lines, e.value) for e in r.summary.events
                if e.lines}
    assert credited[(date(2023, 11, 17), "removed", "ccl")] == (1, 2000.0)
    assert credited[(date(2023, 11, 17), "added", "paragraph_starts")] == (1, 3000.0)
