"""The impact run as one HTML page a compliance manager can open, mail or archive.

The page must open anywhere, including air-gapped review machines, so it loads nothing: the
Vega, Vega-Lite and Vega-Embed JavaScript comes from vl-convert's bundle and is inlined once for
all charts; the charts are Altair specs handed to that bundle as JSON; the CSS is our own.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path
from typing import Any

import polars as pl

from exportcheck.impact import charts
from exportcheck.impact.causes import BACKGROUND, LATER
from exportcheck.impact.charts import FONT, OUTCOMES, TOP
from exportcheck.impact.models import Breakdown, ImpactSummary

__all__ = ["render_report", "write_report"]

TOP_LINES = 50

#: columns the impact frame always has; any other column is a carried id (order, customer, ...)
SCHEMA: dict[str, Any] = {
    "line": pl.Int64, "item": pl.String, "destination": pl.String, "category": pl.String,
    "value": pl.Float64, "old_outcome": pl.String, "new_outcome": pl.String,
    "changed": pl.Boolean, "old_agency": pl.String, "new_agency": pl.String,
    "old_reasons": pl.String, "new_reasons": pl.String, "old_exceptions": pl.String,
    "new_exceptions": pl.String, "old_review_policy": pl.String,
    "new_review_policy": pl.String, "cause": pl.String, "error": pl.String,
    "old_error": pl.String, "new_error": pl.String,
    # the line's own facts and review marks, not ids an order file carries (as columns of
    # their own they pushed Value, Outcome and Cause off the page)
    "end_user": pl.String, "consignee": pl.String, "end_user_type": pl.String,
    "end_use": pl.String, "currency": pl.String, "value_in_currency": pl.Float64,
    "hold": pl.Boolean, "old_hold": pl.Boolean, "new_hold": pl.Boolean,
    "old_if_confirmed": pl.String, "new_if_confirmed": pl.String,
}
#: causes shown in full in a row; the rest are folded (a line can have seven, 2,000 characters)
CAUSES_SHOWN = 2
#: an outcome's other change (old and new text together) longer than this is folded
DETAIL_SHOWN = 80


def _e(value: object) -> str:
    return "" if value is None else escape(str(value))


def _num(value: float | int | None) -> str:
    return f"{value:,.0f}" if value is not None and math.isfinite(value) else "—"


def _money(value: float | None, currency: str) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    sign = "-" if value < 0 else ""
    if currency == "USD":
        return f"{sign}${abs(value):,.0f}"
    return f"{currency} {value:,.0f}"


def _pct(part: float, whole: float) -> str:
    if not (math.isfinite(part) and math.isfinite(whole)):
        return "—"
    return f"{100 * part / whole:.1f}%" if whole else "0%"


def _badge(outcome: str | None) -> str:
    key = outcome if outcome in OUTCOMES else "ERROR"
    return f'<span class="badge b-{key}">{_e(charts.label(outcome))}</span>'


def _normalise(lines: pl.DataFrame) -> pl.DataFrame:
    """Add any missing schema column as nulls, so a partial frame still renders."""
    missing = [pl.lit(None, dtype).alias(c) for c, dtype in SCHEMA.items() if c not in lines]
    frame = lines.with_columns(missing) if missing else lines
    return frame.with_columns(
        pl.col("changed").cast(pl.Boolean).fill_null(False),
        pl.col("value").cast(pl.Float64).fill_nan(None),
        pl.col("category").cast(pl.String).fill_null("—"),
    )


def _key() -> str:
    swatches = "".join(
        f'<span><i style="background:{colour}"></i>{_e(label)}</span>'
        for label, colour in OUTCOMES.values()
    )
    faded = '<span><i style="background:#dc2626;opacity:.35"></i>faded: unchanged</span>'
    return f'<div class="key">{swatches}{faded}</div>'


def _side_name(summary: ImpactSummary, side: str) -> str:
    s = summary.old if side == "old" else summary.new
    if summary.mode == "lists":
        return f"lists {s.lists_version or '—'}"
    return str(s.date)


def _title(summary: ImpactSummary) -> str:
    old, new = summary.old, summary.new
    if summary.mode == "lists":
        return f"Impact of list changes {old.lists_version or '—'} → {new.lists_version or '—'}"
    if summary.mode == "rules+lists":
        return f"Impact of rule and list changes {old.date} → {new.date}"
    return f"Impact of rule changes {old.date} → {new.date}"


def _kpi(key: str, label: str, value: str, sub: str = "", tone: str = "") -> str:
    return (
        f'<div class="kpi {tone}" data-kpi="{key}"><div class="kpi-label">{_e(label)}</div>'
        f'<div class="kpi-value">{_e(value)}</div><div class="kpi-sub">{_e(sub)}</div></div>'
    )


def _kpis(summary: ImpactSummary) -> str:
    t, cur = summary.totals, summary.currency
    cards = [
        _kpi("lines", "Lines", _num(t.lines), f"{_money(t.value, cur)} in total"),
        _kpi("changed", "Changed lines", _num(t.changed_lines),
             f"{_pct(t.changed_lines, t.lines)} of lines", "warn" if t.changed_lines else ""),
        _kpi("value_changed", "Value changed", _money(t.value_changed, cur),
             f"{_pct(t.value_changed, t.value)} of value"
             + (f"; {_num(t.changed_without_value)} changed line(s) without a value"
                if t.changed_without_value else ""), "warn" if t.value_changed else ""),
    ]
    if t.held_lines:
        cards.append(_kpi("held", "Held for review", _num(t.held_lines),
                          f"{_money(t.value_held, cur)}; {_num(t.held_old)} old side, "
                          f"{_num(t.held_new)} new side: a potential party match to review",
                          "warn"))
    if summary.licences is not None:
        lic = summary.licences
        cards += [
            _kpi("licences_hit", "Licences hit", _num(lic.hit), f"of {_num(lic.licences)}",
                 "warn" if lic.hit else ""),
            _kpi("unusable_value", "Unusable licence value", _money(lic.unusable_value, cur),
                 "remaining balance that cannot ship", "warn" if lic.unusable_value else ""),
        ]
    if summary.parties is not None:
        par = summary.parties
        cards += [
            _kpi("parties_hit", "Parties newly hit", _num(par.newly_hit),
                 f"of {_num(par.parties)} parties", "warn" if par.newly_hit else ""),
            _kpi("parties_cleared", "Parties cleared", _num(par.cleared), "no longer matched"),
        ]
    cards.append(_kpi("errors", "Errors", _num(t.errors),
                      "lines not determined" + (f" ({_money(t.value_errors, cur)})"
                                                if t.value_errors else ""),
                      "bad" if t.errors else ""))
    cols = len(cards) if len(cards) <= 4 else -(-len(cards) // 2)  # 6 as 3+3, 8 as 4+4
    return f'<section class="kpis" style="--cols:{cols}">{"".join(cards)}</section>'


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], table_id: str, numeric: set[int],
    cards: bool = False,
) -> str:
    """A table from already escaped cells; numeric columns (by index) align right. ``cards``:
    on a phone each row becomes a card of labelled fields (wide rows with long causes)."""
    def num(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    def td(i: int, cell: str) -> str:
        if not cards:
            return f"<td{num(i)}>{cell}</td>"
        return f'<td{num(i)} data-label="{_e(headers[i])}"><div>{cell}</div></td>'

    head = "".join(f"<th{num(i)}>{_e(h)}</th>" for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(td(i, c) for i, c in enumerate(r)) + "</tr>" for r in rows)
    table_cls = ' class="cards"' if cards else ""
    return (
        f'<div class="table-wrap"><table id="{table_id}"{table_cls}>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _breakdown(title: str, items: list[Breakdown], key: str, cur: str, top: int | None) -> str:
    ranked = sorted(items, key=lambda b: (-b.value_changed, -b.changed_lines, -b.value, b.key))
    shown = ranked[:top] if top else ranked
    more = f" (top {len(shown)} of {len(ranked)})" if len(shown) < len(ranked) else ""
    if not shown:
        return f'<div class="card"><h3>{_e(title)}</h3><p class="empty">Nothing to show.</p></div>'
    rows = [
        [_e(b.key), _num(b.lines), _num(b.changed_lines), _money(b.value, cur),
         _money(b.value_changed, cur)]
        for b in shown
    ]
    table = _table([key, "Lines", "Changed", "Value", "Value changed"], rows,
                   f"by-{key.lower()}", {1, 2, 3, 4})
    return f'<div class="card"><h3>{_e(title)}{_e(more)}</h3>{table}</div>'


def _cause(text: str | None, shown: int | None = None) -> str:
    """One bullet per rule or list entry; the engine's "now:" / "no longer:" set in bold.
    ``shown``: bullets past the first ``shown`` are folded into a ``<details>``, so that a
    line with many causes stays a row of readable height."""
    items = []
    for part in (p.strip() for p in (text or "").split(" | ")):
        lead = ""
        if part.startswith((LATER, BACKGROUND)):  # "then on 2020-12-23: now: ..."
            mark, _, part = part.partition(": ")
            lead = f"<i>{_e(mark)}:</i> "
        head, sep, rest = part.partition(": ")
        if sep and head in ("now", "no longer"):
            items.append(f"<li>{lead}<b>{_e(head)}</b> {_e(rest)}</li>")
        elif part:
            items.append(f"<li>{lead}{_e(part)}</li>")
    if not items:
        return ""
    if shown is None or len(items) <= shown + 1:  # folding one bullet saves nothing
        return f'<ul class="cause">{"".join(items)}</ul>'
    more = len(items) - shown
    return (f'<ul class="cause">{"".join(items[:shown])}</ul>'
            f'<details class="more-causes"><summary>{more} more cause'
            f'{"" if more == 1 else "s"}</summary>'
            f'<ul class="cause">{"".join(items[shown:])}</ul></details>')


#: what else can change on a line while its outcome stays the same
DETAILS = {"agency": "agency", "reasons": "reasons", "exceptions": "exceptions",
           "review_policy": "policy"}


def _outcome_cell(r: dict[str, Any]) -> str:
    """old → new outcome, and under it whatever else changed (a policy of denial, lost GBS)."""
    cell = f'{_badge(r["old_outcome"])}<span class="arrow">→</span> {_badge(r["new_outcome"])}'
    for key, label in DETAILS.items():
        old, new = r[f"old_{key}"] or "", r[f"new_{key}"] or ""
        if old == new:
            continue
        change = f'{_e(old or "none")} → {_e(new or "none")}'
        if len(old) + len(new) > DETAIL_SHOWN:  # a review policy's paragraph: folded
            cell += (f'<details class="detail"><summary>{_e(label)} changed</summary>'
                     f"{change}</details>")
        else:
            cell += f'<div class="detail">{_e(label)}: {change}</div>'
    if r.get("hold"):
        sides = " and ".join(s for s in ("old", "new") if r.get(f"{s}_hold")) or "a"
        cell += f'<div class="detail held">held for review on the {_e(sides)} side</div>'
    return cell


def _id_columns(frame: pl.DataFrame) -> list[str]:
    """Carried columns worth a table column: any with a value on a changed line."""
    changed = frame.filter(pl.col("changed"))
    return [
        c for c in frame.columns
        if c not in SCHEMA and changed.select(
            (pl.col(c).cast(pl.String).fill_null("").str.strip_chars() != "").any()
        ).item()
    ]


def _top_changed(lines: pl.DataFrame, cur: str) -> str:
    changed = lines.filter(pl.col("changed"))
    if changed.is_empty():
        return '<p class="empty" id="no-changes">No determination changed between the sides.</p>'
    ids = _id_columns(lines)
    top = changed.sort(["value", "line"], descending=[True, False], nulls_last=True)
    top = top.head(TOP_LINES)
    rows = [
        [_e(r["line"]), *(f'<span class="carried">{_e(r[c])}</span>' for c in ids),
         f'<span class="mono">{_e(r["item"])}</span>', _e(r["destination"]),
         _money(r["value"], cur), _outcome_cell(r),
         _cause(r["cause"], CAUSES_SHOWN) or _e(r["error"])]
        for r in top.iter_rows(named=True)
    ]
    n = len(ids)
    headers = ["Line", *ids, "Item", "Dest.", "Value", "Outcome", "Cause"]
    note = f"Top {len(rows)} of {changed.height} changed lines by value."
    return f'<p class="muted">{_e(note)}</p>' + _table(
        headers, rows, "top-changed", {0, n + 3}, cards=True)


def _events_table(summary: ImpactSummary) -> str:
    """Every event, folded away: the chart shows when, this says exactly what."""
    if not summary.events:
        return ""
    cur = summary.currency
    rows = [
        [f'<span class="nowrap">{_e(ev.on)}</span>', _e(ev.change), _e(ev.rule), _e(ev.citation),
         f'<span class="mono">{_e(ev.table)}</span>', _num(ev.lines), _money(ev.value, cur)]
        for ev in sorted(summary.events, key=lambda e: (e.on, -e.lines, e.rule))
    ]
    headers = ["In force", "Change", "Rule", "Citation", "Table", "Changed lines", "Value"]
    table = _table(headers, rows, "events", {5, 6})
    return f"<details><summary>All {len(rows)} rule events</summary>{table}</details>"


def _licences(summary: ImpactSummary) -> str:
    if summary.licences is None:
        return ""
    lic, cur = summary.licences, summary.currency
    if not lic.rows:
        body = '<p class="empty">No licence in the ledger is affected.</p>'
    else:
        rows = [
            [_e(r.agency), f'<span class="mono">{_e(r.number)}</span>', _e(r.destination),
             f"{_e(r.status_old)} → {_e(r.status_new)}", _money(r.approved_value, cur),
             _money(r.shipped_value, cur), _money(r.remaining_value, cur),
             _money(r.unusable_value, cur), _cause(r.cause)]
            for r in sorted(lic.rows, key=lambda r: -r.unusable_value)
        ]
        headers = ["Agency", "Licence", "Dest.", "Status", "Approved", "Shipped", "Remaining",
                   "Unusable", "Cause"]
        body = _table(headers, rows, "licences", {4, 5, 6, 7}, cards=True)
    if lic.expired:
        numbers = ", ".join(_e(r.number) for r in lic.expired_rows[:10])
        more = f" and {lic.expired - 10} more" if lic.expired > 10 else ""
        body += (f'<p class="note">Not counted: {_num(lic.expired)} licence'
                 f'{"" if lic.expired == 1 else "s"} ({numbers}{more}) reached the end of '
                 f"{'its' if lic.expired == 1 else 'their'} validity between the dates, "
                 f"{_money(lic.expired_value, cur)} unshipped: no rule or status change "
                 "caused it.</p>")
    return f"<section><h2>Licences</h2>{body}</section>"


def _parties(summary: ImpactSummary) -> str:
    if summary.parties is None:
        return ""
    if not summary.parties.rows:
        body = '<p class="empty">No stored party is newly hit or cleared.</p>'
    else:
        rows = [
            [_e(r.party), _e(r.country), _e(r.change), _e(r.list),
             f'<span class="mono">{_e(r.entry_id)}</span>', _e(r.matched_name),
             f"{r.score:.2f}"]
            for r in summary.parties.rows
        ]
        headers = ["Party", "Country", "Change", "List", "Entry", "Matched name", "Score"]
        body = _table(headers, rows, "parties", {6})
    return f"<section><h2>Parties</h2>{body}</section>"


def _list_changes(summary: ImpactSummary) -> str:
    if not summary.list_changes:
        return ""
    cur = summary.currency
    rows = [
        [_e(c.list), f'<span class="mono">{_e(c.entry_id)}</span>', _e(c.matched_name),
         _e(c.change), _num(c.lines), _money(c.value, cur)]
        for c in sorted(summary.list_changes, key=lambda c: (-c.value, -c.lines))
    ]
    headers = ["List", "Entry", "Matched name", "Change", "Lines", "Value"]
    table = _table(headers, rows, "list-changes", {4, 5})
    return f"<section><h2>List entries that made a difference</h2>{table}</section>"


def _chart_box(
    chart_id: str, spec: dict[str, Any] | None, title: str, note: str, empty: str
) -> tuple[str, dict | None]:
    """A card with an HTML title (it wraps on a phone, a Vega title would be cut) and the chart."""
    head = f'<h3>{_e(title)}</h3><p class="muted">{_e(note)}</p>'
    if spec is None:
        return f'<div class="card">{head}<p class="empty">{_e(empty)}</p></div>', None
    html = f'<div class="card">{head}<div class="chart" id="{chart_id}"></div></div>'
    return html, charts.config({**spec, "description": title})  # the SVG's aria-label


CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:__FONT__;color:#0f172a;background:#f1f5f9;line-height:1.45;
  font-size:14px;-webkit-text-size-adjust:100%}
header{background:#0f172a;color:#f8fafc;padding:28px 0 24px}
.wrap{max-width:1200px;margin:0 auto;padding:0 20px}
h1{margin:0 0 6px;font-size:26px;font-weight:650;letter-spacing:-.01em}
h2{font-size:18px;margin:32px 0 12px;font-weight:650}
h3{font-size:14px;margin:0 0 10px;font-weight:600;color:#334155}
.meta{color:#cbd5e1;font-size:13px;display:flex;flex-wrap:wrap;gap:6px 18px;
  overflow-wrap:anywhere}
.meta b{color:#f8fafc;font-weight:600}
.notes{margin:12px 0 0;padding-left:18px;color:#e2e8f0;font-size:13px}
.notes .warn{color:#fde68a;font-weight:600}
.kpis{display:grid;grid-template-columns:repeat(var(--cols),minmax(0,1fr));gap:12px;
  margin:-14px 0 8px}
.kpi{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 3px #0f172a1f;
  border-top:4px solid #94a3b8}
.kpi.warn{border-top-color:#dc2626}.kpi.bad{border-top-color:#7f1d1d}
.kpi-label{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:#64748b}
.kpi-value{font-size:26px;font-weight:700;font-variant-numeric:tabular-nums;margin:2px 0}
.kpi-sub{font-size:12px;color:#64748b}
.card{background:#fff;border-radius:10px;padding:16px;box-shadow:0 1px 3px #0f172a1f;
  min-width:0}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,460px),1fr));
  gap:16px}
.grid2.top{align-items:start}
.chart{width:100%}
.stack>*+*{margin-top:16px}
.empty{color:#64748b;font-style:italic;margin:4px 0}
.muted{color:#64748b;margin:0 0 8px}
.table-wrap{overflow-x:auto;background:#fff;border-radius:10px;
  box-shadow:0 1px 3px #0f172a1f}
.card .table-wrap{box-shadow:none;border-radius:0}
table{border-collapse:collapse;width:100%;font-size:13px}
th{background:#f8fafc;color:#475569;font-weight:600;text-align:left;padding:8px 10px;
  border-bottom:1px solid #e2e8f0;white-space:nowrap}
td{padding:7px 10px;border-bottom:1px solid #f1f5f9;vertical-align:top}
tr:hover td{background:#f8fafc}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.mono{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;font-size:12px;
  white-space:nowrap}
#top-changed td:last-child,#licences td:last-child{min-width:260px;width:45%;
  overflow-wrap:anywhere}
.carried{display:inline-block;max-width:11em;overflow-wrap:break-word}
details.detail summary{font-size:11px;color:#475569;margin:0}
.more-causes summary{font-size:12px;font-weight:600;margin:4px 0 0}
.more-causes .cause{margin-top:3px}
.held{color:#9a3412}
details summary{cursor:pointer;color:#1d4ed8;font-weight:600;margin:4px 0 10px}
.detail{font-size:11px;color:#475569;margin-top:3px;min-width:150px;max-width:220px}
.cause{margin:0;padding-left:16px;color:#334155;font-size:12px}
.cause li+li{margin-top:3px}.cause b{color:#0f172a}
.badge{display:inline-block;padding:1px 7px;border-radius:999px;font-size:11px;
  font-weight:600;color:#fff;white-space:nowrap}
.b-PROHIBITED{background:#7f1d1d}.b-LICENSE_REQUIRED{background:#dc2626}
.b-EXCEPTION_AVAILABLE{background:#f59e0b;color:#1f1300}.b-NLR{background:#16a34a}
.b-ERROR{background:#9ca3af}
.key{display:flex;flex-wrap:wrap;gap:4px 16px;margin:-4px 0 12px;font-size:12px;
  color:#334155}
.key span{display:inline-flex;align-items:center;gap:6px}
.key i{width:11px;height:11px;border-radius:2px;display:inline-block}
.arrow{color:#64748b;margin:0 4px}.nowrap{white-space:nowrap}
footer{color:#64748b;font-size:12px;margin:40px 0 30px}
@media (max-width:900px){.kpis{grid-template-columns:repeat(auto-fit,minmax(160px,1fr))}}
@media (max-width:600px){h1{font-size:20px}.kpi-value{font-size:22px}
  .kpis{grid-template-columns:repeat(2,minmax(0,1fr))}
  .wrap{padding:0 12px}
  table.cards thead{display:none}
  table.cards tr{display:block;padding:8px 0;border-bottom:6px solid #f1f5f9}
  table.cards td{display:flex;gap:10px;border:0;padding:3px 12px;text-align:left;
    white-space:normal}
  table.cards td::before{content:attr(data-label);flex:0 0 78px;color:#64748b;
    font-size:12px;font-weight:600}
  table.cards td>div{min-width:0;flex:1}
  #top-changed td:last-child,#licences td:last-child{min-width:0;width:auto;display:block}
  #top-changed td:last-child::before,#licences td:last-child::before{display:block;
    margin-bottom:3px}}
""".replace("__FONT__", FONT)


