"""Reversing a shipment posted by mistake: a compensating entry, never an edit.

The shipment and its lines stay as they were posted, and so does their ``shipment.posted``
entry (the audit log is append-only). A reversal, in ONE transaction:

1. locks the licence the shipment drew on (``SELECT ... FOR UPDATE`` on PostgreSQL, the
   ``BEGIN IMMEDIATE`` write lock on SQLite: the lock a post takes), so it never races a post
   on the same balance;
2. gives each licence line back exactly what the shipment drew on it (value and quantity),
   with a conditional ``UPDATE`` that cannot take a balance below zero;
3. appends a ``shipment.reversed`` audit entry naming the shipment and what was given back;
4. inserts a ``ledger_shipment_reversal`` row (migration ``ledger_0005``), UNIQUE per shipment,
   so a shipment cannot be reversed twice, not even by two concurrent requests.

A shipment under a licence exception drew nothing: its reversal only marks it reversed. The
reversal has its own idempotency key: the same key with the same request answers the first
reversal again; with another request it is refused. :mod:`exportcheck.ledger.statecheck`
replays reversals, so ``audit verify`` expects the balance given back and the reversal row.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from exportcheck.errors import LedgerError
from exportcheck.ledger.audit import append_event, canonical_json, recorded_time
from exportcheck.ledger.licences import from_cents, from_milli, line_remaining_cents
from exportcheck.ledger.models import (
    Licence,
    LicenceLine,
    Shipment,
    ShipmentLine,
    ShipmentReversal,
)
from exportcheck.ledger.schemas import ReturnedLine, ReversalOut, ShipmentReversalIn
from exportcheck.ledger.shipments import KeyReused, ShipmentRefused

_LINES = LicenceLine.__table__
_L = _LINES.c


class ReversalRefused(ShipmentRefused):
    """A reversal the ledger will not make (unknown shipment, already reversed, no reason);
    ``rule`` says which. Nothing is written but the audited refusal."""

    code = "reversal_refused"


def request_hash(spec: ShipmentReversalIn) -> str:
    """sha256 of the canonical reversal request."""
    return hashlib.sha256(canonical_json(spec.model_dump(mode="json")).encode()).hexdigest()


def _drawn(lines: Iterable[ShipmentLine]) -> dict[int, list[int]]:
    """What the shipment drew per licence line id: ``[qty_milli, value_cents]``, in the order
    its lines first name them."""
    out: dict[int, list[int]] = {}
    for ln in lines:
        if ln.licence_line_id is not None:
            total = out.setdefault(ln.licence_line_id, [0, 0])
            total[0] += ln.qty_milli
            total[1] += ln.value_cents
    return out


def _licence_lines(session: Session, ids: Iterable[int]) -> dict[int, LicenceLine]:
    ids = list(ids)
    if not ids:
        return {}
    rows = session.execute(select(LicenceLine).where(LicenceLine.id.in_(ids))
                           .execution_options(populate_existing=True)).scalars()
    return {ln.id: ln for ln in rows}


def _returned(drawn: dict[int, list[int]], lines: dict[int, LicenceLine]) -> list[ReturnedLine]:
    return [ReturnedLine(line_no=lines[i].line_no, classification=lines[i].classification,
                         quantity=from_milli(q), value=from_cents(v))
            for i, (q, v) in drawn.items()]


def _out(spec: ShipmentReversalIn, row: ShipmentReversal, shp: Shipment, lic: Licence | None,
         returned: list[ReturnedLine], created: bool) -> ReversalOut:
    return ReversalOut(
        id=row.id, idempotency_key=row.idempotency_key, shipment_key=shp.idempotency_key,
        licence_number=lic.number if lic is not None else None,
        licence_exception=shp.licence_exception, returned=returned,
        returned_value=sum((r.value for r in returned), from_cents(0)),
        audit_seq=row.audit_seq, created=created)


def _replay(session: Session, spec: ShipmentReversalIn, prior: ShipmentReversal,
            digest: str) -> ReversalOut:
    """The answer to a repeated reversal key: the reversal first made under it."""
    if prior.request_hash != digest:
        raise KeyReused(f"idempotency key {spec.idempotency_key!r} was already used for a "
                        f"different reversal (audit entry #{prior.audit_seq}); use a new key "
                        "for a new reversal")
    shp = session.get(Shipment, prior.shipment_id)
    lic = session.get(Licence, shp.licence_id) if shp.licence_id is not None else None
    drawn = _drawn(shp.lines)
    return _out(spec, prior, shp, lic, _returned(drawn, _licence_lines(session, drawn)),
                created=False)


def reverse_shipment(session: Session, spec: ShipmentReversalIn, *, actor: str,
                     versions: dict | None = None) -> ReversalOut:
    """Reverse one shipment in the caller's write transaction (see the module docstring).

    Raises :class:`ReversalRefused` (nothing written) for an empty reason, an unknown
    shipment or one already reversed; :class:`~exportcheck.ledger.shipments.KeyReused` for
    a reversal key used for another request."""
    digest = request_hash(spec)
    prior = session.execute(select(ShipmentReversal).where(
        ShipmentReversal.idempotency_key == spec.idempotency_key)).scalar_one_or_none()
    if prior is not None:  # a retried request answers as before, whatever happened since
        return _replay(session, spec, prior, digest)
    if not spec.reason:
        raise ReversalRefused(
            f"reversal of shipment {spec.shipment_key!r} refused: give a reason (why the "
            "shipment is reversed is part of the export record, 15 CFR 762.2)",
            "reason_missing")
    shp = session.execute(select(Shipment).where(
        Shipment.idempotency_key == spec.shipment_key)).scalar_one_or_none()
    if shp is None:
        raise ReversalRefused(
            f"no shipment with idempotency key {spec.shipment_key!r} in the ledger: nothing to "
            "reverse (give the key the shipment was posted under)", "shipment_unknown")
    lic = None
    if shp.licence_id is not None:
        # the licence lock a post takes: read the balances only once it is held
        lic = session.execute(select(Licence).where(Licence.id == shp.licence_id)
                              .with_for_update()
                              .execution_options(populate_existing=True)).scalar_one()
    done = session.execute(select(ShipmentReversal).where(
        ShipmentReversal.shipment_id == shp.id)).scalar_one_or_none()
    if done is not None:
        raise ReversalRefused(
            f"shipment {spec.shipment_key!r} was already reversed (reversal "
            f"{done.idempotency_key!r}, audit entry #{done.audit_seq}): a shipment is reversed "
            "once", "already_reversed")
    drawn = _drawn(shp.lines)
    lines = _licence_lines(session, drawn)
    given_back = []
    for line_id, (q, v) in drawn.items():
        ln = lines[line_id]
        result = session.execute(
            update(_LINES).where(_L.id == line_id, _L.shipped_qty_milli >= q,
                                 _L.shipped_value_cents >= v)
            .values(shipped_qty_milli=_L.shipped_qty_milli - q,
                    shipped_value_cents=_L.shipped_value_cents - v))
        if result.rowcount != 1:
            raise LedgerError(
                f"licence line {ln.line_no} ({ln.classification}) holds less than shipment "
                f"{spec.shipment_key!r} drew on it: its balance contradicts the audit trail "
                "(run `exportcheck audit verify`); nothing was reversed")
        left_q = None if ln.qty_milli is None else ln.qty_milli - ln.shipped_qty_milli + q
        given_back.append({
            "line_no": ln.line_no, "classification": ln.classification,
            "quantity": str(from_milli(q)), "value": str(from_cents(v)),
            "remaining_quantity": None if left_q is None else str(from_milli(left_q)),
            "remaining_value": str(from_cents(line_remaining_cents(  # as `licences show`
                ln.qty_milli, ln.value_cents, ln.shipped_qty_milli - q,
                ln.shipped_value_cents - v)))})
    entry = append_event(session, kind="shipment.reversed", actor=actor, versions=versions,
                         payload={
        "request": spec.model_dump(mode="json"), "decision": "accepted",
        "shipment": {"idempotency_key": shp.idempotency_key, "audit_seq": shp.audit_seq,
                     "licence": None if lic is None else {
                         "agency": lic.agency, "number": lic.number, "kind": lic.kind},
                     "licence_exception": shp.licence_exception},
        "returned": given_back})
    row = ShipmentReversal(shipment_id=shp.id, idempotency_key=spec.idempotency_key,
                           request_hash=digest, reason=spec.reason, reference=spec.reference,
                           actor=actor, recorded_at=recorded_time(entry.recorded_at),
                           audit_seq=entry.seq)  # the entry's own time (audit verify)
    session.add(row)
    session.flush()
    return _out(spec, row, shp, lic, _returned(drawn, lines), created=True)
