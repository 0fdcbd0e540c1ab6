"""Why a line's answer changed: the rules (or list entries) that differ between the two traces.

Changed lines are grouped by what the rules can see of them (the batch path's keys), and each
group is determined once per side with the full trace. The cause names the rules that fired on
one side only, each with its citation and, where it came into or went out of force between the
two dates, that date — so the Hong Kong line of 15 Jan 2021 says "HK determined as CN under the
EAR — 85 FR 83765 (from 2020-12-23)", not just "outcome changed".
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from exportcheck.determine import determine
from exportcheck.determine.batch_keys import line_facts
from exportcheck.determine.batch_parties import party_args
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import ExportCheckError
from exportcheck.models import Determination, ScreeningHit, TraceStep
from exportcheck.rules.ruleset import RuleSet

SEP = " | "
_DETAIL = 200


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _DETAIL else text[: _DETAIL - 1] + "…"


def _when(step: TraceStep, d_old: date, d_new: date) -> str:
    """The step's own date, when it falls between the two sides (the event that changed it)."""
    if not step.start_date_known:
        return ""
    if step.effective_from and d_old < step.effective_from <= d_new:
        return f"; in force from {step.effective_from.isoformat()}"
    if step.effective_to and d_old <= step.effective_to < d_new:
        return f"; in force until {step.effective_to.isoformat()}"
    return ""


def diff_traces(old: Determination, new: Determination) -> list[str]:
    """The rules that fired on one side only, dated events first."""
    d_old, d_new = old.on, new.on
    fired_old = {s.rule: s for s in reversed(old.trace) if s.fired}
    fired_new = {s.rule: s for s in reversed(new.trace) if s.fired}
    consulted_new = {s.rule: s for s in reversed(new.trace)}
    items: list[tuple[bool, str]] = []
    for rule, s in fired_new.items():
        if rule not in fired_old:
            when = _when(s, d_old, d_new)
            items.append((bool(when), f"now: {rule} ({s.citation}{when}): {_short(s.detail)}"))
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
        items.append((bool(when), f"no longer: {rule} ({cite}{when}){why}"))
    if not items:
        # same rules fired: a detail changed (review policy, a hit, a value limit)
        before = {(s.rule, s.detail) for s in old.trace if s.fired}
        for s in new.trace:
            if s.fired and (s.rule, s.detail) not in before:
                items.append((False, f"changed: {s.rule} ({s.citation}): {_short(s.detail)}"))
    # dated events first; a review policy that changed follows the event that changed the
    # requirement (Hong Kong determined as China brings China's 742.4(b)(7) policy with it)
    items.sort(key=lambda x: (not x[0], _POLICY in x[1]))
    return [text for _, text in items]


_POLICY = ": Licence review policy for "


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


def _determine(r: dict, suffix: str, on: date, rs: RuleSet, screener: PartyScreener | None,
               ownership: Any = None):
    return determine(
        r["_item"],
        r["destination"],
        on,
        value=r["value"],
        **party_args(r[f"_party{suffix}"]),
        end_user_type=r["_utype"],
        end_use=r["_use"] or None,
        screener=screener,
        ruleset=rs,
        ownership=ownership,
        facts=line_facts(r["_facts"]),
    )


def change_groups(df: pl.DataFrame) -> pl.DataFrame:
    """The changed lines grouped by what the rules can see of them, in order of first line:
    ``_GROUP`` columns, the lines (``_row``) and the first line's value and errors."""
    return (
        df.filter(pl.col("changed"))
        .group_by(_GROUP, maintain_order=True)
        .agg(pl.col("_row"), pl.col("value").first(), pl.col("old_error").first(),
             pl.col("new_error").first())
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
    if g["old_error"] and not g["new_error"]:
        items.append(f"old side ({d_old.isoformat()}): {g['old_error']}")
    elif g["new_error"] and not g["old_error"]:
        items.append(f"new side ({d_new.isoformat()}): {g['new_error']}")
    elif not g["old_error"]:
        try:
            old = _determine(g, "_o", d_old, rs, scr_old, ownership)
            new = _determine(g, "_n", d_new, rs, scr_new, ownership)
            items = diff_traces(old, new)
        except ExportCheckError as exc:  # cannot happen for keys the batch decided
            items = [f"not explained: {exc}"]
    return SEP.join(items)


def explain(
    df: pl.DataFrame,
    rs: RuleSet,
    d_old: date,
    d_new: date,
    scr_old: PartyScreener | None,
    scr_new: PartyScreener | None,
    ownership: Any = None,
) -> pl.DataFrame:
    """``_row`` → ``cause`` for every changed line."""
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
    moved = pl.col("changed") | pl.col("old_hold").ne_missing(pl.col("new_hold"))
    changed = df.filter(moved & pl.col("end_user").is_not_null())
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
