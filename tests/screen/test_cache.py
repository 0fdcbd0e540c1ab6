"""The on-disk screener cache: reused across loads, identical answers, invalidated by a new list
version, a bad file rebuilt, no cache when the data directory cannot be written."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import pickletools
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import Engine

from exportcheck.db import get_engine
from exportcheck.screen import cache, store
from exportcheck.screen.index import NameIndex
from exportcheck.screen.parsers import load_paths
from exportcheck.screen.service import Screener

#: Han (Cantonese and pinyin readings, MOFCOM names in characters) and Latin queries
NAMES = [
    "李家超", "夏寶龍", "林鄭月娥", "斯巴鲁株式会社", "住友重机械工业株式会社", "金铁三",
    "長安海連技術有限公司", "Carrie Lam", "LAM, Carrie", "Lee Ka Chiu", "Xia Baolong",
    "Sumitomo Heavy Industries", "Subaru Corp", "Kim Chol Sam", "Chang An Shipping",
    "Aaron Abraham Villa", "Mohammed Ali", "John Smith", "Jane Q. Unlisted",
]
QUERIES = [{}, {"threshold": 60}, {"country": "HK", "dob": "1957"},
           {"lists": ["SDN", "CN-UEL", "CN-ECL"], "threshold": 70}, {"kind": "entity"}]


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    yield get_engine(f"sqlite:///{tmp_path / 'cache-test.db'}")


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Spy on the index build and on reading the list rows: one record per call."""
    calls: list[int] = []
    build, parsed = NameIndex.__init__, store._parsed

    def spy_build(self, entries):
        calls.append(len(entries))
        build(self, entries)

    def spy_parsed(session, version):
        calls.append(-1)
        return parsed(session, version)

    monkeypatch.setattr(NameIndex, "__init__", spy_build)
    monkeypatch.setattr(store, "_parsed", spy_parsed)
    return calls


@pytest.fixture
def fresh_environment() -> Iterator[None]:
    cache._environment.cache_clear()
    yield
    cache._environment.cache_clear()


def _files() -> list[Path]:
    return sorted(cache.cache_dir().glob("screening-*.bin"))


def _answers(s: Screener) -> list[list[dict]]:
    return [[h.model_dump() for h in s.screen(n, **kw)] for n in NAMES for kw in QUERIES]


def _uncached(engine: Engine) -> Screener:
    """What load_screener built before the cache: parse the active versions, build the index."""
    from exportcheck.db import session_factory

    with session_factory(engine)() as session:
        versions = store.list_versions(engine, active_only=True)
        lists = [store._parsed(session, v) for v in sorted(versions, key=lambda v: v.id)]
        return Screener(lists, store._dispositions(session))


def _load(engine: Engine, lists_dir: Path, small_lists: Path) -> None:
    """The July 2021 SDN list (cut: ``small_lists``), China's registry and the DPL."""
    store.load_lists([small_lists / "ofac_2021-07",
                      lists_dir / "xyna_registry" / "cn.json",
                      lists_dir / "bis" / "dpl.txt"], engine=engine)


def test_second_load_uses_the_cache_and_answers_the_same(
        engine: Engine, lists_dir: Path, small_lists: Path, builds: list[int]) -> None:
    _load(engine, lists_dir, small_lists)
    cold = store.load_screener(engine)
    assert len([b for b in builds if b > 0]) == 1 and [p.parent for p in _files()] == [
        Path(os.environ["EXPORTCHECK_DATA_DIR"]) / "cache"]
    builds.clear()
    warm = store.load_screener(engine)
    assert builds == []  # neither the list rows nor the index build were needed
    reference = _uncached(engine)
    expected = _answers(reference)
    assert _answers(cold) == expected
    assert _answers(warm) == expected
    assert sum(map(len, expected)) > 50
    # the Han queries did find their entries, through Cantonese and through the MOFCOM names
    assert warm.screen("李家超", country="HK")[0].list == "SDN"
    assert warm.screen("斯巴鲁株式会社")[0].list.startswith("CN-")
    assert warm.version == reference.version and not warm.is_samples
    e = reference.entries[123]
    assert warm.entry(e.list, e.entry_id) == e
    assert warm.entry_hash(e.list, e.entry_id) == reference.entry_hash(e.list, e.entry_id)
    assert [(p.source, p.content_hash, p.row_count, p.file_date, p.paths, p.format, p.entries)
            for p in warm.lists] == [
        (p.source, p.content_hash, p.row_count, p.file_date, p.paths, p.format, p.entries)
        for p in reference.lists]
    assert warm._copies == reference._copies
    # OFAC's weak aliases are found when the index is built and kept with it
    assert warm._weak == reference._weak and len(reference._weak) > 10


