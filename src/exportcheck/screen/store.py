"""Lists, parties and dispositions in the database.

``load_lists`` stores a new version per source and activates it in one transaction, after the
row-count gate (a release more than 10% smaller than the active one is refused unless forced:
the public CSL once silently lost 15,000 SDN rows for a day; the same limit applies to each list
code inside a multi-list file such as the CSL). ``load_screener`` rebuilds a :class:`Screener`
from the active versions (or restores it from the on-disk cache, :mod:`.cache`); ``rescreen``
screens stored parties against only the entries that changed since the list versions the last
rescreen ran against (recorded in ``screening_rescreens``). Dispositions bind to the party's
name, country and date of birth and to every source's copy of the entry (see
:func:`record_disposition`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exportcheck.db import get_engine, session_factory, upgrade, write_session_factory
from exportcheck.errors import InvalidInput, ListDataError, NotFound
from exportcheck.plaintext import refuse_control
from exportcheck.screen.dispositions import DECISIONS, Disposition, party_identity, party_key
from exportcheck.screen.entries import ListEntry, ParsedList, bulk_allocation, check_kind
from exportcheck.screen.models import (
    DispositionRow,
    ListEntryRow,
    ListVersion,
    ScreenedParty,
)
from exportcheck.screen.normalize import check_name
from exportcheck.screen.service import Screener, reset_default_screener

if TYPE_CHECKING:
    from exportcheck.screen.rescreen import RescreenReport

log = logging.getLogger(__name__)

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
    #: activated with ``allow_older`` although older than the version it replaced
    older_release: bool = False


def load_lists(paths: Iterable[str | Path], *, engine: Engine | None = None, force: bool = False,
               user: str = "", published: dt.date | None = None,
               allow_older: bool = False) -> list[LoadResult]:
    """Parse, gate, store and activate list files; all or nothing.

    Two gates refuse a version: over MAX_ROW_DROP fewer rows than the active one (unless
    ``force``), and an older release than the active one (unless ``allow_older``): a file
    whose content a later version replaced, or one dated earlier by its own text. Either would
    screen against an outdated list without a word.

    ``published``: the day the files were published, where they do not say (only the UN's
    does): the lists' date, before which entries the files do not date are applied with a
    caveat (:mod:`.listing`). Without it, a file's modification date stands in. A file loaded
    before (unchanged) keeps the date it was loaded with."""
    from exportcheck.screen.parsers import load_paths

    if published is not None and published > dt.date.today():
        raise InvalidInput(f"published date {published.isoformat()} is in the future: give the "
                           "day the list files were published")
    parsed = load_paths(paths)
    if published is not None:
        for pl in parsed:
            if not pl.date_stated:  # the UN file states its own (dateGenerated)
                pl.file_date = published
    engine = _engine(engine)
    results: list[LoadResult] = []
    with write_session_factory(engine)() as session, session.begin():
        plan: list[tuple[ParsedList, ListVersion | None]] = []
        forced: dict[str, bool] = {}
        older: dict[str, bool] = {}
        for pl in parsed:
            active = session.scalars(select(ListVersion).where(
                ListVersion.source == pl.source, ListVersion.active.is_(True))).first()
            if active is not None and active.content_hash == pl.content_hash:
                results.append(LoadResult(pl.source, active.id, pl.row_count, active.row_count,
                                          "unchanged", pl.by_list()))
                continue
            if not pl.entries:
                raise ListDataError(f"{pl.source}: no list entries in {', '.join(pl.paths)}")
            reason = _drop_reason(session, pl, active) if active is not None else None
            if reason and not force:
                raise ListDataError(f"refusing {pl.source} version: {reason}; a truncated "
                                    "download is likely. Use --force if the drop is real.")
            forced[pl.source] = reason is not None
            back = _older_reason(session, pl, active) if active is not None else None
            if back and not allow_older:
                raise ListDataError(f"refusing {pl.source} version: {back}. Screening would go "
                                    "back to an older list; use --allow-older if you mean to.")
            older[pl.source] = back is not None
            plan.append((pl, active))
        for pl, active in plan:
            version = ListVersion(
                source=pl.source, file_date=pl.file_date, row_count=pl.row_count,
                entry_count=len(pl.entries), content_hash=pl.content_hash, format=pl.format,
                paths=pl.paths, loaded_by=user, active=True,
                previous_id=active.id if active else None,
                forced=forced[pl.source], older_release=older[pl.source],
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
                                      pl.by_list(), older_release=older[pl.source]))
            _audit_load(session, version, active, user)
    reset_default_screener()
    _prepare_readings()
    return results


def _prepare_readings() -> None:
    """Write the Cantonese and Korean reading tables now (a few seconds, once per library
    version), so that the first Han-script query of a later process, and of each batch worker,
    costs milliseconds, not pycantonese's or hanja's load."""
    from exportcheck.screen.jyutping import table
    from exportcheck.screen.korean_han import _table

    for prepare in (table, _table):
        try:
            prepare()
        except Exception:  # the next Han query builds it instead; a load never fails for this
            log.warning("could not prepare a reading table", exc_info=True)


#: the per-list gate only watches lists at least this big in the active version
MIN_GATED_LIST = 50


def _by_list(session: Session, version_id: int) -> dict[str, int]:
    rows = session.execute(select(ListEntryRow.list_code, func.count())
                           .where(ListEntryRow.version_id == version_id)
                           .group_by(ListEntryRow.list_code))
    return {code: n for code, n in rows}


def _drop_reason(session: Session, pl: ParsedList, active: ListVersion) -> str | None:
    """Why ``pl`` looks truncated compared with the active version, or None.

    The whole file may have at most MAX_ROW_DROP fewer rows; and each list code inside it
    (the CSL carries SDN, EL, DPL...) with at least MIN_GATED_LIST entries in the active
    version may have at most MAX_ROW_DROP fewer entries: a whole-file count hides a list that
    lost all its rows."""
    if pl.row_count < (1 - MAX_ROW_DROP) * active.row_count:
        return (f"{pl.row_count} rows, the active one has {active.row_count} "
                f"({1 - pl.row_count / active.row_count:.0%} fewer, limit {MAX_ROW_DROP:.0%})")
    new = pl.by_list()
    for code, before in sorted(_by_list(session, active.id).items()):
        now = new.get(code, 0)
        if before >= MIN_GATED_LIST and now < (1 - MAX_ROW_DROP) * before:
            return (f"its {code} list has {now} entries, the active one {before} "
                    f"({1 - now / before:.0%} fewer, limit {MAX_ROW_DROP:.0%})")
    return None


def _older_reason(session: Session, pl: ParsedList, active: ListVersion) -> str | None:
    """Why ``pl`` looks like an older release than the active version, or None.

    Its content is a version that a later one replaced (a stale file, loaded again), unless
    that later one was itself an older release loaded on purpose (going back, then forward
    again); or its own text dates it (the UN's dateGenerated) before the active version of the
    same format. A modification date proves nothing: a copied file is dated the day of the copy."""
    seen = session.scalars(select(ListVersion).where(
        ListVersion.source == pl.source, ListVersion.content_hash == pl.content_hash,
        ListVersion.id != active.id).order_by(ListVersion.id.desc())).first()
    later = None if seen is None else session.scalars(
        select(ListVersion).where(ListVersion.previous_id == seen.id)).first()
    if seen is not None and not (later is not None and later.older_release):
        dated = f", dated {seen.file_date.isoformat()}" if seen.file_date else ""
        by = f" and replaced by version {later.id} on {later.loaded_at:%Y-%m-%d}" if later else ""
        return (f"these files are the release stored as version {seen.id}{dated}, loaded on "
                f"{seen.loaded_at:%Y-%m-%d}{by}; version {active.id} is active")
    if (pl.date_stated and active.format == pl.format and active.file_date is not None
            and pl.file_date is not None and pl.file_date < active.file_date):
        return (f"the file is dated {pl.file_date.isoformat()}, the active version {active.id} "
                f"{active.file_date.isoformat()}")
    return None


def list_versions(engine: Engine | None = None, *, active_only: bool = False) -> list[ListVersion]:
    engine = _engine(engine)
    with session_factory(engine)() as session:
        q = select(ListVersion).order_by(ListVersion.source, ListVersion.id.desc())
        if active_only:
            q = q.where(ListVersion.active.is_(True))
        return list(session.scalars(q))


def counts_by_list(version_ids: Iterable[int],
                   engine: Engine | None = None) -> dict[int, dict[str, int]]:
    """Entries per list code of each version (the CSL carries SDN, EL, DPL...)."""
    engine = _engine(engine)
    out: dict[int, dict[str, int]] = {}
    with session_factory(engine)() as session:
        for vid in version_ids:
            out[vid] = _by_list(session, vid)
    return out


@dataclass
class VersionChanges:
    """What a list version changed against the version it replaced."""

    version_id: int
    previous_id: int | None
    added: list[tuple[str, str, str]]  # (list code, entry id, name)
    removed: list[tuple[str, str, str]]
    changed: list[tuple[str, str, str]]
    unchanged: int


def version_changes(version_id: int, engine: Engine | None = None) -> VersionChanges:
    """Entries added, removed and changed (same list and id, other content) by a version."""
    engine = _engine(engine)
    with session_factory(engine)() as session:
        version = session.get(ListVersion, version_id)
        if version is None:
            raise NotFound(f"no list version {version_id} (see `exportcheck lists show --all`)")

        def entries(vid: int | None) -> dict[tuple[str, str], tuple[str, str]]:
            if vid is None:
                return {}
            rows = session.execute(select(ListEntryRow.list_code, ListEntryRow.entry_id,
                                          ListEntryRow.entry_hash, ListEntryRow.name)
                                   .where(ListEntryRow.version_id == vid))
            return {(r[0], r[1]): (r[2], r[3]) for r in rows}

        new, old = entries(version.id), entries(version.previous_id)
    added = [(k[0], k[1], new[k][1]) for k in new if k not in old]
    removed = [(k[0], k[1], old[k][1]) for k in old if k not in new]
    changed = [(k[0], k[1], new[k][1]) for k in new if k in old and old[k][0] != new[k][0]]
    return VersionChanges(version.id, version.previous_id, sorted(added), sorted(removed),
                          sorted(changed), len(new) - len(added) - len(changed))


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
    """Every recorded decision, keyed by the party name as recorded: a key stored by an
    earlier release (Han names as their pinyin, see :func:`party_key`) is not trusted."""
    return [Disposition(party_key(r.party_name), r.list_code, r.entry_id, r.entry_hash,
                        r.user, r.reason, r.decided_on.isoformat(), r.party_country, r.party_dob,
                        tuple(sorted((src, tuple(hs)) for src, hs in
                                     (r.entry_hashes or {}).items())),
                        r.decision or "cleared")
            for r in session.scalars(select(DispositionRow).order_by(DispositionRow.id))]


def screening_stamp(engine: Engine | None = None) -> tuple[tuple[int, ...], int, int]:
    """What a screener was built from: the active version ids and the dispositions (count,
    newest id). Another process's list load or disposition changes it; two cheap queries."""
    engine = _engine(engine)
    with session_factory(engine)() as session:
        active = tuple(session.scalars(select(ListVersion.id).where(
            ListVersion.active.is_(True)).order_by(ListVersion.id)))
        count, newest = session.execute(
            select(func.count(), func.max(DispositionRow.id))).one()
    return active, int(count or 0), int(newest or 0)


def load_screener(engine: Engine | None = None) -> Screener:
    """A Screener over the active list versions, with all recorded dispositions.

    The lists and their name index come from the on-disk cache (:mod:`exportcheck.screen.cache`)
    when a previous process wrote one for the same active versions, else they are read from
    the database, indexed and cached. Dispositions are always read from the database."""
    from exportcheck.screen import cache

    engine = _engine(engine)
    with session_factory(engine)() as session:
        versions = session.scalars(select(ListVersion).where(ListVersion.active.is_(True))
                                   .order_by(ListVersion.id)).all()
        if not versions:
            raise ListDataError("no active lists in the database: run `exportcheck lists load`")
        dispositions = _dispositions(session)
        key = cache.cache_key(versions)
        cached = cache.load(key, versions, dispositions)
        if cached is not None:
            return cached
        with cache.building():  # another process may be building this very index
            cached = cache.load(key, versions, dispositions)
            if cached is not None:
                return cached
            with bulk_allocation():
                lists = [_parsed(session, v) for v in versions]
            screener = Screener(lists, dispositions)
            cache.save(key, screener)
    return screener


def parse_version_ids(text: str | Iterable[int]) -> list[int]:
    """``"3,7"`` (as ``lists show --all`` numbers them) → ``[3, 7]``."""
    if not isinstance(text, str):
        return [int(v) for v in text]
    ids = []
    for part in text.split(","):
        part = part.strip()
        if not part.isdigit():
            raise InvalidInput(f"list version {part!r} is not a version number: "
                               "`exportcheck lists show --all` lists them")
        ids.append(int(part))
    return ids


def screener_for_versions(ids: str | Iterable[int], engine: Engine | None = None) -> Screener:
    """A Screener over the active lists with the given versions in place of their sources'
    active ones (a release compared with another, the rest of the lists unchanged)."""
    wanted = parse_version_ids(ids)
    engine = _engine(engine)
    with session_factory(engine)() as session:
        chosen: dict[str, ListVersion] = {}
        for vid in wanted:
            v = session.get(ListVersion, vid)
            if v is None:
                raise InvalidInput(f"unknown list version {vid}: `exportcheck lists show --all` "
                                   "lists the stored versions")
            if v.source in chosen:
                raise InvalidInput(f"list versions {chosen[v.source].id} and {vid} are both "
                                   f"{v.source}: give one version per source")
            chosen[v.source] = v
        for v in session.scalars(select(ListVersion).where(ListVersion.active.is_(True))
                                 .order_by(ListVersion.id)):
            chosen.setdefault(v.source, v)
        dispositions = _dispositions(session)
        with bulk_allocation():
            lists = [_parsed(session, v) for v in sorted(chosen.values(), key=lambda v: v.id)]
    return Screener(lists, dispositions)


def add_party(name: str, *, country: str | None = None, dob: str | None = None,
              kind: str | None = None, engine: Engine | None = None) -> ScreenedParty:
    """Keep a counterparty for re-screening; idempotent on its identity.

    The identity is the one dispositions bind to (:func:`party_identity`): the order-free name,
    country and date of birth, a missing value being a value of its own. The same name with
    another country or date of birth is another party, kept alongside. The kind is checked
    here, as a screen checks it: a stored kind no screen takes would fail every rescreen.
    """
    name = refuse_control(check_name(name), "party name")
    kind = check_kind(kind)
    key, cc, dob_s = party_identity(name, country, dob)
    ident = identity_key(key, cc, dob_s)
    engine = _engine(engine)
    for attempt in (1, 2):
        try:
            with write_session_factory(engine)() as session, session.begin():
                party = session.scalars(
                    select(ScreenedParty).where(ScreenedParty.identity == ident)
                ).first()
                if party is None:
                    party = ScreenedParty(name=name, party_key=key, identity=ident, country=cc,
                                          dob=dob_s, kind=kind)
                    session.add(party)
                elif kind:
                    party.kind = kind
                session.flush()
                return party
        except IntegrityError:
            # another process added the same identity between our read and write: read it
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def identity_key(key: str, country: str | None, dob: str | None) -> str:
    """One string for a party identity, so the database can hold it unique."""
    return f"{key}|{country or ''}|{dob or ''}"


def rekey_han_rows(conn: Connection) -> None:
    """Key the stored parties and dispositions whose names have Han characters with today's
    :func:`party_key` (the migrations that changed how Han names are keyed run it). A party
    whose new identity another stored party already holds keeps its key: two rows are not
    merged behind the officer's back."""
    from sqlalchemy import text

    from exportcheck.screen.normalize import HAN_RE

    rows = conn.execute(text("SELECT id, name, country, dob, identity "
                             "FROM screening_parties")).all()
    taken = {row.identity for row in rows}
    for row in rows:
        if HAN_RE.search(row.name):
            key = party_key(row.name)
            identity = identity_key(key, row.country, row.dob)
            if identity != row.identity and identity in taken:
                continue
            taken.discard(row.identity)
            taken.add(identity)
            conn.execute(text("UPDATE screening_parties SET party_key = :k, identity = :i "
                              "WHERE id = :id"), {"k": key, "i": identity, "id": row.id})
    for row in conn.execute(text("SELECT id, party_name FROM screening_dispositions")).all():
        if HAN_RE.search(row.party_name):
            conn.execute(text("UPDATE screening_dispositions SET party_key = :k WHERE id = :id"),
                         {"k": party_key(row.party_name), "id": row.id})


def list_parties(engine: Engine | None = None) -> list[ScreenedParty]:
    engine = _engine(engine)
    with session_factory(engine)() as session:
        return list(session.scalars(select(ScreenedParty).order_by(ScreenedParty.id)))


def record_disposition(party: str, list_code: str, entry_id: str, *, user: str, reason: str,
                       country: str | None = None, dob: str | None = None,
                       decided_on: dt.date | None = None, decision: str = "cleared",
                       engine: Engine | None = None) -> DispositionRow:
    """Record that ``party`` is not list entry ``list_code``/``entry_id`` (``decision``
    "cleared", the default) or that it is (``"confirmed"``); audited.

    A cleared hit is suppressed by later screens; a confirmed one stays, and a determination
    treats it as certain instead of holding the line for review. The latest decision for the
    same party identity and entry wins.

    The decision binds to the party's identity, see :func:`~exportcheck.screen.service.
    party_identity`: later screens suppress the hit only for the same normalised name, country
    and date of birth as given here (a missing value matches only a missing value). It also
    binds to the content of every active copy of the entry (``sdn.csv`` and the CSL each carry
    SDN entries): the hit comes back for review when the copy from any source changes, or a
    source that had no copy now has one.
    """
    party = refuse_control(check_name(party), "party name")
    pkey, cc, dob_s = party_identity(party, country, dob)
    if not user.strip():
        raise InvalidInput("a disposition needs the user who decided it")
    # stored as given: a control character failed in PostgreSQL's driver, SQLite kept it
    user, reason = refuse_control(user.strip(), "user", 120), refuse_control(reason, "reason")
    decision = (decision or "").strip().lower()
    if decision not in DECISIONS:
        raise InvalidInput(f"decision {decision!r} is not one of {', '.join(DECISIONS)}")
    if not reason.strip():
        raise InvalidInput("a disposition needs a reason (why the hit is, or is not, the "
                           "listed party)")
    engine = _engine(engine)
    with write_session_factory(engine)() as session, session.begin():
        rows = session.execute(
            select(ListEntryRow.entry_hash, ListVersion.source)
            .join(ListVersion, ListVersion.id == ListEntryRow.version_id)
            .where(ListVersion.active.is_(True), ListEntryRow.list_code == list_code.upper(),
                   ListEntryRow.entry_id == entry_id)
            .order_by(ListVersion.source, ListEntryRow.id)).all()
        if not rows:
            raise NotFound(f"no active list entry {list_code}/{entry_id}: check the hit's list "
                           "and entry_id")
        hashes: dict[str, list[str]] = {}
        for r in rows:
            hashes.setdefault(r.source, []).append(r.entry_hash)
        disp = DispositionRow(
            party_key=pkey, party_name=party, party_country=cc, party_dob=dob_s,
            list_code=list_code.upper(), entry_id=entry_id, entry_hash=rows[0].entry_hash,
            entry_hashes=hashes, decision=decision, user=user.strip(),
            reason=reason.strip(), decided_on=decided_on or dt.date.today())
        session.add(disp)
        session.flush()
        _audit(session, disp)
    reset_default_screener()
    return disp


def _audit_load(session: Session, version: ListVersion, previous: ListVersion | None,
                user: str) -> None:
    """A list load changes what every later screen answers: it goes in the audit trail."""
    from exportcheck.ledger.audit import append_event

    append_event(session, kind="lists.loaded", actor=user or "exportcheck", payload={
        "source": version.source, "version_id": version.id, "content_hash": version.content_hash,
        "row_count": version.row_count, "entry_count": version.entry_count,
        "file_date": version.file_date.isoformat() if version.file_date else None,
        "previous_version_id": previous.id if previous else None, "forced": version.forced,
        "older_release": version.older_release})


def _audit(session: Session, disp: DispositionRow) -> None:
    try:
        from exportcheck.ledger.audit import append_event
    except ImportError:  # the ledger is optional; dispositions stay in their own table
        return
    append_event(session, kind="screening.disposition", actor=disp.user, payload={
        "party": disp.party_name, "country": disp.party_country, "dob": disp.party_dob,
        "list": disp.list_code, "entry_id": disp.entry_id,
        "entry_hash": disp.entry_hash, "entry_hashes": disp.entry_hashes,
        "decision": disp.decision, "reason": disp.reason,
        "decided_on": disp.decided_on.isoformat()})


def rescreen(engine: Engine | None = None, threshold: float | None = None) -> RescreenReport:
    """Screen stored parties against the entries changed since the last rescreen
    (:func:`exportcheck.screen.rescreen.rescreen`)."""
    from exportcheck.screen.rescreen import rescreen as run

    return run(engine, threshold)


def deactivate_all(engine: Engine | None = None) -> None:
    """Testing/reset helper: no active lists (the default screener falls back to samples)."""
    engine = _engine(engine)
    with write_session_factory(engine)() as session, session.begin():
        session.execute(update(ListVersion).values(active=False))
    reset_default_screener()
