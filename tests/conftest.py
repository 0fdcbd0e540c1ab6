"""Shared fixtures: the read-only data beside the repo, an isolated data dir, databases."""

from __future__ import annotations

import itertools
import os
import shutil
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


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    """Argon2 at its cheapest in this process: the shipped parameters (64 MiB, 3 passes) cost
    a tenth of a second a hash, and the sign-in limit tests alone hash hundreds of guesses.
    Still argon2id, checked by the same code; servers the tests start as processes, and
    test_password_hashing's check of the shipped parameters, are untouched."""
    from argon2 import PasswordHasher

    from exportcheck.accounts import service

    shipped = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    service._hasher = shipped


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Debian chromium per test process (a launch costs two seconds); each test
    opens its own context, so no cookies or storage pass between tests."""
    from tests.browser import require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                               args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


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
        server.stop(wait_for_removal=False)


class MigratedTemplates:
    """Databases brought to the newest schema once per session (per xdist worker), copied for
    each test: running every migration for each of a thousand tests cost about a tenth of a
    second on SQLite and a fifth on PostgreSQL each."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sqlite: Path | None = None
        self.postgres = False

    @staticmethod
    def _upgrade(url: str) -> None:
        import sqlalchemy as sa

        from exportcheck.db.migrate import upgrade

        engine = sa.create_engine(url)
        try:
            upgrade(engine)
        finally:
            engine.dispose()

    def sqlite_copy(self, target: Path) -> str:
        if self.sqlite is None:
            path = self.folder / "migrated.db"
            self._upgrade(f"sqlite:///{path}")
            self.sqlite = path
        shutil.copyfile(self.sqlite, target)
        return f"sqlite:///{target}"

    def postgres_copy(self, server: TempPostgres, name: str) -> str:
        if not self.postgres:
            self._upgrade(server.create_database("migrated_template"))
            self.postgres = True
        return server.create_database(name, template="migrated_template")


@pytest.fixture(scope="session")
def _migrated(tmp_path_factory: pytest.TempPathFactory) -> MigratedTemplates:
    return MigratedTemplates(tmp_path_factory.mktemp("migrated"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path,
           _migrated: MigratedTemplates) -> Iterator[str]:
    """A database URL of the test's own on each backend, at the newest schema (a copy of one
    migrated database); empty for a test marked ``empty_db`` (it tests the migrations)."""
    empty = request.node.get_closest_marker("empty_db") is not None
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        yield f"sqlite:///{path}" if empty else _migrated.sqlite_copy(path)
    else:
        server = request.getfixturevalue("pg_server")
        name = f"t{next(_counter)}"
        yield (server.create_database(name) if empty
               else _migrated.postgres_copy(server, name))
    dispose_engines()
