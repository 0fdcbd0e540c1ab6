"""Approved vs shipped vs remaining, per licence and in total, with what is blocked and why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from exportcheck.ledger.licences import (
    from_cents,
    line_remaining_cents,
    list_licences,
    shipped_by_line,
    status_shown,
)
from exportcheck.ledger.schemas import BLOCKING
from exportcheck.ledger.wire import DollarsText


class ReportRow(BaseModel):
    agency: str
    number: str
    kind: str
    destination: str
    status: str
    status_since: dt.date | None
    status_citation: str
    valid_from: dt.date
    valid_to: dt.date
    #: expired only because its validity ended (``valid_to`` passed), not by a recorded status
    validity_ended: bool = False
    approved: DollarsText
    shipped: DollarsText
    #: the sum of each line's remainder (0 on a line whose licensed quantity is all shipped)
    remaining: DollarsText
    #: remaining balance that cannot be used on ``as_of`` (suspended, revoked, expired...)
    blocked: DollarsText
    available: DollarsText


class Report(BaseModel):
    as_of: dt.date
    rows: list[ReportRow]
    approved: DollarsText
    shipped: DollarsText
    remaining: DollarsText
    blocked: DollarsText
    available: DollarsText


def build_report(session: Session, *, as_of: dt.date | None = None, agency: str | None = None,
                 destination: str | None = None) -> Report:
    """Balances of every licence (optionally filtered) as they stand on ``as_of``: its status
    on that day and only the shipments dated on or before it (without ``as_of``: today's
    status and everything drawn so far). Remaining is the sum of each line's own remainder
    (:func:`~exportcheck.ledger.licences.line_remaining_cents`: 0 once its quantity is
    shipped), never one line's balance netted against another's overshoot."""
    day = as_of or dt.date.today()
    drawn_by = None if as_of is None else shipped_by_line(session, as_of)
    rows = []
    for lic in list_licences(session, agency=agency, destination=destination):
        approved = shipped = remaining = 0
        for ln in lic.lines:
            if drawn_by is None:  # today: what is drawn now
                cents, milli = ln.shipped_value_cents, ln.shipped_qty_milli
            else:
                cents, milli = drawn_by.get(ln.id, (0, 0))
            approved += ln.value_cents
            shipped += cents
            remaining += line_remaining_cents(ln.qty_milli, ln.value_cents, milli, cents)
        status, ev = status_shown(lic, day, drawn_by)
        blocked = remaining if status in BLOCKING or status == "not yet valid" else 0
        since = ev.effective if ev else None
        rows.append(ReportRow(
            agency=lic.agency, number=lic.number, kind=lic.kind, destination=lic.destination,
            status=status, status_since=since,
            status_citation=ev.citation if ev and status in BLOCKING else "",
            valid_from=lic.valid_from, valid_to=lic.valid_to,
            validity_ended=status == "expired" and since == lic.valid_to + dt.timedelta(days=1),
            approved=from_cents(approved), shipped=from_cents(shipped),
            remaining=from_cents(remaining), blocked=from_cents(blocked),
            available=from_cents(remaining - blocked)))

    def total(attr: str) -> Decimal:
        return sum((getattr(r, attr) for r in rows), Decimal("0.00"))

    return Report(as_of=day, rows=rows, approved=total("approved"), shipped=total("shipped"),
                  remaining=total("remaining"), blocked=total("blocked"),
                  available=total("available"))