def test_processes_starting_together_build_the_index_once(
        engine: Engine, lists_dir: Path, small_lists: Path, builds: list[int]) -> None:
    """Several workers loading the screener at once on one data directory: one builds the
    index, the others wait for it and restore its cache file (threads stand for processes: each
    takes the lock through its own file descriptor, as a process would)."""
    import threading

    _load(engine, lists_dir, small_lists)
    start = threading.Barrier(3)
    loaded: list[Screener] = []

    def worker() -> None:
        start.wait()
        loaded.append(store.load_screener(engine))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(loaded) == 3 and len([b for b in builds if b > 0]) == 1
    expected = _answers(loaded[0])
    assert all(_answers(s) == expected for s in loaded[1:])


def test_dispositions_are_read_afresh_with_a_cached_index(
        engine: Engine, lists_dir: Path, small_lists: Path, builds: list[int]) -> None:
    _load(engine, lists_dir, small_lists)
    hit = store.load_screener(engine).screen("Carrie Lam")[0]
    store.record_disposition("Carrie Lam", hit.list, hit.entry_id, user="alice",
                             reason="a different Carrie Lam", engine=engine)
    builds.clear()
    s = store.load_screener(engine)
    assert builds == []  # cached index ...
    assert hit.entry_id not in {h.entry_id for h in s.screen("Carrie Lam")}  # ... new decision
    shown = s.screen("Carrie Lam", include_suppressed=True)
    assert shown[0].entry_id == hit.entry_id and "alice" in shown[0].suppressed_by


def _modified_dpl(src: Path, dst: Path) -> Path:
    raw = src.read_bytes()
    assert b'"AARON ABRAHAM VILLA"' in raw
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "dpl.txt").write_bytes(raw.replace(b'"AARON ABRAHAM VILLA"',
                                              b'"ZEBULON QUAXWORTHY"', 1))
    return dst / "dpl.txt"


def test_a_new_list_version_invalidates_the_cache(engine: Engine, lists_dir: Path,
                                                  tmp_path: Path, builds: list[int]) -> None:
    store.load_lists([lists_dir / "xyna_registry" / "cn.json", lists_dir / "bis" / "dpl.txt"],
                     engine=engine)
    before = store.load_screener(engine)
    store.load_screener(engine)
    assert len([b for b in builds if b > 0]) == 1
    first = _files()
    assert before.screen("Aaron Abraham Villa") and not before.screen("Zebulon Quaxworthy")
    res = store.load_lists([_modified_dpl(lists_dir / "bis" / "dpl.txt", tmp_path / "new")],
                           engine=engine)
    assert res[0].status == "activated"
    builds.clear()
    after = store.load_screener(engine)
    assert len([b for b in builds if b > 0]) == 1  # rebuilt for the new version
    assert after.screen("Zebulon Quaxworthy")[0].list == "DPL"
    assert not [h for h in after.screen("Aaron Abraham Villa") if h.list == "DPL"]
    assert after.version != before.version
    assert len(_files()) == 2 and set(first) < set(_files())
    builds.clear()
    again = store.load_screener(engine)
    assert builds == [] and _answers(again) == _answers(after)


