"""Append-only, hash-chained audit trail of every state change (15 CFR Part 762 records).

Each entry stores its inputs as canonical JSON *text*. Its chain *link* is
``sha256(canonical([seq, recorded_at, actor, kind, payload, versions, prev_hash]))`` where
``prev_hash`` is the previous entry's link, so editing, deleting, inserting or reordering any
sealed entry breaks the chain at that entry. Two storage forms share that one rule:

* entries written before migration ``ledger_0002`` (``seq <= audit_head.legacy_seq``) hold their
  link in their own row (``prev_hash``/``hash``), written under one global lock at commit;
* later entries are written by :func:`append_event` *without* touching the chain head: the row
  holds ``prev_hash = ''`` and ``hash`` = the link with an empty ``prev_hash`` (a content hash,
  so an unsealed entry is verifiable on its own), and its link is added to ``audit_seal``
  shortly after commit by :mod:`exportcheck.ledger.sealing`, in ``seq`` order.

``audit_head`` holds the newest *sealed* ``(seq, hash)``: it detects a truncated tail. Triggers
refuse UPDATE/DELETE on ``audit_log`` and ``audit_seal``; the chain catches what someone with raw
database access does anyway, and an *anchor* (a ``seq:hash`` pair recorded outside the database,
e.g. printed by ``exportcheck audit verify``) catches a wholesale re-hash of the log.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import hashlib
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import Connection, func, insert, or_, select, text, update
from sqlalchemy.orm import Session

from exportcheck.csvsafe import safe_cell
from exportcheck.errors import InvalidInput
from exportcheck.ledger.models import AuditEntry, AuditHead, AuditSeal
from exportcheck.ledger.stored import stored_entries
from exportcheck.plaintext import refuse_control

GENESIS_HASH = "0" * 64
_HEAD = AuditHead.__table__
_LOG = AuditEntry.__table__
_SEAL = AuditSeal.__table__
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


#: a string's canonical JSON: the encoder ``canonical_json`` uses for every string (not
#: ASCII-escaped), called directly where the hot path builds a known shape
json_str = json.encoder.encode_basestring


def _text_list(*items: str) -> str:
    """``canonical_json`` of a list of strings, without its opening ``[``."""
    return ",".join(map(json_str, items)) + "]"


def entry_hash(seq: int, recorded_at: str, actor: str, kind: str, payload: str, versions: str,
               prev_hash: str) -> str:
    """Hash of one entry over its stored text, so it verifies identically on every backend."""
    if type(seq) is int:  # the canonical JSON of the list, built directly (sealing's hot path)
        material = f"[{seq},{_text_list(recorded_at, actor, kind, payload, versions, prev_hash)}"
    else:
        material = canonical_json([seq, recorded_at, actor, kind, payload, versions, prev_hash])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def content_tail(recorded_at: str, actor: str, kind: str, payload: str, versions: str) -> str:
    """The hashed form of an unsealed entry after its leading ``[seq,``: PostgreSQL draws a
    post's number in its write statement and completes the content hash there, as
    ``sha256('[' || seq || ',' || tail)``, which equals :func:`entry_hash` with ``prev_hash ''``
    (an integer's JSON is its decimal text)."""
    return _text_list(recorded_at, actor, kind, payload, versions, "")


def now_iso() -> str:
    """The time an entry is recorded, as stored (UTC, microseconds, ``Z``)."""
    return stamp(dt.datetime.now(dt.UTC))


def stamp(moment: dt.datetime) -> str:
    """An aware ``moment`` as an entry's ``recorded_at`` text: a row written with the entry
    stores the same instant, so ``audit verify`` can hold the row's time to the entry's."""
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")[:-6] + "Z"


def recorded_time(text: str) -> dt.datetime:
    """An entry's ``recorded_at`` text as an aware UTC datetime (the inverse of :func:`stamp`)."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


#: ``session.info`` keys: set by :func:`append_event` when it wrote an entry (the Ledger then
#: seals after commit); ``False`` under INLINE_SEAL stops SQLite sealing inside the write.
APPENDED = "exportcheck.audit_appended"
INLINE_SEAL = "exportcheck.audit_inline_seal"
# The xid is taken *before* the number: the sealer's horizon (ledger.sealing) assumes every
# transaction holding a number already has an xid. The materialised CTE is evaluated before the
# outer row, and its column is used, so the planner cannot drop the call (it replaces unused
# subquery outputs by NULL, even this one).
_PG_NEXT = text("WITH x AS MATERIALIZED (SELECT pg_current_xact_id() AS xid) "
                "SELECT nextval('audit_log_seq'), x.xid FROM x")
_SQLITE_NEXT = text("SELECT (SELECT max(seq) FROM audit_log), seq, hash FROM audit_head "
                    "WHERE id = 1")


def append_event(session: Session, *, kind: str, actor: str, payload: dict,
                 versions: dict | None = None) -> AuditEntry:
    """Append one entry inside the caller's transaction (committed with it).

    Call it in the same transaction as the state change it records, so both commit or neither
    does. It does not lock the chain head: on PostgreSQL the entry is numbered from the
    ``audit_log_seq`` sequence and sealed into the chain after commit
    (:mod:`exportcheck.ledger.sealing`: the Ledger seals after its own writes, at most once
    per interval; an entry appended by other code is linked by the next seal); on SQLite (use
    a session from :func:`exportcheck.db.write_session_factory`, ``BEGIN IMMEDIATE``, which
    already holds the one write lock) it is numbered ``max + 1`` and, unless the session says
    otherwise, sealed in the same transaction at no extra commit.

    ``versions`` names the data the decision used, e.g. ``{"rule_base": ..., "lists": ...}``.
    """
    payload_text, versions_text = encode_event(kind, actor, payload, versions)
    # Core statements on the session's connection: this is the hot path of every write.
    conn = session.connection()
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        top, head_seq, head_hash = conn.execute(_SQLITE_NEXT).one()
        seq = (top or 0) + 1
    else:
        seq = conn.execute(_PG_NEXT).one()[0]
    row = entry_row(seq, kind, actor, payload_text, versions_text)
    conn.execute(insert(_LOG).values(**row))
    session.info[APPENDED] = True
    if sqlite and session.info.get(INLINE_SEAL, True):
        seal_inline(conn, row, head_seq, head_hash)
    return AuditEntry(**row)  # a plain (transient) copy of what was written


def encode_event(kind: str, actor: str, payload: dict,
                 versions: dict | None) -> tuple[str, str]:
    """Check an event's fields and return its stored ``(payload, versions)`` text."""
    check_event(kind, actor)
    if not isinstance(payload, dict):
        raise InvalidInput("audit event payload must be a dict")
    try:
        payload_text = canonical_json(payload)
    except TypeError as exc:
        raise InvalidInput(str(exc)) from exc
    return payload_text, encode_versions(versions)


def check_event(kind: str, actor: str) -> None:
    """An event's kind and actor are non-empty strings (:func:`encode_event` checks them)."""
    if not kind or not isinstance(kind, str):
        raise InvalidInput("audit event kind must be a non-empty string, e.g. 'shipment.posted'")
    if not actor or not isinstance(actor, str):
        raise InvalidInput("audit event actor must be a non-empty string (who made the change)")
    # the actor columns are 128 characters wide: PostgreSQL refused a longer one (or a NUL)
    # in the driver, SQLite stored it as given
    refuse_control(actor, "actor", 128)


def encode_versions(versions: dict | None) -> str:
    """The stored text of an event's ``versions`` (each value as its ``str``)."""
    if not versions:
        return "{}"
    try:
        return canonical_json({k: str(v) for k, v in versions.items()})
    except TypeError as exc:
        raise InvalidInput(str(exc)) from exc


def entry_row(seq: int, kind: str, actor: str, payload_text: str,
              versions_text: str, recorded_at: str | None = None) -> dict[str, Any]:
    """The ``audit_log`` row of a new (unsealed) entry: its content hash has ``prev_hash ''``."""
    recorded_at = recorded_at or now_iso()
    content = entry_hash(seq, recorded_at, actor, kind, payload_text, versions_text, "")
    return {"seq": seq, "recorded_at": recorded_at, "actor": actor, "kind": kind,
            "payload": payload_text, "versions": versions_text, "prev_hash": "",
            "hash": content}


def seal_inline(conn: Connection, row: dict[str, Any], head_seq: int, head_hash: str) -> None:
    """SQLite, inside the write holding the write lock: link the entry just inserted (and any
    left pending before it); ``head_*`` is the chain head read in the same transaction."""
    if head_seq == row["seq"] - 1:  # nothing pending: link this entry directly
        link = entry_hash(row["seq"], row["recorded_at"], row["actor"], row["kind"],
                          row["payload"], row["versions"], head_hash)
        conn.execute(insert(_SEAL).values(seq=row["seq"], prev_hash=head_hash, hash=link))
        conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=row["seq"], hash=link))
    else:
        link_pending(conn, row["seq"])

_PG_LINK = text(
    "WITH s AS (INSERT INTO audit_seal (seq, prev_hash, hash) SELECT * FROM unnest("
    "CAST(:seqs AS bigint[]), CAST(:prevs AS varchar[]), CAST(:hashes AS varchar[]))) "
    "UPDATE audit_head SET seq = :seq, hash = :hash WHERE id = 1")


@dataclass
class LinkResult:
    """What one :func:`link_pending` call did; ``blocked`` names an entry it refused to seal."""

    sealed: int
    head_seq: int
    head_hash: str
    blocked: str = ""


def link_pending(conn: Connection, upto: int | None, batch: int = 2000,
                 head: tuple[int, str] | None = None) -> LinkResult:
    """Seal the visible unsealed entries with ``head < seq <= upto`` (all if None), in order.

    The caller holds the chain head (row lock on PostgreSQL, the write lock on SQLite) and has
    established that no entry numbered ``<= upto`` can still commit (see ledger.sealing);
    ``head`` is the head row it read while locking it, if it did.
    An entry whose content no longer matches its hash is not sealed (nor anything after it):
    sealing must never bless an edit; ``verify`` names it.
    """
    head_seq, head_hash = head or conn.execute(
        select(_HEAD.c.seq, _HEAD.c.hash).where(_HEAD.c.id == 1)).one()
    sealed, prev, last = 0, head_hash, head_seq
    c = _LOG.c
    while True:
        stmt = (select(c.seq, c.recorded_at, c.actor, c.kind, c.payload, c.versions,
                       c.prev_hash, c.hash, _SEAL.c.seq.label("linked"))
                .outerjoin(_SEAL, _SEAL.c.seq == c.seq)
                .where(c.seq > last).order_by(c.seq).limit(batch))
        if upto is not None:
            stmt = stmt.where(c.seq <= upto)
        rows = conn.execute(stmt).all()
        links, blocked = [], ""
        for r in rows:
            fields = (r.seq, r.recorded_at, r.actor, r.kind, r.payload, r.versions)
            if r.prev_hash != "" or entry_hash(*fields, "") != r.hash:
                blocked = (f"entry #{r.seq} ({r.kind}) does not match its content hash (edited "
                           "before it was sealed?); it and later entries stay unsealed")
            elif r.linked is not None:
                blocked = (f"entry #{r.seq} already has a chain link beyond the chain head "
                           "(head or links altered?); it and later entries stay unsealed")
            if blocked:
                break
            link = entry_hash(*fields, prev)
            links.append({"seq": r.seq, "prev_hash": prev, "hash": link})
            prev, last = link, r.seq
        if links:
            if conn.dialect.name == "postgresql":  # one statement, not one INSERT per link
                conn.execute(_PG_LINK, {"seqs": [x["seq"] for x in links],
                                        "prevs": [x["prev_hash"] for x in links],
                                        "hashes": [x["hash"] for x in links],
                                        "seq": last, "hash": prev})
            else:
                conn.execute(insert(_SEAL), links)
                conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=last, hash=prev))
            sealed += len(links)
        if blocked or len(rows) < batch:
            return LinkResult(sealed, last, prev, blocked)


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
    #: entries committed but not yet sealed into the chain (content hash checked only)
    unsealed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checked": self.checked, "unsealed": self.unsealed,
                "head_seq": self.head_seq,
                "head_hash": self.head_hash, "first_bad": self.first_bad,
                "problem": self.problem, "anchors_checked": self.anchors_checked,
                "table": self.table, "row": self.row, "state_checked": self.state_checked,
                "state_mismatches": self.state_mismatches, "unverifiable": self.unverifiable}


