"""Why a line's answer changed: the rules (or list entries) that differ between two traces.

Changed lines are grouped by what the rules can see of them (the batch path's keys). A rule can
change more than once between the two dates (746.8 reached Russia's Categories 3-9 on 24 Feb
2022 and every ECCN on 8 Apr 2022), so each group is also decided on the days between them on
which a rule that can matter to it starts or stops. The cause explains the first day its answer
changed, from the traces of that day and of the day before, then names each later day it
changed again ("then on ..."). It names the rules that fired on one side only, each with its
citation and, where it came into or went out of force that day, the date — so the Hong Kong
line of 15 Jan 2021 says "HK determined as CN under the EAR — 85 FR 83765 (from 2020-12-23)",
not just "outcome changed" — those the changed part of the answer rests on first.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import polars as pl

from exportcheck.determine import determine
from exportcheck.determine.batch_keys import line_facts
from exportcheck.determine.batch_parties import party_args
from exportcheck.determine.items import ECCN_RE, known_paragraph
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import ExportCheckError
from exportcheck.models import Determination, ScreeningHit, TraceStep
from exportcheck.rules.describe import summarise
from exportcheck.rules.ruleset import RuleSet
from exportcheck.screen.listing import listing_of

SEP = " | "
#: a later day a line's answer changed again: told, not credited (the timeline credits the
#: first, :func:`~exportcheck.impact.summary.rule_events`)
LATER = "then on "
#: a rule that changed beside the line's change but not its answer (:func:`_bearing`): told,
#: not credited in the timeline
BACKGROUND = "background: "
_DETAIL = 200


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL else text[: _DETAIL - 1] + "…"


def _when(step: TraceStep, d_old: date, d_new: date) -> str:
    """The step's own date, when it falls between the two sides (the event that changed it).

    A start that is not established is no event (its ``effective_from`` is a lower bound), but
    an end that is stays one: Sudan's AT1 mark, start unknown, ended with 86 FR 4929."""
    if (step.start_date_known and step.effective_from
            and d_old < step.effective_from <= d_new):
        return f"; in force from {step.effective_from.isoformat()}"
    if step.effective_to and d_old <= step.effective_to < d_new:
        return f"; in force until {step.effective_to.isoformat()}"
    return ""


def diff_traces(old: Determination, new: Determination) -> list[str]:
    """The rules that fired on one side only: those the changed part of the answer rests on
    first (:func:`_bearing`), then dated events first; last, marked "background: ", those that
    changed nothing the answer shows."""
    d_old, d_new = old.on, new.on
    fired_old = {s.rule: s for s in reversed(old.trace) if s.fired}
    fired_new = {s.rule: s for s in reversed(new.trace) if s.fired}
    consulted_new = {s.rule: s for s in reversed(new.trace)}
    items: list[tuple[int, bool, str]] = []
    for rule, s in fired_new.items():
        if rule not in fired_old:
            when = _when(s, d_old, d_new)
            items.append((_bearing(s, new, old), bool(when),
                          f"now: {rule} ({s.citation}{when}): {_short(s.detail)}"))
    for rule, s in fired_old.items():
        if rule in fired_new:
            continue
        now = consulted_new.get(rule)
        # a rule still consulted on the new date stopped firing for the reason its detail
        # gives ("CN is not in Country Group B"), not because another version of it came into
        # force meanwhile: it carries no date (the dated event that changed the line has its
        # own item); a rule gone from the trace carries the date its last version ended
        when = "" if now is not None else _when(s, d_old, d_new)
        why = f": {_short(now.detail)}" if now is not None and now.detail != s.detail else ""
        cite = now.citation if now is not None else s.citation
        items.append((_bearing(s, old, new), bool(when),
                      f"no longer: {rule} ({cite}{when}){why}"))
    if not items:
        # same rules fired: a detail changed (review policy, a hit, a value limit)
        before = {(s.rule, s.detail) for s in old.trace if s.fired}
        for s in new.trace:
            if s.fired and (s.rule, s.detail) not in before:
                items.append((_bearing(s, new, old), False,
                              f"changed: {s.rule} ({s.citation}): {_short(s.detail)}"))
    # what changed the answer first; then dated events first, and a review policy that changed
    # follows the event that changed the requirement (Hong Kong determined as China brings
    # China's 742.4(b)(7) policy with it)
    items.sort(key=lambda x: (x[0], not x[1], _POLICY in x[2]))
    if all(tier == 2 for tier, _, _ in items):  # nothing else to tell what did change it
        return [text for _, _, text in items]
    return [BACKGROUND + text if tier == 2 else text for tier, _, text in items]



