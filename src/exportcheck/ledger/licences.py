"""Licences: registration, look-up, status history and the balance of each line.

Functions here take an open :class:`~sqlalchemy.orm.Session` and never commit: the caller (the
:class:`exportcheck.ledger.api.Ledger` facade) owns the transaction, so the state change and its
audit entry commit together.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.audit import append_event
from exportcheck.ledger.fields import check_ledger_date
from exportcheck.ledger.models import (
    Licence,
    LicenceLine,
    LicenceParty,
    LicenceStatusEvent,
    PolicyEvent,
    Shipment,
    ShipmentLine,
    ShipmentReversal,
)
from exportcheck.ledger.retries import licence_terms
from exportcheck.ledger.schemas import (
    BLOCKING,
    KINDS_BY_AGENCY,
    LicenceIn,
    LicenceLineIn,
    LicenceOut,
    LicenceStatus,
    LineOut,
    PartyIn,
    ShipmentToReview,
    StatusOut,
)
from exportcheck.ledger.snapshot import LicenceRow, ambiguous_licence, missing_licence
from exportcheck.ledger.tolerances import default_valid_to, tolerance_for
from exportcheck.plaintext import refuse_control

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
#: the agencies whose licences the ledger holds (15 CFR part 750, 22 CFR part 123)
LEDGER_AGENCIES = tuple(a.value for a in KINDS_BY_AGENCY)

#: statuses that end a licence for good: no reinstatement takes effect after them
FINAL = frozenset({LicenceStatus.REVOKED.value, LicenceStatus.EXPIRED.value,
                   LicenceStatus.RETURNED_WITHOUT_ACTION.value})
#: why a DDTC licence whose whole licensed quantity is shipped has expired (:func:`status_shown`)
SHIPPED_OUT = ("22 CFR 123.21(a); 22 CFR 123.22(c)(2): a licence expires when the total "
               "quantity authorised has been shipped")


def to_cents(value: Decimal) -> int:
    return int((value / CENT).to_integral_exact())


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) * CENT).quantize(CENT)


def to_milli(qty: Decimal | None) -> int | None:
    return None if qty is None else int((qty / MILLI).to_integral_exact())


def from_milli(milli: int | None) -> Decimal | None:
    if milli is None:
        return None
    return (Decimal(milli) * MILLI).normalize() if milli % 1000 else Decimal(milli // 1000)


def line_remaining_cents(qty_milli: int | None, value_cents: int, shipped_qty_milli: int,
                         shipped_value_cents: int) -> int:
    """What a line can still be drawn for, in cents: nothing once its licensed quantity is
    shipped (15 CFR 750.11(a)(1): no tolerance applies then, and a post is refused), else its
    value not yet shipped, never below 0. Licence totals add these per line, so a line shipped
    over its value under tolerance does not hide another line's balance."""
    if qty_milli is not None and shipped_qty_milli >= qty_milli:
        return 0
    return max(0, value_cents - shipped_value_cents)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def with_defaults(spec: LicenceIn) -> tuple[LicenceIn, str]:
    """Fill ``valid_to`` from the regulatory validity period; returns the spec and the citation."""
    if spec.valid_to is not None:
        return spec, "stated on the licence"
    end, citation = default_valid_to(spec.agency.value, spec.valid_from)
    return spec.model_copy(update={"valid_to": end}), citation


def licence_to_in(lic: Licence) -> LicenceIn:
    """The stored licence as the input that would create it (idempotent re-adds compare this)."""
    return LicenceIn(
        agency=lic.agency, number=lic.number, kind=lic.kind, destination=lic.destination,
        valid_from=lic.valid_from, valid_to=lic.valid_to, provisos=json.loads(lic.provisos),
        parties=[PartyIn(role=p.role, name=p.name, country=p.country) for p in lic.parties],
        lines=[LicenceLineIn(classification=ln.classification, description=ln.description,
                             unit_basis=ln.unit_basis, unit=ln.unit,
                             quantity=from_milli(ln.qty_milli), value=from_cents(ln.value_cents))
               for ln in lic.lines],
    )


