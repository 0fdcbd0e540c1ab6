"""The report's charts: Altair (Vega-Lite) specs built from the impact tables, and the one
inlined JavaScript bundle that draws them (no network: vl-convert ships it).
"""

from __future__ import annotations

import functools
import json
import math
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import vl_convert as vlc

from exportcheck.impact.models import ImpactSummary, RuleEvent

#: outcome order (most to least restrictive) with the label and colour used everywhere
OUTCOMES: dict[str, tuple[str, str]] = {
    "PROHIBITED": ("Prohibited", "#7f1d1d"),
    "LICENSE_REQUIRED": ("Licence required", "#dc2626"),
    "EXCEPTION_AVAILABLE": ("Exception available", "#f59e0b"),
    "NLR": ("NLR", "#16a34a"),
    "ERROR": ("Error", "#9ca3af"),
}
LABELS = [label for label, _ in OUTCOMES.values()]
COLOURS = [colour for _, colour in OUTCOMES.values()]
#: rule events, and the review holds a list entry began or ended (:func:`hold_events`)
EVENT_COLOURS = {"Added": "#2563eb", "Removed": "#9333ea", "Held": "#d97706",
                 "Released": "#059669"}
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif'
TOP = 15
#: about one axis label per 130 px of chart width, whatever the screen
TICKS = {"expr": "ceil(width / 130)"}


def label(outcome: str | None) -> str:
    return OUTCOMES.get(outcome or "ERROR", (outcome or "Error", ""))[0]


# --- charts -------------------------------------------------------------------------------------


def _base(rows: list[dict[str, Any]]) -> alt.Chart:
    return alt.Chart(alt.Data(values=rows))


def _outcome_colour(field: str) -> alt.Color:
    """The outcome palette; its key is HTML above the charts (it wraps on a phone, Vega's not)."""
    return alt.Color(f"{field}:N", legend=None, scale=alt.Scale(domain=LABELS, range=COLOURS))


def _changed_opacity() -> alt.Opacity:
    """Changed lines solid, unchanged ones faded (said above the chart: one legend is enough)."""
    return alt.Opacity("line:N", legend=None, scale=alt.Scale(
        domain=["changed", "unchanged"], range=[1.0, 0.35]))


def _money_axis(title: str) -> alt.Axis:
    """SI-prefixed dollars ($1.5M), with a plain $0 rather than d3's "$0M"."""
    return alt.Axis(format="$~s", tickCount=TICKS, labelOverlap="greedy", title=title,
                    labelExpr="datum.value === 0 ? '$0' : datum.label")


def transition_chart(summary: ImpactSummary, measure: str) -> dict[str, Any] | None:
    """Lines (or value) by old outcome, coloured by new outcome: what moved where."""
    rows = [
        {"from": label(t.old_outcome), "to": label(t.new_outcome), "lines": t.lines,
         "value": t.value, "order": LABELS.index(label(t.new_outcome)),
         "line": "changed" if t.old_outcome != t.new_outcome else "unchanged"}
        for t in summary.totals.transitions
        if label(t.old_outcome) in LABELS and label(t.new_outcome) in LABELS
    ]
    if not rows or not any(r[measure] for r in rows):
        return None
    used = [label for label in LABELS if any(r["from"] == label for r in rows)]
    is_value = measure == "value"
    title = f"Value ({summary.currency})" if is_value else "Lines"
    chart = (
        _base(rows)
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            y=alt.Y("from:N", title=None, sort=used),
            x=alt.X(f"sum({measure}):Q", axis=_money_axis(title) if is_value else alt.Axis(
                title=title, format=",d", tickMinStep=1, tickCount=TICKS, labelOverlap="greedy")),
            color=_outcome_colour("to"),
            opacity=_changed_opacity(),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("from:N", title="Was"), alt.Tooltip("to:N", title="Now"),
                alt.Tooltip("line:N", title="Lines are"),
                alt.Tooltip("lines:Q", title="Lines", format=","),
                alt.Tooltip("value:Q", title="Value", format="$,.0f"),
            ],
        )
        .properties(width="container", height=max(110, 34 * len(used)))
    )
    return chart.to_dict()


