"""The one declarative base every ORM model in exportcheck shares.

All concerns (ledger, screening, ...) put their tables on this ``Base.metadata`` so that one
Alembic environment (:mod:`exportcheck.db.migrations`) sees them all.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Deterministic constraint names: Alembic can then alter/drop them on every backend (SQLite
# batch mode needs named constraints).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base for all exportcheck tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def as_utc(t: dt.datetime) -> dt.datetime:
    """A stored time with its zone: every table keeps UTC, and SQLite hands times back naive."""
    return t if t.tzinfo else t.replace(tzinfo=dt.UTC)