def find_licence(session: Session, number: str, agency: str | None = None, *,
                 lock: bool = False) -> Licence:
    """Look a licence up by number (and agency, any case, when two agencies use the same
    number); an agency whose licences the ledger cannot hold is refused (:func:`ledger_agency`),
    not answered "no licence"."""
    agency = ledger_agency(agency)
    stmt = select(Licence).where(Licence.number == number.strip())
    if agency:
        stmt = stmt.where(Licence.agency == agency)
    if lock:
        # Row lock on PostgreSQL; reload even if this session saw the row before. The lines are
        # read by their own query once the lock is held: rows joined into the locking statement
        # would come from its snapshot, taken before it waited for the lock (stale balances).
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    found = list(session.execute(stmt).scalars())
    if not found:
        raise missing_licence(number, agency, other_spellings(session, number, agency))
    if len(found) > 1:
        raise ambiguous_licence(number, [x.agency for x in found])
    return found[0]


def add_licence(session: Session, spec: LicenceIn, *, actor: str,
                versions: dict | None = None) -> tuple[Licence, bool]:
    """Register a licence; returns ``(licence, created)``.

    Re-adding an identical licence is a no-op (``created`` False), so seeding is idempotent;
    the same number with different terms is refused, because a licence is changed only by
    the agency (an amendment is a new status event or a new licence, 22 CFR 123.25).
    """
    spec, validity_source = with_defaults(spec)
    existing = session.execute(select(Licence).where(
        Licence.agency == spec.agency.value, Licence.number == spec.number)).scalar_one_or_none()
    if existing is None:
        _refuse_another_spelling(session, spec)
    if existing is not None:
        try:
            # a retry spelt differently ("gb", "0a501.a") is the same licence
            same = licence_terms(licence_to_in(existing)) == licence_terms(spec)
        except ValidationError:  # stored before a rule it breaks ($0 line...): not the same
            same = False
        if same:
            return existing, False
        raise LedgerError(f"{spec.agency} licence {spec.number} is already in the ledger with "
                          "different terms; amendments are recorded as a new licence or a "
                          "status change (22 CFR 123.25, 15 CFR 750.7(c))")
    now = _now()
    lic = Licence(agency=spec.agency.value, number=spec.number, kind=spec.kind.value,
                  destination=spec.destination, valid_from=spec.valid_from,
                  valid_to=spec.valid_to, provisos=json.dumps(spec.provisos),
                  status=LicenceStatus.APPROVED.value, created_at=now)
    for no, line in enumerate(spec.lines, start=1):
        lic.lines.append(LicenceLine(
            line_no=no, classification=line.classification, description=line.description,
            unit_basis=line.unit_basis, unit=line.unit, qty_milli=to_milli(line.quantity),
            value_cents=to_cents(line.value), shipped_qty_milli=0, shipped_value_cents=0))
    for party in spec.parties:
        lic.parties.append(LicenceParty(role=party.role, name=party.name, country=party.country))
    lic.status_events.append(LicenceStatusEvent(
        status=LicenceStatus.APPROVED.value, effective=spec.valid_from,
        reason="licence approved", citation=f"validity: {validity_source}", recorded_at=now))
    session.add(lic)
    session.flush()
    append_event(session, kind="licence.added", actor=actor, versions=versions,
                 payload={"licence": spec.model_dump(mode="json"),
                          "validity_source": validity_source})
    return lic, True


def number_key(number: str) -> str:
    """A licence number as the agency means it: case and spaces do not count ('d123 456' is
    licence D123456), so it is compared in this spelling whenever a licence is added."""
    return "".join(number.split()).upper()


def other_spellings(session: Session, number: str, agency: str | None) -> list[str]:
    """The stored numbers (of ``agency``, if given) that are ``number`` with another case or
    spacing (:func:`number_key`)."""
    spaced = func.replace(func.replace(Licence.number, " ", ""), "\t", "")
    stmt = select(Licence.number).where(func.upper(spaced) == number_key(number))
    if agency:
        stmt = stmt.where(Licence.agency == agency)
    return sorted(set(session.execute(stmt).scalars()))


def _refuse_another_spelling(session: Session, spec: LicenceIn) -> None:
    """Refuse a licence whose number is one already in the ledger (same agency) spelt with
    another case or spacing: registered twice, one licence's quantity and value would be
    drawn down twice over."""
    other = next(iter(other_spellings(session, spec.number, spec.agency.value)), None)
    if other is not None:
        raise LedgerError(
            f"{spec.agency} licence {other!r} is already in the ledger: {spec.number!r} is the "
            "same licence number spelt differently (case and spaces do not count); ship "
            f"against {other!r}, and record an amendment as a new licence or a status change "
            "(22 CFR 123.25, 15 CFR 750.7(c))")


