"""Deciding the distinct keys of a batch (:mod:`exportcheck.determine.batch`): each key once
with the scalar engine, within and above its LVS limit, in forked worker processes when there
are enough keys to pay for them, as a frame of answer columns."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from types import SimpleNamespace
from typing import Any

import polars as pl

from exportcheck.determine.batch_io import (
    CAVEATS,
    CONDITIONS,
    FACT_SEP,
    FACTS_WANTED,
    OUT_COLUMNS,
    PARTY_HITS,
    SCOPE,
    parse_iso_date,
)
from exportcheck.determine.batch_parties import party_args
from exportcheck.determine.caveats import caveats
from exportcheck.determine.context import Context
from exportcheck.determine.engine import evaluate, verdict
from exportcheck.determine.exceptions import lvs_limit
from exportcheck.determine.items import parse_item
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import ExportCheckError
from exportcheck.models import TransactionFacts
from exportcheck.rules.ruleset import RuleSet
from exportcheck.rules.schema import SOURCE_EDITION
from exportcheck.screen.certainty import OWNED

#: what makes two lines' answers the same (the value aside: see ``_limit``)
KEY = ["_item", "destination", "_epoch", "_party", "_utype", "_use", "_facts"]
_EXTRA = (CAVEATS, SCOPE, CONDITIONS, FACTS_WANTED, PARTY_HITS)
#: the caveats of the key's lines that state an end use naming none of Part 744's: they share
#: the key of lines stating none (``_use`` empty) and differ in their caveats only
IF_STATED = "_caveats_if_stated"
#: the caveats of the key's own facts (its parties' listing dates, an ownership rule), which
#: a line after the rule base's edition keeps when its key was decided before it
#: (batch._by_edition)
RULE_CAVEATS = "_rule_caveats"
#: what a decided key gives, within and above the LVS limit (:func:`_summary`'s keys)
_SUMMARY = (*OUT_COLUMNS, *_EXTRA, IF_STATED, RULE_CAVEATS)
#: the columns a line's own error blanks (``error`` itself is coalesced)
_ANSWER = [*OUT_COLUMNS[:-1], *_EXTRA]
_HUGE = 1e18


def _summary(ctx: Context) -> dict:
    v = verdict(ctx)
    said = " | ".join(caveats(ctx)) or None
    return {
        "outcome": v.outcome.value,
        "agency": v.agency.value if v.agency else None,
        "reasons": ",".join(v.reasons),
        "license_exceptions": ",".join(v.exceptions),
        "review_policy": v.review_policy,
        "hold": ctx.hold,
        "if_confirmed": ctx.if_confirmed.outcome.value if ctx.if_confirmed else None,
        "error": None,
        CAVEATS: said,
        IF_STATED: (" | ".join(caveats(ctx, if_stated=True)) or None
                    if ctx.on < SOURCE_EDITION and not ctx.unknown_if_stated.keys()
                    <= ctx.unknown_rules.keys() else said),
        RULE_CAVEATS: " | ".join(ctx.rule_caveats) or None,
        SCOPE: ctx.if_out_of_scope.outcome.value if ctx.if_out_of_scope else None,
        # LVS's rests on the line's own value: written per line (_lvs_conditions)
        CONDITIONS: " | ".join(f"{sym}: {ctx.exceptions[sym][1]}" for sym in v.exceptions
                               if sym != "LVS" and ctx.exceptions[sym][1]) or None,
        FACTS_WANTED: _wanted(ctx),
        PARTY_HITS: " | ".join(
            f"{role}: {h.list} {h.entry_id} {h.matched_name!r} ({h.match_kind}, {h.score:g})"
            + (f": {h.explanation[0]}" if h.match_kind == OWNED and h.explanation else "")
            for role, h in ctx.role_hits) or None,
    }


def _wanted(ctx: Context) -> str | None:
    """Determination.facts_wanted in a cell: "ACA: headquarters, conditions_met | NAC: ..."."""
    by: dict[str, list[str]] = {}
    for w in ctx.facts_wanted:
        by.setdefault(w.subject, []).append(w.fact)
    return " | ".join(f"{sym}: {', '.join(dict.fromkeys(f))}" for sym, f in by.items()) or None


def line_facts(key: str | None) -> TransactionFacts | None:
    """The facts of :func:`~exportcheck.determine.batch.facts_key`'s key (None: none given);
    a NAC date that is not YYYY-MM-DD is bad input (the line's error)."""
    if key is None:
        return None
    hq, nac, met = key.split(FACT_SEP)
    return TransactionFacts(
        headquarters=hq or None,
        nac_notified=parse_iso_date(nac, "nac_notified date") if nac else None,
        conditions_met=frozenset(met.split(",")) if met else frozenset())


def _error(msg: str) -> dict:
    return dict.fromkeys((*_ANSWER, IF_STATED, RULE_CAVEATS)) | {"error": msg}


def _decide_key(
    key: dict, rs: RuleSet, screener: PartyScreener | None, ownership: Any = None
) -> dict:
    on: date = key["_epoch"]
    try:
        kw: dict[str, Any] = dict(
            **party_args(key["_party"]),
            end_user_type=key["_utype"],
            end_use=key["_use"],
            screener=screener,
            ruleset=rs,
            trace=False,
            ownership=ownership,
            facts=line_facts(key["_facts"]),
        )
        lo = evaluate(key["_item"], key["destination"], on, value=0.0, **kw)
        # the value matters where LVS is offered, and where the answer outside the scope of
        # control lines applied conservatively (if_out_of_scope) may offer it
        limit = _lvs_limit(rs, on, key["_item"]) if (
            "LVS" in lo.exceptions or lo.unread_applied) else None
        if limit is None:
            summary = _summary(lo)
            return {"lo": summary, "hi": summary, "limit": None}
        hi = evaluate(key["_item"], key["destination"], on, value=_HUGE, **kw)
        return {"lo": _summary(lo), "hi": _summary(hi), "limit": limit}
    except ExportCheckError as exc:
        # the key is decided on the first day of its rule period, not the line's own date
        err = _error(str(exc).replace(on.isoformat(), "the line's date"))
        return {"lo": err, "hi": err, "limit": None}


def _lvs_limit(rs: RuleSet, on: date, item: str) -> int | None:
    """The LVS limit of the item's entry on ``on`` (None: the entry sets none for it)."""
    snap = rs.as_of(on)
    cls = parse_item(item, snap)
    return lvs_limit(SimpleNamespace(item=cls), snap.ccl[cls.code])  # type: ignore[arg-type]


_STATE: dict[str, object] = {}
_CHUNK = 2048


#: the most keys a ``memo`` of :func:`decide_keys` holds (a few hundred MB at most)
MEMO_MAX = 400_000
#: the columns of a decided key (:func:`_decide_chunk`)
_DECIDED = {
    **dict.fromkeys(KEY, pl.Utf8),
    "_epoch": pl.Date,
    "_limit": pl.Float64,
    **{
        f"_{v}_{c}": pl.Boolean if c == "hold" else pl.Utf8
        for v in ("lo", "hi")
        for c in _SUMMARY
    },
}


_UNUSED = (None,) * len(_SUMMARY)


def _decide_chunk(keys: list[dict]) -> pl.DataFrame:
    """The decided keys as a frame of :data:`_DECIDED`: a worker sends it back as Arrow
    buffers, and builds it on its own core rather than the parent's."""
    rs, screener, owners = _STATE["rs"], _STATE["screener"], _STATE.get("ownership")
    out = []
    for k in keys:
        got = _decide_key(k, rs, screener, owners)  # type: ignore[arg-type]
        lo, hi = got["lo"], got["hi"]
        out.append((
            *(k[c] for c in KEY),
            got["limit"],
            *(lo[c] for c in _SUMMARY),
            # the answer above the LVS limit is read only where there is one
            *((hi[c] for c in _SUMMARY) if got["limit"] is not None else _UNUSED),
        ))
    return pl.DataFrame(out, schema=_DECIDED, orient="row")


def _decide_range(bounds: tuple[int, int]) -> pl.DataFrame:
    """:func:`_decide_chunk` of the keys a forked worker inherited, ``bounds`` ``(start,
    stop)``."""
    return _decide_chunk(_STATE["keys"][bounds[0]:bounds[1]])  # type: ignore[index]


def _decide_all(
    keys: list[dict],
    rs: RuleSet,
    screener: PartyScreener | None,
    progress: Callable[[int, int], None] | None,
    workers: int | None,
    ownership: Any = None,
) -> pl.DataFrame:
    """Decide each distinct key, in worker processes when there are enough to pay for them."""
    total = len(keys)
    n = workers if workers is not None else (os.cpu_count() or 1)
    frames: list[pl.DataFrame] = []
    done = 0
    _STATE.update(rs=rs, screener=screener, ownership=ownership, keys=keys)
    if n > 1 and total > 4 * _CHUNK and "fork" in mp.get_all_start_methods():
        # fork: the workers inherit the loaded rule base, its snapshots of the keys' days, the
        # screener and the keys instead of building or pickling them: a task is a range
        for day in {k["_epoch"] for k in keys}:
            rs.as_of(day)
        ranges = [(i, min(i + _CHUNK, total)) for i in range(0, total, _CHUNK)]
        with ProcessPoolExecutor(n, mp_context=mp.get_context("fork")) as pool:
            for frame in pool.map(_decide_range, ranges):
                frames.append(frame)
                done += frame.height
                if progress:
                    progress(done, total)
    else:
        for i in range(0, total, _CHUNK):
            frames.append(_decide_chunk(keys[i : i + _CHUNK]))
            done += frames[-1].height
            if progress:
                progress(done, total)
    _STATE.clear()
    return pl.concat(frames) if frames else pl.DataFrame(schema=_DECIDED)


def decide_keys(
    keys: pl.DataFrame,
    rs: RuleSet,
    screener: PartyScreener | None,
    *,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    ownership: Any = None,
    memo: dict[tuple, tuple] | None = None,
) -> pl.DataFrame:
    """The answers for distinct keys (columns ``KEY``): ``_limit`` and the ``_lo_*``/``_hi_*``
    answer columns, within and above the LVS limit.

    ``memo``: answers of keys decided before with the same rule base, screener and ownership
    (a Dask worker keeps one per job; the partitions of a file share most keys), used and
    filled in, up to :data:`MEMO_MAX` keys."""
    dicts = keys.select(KEY).to_dicts()
    if memo is None:
        return _decide_all(dicts, rs, screener, progress, workers, ownership)
    ids = [tuple(k[c] for c in KEY) for k in dicts]
    todo = [k for k, i in zip(dicts, ids, strict=True) if i not in memo]
    done = iter(_decide_all(todo, rs, screener, progress, workers, ownership).rows())
    rows = []
    for i in ids:
        row = memo.get(i)
        if row is None:
            row = next(done)
            if len(memo) < MEMO_MAX:
                memo[i] = row
        rows.append(row)
    return pl.DataFrame(rows, schema=_DECIDED, orient="row")
