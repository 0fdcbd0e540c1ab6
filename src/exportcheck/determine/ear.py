"""Steps for items subject to the EAR: embargoes (Part 746) and the Country Chart (738.4)."""

from __future__ import annotations

import re

from exportcheck.determine import itar
from exportcheck.determine.context import Context, Requirement
from exportcheck.determine.exclusions import excluded
from exportcheck.determine.items import pattern_hit
from exportcheck.determine.places import in_set, named
from exportcheck.determine.policies import policy_for
from exportcheck.models import Agency
from exportcheck.rules import schema as s
from exportcheck.rules.ruleset import Snapshot


def _basis_note(snap: Snapshot, mark: s.ChartMark) -> str:
    """How the trace qualifies a chart mark that was not read from a printed chart edition."""
    if mark.basis == "reconstructed":
        return " (row reconstructed by analogy, see data)"
    if mark.basis != "derived":
        return ""
    definition = snap.column_definitions.get(mark.column)
    if definition is not None and definition.basis == "list":
        return (
            " (row no longer printed: mark derived from the column's printed destination list,"
            " which Part 742 does not state as a rule; see column_definitions.yaml)"
        )
    return (
        " (row no longer printed: mark derived from the column's Part 742 definition and the"
        " destination's Country Groups, see column_definitions.yaml)"
    )


def embargoes(ctx: Context) -> None:
    """Apply Part 746 / OFAC programme rules (they add to the chart's requirements)."""
    rows = ctx.snapshot.embargoes.get(ctx.ear_destination, [])
    if ctx.destination != ctx.ear_destination:
        rows = rows + ctx.snapshot.embargoes.get(ctx.destination, [])
    for e in rows:
        effect = e.ear99 if ctx.item.kind == "ear99" else e.ccl
        if (ctx.item.kind == "eccn" and e.ccl_categories
                and int(ctx.item.code[0]) not in e.ccl_categories):
            cats = ", ".join(map(str, e.ccl_categories))
            ctx.note(e.id, e, False, f"{e.description}; covers CCL Categories {cats} only, not "
                                     f"Category {ctx.item.code[0]}")
            continue
        agency = Agency(e.agency)
        if effect in ("nlr", "chart"):
            what = "EAR99 items" if ctx.item.kind == "ear99" else "CCL items"
            ctx.note(e.id, e, False, f"{e.description}; no requirement of its own for {what}")
            continue
        lifted, why = excluded(ctx, e) if e.exclusions and ctx.item.kind == "eccn" else (
            None, "")
        if lifted is not None:
            ctx.note(e.id, e, False, e.description + why,
                     citation=f"{lifted.citation}; {e.citation}")
            continue
        # the section's exceptions authorise items subject to the EAR, EAR99 included (746.2(a)
        # names AGR, for EAR99 farm goods); ear99_exceptions are those for EAR99 items only
        allowed = e.allowed_exceptions + (e.ear99_exceptions if ctx.item.kind == "ear99" else [])
        ctx.require(
            Requirement(
                "EMBARGO",
                agency,
                e.review_policy,
                e.id,
                frozenset(allowed),
                prohibited=effect == "prohibited",
                citation=e.citation,
            )
        )
        tail = (
            f"; usable exceptions: {', '.join(allowed)}" if allowed else "; no licence exceptions"
        )
        ctx.note(e.id, e, True, e.description + tail + why)
    if not rows and ctx.tracing:  # a note of no row: the trace only
        ctx.note(
            "Part 746 embargoes and special controls",
            None,
            False,
            f"no embargo or special control for {ctx.ear_destination} on {ctx.on.isoformat()}",
            citation="15 CFR 746",
        )


def special_destinations(snap: Snapshot, control: s.SpecialControl) -> frozenset[str]:
    key = ("special", control.id)
    if key not in snap.cache:
        # "To or within the United Arab Emirates or destinations specified in Country Groups
        # D:1, D:4, and D:5 ..., excluding any destination also specified in Country Groups A:5
        # or A:6": the exclusion qualifies the groups' members, not a country named by name
        grouped = (set(snap.destinations) | {"CN", "HK"}) if control.worldwide else set()
        for g in control.groups:
            grouped |= snap.group_codes.get(g, frozenset())
        for g in control.exclude_groups:
            grouped -= snap.group_codes.get(g, frozenset())
        dests = (grouped | set(control.countries)) - set(control.exclude_countries)
        snap.cache[key] = frozenset(dests)
    return snap.cache[key]


