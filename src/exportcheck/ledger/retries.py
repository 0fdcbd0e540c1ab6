"""When a write is a retry of one already recorded, spelt differently or not.

A client that timed out sends its request again, perhaps from another form or script: "cn"
for "CN", "5a002.a" for "5A002.a", "1000" for "1000.00", a name with a double space. The
ledger reads those as one request everywhere else (destinations and amounts are normalised
by the schemas, items compared by :func:`~exportcheck.ledger.schemas.classification_key`,
party names case- and space-blind), so a retry is compared the same way: it answers what the
first request recorded and writes nothing, and a request that differs in substance is still
refused. Shipments keep the hash of the request as first spelt (the audit entry and
:mod:`~exportcheck.ledger.statecheck` rely on it): only when a retry's hash differs is the
first request read back from its audit entry and compared here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from exportcheck.ledger.models import Licence
from exportcheck.ledger.schemas import LicenceIn, LicenceStatus, ShipmentIn, classification_key


def _name(text: str) -> str:
    """A party name as the ledger matches it: case and runs of spaces do not count."""
    return " ".join(text.casefold().split())


def _text(text: str) -> str:
    """Free text (a description, a proviso, a reason): runs of spaces do not count."""
    return " ".join(text.split())


def _lines(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [line | {"classification": classification_key(line["classification"])}
            | ({"description": _text(line["description"])} if "description" in line else {})
            for line in lines]


def shipment_terms(spec: ShipmentIn) -> dict[str, Any]:
    """The shipment request as the ledger reads it (one value per spelling)."""
    dump = spec.model_dump(mode="json")
    return dump | {"consignee": _name(spec.consignee), "end_user": _name(spec.end_user),
                   "lines": _lines(dump["lines"])}


def licence_terms(spec: LicenceIn) -> dict[str, Any]:
    """The licence as the ledger reads it: its number as given (another spelling of it is
    refused by name, :func:`~exportcheck.ledger.licences.add_licence`)."""
    dump = spec.model_dump(mode="json")
    return dump | {
        "provisos": [_text(p) for p in spec.provisos],
        "parties": [p | {"name": _name(p["name"])} for p in dump["parties"]],
        "lines": _lines(dump["lines"])}


def repeats_latest_status(lic: Licence, status: LicenceStatus, effective: dt.date,
                          reason: str, citation: str, policy_event_id: int | None = None) -> bool:
    """Is this status change the licence's latest one again (a retry after a timeout)? Only
    the latest counts: the same suspension after a reinstatement is a new fact, and so is a
    reinstatement lifting another suspension (``policy_event_id``)."""
    if not lic.status_events:
        return False
    latest = max(lic.status_events, key=lambda e: e.id or 0)
    return (latest.status, latest.effective, _text(latest.reason), _text(latest.citation),
            latest.policy_event_id) == (status.value, effective, _text(reason), _text(citation),
                                        policy_event_id)