def render_report(lines: pl.DataFrame, summary: ImpactSummary) -> str:
    """The whole report as one HTML document that needs no network to open."""
    frame = _normalise(lines)
    cur = summary.currency
    specs: dict[str, dict] = {}

    def box(chart_id: str, spec: dict[str, Any] | None, title: str, note: str, empty: str) -> str:
        html, ready = _chart_box(chart_id, spec, title, note, empty)
        if ready is not None:
            specs[chart_id] = ready
        return html

    old, new = _side_name(summary, "old"), _side_name(summary, "new")
    moved = f"Bars: outcome on {old}; colour: outcome on {new}; faded: the same outcome."
    transitions = box("chart-transitions-lines", charts.transition_chart(summary, "lines"),
                      "Lines by outcome", moved, "No lines to chart.")
    transitions += box("chart-transitions-value", charts.transition_chart(summary, "value"),
                       f"Value ({cur}) by outcome", moved, "No line carries a value.")
    category = box("chart-category", charts.category_chart(frame, summary),
                   f"Value by category (top {TOP})",
                   f"Colour: outcome on {new}; solid: changed lines, faded: unchanged ones.",
                   "No line carries a value.")
    timeline = box("chart-events", charts.timeline_chart(summary),
                   "Rules that came into or went out of force",
                   "Between the two dates, for these destinations and items. Circle size: "
                   "changed lines whose cause names the rule; hover for the citation.",
                   "No rule came into or went out of force between the two dates for these lines.")
    meta = [
        ("Ruleset", summary.ruleset_version), ("Mode", summary.mode),
        ("Old", f"{summary.old.date}" + (f" · lists {summary.old.lists_version}"
                                         if summary.old.lists_version else "")),
        ("New", f"{summary.new.date}" + (f" · lists {summary.new.lists_version}"
                                         if summary.new.lists_version else "")),
        ("Currency", cur),
    ]
    notes = "".join([*(f'<li class="warn">warning: {_e(w)}</li>' for w in summary.warnings),
                     *(f"<li>{_e(n)}</li>" for n in summary.notes)])
    breakdowns = "".join([
        _breakdown("By destination", summary.by_destination, "Destination", cur, TOP),
        _breakdown("By reason for control", summary.by_reason, "Reason", cur, TOP),
        _breakdown("By customer", summary.by_customer, "Customer", cur, TOP),
        _breakdown("By agency", summary.by_agency, "Agency", cur, None),
    ])
    if specs:
        script = (
            f"<script>{charts.vega_bundle()}</script>\n<script>\n(function(){{\n"
            f"const specs = {charts.script_json(specs)};\n"
            # ast: Vega's expression interpreter (bundled in vega-embed) instead of its
            # compiler, which builds functions from strings: the policy needs no 'unsafe-eval'
            "const opts = {actions: false, renderer: 'svg', ast: true};\n"
            "const jobs = Object.entries(specs).map(([id, spec]) =>\n"
            "  vegaEmbed('#' + id, spec, opts).catch((err) => {\n"
            "    document.getElementById(id).textContent = 'This chart could not be drawn.';\n"
            "    console.error(err);\n  }));\n"
            "Promise.all(jobs).then(() => {document.body.dataset.chartsReady = jobs.length;});\n"
            "})();\n</script>"
        )
    else:
        script = "<script>document.body.dataset.chartsReady = 0;</script>"
    title = _title(summary)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)}</title>
