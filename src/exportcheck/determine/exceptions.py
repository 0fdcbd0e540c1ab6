"""Step: Part 740 licence exceptions, once a licence requirement is found."""

from __future__ import annotations

import re

from exportcheck.determine import exceptions_ac as ac
from exportcheck.determine import sta
from exportcheck.determine.context import Context, Requirement
from exportcheck.determine.ear import scope_applies
from exportcheck.determine.items import may_be_among
from exportcheck.rules import schema as s
from exportcheck.rules.ruleset import Snapshot

#: the List-Based exceptions an ECCN entry grants, evaluated here
LIST_BASED = ("LVS", "GBS", "TSR", "STA", "ENC")


def licence_exceptions(ctx: Context) -> None:
    if not ctx.requirements or any(r.prohibited for r in ctx.requirements):
        return
    for why in ctx.no_exceptions:
        ctx.note("Licence exceptions barred", None, True, why, citation="15 CFR 740.2")
    if ctx.no_exceptions:
        return
    candidates = _candidates(ctx)
    usable: dict[str, tuple[str, str]] = {}
    for symbol, (definition, detail) in candidates.items():
        ok, why = _place_ok(ctx, symbol, definition)
        if ok:
            ok, why = _reasons_ok(ctx, definition)
        if ok:
            usable[symbol] = (definition.citation, detail)
        ctx.note(f"License Exception {symbol}", definition, ok, why if not ok else detail)
    fact_based = ac.candidates(ctx)
    for symbol, (definition, extra) in fact_based.items():
        usable.update(_fact_based(ctx, symbol, definition, extra))
    waiting = _fact_based_waiting_for_paragraph(ctx)
    _not_evaluated(ctx)
    unmodelled = _named_by_rule_not_modelled(ctx)
    if not candidates and not fact_based and not unmodelled and not waiting:
        ctx.note(
            "Licence exceptions",
            None,
            False,
            "no licence exception the entry or the embargo names applies",
            citation="15 CFR 740",
        )
    ctx.exceptions = {
        sym: info for sym, info in usable.items() if any(_covers(r, sym) for r in ctx.requirements)
    }
    _not_sufficient(ctx)
    _lvs_yearly_total(ctx)


#: LVS's yearly cap: times the entry's limit, per ECCN and consignee in a calendar year
LVS_YEARLY_MULTIPLE = 12


def _lvs_yearly_total(ctx: Context) -> None:
    """740.3 caps LVS by the calendar year as well as by the shipment: twelve times the
    entry's limit to one consignee per ECCN [src: tuckerlaw.com, Sep 2019; the paragraph of
    740.3 was not read]. One line cannot show the year's shipments, so the trace leaves the
    total to a person. Only the trace reads it."""
    if "LVS" not in ctx.exceptions or not ctx.tracing or ctx.item.kind != "eccn":
        return
    limit = lvs_limit(ctx, ctx.snapshot.ccl[ctx.item.code])
    if limit is None:
        return
    ctx.note(
        "License Exception LVS, yearly total",
        None,
        False,
        f"the LVS exports of {ctx.item.code} to one consignee in a calendar year may not "
        f"exceed {LVS_YEARLY_MULTIPLE} times the limit ({usd(LVS_YEARLY_MULTIPLE * limit)}): "
        "the yearly total is for a person to check",
        citation="15 CFR 740.3",
    )


def _not_sufficient(ctx: Context) -> None:
    """Name the requirements the usable exceptions leave standing (746.8 Russia allows only
    the exceptions 746.8(c) lists): a step saying ENC is usable beside a LICENSE_REQUIRED
    answer must say why it is not offered. Only the trace reads it."""
    if not ctx.exceptions or not ctx.tracing:
        return
    left = [r for r in ctx.requirements if not any(_covers(r, sym) for sym in ctx.exceptions)]
    if not left:
        return
    usable = ", ".join(ctx.exceptions)
    ctx.note(
        "Licence exceptions not sufficient",
        None,
        False,
        f"{usable} cannot overcome the requirement of "
        + "; ".join(f"{r.rule} ({r.reason}: "
                    + (f"only {', '.join(sorted(r.exceptions))}" if r.exceptions else "none")
                    + ")" for r in left)
        + ": a licence is required",
        citation="; ".join(dict.fromkeys(r.citation for r in left)),
    )


