"""Sealing: linking committed audit entries into the hash chain *after* their commit.

Why: until migration ``ledger_0002`` every write took the single chain head (``UPDATE
audit_head``) and held it until its commit was on disk, so all writers - even on different
licences - queued behind one fsync at a time (137-256 shipments/s whatever the number of
writers). Now a write only numbers its entry and stores its content hash
(:func:`exportcheck.ledger.audit.append_event`); the links are added here, in ``seq`` order,
under the head lock, in a short transaction no writer waits for. Over-draw is still prevented
by the licence row lock (:mod:`exportcheck.ledger.shipments`), which is all a shipment needs.

The hard part is *how far* a sealer may go. Sealing past a number that may still commit would
leave that entry out of the chain for ever (or force a reorder), so:

* **SQLite** has one writer at a time: a sealer holding the write lock (``BEGIN IMMEDIATE``)
  sees every entry that will ever have a number below the newest one, and seals them all. By
  default a SQLite write seals inside its own transaction (no extra commit at all).
* **PostgreSQL** sequences are not transactional: entry 5 may commit after 6 is visible, or
  never (rollback, killed client). A *horizon* is taken as ``H`` = the sequence's last value,
  *then* ``X`` = a transaction id assigned to the sealer's own transaction. Every number
  ``<= H`` went to a transaction that already had an xid (``append_event`` takes the xid before
  the number), so an xid ``< X``; once the oldest running xid (snapshot ``xmin``) is ``>= X``
  all of them have ended, and each number ``<= H`` is visible or will never exist (a gap, which
  the chain skips; gaps below the sealed head are final, so an entry appearing there later was
  inserted by hand, and ``verify`` says so). The sequence has ``CACHE 1`` so no backend can
  hand out an older number later.

Each :class:`Sealer` keeps the horizons it has taken. After each write the Ledger calls
:meth:`Sealer.after_commit`: it takes a horizon, seals up to the newest *matured* one (usually
the one taken at its previous write), never waits, and skips if another process is sealing
(``FOR UPDATE SKIP LOCKED``). :meth:`Sealer.seal` (``audit seal``/``verify``/export) waits for a
fresh horizon to mature. Opportunistic seals commit with ``synchronous_commit = off``: a seal lost
in a server crash is redone identically (the chain is a pure function of the committed entries
in ``seq`` order), and entries stay verifiable by content hash meanwhile. Explicit seals are
durable, since their head is printed as an anchor.

Left exposed by design: an entry not sealed yet (normally for about one commit latency) can be
deleted by someone with raw database access without breaking the chain; ``verify`` reports how
many entries are unsealed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from exportcheck.ledger.audit import link_pending

log = logging.getLogger(__name__)

# One round trip, in this order: H = the sequence's last number (the subquery, fenced by OFFSET
# 0, is read first), then X = an xid assigned to this statement's transaction (every xid handed
# out before it is smaller), and the xmin of the statement's snapshot (to mature older
# horizons). The snapshot's xmax is no substitute for X: it is one past the latest *completed*
# xid, and a running transaction with a newer xid is not in its list. Run in autocommit (no
# BEGIN/ROLLBACK round trips) with an asynchronous commit (nothing to make durable).
_HORIZON = (
    "SELECT q.h, pg_current_xact_id()::text::bigint, "
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
    "set_config('synchronous_commit', 'off', true) FROM (SELECT CASE WHEN is_called "
    "THEN last_value ELSE last_value - 1 END AS h FROM audit_log_seq OFFSET 0) q")
_XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_LOCK_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
_ASYNC_COMMIT = text("SET LOCAL synchronous_commit TO OFF")
_UNSEALED = text("SELECT count(*) FROM audit_log WHERE seq > (SELECT seq FROM audit_head)")
_MAX_HORIZONS = 32


@dataclass
class SealResult:
    """What a seal did: entries linked, the chain head after it, entries still unsealed
    (entries that may still be in flight, or after an edited one), and why it stopped early."""

    sealed: int
    head_seq: int
    head_hash: str
    unsealed: int
    blocked: str = ""


class Sealer:
    """Seals one database's audit entries; one per :class:`~exportcheck.ledger.api.Ledger`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        # driver errors too: the horizon statements run on the raw connection
        self._errors = (DBAPIError, engine.dialect.loaded_dbapi.Error)
        self._lock = threading.Lock()  # threads may share one Ledger
        self._horizons: list[tuple[int, int]] = []  # (H, X), oldest first, not matured yet
        self._ready = 0  # highest H known to have matured: everything <= it is final
        self._sealed = 0  # highest seq this process has seen sealed

    # -- PostgreSQL horizons -----------------------------------------------------------------
    @staticmethod
    def _autocommit(conn: Connection, sql: str) -> tuple:
        """One statement as its own transaction on ``conn`` (idle: between transactions)."""
        raw = conn.connection.driver_connection
        raw.autocommit = True
        try:
            return raw.execute(sql).fetchone()
        finally:
            raw.autocommit = False

    def _take_horizon(self, conn: Connection) -> None:
        """Record a horizon (H, X) and mature older ones."""
        h, x, xmin, _ = self._autocommit(conn, _HORIZON)
        with self._lock:
            if h > self._ready and (not self._horizons or h > self._horizons[-1][0]):
                if len(self._horizons) >= _MAX_HORIZONS:  # keep the oldest: they mature first
                    self._horizons.pop()
                self._horizons.append((h, x))
        self._mature(xmin)

    def _mature(self, xmin: int) -> None:
        """Horizons whose X is at or below the oldest running xid have matured: every
        transaction that could hold a number up to their H has ended."""
        with self._lock:
            while self._horizons and self._horizons[0][1] <= xmin:
                self._ready = max(self._ready, self._horizons.pop(0)[0])

    # -- sealing ------------------------------------------------------------------------------
    def after_commit(self, conn: Connection | None = None) -> None:
        """Seal what is already safe to seal, without waiting for anyone (best effort: a
        failure here is logged, never raised - the write it follows has committed). ``conn``:
        the writer's connection, idle after its commit (saves a pool checkout)."""
        try:
            if not self.postgres:
                self._seal_sqlite()
            elif conn is not None:
                self._opportunistic_pg(conn)
            else:
                with self.engine.connect() as own:
                    self._opportunistic_pg(own)
        except self._errors as exc:
            log.warning("audit sealing deferred: %s", (str(exc).splitlines() or ["?"])[0])
            if conn is not None:
                with contextlib.suppress(*self._errors):
                    conn.rollback()

    def _opportunistic_pg(self, conn: Connection) -> None:
        self._take_horizon(conn)
        if self._ready <= self._sealed:
            return
        conn.execute(_ASYNC_COMMIT)
        head = conn.execute(text(_LOCK_HEAD + " SKIP LOCKED")).first()
        if head is None or head.seq >= self._ready:  # another sealer has it / got there
            self._sealed = max(self._sealed, head.seq if head else 0)
            conn.rollback()
            return
        result = link_pending(conn, self._ready, head=(head.seq, head.hash))
        conn.commit()
        self._sealed = result.head_seq

    def _seal_sqlite(self) -> SealResult:
        with self.engine.execution_options(sqlite_begin="IMMEDIATE").connect() as conn:
            result = link_pending(conn, None)
            conn.commit()
            self._sealed = result.head_seq
            unsealed = conn.execute(_UNSEALED).scalar() or 0
        return SealResult(result.sealed, result.head_seq, result.head_hash, unsealed,
                          result.blocked)

    def seal(self, *, timeout: float = 30.0) -> SealResult:
        """Seal every entry committed before this call (on PostgreSQL: wait up to ``timeout``
        seconds for transactions in flight to end; what they commit later is left for the next
        seal). Durable; returns the new head, to record as an anchor."""
        if not self.postgres:
            return self._seal_sqlite()
        with self.engine.connect() as conn:
            self._take_horizon(conn)
            target = self._horizons[-1][0] if self._horizons else self._ready
            deadline = time.monotonic() + timeout
            pause = 0.001
            while self._ready < target and time.monotonic() < deadline:
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
                self._mature(self._autocommit(conn, _XMIN)[0])
            head = conn.execute(text(_LOCK_HEAD)).one()
            result = link_pending(conn, self._ready, head=(head.seq, head.hash))
            conn.commit()
            self._sealed = result.head_seq
            unsealed = conn.execute(_UNSEALED).scalar() or 0
            conn.rollback()
        return SealResult(result.sealed, result.head_seq, result.head_hash, unsealed,
                          result.blocked)
