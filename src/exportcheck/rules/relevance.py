"""Which rows that name no destination can change an answer for one ECCN.

A batch decides each order line on the first day of its period of unchanged rules
(:meth:`RuleSet.epochs_for`), so every day on which a rule starts or stops splits the periods of
the lines it can concern. Rows that name no destination (special controls, licence exceptions,
review policies, reach notes...) would otherwise split every ECCN's periods: 1M order lines
became 121,162 distinct keys where 40,360 carry all the information. Each rule below says when
such a row provably cannot reach an item of the ECCN, by the same test the engine applies, over
every version of the ECCN's entry; anything it cannot rule out concerns the ECCN. A wrong
``False`` here would silently change past answers, so ``tests/determine/test_epochs.py``
compares every period start with the day its ECCN's period begins.

Impact analysis compares answers, not their caveats or trace, and asks for coarser periods
(``caveats=False``): then rows that only write notes split nothing (:data:`CAVEATS_ONLY`), and
a rule for some Country Groups splits only the periods of destinations it ever reached
(:func:`reach`), on the days a version says something else of them (:func:`view`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: tables whose rows reach an item only as stated below; any other table concerns every ECCN
HANDLED = frozenset({
    "special_controls", "licence_exceptions", "review_policies", "reach_notes", "history_gaps",
    "paragraph_starts", "item_lists",
})
#: tables whose rows write only the trace and the caveats, never an answer: FDP and enforcement
#: notes (:mod:`exportcheck.determine.reach`), known unmodelled changes (caveats)
CAVEATS_ONLY = frozenset({"reach_notes", "history_gaps"})
#: tables whose rows apply to a destination only when it is in their countries or Country
#: Groups (or not excluded by them): elsewhere they only note that they do not apply
_BY_GROUP = frozenset({"special_controls", "licence_exceptions", "review_policies"})


def reach(table: str, row: Any, members: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The destinations a row of :data:`_BY_GROUP` can apply to or exclude, over all time
    (``members``: each Country Group's members ever); None: any destination. An exception that
    reaches any destination where the end user's headquarters is notified (NAC) reaches all."""
    if table not in _BY_GROUP or getattr(row, "worldwide", False):
        return None
    if getattr(row, "reaches_notify_hq_anywhere", False) or not (row.groups or row.countries):
        return None
    out = {*row.countries, *getattr(row, "exclude_countries", [])}
    for g in (*row.groups, *getattr(row, "exclude_groups", [])):
        out |= members.get(str(g), frozenset())
    return frozenset(out)


def caveat_reach(table: str, row: Any, members: dict[str, frozenset[str]]
                 ) -> frozenset[str] | None:
    """For a row that changes no answer where it does not apply (:data:`CAVEATS_ONLY`, or a
    row of :data:`_BY_GROUP` that reaches some Country Groups only): the destinations whose
    caveats it can change in an untraced determination (a batch's), over all time; None: any.

    Such a row reaches the caveats only through a note of a row of unknown start (the list of
    rules applied whose start is not established) or as a known gap (``history_gaps``, for
    the destinations it names or that were ever in its groups, whatever its start). A reach
    note whose start is known writes the trace only: it reaches no destination's caveats
    (``frozenset()``). A Country Group rule reaches any: where it is not in force the engine
    may note another row in its place (a special control not in force notes the CCL entry,
    whose start is unknown)."""
    if table == "history_gaps":  # written as a caveat of its own, never noted as a rule
        if not (row.countries or row.groups):
            return None
        return frozenset(row.countries).union(*(members.get(str(g), ()) for g in row.groups))
    if table == "reach_notes" and row.start_date_known:
        return frozenset()  # noted alone: nothing else is noted where it does not apply
    return None


#: fields of a row that reach the trace and the full determination's wording only, never a
#: batch column: a new version differing only in them (and in its citation) changes no answer
_WORDING = frozenset({"citation", "effective_from", "effective_to", "start_citation", "note",
                      "not_before", "title", "conditions", "description", "end_citation"})


def identity(table: str, row: Any) -> str:
    """What successive versions of a row of :data:`_BY_GROUP` share (licence exception symbol,
    special control or review policy id)."""
    return row.symbol if table == "licence_exceptions" else row.id