def _fact_based(
    ctx: Context, symbol: str, definition: s.LicenceExceptionDef, extra: list[str]
) -> dict[str, tuple[str, str]]:
    """One exception of :mod:`exceptions_ac`: 740.2 first, then its own conditions."""
    rule = f"License Exception {symbol} ({definition.section})"
    ok, why = _restrictions_ok(ctx, symbol)
    if not ok:
        ctx.note(rule, definition, False, why)
        return {}
    status, detail, wanted = ac.conditions(ctx, definition, extra)
    for fact, condition in wanted:
        ctx.want_fact(symbol, fact, condition)
    ctx.note(rule, definition, status == "ok", detail)
    return {symbol: (definition.citation, detail)} if status == "ok" else {}


def _fact_based_waiting_for_paragraph(ctx: Context) -> bool:
    """Say which fact-based exceptions the entry grants for some paragraphs only (4A003: APP
    for .b and .c) when the item is given without its paragraph: not assumed, and not "no
    exception named" either, as LVS and GBS say it. True if any was said."""
    if ctx.item.kind != "eccn" or ctx.item.paragraph:
        return False
    snap = ctx.snapshot
    entry = snap.ccl[ctx.item.code]
    said = False
    for symbol, grant in entry.exceptions.items():
        d = snap.exceptions.get(symbol)
        if (d is None or not ac.fact_based(d) or d.items or grant.eligible != "partial"
                or not grant.scope.parsed or not grant.scope.only):
            continue
        ok, why = _restrictions_ok(ctx, symbol)  # 740.2 first: it decides anyway
        ctx.note(f"License Exception {symbol} ({d.section})", d, False, why if not ok else (
            f"the entry grants it for some paragraphs only: give the item's paragraph "
            f"({entry.eccn}: {grant.text})"))
        said = True
    return said


#: Exceptions an entry may name that the rule base has no row for: listed for a person to check.
#: Every exception the 2026 entries name (APP, NAC/ACA, ACE, IEC, HBM, AIA, ACM, LPP) now has
#: rows in licence_exceptions.yaml; this path stays for a symbol a future entry adds.
def _not_evaluated(ctx: Context) -> None:
    """Say which exceptions the entry names that a person must check by hand."""
    if ctx.item.kind != "eccn":
        return
    entry = ctx.snapshot.ccl[ctx.item.code]
    for symbol, grant in entry.exceptions.items():
        if symbol in LIST_BASED or grant.eligible == "no":
            continue
        if symbol in ctx.snapshot.exception_history:
            continue  # modelled: evaluated (or said not in force) above
        ctx.note(
            f"License Exception {symbol} (named by {entry.eccn})",
            entry,
            False,
            f"not evaluated by exportcheck (no rule row for {symbol}): check its conditions in "
            f"15 CFR 740; entry: {grant.text}",
            citation=f"15 CFR 740; {entry.citation}",
        )


def _named_by_rule_not_modelled(ctx: Context) -> bool:
    """List the exceptions a Part 744/746 rule names (746.8(c): TMP, GOV, TSU, BAG, AVS, CCD)
    that have no rule row, for a person to check: their conditions (a consumer device, a news
    medium, a US Government end user) are not on the order line, and saying that no exception
    applies would be wrong. True if any was listed. Only the trace reads it: a batch, which
    decides untraced, skips it."""
    if not ctx.tracing:
        return False
    snap = ctx.snapshot
    named: dict[str, list[Requirement]] = {}
    for r in ctx.requirements:
        for symbol in sorted(r.exceptions or ()):
            if symbol not in snap.exception_history:
                named.setdefault(symbol, []).append(r)
    for symbol, reqs in named.items():
        rules = ", ".join(dict.fromkeys(r.rule for r in reqs))
        ctx.note(
            f"License Exception {symbol} (named by {rules})",
            None,
            False,
            f"not evaluated by exportcheck (no rule row for {symbol}): {rules} lets it overcome "
            f"the requirement; check its conditions in 15 CFR 740 and the rule's paragraph",
            citation="; ".join(dict.fromkeys(r.citation for r in reqs)),
        )
    return bool(named)


def all_overcome(ctx: Context) -> bool:
    return bool(ctx.requirements) and all(
        any(_covers(r, sym) for sym in ctx.exceptions) for r in ctx.requirements
    )


def _covers(req: Requirement, symbol: str) -> bool:
    return req.exceptions is None or symbol in req.exceptions


