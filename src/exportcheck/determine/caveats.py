"""Caveats: what a determination for a past date rests on that is only known from today's text.

Most rows of the rule base were read from one eCFR edition (:data:`SOURCE_EDITION`) and carry no
start date (``effective_from: unknown``): the engine applies them from the start of the rule
base. For a date before that edition the answer may then silently rest on today's text (the
United Arab Emirates' Country Group A:5 listing applied to 2024, when the UAE was in D:4 and
the 2023 advanced-computing rule reached it). So a determination for such a date lists, under
``caveats``, every row of unknown history it used: the destination's Country Group
memberships, its Country Chart marks, the item's CCL entry, and every rule in its trace; and
every change the rule base knows of but could not model (``rules/data/history_gaps.yaml``:
License Exception CIV until 2020, the firearms rule of 2024-2025, Ethiopia's 126.1 listing)
whose window holds the date. A compliance officer auditing past shipments sees which answers to
re-check by hand.
"""

from __future__ import annotations

from collections.abc import Iterable

from exportcheck.determine.context import Context
from exportcheck.rules.schema import SOURCE_EDITION, ChartMark, Cited, HistoryGap

#: the caveat of every determination for a day after :data:`SOURCE_EDITION`
AFTER_EDITION = (f"the rule base holds the eCFR of {SOURCE_EDITION.isoformat()} and the rules "
                 "known before it: a rule published after that edition is not applied (check "
                 f"the Federal Register since {SOURCE_EDITION.isoformat()})")

#: the first caveat of a line whose end-user type was left blank (``batch``) or given empty
#: (``check --end-user-type ""``): civil is the favourable reading, so it is said, not assumed
#: silently
ASSUMED_CIVIL = ("end-user type not given: taken as civil (a military or government end user "
                 "can need a licence a civil one does not, e.g. 15 CFR 744.21); state civil, "
                 "government or military")


def _unknown(rows: Iterable[Cited]) -> list[Cited]:
    return [r for r in rows if not r.start_date_known]


def _bounded(g: Cited) -> str:
    """``A:5`` or ``A:5 not before 2026-06-21`` for a start known only by a lower bound."""
    name = str(getattr(g, "group", ""))
    return f"{name} not before {g.not_before.isoformat()}" if g.not_before else name


def caveats(ctx: Context, *, if_stated: bool = False) -> list[str]:
    """One line per kind of row of unknown history the determination used (empty on
    :data:`SOURCE_EDITION`, when its text is the text in force; after it, one line saying that
    later rules are not in the rule base), then what the rules applied rest on and could not be
    verified (``Context.rule_caveats``: the affiliates rule after its suspension ends).

    ``if_stated``: as if an end use naming none of Part 744's had been stated
    (``Context.unknown_if_stated``): the caveats of a batch line that states one."""
    return [*_history(ctx, if_stated), *ctx.rule_caveats]


def _history(ctx: Context, if_stated: bool = False) -> list[str]:
    """The caveats of rows of unknown history (:func:`caveats`)."""
    if ctx.on > SOURCE_EDITION:
        return [AFTER_EDITION]
    if ctx.on == SOURCE_EDITION:
        return []
    snap = ctx.snapshot
    item = ctx.item
    # all but the trace's rules depend on the day's rules, the destinations and the item only:
    # kept per snapshot (a batch asks the same thousands of times)
    key = ("caveats", item.kind, item.code, ctx.ear_destination, ctx.itar_destination)
    fixed = snap.memo(key, lambda: _fixed(ctx))
    # sorted: the order rules are consulted in depends on the value (a value over the LVS
    # limit notes LVS before STA, one within it after), and the batch path decides a key at
    # other values than the line's: the same rules must read the same in both paths
    used = (ctx.unknown_rules | ctx.unknown_if_stated) if if_stated else ctx.unknown_rules
    if not used:
        return list(fixed[0] + fixed[1])
    return [*fixed[0], _rules_applied(used), *fixed[1]]


_APPLIED: dict[frozenset[tuple[str, str]], str] = {}


