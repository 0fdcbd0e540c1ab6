"""Licences (drawdown and shipments) and Audit pages."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from contextlib import suppress
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exportcheck.accounts import Principal
from exportcheck.api import default_screener
from exportcheck.dates import parse_iso_date
from exportcheck.errors import ExportCheckError, InvalidInput, NotFound
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.audit import stored_json
from exportcheck.ledger.schemas import BLOCKING, LicenceOut, ReversalRequest, ShipmentIn
from exportcheck.ledger.shipments import ShipmentRefused, check_ship_date
from exportcheck.screen.countries import code_hint
from exportcheck.web.deps import accounts
from exportcheck.web.routers.ledger import ledger, versions
from exportcheck.web.schemas import MAX_OFFSET, PageParams
from exportcheck.web.ui import render
from exportcheck.web.ui.field_errors import picker_year
from exportcheck.web.ui.forms import (
    FACT_FIELDS,
    FIELD_INVALID,
    FormInvalid,
    facts_from_form,
    form_dict,
    page_user,
    refused_status,
    to_model,
)

router = APIRouter(include_in_schema=False)
Officer = Annotated[Principal, Depends(page_user("officer"))]
Viewer = Annotated[Principal, Depends(page_user("viewer"))]
SHIP_FIELDS = ("licence_number", "licence_exception", "override_reason", "ship_date",
               "destination", "classification", "quantity", "value", "consignee", "end_user",
               "end_user_type", "end_use", "reference", *FACT_FIELDS)


#: shipments shown per page under the licences
SHIPMENTS_PAGE = 20


def _page(limit: int, offset: int) -> PageParams:
    """A page of a listing, the offset clamped as the API bounds it: a hand-edited link shows
    an empty page, not an error."""
    return PageParams(limit=limit, offset=min(max(0, offset), MAX_OFFSET))


def _page_link(path: str, params: dict[str, str]) -> str:
    """The link a pager extends with ``offset=N``: ``path`` with the page's other filters."""
    kept = {k: v for k, v in params.items() if v}
    return f"{path}?{urlencode(kept)}&" if kept else f"{path}?"


def _shipments(led: Ledger, path: str, params: dict[str, str], offset: int,
               **filters: Any) -> dict[str, Any]:
    """The template's ``shipments`` (a page of them, newest first) and ``shipments_base``."""
    page = _page(SHIPMENTS_PAGE, offset)
    items, total = led.list_shipments(limit=page.limit, offset=page.offset, **filters)
    return {"shipments": page.page(items, total), "shipments_base": _page_link(path, params)}


def _held_parties(exc: ShipmentRefused, country: str) -> list[dict[str, str]]:
    """The parties a refused shipment's potential matches are of, each with the Screen page
    link that shows the match and takes the officer's disposition."""
    names = dict.fromkeys(m["party"] for line in exc.determination
                          for m in line.get("party_matches", ()))
    return [{"party": n, "href": "/screen?" + urlencode({"name": n, "country": country})}
            for n in names]


def _usable(status: str) -> bool:
    """Can a shipment be posted under a licence in ``status`` today?"""
    return status not in BLOCKING and status != "not yet valid"


def _licences_page(request: Request, user: Principal, form: dict, *, licence: str = "",
                   offset: int = 0, **context) -> Response:
    """The Licences page. ``form``: the shipment form as posted (kept after an error, with
    its idempotency key, so the corrected form sent twice still draws once); empty: a fresh
    form with a new key and the first licence usable today chosen (an expired one was)."""
    led = ledger()
    report = led.report()
    first_usable = next((r.number for r in report.rows if _usable(r.status)), "")
    defaults = {f: "" for f in SHIP_FIELDS} | {"ship_date": dt.date.today().isoformat()}
    if not form:
        defaults["licence_number"] = first_usable
    form = defaults | form
    form["idempotency_key"] = form.get("idempotency_key") or f"ui-{uuid.uuid4()}"
    known = {r.number for r in report.rows}
    shown = licence if licence in known else ""  # a hand-edited unknown number: all of them
    return render(request, "licences.html", user, title="Licences", report=report, form=form,
                  shipments_licence=shown, **_shipments(
                      led, "/licences", {"licence": shown}, offset,
                      licence_number=shown or None), **context)