def _candidates(ctx: Context) -> dict[str, tuple[s.LicenceExceptionDef, str]]:
    snap = ctx.snapshot
    out: dict[str, tuple[s.LicenceExceptionDef, str]] = {}
    wanted: set[str] = set()
    for r in ctx.requirements:
        if r.exceptions:
            wanted |= r.exceptions
    if ctx.item.kind == "eccn":
        entry = snap.ccl[ctx.item.code]
        for symbol in LIST_BASED:
            detail = _entry_grants(ctx, entry, symbol)
            if detail and symbol in snap.exceptions:
                out[symbol] = (_paragraph_row(snap, symbol, ctx.ear_destination), detail)
    for symbol in wanted & set(snap.exceptions):
        if symbol in LIST_BASED or ac.fact_based(snap.exceptions[symbol]):
            continue
        d = snap.exceptions[symbol]
        out.setdefault(symbol, (d, d.conditions))
    return out


def usd(amount: float) -> str:
    """An amount in dollars, with its cents when it has any: rounded to whole dollars,
    $1,500.40 would read as the $1,500 limit it exceeds."""
    return f"${amount:,.0f}" if float(amount).is_integer() else f"${amount:,.2f}"


def lvs_condition(value: float | None, limit: float, eccn: str) -> str:
    """What an offered LVS rests on: the line's value against the entry's limit (the batch
    path writes the same words per line: its keys are decided without the value)."""
    shown = "value not given: " if value is None else f"value {usd(value)} within "
    return f"{shown}LVS limit {usd(limit)} per shipment ({eccn})"


def _lvs_barred_at_any_value(ctx: Context) -> str:
    """Why LVS is not usable here whatever the value (a destination outside Country Group B,
    740.3; a 740.2 restriction), or "": said instead of the value, which would not decide it.
    Checked in the order :func:`licence_exceptions` checks a line within the limit."""
    if "LVS" in ctx.snapshot.exceptions:
        ok, why = _place_ok(ctx, "LVS", _paragraph_row(ctx.snapshot, "LVS", ctx.ear_destination))
    else:
        ok, why = _restrictions_ok(ctx, "LVS")
    return "" if ok else why


def _place_ok(ctx: Context, symbol: str, definition: s.LicenceExceptionDef) -> tuple[bool, str]:
    """The destination's Country Group (the exception's own paragraph), then 740.2's
    restrictions: the order every exception is checked in, whatever the value."""
    ok, why = _destination_ok(ctx.snapshot, symbol, definition, ctx.ear_destination)
    return _restrictions_ok(ctx, symbol) if ok else (ok, why)


def _entry_grants(ctx: Context, entry: s.CclEntry, symbol: str) -> str | None:
    if symbol == "LVS":
        limit, why = lvs_tier(ctx, entry)
        if limit is not None:
            why = _lvs_rows_barred(ctx, entry)
        elif why and not (barred := _restrictions_ok(ctx, symbol))[0]:
            why = barred[1]  # 740.2 first: it decides anyway
        if why:
            ctx.note("License Exception LVS", ctx.snapshot.exceptions.get("LVS"), False, why)
        if limit is None or why:
            return None
        if ctx.value is not None and ctx.value > limit:
            ctx.note(
                "License Exception LVS",
                ctx.snapshot.exceptions.get("LVS"),
                False,
                _lvs_barred_at_any_value(ctx)
                or f"value {usd(ctx.value)} exceeds the LVS limit {usd(limit)} for {entry.eccn}",
            )
            return None
        return lvs_condition(ctx.value, limit, entry.eccn)
    grant = entry.exceptions.get(symbol)
    if grant is None or grant.eligible == "no":
        return None
    if symbol == "STA":
        return _sta_grant(ctx, entry, grant)
    if grant.eligible == "partial":
        # a grant for some of the entry is claimed only for what it is known to cover: its
        # words unread, or no paragraph given against an exclusion, it is not assumed
        why = ""
        if not grant.scope.parsed:
            why = "the entry grants it in part, in words exportcheck does not read"
        elif not ctx.item.paragraph and (grant.scope.only or grant.scope.exclude):
            why = "the entry grants it for some paragraphs only: give the item's paragraph"
        if why and symbol != "ENC":  # ENC's grant points to 740.17, whose terms are listed
            barred, bar = _restrictions_ok(ctx, symbol)  # 740.2 first: it decides anyway
            ctx.note(f"License Exception {symbol}", ctx.snapshot.exceptions.get(symbol), False,
                     bar if not barred else f"{why}; check by hand ({entry.eccn}: {grant.text})")
            return None
        if grant.scope.only and not ctx.item.covered_by(grant.scope.only):
            return None
        if not scope_applies(ctx, grant.scope):
            return None
    if hit := sorted(chart_reasons(ctx).intersection(grant.not_for_reasons)):
        ctx.note(f"License Exception {symbol}", ctx.snapshot.exceptions.get(symbol), False,
                 f"{entry.eccn}: {grant.text}, and the licence is required for "
                 f"{', '.join(hit)}")
        return None
    conditions = (
        ctx.snapshot.exceptions[symbol].conditions if symbol in ctx.snapshot.exceptions else ""
    )
    extra = f"; entry: {grant.text}" if grant.eligible == "partial" else ""
    return f"{conditions}{extra}"