_POLICY = ": Licence review policy for "
_POLICY_RULE = _POLICY[2:]
_EXCEPTION = re.compile(r"License Exception (\w+)")
#: trace notes on the EAR's reach (:mod:`exportcheck.determine.reach`): they change no answer
_REACH = ("(foreign direct product rule)", "(BIS enforcement)")


def _bearing(step: TraceStep, mine: Determination, other: Determination) -> int:
    """How a rule that fired on one side only (``mine``) bears on what changed of the answer:
    0, a part that changed rests on it; 2, it changed nothing the answer shows (a new version
    of an FDP rule, the policy row of a requirement another requirement's policy outranks, an
    exception usable on both sides or neither); 1, cannot tell. A cause then opens with what
    changed the line (3A090.a to China, Nov 2023: the review-policy row, not the FDP rule that
    changed beside it)."""
    rule = step.rule
    if " determined as " in rule:  # the destination's rules are another's from that day
        return 0 if mine.evaluated_destination != other.evaluated_destination else 1
    if rule.endswith(_REACH):
        return 2
    if m := _EXCEPTION.match(rule):
        usable = [m[1] in {e.symbol for e in d.license_exceptions} for d in (mine, other)]
        return 0 if usable[0] != usable[1] else 2
    if rule.startswith(_POLICY_RULE):
        if mine.review_policy == other.review_policy:
            return 2
        return 0 if f"({step.citation})" in (mine.review_policy or "") else 1
    reqs = [r for r in mine.requirements
            if rule == r.rule or rule.startswith((r.rule + " ", r.rule + ":"))]
    if not reqs:
        return 1
    theirs = {(r.reason, r.review_policy, r.prohibited) for r in other.requirements}
    return 0 if any((r.reason, r.review_policy, r.prohibited) not in theirs for r in reqs) else 2


_GROUP = [
    "_item",
    "destination",
    "_utype",
    "_use",
    # the facts an exception or requirement turns on (a headquarters in D:5): lines that differ
    # only in them are decided apart, so their causes are too
    "_facts",
    "_party_o",
    "_party_n",
    "_epoch_o",
    "_epoch_n",
    "_above_o",
    "_above_n",
    "_row_error",
]
#: what a group of changed lines shares (a distributed run combines groups across parts)
GROUP_COLUMNS = tuple(_GROUP)


def _args(r: dict, suffix: str, rs: RuleSet, screener: PartyScreener | None,
          ownership: Any) -> dict[str, Any]:
    return dict(value=r["value"], **party_args(r[f"_party{suffix}"]), end_user_type=r["_utype"],
                end_use=r["_use"] or None, screener=screener, ruleset=rs, ownership=ownership,
                facts=line_facts(r["_facts"]))


def _determine(r: dict, suffix: str, on: date, rs: RuleSet, screener: PartyScreener | None,
               ownership: Any = None) -> Determination:
    return determine(r["_item"], r["destination"], on,
                     **_args(r, suffix, rs, screener, ownership))


#: what impact compares of an answer (:data:`~exportcheck.impact.core.NAMES`, bar the error)
Answer = tuple[Any, ...]


def _answer(d: Determination) -> Answer:
    return (d.outcome, d.agency, tuple(d.reasons),
            tuple(e.symbol for e in d.license_exceptions), d.review_policy)


