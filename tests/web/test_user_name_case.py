"""User names are unique ignoring case in the database itself, not only in the service."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy.exc import IntegrityError

from exportcheck.accounts import Accounts
from exportcheck.db.migrate import alembic_config, upgrade
from exportcheck.errors import InvalidInput

PASSWORD = "a long enough password"


def test_the_database_refuses_a_name_differing_only_in_case(db_url: str) -> None:
    accounts = Accounts(db_url)
    accounts.add_user("Olivia", "officer", PASSWORD, actor="test")
    engine = sa.create_engine(db_url)
    # what a second process would do after both passed the service's read-then-insert check
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO accounts_users (name, role, password_hash, created_at, disabled) "
            "VALUES ('OLIVIA', 'admin', NULL, CURRENT_TIMESTAMP, false)"))
    with engine.connect() as conn:
        names = conn.execute(sa.text("SELECT name FROM accounts_users")).scalars().all()
    engine.dispose()
    assert names == ["Olivia"]
    with pytest.raises(InvalidInput, match=r"'Olivia' already exists .*ignoring case"):
        accounts.add_user("olivia", "admin", PASSWORD, actor="test")


def test_upgrade_over_names_differing_in_case_names_them_and_keeps_the_data(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = sa.create_engine(url)
    cfg = alembic_config()
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "accounts_0001")  # the schema before the case-blind index
    with engine.begin() as conn:
        for name in ("olivia", "Olivia", "victor"):
            conn.execute(sa.text(
                "INSERT INTO accounts_users (name, role, password_hash, created_at, disabled) "
                "VALUES (:n, 'viewer', NULL, CURRENT_TIMESTAMP, false)"), {"n": name})
    with pytest.raises(RuntimeError, match=r"differ only in case: 'olivia' \(2 accounts\)"):
        upgrade(engine)
    with engine.connect() as conn:
        kept = sorted(conn.execute(sa.text("SELECT name FROM accounts_users")).scalars())
    engine.dispose()
    assert kept == ["Olivia", "olivia", "victor"]
