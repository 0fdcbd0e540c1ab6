"""Review 39, command line: ``check``, ``batch`` and ``impact`` with no database at the
configured place answer from the bundled sample lists, as they did, without creating an empty
database (and its folder): they only read. ``check --record`` stores a determination, so it
still creates the database; ``impact --from-lists`` names stored list versions, of which there
are none, and says so without creating one."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

Cli = Callable[[list[str]], tuple[int, str, str]]
SAMPLES_WARNING = "warning: screened against the bundled SAMPLE lists"


@pytest.fixture(autouse=True)
def _fresh_default_screener() -> Iterator[None]:
    """The default screener is kept per process: each test opens (or not) its own database."""
    from exportcheck.screen.service import reset_default_screener

    reset_default_screener()
    yield
    reset_default_screener()


@pytest.fixture
def missing_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """EXPORTCHECK_DATABASE_URL naming a file in a folder not there yet: the folder."""
    folder = tmp_path / "db-folder"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", f"sqlite:///{folder / 'exportcheck.db'}")
    return folder


def _from_empty_database(tmp_path: Path, run: Callable[[], object]) -> object:
    """``run()`` with the configured database an empty, migrated one (what the commands
    created before): the answer a missing database must equal."""
    from exportcheck.db import get_engine, upgrade
    from exportcheck.screen.service import reset_default_screener

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    upgrade(get_engine(url))
    reset_default_screener()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPORTCHECK_DATABASE_URL", url)
        return run()


def _owned_by_sdn(tmp_path: Path) -> Path:
    """An owners file making the end user 60% owned by an SDN of the sample lists: the
    answers depend on the lists screened against."""
    path = tmp_path / "owners.csv"
    path.write_text('owner,owned,percent\n"Banco Nacional de Cuba",Acme Holdings HK,60\n')
    return path


def _orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,item,destination,date,end_user,value\n"
                    "SO-1,EAR99,HK,2021-01-15,Acme Holdings HK,100\n"
                    "SO-2,3A001.a.2,HK,2021-01-15,Huawei Technologies,2500\n"
                    "SO-3,3A001.a.2,DE,2021-01-15,Jane Doe,300\n")
    return path


def test_check_without_a_database_screens_the_samples_and_creates_none(
        cli: Cli, missing_db: Path, tmp_path: Path) -> None:
    args = ["check", "--item", "EAR99", "--to", "HK", "--on", "2021-01-15", "--end-user",
            "Acme Holdings HK", "--owners", str(_owned_by_sdn(tmp_path)), "--json"]

    def run() -> dict:
        code, out, err = cli(args)
        assert code == 0, err
        assert SAMPLES_WARNING in err
        return json.loads(out)

    answer = run()
    assert not missing_db.exists()
    assert answer["lists_version"].startswith("samples:") and answer["hold"] is True
    assert answer == _from_empty_database(tmp_path, run)


def test_check_record_still_creates_the_database_it_records_in(
        cli: Cli, missing_db: Path) -> None:
    """Recording stores the determination: the database is made for it."""
    code, _, err = cli(["check", "--item", "EAR99", "--to", "HK", "--on", "2021-01-15",
                        "--end-user", "Jane Doe", "--record", "--json"])
    assert code == 0, err
    assert "recorded in the audit trail as entry #1" in err
    assert (missing_db / "exportcheck.db").is_file()


def test_batch_without_a_database_writes_the_same_file_and_creates_none(
        cli: Cli, tmp_path: Path) -> None:
    """The default place, EXPORTCHECK_DATA_DIR, not there yet: not made."""
    import os

    data_dir = Path(os.environ["EXPORTCHECK_DATA_DIR"])
    orders, owners = _orders(tmp_path), _owned_by_sdn(tmp_path)

    def run(out: Path) -> bytes:
        code, _, err = cli(["batch", str(orders), "-o", str(out), "--owners", str(owners)])
        assert code == 0, err
        assert SAMPLES_WARNING in err
        return out.read_bytes()

    written = run(tmp_path / "no-db.csv")
    assert not data_dir.exists()
    assert b"Huawei" in written and b"true" in written  # screened: a line is held
    assert written == _from_empty_database(tmp_path, lambda: run(tmp_path / "empty-db.csv"))


def test_impact_without_a_database_writes_the_same_answers_and_creates_none(
        cli: Cli, missing_db: Path, tmp_path: Path) -> None:
    orders, owners = _orders(tmp_path), _owned_by_sdn(tmp_path)

    def run(out: Path) -> tuple[dict, bytes]:
        code, _, err = cli(["impact", str(orders), "--from", "2020-06-29", "--to",
                            "2021-01-15", "-o", str(out), "--owners", str(owners)])
        assert code == 0, err
        assert SAMPLES_WARNING in err
        return (json.loads((out / "summary.json").read_text()),
                (out / "lines.parquet").read_bytes())

    summary, lines = run(tmp_path / "no-db")
    assert not missing_db.exists()
    assert summary["totals"]["lines"] == 3 and summary["totals"]["held_lines"] >= 1
    assert (summary, lines) == _from_empty_database(tmp_path, lambda: run(tmp_path / "empty"))


def test_impact_between_list_versions_without_a_database_says_so_and_creates_none(
        cli: Cli, missing_db: Path, tmp_path: Path) -> None:
    code, _, err = cli(["impact", str(_orders(tmp_path)), "--from-lists", "1", "--to-lists",
                        "2", "--on", "2021-01-15", "-o", str(tmp_path / "out")])
    assert code == 2
    assert f"there is no database {missing_db / 'exportcheck.db'}" in err
    assert "`exportcheck lists load FILES`" in err and "nothing was created" in err
    assert not missing_db.exists() and not (tmp_path / "out").exists()