def _headquarters_reach(ctx: Context, control: s.SpecialControl, reason: str) -> str:
    """Why a control the destination is outside of reaches the line by the end user's stated
    headquarters ("; the headquarters CN (as stated) is in ..."), or ""; with none stated,
    the fact is asked for (``facts_wanted``): the requirement turns on it."""
    countries, groups = control.headquarters_countries, control.headquarters_groups
    if not (countries or groups):
        return ""
    where = named(countries, groups)
    hq = ctx.facts.headquarters
    if hq is None:
        ctx.want_fact(None, "headquarters",
                      f"if the end user or its ultimate parent is headquartered in {where}, a "
                      f"licence is required ({reason}; "
                      f"{control.headquarters_citation or control.citation}) wherever the "
                      "destination; headquarters not stated", subject="licence requirement")
        return ""
    if in_set(ctx.snapshot, hq, countries, groups):
        return (f"; the end user's headquarters {hq} (as stated) is in {where}: covered "
                f"wherever located ({control.headquarters_citation or control.citation})")
    return ""


def _earlier_version(control: s.SpecialControl) -> str:
    """The window and destinations of an earlier version of a special control, beside the chart
    cell: the cell is the text of the 2026 edition ("To or within any destination worldwide"),
    so a trace for 2024 read "worldwide ...: GB is not covered" without them. Empty for a
    version still in force (it is the cell's). No day of the line in it: the impact report
    reads a changed detail as a cause."""
    if control.effective_to is None:
        return ""
    start = control.effective_from.isoformat() if control.effective_from else "a date unknown"
    return (f" (version in force {start} to {control.effective_to.isoformat()}: "
            f"{control.description})")


def scope_applies(ctx: Context, scope: s.Scope) -> bool:
    if not scope.parsed:
        return True
    item = ctx.item
    # an unspecified paragraph is read as possibly any paragraph: apply conservatively
    if scope.only and item.paragraph and not item.covered_by(scope.only):
        return False
    return not (scope.exclude and item.paragraph and item.covered_by(scope.exclude))


def not_classified_to(ctx: Context, scope: s.Scope) -> bool:
    """The line names paragraphs the item is not classified as far as, and it may be one of
    them ("MT applies to 3A001.a.1.a" for an item given as 3A001.a or 3A001): the line is
    applied conservatively, and the answer says what it would be outside them."""
    item = ctx.item
    return (scope.parsed and bool(scope.only) and item.may_be_in(scope.only)
            and not (item.paragraph and item.covered_by(scope.only)))