def view(row: Any, codes: frozenset[str]) -> tuple:
    """What a version of a row of :data:`_BY_GROUP` says of the destinations ``codes``: every
    field but the wording, its country lists cut to ``codes``."""
    out = []
    for name in type(row).model_fields:
        if name in _WORDING:
            continue
        value = getattr(row, name)
        if name in ("countries", "exclude_countries"):
            value = frozenset(value) & codes
        out.append((name, tuple(value) if isinstance(value, list) else value))
    return tuple(out)


@dataclass(frozen=True)
class EccnProfile:
    """What every version of an ECCN's entry refers to."""

    eccn: str
    specials: frozenset[str]  # special-control ids of its control lines
    reasons: frozenset[str]  # reasons and chart columns without their digit
    grants: frozenset[str]  # exception symbols its entry names, and LVS when it has limits


def profile(tables: dict[str, list[Any]], eccn: str) -> EccnProfile:
    """What the entry of ``eccn``, in every version, and the chart footnotes naming it use."""
    specials: set[str] = set()
    reasons: set[str] = set()
    grants: set[str] = set()
    for entry in tables.get("ccl", []):
        if entry.eccn != eccn:
            continue
        for line in entry.controls:
            reasons.add(line.reason)
            if line.column:
                reasons.add(line.column.rstrip("0123456789"))
            if line.special:
                specials.add(line.special)
        grants |= set(entry.exceptions)
        if entry.lvs:
            grants.add("LVS")
    # a footnote's requirement asks for a review policy of its own reason (or id)
    for fn in tables.get("chart_footnotes", []):
        if _names(fn.eccns, eccn):
            reasons.add((fn.reason or fn.id).rstrip("0123456789"))
            specials.add(fn.id)
    return EccnProfile(eccn, frozenset(specials), frozenset(reasons), frozenset(grants))


def _names(patterns: list[str], eccn: str) -> bool:
    """Whether ECCN patterns ("3A090", "3A001.z"; "!" excludes) include items of ``eccn``."""
    return any(p.split(".")[0] == eccn for p in patterns if not p.startswith("!"))


def _regex(pattern: str | None, eccn: str) -> bool:
    return bool(pattern) and re.match(pattern, eccn) is not None  # type: ignore[arg-type]


def allowed_everywhere(tables: dict[str, list[Any]]) -> frozenset[str]:
    """Exception symbols an embargo or end-use rule allows CCL items: offered to any ECCN it
    catches (an embargo's ``ear99_exceptions`` reach EAR99 items only, its
    ``allowed_exceptions`` EAR99 items as well)."""
    out: set[str] = set()
    for row in (*tables.get("embargoes", []), *tables.get("end_use_rules", [])):
        out |= set(row.allowed_exceptions)
    return frozenset(out)


def concerns(table: str, row: Any, p: EccnProfile, looked_up: frozenset[str],
             allowed: frozenset[str]) -> bool:
    """Whether ``row`` of ``table`` can change an answer for an item of ``p.eccn``.

    ``looked_up``: special-control ids that the reach notes concerning the ECCN look up;
    ``allowed``: :func:`allowed_everywhere`."""
    eccn = p.eccn
    if table == "paragraph_starts":
        return eccn in row.eccns
    if table == "item_lists":
        return eccn in row.eccns
    if table == "embargoes" and row.ccl_categories:
        return int(eccn[0]) in row.ccl_categories
    if table == "special_controls":
        return row.id in p.specials or row.id in looked_up
    if table == "reach_notes":
        return reach_concerns(row, eccn)
    if table == "history_gaps":
        if "eccn" not in row.kinds:
            return False
        return not (row.items or row.reasons) or eccn in row.items or bool(
            p.reasons & set(row.reasons))
    if table == "licence_exceptions":
        # offered when the entry names it, an embargo or end-use rule allows it, or its own
        # ECCN list (NAC/ACA) covers the item
        return row.symbol in p.grants or row.symbol in allowed or _names(row.items, eccn)
    if table == "review_policies":
        # asked for by the entry's chart columns, special controls and footnotes only
        if row.reason.rstrip("0123456789") not in p.reasons:
            return False
        if row.controls and not set(row.controls) & p.specials:
            return False
        if row.item_regex and not _regex(row.item_regex, eccn):
            return False
        return not row.items or _names(row.items, eccn)
    return True


def reach_concerns(row: Any, eccn: str) -> bool:
    """A reach note is written only for the items it names or its pattern matches."""
    return _regex(row.item_regex, eccn) or _names(row.items, eccn)
