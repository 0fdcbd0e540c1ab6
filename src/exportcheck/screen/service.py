"""The screening service: ``Screener`` (lists + index) and the module-level ``screen()``. A
``Screener`` is immutable once built: the determination engine can keep one per list version
and record ``screener.version`` in its audit trail."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from exportcheck.errors import InvalidInput, ListDataError
from exportcheck.models import ScreeningHit
from exportcheck.screen.certainty import EXACT
from exportcheck.screen.chinese import bilingual_readings
from exportcheck.screen.disguise import disguised_readings
from exportcheck.screen.dispositions import (  # noqa: F401 - re-exported
    DECISIONS,
    Decisions,
    Disposition,
    party_identity,
    party_key,
)
from exportcheck.screen.entries import (
    ListEntry,
    ParsedList,
    bulk_allocation,
    check_kind,
    check_lists,
    hit_order,
    index_lists,
    inner_readings,
    on_lists,
)
from exportcheck.screen.evidence import (
    assess,
    corroborate_match,
    may_agree,
    parse_country,
    parse_dob,
    search_bounds,
)
from exportcheck.screen.hits import dedupe, make_hit
from exportcheck.screen.index import NameIndex
from exportcheck.screen.kinds import across_scripts
from exportcheck.screen.korean_han import PERSON as KOREAN_PERSON
from exportcheck.screen.korean_han import SCRIPTS as KOREAN_READINGS
from exportcheck.screen.korean_han import linked_to_korea
from exportcheck.screen.normalize import (
    check_name,
    name_forms,
    named_by_acronym,
    only_legal_form,
)
from exportcheck.screen.scorer import PARTIAL_MAX, compare_forms, place_missing
from exportcheck.screen.scripts import letters_apply, native_script
from exportcheck.screen.weak import weak_aliases
from exportcheck.screen.weights import COMPANY_FORMS
from exportcheck.settings import default_threshold, screening_recheck_seconds

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
#: warnings that a screen used the bundled samples (the CLI prints them on stderr)
samples_log = logging.getLogger("exportcheck.screen.samples")
SAMPLES_WARNING = ("screened against the bundled SAMPLE lists ({version}), not the official "
                   "ones: no list is loaded in the database; load the official lists with "
                   "`exportcheck lists load`")
SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples" / "lists"
_ORG_KINDS = frozenset(("entity", "vessel", "aircraft"))


class Screener:
    """Restricted-party lists with their name index; ``screen()`` is thread-safe."""

    def __init__(self, lists: Sequence[ParsedList] | None = None,
                 dispositions: Iterable[Disposition] = ()) -> None:
        """``Screener()`` with no lists screens against the bundled samples."""
        self.is_samples = lists is None
        if lists is None:
            from exportcheck.screen.parsers import load_paths

            lists = load_paths([SAMPLES_DIR])
        lists = list(lists)
        entries: list[ListEntry] = [e for pl in lists for e in pl.entries]
        with bulk_allocation():
            index = NameIndex(entries)
            self._setup(lists, index, [e.content_hash for e in entries], dispositions)

    @classmethod
    def _from_index(cls, lists: Sequence[ParsedList], index: NameIndex, hashes: list[str],
                    dispositions: Iterable[Disposition] = (),
                    weak: dict[int, frozenset[str]] | None = None) -> Screener:
        """A screener over an index built before (the on-disk cache, :mod:`.cache`):
        ``index.entries`` are the entries of ``lists`` in order, ``hashes`` their
        ``content_hash``; ``weak``: their weak aliases, as :func:`.weak.weak_aliases` found
        them when the index was built (None: found again)."""
        self = cls.__new__(cls)
        self.is_samples = False
        self._setup(list(lists), index, hashes, dispositions, weak)
        return self

    def _setup(self, lists: list[ParsedList], index: NameIndex, hashes: list[str],
               dispositions: Iterable[Disposition],
               weak: dict[int, frozenset[str]] | None = None) -> None:
        self.lists = lists
        entries = self.entries = index.entries
        self.index = index
        self._hashes = hashes
        self._by_key = {e.key: i for i, e in enumerate(entries)}
        #: entry position -> its OFAC weak aliases (case-folded): :mod:`.weak`
        self._weak = weak_aliases(entries) if weak is None else weak
        #: (list, entry_id) -> [(source, hash)] of every copy (sdn.csv and the CSL...)
        self._copies: dict[tuple[str, str], list[tuple[str, str]]] = {}
        i = 0
        for pl in self.lists:
            for e in pl.entries:
                self._copies.setdefault(e.key, []).append((pl.source, hashes[i]))
                i += 1
        self._set_dispositions(dispositions)
        self._lock = threading.Lock()  # the index's scratch array is shared
        # the index is ~1M long-lived objects: keep the cyclic collector from rescanning them
        # on every full collection (objects are still freed by reference counting)
        gc.freeze()

    def _set_dispositions(self, dispositions: Iterable[Disposition]) -> None:
        # the latest decision per party identity and entry wins; screens suppress the cleared
        # ones only, confirmations are for the determination (:meth:`recorded_decision`)
        self.decisions = Decisions(dispositions)

    @property
    def dispositions(self) -> dict[tuple, Disposition]:
        """The cleared decisions, by party identity and entry (what screens suppress)."""
        return self.decisions.cleared()

    def with_dispositions(self, dispositions: Iterable[Disposition]) -> Screener:
        """The same lists and index with other dispositions: a recorded decision needs no
        index rebuild, nor the weak-alias scan and the copy map derived from the lists. The copy
        shares the index, so it shares the index's lock too."""
        other = Screener.__new__(Screener)
        other.__dict__.update(self.__dict__)  # the lists, the index and all derived from them
        other._set_dispositions(dispositions)
        return other

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> Screener:
        """List files or directories in any supported official format."""
        from exportcheck.screen.parsers import load_paths

        return cls(load_paths(paths))

    @classmethod
    def from_samples(cls) -> Screener:
        """The small bundled list set (works without network or the shared data folder)."""
        return cls()

    @classmethod
    def default(cls) -> Screener:
        """The database's active lists if any were loaded, else the bundled samples (cached)."""
        return default_screener()

    @classmethod
    def from_database(cls, engine: Engine | None = None) -> Screener:
        """The active list versions stored in the database, with recorded dispositions."""
        from exportcheck.screen import store

        return store.load_screener(engine)

    # -- facts ---------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """Identifies the list versions in use, e.g. ``csl@1a2b3c4d5e6f;un@...`` (prefixed
        ``samples:`` for the bundled demo lists, so an audit trail never mistakes them)."""
        v = ";".join(sorted(f"{pl.source}@{pl.content_hash[:12]}" for pl in self.lists))
        return f"samples:{v}" if self.is_samples else v

    @property
    def lists_date(self) -> date | None:
        """The date of the newest list file in use: every entry in the files was listed on
        that day, while on earlier days an entry the files do not date may not have been
        (:mod:`.listing`)."""
        return max((pl.file_date for pl in self.lists if pl.file_date), default=None)

    def entry(self, list_code: str, entry_id: str) -> ListEntry | None:
        i = self._by_key.get((list_code, entry_id))
        return None if i is None else self.entries[i]

    def entry_hash(self, list_code: str, entry_id: str) -> str | None:
        i = self._by_key.get((list_code, entry_id))
        return None if i is None else self._hashes[i]

    def recorded_decision(self, name: str, list_code: str, entry_id: str, *,
                          country: str | None = None,
                          dob: str | None = None) -> Disposition | None:
        """The latest disposition (cleared or confirmed) for this party identity and entry,
        if the entry has not changed since it was decided (a changed entry needs review)."""
        found = self.decisions.find(party_identity(name, country, dob), (list_code, entry_id),
                                    self._by_key)
        if found is None or not found[0].unchanged(self._copies.get(found[1], ())):
            return None
        return found[0]

    # -- screening -----------------------------------------------------------------------
    def screen(self, name: str, *, country: str | None = None, dob: str | None = None,
               kind: str | None = None, lists: Iterable[str] | None = None,
               threshold: float | None = None, ids: Iterable[str] = (),
               include_suppressed: bool = False, limit: int = 20) -> list[ScreeningHit]:
        """Hits for one party name, best first; each explains which alias and why."""
        name = check_name(name)
        cc = parse_country(country)
        dob_s = parse_dob(dob)
        kind = check_kind(kind)
        wanted = check_lists(lists)
        thr = default_threshold() if threshold is None else float(threshold)
        if not 0 <= thr <= 100:
            raise InvalidInput(f"threshold {thr} outside 0-100")
        person = True if kind == "person" else (False if kind else None)
        forms = name_forms(name, person)
        if not forms:
            raise InvalidInput(f"name {name!r} has nothing to match after normalisation",
                               field="name")
        if only_legal_form(forms) and not named_by_acronym(name, forms):
            raise InvalidInput(f"name {name!r} is only a legal form: give the party's own name "
                               "(a screen of it finds nobody, which would read as no hit)",
                               field="name")
        # each name of a party written in two scripts; the name as someone may have disguised
        # it: look-alike letters, glued words ...
        readings = [*bilingual_readings(name, forms, person), *inner_readings(name, forms, person),
                    *disguised_readings(name, forms, self.index.words, person)]
        notes = {len(forms) + i: note for i, (_, note) in enumerate(readings)}
        forms = (*forms, *(f for f, _ in readings))
        query_native = native_script(name)
        # a name with a legal form ("Daniel S.A.R.L.") is an organisation, not the person or
        # vessel called "DANIEL"
        qkind = "entity" if kind is None and COMPANY_FORMS.intersection(forms[0].legal) else None
        # the least name score the evidence given can lift to the threshold, and the least
        # shares of the names a candidate scoring that has
        reach, min_share, min_rank = search_bounds(thr, country=cc is not None,
                                                   dob=dob_s is not None, ids=bool(ids))
        on = index_lists(wanted) if wanted else None
        with self._lock:
            if reach == thr or ids:
                cand = self.index.candidate_forms(forms, min_share=min_share,
                                                  min_rank=min_rank, lists=on)
            else:  # the wider band only for entries the country or date of birth may agree with
                _, share, rank = search_bounds(thr, country=False, dob=False, ids=False)
                cand = self.index.candidate_forms(forms, min_share=share, min_rank=rank,
                                                  lists=on)
                known = {ni for ni, _ in cand}
                cand += [(ni, fi) for ni, fi in self.index.candidate_forms(
                             forms, min_share=min_share, min_rank=min_rank, lists=on)
                         if ni not in known and may_agree(
                             self.entries[self.index.names[ni].entry], cc, dob_s)]
        best: dict[int, tuple[float, object, object]] = {}
        # the same alias comes from several files (sdn.csv and the CSL): compare it once
        seen: dict[tuple, object] = {}
        for ni, form_ids in cand:
            iname = self.index.names[ni]
            entry = self.entries[iname.entry]
            if wanted and not on_lists(entry, wanted):
                continue
            org = True if entry.kind in _ORG_KINDS else (False if entry.kind else None)
            for fi in form_ids:
                qf = forms[fi]
                if qf.script in KOREAN_READINGS and not linked_to_korea(entry):
                    continue  # a Han name read in Korean: for North Korean entries only
                if (query_native or iname.native) and not letters_apply(
                        qf.script, query_native, iname.form.script, iname.native):
                    continue  # (two Latin names: every form of each is romanised)
                qd, ld = qf.dropped, iname.form.dropped
                if qd and ld and qd != ld:
                    continue  # 北京华为 / 成都华为: two companies in two cities
                key = (fi, iname.form, org)
                m = seen.get(key)
                if m is None:
                    m = seen[key] = compare_forms(qf, iname.form, org=org)
                    # a place on one side only, as "Hangzhou" is in Latin names
                    m = seen[key] = place_missing(m, qf, iname.form)
                if qf.script == KOREAN_PERSON and m.kind != "exact":
                    continue  # a Chinese name read in Korean may be any Korean name
                m = across_scripts(m, qf, iname.form)
                if (weak := self._weak.get(iname.entry)) and iname.alias.casefold() in weak:
                    m = replace(m, kind="weak", score=min(m.score, PARTIAL_MAX) if m.kind == EXACT
                                else 0.0)  # only as written: "CRRC" is not the weak alias CRCC
                prev = best.get(iname.entry)
                if prev is None or (m.score, m.kind == EXACT) > (prev[0], prev[1].kind == EXACT):
                    best[iname.entry] = (m.score, m, (qf, iname, notes.get(fi)))
        if not wanted or "SDN" in wanted:
            self._sdn_copies(best)
        hits: list[ScreeningHit] = []
        pkey = None  # the disposition key, made for the first hit that reaches the threshold
        for ei, (nscore, m, (qf, iname, note)) in best.items():
            if nscore < reach:
                continue
            entry = self.entries[ei]
            points, why, agreed = assess(self._with_twin_facts(entry), dob=dob_s, country=cc,
                                         kind=kind or qkind, ids=tuple(ids))
            if qkind:  # say why the query counts as an organisation
                why = [w + f" (the query carries the legal form {' '.join(forms[0].legal)!r})"
                       if w.startswith("query is ") else w for w in why]
            if m.kind in ("partial", "nickname", "weak", "acronym"):
                extra, line = corroborate_match(agreed, m.missing, qf, iname.form, qkind,
                                                entry.kind)
                if line:
                    points += extra
                    why.append(line)
            score = round(max(0.0, min(100.0, nscore + points)), 1)
            if score < thr:
                continue
            pkey = pkey or party_key(name)
            found = self.decisions.find((pkey, cc, dob_s), entry.key, self._by_key)
            disp, decided = found if found and found[0].decision == "cleared" else (None, None)
            suppressed = None
            if disp is not None:
                if disp.unchanged(self._copies.get(decided, ())):
                    if not include_suppressed:
                        continue
                    twin = "" if decided == entry.key else (
                        f" (for {decided[0]} {decided[1]}, the same OFAC entry)")
                    suppressed = (f"cleared by {disp.user} on {disp.decided_on}{twin}: "
                                  f"{disp.reason}")
                else:
                    why.append(f"cleared by {disp.user} on {disp.decided_on}, but the entry "
                               "changed since: review again")
            if note:
                why.insert(0, note)
            hits.append(make_hit(entry, self._hashes[ei], name, score, nscore, m, qf, iname,
                                 why, suppressed, tuple(agreed)))
        hits.sort(key=lambda h: hit_order(h.score, h.list, h.entry_id))
        return dedupe(hits)[:limit]

    def _with_twin_facts(self, entry: ListEntry) -> ListEntry:
        """An OFAC non-SDN copy with the dates of birth, countries and ids of its SDN copy
        where it carries none (the CSL's NS-MBS 29250 has no date of birth; SDN 29250 says
        1957): one party, so a date of birth that rules out one copy rules out both."""
        twin = (self._by_key.get(("SDN", entry.entry_id)) if entry.list == "NONSDN"
                and not (entry.dobs and entry.countries and entry.ids) else None)
        if twin is None:
            return entry
        sdn = self.entries[twin]
        return replace(entry, dobs=entry.dobs or sdn.dobs,
                       countries=entry.countries or sdn.countries, ids=entry.ids or sdn.ids)

    def _sdn_copies(self, best: dict[int, tuple[float, object, object]]) -> None:
        """A name found on an OFAC non-SDN entry whose entry number is also an SDN entry finds
        that SDN entry too: OFAC numbers a party once across its lists, so NS-MBS 29250
        ("John Ka-chiu Lee", aliases "Jiachao Li" ...) is SDN 29250, blocked, whichever of
        the two copies carries the alias the query matched."""
        for ei, (score, m, (qf, iname, note)) in list(best.items()):
            entry = self.entries[ei]
            if entry.list != "NONSDN":
                continue
            sdn = self._by_key.get(("SDN", entry.entry_id))
            if sdn is None or (sdn in best and best[sdn][0] >= score):
                continue
            link = (f"OFAC entry {entry.entry_id} is on the SDN list too: matched through its "
                    f"non-SDN copy's alias {iname.alias!r}")
            best[sdn] = (score, m, (qf, iname, f"{note}; {link}" if note else link))


class _Default:
    """This process's default screener, what it was built from, and its reloads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # guards the fields; never held while building in bg
        self.build_lock = threading.Lock()  # one rebuild at a time
        self.screener: Screener | None = None
        #: :func:`~exportcheck.screen.store.screening_stamp` the screener was built from
        self.stamp: tuple | None = None
        self.checked_at = 0.0
        #: bumped when the default is forgotten: a rebuild started before is thrown away
        self.generation = 0
        #: > 0 in a web worker: changes are picked up by a background rebuild
        self.background = 0
        self.refresher: threading.Thread | None = None
        self.building_since: float | None = None
        self.reloads = 0
        self.last_reload_seconds: float | None = None
        self.last_error: str | None = None


