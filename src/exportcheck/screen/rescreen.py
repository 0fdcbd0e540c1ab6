"""Re-screening: stored parties against the list entries changed since the last rescreen.

Each hit in the report names the stored party it is for, with the country and date of birth
that party was stored with (:class:`RescreenedParty`): two parties may share a name ("Carrie
Lam" in Hong Kong and "Carrie Lam" with no country), and a disposition binds to that identity,
so the analyst must see which of them a hit is for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from exportcheck.db import session_factory, write_session_factory
from exportcheck.db.base import as_utc
from exportcheck.models import ScreeningHit
from exportcheck.screen.dispositions import Disposition
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.models import ListEntryRow, ListVersion, RescreenRun, ScreenedParty
from exportcheck.screen.service import Screener
from exportcheck.screen.store import _dispositions, _engine, load_screener


class RescreenedParty(str):
    """A stored party as a rescreen report names it: its name (the ``str`` itself), with its
    ``party_id``, ``country`` and ``dob``, which tell apart two parties of one name."""

    party_id: int
    country: str | None
    dob: str | None

    def __new__(cls, party: ScreenedParty) -> RescreenedParty:
        self = super().__new__(cls, party.name)
        self.party_id, self.country, self.dob = party.id, party.country, party.dob
        return self

    def label(self) -> str:
        """The name with the country and date of birth it was stored with, if any."""
        extra = ", ".join(x for x in (self.country, self.dob and f"born {self.dob}") if x)
        return f"{self} ({extra})" if extra else str(self)

    def as_json(self) -> dict[str, object]:
        return {"party": str(self), "party_id": self.party_id, "country": self.country,
                "dob": self.dob}


@dataclass
class RescreenReport:
    """Hits that appeared or disappeared because list entries changed since the last rescreen.

    ``baseline`` and ``versions`` map each source to the list version compared from and to.
    A *new hit* is an entry the party matches now but did not before (including a clearance
    that lapsed because the entry changed); a *removed hit* is an entry the party matched
    before that has no active copy left in any source.
    """

    changed_entries: dict[str, int]  # source -> added + changed + removed
    new_hits: list[tuple[RescreenedParty, ScreeningHit]] = field(default_factory=list)
    removed_hits: list[tuple[RescreenedParty, ScreeningHit]] = field(default_factory=list)
    parties: int = 0
    baseline: dict[str, int | None] = field(default_factory=dict)
    versions: dict[str, int] = field(default_factory=dict)
    #: parties stored since the last rescreen (all, on the first): screened against every
    #: active entry, their hits reported as new (the changed entries alone would miss them)
    first_screened: int = 0


def _entries(session: Session, version_id: int) -> dict[tuple[str, str], tuple[str, dict]]:
    rows = session.execute(select(ListEntryRow.list_code, ListEntryRow.entry_id,
                                  ListEntryRow.entry_hash, ListEntryRow.data)
                           .where(ListEntryRow.version_id == version_id))
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def _side(name: str, copies: dict[str, dict[tuple[str, str], tuple[str, dict]]],
          keys: set[tuple[str, str]], disps: list[Disposition]) -> Screener | None:
    """A small screener over every source's copy of ``keys`` (sources kept apart, so the
    dispositions' per-source hashes apply as in a full screen)."""
    lists = []
    for source, entries in sorted(copies.items()):
        picked = [ListEntry.from_dict(d) for k, (_, d) in entries.items() if k in keys]
        if picked:
            lists.append(ParsedList(source, picked, len(picked), f"{name}-{source}"))
    return Screener(lists, disps) if lists else None


def rescreen(engine: Engine | None = None, threshold: float | None = None) -> RescreenReport:
    """Screen stored parties against the entries changed since the last rescreen, and the
    parties stored since then (all, on the first) against every active entry.

    The list version of each source a rescreen ran against is recorded; the next rescreen
    compares the active versions with those (the first one: with each source's previous
    version), so a difference is reported once. Both sides are screened with the recorded
    dispositions and with every source's copy of a changed entry.
    """
    engine = _engine(engine)
    with session_factory(engine)() as session:
        active = {v.source: v for v in
                  session.scalars(select(ListVersion).where(ListVersion.active.is_(True)))}
        last = session.scalars(select(RescreenRun).order_by(RescreenRun.id.desc())).first()
        baseline: dict[str, int | None] = {
            src: (last.versions.get(src) if last is not None else v.previous_id)
            for src, v in active.items()}
        if last is not None:  # sources the last run saw that are no longer active
            baseline.update({src: vid for src, vid in last.versions.items()
                             if src not in active})
        cur: dict[str, dict] = {src: _entries(session, v.id) for src, v in active.items()}
        prev: dict[str, dict] = {}
        for src, vid in baseline.items():
            if vid is None:
                prev[src] = {}
            elif src in active and vid == active[src].id:
                prev[src] = cur[src]
            else:
                prev[src] = _entries(session, vid)
        changed: dict[str, int] = {}
        keys: set[tuple[str, str]] = set()
        for src in sorted(set(cur) | set(prev)):
            c, p = cur.get(src, {}), prev.get(src, {})
            diff = {k for k in c.keys() | p.keys() if c.get(k, ("",))[0] != p.get(k, ("",))[0]}
            changed[src] = len(diff)
            keys |= diff
        parties = list(session.scalars(select(ScreenedParty)))
        disps = _dispositions(session)
        since = as_utc(last.ran_at) if last is not None else None
        unseen = [p for p in parties if since is None or as_utc(p.created_at) > since]
    active_keys = {k for entries in cur.values() for k in entries}
    report = RescreenReport(changed, parties=len(parties), baseline=baseline,
                            versions={src: v.id for src, v in active.items()})
    if parties and keys:
        now_s = _side("now", cur, keys, disps)
        before_s = _side("before", prev, keys, disps)
        for p in parties:
            kw = {"country": p.country, "dob": p.dob, "kind": p.kind, "threshold": threshold}
            now = {(h.list, h.entry_id): h for h in (now_s.screen(p.name, **kw) if now_s else [])}
            before = {(h.list, h.entry_id): h
                      for h in (before_s.screen(p.name, **kw) if before_s else [])}
            party = RescreenedParty(p)
            report.new_hits += [(party, h) for k, h in now.items() if k not in before]
            report.removed_hits += [(party, h) for k, h in before.items()
                                    if k not in now and k not in active_keys]
    if unseen and active:
        _first_screen(report, unseen, load_screener(engine), threshold)
    with write_session_factory(engine)() as session, session.begin():
        session.add(RescreenRun(versions=report.versions, parties=len(parties)))
    return report


def _first_screen(report: RescreenReport, parties: list[ScreenedParty], screener: Screener,
                  threshold: float | None) -> None:
    """Screen parties no rescreen has seen against every active entry (with the recorded
    dispositions): a party stored after the last rescreen, on an entry no list update touches,
    was never reported ("Vladimir Putin" added today: SDN 35096 unchanged for years)."""
    # per stored party, not per name: a same-named party's hit is not this one's
    reported = {(p.party_id, h.list, h.entry_id) for p, h in report.new_hits}
    for p in parties:
        hits = screener.screen(p.name, country=p.country, dob=p.dob, kind=p.kind,
                               threshold=threshold)
        party = RescreenedParty(p)
        report.new_hits += [(party, h) for h in hits
                            if (p.id, h.list, h.entry_id) not in reported]
    report.first_screened = len(parties)


