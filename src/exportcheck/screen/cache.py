"""On-disk cache of the screener built from the database's active list versions.

Building the name index over the full lists takes seconds; every process that screens
(``exportcheck screen``, ``exportcheck check --end-user``...) would pay for it. So
:func:`exportcheck.screen.store.load_screener` keeps the built lists and index in
``<data_dir>/cache/screening-<key>.bin`` and a later process with the same key restores them
instead of parsing the list rows and building the index again. Dispositions are not cached:
they change often and are read from the database on every load.

The key (:func:`cache_key`) covers everything the cached object is made from: the active list
versions (source, content hash, row and entry counts, file date, paths, format, in load order),
the exportcheck version, :data:`FORMAT`, the Python version, the versions of the libraries that
normalise names (anyascii, pypinyin, pycantonese, opencc, numpy) and a hash of the source files
of this package, so an edited checkout never reads an index built by other code.

File layout: a fixed header (:data:`MAGIC`, :data:`FORMAT`, the key, the payload length and
the SHA-256 of the payload), then the payload, a pickle. Files are written to a temporary file
in the same folder and renamed over the old one (``os.replace``), so a reader sees a whole file
or none; only the :data:`KEEP` most recently used cache files are kept.

Why unpickling this file is safe: the file is written only by this module, into the user's own
data directory (the same directory as the default SQLite database, which anyone able to write
there could alter just as well). Before anything is unpickled, the header must carry this
format and exactly the expected key, and the payload must have the recorded length and SHA-256:
a truncated, corrupt or foreign file is rejected, deleted and rebuilt, never unpickled. And the
payload holds only plain data (str, int, float, bool, None, bytes, lists, tuples, dicts): the
writer refuses any other object and the reader refuses to import any global, so even a payload
that passed the checks cannot make the unpickler construct an object or call a function.
After unpickling, the restored lists must match the active versions and the index arrays must
fit the names, else the cache is rebuilt. Any failure to read or write the cache (a read-only
data directory, a full disk) only costs the rebuild.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import struct
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO, Protocol

from exportcheck.screen.dispositions import Disposition
from exportcheck.screen.entries import _FIELDS, ListEntry, ParsedList, bulk_allocation
from exportcheck.screen.index import NameIndex
from exportcheck.screen.service import Screener
from exportcheck.settings import get_settings

log = logging.getLogger(__name__)

#: layout of the cached object; bump when the payload or the index layout changes
FORMAT = 14  # 2: Chinese names from data/chinese_entity_names.csv indexed as aliases;
# 3: by_variant; 4: names in Hangul and Arabic script keep a form in their own letters,
# IndexedName.native;
# 5: variant keys fold Baltic endings and a final j; 6: written Arabic-script vowels;
# 7: Japanese forms of Han characters read as Chinese ones, Kangxi radicals as characters;
# 8: organisations' acronyms (screen/acronyms.py) indexed as forms of their own; 9: the OFAC
# weak aliases found at build time (screen/weak.py); 10: NameForm.dropped, the leading place a
# Han organisation name's form leaves out; 11: that place, and the written
# vowels of listed Arabic-script names, kept in the cached index too; 12: ListEntry.listed_on
# and listed_until (screen/listing.py); 13: an affiliate listed under another entry indexed
# by its own name too (entries.listed_under); 14: ParsedList.date_stated
MAGIC = b"EXCKSCRN"
#: cache files kept (most recently used first); older ones are deleted after each write
KEEP = 3
#: magic, format, key (SHA-256), payload length, payload SHA-256
_HEADER = struct.Struct("<8sI32sQ32s")
_PREFIX, _SUFFIX = "screening-", ".bin"
#: leftover temporary files of a crashed writer older than this are deleted (seconds)
_STALE_TMP = 3600.0
#: libraries whose output the cached name forms depend on
_DEPENDENCIES = ("anyascii", "pypinyin", "pycantonese", "opencc", "numpy")
_PACKAGE_DIR = Path(__file__).resolve().parent


class VersionLike(Protocol):
    """What the key needs of a :class:`~exportcheck.screen.models.ListVersion`."""

    source: str
    content_hash: str
    row_count: int
    entry_count: int
    file_date: dt.date | None
    paths: list
    format: str


def cache_dir() -> Path:
    return get_settings().data_dir / "cache"


def cache_path(key: str) -> Path:
    return cache_dir() / f"{_PREFIX}{key}{_SUFFIX}"


def cache_key(versions: Sequence[VersionLike]) -> str:
    """Hex SHA-256 naming the screener built from ``versions`` (in this order) by this code."""
    doc = {
        "env": _environment(),
        "lists": [[v.source, v.content_hash, v.row_count, v.entry_count,
                   v.file_date.isoformat() if v.file_date else None, list(v.paths or ()),
                   v.format] for v in versions],
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def _environment() -> dict:
    def version(dist: str) -> str:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return "-"

    return {"format": FORMAT, "exportcheck": version("exportcheck"), "python": sys.version,
            "deps": {d: version(d) for d in _DEPENDENCIES}, "code": _code_fingerprint()}


def _code_fingerprint() -> str:
    """SHA-256 over this package's source and data files (paths and contents; the .csv
    tables feed the indexed names)."""
    h = hashlib.sha256()
    files = [p for p in _PACKAGE_DIR.rglob("*")
             if p.suffix in (".py", ".json", ".csv") and "__pycache__" not in p.parts]
    for p in sorted(files):
        h.update(p.relative_to(_PACKAGE_DIR).as_posix().encode("utf-8") + b"\0")
        h.update(p.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


class _Frames:
    """A byte buffer for the pickler and unpickler whose methods are Python code.

    Pickling a whole index is one C call that holds the GIL for up to a second; through this
    buffer it calls back into Python once per 64 kB frame, where the interpreter can hand the
    GIL to a request thread (a web worker reloads its index beside requests)."""

    def __init__(self, data: bytes = b"") -> None:
        self._parts: list[bytes] = []
        self._data = data
        self._pos = 0

    def write(self, b: bytes) -> int:
        self._parts.append(bytes(b))
        return len(b)

    def getvalue(self) -> bytes:
        return b"".join(self._parts)

    def read(self, n: int = -1) -> bytes:
        end = len(self._data) if n is None or n < 0 else self._pos + n
        out = self._data[self._pos : end]
        self._pos += len(out)
        return out

    def readinto(self, b: bytearray | memoryview) -> int:
        out = self.read(len(b))
        b[: len(out)] = out
        return len(out)

    def readline(self) -> bytes:
        end = self._data.find(b"\n", self._pos)
        return self.read(-1 if end < 0 else end + 1 - self._pos)


# -- reading -------------------------------------------------------------------------------
class _PlainUnpickler(pickle.Unpickler):
    """Unpickles plain data only: no global (class or function) may be looked up."""

    def find_class(self, module: str, name: str):  # type: ignore[override]
        raise pickle.UnpicklingError(f"screening cache may not refer to {module}.{name}")


def load(key: str, versions: Sequence[VersionLike],
         dispositions: Iterable[Disposition] = ()) -> Screener | None:
    """The cached screener for ``key`` with ``dispositions`` attached, or None (no file, or a
    file that is unreadable or fails a check: it is deleted so the rebuild replaces it)."""
    path = cache_path(key)
    try:
        fh = path.open("rb")
    except OSError:  # no cache yet, or a folder we may not read
        return None
    try:
        with fh:
            payload = _read_payload(fh, key)
        with bulk_allocation():
            state = _PlainUnpickler(_Frames(payload)).load()
            if not isinstance(state, dict) or state.get("key") != key:
                raise ValueError("payload is not the state written for this key")
            screener = _restore(state, versions, dispositions)
    except Exception as exc:  # any defect of the file means: rebuild
        log.warning("screening cache %s rejected (%s); rebuilding the index", path, exc)
        _unlink(path)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # most recently used: kept by the pruning
    log.info("screening index restored from %s", path)
    return screener


def _read_payload(fh: BinaryIO, key: str) -> bytes:
    """The payload after a header checked against ``key``, its length and its checksum."""
    head = fh.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise ValueError("file shorter than its header")
    magic, fmt, fkey, length, digest = _HEADER.unpack(head)
    if magic != MAGIC:
        raise ValueError("not a screening cache file")
    if fmt != FORMAT:
        raise ValueError(f"format {fmt}, expected {FORMAT}")
    if fkey != bytes.fromhex(key):
        raise ValueError("written for another key")
    size = os.fstat(fh.fileno()).st_size - _HEADER.size
    if size != length:
        raise ValueError(f"payload of {size} bytes, the header says {length}")
    payload = fh.read(length + 1)
    if len(payload) != length:
        raise ValueError(f"read {len(payload)} payload bytes, the header says {length}")
    if hashlib.sha256(payload).digest() != digest:
        raise ValueError("payload checksum mismatch")
    return payload


def _restore(state: dict, versions: Sequence[VersionLike],
             dispositions: Iterable[Disposition]) -> Screener:
    if tuple(state["entry_fields"]) != _FIELDS:
        raise ValueError("list entry fields changed")
    cols = state["entries"]
    entries = list(map(ListEntry, *cols))
    hashes = state["hashes"]
    lists: list[ParsedList] = []
    start = 0
    for source, row_count, content_hash, file_date, paths, fmt, n in state["lists"]:
        lists.append(ParsedList(
            source=source, entries=entries[start : start + n], row_count=row_count,
            content_hash=content_hash,
            file_date=dt.date.fromisoformat(file_date) if file_date else None,
            paths=paths, format=fmt))
        start += n
    if start != len(entries) or len(hashes) != len(entries):
        raise ValueError("entry counts disagree")
    if ([(pl.source, pl.content_hash) for pl in lists]
            != [(v.source, v.content_hash) for v in versions]):
        raise ValueError("cached lists are not the active versions")
    index = NameIndex.from_state(entries, state["index"])
    weak = {i: frozenset(aliases) for i, aliases in state["weak"]}
    if weak and not 0 <= min(weak) <= max(weak) < len(entries):
        raise ValueError("weak aliases of entries that are not there")
    return Screener._from_index(lists, index, hashes, dispositions, weak)


# -- writing -------------------------------------------------------------------------------
class _PlainPickler(pickle.Pickler):
    """Pickles plain data only (str, int, float, bool, None, bytes, list, tuple, dict):
    ``reducer_override`` is consulted for every other object and refuses it."""

    def reducer_override(self, obj):
        raise pickle.PicklingError(
            f"screening cache: {type(obj).__name__} is not plain data")


def _snapshot(key: str, screener: Screener) -> dict:
    return {
        "key": key,
        "lists": [(pl.source, pl.row_count, pl.content_hash,
                   pl.file_date.isoformat() if pl.file_date else None, list(pl.paths),
                   pl.format, len(pl.entries)) for pl in screener.lists],
        "entry_fields": list(_FIELDS),
        "entries": [[getattr(e, f) for e in screener.entries] for f in _FIELDS],
        "hashes": list(screener._hashes),
        "index": screener.index.to_state(),
        # found once, when the index is built: a scan of every entry's remarks
        "weak": [(i, sorted(aliases)) for i, aliases in sorted(screener._weak.items())],
    }


def _encode(key: str, screener: Screener) -> tuple[bytes, bytes]:
    """``(header, payload)`` of the cache file for ``screener``."""
    buf = _Frames()
    with bulk_allocation():
        _PlainPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(_snapshot(key, screener))
    payload = buf.getvalue()
    header = _HEADER.pack(MAGIC, FORMAT, bytes.fromhex(key), len(payload),
                          hashlib.sha256(payload).digest())
    return header, payload


#: seconds a process waits for another one's build before building the index itself
BUILD_WAIT_SECONDS = 300.0


@contextlib.contextmanager
def building() -> Iterator[None]:
    """One index build at a time per cache folder.

    Why: several API workers (``serve --workers N``) or batch processes starting together on
    one data directory would each parse the lists and build the same index (seconds of CPU and
    some 400 MB each). The first takes this lock and builds; the others wait, then find its
    cache file. A folder that cannot hold the lock file, or a build that outlasts
    :data:`BUILD_WAIT_SECONDS`, costs only the duplicate build the lock exists to avoid.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(cache_dir() / f".{_PREFIX}build.lock", timeout=BUILD_WAIT_SECONDS)
    try:
        cache_dir().mkdir(parents=True, exist_ok=True)
        lock.acquire()
    except (OSError, Timeout) as exc:
        log.info("screening index built without the build lock (%s)", exc)
        yield
        return
    try:
        yield
    finally:
        lock.release()