def status_on(lic: Licence | LicenceRow, day: dt.date) -> tuple[str, StatusOut | None]:
    """Status in force on ``day``: the newest status event effective on or before it, and
    'expired' after ``valid_to`` (22 CFR 123.21, 15 CFR 750.7(g)) unless already blocked.

    Suspensions stack (:func:`suspensions_on`): while one is in force the licence is
    suspended, and the one named is the newest still in force. A change dated before the
    licence's start (a suspension "with effect from" a notice's date that precedes it) takes
    effect with the licence: it follows the approval, so it is not undone by it."""
    current, suspended = _walk(lic, day)
    if current is not None and current.status not in FINAL and suspended:
        current = max(suspended.values(), key=lambda e: _in_force_from(lic, e))
    if current is None:
        return "not yet valid", None
    out = StatusOut(status=current.status, effective=current.effective, reason=current.reason,
                    citation=current.citation)
    # validity ended first unless a blocking status came earlier (an expiry recorded after
    # valid_to does not move the date the licence expired)
    ended_first = current.status not in BLOCKING or (
        current.status == LicenceStatus.EXPIRED.value and current.effective > lic.valid_to)
    if ended_first and day > lic.valid_to:
        return LicenceStatus.EXPIRED.value, StatusOut(
            status="expired", effective=lic.valid_to + dt.timedelta(days=1),
            reason=f"validity ended {lic.valid_to.isoformat()}",
            citation="22 CFR 123.21" if lic.agency == "DDTC" else "15 CFR 750.7(g)")
    return current.status, out


def _walk(lic: Licence | LicenceRow, day: dt.date) -> tuple[Any, dict[int | None, Any]]:
    """The newest status event in force on ``day`` (an ORM row or StatusRow) and the
    suspensions in force then, by what lifts each: its policy event's id, or None for the
    licence's own (:func:`lift`)."""
    current: Any = None
    suspended: dict[int | None, Any] = {}
    for ev in sorted(lic.status_events, key=lambda e: _in_force_from(lic, e)):
        if max(ev.effective, lic.valid_from) > day:
            break
        if current is not None and current.status in FINAL:
            # a revocation, expiry or return is final, even one recorded after a later
            # reinstatement (as ledgers written before change_status refused one hold)
            break
        if ev.status == LicenceStatus.SUSPENDED.value:
            suspended[ev.policy_event_id] = ev
        elif ev.status == LicenceStatus.REINSTATED.value:
            lift(suspended, ev.policy_event_id)
        current = ev
    return current, suspended


def lift(suspended: dict[int | None, Any], policy_event_id: int | None) -> None:
    """What a reinstatement lifts: the suspension of the policy event it names (a government
    action is lifted by the government, 22 CFR 126.7, 15 CFR 750.8), or, naming none, the
    licence's own suspensions; one agency letter does not end a suspension it did not answer.
    A reinstatement an earlier version recorded while only an event's suspension was in force
    (it lifted whatever was) still lifts it: such a one is refused now
    (:func:`_check_reinstatement`)."""
    if policy_event_id is not None:
        suspended.pop(policy_event_id, None)
    elif None in suspended:
        del suspended[None]
    else:
        suspended.clear()


def suspensions_on(lic: Licence | LicenceRow, day: dt.date) -> dict[int | None, Any]:
    """The suspensions in force on ``day``, by what lifts each (:func:`lift`)."""
    return _walk(lic, day)[1]


def _validity_rule(lic: Licence) -> str:
    return "22 CFR 123.21" if lic.agency == "DDTC" else "15 CFR 750.7(g)"