#: an anchor as ``audit verify`` and ``audit seal`` print it: an entry number from 1 (ASCII
#: digits only: ``str.isdigit`` also takes "²", which ``int`` refuses) and a SHA-256 in hex
_ANCHOR = re.compile(r"\s*([0-9]+)\s*:\s*([0-9a-fA-F]{64})\s*")


def parse_anchor(anchor: str) -> tuple[int, str]:
    """``"123:abcd..."`` -> ``(123, "abcd...")``. A mistyped anchor is refused here: checked
    against the chain, it would be reported as a rewritten log."""
    m = _ANCHOR.fullmatch(anchor)
    if m is None or int(m[1]) < 1:
        raise InvalidInput(f"anchor must look like SEQ:SHA256HEX (an entry number from 1, "
                           f"64 hex digits), got {anchor!r}")
    return int(m[1]), m[2].lower()


def anchors_by_entry(anchors: Iterable[tuple[int, str]]) -> dict[int, str]:
    """``{seq: hash}`` of the anchors; two different hashes for one entry are refused (one of
    them was mistyped, and keeping either would leave the other unchecked)."""
    out: dict[int, str] = {}
    for seq, digest in anchors:
        digest = digest.lower()
        if out.setdefault(seq, digest) != digest:
            raise InvalidInput(f"two anchors for entry #{seq} disagree ({out[seq]} and "
                               f"{digest}): give the one recorded for it")
    return out


