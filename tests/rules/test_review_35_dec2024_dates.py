"""Dates of the December 2024 semiconductor rule (89 FR 96790, FR Doc 2024-28270, published
5 Dec 2024, effective 2 Dec 2024) in the rule base.

Before review 35 the ECCNs it added (3B993, 3B994, 3D993, 3D994, 3E993, 3E994) and the RS row
of 742.6(a)(11) they point at had no start date, so the rule base applied them from 1 Jan 2019:
an order line for 3B993 to China in 2023 was answered LICENSE_REQUIRED instead of being refused
as an entry not yet on the CCL, the way 3B090 before 7 Oct 2022 or 3A090.c before 2 Dec 2024 is.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from exportcheck import determine
from exportcheck.errors import UnknownItem
from exportcheck.models import Outcome
from exportcheck.rules import load_ruleset

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "tools" / "ccl_history.yaml"
DEC_2024 = ("3B993", "3B994", "3D993", "3D994", "3E993", "3E994")
EFFECTIVE = date(2024, 12, 2)
DAY_BEFORE = date(2024, 12, 1)


@pytest.mark.parametrize("eccn", DEC_2024)
def test_entry_is_refused_before_the_rule_and_licensed_from_its_first_day(eccn: str) -> None:
    with pytest.raises(UnknownItem, match=f"unknown ECCN {eccn}: not on the Commerce Control"):
        determine(eccn, "CN", DAY_BEFORE)
    d = determine(eccn, "CN", EFFECTIVE)
    assert d.outcome is Outcome.LICENSE_REQUIRED
    assert d.reasons == ["RS"]


def test_a_2023_order_line_for_3b993_is_refused_like_3b090_before_its_start() -> None:
    with pytest.raises(UnknownItem, match="unknown ECCN 3B993"):
        determine("3B993.b.1", "CN", date(2023, 6, 1))
    with pytest.raises(UnknownItem, match="unknown ECCN 3B090"):
        determine("3B090", "CN", date(2022, 10, 6))


def test_snapshots_hold_the_entries_from_the_effective_date() -> None:
    rs = load_ruleset()
    before, first = rs.as_of(DAY_BEFORE).ccl, rs.as_of(EFFECTIVE).ccl
    for eccn in DEC_2024:
        assert eccn not in before
        assert eccn in first
        assert "96790" in (first[eccn].start_citation or "")


def test_742_6a11_row_starts_with_the_rule() -> None:
    rows = [r for r in load_ruleset().rows("special_controls") if r.id == "rs_742_6a11"]
    assert len(rows) == 1
    row = rows[0]
    assert row.start_date_known
    assert row.start == EFFECTIVE
    assert "89 FR 96790" in (row.start_citation or "")
    # the destination set stays the unconfirmed Macau + D:5 (text of 742.6(a)(11) not read)
    assert "UNSURE" in (row.note or "")


def test_determination_no_longer_calls_the_entry_undated() -> None:
    d = determine("3B993", "CN", date(2025, 1, 2))
    assert not any("CCL entry 3B993" in c and "start date is not established" in c
                   for c in d.caveats)


def test_the_ccl_build_input_carries_the_same_dates() -> None:
    """tools/build_ccl.py copies ccl_history.yaml into ccl/cat3.yaml: a rebuild keeps them."""
    history = yaml.safe_load(HISTORY.read_text(encoding="utf-8"))["entries"]
    snapshot = load_ruleset().as_of(EFFECTIVE).ccl
    for eccn in DEC_2024:
        assert history[eccn]["effective_from"] == EFFECTIVE
        assert snapshot[eccn].start_citation == history[eccn]["start_citation"]


def test_hbm_paragraph_keeps_its_own_start() -> None:
    """3A090.c was already dated (rules/data/paragraph_starts.yaml): same day as the entries."""
    with pytest.raises(UnknownItem, match="2024-12-02"):
        determine("3A090.c", "CN", DAY_BEFORE)
    assert determine("3A090.c", "CN", EFFECTIVE).outcome is Outcome.LICENSE_REQUIRED