def _check_revival(lic: Licence, status: LicenceStatus, effective: dt.date, session: Session,
                   policy_event_id: int | None) -> None:
    """Refuse a change that would make an ended licence usable again.

    A revocation ends it (15 CFR 750.8, 22 CFR 126.7; only a suspension can be lifted). So
    does expiry: an expired licence cannot be revived, it is replaced by a new licence (15
    CFR 750.7(g); 22 CFR 123.21 for DDTC): refused is a reinstatement taking effect on or
    after an expiry recorded as a status, or after ``valid_to``. An application returned
    without action authorised nothing; its resubmission is a new licence. A reinstatement
    dated before a recorded expiry still lifts an earlier suspension up to it
    (:func:`_check_reinstatement`)."""
    if status in BLOCKING:
        return
    name = f"{lic.agency} licence {lic.number}"
    revoked = [e for e in lic.status_events if e.status == LicenceStatus.REVOKED.value]
    if revoked:
        first = min(revoked, key=lambda e: e.effective)
        raise LedgerError(
            f"{name} was revoked with effect from {first.effective}: a revocation is final "
            f"and cannot be {status.value}; the exports need a new licence")
    ended = [e for e in lic.status_events
             if e.status in (LicenceStatus.EXPIRED.value,
                             LicenceStatus.RETURNED_WITHOUT_ACTION.value)
             and max(e.effective, lic.valid_from) <= effective]
    if ended:
        first = min(ended, key=lambda e: e.effective)
        if first.status == LicenceStatus.RETURNED_WITHOUT_ACTION.value:
            raise LedgerError(
                f"{name} was returned without action with effect from {first.effective}: "
                f"it authorises nothing and cannot be {status.value} with effect from "
                f"{effective}; a resubmitted application is a new licence")
        raise LedgerError(
            f"{name} was recorded as expired with effect from {first.effective}: an expired "
            f"licence cannot be {status.value} ({_validity_rule(lic)}: it is replaced by a new "
            "licence, and the replacement is added as a licence of its own)")
    if effective > lic.valid_to:
        raise LedgerError(
            f"{name} expired on {lic.valid_to} (its validity ended): it cannot be "
            f"{status.value} with effect from {effective} ({_validity_rule(lic)}: an expired "
            "licence is replaced by a new licence, added as a licence of its own)")
    if status == LicenceStatus.REINSTATED:
        _check_reinstatement(session, lic, effective, policy_event_id)


def _check_reinstatement(session: Session, lic: Licence, effective: dt.date,
                         policy_event_id: int | None) -> None:
    """Refuse a reinstatement that would lift nothing (:func:`lift`): recorded, it would read
    as one in the history. It lifts a suspension in force on its date: the policy event's it
    names, or else the licence's own; one answering only an event's suspension names it."""
    name = f"{lic.agency} licence {lic.number}"
    in_force = status_on(lic, effective)[0]
    if in_force != LicenceStatus.SUSPENDED.value:
        raise LedgerError(
            f"{name} is not suspended on {effective} (it is {in_force} then): a "
            "reinstatement lifts a suspension in force on its date; check the date, or "
            "record the suspension first")
    suspended = suspensions_on(lic, effective)
    if policy_event_id in suspended:
        return
    events = {pid: key for pid, key in session.execute(
        select(PolicyEvent.id, PolicyEvent.key).where(
            PolicyEvent.id.in_([i for i in [*suspended, policy_event_id] if i is not None])))}
    if policy_event_id is not None:
        raise LedgerError(
            f"{name} is not suspended by policy event {events.get(policy_event_id)!r} on "
            f"{effective}: a reinstatement naming an event lifts that event's suspension "
            "only, so nothing would be lifted; check the date or the event")
    keys = [events[i] for i in suspended if i is not None]
    raise LedgerError(
        f"{name} is suspended on {effective} by policy event {', '.join(map(repr, keys))} "
        "only: a reinstatement naming no event lifts the licence's own suspensions; to lift "
        f"the event's for this licence, name it (--lifts {keys[0]}, lifts={keys[0]!r})")


def _in_force_from(lic: Licence | LicenceRow, ev: Any) -> tuple[dt.date, int, int]:
    """Order of status events: by the day each takes effect (not before the licence's
    start), the approval first on its day, then as recorded."""
    approval = ev.status == LicenceStatus.APPROVED.value
    return (max(ev.effective, lic.valid_from), 0 if approval else 1, ev.id or 0)