def _corrupt(path: Path, how: str) -> None:
    data = path.read_bytes()
    size = cache._HEADER.size
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped byte":
        i = size + (len(data) - size) // 2
        path.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :])
    elif how == "altered text":  # still a well-formed pickle: only the checksum can tell
        assert data.count(b"AARON ABRAHAM VILLA") >= 1
        path.write_bytes(data.replace(b"AARON ABRAHAM VILLA", b"BARON ABRAHAM VILLA"))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "foreign":
        path.write_bytes(b"PK\x03\x04 not a cache file at all" * 100)
    elif how == "other key":
        _, fmt, _, length, digest = cache._HEADER.unpack_from(data)
        path.write_bytes(cache._HEADER.pack(cache.MAGIC, fmt, b"\x01" * 32, length, digest)
                         + data[size:])
    elif how == "other format":
        _, _, key, length, digest = cache._HEADER.unpack_from(data)
        path.write_bytes(cache._HEADER.pack(cache.MAGIC, cache.FORMAT + 1, key, length, digest)
                         + data[size:])
    elif how == "valid checksum, hostile pickle":
        # a payload that would run code if it were unpickled, with a correct header
        marker = path.parent / "pwned"

        class Hostile:
            def __reduce__(self):
                return (os.mkdir, (str(marker),))

        payload = pickle.dumps({"key": "x", "evil": Hostile()})
        _, fmt, key, _, _ = cache._HEADER.unpack_from(data)
        path.write_bytes(cache._HEADER.pack(cache.MAGIC, fmt, key, len(payload),
                                            hashlib.sha256(payload).digest()) + payload)
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["truncated", "flipped byte", "altered text", "empty", "foreign",
                                 "other key", "other format", "valid checksum, hostile pickle"])
def test_a_bad_cache_file_is_detected_and_rebuilt(sqlite_engine: Engine, lists_dir: Path,
                                                  builds: list[int], how: str) -> None:
    store.load_lists([lists_dir / "xyna_registry" / "cn.json", lists_dir / "bis" / "dpl.txt"],
                     engine=sqlite_engine)
    expected = _answers(store.load_screener(sqlite_engine))
    [path] = _files()
    _corrupt(path, how)
    builds.clear()
    s = store.load_screener(sqlite_engine)
    assert len([b for b in builds if b > 0]) == 1  # rebuilt ...
    assert _answers(s) == expected  # ... with the right answers
    assert not (path.parent / "pwned").exists()  # nothing in the file was executed
    builds.clear()
    assert _answers(store.load_screener(sqlite_engine)) == expected
    assert builds == [] and _files() == [path]  # the bad file was replaced by a good one


def test_unwritable_data_dir_works_without_cache(
        engine: Engine, lists_dir: Path, small_lists: Path, tmp_path: Path, builds: list[int],
        monkeypatch: pytest.MonkeyPatch) -> None:
    _load(engine, lists_dir, small_lists)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    # no directory can be made below a file (whoever runs the tests, root included)
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(blocker / "data"))
    first = store.load_screener(engine)
    second = store.load_screener(engine)
    assert len([b for b in builds if b > 0]) == 2  # built each time, nothing cached
    assert _answers(first) == _answers(second) == _answers(_uncached(engine))
    # a cache folder that is a file: neither read nor written, no crash
    data = tmp_path / "data2"
    data.mkdir()
    (data / "cache").write_text("", encoding="utf-8")
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(data))
    assert store.load_screener(engine).version == first.version
    assert cache.save("0" * 64, first) is None


def test_cache_file_holds_plain_data_only(sqlite_engine: Engine, lists_dir: Path) -> None:
    store.load_lists([lists_dir / "xyna_registry" / "cn.json"], engine=sqlite_engine)
    store.load_screener(sqlite_engine)
    [path] = _files()
    data = path.read_bytes()
    magic, fmt, key, length, _ = cache._HEADER.unpack_from(data)
    assert (magic, fmt, key.hex()) == (cache.MAGIC, cache.FORMAT, path.stem.split("-", 1)[1])
    assert length == len(data) - cache._HEADER.size
    ops = {op.name for op, _, _ in pickletools.genops(data[cache._HEADER.size :])}
    assert not ops & {"GLOBAL", "STACK_GLOBAL", "INST", "OBJ", "NEWOBJ", "NEWOBJ_EX", "REDUCE"}
    assert not [p for p in path.parent.iterdir() if p.suffix == ".tmp"]  # written atomically


