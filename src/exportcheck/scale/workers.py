"""Per-worker state: the screening index, the rule base and the ownership graph, each loaded
once per worker process and kept for the following tasks.

Why not ship them: a screening index is hundreds of megabytes of Python objects; pickling it
into every task would cost more than the screening. A task carries a small frozen *spec* (what
to load and the identity it must have); the worker loads it on first use, checks the identity
(list versions and dispositions, rule base version) and caches it by spec. A worker that sees
other lists or another rule base than the client fails the run with a message saying so,
instead of quietly mixing two versions into one output.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from exportcheck.errors import InvalidInput, ListDataError, RuleDataError

#: specs kept per worker and kind (screener, rules, owners, decided, signatures): two, the old
#: and new side of an impact run. Capped per kind, not in all: a worker that outlives runs on
#: many list files kept up to 12 screeners (hundreds of MB each); now a new list version
#: evicts the least recently used one of its kind
_KEEP = 2
_cache: OrderedDict[tuple, Any] = OrderedDict()
_lock = threading.Lock()
_loads: Counter[str] = Counter()


@dataclass(frozen=True)
class ScreenerSpec:
    """Which lists to screen against: ``paths`` (list files), the bundled ``samples`` (there
    was no database at the client's configured place: none is opened, so none is created), or
    the database at ``url`` with its active lists (``versions`` None) or those version ids;
    ``stamp`` is what the client
    saw (active version ids, dispositions) and every worker must see. ``files``: a digest of
    each list file's path, modification time and size as the client saw them, so that a worker
    kept from an earlier run reloads a file changed since; ``threshold``: the client's default
    threshold, which the worker screens with (:func:`screening`)."""

    paths: tuple[str, ...] = ()
    url: str | None = None
    versions: str | None = None
    stamp: tuple | None = None
    files: str = ""
    threshold: float | None = None
    samples: bool = False


@dataclass(frozen=True)
class RulesSpec:
    rules_dir: str | None
    version: str


@dataclass(frozen=True)
class OwnersSpec:
    """The ``--owners`` file as the client read it: workers read the same path and check its
    content's digest (a worker on another machine may have another file there, or none)."""

    path: str
    size: int
    digest: str


def _cached(kind: str, load: Callable[[], Any], *parts: Hashable) -> Any:
    """``load()`` once per worker for ``(kind, *parts)``; concurrent tasks of a threaded
    worker wait."""
    key = (kind, *parts)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        mine = [k for k in _cache if k[0] == kind]
        for stale in mine[: max(0, len(mine) - _KEEP + 1)]:
            del _cache[stale]  # before loading: the old index is freed before the new is built
        value = load()
        _loads[kind] += 1
        _cache[key] = value
        return value


def cached_kinds() -> Counter[str]:
    """How many entries of each kind this worker keeps (tests and diagnostics)."""
    with _lock:
        return Counter(k[0] for k in _cache)


def decided(rules: RulesSpec, screener: ScreenerSpec | None, owners: OwnersSpec | None
            ) -> dict[tuple, tuple]:
    """The keys this worker decided for these rules, lists (their stamp included) and owners:
    the partitions of one file, and the next run on the same state, share most keys
    (:func:`exportcheck.determine.batch.decide_keys`)."""
    return _cached("decided", dict, rules, screener, owners)


def signatures(screener: ScreenerSpec | None, owners: OwnersSpec | None) -> dict:
    """What each (party, destination) screened to on this worker with these lists (their
    stamp of dispositions included) and owners: the partitions of one file name the same
    customers (:func:`exportcheck.determine.batch_parties.collapse_parties`)."""
    return _cached("signatures", dict, screener, owners)


def load_counts() -> dict[str, int]:
    """How many times this worker loaded each kind of state (tests and diagnostics)."""
    return dict(_loads)


def worker_database_url(url: str) -> str:
    """``url`` with a relative SQLite file made absolute, as the client resolves it: a worker
    runs in its own folder, where the same relative path names another file, or a new, empty
    one (no lists, no licences: an all-clear). Other URLs are returned as given."""
    from exportcheck.db.engine import absolute_sqlite_url

    return absolute_sqlite_url(url)


def _stamp(url: str) -> tuple:
    from sqlalchemy.exc import SQLAlchemyError

    from exportcheck.db import get_engine
    from exportcheck.screen import store

    try:
        return store.screening_stamp(get_engine(url))
    except SQLAlchemyError as exc:
        raise ListDataError(
            f"cannot read the active restricted-party lists from the database ({exc}); "
            "fix the database connection (EXPORTCHECK_DATABASE_URL) before screening"
        ) from None


def default_screener_spec() -> ScreenerSpec:
    """What ``default_screener()`` would use in this process: the database's active lists, or
    the bundled samples when none is loaded (announced as the single-process path does). No
    database at the configured place: the samples, as an empty one gives, without creating it
    here or on a worker (:mod:`exportcheck.screen.reading`)."""
    from exportcheck.screen import default_screener
    from exportcheck.screen.reading import samples_without_database
    from exportcheck.settings import get_settings

    if samples_without_database() is not None:  # announced there
        return ScreenerSpec(samples=True, threshold=_client_threshold())
    url = worker_database_url(get_settings().effective_database_url)
    stamp = _stamp(url)
    if not stamp[0]:
        default_screener()  # logs the sample-lists warning, as the single-process path does
    return ScreenerSpec(url=url, stamp=stamp, threshold=_client_threshold())


def versions_screener_spec(ids: str) -> ScreenerSpec:
    """The active lists with list versions ``ids`` in place of their sources' active ones."""
    from exportcheck.screen.store import parse_version_ids
    from exportcheck.settings import get_settings

    parse_version_ids(ids)  # a malformed list of ids fails here, before the cluster starts
    url = worker_database_url(get_settings().effective_database_url)
    return ScreenerSpec(url=url, versions=ids, stamp=_stamp(url), threshold=_client_threshold())


def paths_screener_spec(paths: list[Path]) -> ScreenerSpec:
    for p in paths:
        if not p.exists():
            raise InvalidInput(f"list file {p} does not exist")
    resolved = tuple(str(p.resolve()) for p in paths)
    return ScreenerSpec(paths=resolved, files=_files_digest(resolved),
                        threshold=_client_threshold())


def _files_digest(paths: tuple[str, ...]) -> str:
    """A digest of the path, modification time and size of each list file (a folder: of the
    files in it): a few bytes in every task, where the files themselves may be 100 MB."""
    import hashlib

    digest = hashlib.sha256()
    for p in map(Path, paths):
        for f in sorted(c for c in p.iterdir() if c.is_file()) if p.is_dir() else [p]:
            st = f.stat()
            digest.update(f"{f}\0{st.st_mtime_ns}\0{st.st_size}\n".encode())
    return digest.hexdigest()[:16]


def _client_threshold() -> float:
    from exportcheck.settings import default_threshold

    return default_threshold()


def screening(spec: ScreenerSpec | None) -> AbstractContextManager[None]:
    """Inside this block, screening without a threshold of its own uses the client's."""
    from exportcheck.settings import client_threshold

    return client_threshold(spec.threshold if spec is not None else None)


def rules_spec() -> RulesSpec:
    """The rule base this process would use, by directory and version."""
    return client_rules()[0]


def client_rules() -> tuple[RulesSpec, Any]:
    """The rule base this process would use, as a spec for the workers and as read: a run
    reads (and stamps) a layered directory once and keeps to that rule base to the end, where
    reading it again cost a second stamp and could give a report another rule base than its
    lines."""
    from exportcheck.rules.ruleset import load_ruleset
    from exportcheck.settings import rules_dir

    d = rules_dir()
    rs = load_ruleset(d)
    return RulesSpec(str(d.resolve()) if d else None, rs.version), rs


def owners_spec(path: Path | None) -> OwnersSpec | None:
    """The ``--owners`` file for the workers, read here once: a bad file fails before any
    work, with the message one process gives."""
    if path is None:
        return None
    from exportcheck.screen.ownership import Ownership, owners_file_bytes

    data = owners_file_bytes(path)
    Ownership.from_bytes(data, path)  # a bad file fails here, as in one process
    return OwnersSpec(str(path.resolve()), len(data), _digest(data))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:32]


