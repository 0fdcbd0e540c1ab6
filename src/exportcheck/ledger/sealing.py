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

Each :class:`Sealer` keeps the horizons it has taken. After a write the Ledger calls
:meth:`Sealer.after_commit`: it takes a horizon, seals up to the newest *matured* one (usually
the one taken at its previous attempt, or this one if no other write was in flight), never
waits, and skips if another process is sealing (``FOR UPDATE SKIP LOCKED``). On PostgreSQL that
costs a horizon plus a seal transaction (six round trips; one if the horizon shows that another
process has sealed that far), as much as the write itself, so a process attempts at most once
per ``interval`` (default 0.25 s there; 0, i.e. after every write, on SQLite, where sealing
costs no round trip): a write inside the interval only arms a timer thread that seals when it
ends, so a burst's last entries are linked within about one interval even if no write follows.
With several writer processes, one sealing at that pace is enough: a process that finds another
one's seals ahead of its own horizon doubles its interval (up to ``PG_SEAL_MAX_INTERVAL``), and
returns to the base interval as soon as it links entries itself. (16 writers each sealing every
0.25 s cost about a fifth of the machine's CPU; the benchmark's 16-writer rate rose by as much.)
:meth:`Sealer.seal` (``audit seal``/``verify``/export) waits for a fresh horizon to mature.
Opportunistic seals commit with ``synchronous_commit = off``: a seal lost in a server crash is
redone identically (the chain is a pure function of the committed entries in ``seq`` order), and
entries stay verifiable by content hash meanwhile. Explicit seals are durable, since their head
is printed as an anchor.

Left exposed by design: an entry not sealed yet (normally for at most about two intervals; if
its process ends before its timer fires, until the next write or seal by anyone) can be deleted
by someone with raw database access without breaking the chain; ``verify`` reports how many
entries are unsealed, and seals them first unless told not to.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
import weakref
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
# BEGIN/ROLLBACK round trips) with an asynchronous commit (nothing to make durable). The chain
# head's seq comes along (a hint only: a seal is not tried when another process got there).
_HORIZON = (
    "SELECT q.h, pg_current_xact_id()::text::bigint, "
    "pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
    "set_config('synchronous_commit', 'off', true), "
    "(SELECT seq FROM audit_head WHERE id = 1) FROM (SELECT CASE WHEN is_called "
    "THEN last_value ELSE last_value - 1 END AS h FROM audit_log_seq OFFSET 0) q")
_XMIN = "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint"
_LOCK_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE"
# the opportunistic seal: lock the head unless another sealer has it, and make this
# transaction's commit asynchronous, in one round trip
_TRY_HEAD = text("SELECT seq, hash, set_config('synchronous_commit', 'off', true) "
                 "FROM audit_head WHERE id = 1 FOR UPDATE SKIP LOCKED")
