"""Known changes the rule base does not model (rules/data/history_gaps.yaml) reach the caveats of
the determinations they bear on, and only those; the crime-control marks BIS removed on 8 Dec 2023
(rules/data/events/crime_control_2023.yaml) apply until that day."""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine
from exportcheck.models import Outcome
from exportcheck.rules import load_ruleset

SEVEN = ["AT", "FI", "IE", "LI", "KR", "SE", "CH"]


def _gap_caveats(item: str, dest: str, on: date) -> list[str]:
    d = determine(item, dest, on, value=5000)
    return [c for c in d.caveats
            if "firearms interim final rule" in c or "126.1(n)" in c or "CIV" in c
            or "Cambodia" in c]


def test_every_gap_row_names_real_items_and_destinations() -> None:
    rs = load_ruleset()
    gaps = rs.rows("history_gaps")
    assert {g.id for g in gaps} >= {"firearms-ifr-2024", "civ-until-2020"}
    eccns = {e.eccn for e in rs.rows("ccl")}
    codes = {d.code for d in rs.rows("destinations")}
    for gap in gaps:
        assert gap.start_date_known or gap.effective_to, gap.id  # a window, not all of time
        assert set(gap.items) <= eccns, gap.id
        assert set(gap.countries) | set(gap.exclude_countries) <= codes, gap.id


@pytest.mark.parametrize("item", ["0A501.a", "0A978", "3A981"])
def test_firearms_rule_window_caveats_firearms_and_crime_control_items(item: str) -> None:
    assert _gap_caveats(item, "BR", date(2024, 5, 29)) == []
    inside = _gap_caveats(item, "BR", date(2024, 5, 30))
    assert len(inside) == 1 and "89 FR 34680" in inside[0] and "90 FR 47170" in inside[0]
    assert _gap_caveats(item, "BR", date(2025, 9, 29)) == inside
    assert _gap_caveats(item, "BR", date(2025, 9, 30)) == []


def test_firearms_rule_window_leaves_other_items_alone() -> None:
    # 3A001 is controlled for NS, MT, NP and AT, not CC, and is not a firearm
    assert _gap_caveats("3A001.a.2", "BR", date(2025, 1, 1)) == []


def test_ethiopia_is_no_longer_a_gap_but_a_d5_membership() -> None:
    """Review 41: the 126.1(n) listing now puts Ethiopia in D:5 (test_review_41_ethiopia_d5)."""
    for item in ("3A001.a.2", "USML:XI(a)"):
        assert _gap_caveats(item, "ET", date(2022, 1, 1)) == [], item


def test_no_gap_caveat_on_or_after_the_edition_the_rule_base_rests_on() -> None:
    assert determine("3A001.a.2", "ET", date(2026, 7, 23)).caveats == []


@pytest.mark.parametrize("dest", SEVEN)
def test_crime_control_marks_end_on_7_december_2023(dest: str) -> None:
    before = determine("0A978", dest, date(2023, 12, 7), value=5000)
    after = determine("0A978", dest, date(2023, 12, 8), value=5000)
    assert before.outcome is Outcome.LICENSE_REQUIRED and before.reasons == ["CC1"]
    assert after.outcome is Outcome.NLR
    # the ended mark's first day is not known: the earlier answer names it as today's text does
    # (the EAR reads Liechtenstein as Switzerland, chart footnote 5)
    as_ear = "CH" if dest == "LI" else dest
    assert any(f"Country Chart marks for {as_ear}" in c and "CC1" in c for c in before.caveats)
    rs = load_ruleset()
    assert {"CC1", "CC3"} <= set(rs.as_of(date(2023, 12, 7)).chart[dest])
    assert not {"CC1", "CC3"} & set(rs.as_of(date(2023, 12, 8)).chart[dest])


def test_batch_output_carries_the_gap_caveat() -> None:
    import polars as pl

    from exportcheck.determine.batch import determine_frame

    df = pl.DataFrame({"item": ["0A501.a", "3A001.a.2"], "destination": ["BR", "BR"],
                       "date": ["2025-01-01", "2025-01-01"], "value": [1000.0, 1000.0]})
    out = determine_frame(df)
    cav = dict(zip(out["item"].to_list(), out["caveats"].to_list(), strict=True))
    assert "firearms interim final rule" in cav["0A501.a"]
    assert "firearms interim final rule" not in (cav["3A001.a.2"] or "")


def test_civ_caveat_for_ns_items_to_d1_until_june_2020() -> None:
    # 740.5: NS-only requirements, Country Group D:1 except North Korea, until 28 Jun 2020
    last = _gap_caveats("3A001.a.2", "CN", date(2020, 6, 28))
    assert len(last) == 1 and "85 FR 23470" in last[0]
    assert _gap_caveats("3A001.a.2", "CN", date(2020, 6, 29)) == []
    assert _gap_caveats("3A001.a.2", "RU", date(2019, 3, 1)) != []
    # Hong Kong was in B and A:6, not D:1; North Korea is excluded; an AT-only item is not NS
    assert _gap_caveats("3A001.a.2", "HK", date(2020, 3, 1)) == []
    assert _gap_caveats("3A001.a.2", "KP", date(2020, 3, 1)) == []
    assert _gap_caveats("3A991.b", "CN", date(2020, 3, 1)) == []


def test_cambodia_between_its_126_1_removal_and_the_d5_table_is_a_caveat() -> None:
    """State lifted Cambodia's 126.1 listing from 7 Nov 2025; the D:5 table printed it until
    2 Feb 2026. The rule base keeps D:5 to then and says the D:5 effects may not have applied."""
    assert _gap_caveats("9A610.a", "KH", date(2025, 11, 6)) == []
    (found,) = _gap_caveats("9A610.a", "KH", date(2025, 12, 1))
    assert "7 Nov 2025" in found and "740.2(a)(12)" in found
    assert _gap_caveats("9A610.a", "KH", date(2026, 2, 3)) == []
