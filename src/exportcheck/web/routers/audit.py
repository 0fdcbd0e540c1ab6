"""``/api/v1/audit``: browse, verify and export the hash-chained audit trail."""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from exportcheck.ledger.audit import parse_anchor, stored_json
from exportcheck.web.deps import Viewer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import AUDIT
from exportcheck.web.problems import AUTH_RESPONSES, problem_responses
from exportcheck.web.routers.ledger import LedgerDep
from exportcheck.web.schemas import (
    AuditEntryOut,
    IsoDate,
    Page,
    PageParams,
    VerifyOut,
    choice_query,
    page_params,
)

#: the JSON export (exportcheck.ledger.audit.export): the period, the chain's check, and the
#: entries as stored (text and hashes verbatim, so a file alone re-verifies), each also parsed
EXPORT_SCHEMA = {
    "type": "object",
    "required": ["exported_at", "chain", "entries"],
    "properties": {
        "exported_at": {"type": "string", "format": "date-time"},
        "from": {"type": ["string", "null"], "format": "date-time"},
        "to": {"type": ["string", "null"], "format": "date-time"}, "retention": {"type": "string"},
        "chain": {"type": "object", "description": "the chain's verification (as /verify)"},
        "hash_rule": {"type": "string"},
        "entries": {"type": "array", "items": {"type": "object", "properties": {
            "seq": {"type": "integer"}, "recorded_at": {"type": "string", "format": "date-time"},
            "actor": {"type": "string"}, "kind": {"type": "string"},
            "payload": {"type": "string", "description": "the stored JSON text"},
            "payload_parsed": {}, "versions": {"type": "string"},
            "prev_hash": {"type": "string"}, "hash": {"type": "string"},
            "unreadable": {"type": "object", "additionalProperties": {"type": "string"},
                           "description": "only on an entry edited outside exportcheck: "
                                          "by column, what it stored that is not UTF-8 text "
                                          "(written with those bytes escaped as \\xNN)"}}}},
    },
}
#: ``?order=``: the newest entries first, or the oldest
OrderQuery = choice_query(Literal["newest", "oldest"])
#: ``?format=`` of the export
FormatQuery = choice_query(Literal["json", "csv"])
router = APIRouter(prefix="/api/v1/audit", tags=[AUDIT], responses=AUTH_RESPONSES,
                   route_class=JsonBodyRoute)


def entry_out(e) -> AuditEntryOut:
    """An entry with its payload and versions parsed; a text that is not JSON (edited outside
    exportcheck) is given as the stored string, where a sound entry has an object."""
    def parsed(text: str) -> Any:
        value = stored_json(text)
        return text if value is None else value

    return AuditEntryOut(seq=e.seq, recorded_at=e.recorded_at, actor=e.actor, kind=e.kind,
                         payload=parsed(e.payload), versions=parsed(e.versions),
                         prev_hash=e.prev_hash, hash=e.hash)


@router.get("", operation_id="listAuditEntries",
            response_model=Page[AuditEntryOut], summary="Audit entries, newest first",
            responses=problem_responses(400))
def entries(user: Viewer, led: LedgerDep, page: Annotated[PageParams, Depends(page_params)],
            kind: Annotated[str | None, Query(max_length=64, examples=["shipment"])] = None,
            actor: Annotated[str | None, Query(max_length=128)] = None,
            from_: Annotated[IsoDate | None, Query(alias="from")] = None,
            to: IsoDate | None = None,
            order: OrderQuery = "newest") -> dict:
    """Filter by kind (``shipment`` also finds ``shipment.refused``), actor and the day
    recorded (UTC)."""
    rows, total = led.audit_entries(kind=kind, actor=actor, start=from_, end=to,
                                    limit=page.limit, offset=page.offset,
                                    newest_first=order == "newest")
    return page.page([entry_out(e) for e in rows], total)


@router.post("/verify", operation_id="verifyAuditTrail",
             response_model=VerifyOut, summary="Verify the audit chain",
             responses=problem_responses(400, 413))
def verify(user: Viewer, led: LedgerDep,
           anchor: Annotated[list[str] | None, Query(max_length=64)] = None) -> VerifyOut:
    """Recompute the hash chain, then check the ledger tables against it; reports the first
    entry or row that was edited, deleted, inserted or reordered. ``anchor`` (``SEQ:HASH``,
    repeatable): a head recorded earlier outside the database, as ``audit verify --anchor``;
    only an anchor shows entries deleted from the end with the chain head rewritten to
    match, or a log re-hashed from the start."""
    anchors = [parse_anchor(a) for a in anchor or ()]
    return VerifyOut(**led.verify_audit(anchors).as_dict())


@router.get("/export", operation_id="exportAuditTrail",
            summary="Export the audit trail (JSON or CSV) for an auditor",
            response_class=Response,
            responses={200: {"description": "every entry of the period, oldest first, with "
                                            "the chain's check and how to re-verify it",
                             "content": {"application/json": {"schema": EXPORT_SCHEMA},
                                         "text/csv": {"schema": {"type": "string"}}}},
                       **problem_responses(400)})
def export(user: Viewer, led: LedgerDep, format: FormatQuery = "json",
           from_: Annotated[IsoDate | None, Query(alias="from")] = None,
           to: IsoDate | None = None) -> Response:
    buf = io.StringIO()
    led.export_audit(buf, fmt=format, start=from_, end=to)
    media = "text/csv" if format == "csv" else "application/json"
    name = f"exportcheck-audit.{format}"
    return Response(buf.getvalue(), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
