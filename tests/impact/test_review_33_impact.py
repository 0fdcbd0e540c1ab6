"""Impact as a compliance manager runs it, from the QA pass of review 33: a side dated after
the rule base's eCFR edition is warned about (impact compares no caveats, so the batch's
"rules published since are not applied" would otherwise be lost), and so are two list
releases given newest first."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import polars as pl

from exportcheck.impact import impact
from exportcheck.rules.schema import SOURCE_EDITION
from exportcheck.screen.parsers import load_paths
from exportcheck.screen.service import SAMPLES_DIR, Screener

ORDERS = pl.DataFrame({"order_id": ["SO-1", "SO-2"], "item": ["3A001.a.2", "EAR99"],
                       "destination": ["HK", "DE"], "value": ["1200.50", "99.99"]})


def test_a_side_after_the_rule_bases_edition_is_a_warning() -> None:
    """2026-07-01 -> 2030-01-01: no line changes, and the summary says why that is no news
    (the rules of 2030 are not in the rule base), naming the edition and the late side."""
    r = impact(ORDERS, date(2026, 7, 1), date(2030, 1, 1))
    assert r.summary.totals.changed_lines == 0
    (warning,) = r.summary.warnings
    assert "new side 2030-01-01 is after the eCFR of " + SOURCE_EDITION.isoformat() in warning
    assert "old side" not in warning and "Federal Register" in warning
    both = impact(ORDERS, SOURCE_EDITION + timedelta(days=1), date(2030, 1, 1)).summary
    assert any("old side" in w and "new side" in w and " are after " in w
               for w in both.warnings)


def test_sides_up_to_the_edition_carry_no_such_warning() -> None:
    r = impact(ORDERS, date(2020, 6, 29), SOURCE_EDITION)
    assert not any("eCFR" in w for w in r.summary.warnings)


def _release(published: date, without: str | None = None) -> Screener:
    """The sample lists as a release published on ``published``, ``without`` one entry."""
    return Screener([dataclasses.replace(
        p, file_date=published, content_hash=f"{p.content_hash}-{published.isoformat()}",
        entries=[e for e in p.entries if e.name != without]) for p in load_paths([SAMPLES_DIR])])


def test_two_list_releases_given_newest_first_are_a_warning() -> None:
    """Dates given in reverse are refused; releases given in reverse run (undoing a load may be
    meant) but say so per source: here the entry the older release lacks shows as removed."""
    listed = "Centre Bright Electronics Company Limited"
    older, newer = _release(date(2021, 7, 7), listed), _release(date(2024, 5, 3))
    frame = pl.DataFrame({"item": ["EAR99"], "destination": ["HK"], "value": [900.0],
                          "end_user": [listed]})
    backwards = impact(frame, on=date(2024, 6, 1), from_screener=newer, to_screener=older)
    assert backwards.lines["new_outcome"][0] == "NLR"
    warned = [w for w in backwards.summary.warnings if "newer than the new side's" in w]
    assert len(warned) == len({p.source for p in newer.lists})
    assert any(w.startswith("the old side's csl release (published 2024-05-03)") for w in warned)
    assert "(published 2021-07-07)" in warned[0]
    forwards = impact(frame, on=date(2024, 6, 1), from_screener=older, to_screener=newer)
    assert not any("newer than" in w for w in forwards.summary.warnings)
