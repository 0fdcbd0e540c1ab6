"""A web worker's screener reload (issue #13 point 2), in one process on SQLite: a change made
by another process is indexed in the background while the current screener keeps answering."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exportcheck.db import get_engine
from exportcheck.db.engine import dispose_engines
from exportcheck.errors import InvalidInput
from exportcheck.screen import service, store
from exportcheck.screen.service import (
    SAMPLES_DIR,
    Screener,
    background_reload,
    default_screener,
    reset_default_screener,
    screener_status,
)
from exportcheck.settings import get_settings

NEWCOMER = "ZEBULON QUIXOTE RELOADTEST"


@pytest.fixture
def worker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This process as a web worker on a fresh database with the sample lists."""
    url = f"sqlite:///{tmp_path / 'reload.db'}"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", url)
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EXPORTCHECK_SCREENING_RECHECK_SECONDS", "0")
    store.load_lists([SAMPLES_DIR], engine=get_engine(url))
    reset_default_screener()
    background_reload(True)
    try:
        yield url
    finally:
        background_reload(False)
        reset_default_screener()
        dispose_engines()


def as_another_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes from here on do not tell this process's screener (as a CLI or worker would)."""
    monkeypatch.setattr(store, "reset_default_screener", lambda: None)


def dpl_with_newcomer(folder: Path) -> Path:
    text = (SAMPLES_DIR / "dpl.txt").read_text(encoding="utf-8")
    rows = [r for r in csv.reader(io.StringIO(text), delimiter="\t") if r]
    out = io.StringIO()
    csv.writer(out, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [*rows, [NEWCOMER, *rows[1][1:]]])
    path = folder / "dpl.txt"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def returns_without_waiting(fn: Callable[[], Screener]) -> Screener:
    """``fn()`` run in a thread; fails (instead of hanging) if it blocks."""
    got: list[Screener] = []
    t = threading.Thread(target=lambda: got.append(fn()), daemon=True)
    t.start()
    t.join(timeout=60)
    assert not t.is_alive(), "the screener call waited for the rebuild"
    return got[0]


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def test_new_list_version_is_indexed_in_the_background(
        worker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = default_screener()
    assert not first.is_samples and not first.screen(NEWCOMER)
    reloads = screener_status()["reloads"]
    as_another_process(monkeypatch)
    store.load_lists([dpl_with_newcomer(tmp_path)], engine=get_engine(worker))

    gate = threading.Event()
    build = store.load_screener

    def slow_build(engine=None) -> Screener:
        gate.wait(60)
        return build(engine)

    monkeypatch.setattr(store, "load_screener", slow_build)
    # the rebuild cannot finish while the gate is shut: every call answers with the old index
    for _ in range(3):
        assert returns_without_waiting(default_screener) is first
    wait_for(lambda: screener_status()["reloading"], "no background rebuild started")
    assert returns_without_waiting(default_screener) is first
    gate.set()
    wait_for(lambda: default_screener() is not first, "the new index was never swapped in")
    new = default_screener()
    assert new.version != first.version and new.screen(NEWCOMER)[0].matched_name == NEWCOMER
    state = screener_status()
    assert state == {"lists_version": new.version, "reloading": False, "reloads": reloads + 1,
                     "last_reload_seconds": state["last_reload_seconds"], "last_error": None}


def test_new_disposition_reuses_the_index(worker: str,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    first = default_screener()
    assert [h.entry_id for h in first.screen("Carrie Lam", country="HK")][:1] == ["29249"]
    as_another_process(monkeypatch)
    store.record_disposition("Carrie Lam", "SDN", "29249", user="tester", reason="not her",
                             country="HK")
    wait_for(lambda: default_screener() is not first, "the disposition was never picked up")
    new = default_screener()
    assert new.index is first.index and new.version == first.version
    assert "29249" not in [h.entry_id for h in new.screen("Carrie Lam", country="HK")]
    assert "29249" in [h.entry_id for h in first.screen("Carrie Lam", country="HK")]


def test_the_writing_worker_sees_its_own_change_at_once(worker: str, tmp_path: Path) -> None:
    first = default_screener()
    store.load_lists([dpl_with_newcomer(tmp_path)], engine=get_engine(worker))
    assert default_screener() is not first  # rebuilt in the writer's thread before returning
    assert default_screener().screen(NEWCOMER)


def test_failed_rebuild_keeps_the_current_screener(
        worker: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = default_screener()
    as_another_process(monkeypatch)
    store.load_lists([dpl_with_newcomer(tmp_path)], engine=get_engine(worker))

    def broken(engine=None) -> Screener:
        raise OSError("disk on fire")

    monkeypatch.setattr(store, "load_screener", broken)
    default_screener()
    wait_for(lambda: screener_status()["last_error"] is not None, "the failure was not kept")
    assert "disk on fire" in screener_status()["last_error"]
    assert default_screener() is first  # still answering, retried after RETRY_SECONDS
    assert service._state.checked_at > time.monotonic()


def test_recheck_interval_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCHECK_SCREENING_RECHECK_SECONDS", "2.5")
    assert get_settings().screening_recheck_seconds == 2.5
    for bad in ("soon", "-1", "nan"):
        monkeypatch.setenv("EXPORTCHECK_SCREENING_RECHECK_SECONDS", bad)
        with pytest.raises(InvalidInput, match="SCREENING_RECHECK_SECONDS"):
            get_settings()