_state = _Default()
#: seconds between checks when ``EXPORTCHECK_SCREENING_RECHECK_SECONDS`` is not set
RECHECK_SECONDS = 1.0
#: after a failed background rebuild, wait this long before trying again (seconds)
RETRY_SECONDS = 30.0
#: the interpreter's switch interval while a rebuild runs beside requests (seconds; the default
#: 5 ms made each request wait that long at every socket read and database query)
BUILD_SWITCH_INTERVAL = 0.0005


def default_screener() -> Screener:
    """The database's active lists if any were loaded, else the bundled samples.

    Every :func:`~exportcheck.settings.screening_recheck_seconds` the process asks the
    database whether lists were activated or dispositions recorded (by any process). In a web
    worker (:func:`background_reload`) the new screener is built by a background thread while
    this one keeps answering, then swapped in; elsewhere it is rebuilt before answering.

    The fallback logs :data:`SAMPLES_WARNING` on ``exportcheck.screen.samples`` each time it is
    used, and the screener's ``version`` starts with ``samples:``."""
    st = _state
    start: threading.Thread | None = None
    with st.lock:
        if st.screener is None:
            _load_now(st)  # the first load (a web worker does it before accepting requests)
        elif time.monotonic() - st.checked_at >= screening_recheck_seconds(RECHECK_SECONDS):
            st.checked_at = time.monotonic()
            if not st.background:
                _check_now(st)
            elif st.refresher is None or not st.refresher.is_alive():
                start = st.refresher = threading.Thread(
                    target=refresh_quietly, name="exportcheck-screener-reload", daemon=True)
        screener = st.screener
    if start is not None:
        start.start()
    assert screener is not None
    if screener.is_samples:
        # loud on every use: a production screen must never pass on the demo lists
        samples_log.warning(SAMPLES_WARNING.format(version=screener.version))
    return screener


