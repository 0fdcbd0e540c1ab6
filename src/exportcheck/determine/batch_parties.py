"""The parties of a batch: end users and consignees collapsed to what their screening can change.

A line's parties change its answer only through their hits and whether each hit is certain or
held (:mod:`exportcheck.determine.holds`), so names with the same screening share one key:
``_party`` holds a JSON pair ``[end user, consignee]`` of representative names (null when
neither has a hit). A party with owners in the ownership graph keeps its own key: its derived
hits depend on its chain.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import polars as pl

from exportcheck.determine import parties
from exportcheck.determine.cleared import cleared_detail, screen_open_and_cleared
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import ExportCheckError
from exportcheck.screen import listing
from exportcheck.screen.certainty import assess


class MemoScreener:
    """Screens each (name, country) once per batch; dispositions pass through, and the hits
    they cleared are kept (``cleared``) so that a line can say which were set aside."""

    def __init__(self, inner: PartyScreener) -> None:
        self.inner = inner
        self.version = inner.version
        self.lists_date = getattr(inner, "lists_date", None)
        self.memo: dict[tuple[str, str | None], list] = {}
        self.cleared: dict[tuple[str, str | None], list] = {}
        self._suppressed = "include_suppressed" in inspect.signature(inner.screen).parameters

    def screen(self, name: str, *, country: str | None = None) -> list:
        key = (name, country)
        if key not in self.memo:
            if self._suppressed:
                self.memo[key], self.cleared[key] = screen_open_and_cleared(
                    self.inner, name, country=country)
            else:
                self.memo[key] = self.inner.screen(name, country=country)
        return self.memo[key]

    def recorded_decision(self, name: str, list_code: str, entry_id: str, *,
                          country: str | None = None, dob: str | None = None) -> Any:
        lookup = getattr(self.inner, "recorded_decision", None)
        return lookup(name, list_code, entry_id, country=country, dob=dob) if lookup else None


def party_args(key: str | None) -> dict[str, str | None]:
    """``end_user`` and ``consignee`` for the engine from a ``_party`` key."""
    if not key:
        return {"end_user": None, "consignee": None}
    end_user, consignee = json.loads(key)
    return {"end_user": end_user, "consignee": consignee}


def _signature(name: str, dest: str, memo: MemoScreener, ownership: Any) -> str | None:
    """What the engine can see of one party's screening (None: no hit, nothing to see)."""
    if ownership is not None and ownership.owners_all(name):
        return "own:" + name
    hits = memo.screen(name, country=dest)
    if not hits:
        return None
    marks = []
    for h in hits:
        a = assess(h, name, country=dest, screener=memo)
        # the party_hits column names the entry's name or alias matched, and how
        marks.append([h.list, h.entry_id, a.certain, h.score, h.match_kind, h.matched_name])
    return json.dumps(marks)


#: the most (name, destination) signatures a ``signatures`` memo of :func:`collapse_parties`
#: keeps
SIGNATURES_MAX = 500_000


