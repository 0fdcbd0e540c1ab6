"""Shared fixtures: the read-only data beside the repo, an isolated data dir, databases."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from exportcheck.db.engine import dispose_engines
from exportcheck.db.pgtemp import TempPostgres, find_pg_bindir
from exportcheck.ledger.sealing import close_sealers

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
_counter = itertools.count()


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[[list[str]], tuple[int, str, str]]:
    """Run ``exportcheck ARGS`` in-process: (exit code, stdout, stderr)."""
    from cli_helpers import run_cli

    return lambda args: run_cli(capsys, *args)


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (../shared/data beside the repo)")
    return SHARED


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's real data directory or database from a test."""
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("EXPORTCHECK_DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TempPostgres]:
    """One throwaway PostgreSQL 15 cluster per session on a Unix socket, stopped at the end."""
    if find_pg_bindir() is None:
        why = (
            "PostgreSQL server binaries (initdb/pg_ctl) not found. Install postgresql "
            "(scripts/test does) to run the PostgreSQL tests."
        )
        if os.environ.get("CI"):
            pytest.fail(f"{why} CI must run the ledger and screening tests on both databases.")
        pytest.skip(why)
    server = TempPostgres().start()
    try:
        yield server
    finally:
        close_sealers()  # their threads would only log the server's going
        dispose_engines()
        server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
    else:
        server = request.getfixturevalue("pg_server")
        yield server.create_database(f"t{next(_counter)}")
    dispose_engines()
