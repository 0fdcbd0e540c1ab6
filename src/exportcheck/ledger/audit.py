"""Append-only, hash-chained audit trail of every state change (15 CFR Part 762 records).

Each entry stores its inputs as canonical JSON *text* and the hash
``sha256(canonical([seq, recorded_at, actor, kind, payload, versions, prev_hash]))``; the
previous entry's hash is part of the next, so editing, deleting, inserting or reordering any
entry breaks the chain at that entry. The single ``audit_head`` row holds the newest
``(seq, hash)``: it detects a truncated tail, and updating it first is what serialises appends
(a row lock on PostgreSQL, the write lock on SQLite). Triggers refuse UPDATE/DELETE on
``audit_log``; the chain catches what someone with raw database access does anyway, and an
*anchor* (a ``seq:hash`` pair recorded outside the database, e.g. printed by
``exportcheck audit verify``) catches a wholesale re-hash of the log.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.orm import Session

from exportcheck.errors import InvalidInput
from exportcheck.ledger.models import AuditEntry, AuditHead

GENESIS_HASH = "0" * 64
_HEAD = AuditHead.__table__
_LOG = AuditEntry.__table__
#: 15 CFR 762.6(a): records are kept five years from the latest of the export date, the date
#: of any known reexport/transshipment/diversion, or the termination of the transaction.
RETENTION_NOTE = "Retain 5 years (15 CFR 762.6(a)); ITAR records 5 years (22 CFR 122.5)."


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, set | frozenset):
        return sorted(obj)
    raise TypeError(f"not JSON-serialisable in an audit entry: {type(obj).__name__}")


def canonical_json(obj: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces, Decimal as string): the hashed form."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_default)


def entry_hash(seq: int, recorded_at: str, actor: str, kind: str, payload: str, versions: str,
               prev_hash: str) -> str:
    """Hash of one entry over its stored text, so it verifies identically on every backend."""
    material = canonical_json([seq, recorded_at, actor, kind, payload, versions, prev_hash])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append_event(session: Session, *, kind: str, actor: str, payload: dict,
                 versions: dict | None = None) -> AuditEntry:
    """Append one entry to the chain inside the caller's transaction (committed with it).

    Call it in the same transaction as the state change it records, so both commit or neither
    does. It takes the chain's write lock (``UPDATE audit_head``) and holds it until commit:
    lock your own rows *before* calling it to keep a single lock order. On SQLite use a session
    from :func:`exportcheck.db.write_session_factory` (``BEGIN IMMEDIATE``).

    ``versions`` names the data the decision used, e.g. ``{"rule_base": ..., "lists": ...}``.
    """
    if not kind or not isinstance(kind, str):
        raise InvalidInput("audit event kind must be a non-empty string, e.g. 'shipment.posted'")
    if not actor or not isinstance(actor, str):
        raise InvalidInput("audit event actor must be a non-empty string (who made the change)")
    if not isinstance(payload, dict):
        raise InvalidInput("audit event payload must be a dict")
    try:
        payload_text = canonical_json(payload)
        versions_text = canonical_json({k: str(v) for k, v in (versions or {}).items()})
    except TypeError as exc:
        raise InvalidInput(str(exc)) from exc
    # Write first: this takes the lock (row lock / SQLite RESERVED lock) before we read the head.
    # Core statements on the session's connection: this is the hot path of every write.
    conn = session.connection()
    seq, prev_hash = conn.execute(
        update(_HEAD).where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq + 1)
        .returning(_HEAD.c.seq, _HEAD.c.hash)  # the new seq, the previous entry's hash
    ).one()
    recorded_at = _now_iso()
    digest = entry_hash(seq, recorded_at, actor, kind, payload_text, versions_text, prev_hash)
    row = {"seq": seq, "recorded_at": recorded_at, "actor": actor, "kind": kind,
           "payload": payload_text, "versions": versions_text, "prev_hash": prev_hash,
           "hash": digest}
    conn.execute(insert(_LOG).values(**row))
    conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(hash=digest))
    return AuditEntry(**row)  # a plain (transient) copy of what was written


@dataclass
class VerifyResult:
    """Outcome of :func:`verify`; ``first_bad`` is the sequence number of the first bad entry."""

    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    first_bad: int | None = None
    problem: str = ""
    anchors_checked: list[str] = field(default_factory=list)
    #: set when the chain is intact but a state table contradicts it (see ledger.statecheck)
    table: str | None = None
    row: str | None = None
    #: every state mismatch found (the first is in ``problem``), as messages
    state_mismatches: list[str] = field(default_factory=list)
    #: state-changing entries whose payload cannot be replayed, so their rows are not checked
    unverifiable: list[str] = field(default_factory=list)
    state_checked: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "head_seq": self.head_seq,
                "head_hash": self.head_hash, "first_bad": self.first_bad,
                "problem": self.problem, "anchors_checked": self.anchors_checked,
                "table": self.table, "row": self.row, "state_checked": self.state_checked,
                "state_mismatches": self.state_mismatches, "unverifiable": self.unverifiable}


def parse_anchor(anchor: str) -> tuple[int, str]:
    """``"123:abcd..."`` -> ``(123, "abcd...")``."""
    seq, sep, digest = anchor.partition(":")
    if not sep or not seq.strip().isdigit() or len(digest.strip()) != 64:
        raise InvalidInput(f"anchor must look like SEQ:SHA256HEX (64 hex digits), got {anchor!r}")
    return int(seq), digest.strip().lower()


def verify(session: Session, anchors: Iterable[tuple[int, str]] = ()) -> VerifyResult:
    """Recompute the whole chain; report the first entry that was edited, deleted, inserted or
    moved, a truncated tail, or a mismatch with an externally recorded anchor."""
    anchor_map = dict(anchors)
    head_seq, head_hash = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    ).one()
    expected, prev, checked = 1, GENESIS_HASH, 0

    def bad(seq: int, problem: str) -> VerifyResult:
        return VerifyResult(False, checked, head_seq, head_hash, seq, problem,
                            [f"{s}:{h}" for s, h in anchor_map.items()])

    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq).execution_options(
        yield_per=2000)).scalars()
    for e in rows:
        if e.seq != expected:
            return bad(expected, f"entry #{expected} is missing (deleted?): the log jumps from "
                                 f"#{expected - 1} to #{e.seq}")
        if e.prev_hash != prev:
            return bad(e.seq, f"entry #{e.seq} does not link to entry #{e.seq - 1} (its "
                              "prev_hash differs): an entry was inserted, removed or reordered "
                              "here, or the previous entry was rewritten")
        digest = entry_hash(e.seq, e.recorded_at, e.actor, e.kind, e.payload, e.versions,
                            e.prev_hash)
        if digest != e.hash:
            return bad(e.seq, f"entry #{e.seq} ({e.kind}) was edited: its content does not "
                              "match its hash")
        if e.seq in anchor_map and anchor_map[e.seq] != e.hash:
            return bad(e.seq, f"entry #{e.seq} differs from the recorded anchor: the log was "
                              "rewritten from here on (or earlier)")
        prev = e.hash
        expected += 1
        checked += 1
    last = expected - 1
    if last != head_seq or prev != (head_hash if head_seq else GENESIS_HASH):
        return bad(last + 1, f"the log ends at entry #{last} but the chain head records "
                             f"#{head_seq}: entries were deleted from the end (or the head "
                             "was altered)")
    missing_anchor = [s for s in anchor_map if s > last]
    if missing_anchor:
        return bad(min(missing_anchor), f"anchor entry #{min(missing_anchor)} no longer exists: "
                                        "the log was truncated")
    return VerifyResult(True, checked, head_seq, head_hash,
                        anchors_checked=[f"{s}:{h}" for s, h in anchor_map.items()])


def _bound(value: dt.date | dt.datetime | None, end: bool) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # a date bound is inclusive of that whole day
    return value.isoformat() + ("T23:59:59.999999Z" if end else "T00:00:00.000000Z")


def iter_entries(session: Session, start: dt.date | dt.datetime | None = None,
                 end: dt.date | dt.datetime | None = None) -> Iterator[AuditEntry]:
    """Entries recorded within ``[start, end]`` (UTC; dates are whole days), oldest first."""
    stmt = select(AuditEntry).order_by(AuditEntry.seq)
    if (lo := _bound(start, False)) is not None:
        stmt = stmt.where(AuditEntry.recorded_at >= lo)
    if (hi := _bound(end, True)) is not None:
        stmt = stmt.where(AuditEntry.recorded_at <= hi)
    yield from session.execute(stmt.execution_options(yield_per=2000)).scalars()


def query(session: Session, *, kind: str | None = None, actor: str | None = None,
          start: dt.date | dt.datetime | None = None, end: dt.date | dt.datetime | None = None,
          limit: int = 50, offset: int = 0,
          newest_first: bool = True) -> tuple[list[AuditEntry], int]:
    """One page of entries filtered by kind (``shipment`` also finds ``shipment.refused``),
    actor and recording time; ``(entries, total matching)``."""
    conds = []
    if kind:
        conds.append(or_(AuditEntry.kind == kind, AuditEntry.kind.like(f"{kind}.%")))
    if actor:
        conds.append(AuditEntry.actor == actor)
    if (lo := _bound(start, False)) is not None:
        conds.append(AuditEntry.recorded_at >= lo)
    if (hi := _bound(end, True)) is not None:
        conds.append(AuditEntry.recorded_at <= hi)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conds)) or 0
    order = AuditEntry.seq.desc() if newest_first else AuditEntry.seq
    rows = session.scalars(select(AuditEntry).where(*conds).order_by(order)
                           .limit(limit).offset(offset)).all()
    return list(rows), total


EXPORT_FIELDS = ("seq", "recorded_at", "actor", "kind", "payload", "versions", "prev_hash",
                 "hash")


def export(session: Session, out: IO[str], *, fmt: str = "json",
           start: dt.date | dt.datetime | None = None,
           end: dt.date | dt.datetime | None = None) -> int:
    """Write entries for an auditor as CSV or JSON; returns the number written.

    The stored JSON text and both hashes are exported verbatim, so the auditor can re-verify the
    chain from the file alone with :func:`entry_hash`.
    """
    if fmt not in ("json", "csv"):
        raise InvalidInput(f"export format must be 'json' or 'csv', not {fmt!r}")
    result = verify(session)
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(EXPORT_FIELDS)
        for e in iter_entries(session, start, end):
            writer.writerow([getattr(e, f) for f in EXPORT_FIELDS])
            count += 1
        return count
    out.write("{\n")
    meta = {"exported_at": _now_iso(), "from": _bound(start, False), "to": _bound(end, True),
            "retention": RETENTION_NOTE, "chain": result.as_dict(),
            "hash_rule": "sha256(canonical_json([seq, recorded_at, actor, kind, payload, "
                         "versions, prev_hash])), canonical_json = sorted keys, no spaces"}
    for key, value in meta.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    out.write('  "entries": [')
    for e in iter_entries(session, start, end):
        row = {f: getattr(e, f) for f in EXPORT_FIELDS}
        row["payload_parsed"] = json.loads(e.payload)
        out.write(("\n    " if count == 0 else ",\n    ") + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n")
    return count


def export_to_string(session: Session, **kwargs: Any) -> str:
    """Convenience for tests and small exports."""
    buf = io.StringIO()
    export(session, buf, **kwargs)
    return buf.getvalue()