def collapse_parties(df: pl.DataFrame, screener: PartyScreener | None,
                     ownership: Any = None, signatures: dict | None = None
                     ) -> tuple[pl.DataFrame, PartyScreener | None]:
    """Add ``_party``: one representative (end user, consignee) pair per screening result,
    ``_cleared``: the line's hits that a disposition cleared, as a caveat (or null), and
    ``_bounds``: the days its parties' hits change on their lists (:func:`listing_periods`).

    Without a screener the names cannot change the answer at all. ``signatures``: what each
    (name, destination) screened to before with the same screener (its stamp of dispositions
    included) and owners, used and filled in: a Dask worker keeps one per job, so the
    partitions of a file screen each party once."""
    if screener is None:
        return df.with_columns(pl.lit(None, pl.Utf8).alias("_party"),
                               pl.lit(None, pl.Utf8).alias("_cleared"),
                               pl.lit(None, pl.List(pl.Date)).alias("_bounds")), None
    memo = MemoScreener(screener)
    seen: dict = {} if signatures is None else signatures

    def signature(name: str | None, dest: str | None) -> str | None:
        if not (name and dest):
            return None
        key = (name, dest)
        if key in seen:
            sig, hits, cleared = seen[key]
            if hits is not None:  # the engine screens the representatives: answer from here
                memo.memo.setdefault(key, hits)
            memo.cleared.setdefault(key, cleared)
            return sig
        try:
            sig = _signature(name, dest, memo, ownership)
        except ExportCheckError as exc:
            # an unknown destination (the screener reads it as the party's country): the
            # line keeps its party, and determining it reports the error on that line only
            sig = f"error:{exc}"
        if len(seen) < SIGNATURES_MAX:
            seen[key] = (sig, memo.memo.get(key) if sig else None, memo.cleared.get(key, []))
        return sig

    def cleared(end_user: str | None, consignee: str | None, dest: str | None) -> str | None:
        # the answer rests on an officer's decision: the line says so (determine/cleared.py)
        notes = ["; ".join(cleared_detail(role, name, h) for h in hits)
                 for role, name in (("end user", end_user), ("consignee", consignee))
                 if name and (hits := memo.cleared.get((name, dest)))]
        return " | ".join(notes) or None

    def bounds(*parties: tuple[str | None, str | None], dest: str) -> list | None:
        # the days its parties' (and their owners') hits come on or go off their lists
        # (screen/listing.py): a key's answer holds only between two of them
        queries = [(name, dest) for name, sig in parties if sig and not sig.startswith("error:")]
        queries += [q for name, sig in parties if sig and sig.startswith("own:")
                    for q in ownership.owner_queries(name)]  # type: ignore[union-attr]
        days = {day for name, country in queries
                for hit in memo.screen(name, country=country)  # type: ignore[arg-type]
                for day in listing.boundaries(listing.listing_of(hit), memo.lists_date)}
        return sorted(days) or None

    triples = df.select("end_user", "consignee", "destination").unique()
    rep: dict[str, str] = {}
    rows: list[tuple[str | None, ...]] = []
    for end_user, consignee, dest in triples.iter_rows():
        sig_u, sig_c = signature(end_user, dest), signature(consignee, dest)
        note = cleared(end_user, consignee, dest)
        if sig_u is None and sig_c is None:
            rows.append((end_user, consignee, dest, None, note, None))
            continue
        # a named armed force is decided on its name too (engine.evaluate): never share a key
        force = "F" if parties.armed_force_name(end_user) else ""
        sig = json.dumps([dest, force, sig_u, sig_c])
        pair = json.dumps([end_user if sig_u else None, consignee if sig_c else None])
        rows.append((end_user, consignee, dest, rep.setdefault(sig, pair), note,
                     bounds((end_user, sig_u), (consignee, sig_c), dest=dest)))
    mapping = pl.DataFrame(
        rows, schema={"end_user": pl.Utf8, "consignee": pl.Utf8, "destination": pl.Utf8,
                      "_party": pl.Utf8, "_cleared": pl.Utf8, "_bounds": pl.List(pl.Date)},
        orient="row")
    df = df.join(mapping, on=["end_user", "consignee", "destination"], how="left",
                 nulls_equal=True)
    return df, memo


def listing_periods(df: pl.DataFrame, day: pl.Expr, epoch: str = "_epoch",
                    bounds: str = "_bounds") -> pl.DataFrame:
    """Each line's ``epoch`` moved to the last day on or before its ``day`` on which one of its
    parties' hits came on or went off its list (``bounds``, from :func:`collapse_parties`):
    its key is decided on that day, with the hits of its own date (holds.on_the_day).
    ``bounds`` is dropped."""
    has = df.filter(pl.col(bounds).is_not_null())
    if has.height == 0:
        return df.drop(bounds)
    latest = (has.select("_row", day.alias("_on"), bounds).explode(bounds)
              .filter(pl.col(bounds) <= pl.col("_on"))
              .group_by("_row").agg(pl.col(bounds).max().alias("_listed_from")))
    return (df.join(latest, on="_row", how="left", maintain_order="left")
            .with_columns(pl.max_horizontal(epoch, "_listed_from").alias(epoch))
            .drop(bounds, "_listed_from"))