def _load_now(st: _Default) -> None:
    """Build the default in the caller's thread (``st.lock`` held)."""
    from exportcheck.screen import store

    try:
        stamp = store.screening_stamp()
    except SQLAlchemyError as exc:
        # Never screen against the samples when the real lists cannot be read: a
        # silent fallback would clear parties that are on the loaded lists.
        raise ListDataError(
            f"cannot read the active restricted-party lists from the database ({exc}); "
            "fix the database connection (EXPORTCHECK_DATABASE_URL) before screening"
        ) from None
    st.screener = store.load_screener(None) if stamp[0] else Screener.from_samples()
    st.stamp, st.checked_at = stamp, time.monotonic()


def _check_now(st: _Default) -> None:
    """Outside a web worker: rebuild before answering when the database changed."""
    from exportcheck.screen import store

    try:
        changed = store.screening_stamp() != st.stamp
    except SQLAlchemyError:  # keep screening with what we have; the next check retries
        log.warning("cannot check the database for list changes", exc_info=True)
        return
    if changed:
        log.info("lists or dispositions changed in the database: reloading")
        _load_now(st)


def _refresh(st: _Default) -> bool:
    """Bring the default up to date with the database; True if it was replaced.

    The new screener is built without ``st.lock``: requests keep the current one until
    the swap. A change of dispositions alone reuses the current name index."""
    from exportcheck.screen import store

    with st.build_lock:
        with st.lock:
            current, before, generation = st.screener, st.stamp, st.generation
        if current is None:  # not loaded yet: the first use loads it
            return False
        stamp = store.screening_stamp()
        if stamp == before:
            return False
        log.info("lists or dispositions changed in the database: rebuilding the screener "
                 "while the current one answers")
        began = time.monotonic()
        with st.lock:
            st.building_since = began
        # the build holds the GIL for seconds: hand it back to request threads sooner
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, BUILD_SWITCH_INTERVAL))
        try:
            if not stamp[0]:
                new = Screener.from_samples()
            elif before is not None and stamp[0] == before[0] and not current.is_samples:
                new = current.with_dispositions(_read_dispositions())
            else:
                new = store.load_screener(None)
        finally:
            sys.setswitchinterval(switch)
            with st.lock:
                st.building_since = None
        took = time.monotonic() - began
        with st.lock:
            if st.generation != generation:  # forgotten meanwhile (tests switch databases)
                return False
            st.screener, st.stamp = new, stamp
            st.reloads += 1
            st.last_reload_seconds, st.last_error = took, None
    log.info("screener %s in use (rebuilt in %.1f s)", new.version, took)
    return True


