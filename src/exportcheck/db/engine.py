"""Engines and sessions for SQLite (default) and PostgreSQL (psycopg 3).

SQLite is configured for a multi-process writer workload: WAL journal, a generous busy timeout,
foreign keys on, ``synchronous=FULL`` (a committed compliance record must survive a crash), and
pysqlite's own transaction handling switched off so that we emit ``BEGIN`` ourselves. A write
session (:func:`write_session_factory`) starts with ``BEGIN IMMEDIATE``: it takes SQLite's write
lock *before* reading balances, so a read-check-write sequence cannot interleave with another
writer (the classic lost-update / "database is locked" upgrade failure of deferred transactions).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from exportcheck.errors import InvalidInput
from exportcheck.settings import get_settings

#: Milliseconds a SQLite connection waits for a lock before failing with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 60_000

_cache: dict[str, Engine] = {}
_cache_lock = threading.Lock()


def normalise_url(url: str) -> str:
    """Accept ``postgres://`` / ``postgresql://`` and route them to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_file(url: str) -> Path | None:
    """The file a ``sqlite:///`` URL names, as written (relative or ``~``-expanded); None for
    anything else, an in-memory database, or text that is not a URL (opening it says so)."""
    try:
        parsed = make_url(normalise_url(url))
    except Exception:  # sqlalchemy.exc.ArgumentError
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def missing_configured_database() -> Path | None:
    """The configured database's SQLite file (EXPORTCHECK_DATABASE_URL, else ``exportcheck.db``
    in the data directory) when it does not exist yet; None when it exists or is not a SQLite
    file. Only looks: opening it would create it (and its folder)."""
    settings = get_settings()  # not effective_database_url: that makes the data directory
    url = settings.database_url or f"sqlite:///{settings.data_dir / 'exportcheck.db'}"
    path = sqlite_file(url)
    return None if path is None or path.exists() else path


def absolute_sqlite_url(url: str) -> str:
    """``url`` with a relative SQLite file made absolute against the current folder; other
    URLs (and a ``file:`` URI) as given. A relative file names another file after a chdir:
    keyed and opened by its text, a long-lived process would keep using the first folder's."""
    path = sqlite_file(url)
    if path is None or path.is_absolute() or str(path).startswith("file:"):
        return url
    parsed = make_url(normalise_url(url))
    return parsed.set(database=os.path.abspath(path)).render_as_string(hide_password=False)


def masked_url(url: str | None) -> str:
    """``url`` (or the configured database) with any password replaced by ``***``: safe to
    print in an error message."""
    url = normalise_url(url or get_settings().effective_database_url)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not parseable: hide whatever sits between "//user:" and "@"
        import re

        return re.sub(r"(//[^:/@]*:)[^@/]*@", r"\1***@", url)


def dispose_engine(url: str) -> None:
    """Close and forget this process's cached engine for ``url`` (e.g. before deleting a
    SQLite file that is to be recreated)."""
    key = f"{os.getpid()}:{absolute_sqlite_url(normalise_url(url))}"
    with _cache_lock:
        engine = _cache.pop(key, None)
    if engine is not None:
        engine.dispose()


def _wal(cur: Any) -> None:
    """Switch the file to WAL once; retry while another process holds the lock.

    The switch needs an exclusive lock and SQLite reports "database is locked" at once instead
    of waiting on the busy timeout, so processes opening a fresh file together would fail.
    """
    if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _on_begin)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            _wal(cur)
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


#: A pooled PostgreSQL connection idle longer than this is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 2.0


def _ping_when_idle(engine: Engine) -> None:
    """``pool_pre_ping``, but only for a connection that sat idle in the pool.

    A ping is a round trip: on the ledger's posting path it was one of six per shipment. A
    connection returned moments ago by this process is as good as a pinged one; one that sat
    idle may have been closed by a server restart or an idle timeout, and is replaced (the
    pool retries the checkout when the handler raises ``DisconnectionError``).
    """
    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is not None and time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # a dead connection: let the pool open a new one
            raise DisconnectionError(f"stale pooled connection: {exc}") from exc


def get_engine(url: str | None = None) -> Engine:
    """Return a (cached, per-process) engine for ``url`` or the configured database.
    ``url`` defaults to ``get_settings().effective_database_url``. Engines are cached per URL and
    per process id so forked worker processes never share a parent's connections; a relative
    SQLite file is opened, and cached, by its absolute path in the current folder.
    """

    url = normalise_url(given := url or get_settings().effective_database_url)
    # name where a bad value came from, and the URL a file path probably meant
    where = "EXPORTCHECK_DATABASE_URL=" if given == get_settings().database_url else ""
    try:
        parsed = make_url(url)
    except Exception as exc:  # sqlalchemy.exc.ArgumentError
        path = "://" not in url and ("/" in url or url.endswith((".db", ".sqlite")))
        hint = f"; for a SQLite file write sqlite:///{url}" if path else ""
        raise InvalidInput(f"not a database URL: {where}{masked_url(url)!r} ({exc}){hint}"
                           ) from exc
    if parsed.get_backend_name() == "sqlite" and not parsed.host:
        url = absolute_sqlite_url(url)
        parsed = make_url(url)
    key = f"{os.getpid()}:{url}"
    with _cache_lock:
        engine = _cache.get(key)
        if engine is not None:
            return engine
        if parsed.get_backend_name() == "sqlite":
            _refuse_sqlite_host(url, parsed.host, where)
            if parsed.database and parsed.database != ":memory:":
                folder = Path(parsed.database).expanduser().parent
                try:
                    folder.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise InvalidInput(f"cannot create the folder {folder} for the database "
                                       f"{masked_url(url)}: {exc.strerror}") from None
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
            _configure_sqlite(engine)
        elif parsed.get_backend_name() == "postgresql":
            engine = create_engine(url, pool_size=20, max_overflow=20)
            _ping_when_idle(engine)
        else:
            raise InvalidInput(
                f"unsupported database {parsed.get_backend_name()!r}: use sqlite:/// or "
                "postgresql:// (EXPORTCHECK_DATABASE_URL)"
            )
        _cache[key] = engine
        return engine


def _refuse_sqlite_host(url: str, host: str | None, where: str) -> None:
    """``sqlite://ledger.db`` (two slashes) names a host, which SQLite has none of: refuse it
    with the URL of the file it means, not SQLAlchemy's traceback."""
    if host:
        raise InvalidInput(f"not a SQLite URL: {where}{masked_url(url)!r} names a host; for a "
                           f"SQLite file write {url.replace('://', ':///', 1)} (three slashes "
                           "before a relative path, four before an absolute one)")


def dispose_engines() -> None:
    """Close every cached engine of this process (tests, CLI shutdown).

    Engines a forked child inherited from its parent are dropped without closing their
    connections: those sockets are the parent's, and closing them would end its sessions.
    """
    prefix = f"{os.getpid()}:"
    with _cache_lock:
        for key, engine in _cache.items():
            engine.dispose(close=key.startswith(prefix))
        _cache.clear()


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for reads and ordinary writes (deferred transactions on SQLite)."""
    return sessionmaker(engine, expire_on_commit=False)


def write_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for read-check-write transactions: ``BEGIN IMMEDIATE`` on SQLite.

    On PostgreSQL this is an ordinary READ COMMITTED session; callers lock rows with
    ``SELECT ... FOR UPDATE`` (see :mod:`exportcheck.ledger.audit`).
    """
    if engine.dialect.name == "sqlite":
        engine = engine.execution_options(sqlite_begin="IMMEDIATE")
    return sessionmaker(engine, expire_on_commit=False)
