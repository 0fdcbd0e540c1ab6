"""Policy events: one government action applied to every matching licence at a date.

Example: on 29/30 June 2020 the State Department ended exports of defence articles to Hong
Kong, and DDTC then put Hong Kong under the China entry of 22 CFR 126.1(d)(1) (policy of
denial; EO 13936, 85 FR 43413). Recording that once as a policy event suspends every matching
DDTC licence with the citation, and later shipments are refused by the status check.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.audit import append_event
from exportcheck.ledger.licences import FINAL, change_status, status_on
from exportcheck.ledger.models import (
    Licence,
    LicenceStatusEvent,
    PolicyEvent,
    Shipment,
    ShipmentReversal,
)
from exportcheck.ledger.schemas import (
    LicenceStatus,
    PolicyEventIn,
    PolicyFilter,
    prefix_matches,
)


@dataclass
class PolicyResult:
    key: str
    created: bool
    affected: list[str] = field(default_factory=list)
    #: shipments already recorded on or after the effective date (recorded before the event
    #: was known): flagged for review, not deleted - the record must stay as it happened
    shipments_on_or_after: list[str] = field(default_factory=list)


def _matches(lic: Licence, ev: PolicyEventIn) -> bool:
    """Does the event's filter select this licence?"""
    f = ev.filter
    if f.agency is not None and lic.agency != f.agency.value:
        return False
    if f.destinations and lic.destination not in f.destinations:
        return False
    if f.kinds and lic.kind not in {k.value for k in f.kinds}:
        return False
    prefixes = ev.filter.classification_prefixes
    if not prefixes:
        return True
    return any(prefix_matches(p, ln.classification) for ln in lic.lines for p in prefixes)


def _applies(lic: Licence, ev: PolicyEventIn) -> bool:
    """Selected, approved by the effective date, and not already ended on it (revoked,
    expired, returned without action). A licence merely suspended then is covered too: skipped,
    lifting that suspension later would revive a licence the event revoked (a revocation is
    final, 22 CFR 126.7(a), 15 CFR 750.8(a)) or suspended."""
    return (_matches(lic, ev) and lic.valid_from <= ev.effective
            and status_on(lic, ev.effective)[0] not in FINAL)


def apply_recorded_events(session: Session, lic: Licence, *, actor: str,
                          versions: dict | None = None) -> list[str]:
    """Give a licence entered *after* a policy event that covers it the event's status.

    Without this, back-filling a 2019 licence after the 2020 event was recorded would leave
    it usable. Returns the keys of the events applied (each audited as a status change).
    """
    applied = []
    for event in session.execute(
            select(PolicyEvent).order_by(PolicyEvent.effective, PolicyEvent.id)).scalars():
        ev = PolicyEventIn(key=event.key, title=event.title, action=event.action,
                           effective=event.effective, citation=event.citation,
                           filter=PolicyFilter.model_validate_json(event.filter_json))
        if _applies(lic, ev):
            change_status(session, lic, LicenceStatus(ev.action), effective=ev.effective,
                          reason=ev.title, citation=ev.citation, actor=actor,
                          policy_event_id=event.id, versions=versions)
            applied.append(ev.key)
    return applied


def lifted_event_id(session: Session, key: str | None, status: LicenceStatus) -> int | None:
    """The id of the policy event a reinstatement names (``lifts``), or None for none named;
    an unknown key is refused rather than read as the licence's own suspension."""
    key = (key or "").strip() or None
    if key is None:
        return None
    if status != LicenceStatus.REINSTATED:
        raise InvalidInput(f"lifts names the policy event a reinstatement lifts; a "
                           f"{status.value} status lifts nothing", field="lifts")
    found = session.scalar(select(PolicyEvent.id).where(PolicyEvent.key == key))
    if found is None:
        raise InvalidInput(f"no policy event {key!r} in the ledger: a reinstatement lifts the "
                           "suspension of an event applied with `licences policy`",
                           field="lifts")
    return found


def _same_event(prior: PolicyEvent, ev: PolicyEventIn) -> None:
    """Refuse a key already applied to another event: answering "already applied" would
    leave, say, a revocation sent under a suspension's key unrecorded."""
    stored = (prior.title, prior.action, prior.effective, prior.citation,
              PolicyFilter.model_validate_json(prior.filter_json))  # as read, not as spelt
    given = (ev.title, ev.action, ev.effective, ev.citation, ev.filter)
    if stored != given:
        changed = [name for name, a, b in zip(
            ("title", "action", "effective", "citation", "filter"), stored, given, strict=True)
            if a != b]
        raise LedgerError(
            f"policy event {ev.key!r} was already applied with different terms ({prior.action} "
            f"with effect from {prior.effective}; now different: {', '.join(changed)}): give "
            "the new event a key of its own")


def apply_policy_event(session: Session, ev: PolicyEventIn, *, actor: str,
                       versions: dict | None = None) -> PolicyResult:
    """Suspend or revoke every licence matching ``ev.filter`` with effect from ``ev.effective``.

    Idempotent by ``ev.key``. Licences approved after the effective date, or already ended on
    it (revoked, expired, returned without action), are left alone; a suspended one is not.
    """
    prior = session.execute(select(PolicyEvent).where(PolicyEvent.key == ev.key)).scalar()
    if prior is not None:
        _same_event(prior, ev)
        rows = session.execute(
            select(Licence.agency, Licence.number).join(LicenceStatusEvent)
            .where(LicenceStatusEvent.policy_event_id == prior.id)
            .order_by(Licence.agency, Licence.number)).all()
        return PolicyResult(ev.key, False, [f"{a} {n}" for a, n in rows])
    stmt = select(Licence).order_by(Licence.id).with_for_update()
    if ev.filter.agency is not None:
        stmt = stmt.where(Licence.agency == ev.filter.agency.value)
    if ev.filter.destinations:
        stmt = stmt.where(Licence.destination.in_(ev.filter.destinations))
    if ev.filter.kinds:
        stmt = stmt.where(Licence.kind.in_([k.value for k in ev.filter.kinds]))
    licences = [lic for lic in session.execute(stmt).scalars() if _matches(lic, ev)]
    event = PolicyEvent(key=ev.key, title=ev.title, action=ev.action, effective=ev.effective,
                        citation=ev.citation, filter_json=ev.filter.model_dump_json(),
                        recorded_at=dt.datetime.now(dt.UTC))
    session.add(event)
    session.flush()
    result = PolicyResult(ev.key, True)
    for lic in licences:
        if not _applies(lic, ev):
            continue
        change_status(session, lic, LicenceStatus(ev.action), effective=ev.effective,
                      reason=ev.title, citation=ev.citation, actor=actor,
                      policy_event_id=event.id, audit=False)
        result.affected.append(f"{lic.agency} {lic.number}")
        late = session.execute(select(Shipment.idempotency_key).outerjoin(
            ShipmentReversal, ShipmentReversal.shipment_id == Shipment.id).where(
            Shipment.licence_id == lic.id, Shipment.ship_date >= ev.effective,
            ShipmentReversal.id.is_(None))).scalars()  # a reversed one was never made
        result.shipments_on_or_after.extend(late)
    append_event(session, kind="policy.applied", actor=actor, versions=versions, payload={
        "event": json.loads(ev.model_dump_json()), "affected": result.affected,
        "shipments_on_or_after": result.shipments_on_or_after})
    return result