@router.get("/licences", response_class=HTMLResponse)
def licences(request: Request, user: Viewer, licence: str = "", offset: int = 0) -> Response:
    return _licences_page(request, user, {}, licence=licence, offset=offset)


def _status_since(lic: LicenceOut, day: dt.date) -> dt.date | None:
    """The day the status in force on ``day`` took effect (the header read "approved on
    <today>", as if approved the day it was looked at): its newest event effective by then;
    for an expiry, the day after the validity ended if that came first."""
    dates = [h.effective for h in lic.history if h.status == lic.status and h.effective <= day]
    if lic.status == "expired":
        ended = [lic.valid_to + dt.timedelta(days=1)] if day > lic.valid_to else []
        return min(dates + ended, default=None)
    return max(dates, default=None)


@router.get("/licences/view", response_class=HTMLResponse)
def licence_page(request: Request, user: Viewer, number: str = "", agency: str = "",
                 offset: int = 0) -> Response:
    """One licence: its parties, provisos, lines with what is shipped and left, its status
    history with citations, and its shipments."""
    led = ledger()
    lic = led.get_licence(number, agency or None)
    today = dt.date.today()
    return render(request, "licence.html", user, title=f"Licence {lic.number}", lic=lic,
                  as_of=today, status_since=_status_since(lic, today), **_shipments(
                      led, "/licences/view", {"number": lic.number, "agency": lic.agency},
                      offset, licence_number=lic.number, agency=lic.agency))


def _reference_used(led: Ledger, key: str, reference: str) -> str | None:
    """A warning when another standing shipment on the same licence carries ``reference``:
    accepted (two invoices may share one), but a shipment entered twice by hand looks just
    like it. A reversed one does not count: it was taken back, often to be posted again."""
    ref = reference.strip()
    this = led.get_shipment(key) if ref else None
    if this is None or this.licence_number is None:
        return None
    same, offset, total = [], 0, 1
    while offset < total:
        items, total = led.list_shipments(licence_number=this.licence_number,
                                          agency=this.licence_agency, limit=500, offset=offset)
        same += [s for s in items if s.id != this.id and not s.reversed
                 and s.reference.strip().casefold() == ref.casefold()]
        offset += 500
    if not same:
        return None
    used = ", ".join(f"shipment #{s.id} of {s.ship_date.isoformat()}"
                     for s in sorted(same, key=lambda s: s.id))
    return (f"reference {ref} was already used on {this.licence_number}: {used}. Both are "
            "posted; if this is the same shipment entered twice, reverse one of them.")


def _ship_result(request: Request, user: Principal, form: dict, **result) -> Response:
    """The Licences page with the shipment's result shown at the form (``ship_ok``,
    ``ship_error``, ``ship_warning``, ``refusal``), where the officer is: it was rendered at
    the top, 1,500 px above. The tab's address becomes the page's, at the form, so a reload
    shows the page instead of sending a GET to the form's action."""
    page = _licences_page(request, user, form, **result)
    page.headers["HX-Replace-Url"] = "/licences#ship"
    return page


def _ship_refused(request: Request, user: Principal, form: dict, status: int, message: str,
                  fields: dict[str, str]) -> Response:
    """The shipment form refused with ``status`` (the API's for the same error): one box at
    fault has the message under it, focused; several are each marked, with the summary
    ``message`` at the form's top; none, the message at the top."""
    fields = {f: m for f, m in fields.items() if f in SHIP_FIELDS}
    if len(fields) == 1:
        return _ship_result(request, user, form, ship_errors=fields,
                            ship_focus=next(iter(fields)), status_code=status)
    return _ship_result(request, user, form, ship_error=message, ship_errors=fields,
                        status_code=status)


