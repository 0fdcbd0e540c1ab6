"""The shared database layer: engine settings, migrations, concurrent first-time upgrades."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys

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


@pytest.mark.empty_db
def test_upgrade_is_idempotent_and_reaches_every_head(db_url):
    engine = get_engine(db_url)
    upgrade(engine)
    upgrade(engine)
    assert current_heads(engine) == script_heads()
    assert any(h.startswith("ledger_") for h in script_heads())
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT seq FROM audit_head")).scalar() == 0


def test_the_shipped_heads_are_the_scripts_heads() -> None:
    """migrate.HEADS spares an up-to-date database the Alembic import: a new migration must
    be added to it (else every command would hand the database to Alembic again)."""
    from exportcheck.db.migrate import HEADS

    assert set(HEADS) == script_heads()


def test_an_up_to_date_database_opens_without_alembic(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(get_engine(url))
    probe = ("import sys\nfrom exportcheck.db import get_engine, upgrade\n"
             f"upgrade(get_engine({url!r}))\nprint('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
    # a database behind the scripts is still upgraded (the fast path skips equal heads only)
    from alembic import command

    from exportcheck.db import migrate

    engine = get_engine(url)
    cfg = migrate.alembic_config()
    cfg.attributes["engine"] = engine
    command.downgrade(cfg, "ledger@-1")
    assert "ledger_0004" in current_heads(engine)
    migrate._done.clear()
    upgrade(engine)
    assert current_heads(engine) == script_heads()
    assert "ledger_shipment_reversal" in sa.inspect(engine).get_table_names()


def _upgrade_in_child(url: str) -> bool:
    try:
        from exportcheck.db import migrate

        migrate._done.clear()
        upgrade(get_engine(url))
        return True
    finally:
        dispose_engines()


@pytest.mark.empty_db
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


def test_the_ledger_works_on_sqlite_without_psycopg(tmp_path):
    """psycopg is the ``postgres`` extra: a SQLite-only install must import and post without it
    (the PostgreSQL posting path imports it when it runs)."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'x.db'}"
    code = (
        "import sys; sys.modules['psycopg'] = None\n"  # any import of psycopg now fails
        "from exportcheck.ledger.api import Ledger\n"
        f"led = Ledger({url!r})\n"
        "led.add_licence({'agency': 'DDTC', 'number': 'L1', 'kind': 'DSP5', 'destination': 'HK',"
        " 'valid_from': '2019-01-01', 'parties': [{'role': 'applicant', 'name': 'A'},"
        " {'role': 'consignee', 'name': 'C'}, {'role': 'end_user', 'name': 'C'}],"
        " 'lines': [{'classification': 'I(a)', 'quantity': 5,"
        " 'value': '500.00'}]})\n"
        "out = led.post_shipment({'idempotency_key': 'k1', 'licence_number': 'L1',"
        " 'ship_date': '2019-06-01', 'destination': 'HK', 'consignee': 'C', 'end_user': 'C',"
        " 'lines': [{'classification': 'I(a)', 'quantity': 1, 'value': '100.00'}]})\n"
        "print(out.created, led.verify_audit().ok)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={**os.environ, "EXPORTCHECK_DATA_DIR": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "True"]


def test_a_file_path_in_the_setting_is_named_with_the_url_it_means(
    tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EXPORTCHECK_DATABASE_URL=/path/ledger.db said only "not a database URL: '/path/...'",
    without the variable it came from or the sqlite:/// URL a path needs (as --db says)."""
    path = tmp_path / "ledger.db"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", str(path))
    with pytest.raises(InvalidInput) as exc:
        get_engine()
    assert f"EXPORTCHECK_DATABASE_URL='{path}'" in str(exc.value)
    assert str(exc.value).endswith(f"for a SQLite file write sqlite:///{path}")
    assert not path.exists()
