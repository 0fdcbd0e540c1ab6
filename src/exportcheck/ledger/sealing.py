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
  ``<= H`` went to a transaction that already had an xid (``append_event`` and a shipment's
  write statement, ``pgpost._WRITE``, take the xid before the number), so an xid ``< X``; once
  the oldest running xid (snapshot ``xmin``) is ``>= X`` all of them have ended, and each
  number ``<= H`` is visible or will never exist (a gap, which the chain skips; gaps below the
  sealed head are final, so an entry appearing there later was inserted by hand, and
  ``verify`` says so). The sequence has ``CACHE 1`` so no backend can
  hand out an older number later.

Each :class:`Sealer` keeps the horizons it has taken. On SQLite a write seals after its own
commit (``interval`` 0, or at most once per ``interval`` with a timer for a burst's tail).

On PostgreSQL an attempt costs a horizon plus a seal transaction, as much as a write. When every
writer process attempted on its own (at most once per interval, backing off while others
sealed), 16 writers on 16 licences lost 10-15% of their rate; most of it, measured, was not
the seals but the second connection each process kept for them: idle server sessions slowed
everyone's writes. So **one process per database seals**. A writer process looks at most once
per ``PG_SEAL_CLAIM_INTERVAL`` after a write, with one statement on its own connection between
transactions: is the session advisory lock ``SEALER_LOCK`` free, and how far does the chain
head lag the numbers handed out? If the lock is free it takes it on a connection of its own and
becomes the *sealer*: a thread of it takes a horizon every ``interval`` (default 0.25 s) while
there is work, seals up to the newest *matured* one, polls every ``PG_SEAL_IDLE_POLL`` seconds
when idle (its own writes wake it, others' are seen at the next poll), and resigns after
``PG_SEAL_RESIGN`` idle seconds or on an error. A killed sealer's lock dies with its session,
and the next look takes over. If entries have waited ``PG_SEAL_STALL`` seconds behind a sealer
that holds the lock but does not seal, the looking process seals them itself. Seals never
overlap whoever runs them (``FOR UPDATE SKIP LOCKED`` on the head), so two sealers for a moment
cost time, never the chain. ``interval=0`` keeps the old behaviour on either database: each
write seals after its own commit. :meth:`Sealer.seal` (``audit seal``/``verify``/export) waits
for a fresh horizon to mature.
Opportunistic seals commit with ``synchronous_commit = off``: a seal lost in a server crash is
redone identically (the chain is a pure function of the committed entries in ``seq`` order), and
entries stay verifiable by content hash meanwhile. Explicit seals are durable, since their head
is printed as an anchor.

Left exposed by design: an entry not sealed yet (normally for at most about two intervals, or a
poll when another process wrote it; if the sealer resigns or ends as it is written, until the
next write or seal by anyone) can be deleted
by someone with raw database access without breaking the chain; ``verify`` reports how many
entries are unsealed, and seals them first unless told not to.
"""

from __future__ import annotations

import atexit
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
#: seconds between the sealer's seals on PostgreSQL while there is work (see the module docstring)
PG_SEAL_INTERVAL = 0.25
#: seconds between an idle sealer's looks for other processes' entries
PG_SEAL_IDLE_POLL = 2.0
#: idle seconds after which the sealer resigns (a writer takes over at its next look)
PG_SEAL_RESIGN = 10.0
#: the least seconds between a non-sealing process's looks for a missing or stalled sealer
PG_SEAL_CLAIM_INTERVAL = 1.0
#: how long closing waits for a seal under way in the timer thread (seconds)
CLOSE_WAIT = 10.0
#: seconds entries may wait behind a sealer that holds the lock before others seal them
PG_SEAL_STALL = 5.0
#: the session advisory lock (per database) held by the one sealing process ("ecseal")
SEALER_LOCK = 0x6563_7365_616C
# The look, on the writer's own connection between transactions: is the lock free (a
# transaction-level try, released as the statement ends), and how far the chain head lags the
# numbers handed out (to see a stalled sealer). Only when it is free does the process take a
# connection of its own, held while it leads, for the lock's session (an idle extra connection
# in every writer process cost a tenth of the 16-writer rate here).
_LOOK = (f"SELECT pg_try_advisory_xact_lock({SEALER_LOCK}), "
         "(SELECT seq FROM audit_head WHERE id = 1), "
         "(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END "
         "FROM audit_log_seq)")
_CLAIM = text(f"SELECT pg_try_advisory_lock({SEALER_LOCK})")
_UNCLAIM = f"SELECT pg_advisory_unlock({SEALER_LOCK})"
_UNSEALED = text("SELECT count(*) FROM audit_log WHERE seq > (SELECT seq FROM audit_head)")
_MAX_HORIZONS = 32
_SHARED: weakref.WeakKeyDictionary[Engine, dict[float | None, Sealer]] = \
    weakref.WeakKeyDictionary()
_SHARED_LOCK = threading.Lock()
# connections a forked child inherited from its parent's sealer: kept referenced, never closed
# (closing would end the parent's session, and with it its advisory lock)
_INHERITED: list[object] = []


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
        #: minimum seconds between opportunistic seals (0: after every write)
        self.interval = (PG_SEAL_INTERVAL if self.postgres else 0.0) if interval is None \
            else interval
        # driver errors too: the horizon statements run on the raw connection
        self._errors = (DBAPIError, engine.dialect.loaded_dbapi.Error)
        self._horizons: list[tuple[int, int]] = []  # (H, X), oldest first, not matured yet
        self._ready = 0  # highest H known to have matured: everything <= it is final
        self._sealed = 0  # highest seq this process has seen sealed
        self._fresh_process()

    def _fresh_process(self) -> None:
        """Locks, timer and sealer role of this process (a forked child must not inherit a held
        lock, a timer or a sealer thread that only ran in its parent, nor close its parent's
        connection)."""
        if getattr(self, "_claim_conn", None) is not None:
            _INHERITED.append(self._claim_conn)
        self._pid = os.getpid()
        self._lock = threading.Lock()  # threads may share one Ledger
        self._attempting = threading.Lock()  # one opportunistic seal at a time per process
        self._timer: threading.Timer | None = None
        self._last = -float("inf")  # monotonic time of this process's last attempt
        self._pending = False  # a write since then was left for the timer / the sealer thread
        # PostgreSQL: this process's part in electing the one sealer
        # the sealer's own connection, held while it leads: its session holds SEALER_LOCK, and
        # its horizons and seals run on it (no second connection: idle sessions cost writers)
        self._claim_conn: Connection | None = None
        self.leading = False
        self._wake = threading.Event()  # a write for the sealer thread
        self._stop = threading.Event()  # this process stopped leading
        self._passes = threading.Condition()
        self._pass_count = 0
        self._next_look = 0.0
        self._election = threading.Lock()  # one thread of this process looks at a time
        # (since, head): entries waited behind a chain head that has not moved since then
        self._behind: tuple[float, int] | None = None

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
        ``interval`` of this process's last attempt it only arms the timer (no round trip); on
        PostgreSQL it leaves the work to the one sealer (see the module docstring)."""
        if self._pid != os.getpid():
            self._fresh_process()
        if self.postgres and self.interval:
            self._after_commit_pg(conn)
            return
        if self.interval:
            wait = self._last + self.interval - time.monotonic()
            if wait > 0:
                self._pending = True
                self._arm(wait)
                return
        self._attempt(conn)

    def _after_commit_pg(self, conn: Connection | None) -> None:
        if self.leading:
            self._pending = True
            self._wake.set()
            return
        now = time.monotonic()
        if now < self._next_look or not self._election.acquire(blocking=False):
            return  # looked lately, or another thread of this process is looking
        try:
            self._next_look = now + PG_SEAL_CLAIM_INTERVAL
            self._look(conn, now)
        finally:
            self._election.release()

    def _look(self, conn: Connection | None, now: float) -> None:
        """Take the sealer's lock if it is free; else step in if the head has not moved for
        ``PG_SEAL_STALL`` seconds while entries wait behind it."""
        try:
            if conn is not None:
                free, head, last = self._autocommit(conn, _LOOK)
            else:  # a shipment post's kept connection: no pool checkout, no extra connection
                from exportcheck.ledger import pgpost

                with pgpost.connections(self.engine).cursor() as cur:
                    free, head, last = cur.execute(_LOOK).fetchone()
            got = free and self._claim()
        except self._errors as exc:
            log.warning("audit sealer election deferred: %s", _first_line(exc))
            self._drop_claim_conn()
            return
        if got:
            self.leading, self._stop = True, threading.Event()
            self._attempt(conn)  # the first seal now, then the thread keeps the pace
            threading.Thread(target=_lead, args=(weakref.ref(self), self._stop), daemon=True,
                             name="exportcheck-sealer").start()
            return
        head = head or 0
        if last is None or head >= last:
            self._behind = None  # nothing waits
        elif self._behind is None or head > self._behind[1]:
            self._behind = (now, head)  # entries wait, and the head has moved since: fine
        elif now - self._behind[0] >= PG_SEAL_STALL:
            log.warning("the audit sealer holds its lock but the chain head has stayed at #%d "
                        "for %.0f s: sealing from this process", head, now - self._behind[0])
            self._behind = None
            self._attempt(conn)

    def _claim(self) -> bool:
        """Take the sealer's lock for the session of a connection this process then holds
        while it leads (a session lock outlives the transaction that took it); False if
        another process took it first."""
        conn = self.engine.connect()
        try:
            got = bool(conn.execute(_CLAIM).scalar())
            conn.commit()
        except BaseException:
            conn.close()
            raise
        if got:
            self._claim_conn = conn
        else:
            conn.close()
        return got

    def _drop_claim_conn(self) -> None:
        """Close this process's election connection (and with it any lock it held). The lock
        is released by a statement first: a closed session's locks go only when its server
        process has ended, and until then the next writer to look would find it held."""
        claim, self._claim_conn, self.leading = self._claim_conn, None, False
        self._stop.set()
        if claim is None:
            return
        # not while a seal of this process runs on that same connection
        if self._attempting.acquire(timeout=5.0):
            try:
                with contextlib.suppress(Exception):
                    self._autocommit(claim, _UNCLAIM)
            finally:
                self._attempting.release()
        with contextlib.suppress(Exception):
            claim.invalidate()  # closes its session (and the lock, if the unlock failed)
            claim.close()

    def close(self) -> None:
        """Stop sealing from this process: as the sealer, seal what has matured one last time,
        then resign (another process's next write takes over) and close the election
        connection. Runs at interpreter exit. The Sealer can be used again."""
        if self._pid != os.getpid():
            self._fresh_process()
            return
        if self.leading:
            # the timer thread may be sealing (the last commit woke it): let it finish, so this
            # last seal is not skipped as "busy" and what that commit wrote is sealed too
            if self._attempting.acquire(timeout=CLOSE_WAIT):
                self._attempting.release()
            self._attempt(None)
        self._drop_claim_conn()

    def _attempt(self, conn: Connection | None) -> str:
        """One opportunistic seal (see :meth:`_opportunistic_pg` for what it returns)."""
        if not self._attempting.acquire(blocking=False):
            self._pending = True  # this process's timer is sealing: it looks again after
            return "busy"
        try:
            self._last = time.monotonic()
            self._pending = False
            if not self.postgres:
                self._seal_sqlite()
                return "linked"
            return self._opportunistic_pg(conn)
        except self._errors as exc:
            # a sealer thread told to stop (shutdown) may see its server go: not worth a warning
            stopping = conn is None and self._stop.is_set()
            (log.debug if stopping else log.warning)("audit sealing deferred: %s",
                                                     _first_line(exc))
            if conn is not None:
                with contextlib.suppress(*self._errors):
                    conn.rollback()
            return "error"
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
            self._arm(self.interval)

    def _passed(self) -> None:
        with self._passes:
            self._pass_count += 1
            self._passes.notify_all()

    def flush(self, rounds: int = 10) -> None:
        """Wait for the pending timer seals, if any (at most ``rounds`` of them: one re-arms
        while writes are in flight); as the sealer, for its passes to link this process's
        writes (at most ``rounds`` passes)."""
        if self._pid != os.getpid():
            return
        for _ in range(rounds):
            if self.leading:
                if not (self._pending or self._horizons):
                    return
                with self._passes:
                    seen = self._pass_count
                    self._wake.set()
                    self._passes.wait_for(lambda seen=seen: self._pass_count > seen
                                          or not self.leading,
                                          timeout=max(self.interval, PG_SEAL_IDLE_POLL) + 5)
                continue
            timer = self._timer
            if timer is None:
                return
            timer.join()

    def _opportunistic_pg(self, conn: Connection | None) -> str:
        """One opportunistic seal: ``linked`` (it linked entries), ``other`` (another process
        has sealed past what is ready here, or is sealing now) or ``idle`` (nothing matured).
        ``conn`` None: on the sealer's own connection if this process leads, else a pooled one."""
        before = self._sealed
        if conn is None:
            conn = self._claim_conn if self.leading else None
            if conn is None:
                with self.engine.connect() as pooled:
                    return self._opportunistic_pg(pooled)
        self._take_horizon(conn)
        others = self._sealed > before  # the head moved since this process last saw it
        if self._ready <= self._sealed:
            return "other" if others else "idle"
        return self._link_ready(conn)

    def _link_ready(self, conn: Connection) -> str:
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


@atexit.register
def close_sealers() -> None:
    """Resign every sealer of this process (before its database server goes away, or at
    exit): each seals what has matured, its thread ends and its lock is released."""
    with _SHARED_LOCK:
        sealers = [x for by_interval in _SHARED.values() for x in by_interval.values()]
    for sealer in sealers:
        sealer.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or ["?"])[0]


def _lead(ref: weakref.ReferenceType[Sealer], stop: threading.Event) -> None:
    """The sealer thread: seal at the base pace while there is work, poll when idle, resign
    after ``PG_SEAL_RESIGN`` idle seconds or on an error (its lock's session may be gone).
    Holds the Sealer only weakly, so a Sealer nobody uses any more ends its thread and lock."""
    idle_since = time.monotonic()
    while not stop.is_set():
        sealer = ref()
        if sealer is None:
            return
        busy = sealer._pending or bool(sealer._horizons)
        wake, interval = sealer._wake, sealer.interval
        del sealer
        if not busy:
            wake.wait(PG_SEAL_IDLE_POLL)  # a write here wakes it sooner
            sealer = ref()
            interval = sealer._last + interval - time.monotonic() if sealer is not None else 0
            del sealer
        if interval > 0 and stop.wait(interval):  # the pace: one attempt per interval
            return
        wake.clear()
        sealer = ref()
        if sealer is None:
            return
        outcome = sealer._attempt(None)
        if outcome == "linked" or sealer._pending or sealer._horizons:
            idle_since = time.monotonic()
        # the next process to look after a write takes over
        if outcome == "error" or time.monotonic() - idle_since >= PG_SEAL_RESIGN:
            sealer._drop_claim_conn()
        sealer._passed()
        del sealer
