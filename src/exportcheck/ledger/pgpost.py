"""PostgreSQL: a shipment post in ONE statement or two round trips, on the raw psycopg connection.

A post reads its licence under a lock, checks it in Python, then writes. Through SQLAlchemy that
was six round trips (a pool ping, ``BEGIN``, the lock, the terms, the write, ``COMMIT``) and, with
16 writers on this 2-core machine, as much CPU in waking processes as in the SQL itself.

* **On cached terms** (:class:`~exportcheck.ledger.snapshot.TermsCache`: a licence this process
  alone has been drawing on), the post is ONE statement, run in autocommit as a transaction of
  its own: it locks the licence ``NOWAIT`` at the terms version it was checked on, draws each
  line from the balance it was checked on, numbers and inserts the audit entry, the shipment
  and its lines. If anything differs it fails and writes nothing; the post then reads.
* **Otherwise** two round trips, the connection in autocommit and ``BEGIN``/``COMMIT`` sent by
  us in psycopg's pipeline mode (psycopg would wait for its own ``BEGIN``):

  1. ``BEGIN``; ``SELECT ... FOR UPDATE`` (the licence); the terms query. The server runs them
     in order, so the terms query takes its READ COMMITTED snapshot only once the lock is
     granted and reads the latest committed balances. It finds the licence by number: the id
     is not known yet when it is sent.
  2. the same write statement; ``COMMIT``. The write fails on the server unless the licence is
     at the version read and every planned line was drawn (``ledger_post_check``, migration
     ledger_0004), so a queued ``COMMIT`` can never commit half a shipment: after an error the
     server skips it.

Driver errors are raised as SQLAlchemy's (:class:`~sqlalchemy.exc.DBAPIError` subclasses), so the
Ledger's retry of lock conflicts, serialization failures and duplicate-key races still applies.

The Ledger runs posts on connections kept by :class:`PostConnections` (per engine and process),
not on a pool checkout per post: SQLAlchemy's checkout and return were a seventh of a post's
client CPU.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
import weakref
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg import pq
from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError

from exportcheck.db.engine import PING_AFTER_IDLE_SECONDS
from exportcheck.ledger.snapshot import (
    PG_LOCK,
    PG_TERMS,
    LicenceRow,
    PriorShipment,
    fill_terms,
    one_licence,
)

# The whole write in one statement. It locks the licence at the terms version it was checked on
# (NOWAIT: held by another post means the cache is stale anyway; a version committed meanwhile
# is re-checked by PostgreSQL on the newest row and no longer matches), takes the xid, then the
# audit number (the sealer's horizon assumes that order: ledger.sealing), and completes the
# entry's content hash from the number (audit.content_tail). Every CTE runs to completion; the
# final SELECT fails the statement (SQLSTATE 40001) unless the licence was locked at that
# version and every planned line was drawn from the balance it was checked on.
_WRITE = """\
WITH k AS MATERIALIZED (
  SELECT id FROM ledger_licence WHERE id = %(licence_id)s AND terms_version = %(terms_version)s
  FOR UPDATE NOWAIT),
x AS MATERIALIZED (SELECT pg_current_xact_id() AS xid),
q AS MATERIALIZED (SELECT nextval('audit_log_seq') AS seq FROM x WHERE x.xid IS NOT NULL),
d AS (
  UPDATE ledger_licence_line AS l
     SET shipped_qty_milli = l.shipped_qty_milli + r.q,
         shipped_value_cents = l.shipped_value_cents + r.v
    FROM json_to_recordset(CAST(%(draws)s AS json))
         AS r(id integer, q bigint, v bigint, cap_q bigint, cap_v bigint, had_q bigint,
              had_v bigint)
   WHERE l.id = r.id AND l.shipped_qty_milli = r.had_q AND l.shipped_value_cents = r.had_v
     AND l.shipped_value_cents + r.v <= r.cap_v
     AND (l.qty_milli IS NULL OR l.shipped_qty_milli + r.q <= r.cap_q)
  RETURNING l.id),
a AS (
  INSERT INTO audit_log (seq, recorded_at, actor, kind, payload, versions, prev_hash, hash)
  SELECT q.seq, %(recorded_at)s, %(actor)s, %(kind)s, %(payload)s, %(versions)s, '',
         encode(sha256(convert_to('[' || q.seq || ',' || CAST(%(tail)s AS text), 'UTF8')),
                'hex')
    FROM q
  RETURNING seq),
s AS (
  INSERT INTO ledger_shipment (idempotency_key, request_hash, licence_id, licence_exception,
      ship_date, destination, consignee, end_user, reference, actor, recorded_at, audit_seq)
  SELECT %(idempotency_key)s, %(request_hash)s, %(licence_id)s, %(licence_exception)s,
         %(ship_date)s, %(destination)s, %(consignee)s, %(end_user)s, %(reference)s, %(actor)s,
         %(shipment_recorded_at)s, a.seq
    FROM a
  RETURNING id),
