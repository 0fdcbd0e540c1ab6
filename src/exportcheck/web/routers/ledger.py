"""Licences, shipments and the ledger report: ``/api/v1/licences``, ``/shipments``,
``/ledger/report``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi.exceptions import RequestValidationError

from exportcheck.api import default_screener
from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.records import ShipmentRecord
from exportcheck.ledger.report import Report
from exportcheck.ledger.schemas import (
    LicenceIn,
    LicenceOut,
    ReversalOut,
    ReversalRequest,
    ShipmentIn,
    ShipmentOut,
    StatusChangeOut,
)
from exportcheck.ledger.shipments import check_ship_date
from exportcheck.web.deps import Officer, Viewer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import LICENCES, SHIPMENTS
from exportcheck.web.problems import AUTH_RESPONSES, BODY_RESPONSES, problem_responses
from exportcheck.web.schemas import (
    AgencyQuery,
    IsoDate,
    LicenceAdded,
    LicenceNumberPath,
    Page,
    PageParams,
    ShipmentKeyPath,
    StatusChange,
    page_params,
)

router = APIRouter(prefix="/api/v1", responses=AUTH_RESPONSES, route_class=JsonBodyRoute)
#: a write to the ledger: a bad request, an unknown licence, or refused by a rule (409)
WRITE = {**BODY_RESPONSES, **problem_responses(404, 409)}


def replayed(model: type, what: str) -> dict[int | str, dict[str, Any]]:
    """The 200 a write answers when it was already made (201 the first time): documented, so
    a client built from the spec reads a retry's answer as the first one."""
    return {200: {"model": model, "description": f"{what} already made: the first answer, "
                                                  "with `created: false`; nothing recorded"}}


def ledger() -> Ledger:
    """The ledger on the configured database (engines are cached per URL)."""
    return Ledger()


def versions() -> dict[str, str]:
    from exportcheck.rules import load_ruleset

    return {"rule_base": load_ruleset().version}


LedgerDep = Annotated[Ledger, Depends(ledger)]


@router.get("/licences", operation_id="listLicences", tags=[LICENCES],
            response_model=Page[LicenceOut], summary="Licences",
            responses=problem_responses(400))
def list_licences(user: Viewer, led: LedgerDep,
                  page: Annotated[PageParams, Depends(page_params)],
                  agency: AgencyQuery = None,
                  destination: Annotated[str | None, Query(max_length=8)] = None,
                  as_of: IsoDate | None = None) -> dict:
    return page.page(led.list_licences(agency=agency, destination=destination, as_of=as_of))


@router.get("/licences/{number:path}", operation_id="getLicence", tags=[LICENCES],
            response_model=LicenceOut, summary="One licence",
            responses=problem_responses(400, 404))
def get_licence(number: LicenceNumberPath, user: Viewer, led: LedgerDep,
                agency: AgencyQuery = None,
                as_of: IsoDate | None = None) -> LicenceOut:
    """The licence numbered ``number`` (which may hold a "/": registering accepts one)."""
    return led.get_licence(number, agency, as_of)


@router.post("/licences", operation_id="createLicence", tags=[LICENCES],
             response_model=LicenceAdded, status_code=201,
             summary="Register a licence",
             responses={**WRITE, **replayed(LicenceAdded, "the same licence")})
def add_licence(spec: LicenceIn, user: Officer, led: LedgerDep,
                response: Response) -> LicenceAdded:
    """An identical re-add is a no-op answered with 200 and ``created: false``."""
    lic, created = led.add_licence(spec, actor=user.actor, versions=versions())
    if not created:
        response.status_code = 200
    return LicenceAdded(licence=lic, created=created)


@router.post("/licences/{number:path}/status", operation_id="changeLicenceStatus", tags=[LICENCES],
             response_model=StatusChangeOut,
             summary="Suspend, revoke or reinstate a licence", responses=WRITE)
def set_status(number: LicenceNumberPath, change: StatusChange, user: Officer,
               led: LedgerDep) -> StatusChangeOut:
    """Recorded even when back-dated; ``shipments_to_review`` lists the shipments already
    posted on dates the change now blocks."""
    return led.set_status(number, change.status, effective=change.effective,
                          reason=change.reason, citation=change.citation, agency=change.agency,
                          actor=user.actor, versions=versions(), lifts=change.lifts)


def _made(spec: ShipmentIn) -> ShipmentIn:
    """A ship date after tomorrow is a 422 on ``body.ship_date``, as a malformed one is
    (:func:`~exportcheck.ledger.shipments.check_ship_date`)."""
    try:
        return check_ship_date(spec)
    except InvalidInput as exc:
        raise RequestValidationError([{"loc": ("body", "ship_date"), "msg": str(exc),
                                       "type": "value_error"}]) from None


