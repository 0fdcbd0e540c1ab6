"""Review 38: a later release with fewer rows (within the 10% limit) is activated, and a list
loaded by the CLI without ``--user`` records who loaded it (it stored no loader).

(A release is never judged older by its file's modification date, which is not its release
date: a fresh checkout's bundled samples would then refuse every real list copied earlier. The
signs that do refuse an older release are in test_review_41_older_release.)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from exportcheck.db import get_engine
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR

CSL = SAMPLES_DIR / "consolidated.csv"


def _release(folder: Path, drop_rows: int = 0) -> Path:
    """The sample CSL, less its last ``drop_rows`` rows (another release of the same list)."""
    folder.mkdir(parents=True)
    lines = CSL.read_text(encoding="utf-8").splitlines(keepends=True)
    out = folder / "consolidated.csv"
    out.write_text("".join(lines[:len(lines) - drop_rows]), encoding="utf-8")
    return out


def test_a_later_release_with_fewer_rows_within_the_limit_is_activated(tmp_path: Path) -> None:
    engine = get_engine(f"sqlite:///{tmp_path / 'lists.db'}")
    store.load_lists([_release(tmp_path / "a")], engine=engine, published=dt.date(2026, 7, 1))
    [later] = store.load_lists([_release(tmp_path / "b", drop_rows=1)], engine=engine,
                               published=dt.date(2026, 7, 2))
    assert later.status == "activated"
    [active] = store.list_versions(engine, active_only=True)
    assert (active.id, active.forced) == (later.version_id, False)


def test_lists_loaded_by_cli_without_user_record_the_login(cli) -> None:
    code, _, err = cli(["lists", "load", str(SAMPLES_DIR)])
    assert code == 0, err
    loaders = {v.loaded_by for v in store.list_versions()}
    assert loaders and all(who.startswith("cli") for who in loaders)