def _rules_applied(rules: dict[str, str]) -> str:
    """The caveat naming the rules of unknown start a determination applied, in order of
    their names; once per set of rules (a batch's keys share a few hundred)."""
    key = frozenset(rules.items())
    text = _APPLIED.get(key)
    if text is None:
        if len(_APPLIED) > 8192:
            _APPLIED.clear()
        named = "; ".join(f"{rule} ({citation})" for rule, citation in sorted(rules.items()))
        text = _APPLIED[key] = (f"rules applied from the eCFR of {SOURCE_EDITION.isoformat()} "
                                f"whose start dates are not established: {named}")
    return text


def _fixed(ctx: Context) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The caveats before and after the trace's rules, which depend on no more than the key of
    :func:`caveats`: the destination's part and the entry's are kept per snapshot apart, as
    most keys of a batch share one of them with an earlier key."""
    snap = ctx.snapshot
    kind = ctx.item.kind
    key = ("caveats_dest", kind == "usml", kind == "eccn", ctx.ear_destination)
    dest = snap.memo(key, lambda: _destination_part(ctx))
    entry = snap.ccl.get(ctx.item.code) if kind == "eccn" else None
    out = list(dest)
    if entry is not None and not entry.start_date_known:
        out.append(f"the CCL entry {entry.eccn} (control lines, licence exceptions) is as in the "
                   f"eCFR of {SOURCE_EDITION.isoformat()}; its start date is not established "
                   f"({entry.citation})")
    gaps = tuple(f"{gap.text} ({gap.citation})" for gap in snap.history_gaps
                 if _reaches(gap, ctx))
    return tuple(out), gaps


def _destination_part(ctx: Context) -> tuple[str, ...]:
    """The destination's Country Groups (not for USML items) and chart marks (ECCNs only)."""
    snap = ctx.snapshot
    edition = SOURCE_EDITION.isoformat()
    out: list[str] = []
    dest = ctx.ear_destination
    groups = _unknown(snap.groups.get(dest, {}).values())
    if groups and ctx.item.kind != "usml":
        names = ", ".join(sorted(_bounded(g) for g in groups))
        out.append(f"Country Group memberships of {dest} ({names}) have no established start "
                   f"date: read from the eCFR of {edition}, or from earlier editions for "
                   "memberships since ended (15 CFR 740 Supp. 1)")
    marks = [m for m in snap.chart.get(dest, {}).values() if not m.start_date_known]
    if marks and ctx.item.kind == "eccn":
        out.append(f"Country Chart marks for {dest}: {_marks_read(marks)}; their start dates "
                   "are not established, and marks removed since then are not known either "
                   "(15 CFR 738 Supp. 1)")
    return tuple(out)


def _marks_read(marks: list[ChartMark]) -> str:
    """Where each mark was read: today's eCFR, the editions before a removal (the UK's NS1
    until 89 FR 28594: not in the eCFR of :data:`SOURCE_EDITION`), or derived from Part 742
    (Hong Kong's own row until 22 Dec 2020, printed in no edition read)."""
    derived = sorted(m.column for m in marks if m.basis == "derived")
    removed = sorted(m.column for m in marks if m.basis != "derived" and m.effective_to)
    current = sorted(m.column for m in marks if m.basis != "derived" and not m.effective_to)
    parts = []
    if current:
        parts.append(f"{', '.join(current)} as in the eCFR of {SOURCE_EDITION.isoformat()}")
    if removed:
        its = "their" if len(removed) > 1 else "its"
        parts.append(f"{', '.join(removed)} as printed before {its} removal")
    if derived:
        parts.append(f"{', '.join(derived)} derived from their Part 742 column definitions "
                     "(no edition printing them was read)")
    return "; ".join(parts)


def _reaches(gap: HistoryGap, ctx: Context) -> bool:
    """Whether a known, unmodelled change (``rules/data/history_gaps.yaml``) bears on this
    item and destination."""
    item = ctx.item
    if item.kind not in gap.kinds:
        return False
    dest = ctx.itar_destination if item.kind == "usml" else ctx.ear_destination
    if dest in gap.exclude_countries:
        return False
    if (gap.countries or gap.groups) and not (
        dest in gap.countries or any(ctx.snapshot.in_group(dest, g) for g in gap.groups)
    ):
        return False
    if not (gap.items or gap.reasons):
        return True
    if item.code in gap.items:
        return True
    entry = ctx.snapshot.ccl.get(item.code) if item.kind == "eccn" else None
    return entry is not None and any(line.reason in gap.reasons for line in entry.controls)
