"""What a shipment post reads of its licence, in two statements (the posting hot path).

1. ``SELECT ... FROM ledger_licence``: the licence row, locked (``FOR UPDATE`` on PostgreSQL; on
   SQLite the ``BEGIN IMMEDIATE`` write lock is already held).
2. *After* the lock is held, ONE statement for everything else: the lines with their drawn
   balances, the parties, the status history, a shipment already posted under the idempotency
   key, and (SQLite) the next audit number. It must not be joined into the locking statement: on
   PostgreSQL rows joined there come from the snapshot taken *before* waiting for the lock,
   i.e. stale balances; a statement started after the wait sees the latest commits.

The second statement is a ``UNION ALL`` of tagged rows in one shared column layout, so one round
trip replaces the four ORM queries (and three relationship loads) a post used to make. SQLite
runs them here (:func:`lock_licence`, :func:`read_terms`) for every post. PostgreSQL sends
:data:`PG_LOCK` and :data:`PG_TERMS` in one pipeline (:mod:`exportcheck.ledger.pgpost`), except
for a post on terms this process cached (:class:`TermsCache`), whose write statement checks
that they are still current instead.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, select, text

from exportcheck.errors import InvalidInput, NotFound
from exportcheck.ledger.models import Licence

_LIC = Licence.__table__.c


@dataclass(slots=True)
class LineRow:
    """A licence line as the post read it (balances current under the licence lock)."""

    id: int
    line_no: int
    classification: str
    unit_basis: str
    unit: str
    qty_milli: int | None
    value_cents: int
    shipped_qty_milli: int
    shipped_value_cents: int


@dataclass(slots=True)
class PartyRow:
    id: int
    role: str
    name: str


@dataclass(slots=True)
class StatusRow:
    """One status event (the history decides the status on the ship date)."""

    id: int
    status: str
    effective: dt.date
    reason: str
    citation: str
    #: the policy event a suspension applies or a reinstatement lifts (ledger.licences.lift)
    policy_event_id: int | None = None


@dataclass(slots=True)
class LicenceRow:
    """The fields of a licence a post checks (attribute names as on the ORM ``Licence``)."""

    id: int
    agency: str
    number: str
    kind: str
    destination: str
    valid_from: dt.date
    valid_to: dt.date
    terms_version: int = 0
    lines: list[LineRow] = field(default_factory=list)
    parties: list[PartyRow] = field(default_factory=list)
    status_events: list[StatusRow] = field(default_factory=list)
    #: what a post derives from these terms (not the balances), made by the first post that
    #: checks them and shared by copies of them (ledger.shipments)
    fixed: Any = None


@dataclass(slots=True)
class PriorShipment:
    """A shipment already recorded under the idempotency key (a replay answers from it)."""

    id: int
    licence_id: int | None
    audit_seq: int
    total_cents: int
    request_hash: str
    licence_exception: str | None
    destination: str
    ship_date: dt.date
    #: reversed since it was posted (ledger.reversals): the replay says so
    reversed: bool = False


@dataclass(slots=True)
class NextEntry:
    """SQLite: the next audit number, ``max + 1`` under the write lock, with the chain head for
    the inline seal (PostgreSQL numbers a post's entry in its write statement)."""

    seq: int
    head_seq: int = 0
    head_hash: str = ""


def missing_licence(number: str, agency: str | None, stored: Sequence[str] = ()) -> NotFound:
    """No licence has this number; ``stored``: the numbers it is spelt otherwise in the ledger
    (``dsp5-hk-2019-001`` for ``DSP5-HK-2019-001``), named so the user can give one of them."""
    where = f"no licence numbered {number!r}" + (f" from {agency}" if agency else "")
    if stored:
        return NotFound(f"{where}: the ledger has it as {' or '.join(map(repr, stored))} "
                        "(give the number as stored)", field="licence_number")
    return NotFound(f"{where} in the ledger (see `exportcheck licences list`)",
                    field="licence_number")


def ambiguous_licence(number: str, agencies: list[str]) -> InvalidInput:
    return InvalidInput(f"licence number {number!r} exists for "
                        f"{', '.join(sorted(agencies))}: give the agency", field="agency")


_COLS = (_LIC.id, _LIC.agency, _LIC.number, _LIC.kind, _LIC.destination, _LIC.valid_from,
         _LIC.valid_to, _LIC.terms_version)
_FIND_ANY = select(*_COLS).where(_LIC.number == bindparam("number"))
_FIND_AGENCY = _FIND_ANY.where(_LIC.agency == bindparam("agency"))

# tag, id, n1..n4, s1..s3, d: lines (L), parties (P), status events (E), the prior shipment (S)
# and the next audit number (Q). The first branch fixes the column types.
_BRANCHES = """
SELECT 'L' AS tag, id, line_no AS n1, qty_milli AS n2, value_cents AS n3,
       shipped_qty_milli AS n4, shipped_value_cents AS n5, classification AS s1,
       unit_basis AS s2, unit AS s3, {null_date} AS d
  FROM ledger_licence_line WHERE licence_id {licence}
UNION ALL SELECT 'P', id, NULL, NULL, NULL, NULL, NULL, role, name, NULL, NULL
  FROM ledger_licence_party WHERE licence_id {licence}
UNION ALL SELECT 'E', id, policy_event_id, NULL, NULL, NULL, NULL, status, reason, citation,
       effective
  FROM ledger_licence_status WHERE licence_id {licence}
UNION ALL SELECT 'S', s.id, s.licence_id, s.audit_seq,
       {total}, {reversed}, NULL, s.request_hash, s.licence_exception, s.destination,
       s.ship_date
  FROM ledger_shipment s WHERE s.idempotency_key = {key}
"""
_TOTAL = "(SELECT sum(value_cents) FROM ledger_shipment_line x WHERE x.shipment_id = s.id)"
_REVERSED = "(SELECT count(*) FROM ledger_shipment_reversal r WHERE r.shipment_id = s.id)"
# plain text (no typed columns: SQLAlchemy would match them by name at every execution); SQLite
# returns its dates as ISO text, converted by _date
_SQLITE_TERMS = text(
    _BRANCHES.format(null_date="NULL", total=_TOTAL, reversed=_REVERSED, licence="= :lid",
                     key=":key")
    + "UNION ALL SELECT 'Q', (SELECT max(seq) FROM audit_log), NULL, seq, NULL, "
      "NULL, NULL, hash, NULL, NULL, NULL FROM audit_head WHERE id = 1")

# PostgreSQL (psycopg placeholders): the terms query is sent before the lock's answer, so it
# finds the licence by number and agency, as the lock does
_PG_LICENCE = ("FROM ledger_licence WHERE number = %(number)s "
               "AND (CAST(%(agency)s AS text) IS NULL OR agency = %(agency)s)")
PG_LOCK = ("SELECT id, agency, number, kind, destination, valid_from, valid_to, terms_version "
           + _PG_LICENCE + " FOR UPDATE")
# The audit number is drawn by the write itself (ledger.pgpost), so a refused or replayed post
# draws none.
PG_TERMS = _BRANCHES.format(null_date="CAST(NULL AS date)", total=f"CAST({_TOTAL} AS bigint)",
                            reversed=_REVERSED, licence=f"IN (SELECT id {_PG_LICENCE})",
                            key="%(key)s")


def _date(value: dt.date | str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def one_licence(rows: Sequence[Sequence[Any]], number: str, agency: str | None) -> LicenceRow:
    """The licence a post names, from the rows found for its number (and agency)."""
    if not rows:
        raise missing_licence(number, agency)
    if len(rows) > 1:
        raise ambiguous_licence(number, [r[1] for r in rows])
    return LicenceRow(*rows[0])


def lock_licence(conn: Connection, number: str, agency: str | None) -> LicenceRow:
    """SQLite: find the licence a shipment draws on (the write lock is held: errors as
    ``find_licence``'s)."""
    if agency:
        rows = conn.execute(_FIND_AGENCY, {"number": number.strip(),
                                           "agency": str(agency).upper()}).all()
    else:
        rows = conn.execute(_FIND_ANY, {"number": number.strip()}).all()
    return one_licence(rows, number, agency)


def read_terms(conn: Connection, lic: LicenceRow | None,
               key: str) -> tuple[PriorShipment | None, NextEntry]:
    """SQLite: fill ``lic``'s lines, parties and status history; return the shipment already
    posted under ``key``, if any, and the next audit number and chain head."""
    rows = conn.execute(_SQLITE_TERMS, {"lid": lic.id if lic is not None else None, "key": key})
    return fill_terms(lic, rows)


def fill_terms(lic: LicenceRow | None, rows: Iterable[Sequence[Any]]
               ) -> tuple[PriorShipment | None, NextEntry]:
    """Sort the tagged rows of a terms query into ``lic``, the prior shipment and (SQLite) the
    next audit number (columns: tag, id, n1..n5, s1..s3, d)."""
    prior, nxt = None, NextEntry(0)
    for tag, id_, n1, n2, n3, n4, n5, s1, s2, s3, d in rows:
        if tag == "L":
            lic.lines.append(LineRow(id_, n1, s1, s2, s3, n2, n3, n4, n5))
        elif tag == "P":
            lic.parties.append(PartyRow(id_, s1, s2))
        elif tag == "E":
            lic.status_events.append(StatusRow(id_, s1, _date(d), s2 or "", s3 or "", n1))
        elif tag == "S":
            prior = PriorShipment(id_, n1, n2, n3 or 0, s1, s2, s3, _date(d), bool(n4))
        else:  # "Q" (SQLite): max(seq) and the chain head
            nxt = NextEntry((id_ or 0) + 1, n2, s1)
    if lic is not None:  # the ORM relationships' order
        lic.lines.sort(key=lambda ln: ln.line_no)
        lic.parties.sort(key=lambda p: p.id)
        lic.status_events.sort(key=lambda ev: ev.id)
    return prior, nxt


def _copy(lic: LicenceRow) -> LicenceRow:
    """A copy whose balances a post may change (parties and events are never changed)."""
    lines = [LineRow(ln.id, ln.line_no, ln.classification, ln.unit_basis, ln.unit, ln.qty_milli,
                     ln.value_cents, ln.shipped_qty_milli, ln.shipped_value_cents)
             for ln in lic.lines]
    return LicenceRow(lic.id, lic.agency, lic.number, lic.kind, lic.destination, lic.valid_from,
                      lic.valid_to, lic.terms_version, lines, lic.parties, lic.status_events,
                      lic.fixed)


def _same_terms(a: LicenceRow, b: LicenceRow) -> bool:
    return a.terms_version == b.terms_version and (
        [(ln.id, ln.shipped_qty_milli, ln.shipped_value_cents) for ln in a.lines]
        == [(ln.id, ln.shipped_qty_milli, ln.shipped_value_cents) for ln in b.lines])


@dataclass(slots=True)
class _Cached:
    lic: LicenceRow
    streak: int = 0  # reads under the lock in a row that found what this process left
    need: int = 1  # the streak needed before posting on the cache (doubles after a miss)


_SHARED: dict[object, TermsCache] = {}
_SHARED_LOCK = threading.Lock()


class TermsCache:
    """PostgreSQL, per process: the terms of the licences this process posted on, as its last
    post on each left them, so that the next post on a licence nobody else draws on is ONE
    statement (:mod:`exportcheck.ledger.pgpost`) instead of two round trips.

    Nothing is trusted: the write states the balances and the ``terms_version`` it was checked
    on, and fails on the server (nothing written) if any differs; the post then reads the terms
    under the lock as usual. Only *quiet* licences are posted on from the cache: a read under
    the lock found exactly what this process's previous post left, ``need`` times in a row.
    ``need`` doubles (to 64) after every failed attempt and halves after a success, so a
    licence shared by busy writers keeps the two-round-trip path instead of failing a cached
    attempt at every post. Thread-safe; at most ``size`` licences.
    """

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._items: OrderedDict[tuple[str, str | None], _Cached] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def shared(cls, engine: object) -> TermsCache:
        """This process's cache for ``engine`` (made on first use): every ``Ledger`` on one
        database shares it, as the REST API makes one per request."""
        with _SHARED_LOCK:
            cache = _SHARED.get(engine)
            if cache is None:
                cache = _SHARED[engine] = cls()
            return cache

    @staticmethod
    def key(number: str, agency: str | None) -> tuple[str, str | None]:
        return number.strip(), str(agency).upper() if agency else None

    def quiet(self, number: str, agency: str | None) -> LicenceRow | None:
        """A private copy of the cached terms, if the licence is quiet."""
        with self._lock:
            item = self._items.get(self.key(number, agency))
            return _copy(item.lic) if item is not None and item.streak >= item.need else None

    def read(self, number: str, agency: str | None, lic: LicenceRow) -> None:
        """Terms read under the lock: one more quiet read if they are what was cached."""
        k = self.key(number, agency)
        with self._lock:
            item = self._items.get(k)
            if item is None:
                item = self._items[k] = _Cached(_copy(lic))
            else:
                item.streak = item.streak + 1 if _same_terms(item.lic, lic) else 0
                item.lic = _copy(lic)
            self._fresh(k)

    def wrote(self, number: str, agency: str | None, lic: LicenceRow,
              draws: Iterable[tuple[int, int, int]], *, cached: bool) -> None:
        """A committed post drew ``(line id, qty_milli, value_cents)`` on the terms ``lic``
        (which it owns), read under the lock or ``cached``."""
        by_id = {ln.id: ln for ln in lic.lines}
        for line_id, q, v in draws:
            by_id[line_id].shipped_qty_milli += q
            by_id[line_id].shipped_value_cents += v
        k = self.key(number, agency)
        with self._lock:
            item = self._items.get(k)
            if item is None:
                item = self._items[k] = _Cached(lic)
            item.lic = lic
            if cached:
                item.need = max(1, item.need // 2)
            self._fresh(k)

    def missed(self, number: str, agency: str | None) -> None:
        """A post on the cached terms failed: they were stale."""
        with self._lock:
            item = self._items.get(self.key(number, agency))
            if item is not None:
                item.streak, item.need = 0, min(64, item.need * 2)

    def _fresh(self, k: tuple[str, str | None]) -> None:
        self._items.move_to_end(k)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