n AS (
  INSERT INTO ledger_shipment_line (shipment_id, licence_line_id, classification, qty_milli,
      value_cents)
  SELECT s.id, y.licence_line_id, y.classification, y.qty_milli, y.value_cents
    FROM s, json_to_recordset(CAST(%(lines)s AS json))
            AS y(n integer, licence_line_id integer, classification varchar,
                 qty_milli bigint, value_cents bigint)
   ORDER BY y.n)
SELECT ledger_post_check(
         CAST(%(licence_id)s AS integer) IS NULL OR EXISTS (SELECT FROM k),
         CAST((SELECT count(*) FROM d) AS integer), %(n_draws)s) AS drawn,
       (SELECT id FROM s) AS shipment_id, (SELECT seq FROM a) AS seq
"""
def _raise(exc: psycopg.Error, statement: str, params: dict[str, Any]) -> DBAPIError:
    return DBAPIError.instance(statement, params, exc, psycopg.Error)


#: idle connections a process keeps per engine for posts (more concurrent posts use the pool)
KEEP_IDLE = 4
_HOLDERS: weakref.WeakKeyDictionary[Engine, PostConnections] = weakref.WeakKeyDictionary()
_HOLDERS_LOCK = threading.Lock()
# idle connections a forked child inherited: kept referenced, never closed (closing, or the
# pool's clean-up when they are collected, would end the parent's sessions)
_INHERITED: list[object] = []


class PostConnections:
    """PostgreSQL, per engine and process: raw connections for shipment posts, kept checked out
    of the engine's pool and in autocommit between posts, each with the cursor posts write with
    (a pool checkout and return per post cost a seventh of its client CPU, a new cursor per
    statement a tenth of the rest). At most ``keep`` wait idle; a post that finds none checks
    one out of the pool, and it goes back there if ``keep`` are already waiting.

    A connection is kept only if it is idle outside any transaction: whatever a post leaves
    open (a refusal, a replay, an error) is rolled back first, and one that cannot be, or is
    mid-statement, or was dropped by the server, is discarded (a dropped one with every idle
    one: a server restart drops them all). One idle for ``PING_AFTER_IDLE_SECONDS`` is pinged
    before use, as the pool does. ``engine.dispose()`` closes the idle ones."""

    def __init__(self, engine: Engine, keep: int = KEEP_IDLE) -> None:
        self._engine = weakref.ref(engine)
        self._dialect = engine.dialect
        self._keep = keep
        # (pool connection, its cursor, idle since), newest last
        self._idle: list[tuple[Any, psycopg.Cursor, float]] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()

    @contextlib.contextmanager
    def cursor(self) -> Iterator[psycopg.Cursor]:
        """The cursor of a raw psycopg connection in autocommit, idle, for one post (the
        connection: its ``connection``)."""
        fairy, cur = self._take()
        try:
            yield cur
        except DBAPIError as exc:
            if self._dialect.is_disconnect(exc.orig, cur.connection, None):
                # the server session is gone: say so (the Ledger retries such a post)
                exc.connection_invalidated = True
                _discard(fairy, exc.orig)
                fairy = None
                self.close_idle()
            raise
        finally:
            if fairy is not None:
                self._give(fairy, cur)

    def _take(self) -> tuple[Any, psycopg.Cursor]:
        while True:
            with self._lock:
                if self._pid != os.getpid():
                    _INHERITED.extend(self._idle)
                    self._idle, self._pid = [], os.getpid()
                fairy, cur, since = self._idle.pop() if self._idle else (None, None, 0.0)
            if fairy is None:
                break
            if time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
                return fairy, cur
            try:
                cur.execute("SELECT 1")
                return fairy, cur
            except psycopg.Error as exc:  # closed meanwhile (a restart, an idle timeout)
                _discard(fairy, exc)
        engine = self._engine()
        if engine is None:
            raise RuntimeError("the engine of these connections is gone")
        fairy = engine.raw_connection()  # the pool pings one that sat idle there
        try:
            fairy.driver_connection.autocommit = True
            return fairy, fairy.driver_connection.cursor()
        except BaseException:
            fairy.close()
            raise

    def _give(self, fairy: Any, cur: psycopg.Cursor) -> None:
        """Keep ``fairy`` for the next post if it is idle (rolled back if a transaction was left
        open), else discard it; beyond ``keep`` idle ones, return it to the pool."""
        raw = fairy.driver_connection
        try:
            status = raw.pgconn.transaction_status
            if raw.closed or raw.pgconn.pipeline_status != pq.PipelineStatus.OFF or status in (
                    pq.TransactionStatus.ACTIVE, pq.TransactionStatus.UNKNOWN):
                _discard(fairy, None)
                return
            if status != pq.TransactionStatus.IDLE:
                raw.rollback()
        except psycopg.Error as exc:
            _discard(fairy, exc)
            return
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < self._keep:
                self._idle.append((fairy, cur, time.monotonic()))
                return
        cur.close()
        _release(fairy)

    def idle(self) -> list[psycopg.Connection]:
        """The raw connections waiting for the next posts, newest last (to inspect them)."""
        with self._lock:
            return [fairy.driver_connection for fairy, _, _ in self._idle]

    def close_idle(self) -> None:
        """Discard the idle connections (the engine was disposed, or the server dropped one);
        a forked child keeps its parent's referenced instead."""
        with self._lock:
            idle, self._idle = self._idle, []
            mine = self._pid == os.getpid()
        if not mine:
            _INHERITED.extend(idle)
            return
        for fairy, _, _ in idle:
            _discard(fairy, None)