def country_chart(ctx: Context) -> None:
    snap = ctx.snapshot
    entry = snap.ccl[ctx.item.code]
    dest = ctx.ear_destination
    if not entry.controls and not entry.all_destinations:
        _no_control_lines(ctx, entry)
        return
    if entry.all_destinations:
        ctx.require(Requirement("ALL", Agency.BIS, "see 742.11 or 742.13", "738.3(a)(1)",
                                citation="15 CFR 738.3(a)(1)"))
        ctx.note(
            f"{entry.eccn}: licence to all destinations",
            entry,
            True,
            "738.3(a)(1): the Country Chart does not apply to this entry",
            citation="15 CFR 738.3(a)(1)",
        )
    marks = snap.chart.get(dest, {})
    for line in entry.controls:
        label = f"{entry.eccn} {line.reason}"
        maybe = not_classified_to(ctx, line.scope)
        if not (maybe or scope_applies(ctx, line.scope)) or (
                ctx.skip_unread and (maybe or not line.scope.parsed)):
            ctx.note(
                label, entry, False, f"control line does not cover {ctx.item.label}: {line.text}"
            )
            continue
        flag = "" if line.scope.parsed else " (scope not machine-read: applied conservatively)"
        if maybe:
            flag = (f" ({ctx.item.label} is not classified as far as the paragraphs the line "
                    "names and may be one of them: applied conservatively)")
        if line.column:
            mark = marks.get(line.column)
            if mark is None:
                ctx.note(
                    f"{label} -> Country Chart {line.column}",
                    entry,
                    False,
                    f"no X for {dest} in column {line.column}{flag}",
                    citation=f"{entry.citation}; 15 CFR 738 Supp. 1",
                )
                continue
            recon = _basis_note(snap, mark)
            ctx.note(
                f"{label} -> Country Chart {line.column}: X for {dest}",
                mark,
                True,
                f"{line.text}{flag}{recon}",
                citation=f"{entry.citation}; {mark.citation}",
            )
            policy = policy_for(ctx, line.column, label)
            ctx.require(Requirement(line.column, Agency.BIS, policy, label, chart=True,
                                    citation=f"{entry.citation}; {mark.citation}"))
            if flag:
                ctx.unread_applied.append(f"{label}: {line.text}")
        else:
            control = snap.special.get(line.special or "")
            if control is None:
                ctx.note(label, entry, False, f"special control {line.special} not in force")
                continue
            hit = dest in special_destinations(snap, control) and (
                not control.ccl_categories or int(entry.eccn[0]) in control.ccl_categories)
            reach = "" if hit else _headquarters_reach(ctx, control, line.reason)
            hit = hit or bool(reach)
            ctx.note(
                f"{label} -> {control.id}",
                control,
                hit,
                f"{line.chart_text}{flag}{_earlier_version(control)}: {dest} "
                f"{'is' if hit and not reach else 'is not'} covered{reach}",
                citation=f"{entry.citation}; {control.citation}",
            )
            if hit:
                policy = control.review_policy or policy_for(ctx, line.reason, label, control.id)
                # reached by the headquarters only: that paragraph's licence (744.23(a)(3)(i))
                basis = control.headquarters_citation if reach else None
                ctx.require(Requirement(line.reason, Agency.BIS, policy, label, chart=True,
                                        citation=f"{entry.citation}; {basis or control.citation}"))
                if flag:
                    ctx.unread_applied.append(f"{label}: {line.text}")
    _footnotes(ctx, entry)


#: how an entry says its items are on the USML ("(These items are “subject to the ITAR.”...")
_ITAR_ENTRY = re.compile(r"\((?:these items are|this entry is)\W+subject to the itar")


def itar_routed(entry: s.CclEntry) -> bool:
    """The entry only points to the USML: its items are subject to the ITAR, not the EAR."""
    return not entry.controls and bool(_ITAR_ENTRY.search(entry.heading.lower()))


def itar_entry(ctx: Context, entry: s.CclEntry) -> None:
    ctx.note(
        f"{entry.eccn}: items subject to the ITAR",
        entry,
        True,
        "the entry places these items on the USML: a DDTC licence is required; classify "
        "the item under its USML category; the EAR steps do not apply",
    )
    itar.review(ctx)


def _no_control_lines(ctx: Context, entry: s.CclEntry) -> None:
    """Entries whose requirements the rule base does not encode: assume a licence."""
    ctx.require(
        Requirement("REVIEW", Agency.BIS, "see the entry's License Requirements", entry.eccn,
                    citation=entry.citation)
    )
    ctx.note(
        f"{entry.eccn}: no machine-read control lines",
        entry,
        True,
        "the entry states its licence requirements in text the rule base does not encode; a "
        "licence is assumed required until a reviewer reads the entry (738.4(a)(1))",
    )


def _footnotes(ctx: Context, entry: s.CclEntry) -> None:
    """Chart footnotes on the destination's row: a requirement footnote adds a licence
    requirement for its items; a note footnote is written into the trace for its items only
    (it points to a paragraph that qualifies the printed marks, which stay applied)."""
    label = ctx.item.label
    snap, dest = ctx.snapshot, ctx.ear_destination
    for fn in snap.memo(("footnotes_at", dest),
                        lambda: [f for f in snap.footnotes if dest in f.destinations]):
        hit = pattern_hit(label, fn.eccns) or (
            not ctx.item.paragraph
            and any(p.split(".")[0] == entry.eccn for p in fn.eccns if not p.startswith("!"))
            and fn.kind == "note"
        )
        if fn.kind == "note":
            if hit:
                ctx.note(fn.id, fn, False, f"{fn.text} (explains the marks; adds no requirement)")
            continue
        ctx.note(fn.id, fn, hit, fn.text if hit else f"{label} is not among the footnote's items")
        if hit:
            reason = fn.reason or fn.id
            policy = policy_for(ctx, reason, f"{label} ({fn.id})", fn.id)
            ctx.require(Requirement(reason, Agency.BIS, policy, fn.id, chart=True,
                                    citation=fn.citation))
