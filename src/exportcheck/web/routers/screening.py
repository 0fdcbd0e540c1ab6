"""``/api/v1/screen`` and ``/api/v1/dispositions``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from exportcheck.api import default_screener
from exportcheck.db import get_engine, session_factory, upgrade
from exportcheck.errors import Conflict, InvalidInput
from exportcheck.screen.dispositions import held_below, screen_split
from exportcheck.settings import get_settings
from exportcheck.web.deps import Officer, Viewer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import SCREENING
from exportcheck.web.problems import (
    AUTH_RESPONSES,
    BODY_RESPONSES,
    at_field,
    problem_responses,
    request_field,
)
from exportcheck.web.schemas import (
    LISTS_VERSION_HEADER,
    DispositionIn,
    DispositionOut,
    Page,
    PageParams,
    ScreenBatchRequest,
    ScreenBatchResponse,
    ScreenRequest,
    ScreenResponse,
    ScreenResult,
    page_params,
)

router = APIRouter(prefix="/api/v1", tags=[SCREENING], responses=AUTH_RESPONSES,
                   route_class=JsonBodyRoute)


def threshold_of(value: float | None) -> float:
    return get_settings().screening_threshold if value is None else value


def check_dispositions_possible() -> None:
    """A disposition binds to an entry of the lists loaded in the database: with none loaded
    (screens use the bundled samples) there is nothing to bind it to."""
    from exportcheck.screen import store

    if not store.has_active_lists():
        raise Conflict("dispositions can only be recorded against the official lists loaded in "
                       "the database; screening uses the bundled sample lists because none is "
                       "loaded yet: an administrator loads them (Lists page, POST "
                       "/api/v1/lists/load or `exportcheck lists load`)")


@router.post("/screen", operation_id="screenName",
             response_model=ScreenResponse, summary="Screen one name",
             responses=BODY_RESPONSES)
async def screen(req: ScreenRequest, user: Officer, response: Response) -> ScreenResponse:
    """Ranked hits against the active lists, each with the alias it matched and why it scored
    as it did. Names may be written in any script (Han characters are read as Mandarin pinyin
    and Hong Kong Cantonese romanisations)."""
    # in the event loop on purpose: a screen is ~1 ms of CPU, a thread hop costs as much
    s = default_screener()
    thr = threshold_of(req.threshold)
    try:
        hits, cleared = screen_split(s, req.name, country=req.country, dob=req.dob,
                                     kind=req.kind, lists=req.lists, threshold=thr,
                                     limit=req.limit)
        held = held_below(s, req.name, country=req.country, dob=req.dob, kind=req.kind,
                          lists=req.lists, threshold=thr)
    except InvalidInput as exc:
        raise at_field(exc) from None
    response.headers[LISTS_VERSION_HEADER] = s.version
    return ScreenResponse(hits=hits, suppressed=cleared, held=held, lists_version=s.version,
                          threshold=thr)


@router.post("/screen/batch", operation_id="screenNames",
             response_model=ScreenBatchResponse,
             summary="Screen up to 1,000 names", responses=BODY_RESPONSES)
async def screen_batch(req: ScreenBatchRequest, user: Officer,
                       response: Response) -> ScreenBatchResponse:
    out = await run_in_threadpool(_screen_batch, req)
    response.headers[LISTS_VERSION_HEADER] = out.lists_version
    return out


def _screen_batch(req: ScreenBatchRequest) -> ScreenBatchResponse:
    from exportcheck.screen.entries import check_lists

    s = default_screener()
    thr = threshold_of(req.threshold)
    try:  # the request's lists, not its first name's: checked once, named as they are
        check_lists(req.lists)
    except InvalidInput as exc:
        raise at_field(exc) from None
    results = []
    for i, q in enumerate(req.queries):
        try:
            hits, cleared = screen_split(s, q.name, country=q.country, dob=q.dob, kind=q.kind,
                                         lists=req.lists, threshold=thr, limit=req.limit)
        except InvalidInput as exc:
            # which of up to 1,000 names is wrong: the ERP has to find the row to fix it
            ref = f" (id {q.id!r})" if q.id is not None else ""
            named = InvalidInput(f"queries.{i}{ref}: {exc}")
            named.request_field = request_field(  # type: ignore[attr-defined]
                exc, f"body.queries.{i}")
            raise named from None
        results.append(ScreenResult(id=q.id, name=q.name, hits=hits, suppressed=cleared))
    return ScreenBatchResponse(results=results, lists_version=s.version, threshold=thr)


def _disposition_out(d) -> DispositionOut:
    return DispositionOut(id=d.id, party=d.party_name, country=d.party_country, dob=d.party_dob,
                          list=d.list_code, entry_id=d.entry_id, decision=d.decision,
                          user=d.user, reason=d.reason, decided_on=d.decided_on)


@router.get("/dispositions", operation_id="listDispositions",
            response_model=Page[DispositionOut], summary="Recorded dispositions")
def list_dispositions(user: Viewer,
                      page: Annotated[PageParams, Depends(page_params)]) -> dict:
    from exportcheck.screen.models import DispositionRow

    engine = get_engine()
    upgrade(engine)
    with session_factory(engine)() as s:
        total = s.scalar(select(func.count()).select_from(DispositionRow)) or 0
        rows = s.scalars(select(DispositionRow).order_by(DispositionRow.id.desc())
                         .limit(page.limit).offset(page.offset)).all()
        return page.page([_disposition_out(d) for d in rows], total)


@router.post("/dispositions", operation_id="createDisposition",
             response_model=DispositionOut, status_code=201,
             summary="Clear or confirm a hit for a party",
             responses={**BODY_RESPONSES, **problem_responses(404, 409)})
def add_disposition(req: DispositionIn, user: Officer) -> DispositionOut:
    """``cleared`` (the default): later screens of the same party (name, country and date of
    birth as given) suppress the hit until the list entry changes. ``confirmed``: the party is
    the listed entry; determinations apply the hit instead of holding the line. Recorded under
    your name in the audit trail."""
    from exportcheck.screen import store

    check_dispositions_possible()
    d = store.record_disposition(req.party, req.list, req.entry_id, user=user.actor,
                                 reason=req.reason, country=req.country, dob=req.dob,
                                 decision=req.decision)
    return _disposition_out(d)
