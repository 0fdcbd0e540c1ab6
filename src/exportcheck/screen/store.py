"""Lists, parties and dispositions in the database.

``load_lists`` stores a new version per source and activates it in one transaction, after the
row-count gate (a release more than 10% smaller than the active one is refused unless forced:
the public CSL once silently lost 15,000 SDN rows for a day). ``load_screener`` rebuilds a
:class:`Screener` from the active versions; ``rescreen`` screens stored parties against only
the entries that changed between the previous and the active version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from exportcheck.db import get_engine, session_factory, upgrade, write_session_factory
from exportcheck.errors import InvalidInput, ListDataError, NotFound
from exportcheck.models import ScreeningHit
from exportcheck.screen.entries import ListEntry, ParsedList, bulk_allocation
from exportcheck.screen.evidence import parse_country, parse_dob
from exportcheck.screen.models import DispositionRow, ListEntryRow, ListVersion, ScreenedParty
from exportcheck.screen.normalize import check_name
from exportcheck.screen.service import Disposition, Screener, party_key, reset_default_screener

__all__ = [
    "DispositionRow", "ListEntryRow", "ListVersion", "ScreenedParty", "add_party",
    "has_active_lists", "list_versions", "load_lists", "load_screener", "record_disposition",
    "rescreen",
]

#: a new version may have at most this many fewer rows than the active one without --force
MAX_ROW_DROP = 0.10


def _engine(engine: Engine | None) -> Engine:
    engine = engine or get_engine()
    upgrade(engine)
    return engine


@dataclass
class LoadResult:
    source: str
    version_id: int | None
    row_count: int
    previous_rows: int | None
    status: str  # "activated" / "unchanged"
    by_list: dict[str, int] = field(default_factory=dict)


def load_lists(paths: Iterable[str | Path], *, engine: Engine | None = None, force: bool = False,
               user: str = "") -> list[LoadResult]:
    """Parse, gate, store and activate list files; all or nothing."""
    from exportcheck.screen.parsers import load_paths

    parsed = load_paths(paths)
    engine = _engine(engine)
    results: list[LoadResult] = []
    with write_session_factory(engine)() as session, session.begin():
        plan: list[tuple[ParsedList, ListVersion | None]] = []
        for pl in parsed:
            active = session.scalars(select(ListVersion).where(
                ListVersion.source == pl.source, ListVersion.active.is_(True))).first()
            if active is not None and active.content_hash == pl.content_hash:
                results.append(LoadResult(pl.source, active.id, pl.row_count, active.row_count,
                                          "unchanged", pl.by_list()))
                continue
            if active is not None and pl.row_count < (1 - MAX_ROW_DROP) * active.row_count \
                    and not force:
                drop = 1 - pl.row_count / active.row_count
                raise ListDataError(
                    f"refusing {pl.source} version with {pl.row_count} rows: the active one has "
                    f"{active.row_count} ({drop:.0%} fewer, limit {MAX_ROW_DROP:.0%}); a "
                    "truncated download is likely. Use --force if the drop is real."
                )
            plan.append((pl, active))
        for pl, active in plan:
            version = ListVersion(
                source=pl.source, file_date=pl.file_date, row_count=pl.row_count,
                entry_count=len(pl.entries), content_hash=pl.content_hash, format=pl.format,
                paths=pl.paths, loaded_by=user, active=True,
                previous_id=active.id if active else None,
                forced=bool(active and pl.row_count < (1 - MAX_ROW_DROP) * active.row_count),
            )
            if active is not None:
                active.active = False
                session.flush()
            session.add(version)
            session.flush()
            session.execute(ListEntryRow.__table__.insert(), [
                {"version_id": version.id, "list_code": e.list, "entry_id": e.entry_id,
                 "entry_hash": e.content_hash, "name": e.name, "data": e.to_dict()}
                for e in pl.entries])
            results.append(LoadResult(pl.source, version.id, pl.row_count,
                                      active.row_count if active else None, "activated",
                                      pl.by_list()))
    reset_default_screener()
    return results


def list_versions(engine: Engine | None = None, *, active_only: bool = False) -> list[ListVersion]:
    engine = _engine(engine)
    with session_factory(engine)() as session:
        q = select(ListVersion).order_by(ListVersion.source, ListVersion.id.desc())
        if active_only:
            q = q.where(ListVersion.active.is_(True))
        return list(session.scalars(q))


def has_active_lists(engine: Engine | None = None) -> bool:
    return bool(list_versions(engine, active_only=True))


def _parsed(session: Session, version: ListVersion) -> ParsedList:
    rows = session.execute(select(ListEntryRow.data).where(
        ListEntryRow.version_id == version.id).order_by(ListEntryRow.id)).scalars()
    return ParsedList(
        source=version.source, entries=[ListEntry.from_dict(d) for d in rows],
        row_count=version.row_count, content_hash=version.content_hash,
        file_date=version.file_date, paths=list(version.paths), format=version.format)


def _dispositions(session: Session) -> list[Disposition]:
    return [Disposition(r.party_key, r.list_code, r.entry_id, r.entry_hash, r.user, r.reason,
                        r.decided_on.isoformat())
            for r in session.scalars(select(DispositionRow).order_by(DispositionRow.id))]


def load_screener(engine: Engine | None = None) -> Screener:
    """A Screener over the active list versions, with all recorded dispositions."""
    engine = _engine(engine)
    with session_factory(engine)() as session:
        versions = session.scalars(select(ListVersion).where(ListVersion.active.is_(True))).all()
        if not versions:
            raise ListDataError("no active lists in the database: run `exportcheck lists load`")
        with bulk_allocation():
            lists = [_parsed(session, v) for v in versions]
        return Screener(lists, _dispositions(session))


def add_party(name: str, *, country: str | None = None, dob: str | None = None,
              kind: str | None = None, engine: Engine | None = None) -> ScreenedParty:
    """Keep a counterparty for re-screening (idempotent on the order-free name)."""
    name = check_name(name)
    cc, dob_s = parse_country(country), parse_dob(dob)
    engine = _engine(engine)
    with write_session_factory(engine)() as session, session.begin():
        key = party_key(name)
        party = session.scalars(select(ScreenedParty).where(ScreenedParty.party_key == key)).first()
        if party is None:
            party = ScreenedParty(name=name, party_key=key, country=cc, dob=dob_s, kind=kind)
            session.add(party)
        else:
            party.country, party.dob, party.kind = cc or party.country, dob_s or party.dob, \
                kind or party.kind
        session.flush()
        return party


def list_parties(engine: Engine | None = None) -> list[ScreenedParty]:
    engine = _engine(engine)
    with session_factory(engine)() as session:
        return list(session.scalars(select(ScreenedParty).order_by(ScreenedParty.id)))


def record_disposition(party: str, list_code: str, entry_id: str, *, user: str, reason: str,
                       decided_on: dt.date | None = None,
                       engine: Engine | None = None) -> DispositionRow:
    """Record that ``party`` is not list entry ``list_code``/``entry_id``; audited."""
    party = check_name(party)
    if not user.strip():
        raise InvalidInput("a disposition needs the user who decided it")
    if not reason.strip():
        raise InvalidInput("a disposition needs a reason (why the hit is a false positive)")
    engine = _engine(engine)
    with write_session_factory(engine)() as session, session.begin():
        row = session.execute(
            select(ListEntryRow.entry_hash, ListVersion.source)
            .join(ListVersion, ListVersion.id == ListEntryRow.version_id)
            .where(ListVersion.active.is_(True), ListEntryRow.list_code == list_code.upper(),
                   ListEntryRow.entry_id == entry_id)).first()
        if row is None:
            raise NotFound(f"no active list entry {list_code}/{entry_id}: check the hit's list "
                           "and entry_id")
        disp = DispositionRow(
            party_key=party_key(party), party_name=party, list_code=list_code.upper(),
            entry_id=entry_id, entry_hash=row.entry_hash, decision="cleared", user=user.strip(),
            reason=reason.strip(), decided_on=decided_on or dt.date.today())
        session.add(disp)
        session.flush()
        _audit(session, disp)
    reset_default_screener()
    return disp


def _audit(session: Session, disp: DispositionRow) -> None:
    try:
        from exportcheck.ledger.audit import append_event
    except ImportError:  # the ledger is optional; dispositions stay in their own table
        return
    append_event(session, kind="screening.disposition", actor=disp.user, payload={
        "party": disp.party_name, "list": disp.list_code, "entry_id": disp.entry_id,
        "entry_hash": disp.entry_hash, "decision": disp.decision, "reason": disp.reason,
        "decided_on": disp.decided_on.isoformat()})


@dataclass
class RescreenReport:
    """Hits that appeared or disappeared because list entries changed."""

    changed_entries: dict[str, int]  # source -> added + changed + removed
    new_hits: list[tuple[str, ScreeningHit]] = field(default_factory=list)
    removed_hits: list[tuple[str, ScreeningHit]] = field(default_factory=list)
    parties: int = 0


def _entries(session: Session, version_id: int) -> dict[tuple[str, str], tuple[str, dict]]:
    rows = session.execute(select(ListEntryRow.list_code, ListEntryRow.entry_id,
                                  ListEntryRow.entry_hash, ListEntryRow.data)
                           .where(ListEntryRow.version_id == version_id))
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def rescreen(engine: Engine | None = None, threshold: float | None = None) -> RescreenReport:
    """Screen stored parties against the entries changed by the latest load of each source."""
    engine = _engine(engine)
    new_side: list[ListEntry] = []
    old_side: list[ListEntry] = []
    changed: dict[str, int] = {}
    with session_factory(engine)() as session:
        for v in session.scalars(select(ListVersion).where(ListVersion.active.is_(True))):
            cur = _entries(session, v.id)
            prev = _entries(session, v.previous_id) if v.previous_id else {}
            diff_new = [d for k, (h, d) in cur.items() if prev.get(k, ("",))[0] != h]
            diff_old = [d for k, (h, d) in prev.items() if cur.get(k, ("",))[0] != h]
            changed[v.source] = len({(d["list"], d["entry_id"]) for d in diff_new + diff_old})
            new_side += [ListEntry.from_dict(d) for d in diff_new]
            old_side += [ListEntry.from_dict(d) for d in diff_old]
        parties = list(session.scalars(select(ScreenedParty)))
        disps = _dispositions(session)
    report = RescreenReport(changed, parties=len(parties))
    if not parties or not (new_side or old_side):
        return report
    new_s = (Screener([ParsedList("changed", new_side, len(new_side), "")], disps)
             if new_side else None)
    old_s = Screener([ParsedList("previous", old_side, len(old_side), "")]) if old_side else None
    for p in parties:
        kw = {"country": p.country, "dob": p.dob, "kind": p.kind, "threshold": threshold}
        now = {(h.list, h.entry_id): h for h in (new_s.screen(p.name, **kw) if new_s else [])}
        before = {(h.list, h.entry_id): h for h in (old_s.screen(p.name, **kw) if old_s else [])}
        report.new_hits += [(p.name, h) for k, h in now.items() if k not in before]
        report.removed_hits += [(p.name, h) for k, h in before.items() if k not in now]
    return report


def deactivate_all(engine: Engine | None = None) -> None:
    """Testing/reset helper: no active lists (the default screener falls back to samples)."""
    engine = _engine(engine)
    with write_session_factory(engine)() as session, session.begin():
        session.execute(update(ListVersion).values(active=False))
    reset_default_screener()
