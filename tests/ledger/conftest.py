"""Fixtures for the ledger tests: every ledger test runs on SQLite and on PostgreSQL.

The PostgreSQL 15 server is a throwaway cluster started once per test session on a Unix socket
in a temp directory (as the ``postgres`` user when running as root) and stopped at the end;
each test gets its own database. Without server binaries the PostgreSQL variants are skipped
with a message saying so. ``pg_server`` and ``db_url`` live in ``tests/conftest.py``.
"""

from __future__ import annotations

import pytest

from exportcheck.ledger.api import Ledger


@pytest.fixture
def ledger(db_url: str) -> Ledger:
    return Ledger(db_url)