def change_status(session: Session, lic: Licence, status: LicenceStatus, *,
                  effective: dt.date, reason: str, citation: str, actor: str,
                  policy_event_id: int | None = None, versions: dict | None = None,
                  audit: bool = True) -> tuple[LicenceStatusEvent, list[ShipmentToReview]]:
    """Record a status change (suspension, revocation, reinstatement...) with its citation.
    ``policy_event_id``: the policy event a suspension or revocation applies, or the one whose
    suspension a reinstatement lifts (:func:`lift`).

    Returns the event and the shipments already posted on dates it now blocks (a retroactive
    suspension): the change is a fact and is recorded; they are flagged for review, in its
    audit entry too."""
    if status == LicenceStatus.APPROVED:
        raise InvalidInput("'approved' is recorded when the licence is added; use 'reinstated'")
    if not citation.strip():
        raise InvalidInput("a status change needs the citation of the rule or notice behind it")
    if not reason.strip():  # a refused shipment quotes it: "Reason: " alone says nothing
        raise InvalidInput("a status change needs its reason (what the agency did and why), "
                           "as the REST API requires")
    # as the REST API bounds them: the Python API and the CLI stored a 10 MB reason, and a
    # NUL crashed PostgreSQL's driver while SQLite kept it
    refuse_control(reason, "reason", 2000)
    refuse_control(citation, "citation", 500)
    check_ledger_date(effective, "effective")
    _check_revival(lic, status, effective, session, policy_event_id)
    ev = LicenceStatusEvent(status=status.value, effective=effective, reason=reason,
                            citation=citation, policy_event_id=policy_event_id,
                            recorded_at=_now())
    lic.status_events.append(ev)
    lic.status = status_on(lic, max(effective, _now().date()))[0]
    session.flush()
    review = shipments_to_review(session, lic, effective) if status in BLOCKING else []
    if audit:
        payload = {
            "agency": lic.agency, "number": lic.number, "status": status.value,
            "effective": effective.isoformat(), "reason": reason, "citation": citation,
            "policy_event_id": policy_event_id}
        if review:
            payload["shipments_to_review"] = [r.idempotency_key for r in review]
        append_event(session, kind="licence.status", actor=actor, versions=versions,
                     payload=payload)
    return ev, review


def shipments_to_review(session: Session, lic: Licence,
                        effective: dt.date) -> list[ShipmentToReview]:
    """Shipments on ``lic`` dated on or after ``effective`` that its status history (as it now
    stands) blocks: posted before a retroactive suspension or revocation was recorded. A
    reversed shipment was never made, and one after a later reinstatement is not blocked."""
    rows = session.execute(
        select(Shipment.idempotency_key, Shipment.ship_date, func.sum(ShipmentLine.value_cents))
        .join(ShipmentLine, ShipmentLine.shipment_id == Shipment.id)
        .outerjoin(ShipmentReversal, ShipmentReversal.shipment_id == Shipment.id)
        .where(Shipment.licence_id == lic.id, Shipment.ship_date >= effective,
               ShipmentReversal.id.is_(None))
        .group_by(Shipment.id, Shipment.idempotency_key, Shipment.ship_date)
        .order_by(Shipment.ship_date, Shipment.id)).all()
    return [ShipmentToReview(idempotency_key=key, ship_date=day,
                             total_value=from_cents(int(cents or 0)))
            for key, day, cents in rows if status_on(lic, day)[0] in BLOCKING]


def shipped_by_line(session: Session, day: dt.date) -> dict[int, tuple[int, int]]:
    """``(cents, milli-units)`` drawn per licence line by shipments dated on or before
    ``day``, not reversed (a reversal says the shipment was posted by mistake: it never drew,
    on any date). The balances of a past date, as the report and ``--as-of`` show them."""
    rows = session.execute(
        select(ShipmentLine.licence_line_id, func.sum(ShipmentLine.value_cents),
               func.sum(ShipmentLine.qty_milli))
        .join(Shipment, ShipmentLine.shipment_id == Shipment.id)
        .outerjoin(ShipmentReversal, ShipmentReversal.shipment_id == Shipment.id)
        .where(ShipmentLine.licence_line_id.is_not(None), Shipment.licence_id.is_not(None),
               Shipment.ship_date <= day, ShipmentReversal.id.is_(None))
        .group_by(ShipmentLine.licence_line_id))
    return {line_id: (int(cents or 0), int(milli or 0)) for line_id, cents, milli in rows}


def shipped_out_on(lic: Licence, day: dt.date,
                   shipped: dict[int, tuple[int, int]] | None = None) -> dt.date | None:
    """The ship date on which a DDTC licence's whole licensed quantity had been shipped, if it
    had by ``day`` (``shipped`` as :func:`licence_out` takes it; None: everything drawn so far).

    Such a licence has expired (22 CFR 123.21(a); 123.22(c)(2) has a licence not decremented
    electronically returned "upon expiration, to include when the total authorized value or
    quantity has been shipped"), so the value tolerance of 123.23 left on it is not there to
    draw. A line licensed by value
    alone counts once nothing more can be drawn on it. EAR licences are left to 15 CFR
    750.11(a)(1), which the shipment check applies line by line."""
    if lic.agency != "DDTC" or not lic.lines:
        return None
    for ln in lic.lines:
        cents, milli = ((ln.shipped_value_cents, ln.shipped_qty_milli) if shipped is None
                        else shipped.get(ln.id, (0, 0)))
        if ln.qty_milli is not None and milli < ln.qty_milli:
            return None
        if ln.qty_milli is None:
            tol = tolerance_for(lic.agency, lic.kind, ln.unit_basis)
            if cents < ln.value_cents + int(ln.value_cents * tol.value):
                return None
    session = object_session(lic)
    if session is None:
        return None
    stmt = (select(func.max(Shipment.ship_date))
            .outerjoin(ShipmentReversal, ShipmentReversal.shipment_id == Shipment.id)
            .where(Shipment.licence_id == lic.id, ShipmentReversal.id.is_(None)))
    last = session.scalar(stmt if shipped is None else stmt.where(Shipment.ship_date <= day))
    return last if last is not None and last <= day else None


