"""The Alembic migrations build exactly the tables the SQLAlchemy models declare."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine

from exportcheck.accounts import models as accounts_models
from exportcheck.db.base import Base
from exportcheck.db.migrate import upgrade
from exportcheck.impact import store as impact_store
from exportcheck.ledger import models as ledger_models
from exportcheck.screen import models as screen_models

#: importing a package's models registers its tables on Base.metadata
PACKAGES = (accounts_models, impact_store, ledger_models, screen_models)


# SQLite cannot reflect the expression index on lower(name) (accounts): the comparison skips
# it, and says so twice
@pytest.mark.empty_db
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrations_match_the_models(db_url: str) -> None:
    engine = create_engine(db_url)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
