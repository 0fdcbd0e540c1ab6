"""Programmatic Alembic: bring a database to the newest schema of every branch.

The migration scripts ship inside the package (``exportcheck/db/migrations``), so an installed
exportcheck can upgrade a user's database without an ``alembic.ini`` on disk.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

_done: set[str] = set()


def alembic_config() -> Config:
    """An in-memory Alembic config pointing at the packaged migrations."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(MIGRATIONS_DIR / "versions"))
    return cfg


def current_heads(engine: Engine) -> set[str]:
    """Revisions the database is at (empty for a fresh database)."""
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def script_heads() -> set[str]:
    """Newest revision of every branch shipped with this version of exportcheck."""
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def upgrade(engine: Engine) -> None:
    """Run ``alembic upgrade heads`` on ``engine`` (idempotent, safe from concurrent processes).

    Concurrent callers are serialised inside env.py (``BEGIN IMMEDIATE`` on SQLite, an advisory
    lock on PostgreSQL), so two processes opening a fresh database do not both create tables.
    """
    key = f"{id(engine)}:{engine.url}"
    if key in _done:
        return
    if current_heads(engine) != script_heads():
        cfg = alembic_config()
        cfg.attributes["engine"] = engine
        command.upgrade(cfg, "heads")
    _done.add(key)