def _orphan_seals(session: Session) -> list[int]:
    """Sealed sequence numbers whose entry row is gone (first few)."""
    return list(session.execute(
        select(_SEAL.c.seq).outerjoin(_LOG, _LOG.c.seq == _SEAL.c.seq)
        .where(_LOG.c.seq.is_(None)).order_by(_SEAL.c.seq).limit(10)).scalars())


HEAD_MISSING = ("the chain head (audit_head row 1) is missing (deleted?): the end of the chain "
                "cannot be checked, and nothing can be sealed until it is restored")


def verify(session: Session, anchors: Iterable[tuple[int, str]] = ()) -> VerifyResult:
    """Recompute the whole chain; report the first entry that was edited, deleted, inserted or
    moved, a truncated tail, or a mismatch with an externally recorded anchor.

    Sealed entries are checked link by link; entries not sealed yet (written after the newest
    seal) are checked against their content hash and counted in ``unsealed``. An unsealed entry
    *below* a sealed one cannot come from the sealer (it seals in order, only past entries that
    can no longer commit), so it is reported as inserted.
    """
    anchor_map = anchors_by_entry(anchors)
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash, AuditHead.legacy_seq).where(AuditHead.id == 1)
    ).first()
    if head is None:  # every ledger has it from its first migration: deleted by hand
        return VerifyResult(False, 0, 0, "", None, HEAD_MISSING)
    head_seq, head_hash, legacy = head
    orphans = _orphan_seals(session)
    expected, prev, checked, last_sealed, unsealed = 1, GENESIS_HASH, 0, 0, 0
    first_unsealed: int | None = None

    def bad(seq: int, problem: str) -> VerifyResult:
        return VerifyResult(False, checked, head_seq, head_hash, seq, problem,
                            [f"{s}:{h}" for s, h in anchor_map.items()], unsealed=unsealed)

    def gone(seq: int) -> VerifyResult:
        return bad(seq, f"entry #{seq} is missing (deleted?): it was sealed into the chain but "
                        "its row is gone")

    links = {}  # anchors of sealed entries are checked against their chain link
    rows = session.execute(
        select(AuditEntry, _SEAL.c.prev_hash, _SEAL.c.hash)
        .outerjoin(_SEAL, _SEAL.c.seq == AuditEntry.seq).order_by(AuditEntry.seq)
        .execution_options(yield_per=2000))
    for e, seal_prev, seal_hash in rows:
        if orphans and orphans[0] < e.seq:
            return gone(orphans[0])
        fields = (e.seq, e.recorded_at, e.actor, e.kind, e.payload, e.versions)
        if e.seq <= legacy or expected <= legacy:  # chained in its own row (pre-ledger_0002)
            if e.seq != expected:
                return bad(expected, f"entry #{expected} is missing (deleted?): the log jumps "
                                     f"from #{expected - 1} to #{e.seq}")
            if e.prev_hash != prev:
                return bad(e.seq, f"entry #{e.seq} does not link to entry #{e.seq - 1} (its "
                                  "prev_hash differs): an entry was inserted, removed or "
                                  "reordered here, or the previous entry was rewritten")
            if entry_hash(*fields, e.prev_hash) != e.hash or seal_hash is not None:
                return bad(e.seq, f"entry #{e.seq} ({e.kind}) was edited: its content does "
                                  "not match its hash")
            prev = link = e.hash
            expected += 1
            last_sealed = e.seq
        else:
            if e.prev_hash != "" or entry_hash(*fields, "") != e.hash:
                return bad(e.seq, f"entry #{e.seq} ({e.kind}) was edited: its content does "
                                  "not match its hash")
            if seal_hash is None:
                unsealed += 1
                first_unsealed = first_unsealed or e.seq
                link = None
            else:
                if first_unsealed is not None:
                    return bad(first_unsealed, f"entry #{first_unsealed} is not in the chain "
                                               f"although the later entry #{e.seq} is: it was "
                                               "inserted after sealing")
                if seal_prev != prev:
                    return bad(e.seq, f"entry #{e.seq} does not link to the sealed entry "
                                      f"before it (#{last_sealed}): an entry was inserted, "
                                      "removed or reordered here, or a link was rewritten")
                if entry_hash(*fields, seal_prev) != seal_hash:
                    return bad(e.seq, f"entry #{e.seq} ({e.kind}) was edited: its content "
                                      "does not match its chain link")
                prev = link = seal_hash
                last_sealed = e.seq
        if e.seq in anchor_map:
            links[e.seq] = link
            if link != anchor_map[e.seq]:
                return bad(e.seq, f"entry #{e.seq} differs from the recorded anchor: the log "
                                  "was rewritten from here on (or earlier)")
        checked += 1
    if orphans:
        if orphans[0] > last_sealed:
            return bad(orphans[0], f"the log ends at entry #{last_sealed} but the chain "
                                   f"continues to #{orphans[-1]}: entries were deleted from "
                                   "the end")
        return gone(orphans[0])
    if last_sealed != head_seq or prev != (head_hash if head_seq else GENESIS_HASH):
        return bad(last_sealed + 1, f"the chain ends at entry #{last_sealed} but the chain "
                                    f"head records #{head_seq}: entries were deleted from the "
                                    "end (or the head was altered)")
    missing_anchor = sorted(s for s in anchor_map if s not in links)
    if missing_anchor:
        return bad(missing_anchor[0], f"anchor entry #{missing_anchor[0]} is not in the chain "
                                      "(no longer exists: the log was truncated)")
    return VerifyResult(True, checked, head_seq, head_hash, unsealed=unsealed,
                        anchors_checked=[f"{s}:{h}" for s, h in anchor_map.items()])