def status_shown(lic: Licence, day: dt.date, shipped: dict[int, tuple[int, int]] | None = None
                 ) -> tuple[str, StatusOut | None]:
    """:func:`status_on`, and 'expired' from the day a licence it leaves usable was shipped
    in full (:func:`shipped_out_on`): what ``licences show`` and the report say of it."""
    status, ev = status_on(lic, day)
    if status in BLOCKING or status == "not yet valid":
        return status, ev
    since = shipped_out_on(lic, day, shipped)
    if since is None:
        return status, ev
    return LicenceStatus.EXPIRED.value, StatusOut(
        status="expired", effective=since, reason="the whole licensed quantity is shipped",
        citation=SHIPPED_OUT)


def licence_out(lic: Licence, as_of: dt.date | None = None,
                shipped: dict[int, tuple[int, int]] | None = None) -> LicenceOut:
    """Plain view of a licence with balances and the status in force on ``as_of``, and the
    status history as it stood then (the changes effective on or before it).
    ``shipped``: what each line had drawn by then (:func:`shipped_by_line`); without it, the
    balances are everything drawn so far."""
    day = as_of or _now().date()
    lines = []
    for ln in lic.lines:
        tol = tolerance_for(lic.agency, lic.kind, ln.unit_basis)
        cents, milli = ((ln.shipped_value_cents, ln.shipped_qty_milli) if shipped is None
                        else shipped.get(ln.id, (0, 0)))
        remaining_q = None if ln.qty_milli is None else ln.qty_milli - milli
        lines.append(LineOut(
            line_no=ln.line_no, classification=ln.classification, description=ln.description,
            unit_basis=ln.unit_basis, unit=ln.unit, quantity=from_milli(ln.qty_milli),
            value=from_cents(ln.value_cents), shipped_quantity=from_milli(milli),
            shipped_value=from_cents(cents), remaining_quantity=from_milli(remaining_q),
            remaining_value=from_cents(line_remaining_cents(
                ln.qty_milli, ln.value_cents, milli, cents)),
            value_tolerance=tol.value, tolerance_citation=tol.citation))
    status, ev = status_shown(lic, day, shipped)
    # an expiry the ledger derives (shipped in full) is in no status event: shown with its
    # reason and citation at the end of the history
    derived = [ev] if ev is not None and ev.citation == SHIPPED_OUT else []
    return LicenceOut(
        agency=lic.agency, number=lic.number, kind=lic.kind, destination=lic.destination,
        valid_from=lic.valid_from, valid_to=lic.valid_to, provisos=json.loads(lic.provisos),
        parties=[PartyIn(role=p.role, name=p.name, country=p.country) for p in lic.parties],
        lines=lines, status=status,
        history=[StatusOut(status=e.status, effective=e.effective, reason=e.reason,
                           citation=e.citation)
                 for e in sorted(lic.status_events, key=lambda e: (e.effective, e.id or 0))
                 if as_of is None or e.effective <= as_of] + derived)


def ledger_agency(agency: str | None) -> str | None:
    """An agency filter in the ledger's spelling (any case). One whose licences the ledger
    cannot hold ("FOO", OFAC) is refused: it would read as "no licences, nothing shipped"."""
    if agency is None or not agency.strip():
        return None
    code = agency.strip().upper()
    if code not in LEDGER_AGENCIES:
        raise InvalidInput(f"agency {agency!r}: the ledger holds licences of "
                           f"{' and '.join(LEDGER_AGENCIES)}")
    return code


def list_licences(session: Session, *, agency: str | None = None,
                  destination: str | None = None) -> list[Licence]:
    stmt = select(Licence).order_by(Licence.agency, Licence.number)
    if agency := ledger_agency(agency):
        stmt = stmt.where(Licence.agency == agency)
    if destination:
        stmt = stmt.where(Licence.destination == destination.upper())
    return list(session.execute(stmt).scalars())
