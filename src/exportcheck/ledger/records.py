"""Shipments as recorded: the listing an officer reads before reversing one.

A licence's balance says how much was drawn; this says by which shipments, posted by whom,
under which key, and whether one was reversed since (and why). Read-only: the rows come
straight from the shipment, shipment-line and reversal tables that the audit trail vouches for
(``audit verify`` checks them).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, computed_field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exportcheck.db.base import as_utc
from exportcheck.errors import InvalidInput, NotFound
from exportcheck.ledger.licences import from_cents, from_milli, ledger_agency
from exportcheck.ledger.models import Licence, Shipment, ShipmentReversal
from exportcheck.ledger.snapshot import ambiguous_licence
from exportcheck.ledger.wire import DollarsText, QuantityText


class ShipmentRecordLine(BaseModel):
    classification: str
    quantity: QuantityText
    value: DollarsText


class ReversalRecord(BaseModel):
    """Why and when a shipment was reversed (:mod:`exportcheck.ledger.reversals`)."""

    idempotency_key: str
    reason: str
    reference: str
    actor: str
    recorded_at: dt.datetime
    audit_seq: int


class ShipmentRecord(BaseModel):
    """One posted shipment with its lines; ``reversal`` is set once it has been reversed."""

    id: int
    idempotency_key: str
    licence_number: str | None
    licence_agency: str | None
    licence_exception: str | None
    ship_date: dt.date
    destination: str
    consignee: str
    end_user: str
    reference: str
    lines: list[ShipmentRecordLine]
    total_value: DollarsText
    actor: str
    recorded_at: dt.datetime
    audit_seq: int
    reversal: ReversalRecord | None = None

    @computed_field  # in the JSON too: the filter the listing takes
    @property
    def reversed(self) -> bool:
        return self.reversal is not None


def _record(shp: Shipment, lic: Licence | None, rev: ShipmentReversal | None) -> ShipmentRecord:
    lines = [ShipmentRecordLine(classification=ln.classification,
                                quantity=from_milli(ln.qty_milli), value=from_cents(ln.value_cents))
             for ln in shp.lines]
    reversal = None if rev is None else ReversalRecord(
        idempotency_key=rev.idempotency_key, reason=rev.reason, reference=rev.reference,
        actor=rev.actor, recorded_at=as_utc(rev.recorded_at), audit_seq=rev.audit_seq)
    return ShipmentRecord(
        id=shp.id, idempotency_key=shp.idempotency_key,
        licence_number=lic.number if lic else None, licence_agency=lic.agency if lic else None,
        licence_exception=shp.licence_exception, ship_date=shp.ship_date,
        destination=shp.destination, consignee=shp.consignee, end_user=shp.end_user,
        reference=shp.reference, lines=lines,
        total_value=from_cents(sum(ln.value_cents for ln in shp.lines)), actor=shp.actor,
        recorded_at=as_utc(shp.recorded_at), audit_seq=shp.audit_seq, reversal=reversal)


def _base():
    return (select(Shipment, Licence, ShipmentReversal)
            .outerjoin(Licence, Licence.id == Shipment.licence_id)
            .outerjoin(ShipmentReversal, ShipmentReversal.shipment_id == Shipment.id))


def list_shipments(session: Session, *, licence_number: str | None = None,
                   agency: str | None = None, destination: str | None = None,
                   start: dt.date | None = None, end: dt.date | None = None,
                   reversed: bool | None = None, limit: int = 50,
                   offset: int = 0) -> tuple[list[ShipmentRecord], int]:
    """One page of shipments, newest ship date first; ``(records, total matching)``.

    ``licence_number`` names a licence the ledger holds (an unknown one is an error, not an
    empty page: a mistyped number must not read as "nothing shipped"; one two agencies use
    needs ``agency``, as everywhere else); ``agency`` alone keeps
    the shipments drawn on that agency's licences; ``start``/``end`` bound the ship date, both
    days included; ``reversed`` keeps only reversed (True) or standing (False) shipments."""
    if start and end and start > end:
        raise InvalidInput(f"period starts {start} after it ends {end}")
    if limit < 1 or offset < 0:
        raise InvalidInput("limit must be at least 1 and offset at least 0")
    agency = ledger_agency(agency)
    conds = []
    if licence_number is not None:
        ids = select(Licence.id, Licence.agency).where(Licence.number == licence_number.strip())
        if agency:
            ids = ids.where(Licence.agency == agency)
        found = session.execute(ids).all()
        if not found:
            raise NotFound(f"no licence {licence_number!r}"
                           + (f" of agency {agency!r}" if agency else "") + " in the ledger",
                           field="licence_number")
        if len(found) > 1:  # two licences: listed together, they read as one's shipments
            raise ambiguous_licence(licence_number, [a for _, a in found])
        conds.append(Shipment.licence_id == found[0][0])
    elif agency:
        # without a licence number the filter still applies: ignored, it listed the other
        # agency's shipments as if they were this one's
        conds.append(Licence.agency == agency)
    if destination:
        conds.append(Shipment.destination == destination.strip().upper())
    if start:
        conds.append(Shipment.ship_date >= start)
    if end:
        conds.append(Shipment.ship_date <= end)
    if reversed is not None:
        reversal = ShipmentReversal.id
        conds.append(reversal.is_not(None) if reversed else reversal.is_(None))
    total = session.scalar(select(func.count()).select_from(_base().where(*conds).subquery())) or 0
    rows = session.execute(_base().where(*conds)
                           .order_by(Shipment.ship_date.desc(), Shipment.id.desc())
                           .limit(limit).offset(offset)).all()
    return [_record(*row) for row in rows], total


def get_shipment(session: Session, key: str) -> ShipmentRecord:
    """The shipment posted under idempotency key ``key``."""
    row = session.execute(_base().where(Shipment.idempotency_key == key)).first()
    if row is None:
        raise NotFound(f"no shipment with idempotency key {key!r}")
    return _record(*row)