def _paragraph_rows(snap: Snapshot, symbol: str) -> list[s.LicenceExceptionDef]:
    """The rows of ``symbol`` in force: one per authorizing paragraph (STA (c)(1), (c)(2))."""
    return snap.memo(("paragraph_rows", symbol), lambda: [
        r for r in snap.exception_history.get(symbol, ()) if r.in_force(snap.on)])


def _paragraph_row(snap: Snapshot, symbol: str, dest: str) -> s.LicenceExceptionDef:
    """The row of ``symbol`` whose authorizing paragraph reaches ``dest`` (STA: (c)(1) for
    A:5, (c)(2) for A:6); the first row in force when none does."""
    return snap.memo(("paragraph_row", symbol, dest), lambda: next(
        (r for r in _paragraph_rows(snap, symbol) if ac.destination_ok(snap, r, dest)[0]),
        snap.exceptions[symbol]))


def _destination_ok(
    snap: Snapshot, symbol: str, definition: s.LicenceExceptionDef, dest: str
) -> tuple[bool, str]:
    """The destination condition; when no authorizing paragraph reaches ``dest``, each one's
    (STA: "not in A:5 (c)(1); not in A:6 (c)(2)"), not the first one's alone."""
    ok, why = ac.destination_ok(snap, definition, dest)
    rows = _paragraph_rows(snap, symbol)
    if ok or len(rows) < 2:
        return ok, why
    return False, "; ".join(f"{ac.destination_ok(snap, r, dest)[1]} ({r.citation})"
                            for r in rows)


def _sta_grant(ctx: Context, entry: s.CclEntry, grant: s.ExceptionEligibility) -> str | None:
    """STA: the entry's STA paragraph says where STA may not be used (:mod:`sta`); under
    (c)(2) an item it designates at all is not authorised."""
    definition = _paragraph_row(ctx.snapshot, "STA", ctx.ear_destination)
    excluded = sta.c2_excluded if definition.paragraph == "(c)(2)" else sta.c1_excluded
    why = excluded(entry.eccn, ctx.item.paragraph, grant.text)
    if why:
        ctx.note("License Exception STA", definition, False, f"{why} ({entry.citation})")
        return None
    conditions = definition.conditions if definition else ""
    return f"{conditions}; entry: {grant.text}"


def lvs_limit(ctx: Context, entry: s.CclEntry) -> int | None:
    """The LVS value limit for the item's paragraph (None = not eligible)."""
    return lvs_tier(ctx, entry)[0]


def lvs_tier(ctx: Context, entry: s.CclEntry) -> tuple[int | None, str]:
    """The LVS limit of the item's paragraph, and why there is none.

    An N/A row covering the paragraph wins; then a tier naming the paragraph over the entry's
    own ("$1500; $5000 for 9B515.b"); then the lowest. Without a paragraph the lowest tier
    stands for all, unless some paragraphs have none: then LVS waits for the paragraph."""
    item = ctx.item
    whole: list[int] = []
    named: list[int] = []
    rows = [row for row in entry.lvs if row.scope.parsed]
    if not item.paragraph and any(row.scope.only or row.scope.exclude for row in rows):
        partial = any(row.usd is None or row.scope.exclude for row in rows) or not any(
            not row.scope.only for row in rows)
        if partial:
            return None, (f"{entry.eccn} has no LVS for some of its paragraphs: give the "
                          "item's paragraph")
    for row in rows:
        only, exclude = row.scope.only, row.scope.exclude
        if not item.paragraph:
            whole.append(row.usd)  # every row a value (above): the lowest stands for all
            continue
        if (only and not item.covered_by(only)) or (exclude and item.covered_by(exclude)):
            continue
        if row.usd is None:
            return None, f"{entry.eccn}: LVS N/A for {item.label}"
        (named if only else whole).append(row.usd)
    tiers = named or whole
    return (min(tiers), "") if tiers else (None, "")