def _bound(value: dt.date | dt.datetime | None, end: bool) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # a date bound is inclusive of that whole day
    return value.isoformat() + ("T23:59:59.999999Z" if end else "T00:00:00.000000Z")


def check_period(start: dt.date | dt.datetime | None,
                 end: dt.date | dt.datetime | None) -> None:
    """Refuse a period that ends before it starts: it would match nothing, and an empty
    export looks like a quiet year rather than a typo."""
    if start is not None and end is not None and \
            str(_bound(start, False)) > str(_bound(end, True)):
        raise InvalidInput(f"from {start.isoformat()} is after to {end.isoformat()}: "
                           "the first day comes first")


def stored_json(text: str) -> Any:
    """An entry's stored ``payload``/``versions`` text parsed, or None when it is not JSON:
    only an edit outside exportcheck makes it so (``verify`` names the entry), and the
    listings and exports must still show such an entry, as stored, rather than fail."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _period(start: dt.date | dt.datetime | None,
            end: dt.date | dt.datetime | None) -> list[Any]:
    """Conditions for entries recorded within ``[start, end]`` (UTC; dates are whole days)."""
    conds = []
    if (lo := _bound(start, False)) is not None:
        conds.append(AuditEntry.recorded_at >= lo)
    if (hi := _bound(end, True)) is not None:
        conds.append(AuditEntry.recorded_at <= hi)
    return conds


def query(session: Session, *, kind: str | None = None, actor: str | None = None,
          start: dt.date | dt.datetime | None = None, end: dt.date | dt.datetime | None = None,
          limit: int = 50, offset: int = 0,
          newest_first: bool = True) -> tuple[list[AuditEntry], int]:
    """One page of entries filtered by kind (``shipment`` also finds ``shipment.refused``),
    actor and recording time; ``(entries, total matching)``. ``prev_hash``/``hash`` are an
    entry's chain link once sealed (one rule for every entry); before that, ``''`` and its
    content hash."""
    check_period(start, end)
    conds = []
    if kind:
        conds.append(or_(AuditEntry.kind == kind, AuditEntry.kind.like(f"{kind}.%")))
    if actor:
        conds.append(AuditEntry.actor == actor)
    conds += _period(start, end)
    total = session.scalar(select(func.count()).select_from(AuditEntry).where(*conds)) or 0
    # read as stored: an entry edited into bytes that are not UTF-8 is listed, escaped
    rows = stored_entries(session, conds, newest_first=newest_first, limit=limit,
                          offset=offset)
    return [AuditEntry(**values) for values, _ in rows], total


EXPORT_FIELDS = ("seq", "recorded_at", "actor", "kind", "payload", "versions", "prev_hash",
                 "hash")


def check_export(fmt: str, start: dt.date | dt.datetime | None,
                 end: dt.date | dt.datetime | None) -> str:
    """What :func:`export` refuses, checkable before an output file is opened; returns the
    format as :func:`export` takes it (``CSV`` and `` json `` read as the CLI reads choices)."""
    canonical = fmt.strip().lower() if isinstance(fmt, str) else fmt
    if canonical not in ("json", "csv"):
        raise InvalidInput(f"export format must be 'json' or 'csv', not {fmt!r}")
    check_period(start, end)
    return canonical


def export(session: Session, out: IO[str], *, fmt: str = "json",
           start: dt.date | dt.datetime | None = None,
           end: dt.date | dt.datetime | None = None,
           status: dict[str, Any] | None = None) -> int:
    """Write entries for an auditor as CSV or JSON; returns the number written.

    The stored JSON text and both hashes are exported verbatim, so the auditor can re-verify the
    chain from the file alone with :func:`entry_hash`; in CSV, a text cell a spreadsheet would
    run as a formula has a ``'`` in front (:mod:`exportcheck.csvsafe`: remove it first).
    ``status``: the JSON's ``chain`` (default: the chain's own check, :func:`verify`). A
    value stored outside exportcheck that is not UTF-8 text is written with its bad bytes
    escaped (``\\xff``), and the JSON entry names it under ``unreadable``
    (:mod:`~exportcheck.ledger.stored`): the export of a tampered trail is evidence too.
    """
    fmt = check_export(fmt, start, end)
    count = 0
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(EXPORT_FIELDS)
        for values, _ in stored_entries(session, _period(start, end)):
            writer.writerow([safe_cell(v) if isinstance(v, str) else v
                             for v in (values[f] for f in EXPORT_FIELDS)])
            count += 1
        return count
    result = status if status is not None else verify(session).as_dict()
    out.write("{\n")
    meta = {"exported_at": now_iso(), "from": _bound(start, False), "to": _bound(end, True),
            "retention": RETENTION_NOTE, "chain": result,
            "hash_rule": "sha256(canonical_json([seq, recorded_at, actor, kind, payload, "
                         "versions, prev_hash])), canonical_json = sorted keys, no spaces; "
                         "prev_hash is the previous entry's hash; an entry with prev_hash '' "
                         "is not sealed into the chain yet (its hash covers its content)"}
    for key, value in meta.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value)},\n")
    out.write('  "entries": [')
    for values, unreadable in stored_entries(session, _period(start, end)):
        row = {f: values[f] for f in EXPORT_FIELDS}
        # None: not JSON, or not stored as UTF-8 text (edited outside exportcheck)
        row["payload_parsed"] = None if "payload" in unreadable else stored_json(row["payload"])
        if unreadable:
            row["unreadable"] = unreadable
        out.write(("\n    " if count == 0 else ",\n    ") + json.dumps(row, ensure_ascii=False))
        count += 1
    out.write("\n  ]\n}\n")
    return count


def export_to_string(session: Session, **kwargs: Any) -> str:
    """Convenience for tests and small exports."""
    buf = io.StringIO()
    export(session, buf, **kwargs)
    return buf.getvalue()
