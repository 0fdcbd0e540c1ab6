"""Review 41: a list release older than the active one is refused unless loaded on purpose.

Two signs, neither a file's modification date (a copy is dated the day of the copy): the
files' content is a version a later one replaced (a stale download loaded again), or the UN
file's own dateGenerated is before the active version's. Refused, nothing changes: the same
version stays active with the same entries. ``allow_older`` (CLI ``--allow-older``, API and
form ``allow_older``) loads it and marks the version, in the store and in the audit trail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exportcheck.db import get_engine
from exportcheck.errors import ListDataError
from exportcheck.ledger.models import AuditEntry
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR

CSL = SAMPLES_DIR / "consolidated.csv"


def _release(folder: Path, drop_rows: int) -> Path:
    """The sample CSL less its last ``drop_rows`` rows: another release of the same list."""
    folder.mkdir(parents=True)
    lines = CSL.read_text(encoding="utf-8").splitlines(keepends=True)
    out = folder / "consolidated.csv"
    out.write_text("".join(lines[:len(lines) - drop_rows]), encoding="utf-8")
    return out


def _active(engine) -> tuple[int, str, int]:
    [v] = store.list_versions(engine, active_only=True)
    return v.id, v.content_hash, v.entry_count


def _loads(engine) -> list[dict]:
    with Session(engine) as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.kind == "lists.loaded")
                         .order_by(AuditEntry.seq))
        return [json.loads(r.payload) for r in rows]


def test_a_replaced_release_loaded_again_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'lists.db'}")
    old, new = _release(tmp_path / "old", 1), _release(tmp_path / "new", 0)
    [first] = store.load_lists([old], engine=engine)
    [second] = store.load_lists([new], engine=engine)
    before = _active(engine)
    with pytest.raises(ListDataError) as exc:
        store.load_lists([old], engine=engine)
    msg = str(exc.value)
    assert f"release stored as version {first.version_id}" in msg
    assert f"replaced by version {second.version_id}" in msg and "--allow-older" in msg
    assert _active(engine) == before
    assert len(store.list_versions(engine)) == 2 and len(_loads(engine)) == 2


def test_allow_older_loads_it_marked_and_going_forward_again_is_not_refused(
        tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'lists.db'}")
    old, new = _release(tmp_path / "old", 1), _release(tmp_path / "new", 0)
    store.load_lists([old], engine=engine)
    store.load_lists([new], engine=engine)
    [back] = store.load_lists([old], engine=engine, allow_older=True)
    assert back.status == "activated" and back.older_release
    [active] = store.list_versions(engine, active_only=True)
    assert (active.id, active.older_release, active.forced) == (back.version_id, True, False)
    assert [e["older_release"] for e in _loads(engine)] == [False, False, True]
    # the newer release again, after going back on purpose: forward, not refused
    [forward] = store.load_lists([new], engine=engine)
    assert forward.status == "activated"
    assert store.list_versions(engine, active_only=True)[0].older_release is False
    # and now the old one is a replaced release again
    with pytest.raises(ListDataError, match="--allow-older"):
        store.load_lists([old], engine=engine)


def test_a_un_file_dated_before_the_active_one_is_refused(shared_data: Path,
                                                         tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'lists.db'}")
    real = shared_data / "lists" / "un" / "UN_consolidated.xml"
    text = real.read_text(encoding="utf-8")
    assert 'dateGenerated="2026-02-27' in text
    earlier = tmp_path / "earlier" / "UN_consolidated.xml"
    earlier.parent.mkdir()
    # another release: a month earlier by its own date (and so other bytes)
    earlier.write_text(text.replace('dateGenerated="2026-02-27', 'dateGenerated="2026-01-27', 1),
                       encoding="utf-8")
    store.load_lists([real], engine=engine)
    before = _active(engine)
    with pytest.raises(ListDataError) as exc:
        store.load_lists([earlier], engine=engine)
    assert "the file is dated 2026-01-27, the active version" in str(exc.value)
    assert "2026-02-27" in str(exc.value)
    assert _active(engine) == before
    # a later one by its date is simply the next release
    later = tmp_path / "later" / "UN_consolidated.xml"
    later.parent.mkdir()
    later.write_text(text.replace('dateGenerated="2026-02-27', 'dateGenerated="2026-03-27', 1),
                     encoding="utf-8")
    [r] = store.load_lists([later], engine=engine)
    assert r.status == "activated"


def test_cli_refuses_in_one_line_and_allow_older_is_shown_by_lists_show(cli,
                                                                        tmp_path: Path) -> None:
    old, new = _release(tmp_path / "old", 1), _release(tmp_path / "new", 0)
    assert cli(["lists", "load", str(old)])[0] == 0
    assert cli(["lists", "load", str(new)])[0] == 0
    code, out, err = cli(["lists", "load", str(old)])
    assert code != 0 and "refusing csl version: these files are the release stored as" in err
    assert "Traceback" not in err + out
    code, out, err = cli(["lists", "load", "--allow-older", str(old)])
    assert code == 0, err
    assert "(older" in out and "release)" in out  # the table may wrap the status cell
    code, out, _ = cli(["lists", "show", "--all", "--json"])
    shown = json.loads(out)
    assert [v["older_release"] for v in shown if v["active"]] == [True]
    assert sum(v["older_release"] for v in shown) == 1
    code, table, _ = cli(["lists", "show"])  # the active one, in the table's "loaded" column
    assert code == 0 and "older" in table and "False" not in table


def test_lists_fetch_loads_what_it_fetched(cli, monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    """``lists fetch`` hands its downloads to ``lists load`` (it passed typer's option objects
    for the options it did not name, so the load failed on them)."""
    from exportcheck.screen import fetch

    monkeypatch.setattr(fetch, "fetch_official",
                        lambda sources=None, **_: [_release(tmp_path / "got", 0)])
    code, _, err = cli(["lists", "fetch", "csl"])
    assert code == 0, err
    assert [v.source for v in store.list_versions(active_only=True)] == ["csl"]
