"""A long-lived process (the web service, a notebook, a test run) that changes folder opens
the file a relative SQLite URL names in the new folder, not the first folder's file again."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from exportcheck.db import get_engine
from exportcheck.db.engine import dispose_engine, dispose_engines


def _mark(url: str | None, folder: str) -> None:
    with get_engine(url).begin() as conn:
        conn.execute(sa.text("CREATE TABLE IF NOT EXISTS folder (name TEXT)"))
        conn.execute(sa.text("INSERT INTO folder VALUES (:n)"), {"n": folder})


def _marks(path: Path) -> list[str]:
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return [r[0] for r in conn.execute(sa.text("SELECT name FROM folder"))]
    finally:
        engine.dispose()


@pytest.mark.parametrize("relative", ["url", "data_dir"])
def test_a_relative_sqlite_file_is_the_current_folders_after_a_chdir(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: str) -> None:
    url = "sqlite:///rel.db" if relative == "url" else None
    if url is None:
        monkeypatch.setenv("EXPORTCHECK_DATA_DIR", "data")
    db = Path("rel.db") if url else Path("data") / "exportcheck.db"
    dispose_engines()
    try:
        for folder in ("a", "b"):
            (tmp_path / folder).mkdir()
            monkeypatch.chdir(tmp_path / folder)
            _mark(url, folder)
        assert _marks(tmp_path / "a" / db) == ["a"]
        assert _marks(tmp_path / "b" / db) == ["b"]
        if url:  # dispose_engine forgets the current folder's engine, not the first one's
            dispose_engine(url)
            monkeypatch.chdir(tmp_path / "a")
            assert get_engine(url) is get_engine(f"sqlite:///{tmp_path / 'a' / 'rel.db'}")
    finally:
        dispose_engines()
