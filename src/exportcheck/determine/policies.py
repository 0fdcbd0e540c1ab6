"""Licence review policies: which row of ``rules/data/review_policies.yaml`` a requirement gets.

Part 742 states a policy per reason for control in paragraph (b) of each section, and narrows
it per destination, Country Group, item or end use (742.4(b)(7) for China, Russia and
Venezuela; 742.6(b)(10) for advanced computing; 746.8(b) for Russia and Belarus). The rows
say which; the most specific row that applies wins (:attr:`ReviewPolicy.specificity`), the
later one in the file on a tie. The chosen row gets its own trace line, with its effective
window, so an auditor sees why this policy and not the reason's default.
"""

from __future__ import annotations

import re

from exportcheck.determine.context import Context
from exportcheck.determine.items import pattern_hit
from exportcheck.determine.places import in_set, named
from exportcheck.models import EndUserType
from exportcheck.rules import schema as s


def is_military(ctx: Context) -> bool:
    """Military end user, or a stated end use that names a military one (744.21(f)/(g))."""
    return ctx.end_user_type is EndUserType.MILITARY or military_use(ctx.end_use)


def military_use(end_use: str | None) -> bool:
    """Whether a stated end use reads as military to the review policies: any text holding
    the word, "paramilitary" too (the batch path keeps such a text as stated)."""
    return "military" in (end_use or "").lower()


def _item_hit(ctx: Context, row: s.ReviewPolicy) -> bool:
    if row.item_regex and not re.match(row.item_regex, ctx.item.code):
        return False
    if row.items and not pattern_hit(ctx.item.label, row.items):
        # an order line without a paragraph may be any paragraph: the entry-level row applies
        named = {p.split(".")[0] for p in row.items if not p.startswith("!")}
        if ctx.item.paragraph or ctx.item.code not in named:
            return False
    return True


def _in(ctx: Context, code: str | None, row: s.ReviewPolicy) -> bool:
    return in_set(ctx.snapshot, code, row.countries, row.groups)


def applies(ctx: Context, row: s.ReviewPolicy, reason: str, control: str | None,
            anywhere: bool = False) -> bool:
    """Whether every condition ``row`` states holds for this requirement (``anywhere``: but
    the place, for a row that may apply by the headquarters alone)."""
    base = reason.rstrip("0123456789")
    if row.reason not in (reason, base):
        return False
    if (row.countries or row.groups) and not anywhere and not _in(ctx, ctx.ear_destination, row) \
            and not (row.headquarters and _in(ctx, ctx.facts.headquarters, row)):
        return False
    if row.controls and control not in row.controls:
        return False
    if row.military and not is_military(ctx):
        return False
    return _item_hit(ctx, row)


def select(ctx: Context, reason: str, control: str | None = None) -> s.ReviewPolicy | None:
    """The row for a requirement for ``reason`` (a reason or a chart column such as ``RS2``)
    imposed by ``control`` (a special-control or footnote id, if any); kept per snapshot and
    what :func:`applies` reads of the line (a batch asks for every requirement of every key)."""
    key = ("policy_row", reason, control, ctx.ear_destination, ctx.facts.headquarters,
           is_military(ctx), ctx.item.kind, ctx.item.code, ctx.item.paragraph)
    return ctx.snapshot.memo(key, lambda: _select(ctx, reason, control))


def _select(ctx: Context, reason: str, control: str | None) -> s.ReviewPolicy | None:
    best: s.ReviewPolicy | None = None
    for row in ctx.snapshot.review_policies.get(reason.rstrip("0123456789"), []):
        if applies(ctx, row, reason, control) and (
            best is None or row.specificity >= best.specificity
        ):
            best = row
    return best


def policy_for(ctx: Context, reason: str, label: str, control: str | None = None) -> str | None:
    """The policy text a requirement carries (policy and citation), with a trace line naming
    the row that gave it."""
    row = select(ctx, reason, control)
    if row is None:
        ctx.note(
            f"Licence review policy for {label}",
            None,
            False,
            f"no review-policy row for {reason} applies to {ctx.ear_destination}",
            citation="15 CFR 742",
        )
        return None
    unsure = " [UNSURE: see the row's note]" if "UNSURE" in (row.note or "") else ""
    hq = ctx.facts.headquarters
    by_hq = (f" (headquarters {hq} as stated)"
             if row.headquarters and not _in(ctx, ctx.ear_destination, row) else "")
    ctx.note(
        f"Licence review policy for {label}: row {row.id}",
        row,
        True,
        f"{row.policy}{unsure}{by_hq}",
    )
    if hq is None and _has_headquarters_rows(ctx, reason):
        _headquarters_wanted(ctx, row, reason, control)
    return f"{row.policy} ({row.citation})"


def _has_headquarters_rows(ctx: Context, reason: str) -> bool:
    """Whether any row of the reason may apply by headquarters (kept per snapshot: a batch
    asks for every requirement)."""
    base = reason.rstrip("0123456789")
    key = ("hq_policy_rows", base)
    return ctx.snapshot.memo(key, lambda: any(
        r.headquarters for r in ctx.snapshot.review_policies.get(base, [])))


def _headquarters_wanted(ctx: Context, chosen: s.ReviewPolicy, reason: str,
                         control: str | None) -> None:
    """Say that the policy turns on a headquarters not given: a headquarters row that would
    win over ``chosen`` if the end user were headquartered in its place (742.6(b)(10))."""
    for row in ctx.snapshot.review_policies.get(reason.rstrip("0123456789"), []):
        if (row.headquarters and row is not chosen and row.policy != chosen.policy
                and row.specificity >= chosen.specificity
                and applies(ctx, row, reason, control, anywhere=True)):
            ctx.want_fact(None, "headquarters",
                          "if the end user or its ultimate parent is headquartered in "
                          f"{named(row.countries, row.groups)}: {row.policy} "
                          f"({row.citation}); headquarters not stated", subject="review policy")