def _read_dispositions() -> list[Disposition]:
    from exportcheck.db import get_engine, session_factory
    from exportcheck.screen import store

    with session_factory(get_engine())() as session:
        return store._dispositions(session)


def refresh_quietly() -> None:
    """The background thread: a failed rebuild keeps the current screener answering and is
    retried after :data:`RETRY_SECONDS`."""
    try:
        _refresh(_state)
    except Exception as exc:  # the database is away, a list row is unreadable...
        log.warning("rebuilding the screener failed; still screening with %s",
                    _state.screener.version if _state.screener else "nothing", exc_info=True)
        with _state.lock:
            _state.last_error = f"{type(exc).__name__}: {exc}"
            _state.checked_at = time.monotonic() + RETRY_SECONDS


def background_reload(enabled: bool) -> None:
    """Turn background rebuilds on (a web worker starting) or off (stopping): a worker must
    not stall or fail requests while it indexes a newly activated list version."""
    st = _state
    with st.lock:
        st.background = st.background + 1 if enabled else max(0, st.background - 1)
        refresher = None if st.background else st.refresher
    if refresher is not None:
        refresher.join(timeout=10)


def screener_status() -> dict:
    """What this process screens with and how its last rebuild went (``/healthz``)."""
    st = _state
    with st.lock:
        return {"lists_version": st.screener.version if st.screener else None,
                "reloading": st.building_since is not None, "reloads": st.reloads,
                "last_reload_seconds": (None if st.last_reload_seconds is None
                                        else round(st.last_reload_seconds, 3)),
                "last_error": st.last_error}


