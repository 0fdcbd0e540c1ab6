"""The shared database layer: engine settings, migrations, concurrent first-time upgrades."""

from __future__ import annotations

import multiprocessing
import os

import pytest
import sqlalchemy as sa

from exportcheck.db import get_engine, upgrade
from exportcheck.db.engine import dispose_engines, normalise_url
from exportcheck.db.migrate import current_heads, script_heads
from exportcheck.errors import InvalidInput


def test_sqlite_engine_settings(tmp_path):
    engine = get_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")  # creates the directory
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 10_000
        assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_default_database_is_in_the_data_dir(tmp_path):
    assert str(get_engine().url).endswith(str(tmp_path / "data" / "exportcheck.db"))


def test_urls():
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    with pytest.raises(InvalidInput, match="unsupported database"):
        get_engine("mysql://u@h/d")
    with pytest.raises(InvalidInput, match="not a database URL"):
        get_engine("::nonsense::")


def test_upgrade_is_idempotent_and_reaches_every_head(db_url):
    engine = get_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_heads(engine) == script_heads()
    assert any(h.startswith("ledger_") for h in script_heads())
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT seq FROM audit_head")).scalar() == 0


def _upgrade_in_child(url: str) -> bool:
    try:
        from exportcheck.db import migrate

        migrate._done.clear()
        upgrade(get_engine(url))
        return True
    finally:
        dispose_engines()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_concurrent_first_upgrades_do_not_collide(db_url):
    dispose_engines()
    with multiprocessing.get_context("fork").Pool(6) as pool:
        assert all(pool.map(_upgrade_in_child, [db_url] * 6))
    assert current_heads(get_engine(db_url)) == script_heads()


@pytest.mark.postgres
def test_a_pooled_connection_idle_long_enough_is_pinged_and_replaced_when_dead(pg_server,
                                                                               monkeypatch):
    """No ping per checkout (a round trip a post cannot spare), but a connection that sat in
    the pool is checked first: one whose server session was ended is replaced, not handed out."""
    from exportcheck.db import engine as engine_mod

    engine = get_engine(pg_server.create_database("ping"))
    with engine.connect() as c:
        first = c.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    with engine.connect() as c:  # returned moments ago: the same session, no ping needed
        assert c.exec_driver_sql("SELECT pg_backend_pid()").scalar() == first
    with sa.create_engine(engine.url, poolclass=sa.pool.NullPool).connect() as admin:
        admin.exec_driver_sql(f"SELECT pg_terminate_backend({first})")
    monkeypatch.setattr(engine_mod, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if it sat idle
    with engine.connect() as c:
        second = c.exec_driver_sql("SELECT pg_backend_pid()").scalar()
    assert second != first
