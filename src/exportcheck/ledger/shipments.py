"""Shipments: check one against its licence and draw it down, exactly once.

Correctness under concurrency rests on three things, all inside one transaction:

1. the licence row is locked before anything is read (``SELECT ... FOR UPDATE`` on
   PostgreSQL; the session is ``BEGIN IMMEDIATE`` on SQLite, which holds the database write
   lock), so two writers cannot both see the same remaining balance;
2. the draw itself is a conditional ``UPDATE ... WHERE shipped + delta <= cap`` whose row count
   is checked, so even a caller that forgot the lock cannot over-draw;
3. the idempotency key is UNIQUE, so a repeated post finds the first one instead of drawing
   again (and a concurrent duplicate fails its INSERT and is answered from the winner).

A refused shipment raises :class:`~exportcheck.errors.LedgerError` naming the rule; the caller
rolls back, so nothing changes (the refusal itself is then audited in its own transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from exportcheck.errors import LedgerError
from exportcheck.ledger.audit import append_event, canonical_json
from exportcheck.ledger.licences import (
    find_licence,
    from_cents,
    from_milli,
    status_on,
    to_cents,
    to_milli,
)
from exportcheck.ledger.models import Licence, LicenceLine, Shipment, ShipmentLine
from exportcheck.ledger.schemas import BLOCKING, ShipmentIn
from exportcheck.ledger.tolerances import tolerance_for

_LINES = LicenceLine.__table__


class ShipmentRefused(LedgerError):
    """A shipment the licence does not cover; ``rule`` is a short machine-readable reason."""

    code = "shipment_refused"

    def __init__(self, message: str, rule: str) -> None:
        super().__init__(message)
        self.rule = rule


def request_hash(spec: ShipmentIn) -> str:
    return hashlib.sha256(canonical_json(spec.model_dump(mode="json")).encode()).hexdigest()


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


def _cls(code: str) -> str:
    return "".join(code.upper().split())


def _authority(lic: Licence) -> str:
    """The rule that confines a licence to what it names."""
    if lic.agency == "DDTC":
        return "22 CFR 123.9 and 123.25(c): destination, consignee and end user cannot change"
    return "15 CFR 750.7(a): a licence authorises only the transaction it describes"


def _existing(session: Session, spec: ShipmentIn, digest: str) -> Shipment | None:
    prior = session.execute(
        select(Shipment).where(Shipment.idempotency_key == spec.idempotency_key)
    ).scalar_one_or_none()
    if prior is not None and prior.request_hash != digest:
        raise LedgerError(f"idempotency key {spec.idempotency_key!r} was already used for a "
                          "different shipment; use a new key for a new shipment")
    return prior


def _check_licence_terms(lic: Licence, spec: ShipmentIn) -> None:
    label = f"{lic.agency} licence {lic.number}"
    status, ev = status_on(lic, spec.ship_date)
    if status == "not yet valid" or spec.ship_date < lic.valid_from:
        raise ShipmentRefused(
            f"{label} is not valid until {lic.valid_from}; ship date {spec.ship_date} is outside "
            f"its validity ({_validity(lic)})", "outside_validity")
    if status in BLOCKING and ev is not None:
        if status == "expired":
            raise ShipmentRefused(
                f"{label} expired on {lic.valid_to}; ship date {spec.ship_date} is outside its "
                f"validity ({_validity(lic)})", "outside_validity")
        rule = "22 CFR 126.7" if lic.agency == "DDTC" else "15 CFR 750.8"
        raise ShipmentRefused(
            f"{label} was {status} with effect from {ev.effective}: no shipment may be made under "
            f"it on or after that date ({rule}). Reason: {ev.reason} [{ev.citation}]",
            f"licence_{status}")
    if spec.destination != lic.destination:
        raise ShipmentRefused(
            f"{label} authorises exports to {lic.destination}, not {spec.destination} "
            f"({_authority(lic)})", "destination_not_on_licence")
    for role, given in (("consignee", spec.consignee), ("end_user", spec.end_user)):
        named = [p.name for p in lic.parties
                 if p.role == role or (role == "consignee" and p.role == "intermediate_consignee")]
        if named and _norm(given) not in {_norm(n) for n in named}:
            raise ShipmentRefused(
                f"{label} does not name {given!r} as {role.replace('_', ' ')} (it names "
                f"{', '.join(repr(n) for n in named)}; {_authority(lic)})",
                f"{role}_not_on_licence")


def _validity(lic: Licence) -> str:
    rule = "22 CFR 123.21" if lic.agency == "DDTC" else "15 CFR 750.7(g)"
    return f"{lic.valid_from} to {lic.valid_to}, {rule}"


def _match_lines(lic: Licence, spec: ShipmentIn) -> dict[int, tuple[LicenceLine, int, int]]:
    """Map each shipment line to its licence line; sum deltas per licence line."""
    by_no = {ln.line_no: ln for ln in lic.lines}
    by_cls = {_cls(ln.classification): ln for ln in lic.lines}
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    found: dict[int, LicenceLine] = {}
    for item in spec.lines:
        ln = by_no.get(item.line_no) if item.line_no is not None else by_cls.get(
            _cls(item.classification))
        if ln is None or _cls(ln.classification) != _cls(item.classification):
            raise ShipmentRefused(
                f"{lic.agency} licence {lic.number} has no line for {item.classification}"
                + (f" at line {item.line_no}" if item.line_no is not None else "")
                + f" ({_authority(lic)})", "item_not_on_licence")
        if ln.unit_basis == "number" and item.quantity != item.quantity.to_integral_value():
            raise ShipmentRefused(
                f"line {ln.line_no} ({ln.classification}) is licensed by number: ship whole "
                f"units, not {item.quantity} (15 CFR 750.11(a)(2))", "fractional_units")
        found[ln.id] = ln
        totals[ln.id][0] += to_milli(item.quantity) or 0
        totals[ln.id][1] += to_cents(item.value)
    return {lid: (found[lid], q, v) for lid, (q, v) in totals.items()}


def _caps(lic: Licence, ln: LicenceLine) -> tuple[int | None, int, str]:
    tol = tolerance_for(lic.agency, lic.kind, ln.unit_basis)
    cap_q = None if ln.qty_milli is None else ln.qty_milli + int(ln.qty_milli * tol.quantity)
    cap_v = ln.value_cents + int(ln.value_cents * tol.value)
    how = (f"{tol.citation}: value tolerance {tol.value * 100:.0f}%, quantity tolerance "
           f"{tol.quantity * 100:.0f}%")
    return cap_q, cap_v, how


def _draw(session: Session, lic: Licence, matched: dict[int, tuple[LicenceLine, int, int]]
          ) -> list[dict]:
    drawn = []
    for ln, q, v in matched.values():
        cap_q, cap_v, how = _caps(lic, ln)
        where = f"{lic.agency} licence {lic.number} line {ln.line_no} ({ln.classification})"
        if ln.qty_milli is not None and ln.shipped_qty_milli >= ln.qty_milli:
            raise ShipmentRefused(
                f"{where}: the full licensed quantity ({from_milli(ln.qty_milli)} {ln.unit}) has "
                "already been shipped; no further shipment may be made under it "
                "(15 CFR 750.11(a)(1); 22 CFR 123.23)", "quantity_exhausted")
        if cap_q is not None and ln.shipped_qty_milli + q > cap_q:
            raise ShipmentRefused(
                f"{where}: shipping {from_milli(q)} {ln.unit} would exceed the remaining quantity "
                f"{from_milli(cap_q - ln.shipped_qty_milli)} {ln.unit} ({how})",
                "quantity_exceeded")
        if ln.shipped_value_cents + v > cap_v:
            raise ShipmentRefused(
                f"{where}: shipping ${from_cents(v):,} would exceed the remaining value "
                f"${from_cents(max(0, cap_v - ln.shipped_value_cents)):,} including the "
                f"shipping tolerance (licensed ${from_cents(ln.value_cents):,}; {how})",
                "value_exceeded")
        t = _LINES.c
        result = session.connection().execute(
            update(_LINES)
            .where(t.id == ln.id, t.shipped_value_cents + v <= cap_v,
                   or_(t.qty_milli.is_(None),
                       t.shipped_qty_milli + q <= (cap_q if cap_q is not None else 0)))
            .values(shipped_value_cents=t.shipped_value_cents + v,
                    shipped_qty_milli=t.shipped_qty_milli + q))
        if result.rowcount != 1:  # only if someone drew without holding the licence lock
            raise ShipmentRefused(f"{where}: balance changed concurrently; retry", "concurrent")
        drawn.append({
            "line_no": ln.line_no, "classification": ln.classification,
            "quantity": str(from_milli(q)), "value": str(from_cents(v)),
            "remaining_quantity": None if ln.qty_milli is None else str(
                from_milli(ln.qty_milli - ln.shipped_qty_milli - q)),
            "remaining_value": str(from_cents(ln.value_cents - ln.shipped_value_cents - v)),
            "tolerance": how})
    return drawn


def post_shipment(session: Session, spec: ShipmentIn, *, actor: str,
                  versions: dict | None = None) -> tuple[Shipment, bool]:
    """Check and record one shipment in the caller's (write) transaction.

    Returns ``(shipment, created)``; ``created`` is False for a repeated idempotency key.
    Raises :class:`ShipmentRefused` (nothing written) when the licence does not cover it.
    """
    digest = request_hash(spec)
    lic: Licence | None = None
    if spec.licence_number is not None:
        # Lock first: every later read of this licence sees the committed latest state.
        lic = find_licence(session, spec.licence_number,
                           spec.agency.value if spec.agency else None, lock=True)
    prior = _existing(session, spec, digest)
    if prior is not None:
        return prior, False
    drawn: list[dict] = []
    if lic is not None:
        _check_licence_terms(lic, spec)
        drawn = _draw(session, lic, _match_lines(lic, spec))
    # The audit entry is appended first so the shipment row can carry its sequence number
    # (one INSERT each); the idempotency key in the request identifies the shipment.
    entry = append_event(session, kind="shipment.posted", actor=actor, versions=versions,
                         payload={"request": spec.model_dump(mode="json"), "decision": "accepted",
                                  "drawn": drawn, "licence": None if lic is None else
                                  {"agency": lic.agency, "number": lic.number, "kind": lic.kind}})
    shipment = Shipment(
        idempotency_key=spec.idempotency_key, request_hash=digest,
        licence_id=lic.id if lic else None, licence_exception=spec.licence_exception,
        ship_date=spec.ship_date, destination=spec.destination, consignee=spec.consignee,
        end_user=spec.end_user, reference=spec.reference, actor=actor,
        recorded_at=dt.datetime.now(dt.UTC), audit_seq=entry.seq)
    # Lines that match a licence line point at it; under an exception they stand alone.
    line_ids = {_cls(ln.classification): ln.id for ln in lic.lines} if lic else {}
    for item in spec.lines:
        shipment.lines.append(ShipmentLine(
            licence_line_id=line_ids.get(_cls(item.classification)),
            classification=item.classification, qty_milli=to_milli(item.quantity) or 0,
            value_cents=to_cents(item.value)))
    session.add(shipment)
    session.flush()
    return shipment, True


def total_value(shipment: Shipment) -> Decimal:
    return from_cents(sum(line.value_cents for line in shipment.lines))
