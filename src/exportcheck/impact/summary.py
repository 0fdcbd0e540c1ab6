"""The summary of an impact run: totals, breakdowns, the rule timeline, licences and parties.

Everything here is computed from the line table (and the ledger, the stored parties), so the
report and ``summary.json`` can never disagree with ``lines.parquet``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import polars as pl

from exportcheck.determine.batch_io import fold
from exportcheck.impact.causes import BACKGROUND, LATER, LIST_CAUSE, SEP
from exportcheck.impact.models import (
    Breakdown,
    ImpactSummary,
    LicenceImpact,
    LicenceSummary,
    ListChange,
    PartyImpact,
    PartySummary,
    RuleEvent,
    Side,
    Totals,
    Transition,
)
from exportcheck.rules.describe import summarise
from exportcheck.rules.ruleset import RuleSet, named_destinations
from exportcheck.rules.schema import SOURCE_EDITION

_VALUE = pl.col("value").fill_null(0.0)
#: carried columns that name an order (compared as :func:`fold` spells them) and, when an order
#: has several lines, the line within it
ORDER_ID_COLUMNS = ("order_id", "orderid", "order_no", "order_number")
LINE_NO_COLUMNS = ("line_no", "line_number", "order_line", "order_line_no")
#: how many repeated ids a warning names, and how many lines of each
_SHOWN = 5


def _money(x: Any) -> float:
    return round(float(x or 0.0), 2)


def breakdown(lines: pl.DataFrame, key: pl.Expr, *, explode: bool = False) -> list[Breakdown]:
    """Lines and money per key, changed lines first by value changed."""
    df = lines.select(key.alias("key"), "changed", _VALUE.alias("value"))
    if explode:
        df = df.with_columns(pl.col("key").str.split(",")).explode("key")
    df = df.with_columns(pl.col("key").fill_null("none").replace("", "none"))
    agg = (
        df.group_by("key")
        .agg(
            pl.len().alias("lines"),
            pl.col("changed").sum().alias("changed_lines"),
            pl.col("value").sum().alias("value"),
            pl.col("value").filter(pl.col("changed")).sum().alias("value_changed"),
        )
        .sort(["value_changed", "changed_lines", "value", "key"], descending=[True, True, True,
                                                                              False])
    )
    return [
        Breakdown(key=str(r["key"]), lines=r["lines"], changed_lines=r["changed_lines"],
                  value=_money(r["value"]), value_changed=_money(r["value_changed"]))
        for r in agg.iter_rows(named=True)
    ]


def _totals(lines: pl.DataFrame) -> Totals:
    trans = (
        lines.group_by("old_outcome", "new_outcome")
        .agg(pl.len().alias("lines"), _VALUE.sum().alias("value"))
        # ties broken by money, then outcome (an error, None, last): a group-by's order is a
        # hash's, and a stored run must read the same when run again
        .sort(["lines", "value", "old_outcome", "new_outcome"],
              descending=[True, True, False, False], nulls_last=True)
    )
    changed = lines.filter(pl.col("changed"))
    held = lines.filter(pl.col("hold")) if "hold" in lines.columns else lines.clear()
    held_side = {
        side: int(lines.get_column(f"{side}_hold").sum()) if f"{side}_hold" in lines.columns
        else 0
        for side in ("old", "new")
    }
    hold_moved = _hold_moved(lines)
    return Totals(
        hold_moved_lines=hold_moved.height,
        value_hold_moved=_money(hold_moved.select(_VALUE.sum()).item()),
        held_old=held_side["old"],
        held_new=held_side["new"],
        held_lines=held.height,
        value_held=_money(held.select(_VALUE.sum()).item()),
        lines=lines.height,
        errors=lines.filter(pl.col("error").is_not_null()).height,
        value_errors=_money(lines.filter(pl.col("error").is_not_null())
                            .select(_VALUE.sum()).item()),
        changed_lines=changed.height,
        value=_money(lines.select(_VALUE.sum()).item()),
        value_changed=_money(changed.select(_VALUE.sum()).item()),
        changed_without_value=changed.filter(pl.col("value").is_null()).height,
        transitions=[
            Transition(old_outcome=r["old_outcome"], new_outcome=r["new_outcome"],
                       lines=r["lines"], value=_money(r["value"]))
            for r in trans.iter_rows(named=True)
        ],
    )


def rule_events(lines: pl.DataFrame, rs: RuleSet, d_old: date, d_new: date) -> list[RuleEvent]:
    """Rules that came into or went out of force between the dates and can reach the portfolio,
    each with the changed lines whose cause cites it."""
    if d_old >= d_new:
        return []
    dests = set(lines.get_column("destination").drop_nulls().unique().to_list())
    seen_as: dict[str, set[str]] = {d: {d} for d in dests}  # what each is determined as, too
    for r in rs.rows("aliases"):
        if r.code in dests:
            seen_as[r.code].add(r.as_code)
    codes = set().union(*seen_as.values()) if seen_as else set()
    eccns = set(
        lines.select(pl.col("item").str.slice(0, 5).str.to_uppercase()).to_series().to_list()
    )
    changed = (
        lines.filter(pl.col("changed") & (pl.col("cause") != ""))
        .group_by("destination", "cause")
        .agg(pl.len().alias("n"), _VALUE.sum().alias("v"))
    )
    groups = list(changed.iter_rows())
    events = list(rs.changes_between(d_old, d_new))
    cited = Counter(row.citation for _, row, _ in events if row.citation)
    shared = {c for c, k in cited.items() if k > 1}
    out = []
    for table, row, kind in events:
        if table == "ccl" and row.eccn not in eccns:
            continue
        named = named_destinations(row) if table != "ccl" else set()
        if named and not named & codes:
            continue
        on = row.start if kind == "added" else row.effective_to + timedelta(days=1)
        n, v = 0, 0.0
        for dest, cause, cnt, val in groups:
            if named and not named & seen_as.get(dest, {dest}):
                continue
            if _caused(cause, row, kind, shared):
                n += cnt
                v += val or 0.0
        out.append(RuleEvent(on=on, change=kind, rule=summarise(table, row),
                             citation=row.citation, table=table, lines=n, value=_money(v)))
    return out


#: a cause naming a listing that took effect between the two dates: the trace dates the step
#: of a listed party (determine/parties.py, "...; in force from 2019-05-16)")
_LISTED = re.compile(r"^now: (?P<rule>[^(]+?) \((?P<cite>[^()]*?); in force from "
                     r"(?P<on>\d{4}-\d{2}-\d{2})\): .*?matches (?:'(?P<n1>.*?)'|\"(?P<n2>.*?)\") "
                     r"\((?P<list>\S+) (?P<entry>[^,\s]+),")


_PREFIX = re.compile(rf"^(?:{BACKGROUND}|{LATER}\d{{4}}-\d{{2}}-\d{{2}}: )")


def listing_events(lines: pl.DataFrame) -> list[RuleEvent]:
    """The restricted-party listings that took effect between the dates and changed lines
    (a party listed in between: screen/listing.py), each with those lines and their value."""
    changed = (lines.filter(pl.col("changed") & pl.col("cause").str.contains("in force from"))
               .group_by("cause").agg(pl.len().alias("n"), _VALUE.sum().alias("v")))
    found: dict[tuple, list] = {}
    for cause, n, v in changed.iter_rows():
        keys = set()
        for item in cause.split(SEP):
            if m := _LISTED.match(_PREFIX.sub("", item)):
                keys.add((date.fromisoformat(m["on"]), m["rule"], m["cite"],
                          m["n1"] or m["n2"], m["list"], m["entry"]))
        for key in keys:  # a line counts once for each listing its cause names
            tally = found.setdefault(key, [0, 0.0])
            tally[0] += n
            tally[1] += v or 0.0
    return [RuleEvent(on=on, change="added", rule=f"{rule}: {name} ({code} {entry})",
                      citation=cite, table="restricted-party lists", lines=n, value=_money(v))
            for (on, rule, cite, name, code, entry), (n, v) in sorted(found.items())]


def _hold_moved(lines: pl.DataFrame) -> pl.DataFrame:
    """Lines whose answer did not change, held for review on one side only."""
    if not {"old_hold", "new_hold"} <= set(lines.columns):
        return lines.clear()
    return lines.filter(~pl.col("changed") & pl.col("old_hold").ne_missing(pl.col("new_hold")))


#: a hold item as :func:`~exportcheck.impact.causes.hold_items` writes it
_HOLD = re.compile(r"^(?P<verb>now|no longer) held for review: .*? matches (?P<list>\S+) entry "
                   r"(?P<entry>\S+) '(?P<name>.*?)' \([^;)]*(?:; (?P<basis>[^)]*))?\)")
_EFFECTIVE = re.compile(r"effective (\d{4}-\d{2}-\d{2})")


def hold_events(lines: pl.DataFrame, d_old: date, d_new: date) -> list[RuleEvent]:
    """The "review holds" series of the timeline: each line held on one side only with its
    answer unchanged, credited once, to the first entry its cause names (on the day the
    entry's listing took effect between the dates, else the new date), with its value. The
    rule events credit changed lines only; without this series a newly held line carried
    money the summary counted and the timeline did not (review 38)."""
    found: dict[tuple, list] = {}
    low, high = min(d_old, d_new), max(d_old, d_new)
    rows = _hold_moved(lines).select(pl.col("cause").fill_null(""), _VALUE.alias("v"))
    for cause, v in rows.iter_rows():
        m = next((m for part in cause.split(SEP) if (m := _HOLD.match(part))), None)
        if m is None:
            key = (d_new, "held", "held for review, entry not named", "")
        else:
            eff = _EFFECTIVE.search(m["basis"] or "")
            on = date.fromisoformat(eff[1]) if eff else d_new
            key = (on if low <= on <= high else d_new,
                   "held" if m["verb"] == "now" else "released",
                   f"{m['list']} entry {m['entry']} '{m['name']}'", m["basis"] or "")
        tally = found.setdefault(key, [0, 0.0])
        tally[0] += 1
        tally[1] += v or 0.0
    return [RuleEvent(on=on, change=change, rule=rule, citation=cite, table="review holds",
                      lines=n, value=_money(v))
            for (on, change, rule, cite), (n, v) in sorted(found.items())]


def _caused(cause: str, row: Any, kind: str, shared: set[str]) -> bool:
    """Whether a changed line's ``cause`` names this rule event: as a rule that fired on one
    side only, dated by this very event ("in force from 2020-12-23"), or as the reason another
    rule gives in its detail (740.2(a)(23) taking LVS away); and by its id where another rule
    shares the citation (the civil and military rows of one 742.4(b)(7) paragraph). Only the
    first day the line's answer changed is credited: the later days the cause tells ("then on
    2022-04-08: ...") are not, so no line is counted twice for one change, nor are the rules
    that changed beside it without changing its answer ("background: ...")."""
    parts = [p for p in cause.split(SEP) if not p.startswith((LATER, BACKGROUND))]
    cause = SEP.join(parts)
    if not row.citation or row.citation not in cause:
        return False
    day = row.start if kind == "added" else row.effective_to
    marker = f"in force {'from' if kind == 'added' else 'until'} {day.isoformat()}"
    for part in parts:
        # "now: RULE (CITATION; in force from DAY): DETAIL": the rule itself, dated by this
        # event, or a rule the detail gives as the reason ("... (15 CFR 740.2(a)(23) ...)"),
        # which is in force: its coming, not its end (HK's 740.2(a)(23) ended on 22 Dec 2020)
        head, _, detail = part.partition("): ")
        if (row.citation in head and marker in head) or (kind == "added"
                                                          and row.citation in detail):
            break
    else:
        return False
    rid = getattr(row, "id", None)
    return not (row.citation in shared and rid
                and re.search(re.escape(str(rid)) + r"(?![\w-])", cause) is None)


def list_changes(lines: pl.DataFrame) -> list[ListChange]:
    """The list entries the lines' causes name, each with the lines (changed, or held on one
    side only) and money it reached: the list-release counterpart of :func:`rule_events`."""
    named = lines.filter(pl.col("cause").str.starts_with("list entry ").fill_null(False))
    found: dict[tuple[str, str, str, str], list[float]] = {}
    for cause, value in named.select("cause", _VALUE).iter_rows():
        seen = set()
        for part in cause.split(SEP):
            m = LIST_CAUSE.match(part)
            if m is None:
                continue
            key = (m[2], m[3], m[4], "added" if m[1] == "now" else "removed")
            if key not in seen:  # a line counts once per entry
                seen.add(key)
                found.setdefault(key, []).append(value)
    return sorted(
        (ListChange(list=k[0], entry_id=k[1], matched_name=k[2], change=k[3], lines=len(v),
                    value=_money(sum(v))) for k, v in found.items()),
        key=lambda c: (-c.value, -c.lines, c.list, c.entry_id))


def _refusal(lic: Any, named: dict[str, str], day: date, screener: Any) -> Any:
    """The ledger's party check of a shipment on ``lic`` to the parties it names on ``day``:
    its first ``(message, rule)`` refusal, or None."""
    from exportcheck.ledger.party_check import check_parties
    from exportcheck.ledger.schemas import ShipmentIn
    from exportcheck.models import Agency

    spec = ShipmentIn(
        idempotency_key="impact", licence_number=lic.number, agency=lic.agency, ship_date=day,
        destination=lic.destination, consignee=named["consignee"], end_user=named["end_user"],
        lines=[{"classification": ln.classification, "value": 1} for ln in lic.lines])
    checked = check_parties(spec, screener, Agency(lic.agency))
    return checked.refusals[0] if checked.refusals else None


def _party_rows(ledger: Any, before: dict, after: dict, d_old: date, d_new: date,
                old_scr: Any, new_scr: Any) -> list[LicenceImpact]:
    rows = []
    for lic in ledger.list_licences():
        r, b = after.get((lic.agency, lic.number)), before.get((lic.agency, lic.number))
        named = {p.role: p.name for p in lic.parties}
        if (r is None or b is None or r.available <= 0
                or not {"consignee", "end_user"} <= set(named)):
            continue
        now = _refusal(lic, named, d_new, new_scr)
        if now is None or _refusal(lic, named, d_old, old_scr) is not None:
            continue
        message, rule = now
        rows.append(LicenceImpact(
            agency=r.agency, number=r.number, destination=r.destination, status_old=b.status,
            status_new=r.status, approved_value=float(r.approved), shipped_value=float(r.shipped),
            remaining_value=float(r.remaining), unusable_value=float(r.available),
            cause=f"{rule}: {message.split(': ', 1)[1]}"))
    return rows


def _reports(database_url: str, d_old: date, d_new: date) -> tuple[Any, dict, dict]:
    """The ledger and its licence report rows on both dates, by (agency, number)."""
    from exportcheck.ledger import Ledger

    ledger = Ledger(database_url)
    return ledger, *({(r.agency, r.number): r for r in ledger.report(as_of=day).rows}
                     for day in (d_old, d_new))


def licence_party_impact(database_url: str, d_old: date, d_new: date, old_scr: Any,
                         new_scr: Any) -> list[LicenceImpact]:
    """Licences with a balance left that a shipment to the parties they name would now be
    refused on (a party newly blocked, denied or debarred, or newly a potential match: the
    ledger's own check, :mod:`exportcheck.ledger.party_check`) and was not before."""
    return _party_rows(*_reports(database_url, d_old, d_new), d_old, d_new, old_scr, new_scr)


def licence_impact(database_url: str, d_old: date, d_new: date,
                   party_rows: list[LicenceImpact] | None = None,
                   screeners: tuple[Any, Any] = (None, None),
                   ) -> tuple[LicenceSummary, pl.DataFrame]:
    """Licences usable on the old date whose remaining balance is blocked on the new one. One
    that merely reached the end of its validity in between is listed apart (``expired_rows``):
    it would be unusable whatever the rules said. With two list releases' ``screeners`` (or
    their ``party_rows`` found elsewhere, :func:`licence_party_impact`), the licences a list
    change bars through their parties too."""
    ledger, before, after_by_key = _reports(database_url, d_old, d_new)
    after = list(after_by_key.values())
    if party_rows is None and None not in screeners:
        party_rows = _party_rows(ledger, before, after_by_key, d_old, d_new, *screeners)
    rows: list[LicenceImpact] = []
    expired: list[LicenceImpact] = []
    for r in after:
        b = before.get((r.agency, r.number))
        if b is None or b.available <= 0 or r.blocked <= 0:
            continue
        since = f" from {r.status_since.isoformat()}" if r.status_since else ""
        cite = f" ({r.status_citation})" if r.status_citation else ""
        cause = (f"validity ended {r.valid_to.isoformat()}{cite}" if r.validity_ended
                 else f"{r.status}{since}{cite}")
        (expired if r.validity_ended else rows).append(LicenceImpact(
            agency=r.agency, number=r.number, destination=r.destination, status_old=b.status,
            status_new=r.status, approved_value=float(r.approved), shipped_value=float(r.shipped),
            remaining_value=float(r.remaining), unusable_value=float(r.blocked), cause=cause))
    hit = {(x.agency, x.number) for x in rows + expired}
    rows += [x for x in party_rows or () if (x.agency, x.number) not in hit]
    summary = LicenceSummary(licences=len(after), hit=len(rows),
                             unusable_value=_money(sum(r.unusable_value for r in rows)), rows=rows,
                             expired=len(expired), expired_rows=expired,
                             expired_value=_money(sum(r.unusable_value for r in expired)))
    schema = {k: pl.Float64 if k.endswith("_value") else pl.Utf8
              for k in LicenceImpact.model_fields}
    return summary, pl.DataFrame([r.model_dump() for r in rows], schema=schema)


def party_impact(parties: Iterable[tuple[str, str | None]], old_scr: Any, new_scr: Any
                 ) -> tuple[PartySummary, pl.DataFrame]:
    """Stored parties that match an entry on the new lists only (newly hit) or old only."""
    rows, n = [], 0
    for name, country in parties:
        n += 1
        old = {(h.list, h.entry_id): h for h in old_scr.screen(name, country=country)}
        new = {(h.list, h.entry_id): h for h in new_scr.screen(name, country=country)}
        for change, a, b in (("newly hit", new, old), ("cleared", old, new)):
            for k, h in a.items():
                if k not in b:
                    rows.append(PartyImpact(party=name, country=country, change=change,
                                            list=h.list, entry_id=h.entry_id,
                                            matched_name=h.matched_name, score=h.score))
    summary = PartySummary(
        parties=n, newly_hit=len({r.party for r in rows if r.change == "newly hit"}),
        cleared=len({r.party for r in rows if r.change == "cleared"}), rows=rows)
    schema = {k: pl.Float64 if k == "score" else pl.Utf8 for k in PartyImpact.model_fields}
    return summary, pl.DataFrame([r.model_dump() for r in rows], schema=schema)


def duplicate_order_ids(lines: pl.DataFrame) -> list[str]:
    """A warning naming the order ids (with the line number column, if any: the pairs) that
    more than one line carries, the first few in input order, else nothing. Order ids are
    carried through, never required or checked, so an order book exported twice, or two
    orders keyed alike, would otherwise count its money twice without a word."""
    id_col = next((c for c in lines.columns if fold(c) in ORDER_ID_COLUMNS), None)
    if id_col is None or "line" not in lines.columns:
        return []
    keys = [id_col, *[c for c in lines.columns if fold(c) in LINE_NO_COLUMNS][:1]]
    text = [pl.col(c).cast(pl.Utf8).str.strip_chars().alias(c) for c in keys]
    repeated = (lines.select("line", *text)
                .filter(pl.col(id_col).is_not_null() & (pl.col(id_col) != ""))
                .group_by(keys, maintain_order=True).agg(pl.col("line"))
                .filter(pl.col("line").list.len() > 1))
    if repeated.height == 0:
        return []
    named = []
    for row in repeated.head(_SHOWN).iter_rows(named=True):
        at = row["line"]
        shown = ", ".join(str(n) for n in at[:_SHOWN]) + (", ..." if len(at) > _SHOWN else "")
        named.append(" / ".join(repr(row[k]) if row[k] is not None else "(none)"
                                for k in keys) + f" (lines {shown})")
    more = repeated.height - len(named)
    what = f"{id_col} / {keys[1]}" if len(keys) > 1 else id_col
    many = repeated.height > 1
    return [f"{repeated.height:,} {what} value{'s appear' if many else ' appears'} on more "
            f"than one line: {'; '.join(named)}" + (f"; and {more:,} more" if more else "")
            + ". If such lines repeat one order, the totals count its money more than once"
            + ("" if len(keys) > 1 else " (an order of several lines: a line_no column "
               "tells them apart)")]


def same_sides(old: Side, new: Side, mode: str) -> list[str]:
    """A warning when both sides are one date and one set of lists: no line can change, so
    "0 changed" would tell nothing of the change meant (30 Jun 2020 typed as both dates, one list
    version on both sides), else nothing."""
    if old != new:
        return []
    lists = f" and the same lists ({old.lists_version})" if mode != "rules" else ""
    return [f"both sides are the same: the rules of {old.date.isoformat()}{lists}, so no line "
            "can change; to measure a change, give a date before it as the old side (or two "
            "different list versions)"]


def after_edition(old: Side, new: Side) -> list[str]:
    """A warning when a side's date is after the eCFR edition the rule base holds: a batch line
    of such a day carries that caveat, but impact compares no caveats, so "0 changed" up to
    2030 would read as "nothing changes" when later rules are simply not in the rule base."""
    late = [f"{name} {side.date.isoformat()}" for name, side in (("old side", old),
                                                                 ("new side", new))
            if side.date > SOURCE_EDITION]
    if not late:
        return []
    edition = SOURCE_EDITION.isoformat()
    return [f"{' and '.join(late)} {'is' if len(late) == 1 else 'are'} after the eCFR of "
            f"{edition}, the edition the rule base holds: a rule published after it is not "
            "applied, so a change it made does not show here (check the Federal Register "
            f"since {edition})"]


def newer_first(old: Any, new: Any) -> list[str]:
    """A warning per list source whose old-side release was published after the new side's
    (two versions given in reverse): dates so given are refused, but a release compared with an
    older one may be meant (undoing a load), so the run stands and says which way it went."""
    if old is None or new is None:
        return []
    new_dates = {pl.source: pl.file_date for pl in getattr(new, "lists", ())}
    return [f"the old side's {p.source} release (published {p.file_date.isoformat()}) is newer "
            f"than the new side's (published {new_dates[p.source].isoformat()}): the changes "
            "shown run backwards in time (an entry shown as added was removed); give the older "
            "release as the old side"
            for p in getattr(old, "lists", ())
            if p.file_date and new_dates.get(p.source) and p.file_date > new_dates[p.source]]


def build_summary(
    lines: pl.DataFrame,
    rs: RuleSet,
    old: Side,
    new: Side,
    *,
    mode: str,
    notes: list[str],
    database_url: str | None = None,
    parties: Iterable[tuple[str, str | None]] | None = None,
    screeners: tuple[Any, Any] = (None, None),
    party_result: tuple[PartySummary, pl.DataFrame] | None = None,
    licence_party_rows: list[LicenceImpact] | None = None,
    release_order: list[str] | None = None,
) -> tuple[ImpactSummary, pl.DataFrame, pl.DataFrame]:
    """``party_result``, ``licence_party_rows`` and ``release_order``: :func:`party_impact`,
    :func:`licence_party_impact` and :func:`newer_first` computed elsewhere (where the
    screeners are)."""
    if release_order is None:
        release_order = newer_first(*screeners)
    customer = next((c for c in ("customer", "end_user") if c in lines.columns), None)
    licences = party_summary = None
    lic_table = party_table = pl.DataFrame()
    if database_url is not None:
        licences, lic_table = licence_impact(database_url, old.date, new.date,
                                             licence_party_rows, screeners)
    if party_result is not None:
        party_summary, party_table = party_result
    elif parties is not None and screeners[0] is not None:
        party_summary, party_table = party_impact(parties, *screeners)
    summary = ImpactSummary(
        mode=mode,
        old=old,
        new=new,
        ruleset_version=rs.version,
        totals=_totals(lines),
        by_destination=breakdown(lines, pl.col("destination")),
        by_category=breakdown(lines, pl.col("category")),
        by_agency=breakdown(lines, pl.coalesce("new_agency", "old_agency")),
        by_reason=breakdown(lines, pl.col("new_reasons"), explode=True),
        by_customer=breakdown(lines, pl.col(customer).cast(pl.Utf8)) if customer else [],
        events=(rule_events(lines, rs, old.date, new.date) + listing_events(lines)
                + hold_events(lines, old.date, new.date)),
        list_changes=list_changes(lines) if mode != "rules" else [],
        licences=licences,
        parties=party_summary,
        notes=notes,
        warnings=(same_sides(old, new, mode) + release_order + after_edition(old, new)
                  + duplicate_order_ids(lines)),
    )
    return summary, lic_table, party_table