def change_days(g: dict, rs: RuleSet, d_old: date, d_new: date, owned: bool) -> list[date]:
    """The days strictly between the dates on which the group's answer can change: a rule that
    can matter to its destination and ECCN starts or stops (the periods the batch path decides
    on, :meth:`~exportcheck.rules.ruleset.RuleSet.epochs_for`), or its stated NAC notification
    is made or its waiting period ends."""
    code = (g["_item"] or "").strip()[:5].upper()
    eccn = code if code in _eccns(rs) else None
    days = {d for d in rs.epochs_for(g["destination"], eccn, ownership=owned, caveats=False)
            if d_old < d < d_new}
    facts = line_facts(g["_facts"])
    if facts is not None and facts.nac_notified is not None:
        waits = {r.notify_days or 0 for r in rs.rows("licence_exceptions")} | {0}
        days |= {facts.nac_notified + timedelta(days=n) for n in waits}
    return sorted(d for d in days if d_old < d < d_new)


@lru_cache(maxsize=4)
def _eccns(rs: RuleSet) -> frozenset[str]:
    return frozenset(rs.eccns)


def answer_changes(
    g: dict,
    rs: RuleSet,
    old: Determination,
    new: Determination,
    screener: PartyScreener | None,
    ownership: Any = None,
) -> list[tuple[Determination, Determination]]:
    """Each day the group's answer changed, as (the day before, that day), in order from ``old``
    to ``new``: the first is what the timeline credits. Only the days :func:`change_days` gives
    are decided (each once: a group has a few), with the old side's parties and ``screener``
    (between two list releases as well, the rules are read first; the last step is the new
    side). Just ``[(old, new)]`` when no day between changed the answer."""
    pairs: list[tuple[Determination, Determination]] = []
    prev = old
    try:
        for day in change_days(g, rs, old.on, new.on, ownership is not None):
            got = _determine(g, "_o", day, rs, screener, ownership)
            if _answer(got) != _answer(prev):
                pairs.append((prev, got))
            prev = got
    except ExportCheckError:  # a day between that cannot be decided: the two sides alone
        return [(old, new)]
    if not pairs:
        return [(old, new)]
    if _answer(prev) != _answer(new):
        pairs.append((prev, new))
    return pairs


def moved() -> pl.Expr:
    """The lines a cause explains: those whose answer changed, and those held for review on one
    side only (a potential match to an entry listed between the dates changes no answer, but
    the officer must learn which entry holds the line)."""
    return pl.col("changed") | pl.col("old_hold").ne_missing(pl.col("new_hold"))


def change_groups(df: pl.DataFrame) -> pl.DataFrame:
    """The :func:`moved` lines grouped by what the rules can see of them, in order of first
    line: ``_GROUP`` columns, the lines (``_row``), the first line's value and errors, and
    whether the answer changed (the group's lines share it: it is decided by the keys)."""
    return (
        df.filter(moved())
        .group_by(_GROUP, maintain_order=True)
        .agg(pl.col("_row"), pl.col("value").first(), pl.col("old_error").first(),
             pl.col("new_error").first(), pl.col("changed").first())
    )


def group_cause(
    g: dict,
    rs: RuleSet,
    d_old: date,
    d_new: date,
    scr_old: PartyScreener | None,
    scr_new: PartyScreener | None,
    ownership: Any = None,
) -> str:
    """The cause of one group of :func:`change_groups` (a row of it, as a dict)."""
    items: list[str] = []
    if not g.get("changed", True):  # the same answer, held for review on one side only
        old = _determine(g, "_o", d_old, rs, scr_old, ownership)
        new = _determine(g, "_n", d_new, rs, scr_new, ownership)
        return SEP.join(hold_items(old, new))
    if g["old_error"] and not g["new_error"]:
        items = [*_item_moves(rs, g["_item"], d_old, d_new, came=True),
                 f"old side ({d_old.isoformat()}): {g['old_error']}"]
    elif g["new_error"] and not g["old_error"]:
        items = [*_item_moves(rs, g["_item"], d_old, d_new, came=False),
                 f"new side ({d_new.isoformat()}): {g['new_error']}"]
    elif not g["old_error"]:
        try:
            old = _determine(g, "_o", d_old, rs, scr_old, ownership)
            new = _determine(g, "_n", d_new, rs, scr_new, ownership)
            steps = answer_changes(g, rs, old, new, scr_old, ownership)
            items = _explained(steps, old, new)
            first = [i for i in items if not i.startswith((LATER, BACKGROUND))]
            if not any("; in force " in item for item in first):
                moves = _group_moves(rs, g["destination"], steps[0][0].on, steps[0][1].on)
                items[len(first):len(first)] = moves  # after the first change, before the rest
        except ExportCheckError as exc:  # cannot happen for keys the batch decided
            items = [f"not explained: {exc}"]
    return SEP.join(items)