def save(key: str, screener: Screener) -> Path | None:
    """Write ``screener`` (without its dispositions) as the cache for ``key``; returns the
    path, or None when the cache could not be written (logged, never raised)."""
    if screener.is_samples:
        return None
    path = cache_path(key)
    try:
        header, payload = _encode(key, screener)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{_PREFIX}", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(header)
                fh.write(payload)
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o644)  # mkstemp's 0600 would lock out other users of the folder
            os.replace(tmp, path)
        except BaseException:
            _unlink(Path(tmp))
            raise
    except OSError as exc:  # a cache that cannot be written only costs the next rebuild
        log.info("screening cache not written to %s (%s)", path, exc)
        return None
    except Exception as exc:  # a bug, not the environment: say so, but keep screening
        log.warning("screening cache not written to %s (%r)", path, exc)
        return None
    prune(path.parent, keep=KEEP)
    return path


def prune(folder: Path, keep: int = KEEP) -> None:
    """Keep the ``keep`` most recently used cache files in ``folder``; delete the others and
    temporary files left by writers that died."""
    try:
        found = [(p.stat().st_mtime, p) for p in folder.glob(f"{_PREFIX}*{_SUFFIX}")]
        now = time.time()
        for p in folder.glob(f".{_PREFIX}*.tmp"):
            if now - p.stat().st_mtime > _STALE_TMP:
                _unlink(p)
    except OSError:
        return
    found.sort(key=lambda t: t[0], reverse=True)
    for _, p in found[keep:]:
        _unlink(p)


def _unlink(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)
