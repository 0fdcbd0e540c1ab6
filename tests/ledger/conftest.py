"""Fixtures for the ledger tests: every ledger test runs on SQLite and on PostgreSQL.

The PostgreSQL 15 server is a throwaway cluster started once per test session on a Unix socket
in a temp directory (as the ``postgres`` user when running as root) and stopped at the end;
each test gets its own database. Without server binaries the PostgreSQL variants are skipped
with a message saying so. ``pg_server`` and ``db_url`` live in ``tests/conftest.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ledger_helpers import dsp5, ship

from exportcheck.ledger.api import Ledger


@pytest.fixture
def ledger(db_url: str) -> Ledger:
    return Ledger(db_url)


@pytest.fixture
def on_sqlite(tmp_path: Path) -> Ledger:
    """A SQLite ledger with a licence and three shipments, its trail verified: for tests that
    write to it as only raw SQL can (SQLite stores what a statement gives it)."""
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    ledger.add_licence(dsp5())
    for i in range(3):
        ledger.post_shipment(ship(f"s{i}", value="100.00"))
    assert ledger.verify_audit().ok
    return ledger