def hold_items(old: Determination, new: Determination) -> list[str]:
    """The matches that hold the line for review on one side only, each with the entry, the
    kind of match and, where the entry's listing is dated, when it took effect: the MEU entry
    of AASPT (85 FR 83799, effective 2020-12-23) holds a USML line to China on 15 Jan 2021 and
    not on 29 Jun 2020."""
    hits = {(h.list, h.entry_id): h for h in (*old.screening_hits, *new.screening_hits)}
    items = []
    for verb, mine, other in (("now held for review", new, old),
                              ("no longer held for review", old, new)):
        theirs = {(m.role, m.list, m.entry_id) for m in other.party_matches}
        for m in mine.party_matches:
            if (m.role, m.list, m.entry_id) in theirs:
                continue
            hit = hits.get((m.list, m.entry_id))
            basis = f"; {listing_of(hit).basis}" if hit is not None else ""
            items.append(f"{verb}: {m.role} '{m.party}' matches {m.list} entry {m.entry_id} "
                         f"'{m.matched_name}' ({m.match_kind}, score {m.score:.0f}{basis}): "
                         f"{_short(m.why_held)}")
    return items


def _item_moves(rs: RuleSet, item: str | None, d_old: date, d_new: date, *, came: bool
                ) -> list[str]:
    """The CCL entry or paragraph of ``item`` that came into force between the dates
    (``came``: the old side did not know it) or went out of force (the new side does not), as a
    cause item. A line whose classification did not exist on one side is an error there; its
    change is the entry's coming or going (3A090 on 21 Oct 2022, 87 FR 62186), which the error
    alone neither names nor lets the timeline credit."""
    m = ECCN_RE.match((item or "").strip())
    if m is None:
        return []
    eccn, para = m["eccn"].upper(), m["para"].lower()
    side = rs.as_of(d_old if came else d_new)
    found: list[tuple[str, Any]] = []
    for table, row, kind in rs.changes_between(d_old, d_new):
        if kind != ("added" if came else "removed"):
            continue
        if table == "ccl" and row.eccn == eccn and eccn not in side.ccl:
            found.append((f"ECCN {eccn} on the Commerce Control List", row))
        elif (table == "paragraph_starts" and eccn in row.eccns and para
              and known_paragraph(para, [row.paragraph])):
            found.append((f"ECCN paragraph {eccn}{row.paragraph}", row))
    if not found:
        return []
    what, row = found[0] if came else found[-1]  # its first coming, or its last going
    if came:
        text = f"now: {what} ({row.citation}; {_from(row)})"
        detail = row.start_citation
    else:
        text = f"no longer: {what} ({row.citation}; in force until {row.effective_to.isoformat()})"
        detail = row.note
    return [text + (f": {_short(detail)}" if detail else "")]


def _from(row: Any) -> str:
    """"in force from DAY", and when DAY only bounds a start not established (the UAE's A:5
    listing), says so: the change may have come later."""
    text = f"in force from {row.start.isoformat()}"
    return text if row.start_date_known else f"{text} at the earliest, start not established"


def _group_moves(rs: RuleSet, code: str, before: date, day: date) -> list[str]:
    """``code``'s Country Group memberships that began or ended after ``before`` up to
    ``day``, as cause items. The trace names the rows that read a membership (742.4(b)(2)'s
    D:1 review policy, LVS's Country Group B), not the move itself: a line changed by one
    (Ukraine, D:1 to B on 28 Dec 2020, 85 FR 84211) had no dated rule to explain it and to
    credit it to in the timeline."""
    items = []
    for table, row, kind in rs.changes_between(before, day):
        if table != "group_members" or row.code != code:
            continue
        if kind == "added":
            when, why = _from(row), row.start_citation
            verb = "now"
        else:
            when, why, verb = f"in force until {row.effective_to.isoformat()}", None, "no longer"
        detail = why or row.note
        items.append(f"{verb}: {summarise(table, row)} ({row.citation}; {when})"
                     + (f": {_short(detail)}" if detail else ""))
    return items