def category_chart(lines: pl.DataFrame, summary: ImpactSummary) -> dict[str, Any] | None:
    """Money by category, stacked by new outcome, changed value solid and the rest faded."""
    frame = lines.with_columns(pl.col("value").fill_null(0.0))
    totals = (
        frame.group_by("category").agg(pl.col("value").sum().alias("total"))
        .filter(pl.col("total") > 0).sort(["total", "category"], descending=[True, False])
        .head(TOP)
    )
    if totals.is_empty():
        return None
    order = totals["category"].to_list()
    grouped = (
        frame.filter(pl.col("category").is_in(order))
        .group_by("category", "new_outcome", "changed")
        .agg(pl.len().alias("lines"), pl.col("value").sum().alias("value"))
        .sort("category", "new_outcome", "changed", nulls_last=True)  # the same page every time
    )
    rows = [
        {"category": r["category"], "outcome": label(r["new_outcome"]),
         "line": "changed" if r["changed"] else "unchanged", "lines": r["lines"],
         "value": r["value"],
         "order": LABELS.index(label(r["new_outcome"])) * 2 + (0 if r["changed"] else 1)}
        for r in grouped.iter_rows(named=True)
        if label(r["new_outcome"]) in LABELS
    ]
    chart = (
        _base(rows)
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            y=alt.Y("category:N", title=None, sort=order),
            x=alt.X("sum(value):Q", axis=_money_axis(f"Value ({summary.currency})")),
            color=_outcome_colour("outcome"),
            opacity=_changed_opacity(),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("category:N", title="Category"),
                alt.Tooltip("outcome:N", title="Outcome now"),
                alt.Tooltip("line:N", title="Lines are"),
                alt.Tooltip("lines:Q", title="Lines", format=","),
                alt.Tooltip("value:Q", title="Value", format="$,.0f"),
            ],
        )
        .properties(width="container", height=max(120, 26 * len(order)))
    )
    return chart.to_dict()


def _few(texts: list[str], n: int = 3) -> str:
    return "; ".join(texts[:n]) + (f" (+{len(texts) - n} more)" if len(texts) > n else "")


def _event_points(events: list[RuleEvent]) -> list[dict[str, Any]]:
    """One point per day, table and direction: ten chart marks removed on one day are one point
    (its size: the most lines any of them hit), not ten circles hiding each other's tooltips."""
    groups: dict[tuple, list[RuleEvent]] = {}
    for ev in sorted(events, key=lambda e: (-e.lines, e.rule)):
        groups.setdefault((ev.on, ev.change, ev.table or "—"), []).append(ev)
    return [
        {"on": on.isoformat(), "date": on.strftime("%d %b %Y"), "change": change.capitalize(),
         "table": table.replace("_", " "), "rules": len(evs), "rule": _few([e.rule for e in evs]),
         "citation": _few([e.citation for e in evs], 2), "lines": max(e.lines for e in evs),
         "value": max(e.value for e in evs)}
        for (on, change, table), evs in groups.items()
    ]


