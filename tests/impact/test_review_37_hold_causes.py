"""A line held for review on one side only, between two rule dates (review 37): the answer does
not change, but a party listed in between holds the line, and its cause names the entry and the
day it took effect. It was blank: the officer saw a newly held line and no reason for it."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck import determine
from exportcheck.impact import impact
from exportcheck.screen.service import Screener

D0, D1 = date(2020, 6, 29), date(2021, 1, 15)
#: on the Military End-User List from 23 Dec 2020 (85 FR 83799), in the bundled sample lists
AASPT = "Academy of Aerospace Solid Propulsion Technology (AASPT)"


def _lines() -> pl.DataFrame:
    return pl.DataFrame({"order_id": ["SO-1", "SO-2", "SO-3"],
                         "item": ["USML:I(a)", "USML:I(a)", "USML:I(a)"],
                         "destination": ["CN", "CN", "CN"], "value": [5000.0, 700.0, 300.0],
                         "end_user": [AASPT, AASPT, "Harbour Florists Ltd"]})


def test_a_line_held_on_the_new_date_only_names_the_entry_that_holds_it() -> None:
    scr = Screener.from_samples()
    r = impact(_lines(), D0, D1, screener=scr)
    held, again, clear = r.lines.iter_rows(named=True)
    # what determine says on each side: the same answer, held on the new date only
    before, after = (determine("USML:I(a)", "CN", d, end_user=AASPT, screener=scr)
                     for d in (D0, D1))
    assert (before.hold, after.hold) == (False, True)
    assert (held["old_outcome"], held["new_outcome"]) == (before.outcome.value,
                                                          after.outcome.value)
    assert (held["changed"], held["old_hold"], held["new_hold"]) == (False, False, True)
    cause = held["cause"]
    assert cause.startswith(f"now held for review: end user '{AASPT}' matches MEU entry "), cause
    assert after.party_matches[0].entry_id in cause
    assert "85 FR 83799" in cause and "effective 2020-12-23" in cause
    assert again["cause"] == cause  # the lines of one group share it
    assert clear["cause"] == "" and not clear["hold"]
    t = r.summary.totals
    assert (t.changed_lines, t.held_new, t.held_old, t.value_held) == (0, 2, 0, 5700.0)


def test_a_line_held_on_both_sides_or_neither_has_no_hold_cause() -> None:
    """Held on both dates is no change between them: no cause, as for any unchanged line."""
    scr = Screener.from_samples()
    r = impact(_lines(), date(2021, 1, 15), date(2021, 6, 1), screener=scr)
    assert r.lines["hold"].to_list() == [True, True, False]
    assert r.lines["cause"].to_list() == ["", "", ""]