def _explained(steps: list[tuple[Determination, Determination]], old: Determination,
               new: Determination) -> list[str]:
    """The first change in full; each later one by its first item, after "then on DAY: "."""
    items = diff_traces(*steps[0]) or diff_traces(old, new)
    for before, after in steps[1:]:
        if got := diff_traces(before, after):
            items.append(f"{LATER}{after.on.isoformat()}: {got[0]}")
    return items


def explain(
    df: pl.DataFrame,
    rs: RuleSet,
    d_old: date,
    d_new: date,
    scr_old: PartyScreener | None,
    scr_new: PartyScreener | None,
    ownership: Any = None,
) -> pl.DataFrame:
    """``_row`` → ``cause`` for every changed line, and every line held on one side only."""
    groups = change_groups(df)
    if groups.height == 0:
        return pl.DataFrame(schema={"_row": pl.UInt32, "cause": pl.Utf8})
    rows, causes = [], []
    for g in groups.iter_rows(named=True):
        text = group_cause(g, rs, d_old, d_new, scr_old, scr_new, ownership)
        rows.extend(g["_row"])
        causes.extend([text] * len(g["_row"]))
    return pl.DataFrame(
        {"_row": rows, "cause": causes}, schema={"_row": pl.UInt32, "cause": pl.Utf8}
    )


def headline(cause: str) -> str:
    """The first item of a cause without its citation, for a one-line table cell."""
    first = cause.split(SEP)[0]
    rule = first.split(" (")[0]
    since = first.split("in force from ")[1][:10] if "in force from " in first else ""
    return f"{rule}, from {since}" if since else rule


#: a list cause as :func:`_hit_text` writes it ("list entry now matched: EL entry 1056a00d64d6
#: 'Centre Bright ...' (score 100; 75 FR 1699)"), read back by the summary's list changes
LIST_CAUSE = re.compile(r"^list entry (now|no longer) matched: (\S+) entry (\S+) '(.*)' "
                        r"\(score [^)]*\)$")


def _hit_text(h: ScreeningHit, verb: str) -> str:
    fr = f"; {h.federal_register_notice}" if h.federal_register_notice else ""
    return f"{verb}: {h.list} entry {h.entry_id} '{h.matched_name}' (score {h.score:.0f}{fr})"


def list_causes(
    df: pl.DataFrame,
    causes: pl.DataFrame,
    scr_old: PartyScreener | None,
    scr_new: PartyScreener | None,
) -> pl.DataFrame:
    """Put the list entries an end user matches on one side only in front of the rule causes,
    on the changed lines and on those held for review on one side only (a potential match to a
    new entry does not change the answer, but the officer must learn which entry holds it)."""
    changed = df.filter(moved() & pl.col("end_user").is_not_null())
    pairs = changed.select("end_user", "destination").unique()
    texts = {}
    for name, dest in pairs.iter_rows():
        old = {(h.list, h.entry_id): h for h in (scr_old.screen(name, country=dest) if scr_old
                                                  else [])}
        new = {(h.list, h.entry_id): h for h in (scr_new.screen(name, country=dest) if scr_new
                                                  else [])}
        items = [_hit_text(h, "list entry now matched") for k, h in new.items() if k not in old]
        items += [_hit_text(h, "list entry no longer matched") for k, h in old.items()
                  if k not in new]
        if items:
            texts[(name, dest)] = SEP.join(items)
    if not texts:
        return causes
    extra = pl.DataFrame(
        {
            "end_user": [k[0] for k in texts],
            "destination": [k[1] for k in texts],
            "_list_cause": list(texts.values()),
        }
    )
    got = (
        changed.select("_row", "end_user", "destination")
        .join(extra, on=["end_user", "destination"], how="inner")
        .select("_row", "_list_cause")
    )
    merged = causes.join(got, on="_row", how="full", coalesce=True).with_columns(
        pl.concat_str(
            [pl.col("_list_cause"), pl.col("cause")], separator=SEP, ignore_nulls=True
        ).alias("cause")
    )
    return merged.select("_row", "cause")
