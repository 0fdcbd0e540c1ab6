"""Alembic environment for exportcheck (all branches: ledger, screening, ...).

Used programmatically by :func:`exportcheck.db.migrate.upgrade`, which passes the engine in
``config.attributes["engine"]``; falls back to the configured database URL (for the alembic CLI:
``alembic -c <ini with script_location = src/exportcheck/db/migrations> revision ...``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from exportcheck.db.base import Base
from exportcheck.db.engine import get_engine

# Import every package that defines tables so autogenerate sees them. Missing packages are
# tolerated so each concern can be developed independently.
for _mod in ("exportcheck.ledger.models", "exportcheck.screen.models",
             "exportcheck.accounts.models", "exportcheck.impact.store"):
    try:
        __import__(_mod)
    except ModuleNotFoundError as _exc:
        if _exc.name != _mod:  # a real missing dependency, not an absent models module
            raise

config = context.config
target_metadata = Base.metadata

# Serialises concurrent upgrades on PostgreSQL; any constant works, it only must be the same
# in every process.
_PG_MIGRATION_LOCK = 0x6578_7063_6B00  # "expck"


def run_migrations_online() -> None:
    engine = config.attributes.get("engine") or get_engine()
    if engine.dialect.name == "sqlite":
        # take SQLite's write lock before alembic reads alembic_version
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=engine.dialect.name == "sqlite",
            # SQLite runs DDL in transactions; without this alembic commits after every
            # migration, releasing the write lock so that a concurrent upgrade could read an
            # old alembic_version and apply the same migration twice
            transactional_ddl=True,
        )
        with context.begin_transaction():
            if engine.dialect.name == "postgresql":
                lock = text("SELECT pg_advisory_xact_lock(:k)")
                connection.execute(lock, {"k": _PG_MIGRATION_LOCK})
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("exportcheck migrations run online only (exportcheck.db.migrate.upgrade)")
run_migrations_online()