def given_owners(owners: Path | OwnersSpec | None) -> OwnersSpec | None:
    """``owners`` as a spec: one the caller built (the CLI, which read the file to check it
    before a cluster starts) as given, a path read by :func:`owners_spec`. The file was read
    twice by the client before."""
    return owners if owners is None or isinstance(owners, OwnersSpec) else owners_spec(owners)


def screener(spec: ScreenerSpec | None) -> Any:
    """The worker's screener for ``spec`` (None: no screening)."""
    if spec is None:
        return None
    # one index whatever the threshold: it is applied per task (:func:`screening`)
    return _cached("screener", lambda: _load_screener(spec), replace(spec, threshold=None))


def _load_screener(spec: ScreenerSpec) -> Any:
    from exportcheck.db import get_engine
    from exportcheck.screen import Screener, store

    if spec.paths:
        return Screener.from_paths(spec.paths)
    if spec.samples:
        return Screener.from_samples()
    assert spec.url is not None
    stamp = _stamp(spec.url)
    if stamp != spec.stamp:
        raise ListDataError(
            "the restricted-party lists or dispositions in the database changed since the run "
            f"started (client saw {spec.stamp}, a worker {stamp}): run it again"
        )
    engine = get_engine(spec.url)
    if spec.versions is not None:
        return store.screener_for_versions(spec.versions, engine)
    return store.load_screener(engine) if stamp[0] else Screener.from_samples()


def ruleset(spec: RulesSpec) -> Any:
    def load() -> Any:
        from exportcheck.rules.loader import load_tables
        from exportcheck.rules.ruleset import RuleSet, held_ruleset, load_ruleset

        # the client's very rule base (same content hash), already read by this process (a
        # worker thread of the client's process, or an earlier run): no files to look at again
        rs = held_ruleset(spec.version) or load_ruleset(spec.rules_dir)
        if rs.version != spec.version:
            # the process keeps the rule files as an earlier run read them: a worker of a
            # scheduler that outlives runs reads them again before calling them different
            rs = RuleSet(*load_tables(Path(spec.rules_dir) if spec.rules_dir else None))
        if rs.version != spec.version:
            raise RuleDataError(
                f"a Dask worker has rule base {rs.version}, the client {spec.version} "
                f"(rules directory {spec.rules_dir or 'bundled'}): run the same exportcheck "
                "and rule files on every worker"
            )
        return rs

    return _cached("rules", load, spec)


def ownership(spec: OwnersSpec | None) -> Any:
    if spec is None:
        return None

    def load() -> Any:
        from exportcheck.screen.ownership import Ownership

        path = Path(spec.path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(
                f"a Dask worker cannot read the owners file {path} the client read ({exc}): "
                "give every worker the file at the same path") from None
        if len(data) != spec.size or _digest(data) != spec.digest:
            raise InvalidInput(
                f"the owners file {path} on a Dask worker is not the one the client read "
                "(changed since the run started, or another file at that path on the worker's "
                "machine): give every worker the same file and run it again")
        return Ownership.from_bytes(data, path)

    return _cached("owners", load, spec)