def _made(spec: ShipmentIn) -> ShipmentIn:
    """``spec``, unless shipped after tomorrow (a mistyped year): refused under the Ship date
    box with the API's 422 for ``body.ship_date``, rather than a 400 at the form's top."""
    try:
        return check_ship_date(spec)
    except InvalidInput as exc:
        said = str(exc).removeprefix("ship_date ")
        raise FormInvalid(f"Ship date: {said}", {"ship_date": f"ship date {said}"}) from None


def _code_hinted(fields: dict[str, str], typed: str) -> dict[str, str]:
    """``fields`` with a country typed by name in the Destination box answered with the code
    to give ("'China' is CN"), as the Check form answers it."""
    hint = code_hint(typed) if "destination" in fields else None
    return fields | {"destination": f"{fields['destination']} ({hint})"} if hint else fields


@router.get("/licences/ship")
def ship_reload() -> Response:
    """A reload of the address a posted form left in the tab (or a bookmark of it): the
    Licences page at the form, not a 405."""
    return RedirectResponse("/licences#ship", status_code=303)


@router.post("/licences/ship", response_class=HTMLResponse)
def ship(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    """Against a licence (drawn down) or under a licence exception (each line checked against
    the determination; an override reason posts one it refuses, unless PROHIBITED). The
    form's idempotency key makes a double submit draw once."""
    form = {k: str(v) for k, v in data.items()}
    exception = str(data.get("licence_exception", "")).strip()
    authority = ({"licence_exception": exception} if exception
                 else {"licence_number": data.get("licence_number")})
    if not exception and not data.get("licence_number"):  # as the API's schema refuses it
        return _ship_refused(request, user, form, FIELD_INVALID, "", {
            "licence_number": "choose a licence, or give the licence exception the shipment "
                              "goes under"})
    try:
        spec = _made(to_model(ShipmentIn, {
            "idempotency_key": data.get("idempotency_key") or f"ui-{uuid.uuid4()}",
            **authority, "ship_date": data.get("ship_date"),
            "destination": data.get("destination"), "consignee": data.get("consignee"),
            "end_user": data.get("end_user"), "reference": data.get("reference", ""),
            # a licence states its own end use: these check a licence exception only
            "end_user_type": (data.get("end_user_type") or None) if exception else None,
            "end_use": (data.get("end_use") or None) if exception else None,
            "facts": facts_from_form(dict(data)) if exception else None,
            "lines": [{"classification": data.get("classification"),
                       "quantity": data.get("quantity", "0"), "value": data.get("value")}]},
            labels={"licence_exception": "Licence exception"}))
        out = ledger().post_shipment(spec, actor=user.actor, versions=versions(),
                                     override_reason=data.get("override_reason") or None,
                                     screener=default_screener())
    except ShipmentRefused as exc:  # a rule refused it (over-drawn, licence not usable): 409
        return _ship_result(request, user, form, status_code=refused_status(exc), refusal={
            "detail": str(exc), "rule": exc.rule, "exception": exception,
            "overridable": bool(exception) and exc.rule != "prohibited",
            "review": _held_parties(exc, spec.destination),
            # facts the exception turns on that were not given: the facts form opens
            "facts_wanted": list(getattr(exc, "facts_wanted", ()))})
    except FormInvalid as exc:  # each box at fault marked (the API's schema refuses it: 422)
        return _ship_refused(request, user, form, refused_status(exc), str(exc),
                             _code_hinted(exc.fields, form.get("destination", "")))
    except ExportCheckError as exc:  # at the box the service names (a licence gone since the
        # page was loaded, a headquarters code the rule base does not know), else at the top
        at = exc.field if exc.field in SHIP_FIELDS else ""
        return _ship_refused(request, user, form, refused_status(exc), str(exc),
                             {at: str(exc)} if at else {})
    warning = _reference_used(ledger(), out.idempotency_key, spec.reference) if out.created \
        else None
    if not out.created:
        ok = f"this form was already posted as shipment #{out.id}: nothing drawn twice"
    elif out.licence_number:
        ok = (f"shipment #{out.id} posted against {out.licence_number}: "
              f"${out.total_value:,.2f} drawn down (audit entry #{out.audit_seq})")
    else:
        checked = "; ".join(f"line {ln['line']} ({ln['classification']}): {ln['outcome']}"
                            for ln in getattr(out, "determination", []))
        override = getattr(out, "override_reason", None)
        ok = (f"shipment #{out.id} posted under licence exception {out.licence_exception}: "
              f"${out.total_value:,.2f} (audit entry #{out.audit_seq}); determination: "
              f"{checked}" + (f"; overridden: {override}" if override else ""))
    return _ship_result(request, user, {}, ship_ok=ok, ship_warning=warning)


def _reverse_page(request: Request, user: Principal, key: str, form: dict, **context
                  ) -> Response:
    record = ledger().get_shipment(key)
    form = {"reason": "", "reference": ""} | form
    return render(request, "reverse.html", user, title=f"Reverse shipment #{record.id}",
                  s=record, form=form, reversal_key=f"ui-rev-{uuid.uuid4()}", **context)


@router.get("/licences/shipments/reverse", response_class=HTMLResponse)
def reverse_form(request: Request, user: Officer, key: str = "") -> Response:
    """What the shipment drew, and the form that reverses it (a reason is required). Without
    a key (the address a posted form left in the tab, reloaded): the Licences page."""
    if not key:
        return RedirectResponse("/licences", status_code=303)
    return _reverse_page(request, user, key, {})


def _reverse_again(request: Request, user: Principal, key: str, form: dict, status: int,
                   **context) -> Response:
    """The reversal page again, after an error, with ``status`` (the API's for it): its
    address names the shipment, so that a reload shows it rather than sending a GET without
    the key."""
    page = _reverse_page(request, user, key, form, status_code=status, **context)
    page.headers["HX-Replace-Url"] = "/licences/shipments/reverse?" + urlencode({"key": key})
    return page


@router.post("/licences/shipments/reverse", response_class=HTMLResponse)
def reverse(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    key = str(data.get("shipment_key", ""))
    form = {k: str(data.get(k, "")) for k in ("reason", "reference")}
    try:
        spec = to_model(ReversalRequest, {
            "idempotency_key": data.get("idempotency_key") or f"ui-rev-{uuid.uuid4()}",
            "reason": data.get("reason", ""), "reference": data.get("reference", "")})
        out = ledger().reverse_shipment(key, reason=spec.reason,
                                        idempotency_key=spec.idempotency_key,
                                        reference=spec.reference, actor=user.actor,
                                        versions=versions())
    except ShipmentRefused as exc:  # the API's 409; no reason given: said at its box
        if exc.rule == "reason_missing":
            return _reverse_again(request, user, key, form, refused_status(exc),
                                  errors={"reason": str(exc)})
        return _reverse_again(request, user, key, form, refused_status(exc),
                              refusal={"detail": str(exc), "rule": exc.rule})
    except FormInvalid as exc:  # a box the API's schema refuses (too long): 422, at the box
        fields = {f: m for f, m in exc.fields.items() if f in form}
        return _reverse_again(request, user, key, form, refused_status(exc), errors=fields,
                              error=None if fields else str(exc))
    except ExportCheckError as exc:
        return _reverse_again(request, user, key, form, refused_status(exc), error=str(exc))
    given = (f"${out.returned_value:,.2f} given back to {out.licence_number}"
             if out.licence_number else f"nothing to give back (licence exception "
             f"{out.licence_exception})")
    shipment_id = ledger().get_shipment(key).id
    ok = (f"shipment #{shipment_id} reversed: {given} (audit entry #{out.audit_seq})"
          if out.created else f"this form was already sent: shipment #{shipment_id} "
          "was reversed once, nothing given back twice")
    page = _licences_page(request, user, {}, ok=ok)
    page.headers["HX-Push-Url"] = "/licences"  # a reload shows the Licences page
    return page


#: payload fields worth showing first in the audit table, in this order
_KEYS = ("reason", "outcome", "item", "destination", "licence_number", "number", "party",
         "list", "entry_id", "user", "role", "decision", "source", "lines", "changed_lines")


def _summary(payload: str) -> str:
    data = stored_json(payload)
    if data is None:  # edited outside exportcheck: show what is stored, not an error page
        text = f"not JSON (edited?): {payload}"
        return text if len(text) <= 240 else text[:239] + "…"
    if isinstance(data, dict):
        request = data.get("request") if isinstance(data.get("request"), dict) else {}
        shown = {k: v for k in _KEYS for v in [data.get(k, request.get(k))]
                 if isinstance(v, str | int | float) and v != ""}
        if shown:
            text = "; ".join(f"{k}: {v}" for k, v in shown.items())
            return text if len(text) <= 240 else text[:239] + "…"
    text = json.dumps(data, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= 240 else text[:239] + "…"


def _typed_filters(request: Request, kind: str | None,
                   actor: str | None) -> tuple[str | None, str | None]:
    """The Kind and Actor boxes as the trail spells them: kinds are lower case
    ("shipment.posted") and user names unique ignoring case, so "Shipment " and "Officer"
    find what "shipment" and "officer" find (an exact match answered "No entry matches")."""
    kind = (kind or "").strip().lower() or None
    actor = (actor or "").strip() or None
    if actor:  # not a user ("seed:hk-2019", a removed account): as typed
        with suppress(NotFound):
            actor = accounts(request).get_user(actor).name
    return kind, actor


def _audit_page(request: Request, user: Principal, *, kind: str | None, actor: str | None,
                start: str | None, end: str | None, offset: int, verify=None,
                error: str | None = None) -> Response:
    kind, actor = _typed_filters(request, kind, actor)
    filters = {"kind": kind, "actor": actor, "from": start, "to": end}
    page = _page(50, offset)
    items, total = [], 0
    # a date the boxes cannot take (a year of 5 digits typed in the picker, an edited link):
    # under its box, focused, with the API's 422 for the same query; no entry is listed
    errors, days = {}, {}
    for name, text in (("from", start), ("to", end)):
        try:
            days[name] = parse_iso_date(text, f"{name} date") if text else None
        except ExportCheckError as exc:
            errors[name] = picker_year(f"{name} date", text or "") or str(exc)
    if errors:
        return render(request, "audit.html", user, title="Audit", filters=filters,
                      verify=verify, page=page.page([], 0), errors=errors,
                      focus=next(iter(errors)), query_base=_page_link("/audit", filters),
                      status_code=FIELD_INVALID)
    status = 200
    try:
        def entries(offset: int) -> tuple[list[Any], int]:
            return ledger().audit_entries(
                kind=kind, actor=actor, start=days["from"], end=days["to"], limit=page.limit,
                offset=offset)

        rows, total = entries(page.offset)
        if total and page.offset >= total:  # past the end (an edited link): the last page
            page = _page(page.limit, (total - 1) // page.limit * page.limit)
            rows, total = entries(page.offset)
        items = [{"seq": e.seq, "recorded_at": e.recorded_at, "actor": e.actor, "kind": e.kind,
                  "summary": _summary(e.payload)} for e in rows]
    except ExportCheckError as exc:
        error, status = str(exc), refused_status(exc)
    return render(request, "audit.html", user, title="Audit", filters=filters, verify=verify,
                  page=page.page(items, total), query_base=_page_link("/audit", filters),
                  error=error, status_code=status)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, user: Viewer, kind: str | None = None, actor: str | None = None,
          start: Annotated[str | None, Query(alias="from")] = None, to: str | None = None,
          offset: int = 0) -> Response:
    return _audit_page(request, user, kind=kind or None, actor=actor or None,
                       start=start or None, end=to or None, offset=offset)


@router.post("/audit/verify", response_class=HTMLResponse)
def verify(request: Request, user: Viewer) -> Response:
    result = ledger().verify_audit()
    return _audit_page(request, user, kind=None, actor=None, start=None, end=None, offset=0,
                       verify=result)