@router.post("/shipments", operation_id="createShipment", tags=[SHIPMENTS],
             response_model=ShipmentOut, status_code=201,
             summary="Post a shipment against a licence",
             responses={**WRITE, **replayed(ShipmentOut, "a shipment of this idempotency key")})
def post_shipment(spec: ShipmentIn, user: Officer, led: LedgerDep, response: Response,
                  override_reason: Annotated[str | None, Query(max_length=2000)] = None,
                  ) -> ShipmentOut:
    """Drawn down once per ``idempotency_key`` (a replay answers 200 with the first result).
    Refused with 409 and the rule when it would over-draw a line or the licence is not usable
    on the ship date (suspended, revoked, expired, wrong destination...); the refusal is in
    the audit trail. A shipment under a licence exception is checked against the
    determination of each line instead; ``override_reason`` (an authority the rule base does
    not know: an advisory opinion, a ruling) posts one it refuses, unless PROHIBITED, and is
    recorded with it. The consignee and end user are screened against the active lists: a
    blocked, denied or debarred party refuses the shipment (``party_blocked``, or
    ``prohibited`` under an exception), a potential match holds it (``party_held``) until a
    disposition clears or confirms it."""
    out = led.post_shipment(_made(spec), actor=user.actor, versions=versions(),
                            override_reason=override_reason,
                            screener=default_screener())
    if not out.created:
        response.status_code = 200
    return out


@router.get("/shipments", operation_id="listShipments", tags=[SHIPMENTS],
            response_model=Page[ShipmentRecord], summary="Posted shipments",
            responses=problem_responses(400, 404))
def list_shipments(user: Viewer, led: LedgerDep,
                   page: Annotated[PageParams, Depends(page_params)],
                   licence: Annotated[str | None, Query(max_length=64)] = None,
                   agency: AgencyQuery = None,
                   destination: Annotated[str | None, Query(max_length=8)] = None,
                   from_: Annotated[IsoDate | None, Query(alias="from")] = None,
                   to: IsoDate | None = None, reversed: bool | None = None) -> dict:
    """Newest ship date first, each with its lines and, once reversed, the reversal (who,
    when, why). ``licence``: one licence's shipments (404 if the ledger has no such licence);
    ``agency``: the shipments on that agency's licences (BIS or DDTC; with ``licence``, the
    one of that number the agency issued); ``from``/``to``: ship dates, both included;
    ``reversed``: only reversed (true) or standing (false) shipments."""
    items, total = led.list_shipments(
        licence_number=licence, agency=agency, destination=destination, start=from_, end=to,
        reversed=reversed, limit=page.limit, offset=page.offset)
    return page.page(items, total)


@router.get("/shipments/{key:path}", operation_id="getShipment", tags=[SHIPMENTS],
            response_model=ShipmentRecord, summary="One shipment",
            responses=problem_responses(404))
def get_shipment(key: ShipmentKeyPath, user: Viewer, led: LedgerDep) -> ShipmentRecord:
    """The shipment posted under idempotency key ``key`` (which may hold a "/", as invoice
    numbers often do)."""
    return led.get_shipment(key)


@router.post("/shipments/{key:path}/reversal", operation_id="reverseShipment", tags=[SHIPMENTS],
             response_model=ReversalOut, status_code=201,
             summary="Reverse a shipment posted by mistake",
             responses={**WRITE, **replayed(ReversalOut, "a reversal of this idempotency key")})
def reverse_shipment(key: ShipmentKeyPath, body: ReversalRequest, user: Officer, led: LedgerDep,
                     response: Response) -> ReversalOut:
    """A compensating, audited entry: the licence lines get back exactly what the shipment
    posted under ``key`` drew; nothing is edited or deleted. Refused with 409 for an unknown
    shipment, one already reversed or an empty reason. A replay of the reversal key answers
    200 with the first result."""
    out = led.reverse_shipment(key, reason=body.reason, idempotency_key=body.idempotency_key,
                               reference=body.reference, actor=user.actor,
                               versions=versions())
    if not out.created:
        response.status_code = 200
    return out


@router.get("/ledger/report", operation_id="getLedgerReport", tags=[LICENCES],
            response_model=Report, summary="Balances of every licence",
            responses=problem_responses(400))
def report(user: Viewer, led: LedgerDep, as_of: IsoDate | None = None,
           agency: AgencyQuery = None,
           destination: Annotated[str | None, Query(max_length=8)] = None) -> Report:
    """Approved, shipped, remaining, blocked and available value per licence on ``as_of``
    (default today), with totals."""
    return led.report(as_of=as_of, agency=agency, destination=destination)