#: seconds between a process's opportunistic seals on PostgreSQL (see the module docstring)
PG_SEAL_INTERVAL = 0.25
#: the most a process backs off to while other processes' seals leave it nothing to link
PG_SEAL_MAX_INTERVAL = 2.0
_UNSEALED = text("SELECT count(*) FROM audit_log WHERE seq > (SELECT seq FROM audit_head)")
_MAX_HORIZONS = 32
_SHARED: weakref.WeakKeyDictionary[Engine, dict[float | None, Sealer]] = \
    weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()


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
    """Seals one database's audit entries: one per engine and interval in a process (see
    :meth:`shared`), so a Ledger made per request still seals at most once per interval."""

    def __init__(self, engine: Engine, interval: float | None = None) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        #: minimum seconds between this process's opportunistic seals (0: after every write)
        self.interval = (PG_SEAL_INTERVAL if self.postgres else 0.0) if interval is None \
            else interval
        # driver errors too: the horizon statements run on the raw connection
        self._errors = (DBAPIError, engine.dialect.loaded_dbapi.Error)
        self._horizons: list[tuple[int, int]] = []  # (H, X), oldest first, not matured yet
        self._ready = 0  # highest H known to have matured: everything <= it is final
        self._sealed = 0  # highest seq this process has seen sealed
        self._gap = self.interval  # the current interval: backed off while others seal
        self._fresh_process()

    def _fresh_process(self) -> None:
        """Locks and timer of this process (a forked child must not inherit a held lock or a
        timer that only ran in its parent)."""
        self._pid = os.getpid()
        self._lock = threading.Lock()  # threads may share one Ledger
        self._attempting = threading.Lock()  # one opportunistic seal at a time per process
        self._timer: threading.Timer | None = None
        self._last = -float("inf")  # monotonic time of this process's last attempt
        self._pending = False  # a write since then was left for the timer

    @classmethod
    def shared(cls, engine: Engine, interval: float | None = None) -> Sealer:
        """This process's sealer for ``engine`` and ``interval`` (made on first use)."""
        with _SHARED_LOCK:
            by_interval = _SHARED.setdefault(engine, {})
            sealer = by_interval.get(interval)
            if sealer is None:
                sealer = by_interval[interval] = cls(engine, interval)
            return sealer

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
        h, x, xmin, _, head = self._autocommit(conn, _HORIZON)
        self._sealed = max(self._sealed, head or 0)
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
        the writer's connection, idle after its commit (saves a pool checkout). Within
        ``interval`` of this process's last attempt it only arms the timer (no round trip)."""
        if self._pid != os.getpid():
            self._fresh_process()
        if self.interval:
            wait = self._last + self._gap - time.monotonic()
            if wait > 0:
                self._pending = True
                self._arm(wait)
                return
        self._attempt(conn)

    def _attempt(self, conn: Connection | None) -> None:
        if not self._attempting.acquire(blocking=False):
            self._pending = True  # this process's timer is sealing: it looks again after
            return
        try:
            self._last = time.monotonic()
            self._pending = False
            if not self.postgres:
                self._seal_sqlite()
                return
            if conn is not None:
                outcome = self._opportunistic_pg(conn)
            else:
                with self.engine.connect() as own:
                    outcome = self._opportunistic_pg(own)
            # Several writer processes: whoever finds work keeps the pace; a process that finds
            # another one's seals ahead of it backs off (an attempt costs about what a write
            # does, and one process sealing at the pace is enough).
            if outcome == "linked":
                self._gap = self.interval
            elif outcome == "other":
                self._gap = min(self._gap * 2, max(self.interval, PG_SEAL_MAX_INTERVAL))
        except self._errors as exc:
            log.warning("audit sealing deferred: %s", (str(exc).splitlines() or ["?"])[0])
            if conn is not None:
                with contextlib.suppress(*self._errors):
                    conn.rollback()
        finally:
            self._attempting.release()

    def _arm(self, delay: float) -> None:
        """Make sure a timer will attempt a seal after ``delay`` seconds (one per process)."""
        with self._lock:
            if self._timer is not None and self._timer.is_alive():
                return
            self._timer = threading.Timer(delay, self._on_timer)
            self._timer.daemon = True  # never keeps a finished program alive
            self._timer.start()

    def _on_timer(self) -> None:
        self._attempt(None)
        with self._lock:
            self._timer = None
            # writes committed during this attempt, or in flight at its horizon: look again
            again = self._pending or bool(self._horizons)
        if again and self.interval:
            self._arm(self._gap)

    def flush(self, rounds: int = 10) -> None:
        """Wait for the pending timer seals, if any (at most ``rounds`` of them: one re-arms
        while writes are in flight)."""
        for _ in range(rounds):
            timer = self._timer
            if timer is None or self._pid != os.getpid():
                return
            timer.join()

    def _opportunistic_pg(self, conn: Connection) -> str:
        """One opportunistic seal: ``linked`` (it linked entries), ``other`` (another process
        has sealed past what is ready here, or is sealing now) or ``idle`` (nothing matured)."""
        before = self._sealed
        self._take_horizon(conn)
        others = self._sealed > before  # the head moved since this process last saw it
        if self._ready <= self._sealed:
            return "other" if others else "idle"
        head = conn.execute(_TRY_HEAD).first()
        if head is None or head.seq >= self._ready:  # another sealer has it / got there
            self._sealed = max(self._sealed, head.seq if head else 0)
            # COMMIT, not ROLLBACK: nothing was written, and psycopg drops the connection's
            # prepared statements (the writer's, too) on every ROLLBACK
            conn.commit()
            return "other"
        result = link_pending(conn, self._ready, head=(head.seq, head.hash))
        conn.commit()
        self._sealed = result.head_seq
        return "linked" if result.sealed else "idle"

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
