"""Fixtures for the ledger tests: every ledger test runs on SQLite and on PostgreSQL.

The PostgreSQL 15 server is a throwaway cluster started once per test session on a Unix socket
in a temp directory (as the ``postgres`` user when running as root) and stopped at the end;
each test gets its own database. Without server binaries the PostgreSQL variants are skipped
with a message saying so.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from exportcheck.db.engine import dispose_engines
from exportcheck.db.pgtemp import TempPostgres, find_pg_bindir
from exportcheck.ledger.api import Ledger

_counter = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch) -> None:
    """Never touch the user's real data directory or database."""
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("EXPORTCHECK_DATABASE_URL", raising=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[TempPostgres]:
    if find_pg_bindir() is None:
        pytest.skip("PostgreSQL server binaries (initdb/pg_ctl) not found: PostgreSQL ledger "
                    "tests skipped. Install postgresql (scripts/test does) to run them.")
    server = TempPostgres().start()
    try:
        yield server
    finally:
        dispose_engines()
        server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        server = request.getfixturevalue("pg_server")
        yield server.create_database(f"t{next(_counter)}")
    dispose_engines()


@pytest.fixture
def ledger(db_url) -> Ledger:
    return Ledger(db_url)