<style>{CSS}</style></head>
<body>
<header><div class="wrap">
<h1>{_e(title)}</h1>
<div class="meta">{"".join(f"<span>{_e(k)} <b>{_e(v)}</b></span>" for k, v in meta)}</div>
{f'<ul class="notes">{notes}</ul>' if notes else ""}
</div></header>
<main class="wrap">
{_kpis(summary)}
<h2>What moved</h2>
{_key() if "chart-transitions-lines" in specs else ""}
<div class="grid2">{transitions}</div>
<h2>Where the money is</h2>
{_key() if "chart-category" in specs else ""}
<div class="stack">{category}</div>
<h2>Rule events</h2>
<div class="stack">{timeline}{_events_table(summary)}</div>
<h2>Breakdowns</h2>
<div class="grid2 top">{breakdowns}</div>
<h2>Top changed lines</h2>
{_top_changed(frame, cur)}
{_licences(summary)}
{_parties(summary)}
{_list_changes(summary)}
<footer>Generated by exportcheck from ruleset {_e(summary.ruleset_version)}. Outcomes are
determinations by the rule base, not legal advice; review each changed line.</footer>
</main>
{script}
</body></html>
"""


def write_report(path: str | Path, lines: pl.DataFrame, summary: ImpactSummary) -> None:
    """Render and write the report as UTF-8 (the page declares that charset)."""
    Path(path).write_text(render_report(lines, summary), encoding="utf-8")