def test_only_the_newest_cache_files_are_kept(lists_dir: Path) -> None:
    s = Screener(load_paths([lists_dir / "xyna_registry" / "cn.json"]))
    paths = []
    for i in range(cache.KEEP + 2):
        p = cache.save(f"{i:064x}", s)
        assert p is not None
        os.utime(p, (1_000_000 + i, 1_000_000 + i))  # written in this order
        paths.append(p)
    stale = cache.cache_dir() / ".screening-dead.tmp"
    stale.write_bytes(b"half written")
    os.utime(stale, (1_000_000, 1_000_000))
    cache.prune(cache.cache_dir())
    assert _files() == sorted(paths[-cache.KEEP :]) and not stale.exists()
    # saving again keeps the one just written
    newest = cache.save("f" * 64, s)
    assert newest in _files() and len(_files()) == cache.KEEP


def test_key_covers_lists_code_and_environment(monkeypatch: pytest.MonkeyPatch,
                                              fresh_environment: None) -> None:
    def version(source: str, content_hash: str) -> SimpleNamespace:
        return SimpleNamespace(source=source, content_hash=content_hash, row_count=10,
                               entry_count=9, file_date=None, paths=["/x"], format="csv")

    a, b = version("csl", "1" * 64), version("un", "2" * 64)
    key = cache.cache_key([a, b])
    assert len(key) == 64 and key == cache.cache_key([version("csl", "1" * 64), b])
    assert cache.cache_key([a, version("un", "3" * 64)]) != key  # another list version
    assert cache.cache_key([a]) != key
    assert cache.cache_key([b, a]) != key  # the load order is part of the index
    changes = [
        lambda: monkeypatch.setattr(cache, "FORMAT", cache.FORMAT + 1),
        lambda: monkeypatch.setattr(sys, "version", sys.version + " (other build)"),
        lambda: monkeypatch.setattr(
            importlib.metadata, "version",
            lambda dist, real=importlib.metadata.version: "9.9" if dist == "exportcheck"
            else real(dist)),
    ]
    for change in changes:
        change()
        cache._environment.cache_clear()
        assert cache.cache_key([a, b]) != key
        key = cache.cache_key([a, b])



def test_a_han_organisations_dropped_place_survives_the_cache() -> None:
    """The index state left out ``NameForm.dropped``: restored from the cache (every CLI and
    server process), 成都华为技术有限公司 was an exact match of 华为技术有限公司 again, where a
    freshly built index gave the partial match a place on one side only makes."""
    from exportcheck.screen.entries import ListEntry, ParsedList

    entries = [ListEntry(list="EL", entry_id="1", name="成都华为技术有限公司", kind="entity",
                         source="t", countries=["CN"]),
               # and an Arabic-script name's written vowels (NameForm.written)
               ListEntry(list="UN", entry_id="2", name="عبد القادر لاغوب", kind="person",
                         source="t")]
    built = NameIndex(entries)
    restored = NameIndex.from_state(entries, pickle.loads(pickle.dumps(built.to_state())))
    assert [n.form for n in restored.names] == [n.form for n in built.names]
    assert "Chengdu" in {n.form.dropped for n in restored.names}
    assert any(n.form.written for n in restored.names)
    lists = [ParsedList("t", entries, 2, "t")]
    for index in (built, restored):
        screener = Screener._from_index(lists, index, ["h1", "h2"])
        hit, = screener.screen("华为技术有限公司", country="CN", threshold=50)
        assert hit.match_kind == "partial" and hit.name_score <= 80
