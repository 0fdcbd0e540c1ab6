"""Name the values a raw SQL edit stored that their columns cannot hold (``audit verify``).

SQLite keeps whatever a statement stores, whatever a column's declared type: a ship date
``'2024-13-45'``, a ``recorded_at`` of ``'yesterday'``, bytes that are not UTF-8 in a text
column, a BLOB where an audit payload was. Reading such a row fails (``ValueError``,
``TypeError``, ``OperationalError``) before the chain or the state check can compare it, so
``audit verify`` crashed instead of naming it. When they fail that way, :func:`unreadable`
finds the table, row and column. PostgreSQL refuses such values itself; on both backends the
JSON kept in text columns (a licence's ``provisos``, a policy event's ``filter_json``) may be
edited into text that is not JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from exportcheck.ledger.audit import VerifyResult
from exportcheck.ledger.models import (
    AuditEntry,
    AuditHead,
    AuditSeal,
    Licence,
    LicenceLine,
    LicenceParty,
    LicenceStatusEvent,
    PolicyEvent,
    Shipment,
    ShipmentLine,
    ShipmentReversal,
)

#: what reading a row holding such a value raises (the UTF-8 error is SQLite's own)
READ_ERRORS = (ValueError, TypeError, sa.exc.OperationalError)
AUDIT_TABLES = tuple(m.__table__ for m in (AuditEntry, AuditSeal, AuditHead))
STATE_TABLES = tuple(m.__table__ for m in (
    Licence, LicenceLine, LicenceParty, LicenceStatusEvent, PolicyEvent, Shipment,
    ShipmentLine, ShipmentReversal))
#: text columns that hold JSON
JSON_COLUMNS = {("ledger_licence", "provisos"), ("ledger_policy_event", "filter_json")}
_LIMIT = 10  # per column: enough to name the edit


@dataclass(frozen=True)
class Unreadable:
    """One stored value its column cannot hold; ``seq`` is the audit entry's, if it is one."""

    table: str
    row: str
    column: str
    problem: str
    seq: int | None = None

    def message(self) -> str:
        return (f"{self.table} {self.row}: {self.column} {self.problem} (written outside "
                "exportcheck?)")


def _sqlite_bad(col: sa.Column) -> sa.ColumnElement[bool] | None:
    """SQLite: the condition under which ``col`` holds what its type cannot read back."""
    kind, f = col.type, sa.func
    if isinstance(kind, sa.DateTime):
        return sa.or_(f.typeof(col) != "text", f.datetime(col).is_(None))
    if isinstance(kind, sa.Date):
        return sa.or_(f.typeof(col) != "text", f.date(col).is_distinct_from(col))
    if isinstance(kind, sa.Integer):
        return f.typeof(col) != "integer"
    if isinstance(kind, sa.String):
        return f.typeof(col) != "text"
    return None


def _key(table: sa.Table, row: sa.Row) -> tuple[str, int | None]:
    """``("seq=13", 13)``: how the row is named, and its audit entry if it is one."""
    (pk,) = table.primary_key.columns
    value = row[0]
    seq = value if pk.name == "seq" and isinstance(value, int) else None
    return f"{pk.name}={value!r}", seq


def _scan(session: Session, table: sa.Table, sqlite: bool) -> Iterator[Unreadable]:
    (pk,) = table.primary_key.columns
    for col in table.columns:
        if sqlite and (cond := _sqlite_bad(col)) is not None:
            stmt = (sa.select(pk, sa.func.typeof(col), sa.cast(col, sa.LargeBinary))
                    .where(col.is_not(None), cond).order_by(pk).limit(_LIMIT))
            for row in session.execute(stmt):
                name, seq = _key(table, row)
                shown = bytes(row[2])[:40].decode("utf-8", "backslashreplace")
                yield Unreadable(table.name, name, col.name,
                                 f"holds {row[1]} {shown!r}, not a {col.type}", seq)
        if sqlite and isinstance(col.type, sa.String):  # text that is not UTF-8
            stmt = (sa.select(pk, sa.cast(col, sa.LargeBinary))
                    .where(sa.func.typeof(col) == "text").order_by(pk))
            for row in session.execute(stmt.execution_options(yield_per=2000)):
                try:
                    text = bytes(row[1]).decode("utf-8")
                except UnicodeDecodeError as exc:
                    name, seq = _key(table, row)
                    yield Unreadable(table.name, name, col.name,
                                     f"holds text that is not UTF-8 ({exc.reason} at byte "
                                     f"{exc.start})", seq)
                    continue
                if (table.name, col.name) in JSON_COLUMNS:
                    yield from _not_json(table, row, col, text)
        elif (table.name, col.name) in JSON_COLUMNS:
            for row in session.execute(sa.select(pk, col).order_by(pk)):
                yield from _not_json(table, row, col, row[1])


def _not_json(table: sa.Table, row: sa.Row, col: sa.Column, text: str) -> Iterator[Unreadable]:
    try:
        json.loads(text)
    except ValueError:
        name, seq = _key(table, row)
        yield Unreadable(table.name, name, col.name, f"holds {text[:40]!r}, which is not JSON",
                         seq)


def unreadable(session: Session, tables: tuple[sa.Table, ...]) -> list[Unreadable]:
    """The values in ``tables`` their columns cannot hold, by table and row."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    return [u for table in tables for u in _scan(session, table, sqlite)]


def verify_result(session: Session, chain: VerifyResult | None) -> VerifyResult | None:
    """What ``audit verify`` reports when reading failed: ``chain`` is the chain's result if
    the chain was checked (a state table failed to read), None if the audit tables did. None
    when no such value is found (the failure was something else: raise it)."""
    if chain is None:
        found = unreadable(session, AUDIT_TABLES)
        if not found:
            return None
        first = found[0]
        head = session.execute(sa.select(sa.cast(AuditHead.seq, sa.String),
                                         sa.cast(AuditHead.hash, sa.LargeBinary))).first()
        seq = int(head[0]) if head and str(head[0]).isdecimal() else 0
        digest = bytes(head[1]).decode("utf-8", "replace") if head else ""
        where = f"entry #{first.seq}" if first.seq is not None else "the chain"
        return VerifyResult(False, 0, seq, digest, first.seq,
                            f"{where} cannot be read: {first.message()}")
    found = unreadable(session, STATE_TABLES)
    if not found:
        return None
    first = found[0]
    chain.ok, chain.table, chain.row = False, first.table, first.row
    chain.state_checked = True
    chain.problem = f"table holds a value its column cannot hold: {first.message()}"
    chain.state_mismatches = [u.message() for u in found]
    return chain