def timeline_chart(summary: ImpactSummary) -> dict[str, Any] | None:
    """Rule events on a time axis between the two dates; the bigger, the more lines they hit."""
    if not summary.events:
        return None
    rows = _event_points(summary.events)
    tables = sorted({r["table"] for r in rows})
    ends = [{"on": summary.old.date.isoformat(), "label": f"old {summary.old.date}",
             "align": "left"},
            {"on": summary.new.date.isoformat(), "label": f"new {summary.new.date}",
             "align": "right"}]
    first, last = summary.old.date, summary.new.date
    pad = timedelta(days=max(3, (last - first).days // 30))  # keep end points off the axis
    domain = [alt.DateTime(year=d.year, month=d.month, date=d.day, utc=True)
              for d in (min(first, *(e.on for e in summary.events)) - pad,
                        max(last, *(e.on for e in summary.events)) + pad)]
    months = (last - first).days > 180  # months label a span of years; weeks need their days
    # a label per ~120 px, the days dropped below 480 px ("01 Jul 2020" on a phone); one that
    # would touch its neighbour or stick out of the axis dropped rather than run into it
    x = alt.X("on:T", title=None, timeUnit="utcyearmonthdate", scale=alt.Scale(domain=domain),
              axis=alt.Axis(format="%b %Y" if months else "%d %b %Y", labelAngle=0, grid=True,
                            tickCount={"expr": "ceil(width / 120)"},
                            labelExpr="width < 480 ? utcFormat(datum.value, '%b %Y')"
                                      " : datum.label",
                            labelOverlap="greedy", labelSeparation=8, labelBound=True))
    rule = _base(ends).mark_rule(strokeDash=[4, 3], color="#64748b").encode(x=x)
    # old's label a row above new's: on a phone the two dates are ~150 px apart, less than
    # their labels ("old 2020-06-29" and "new 2020-12-24" wrote over each other on one row)
    labels = [
        _base([end]).mark_text(align=end["align"], dx=4 if end["align"] == "left" else -4,
                               dy=-20 if end["align"] == "left" else -6, color="#475569",
                               fontSize=11)
        .encode(x=x, y=alt.value(0), text="label:N")
        for end in ends
    ]
    points = (
        _base(rows)
        .mark_circle(opacity=0.8, stroke="white", strokeWidth=1)
        .encode(
            x=x,
            # a table's name on one line per word on a phone: "exception restrictions" on
            # one line took 40% of a 390 px chart from the time axis
            y=alt.Y("table:N", title=None, sort=tables, axis=alt.Axis(
                labelExpr="width < 480 ? split(datum.label, ' ') : datum.label")),
            color=alt.Color("change:N", title="Rule", scale=alt.Scale(
                domain=list(EVENT_COLOURS), range=list(EVENT_COLOURS.values())),
                legend=alt.Legend(orient="bottom", symbolType="circle")),
            size=alt.Size("lines:Q", title="Changed lines",
                          scale=alt.Scale(range=[60, 900], zero=True),
                          legend=None),
            tooltip=[
                alt.Tooltip("date:N", title="In force"), alt.Tooltip("change:N", title="Rule"),
                alt.Tooltip("table:N", title="Table"), alt.Tooltip("rules:Q", title="Rules"),
                alt.Tooltip("rule:N", title="What"), alt.Tooltip("citation:N", title="Citation"),
                alt.Tooltip("lines:Q", title="Changed lines", format=","),
                alt.Tooltip("value:Q", title="Value", format="$,.0f"),
            ],
        )
    )
    chart = alt.layer(rule, *labels, points).properties(
        width="container", height=max(120, 40 * len(tables) + 30)
    )
    return chart.to_dict()


def config(spec: dict[str, Any]) -> dict[str, Any]:
    """The same quiet look for every chart, in the page's font."""
    spec["config"] = {
        "font": FONT, "view": {"stroke": None},
        "axis": {"labelColor": "#334155", "titleColor": "#334155", "gridColor": "#e2e8f0",
                 "domainColor": "#94a3b8", "tickColor": "#94a3b8", "labelFontSize": 12,
                 "titleFontSize": 12, "labelLimit": 220},
        "legend": {"labelFontSize": 12, "titleFontSize": 12, "labelColor": "#334155",
                   "titleColor": "#334155", "symbolType": "square"},
        "autosize": {"type": "fit-x", "contains": "padding"},
    }
    return spec


@functools.cache
def vega_bundle() -> str:
    """Vega + Vega-Lite + Vega-Embed, matching Altair's Vega-Lite version, as one script.

    vl-convert builds the bundle in about 2 s, so it is kept in the user's cache folder, keyed
    by both versions (a new vl-convert or Altair makes a new file). Not in the data folder: the
    bundle depends on the installed packages only, and a run that stores nothing (impact
    without --db) must not create a data folder for it.
    """
    from platformdirs import user_cache_dir

    major_minor = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    cache = Path(user_cache_dir("exportcheck", appauthor=False)) / (
        f"vega-bundle-{vlc.__version__}-vl{major_minor}.js"
    )
    try:
        return cache.read_text(encoding="utf-8")
    except OSError:
        pass
    try:
        bundle = vlc.javascript_bundle(vl_version=major_minor)
    except ValueError:  # a vl-convert without Altair's exact version: its newest one
        bundle = vlc.javascript_bundle()
    bundle = bundle.replace("</script", "<\\/script")
    try:  # atomic: a reader never sees half a file
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        pass  # no cache: slower next time, same report
    return bundle


def _finite(data: Any) -> Any:
    """NaN and infinities as null: JSON has no word for them and Vega would draw nothing."""
    if isinstance(data, float) and not math.isfinite(data):
        return None
    if isinstance(data, dict):
        return {k: _finite(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_finite(v) for v in data]
    return data


def script_json(data: object) -> str:
    """JSON that cannot end the <script> element it sits in, whatever the names hold."""
    text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- page parts ---------------------------------------------------------------------------------