def _discard(fairy: Any, exc: BaseException | None) -> None:
    """Close a connection and drop it from its pool."""
    with contextlib.suppress(Exception):
        fairy.invalidate(exc)


def _release(fairy: Any) -> None:
    """Hand a connection back to its pool as the pool gave it (not in autocommit)."""
    try:
        fairy.driver_connection.autocommit = False
    except psycopg.Error as exc:
        _discard(fairy, exc)
        return
    fairy.close()


def connections(engine: Engine) -> PostConnections:
    """The :class:`PostConnections` of ``engine`` in this process (made on first use)."""
    holder = _HOLDERS.get(engine)
    if holder is None:
        with _HOLDERS_LOCK:
            holder = _HOLDERS.get(engine)
            if holder is None:
                holder = _HOLDERS[engine] = PostConnections(engine)
                event.listen(engine, "engine_disposed", _disposed)
    return holder


def _disposed(engine: Engine) -> None:
    holder = _HOLDERS.get(engine)
    if holder is not None:
        holder.close_idle()


def lock_and_read(raw: psycopg.Connection, number: str | None, agency: str | None,
                  key: str) -> tuple[LicenceRow | None, PriorShipment | None]:
    """Round trip 1 of 2: begin, lock the licence (if the post names one), read its terms and
    the shipment already posted under ``key``."""
    params = {"number": number.strip() if number is not None else None,
              "agency": str(agency).upper() if agency else None, "key": key}
    try:
        with raw.pipeline():
            lock, terms = raw.cursor(), raw.cursor()
            lock.execute("BEGIN")
            if number is not None:
                lock.execute(PG_LOCK, params)
            terms.execute(PG_TERMS, params)
        locked = lock.fetchall() if number is not None else []
        rows = terms.fetchall()
    except psycopg.Error as exc:
        raise _raise(exc, PG_TERMS, params) from exc
    lic = one_licence(locked, number, agency) if number is not None else None
    return lic, fill_terms(lic, rows)[0]


def write_and_commit(raw: psycopg.Connection, lic: LicenceRow | None,
                     draws: list[dict[str, int]], entry: dict[str, Any], shipment: dict[str, Any],
                     lines: list[dict[str, Any]], *, alone: bool = False,
                     cursor: psycopg.Cursor | None = None) -> tuple[int, int]:
    """Draw, insert the audit entry, the shipment and its lines, commit: one round trip;
    returns ``(shipment id, audit number)``. ``draws``: ``{id, q, v, cap_q, cap_v, had_q,
    had_v}`` per licence line (``had_*``: the balance the draw was checked on). ``entry``:
    ``recorded_at, actor, kind, payload, versions`` and ``tail`` (audit.content_tail).

    ``alone``: no transaction is open; the statement runs as a transaction of its own (the
    whole post, for one checked on terms this process cached: :class:`~exportcheck.ledger.
    snapshot.TermsCache`). It fails, writing nothing, if those terms were stale. Otherwise the
    transaction of round trip 1 is open (the licence locked) and ``COMMIT`` is pipelined.
    ``cursor``: one of ``raw``'s to write with (:meth:`PostConnections.cursor`), else a new one.
    """
    params = dict(entry, **{f"shipment_{k}" if k == "recorded_at" else k: v
                            for k, v in shipment.items() if k not in ("actor", "audit_seq")})
    # JSON parameters, not arrays per column: cheaper to send, whatever the number of lines
    params["draws"] = json.dumps(draws)
    params["n_draws"] = len(draws)
    params["lines"] = json.dumps([dict(ln, n=n) for n, ln in enumerate(lines)])
    params["terms_version"] = lic.terms_version if lic is not None else None
    cur = cursor if cursor is not None else raw.cursor()
    try:
        if alone:
            return cur.execute(_WRITE, params).fetchone()[1:]
        with raw.pipeline():
            # prepared at once, in the pipeline (no round trip of its own), not after psycopg's
            # 5 runs: a connection's first post reads under the lock, and so do the first after
            # a rollback (psycopg deallocates every statement then); later ones reuse it
            cur.execute(_WRITE, params, prepare=True)
            raw.cursor().execute("COMMIT")  # skipped by the server if the write failed
        return cur.fetchone()[1:]
    except psycopg.Error as exc:
        raise _raise(exc, _WRITE, params) from exc
