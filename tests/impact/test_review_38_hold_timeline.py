"""The timeline accounts for lines held for review on one side only (review 38): such a line
has a cause (the entry that holds it) and money, but the rule events credit changed lines only,
so a newly held line was in the summary's totals and nowhere on the timeline."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from exportcheck.impact import impact
from exportcheck.impact.charts import timeline_chart
from exportcheck.impact.models import ImpactSummary, RuleEvent
from exportcheck.impact.summary import hold_events
from exportcheck.screen.service import Screener

D0, D1 = date(2020, 6, 29), date(2021, 1, 15)
#: on the Military End-User List from 23 Dec 2020 (85 FR 83799), in the bundled sample lists
AASPT = "Academy of Aerospace Solid Propulsion Technology (AASPT)"


def _lines() -> pl.DataFrame:
    return pl.DataFrame({"order_id": ["SO-1", "SO-2", "SO-3", "SO-4"],
                         "item": ["USML:I(a)", "USML:I(a)", "USML:I(a)", "3A001.a.1.a"],
                         "destination": ["CN", "CN", "CN", "HK"],
                         "value": [5000.0, 700.0, 300.0, 40.0],
                         "end_user": [AASPT, AASPT, "Harbour Florists Ltd", None]})


def _holds(summary: ImpactSummary) -> list[RuleEvent]:
    return [e for e in summary.events if e.table == "review holds"]


def test_the_timeline_credits_a_newly_held_line_once_with_its_money() -> None:
    r = impact(_lines(), D0, D1, screener=Screener.from_samples())
    t = r.summary.totals
    held_only = r.lines.filter(~pl.col("changed") & (pl.col("old_hold") != pl.col("new_hold")))
    assert (t.hold_moved_lines, t.value_hold_moved) == (held_only.height, 5700.0) == (2, 5700.0)
    holds = _holds(r.summary)
    assert sum(e.lines for e in holds) == t.hold_moved_lines
    assert sum(e.value for e in holds) == t.value_hold_moved
    (ev,) = holds
    # on the day the MEU listing took effect, citing it
    assert (ev.on, ev.change) == (date(2020, 12, 23), "held")
    assert "85 FR 83799" in ev.citation and AASPT in ev.rule and "MEU entry" in ev.rule
    # every line that moved is on the timeline: the changed ones by the rule events
    assert t.changed_lines + t.hold_moved_lines == r.lines.filter(pl.col("cause") != "").height
    chart = json.dumps(timeline_chart(r.summary))
    assert '"Held"' in chart and "review holds" in chart


def test_a_line_no_longer_held_is_credited_as_released() -> None:
    """The same lines seen the other way round (the hold on the old side, the cause's verb "no
    longer"), as a list release that drops the entry gives them: the same money, released."""
    r = impact(_lines(), D0, D1, screener=Screener.from_samples())
    back = r.lines.with_columns(
        pl.col("new_hold").alias("old_hold"), pl.col("old_hold").alias("new_hold"),
        pl.col("cause").str.replace("^now held", "no longer held"))
    holds = hold_events(back, D0, D1)
    assert [(e.change, e.lines, e.value) for e in holds] == [("released", 2, 5700.0)]


def test_no_hold_series_when_no_line_is_held_on_one_side_only() -> None:
    r = impact(_lines(), date(2021, 1, 15), date(2021, 6, 1), screener=Screener.from_samples())
    assert _holds(r.summary) == [] and r.summary.totals.hold_moved_lines == 0