def _lvs_rows_barred(ctx: Context, entry: s.CclEntry) -> str:
    """Why the entry's LVS rows bar this line ("N/A for NP"; not to D:3), or ""."""
    reasons = chart_reasons(ctx)
    for row in entry.lvs:
        if hit := sorted(reasons.intersection(row.not_for_reasons)):
            return (f"{entry.eccn}: LVS N/A for {'/'.join(row.not_for_reasons)}, and the "
                    f"licence is required for {', '.join(hit)}")
        for g in row.not_to_groups:
            if ctx.snapshot.in_group(ctx.ear_destination, g):
                return (f"{entry.eccn}: LVS not for destinations also in Country Group {g} "
                        f"({ctx.ear_destination} is)")
    return ""


def _base(reason: str) -> str:
    """A chart column's reason: "NS2" -> "NS"."""
    return reason.rstrip("0123456789")


def chart_reasons(ctx: Context) -> set[str]:
    """The reasons of the Country Chart's requirements ("NS", "CB", "RS"), which the entries'
    "N/A for NP" and Part 740's "for national security reasons only" speak of."""
    return {_base(r.reason) for r in ctx.requirements if r.chart}


def _reasons_ok(ctx: Context, definition: s.LicenceExceptionDef) -> tuple[bool, str]:
    """GBS and TSR: only where the Country Chart requires the licence "for national security
    reasons only" (740.4, 740.6(a)); a CB, NP, MT or RS requirement beside NS takes them away
    for the whole item, not just for that reason."""
    if not definition.only_for_reasons:
        return True, ""
    wanted = set(definition.only_for_reasons)
    other = sorted({r.reason for r in ctx.requirements
                    if r.chart and _base(r.reason) not in wanted})
    if not other:
        return True, ""
    return False, (f"{definition.section or definition.citation}: only where the Country Chart "
                   f"requires a licence for {'/'.join(sorted(wanted))} reasons only; here also "
                   f"{', '.join(other)}")


def _restrictions_ok(ctx: Context, symbol: str) -> tuple[bool, str]:
    snap = ctx.snapshot
    reasons = {_base(r.reason) for r in ctx.requirements}
    for r in _restrictions_at(snap, ctx.ear_destination):
        if r.item_regex and not re.match(r.item_regex, ctx.item.code):
            continue
        if r.items and not _among(snap, ctx.item.label, r):
            continue
        if r.reasons and not reasons & set(r.reasons):
            continue
        if r.kind == "bar" and (not r.exceptions or symbol in r.exceptions):
            if r.unless_confirmed:
                if symbol in ctx.facts.conditions_met:
                    continue
                ctx.want_fact(symbol, "conditions_met",
                              f"the exporter confirms {r.unless_confirmed}")
                return False, (f"{r.id}: {r.description}: usable only if the exporter confirms "
                               f"{r.unless_confirmed} (not confirmed - assumed not met) "
                               f"({r.citation})")
            return False, f"{r.id}: {r.description} ({r.citation})"
        if r.kind == "none_except" and symbol not in r.exceptions:
            return False, f"{r.id}: {r.description} ({r.citation})"
        if r.kind == "only_where_usable_for" and r.usable_for:
            definition = _paragraph_row(snap, symbol, r.usable_for)
            ok, why = _destination_ok(snap, symbol, definition, r.usable_for)
            if not ok:
                return False, (
                    f"{r.id}: {r.description}; not usable for {r.usable_for} ({why}) ({r.citation})"
                )
    return True, ""


def _restrictions_at(snap: Snapshot, dest: str) -> list[s.ExceptionRestriction]:
    """The day's 740.2 restrictions whose destinations, exclusions and Country Groups reach
    ``dest``, once per snapshot and destination."""
    return snap.memo(("restrictions_at", dest), lambda: [
        r for r in snap.restrictions
        if not (r.destinations and dest not in r.destinations)
        and dest not in r.exclude_destinations
        and not (r.groups and not any(snap.in_group(dest, g) for g in r.groups))])


def _among(snap: Snapshot, label: str, r: s.ExceptionRestriction) -> bool:
    """:func:`~exportcheck.determine.items.may_be_among` for a restriction's items, once per
    item and row in a snapshot."""
    return snap.memo(("restriction_items", label, id(r)), lambda: may_be_among(label, r.items))