def answering_from_samples() -> bool | None:
    """Whether this process's default screener answers from the bundled samples; None when it
    has not been built yet. The database may already hold active lists while a rebuild is
    pending (the web UI says so instead of hiding its samples banner too early)."""
    st = _state
    with st.lock:
        return None if st.screener is None else st.screener.is_samples


def reset_default_screener() -> None:
    """This process changed the lists or dispositions (or tests switch databases).

    Outside a web worker the cached default is forgotten and the next use rebuilds it. In a
    web worker it is brought up to date here, in the writing request's thread, so that the
    writer's next request sees its change; other requests keep the previous screener until
    the swap."""
    st = _state
    if st.background:
        try:
            _refresh(st)
        except Exception:  # the write is done; the background check retries the rebuild
            log.warning("rebuilding the screener after a change failed", exc_info=True)
            with st.lock:
                st.checked_at = 0.0
        return
    with st.lock:
        st.screener = st.stamp = None
        st.generation += 1


def screen(name: str, *, country: str | None = None, dob: str | None = None,
           kind: str | None = None, lists: Iterable[str] | None = None,
           threshold: float | None = None) -> list[ScreeningHit]:
    """Screen one name against the default lists (see :func:`default_screener`)."""
    return default_screener().screen(name, country=country, dob=dob, kind=kind, lists=lists,
                                     threshold=threshold)
