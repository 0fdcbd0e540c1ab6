"""``/api/v1/determinations``: one order line, or a batch of up to 10,000."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl
from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from exportcheck.api import default_screener, determine, record_determination
from exportcheck.determine.batch_io import FACT_COLUMNS, fact_cells
from exportcheck.determine.cleared import ClearedHits, party_roles
from exportcheck.errors import ExportCheckError
from exportcheck.models import Determination
from exportcheck.web.deps import Officer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import DETERMINATIONS
from exportcheck.web.problems import BODY_RESPONSES, at_field
from exportcheck.web.schemas import (
    BatchAnswer,
    DeterminationBatchRequest,
    DeterminationBatchResponse,
    DeterminationRequest,
    OwnerStake,
)

if TYPE_CHECKING:
    from exportcheck.screen.ownership import Ownership

router = APIRouter(prefix="/api/v1/determinations", tags=[DETERMINATIONS],
                   responses=BODY_RESPONSES, route_class=JsonBodyRoute)


def ownership_of(owners: list[OwnerStake] | None) -> Ownership | None:
    """The request's owners as a validated graph (a bad one is a 422 naming the row)."""
    if not owners:
        return None
    from exportcheck.screen.ownership import Ownership

    try:
        return Ownership.from_rows([o.model_dump() for o in owners], source="owners")
    except ExportCheckError as exc:  # each names its row; all are about the owners field
        exc.field = exc.field or "owners"
        raise


def decide(req: DeterminationRequest, *, actor: str | None = None,
           ownership: Ownership | None = None) -> Determination:
    """Shared by the API and the web UI. ``ownership``: the owners already read (the web
    form's, parsed from its text); else the request's."""
    parties = req.end_user or getattr(req, "consignee", None)
    # cleared hits are kept aside and written into the trace: the record says why screening
    # passed, not that nothing was found
    screener = ClearedHits(default_screener()) if req.screen and parties else None
    d = determine(req.item, req.destination, req.date, value=req.value, quantity=req.quantity,
                  end_user=req.end_user, end_user_type=req.end_user_type.value,
                  end_use=req.end_use, screener=screener,
                  consignee=getattr(req, "consignee", None),
                  ownership=ownership or ownership_of(getattr(req, "owners", None)),
                  facts=getattr(req, "facts", None))
    if screener is not None:
        d = screener.annotate(d, party_roles(req.end_user, getattr(req, "consignee", None)))
    if req.record and actor:
        record_determination(d, actor=actor)
    return d


@router.post("", operation_id="createDetermination",
             response_model=Determination, summary="Determine one order line")
def determine_line(req: DeterminationRequest, user: Officer) -> Determination:
    """The same answer as ``exportcheck check --json``: outcome, agency, reasons, licence
    exceptions, review policy and the full trace of rules with their citations. With
    ``record``, the determination is written to the audit trail under your name."""
    try:
        return decide(req, actor=user.actor)
    except ExportCheckError as exc:
        raise at_field(exc) from None


@router.post("/batch", operation_id="createDeterminationBatch",
             response_model=DeterminationBatchResponse,
             summary="Determine up to 10,000 order lines")
async def determine_batch(req: DeterminationBatchRequest,
                          user: Officer) -> DeterminationBatchResponse:
    """The vectorised path of ``exportcheck batch``: one answer per line, in order; a line
    that cannot be decided (an unknown item or destination, a date that is not YYYY-MM-DD)
    carries its ``error`` instead of failing the batch. ``line`` numbers the lines from 1, as
    ``exportcheck batch`` does."""
    return await run_in_threadpool(_batch, req)


def _batch(req: DeterminationBatchRequest) -> DeterminationBatchResponse:
    from exportcheck.determine.batch import determine_frame

    ownership = ownership_of(req.owners)
    rows = [line.model_dump(exclude={"id", "facts"}, mode="json") | fact_cells(line.facts)
            for line in req.lines]
    frame = pl.DataFrame(rows, schema={
        "item": pl.String, "destination": pl.String, "date": pl.String, "value": pl.Float64,
        "quantity": pl.Float64, "end_user": pl.String, "end_user_type": pl.String,
        "end_use": pl.String, "consignee": pl.String,
        **dict.fromkeys(FACT_COLUMNS, pl.String)})
    wants = req.screen and any(line.end_user or line.consignee for line in req.lines)
    screener = default_screener() if wants else None
    out = determine_frame(frame, screener=screener, workers=1, ownership=ownership)
    results = []
    rows_out = zip(req.lines, out.iter_rows(named=True), strict=True)
    for i, (line, row) in enumerate(rows_out, start=1):  # 1-based, as `exportcheck batch`
        results.append(BatchAnswer(
            line=i, id=line.id, outcome=row["outcome"], agency=row["agency"],
            reasons=_split(row["reasons"]), license_exceptions=_split(row["license_exceptions"]),
            review_policy=row["review_policy"], hold=bool(row["hold"]),
            if_confirmed=row["if_confirmed"], if_out_of_scope=row["if_out_of_scope"],
            exception_conditions=_split(row["exception_conditions"], " | "),
            caveats=_split(row["caveats"], " | "),
            facts_wanted=_split(row["facts_wanted"], " | "),
            party_hits=_split(row["party_hits"], " | "), error=row["error"]))
    counts: dict[str, int] = {}
    for r in results:
        counts[r.outcome or "ERROR"] = counts.get(r.outcome or "ERROR", 0) + 1
    return DeterminationBatchResponse(results=results, counts=counts,
                                      lists_version=screener.version if screener else None)


def _split(text: str | None, sep: str = ",") -> list[str]:
    return [x for x in (text or "").split(sep) if x]
