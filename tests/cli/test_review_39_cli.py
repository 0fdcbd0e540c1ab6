"""Review 39, command line: ``screen NAME`` with no database at the configured place screens
against the bundled sample lists, as it did, without creating an empty database (and its
folder) as a side effect: it only reads, and nothing is stored yet."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Cli = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture(autouse=True)
def _fresh_default_screener() -> None:
    """The default screener is kept per process: forget an earlier test's, so each test
    opens (or not) its own database."""
    from exportcheck.screen.service import reset_default_screener

    reset_default_screener()


@pytest.fixture
def empty_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "empty-data"
    data.mkdir()
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(data))
    return data


def _screen(cli: Cli, *args: str) -> dict:
    code, out, err = cli(["screen", "Huawei Technologies", "--json", *args])
    assert code == 0, err
    # the fallback is still announced: a screen must never pass quietly on the demo lists
    assert "warning: screened against the bundled SAMPLE lists" in err
    return json.loads(out)


def test_screen_without_a_database_answers_from_the_samples_and_creates_none(
        cli: Cli, empty_data_dir: Path, tmp_path: Path) -> None:
    answer = _screen(cli)
    assert list(empty_data_dir.iterdir()) == []  # no exportcheck.db, -wal, -shm
    assert answer["sample_lists"] is True
    assert answer["lists_version"].startswith("samples:")
    assert {h["matched_name"] for h in answer["hits"]} >= {"Huawei Technologies Co., Ltd."}
    # the same answer as from an empty database (which the command used to create)
    from exportcheck.db import get_engine, upgrade
    from exportcheck.screen.service import reset_default_screener

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(get_engine(url))
    reset_default_screener()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPORTCHECK_DATABASE_URL", url)
        from_empty_db = _screen(cli)
    assert answer == from_empty_db


def test_screen_with_a_missing_database_url_file_creates_none(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """EXPORTCHECK_DATABASE_URL naming a SQLite file not there yet: the same."""
    folder = tmp_path / "db-folder"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", f"sqlite:///{folder / 'ledger.db'}")
    answer = _screen(cli)
    assert answer["sample_lists"] is True and answer["hits"]
    assert not folder.exists()


def test_screen_with_a_database_still_reads_its_lists(
        cli: Cli, empty_data_dir: Path) -> None:
    """Once lists are loaded (which creates the database), screen reads them, not the
    samples."""
    from exportcheck.screen.service import SAMPLES_DIR

    code, _, err = cli(["lists", "load", str(SAMPLES_DIR / "consolidated.csv")])
    assert code == 0, err
    assert (empty_data_dir / "exportcheck.db").exists()
    code, out, err = cli(["screen", "Huawei Technologies", "--json"])
    assert code == 0, err
    answer = json.loads(out)
    assert answer["sample_lists"] is False
    assert "SAMPLE" not in err
