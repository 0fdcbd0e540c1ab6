"""Programmatic Alembic: bring a database to the newest schema of every branch.

The migration scripts ship inside the package (``exportcheck/db/migrations``), so an installed
exportcheck can upgrade a user's database without an ``alembic.ini`` on disk.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: the newest revision of every branch this version ships (a test keeps it equal to the
#: scripts' heads): a database already at them is not handed to Alembic, whose import costs
#: about a quarter of a second on every command that opens the database
HEADS = frozenset({"accounts_0003", "impact_0001", "ledger_0005", "screening_0007"})

_done: set[str] = set()
_UPGRADE_LOCK = threading.Lock()


def alembic_config() -> Config:
    """An in-memory Alembic config pointing at the packaged migrations."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    return cfg


def current_heads(engine: Engine) -> set[str]:
    """Revisions the database is at (empty for a fresh database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def script_heads() -> set[str]:
    """Newest revision of every branch shipped with this version of exportcheck."""
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def _stored_heads(engine: Engine) -> set[str] | None:
    """The revisions ``alembic_version`` records, read with plain SQL (None when it cannot be
    read: a new database, or one Alembic never touched)."""
    try:
        with engine.connect() as conn:
            return {r[0] for r in conn.execute(sa.text("SELECT version_num FROM alembic_version"))}
    except sa.exc.DBAPIError:
        return None


def upgrade(engine: Engine) -> None:
    """Run ``alembic upgrade heads`` on ``engine`` (idempotent, safe from concurrent processes).

    Concurrent callers are serialised inside env.py (``BEGIN IMMEDIATE`` on SQLite, an advisory
    lock on PostgreSQL), so two processes opening a fresh database do not both create tables.
    """
    key = f"{id(engine)}:{engine.url}"
    if key in _done:
        return
    # Alembic runs its migrations through module-level state (alembic.context): two threads of
    # one process upgrading at once, even two databases, failed with KeyError('config')
    with _UPGRADE_LOCK:
        if key in _done:
            return
        if _stored_heads(engine) != HEADS and current_heads(engine) != script_heads():
            from alembic import command

            cfg = alembic_config()
            cfg.attributes["engine"] = engine
            command.upgrade(cfg, "heads")
        _done.add(key)
