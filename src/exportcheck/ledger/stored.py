"""Audit entries as the export and the listings show them, whatever the database holds.

SQLite keeps what a raw statement stores, whatever a column's declared type: bytes that are
not UTF-8 in a text column, a BLOB where an entry's payload was. Read through the ORM, such a
row raised in the driver half-way through an export or a page of ``GET /audit``, or reached
``json.dumps`` as bytes. The export is the evidence of a tampered trail (``audit verify``
names the entry, and the export carries that verdict), so it must still be written: each
column is read as its stored bytes and written as text, bytes that are not UTF-8 escaped as
``\\xNN``, and the entry says which of its columns were not stored as text. Nothing is
written back. PostgreSQL refuses such values itself, so there they are read as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, LargeBinary, cast, func, select
from sqlalchemy.orm import Session

from exportcheck.ledger.models import AuditEntry, AuditSeal

_LOG = AuditEntry.__table__
_SEAL = AuditSeal.__table__
#: what is read per entry: its own columns, then its chain link once sealed
_COLUMNS = (
    ("seq", _LOG.c.seq), ("recorded_at", _LOG.c.recorded_at), ("actor", _LOG.c.actor),
    ("kind", _LOG.c.kind), ("payload", _LOG.c.payload), ("versions", _LOG.c.versions),
    ("prev_hash", _LOG.c.prev_hash), ("hash", _LOG.c.hash),
    ("seal_prev", _SEAL.c.prev_hash), ("seal_hash", _SEAL.c.hash))


def stored_value(kind: str | None, raw: bytes | None) -> tuple[Any, str | None]:
    """A SQLite value read as ``(typeof, bytes)``: ``(value, None)``, or the value as text with
    bytes that are not UTF-8 escaped and what is wrong with it."""
    if raw is None:
        return None, None
    data = bytes(raw)
    problems = [] if kind in ("text", "integer") else [f"stored as {kind}, not text"]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", "backslashreplace")
        problems.append(f"text that is not UTF-8 ({exc.reason} at byte {exc.start}), "
                        "written with those bytes escaped as \\xNN")
    if kind == "integer" and not problems:
        return int(text), None
    return text, "; ".join(problems) or None


def stored_entries(session: Session, conditions: list[ColumnElement[bool]], *,
                   newest_first: bool = False, limit: int | None = None, offset: int = 0
                   ) -> Iterator[tuple[dict[str, Any], dict[str, str]]]:
    """Entries matching ``conditions`` in ``seq`` order: ``(values, unreadable)``, the values
    by column (``prev_hash``/``hash`` are the chain link once sealed, the content hash
    before) and, by column, what was stored that the column cannot hold."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    cols: list[Any] = []
    for name, col in _COLUMNS:  # labelled: two columns are named prev_hash, two hash
        cols += ([func.typeof(col).label(f"{name}_type"), cast(col, LargeBinary).label(name)]
                 if sqlite else [col.label(name)])
    stmt = (select(*cols).select_from(_LOG.outerjoin(_SEAL, _SEAL.c.seq == _LOG.c.seq))
            .where(*conditions).order_by(_LOG.c.seq.desc() if newest_first else _LOG.c.seq)
            .limit(limit).offset(offset or None))
    for row in session.execute(stmt.execution_options(yield_per=2000)):
        values: dict[str, Any] = {}
        unreadable: dict[str, str] = {}
        for i, (name, _) in enumerate(_COLUMNS):
            if not sqlite:
                values[name] = row[i]
                continue
            values[name], problem = stored_value(row[2 * i], row[2 * i + 1])
            if problem:
                unreadable[name] = problem
        seal_prev, seal_hash = values.pop("seal_prev"), values.pop("seal_hash")
        for mine, link in (("prev_hash", "seal_prev"), ("hash", "seal_hash")):
            problem = unreadable.pop(link, None)
            if seal_hash is not None:  # sealed: the link replaces the content hash
                unreadable.pop(mine, None)
                if problem:
                    unreadable[mine] = problem
        if seal_hash is not None:
            values["prev_hash"], values["hash"] = seal_prev, seal_hash
        yield values, unreadable
