"""Sign-in, Check and Screen pages."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from exportcheck.accounts import Principal
from exportcheck.errors import ExportCheckError, NotAuthenticated, RateLimited
from exportcheck.ledger.api import parse as to_model  # pages validate like the API
from exportcheck.web.deps import SESSION_COOKIE, accounts, optional_principal
from exportcheck.web.routers.determinations import decide
from exportcheck.web.schemas import DeterminationRequest, DispositionIn, ScreenRequest
from exportcheck.web.ui import render
from exportcheck.web.ui.forms import form_dict, page_user

if TYPE_CHECKING:
    from exportcheck.screen.ownership import Ownership

router = APIRouter(include_in_schema=False)
LOGIN_CSRF = "exportcheck_login_csrf"
Officer = Annotated[Principal, Depends(page_user("officer"))]
Viewer = Annotated[Principal, Depends(page_user("viewer"))]


def _safe_next(target: str | None) -> str:
    """Only paths on this site (no '//host' or 'https://...' redirects)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


def _secure(request: Request) -> bool:
    return request.app.state.settings.cookie_secure


@router.get("/", response_class=HTMLResponse)
async def index(user: Viewer) -> Response:
    return RedirectResponse("/check" if user.allows("officer") else "/licences", status_code=303)


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request, next: str = "/",
                     error: str | None = None) -> Response:
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    page = render(request, "login.html", None, title="Sign in", next=_safe_next(next),
                  login_csrf=token, error=error, username=None,
                  first_run=not accounts(request).list_users())
    page.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", secure=_secure(request),
                    max_age=3600)
    return page


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await request.form()
    token = request.cookies.get(LOGIN_CSRF) or ""
    sent = str(form.get("csrf_token") or "")
    username, target = str(form.get("username") or ""), _safe_next(str(form.get("next") or ""))

    def again(message: str, status: int, retry_after: int | None = None) -> Response:
        fresh = secrets.token_urlsafe(24)
        page = render(request, "login.html", None, title="Sign in", next=target,
                      login_csrf=fresh, error=message, username=username, status_code=status,
                      first_run=False)
        page.set_cookie(LOGIN_CSRF, fresh, httponly=True, samesite="strict",
                        secure=_secure(request), max_age=3600)
        if retry_after is not None:
            page.headers["Retry-After"] = str(retry_after)
        return page

    if not token or not secrets.compare_digest(token, sent):
        return again("the sign-in form expired: please sign in again", 403)
    acc = accounts(request)
    client = request.client.host if request.client else ""
    try:
        principal = acc.login(username, str(form.get("password") or ""), client=client)
    except RateLimited as exc:
        return again(str(exc), 429, exc.retry_after)
    except NotAuthenticated as exc:
        return again(str(exc), 401)
    secret, _ = acc.start_session(principal)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
async def logout(request: Request,
                 user: Annotated[Principal | None, Depends(optional_principal)]) -> Response:
    if user is not None and (secret := request.cookies.get(SESSION_COOKIE)):
        accounts(request).end_session(secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# -- Check ---------------------------------------------------------------------------------
CHECK_DEFAULTS = {"item": "", "destination": "", "date": "", "compare": "", "value": "",
                  "quantity": "", "end_user": "", "end_user_type": "civil", "end_use": "",
                  "consignee": "", "owners": "", "record": ""}


def _owners(text: str | None) -> Ownership | None:
    """The owners textarea as a graph; parsed here rather than by the request model, so that
    a mistake is reported by the line and field the officer typed."""
    from exportcheck.screen.ownership import Ownership

    graph = Ownership.from_text(text, source="owners") if text and text.strip() else None
    return graph or None  # a header alone gives no stakes


def _owners_note(graph: Ownership | None, parties: list[str]) -> str | None:
    """Why the owners given cannot change the answer; otherwise a typo in an owned name
    would pass silently as 'no ownership hit'."""
    if graph is None:
        return None
    if not parties:
        return "owners were given but no end user or consignee: they were not used"
    if not any(graph.owners_all(p) for p in parties):
        return (f"no owner line leads to {' or '.join(repr(p) for p in parties)}: check the "
                "owned names (matched ignoring case and word order)")
    return None


@router.get("/check", response_class=HTMLResponse)
async def check_page(request: Request, user: Officer) -> Response:
    form = {**CHECK_DEFAULTS, "date": dt.date.today().isoformat()}
    return render(request, "check.html", user, title="Check", form=form, results=None,
                  changes=None)


@router.post("/check", response_class=HTMLResponse)
def check(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    from exportcheck.impact.causes import diff_traces

    form = {**CHECK_DEFAULTS, **{k: str(v) for k, v in data.items()}}
    results, changes, error, ok, note = None, None, None, None, None
    try:
        compare = data.pop("compare", None)
        data["record"] = bool(data.get("record"))
        graph = _owners(data.pop("owners", None))
        data["owners"] = [asdict(s) for s in graph.stakes] if graph else None
        req = to_model(DeterminationRequest, data)
        note = _owners_note(graph, [p for p in (req.end_user, req.consignee) if p])
        first = decide(req, actor=user.actor)
        results = [(f"On {req.date.isoformat()}", first)]
        if compare:
            other = to_model(DeterminationRequest, {**data, "date": compare})
            second = decide(other, actor=user.actor)
            results.append((f"On {other.date.isoformat()}", second))
            results.sort(key=lambda r: r[1].on)
            changes = diff_traces(results[0][1], results[1][1])
        if req.record:
            ok = f"recorded in the audit trail under {user.actor}"
    except ExportCheckError as exc:
        error = str(exc)
    return render(request, "check.html", user, title="Check", form=form, results=results,
                  changes=changes, error=error, ok=ok, note=note,
                  owners_invalid=bool(error and error.startswith("owners")))


# -- Screen --------------------------------------------------------------------------------
SCREEN_DEFAULTS = {"name": "", "country": "", "dob": "", "kind": ""}


def _screen_page(request: Request, user: Principal, form: dict, *, error: str | None = None,
                 ok: str | None = None) -> Response:
    from exportcheck.api import default_screener
    from exportcheck.web.routers.screening import threshold_of

    hits, version, thr = None, None, threshold_of(None)
    if form.get("name") and error is None:
        try:
            req = to_model(ScreenRequest, {k: v for k, v in form.items() if v})
            s = default_screener()
            hits = s.screen(req.name, country=req.country, dob=req.dob, kind=req.kind,
                            threshold=thr)
            version = s.version
        except ExportCheckError as exc:
            error = str(exc)
    return render(request, "screen.html", user, title="Screen", form=form, hits=hits,
                  lists_version=version, threshold=thr, error=error, ok=ok)


@router.get("/screen", response_class=HTMLResponse)
def screen_page(request: Request, user: Officer) -> Response:
    return _screen_page(request, user, dict(SCREEN_DEFAULTS))


@router.post("/screen", response_class=HTMLResponse)
def screen(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    return _screen_page(request, user, {**SCREEN_DEFAULTS, **data})


@router.post("/screen/disposition", response_class=HTMLResponse)
def disposition(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    from exportcheck.screen import store

    form = {**SCREEN_DEFAULTS, "name": data.get("party", ""),
            "country": data.get("country", ""), "dob": data.get("dob", "")}
    try:
        req = to_model(DispositionIn, data)
        d = store.record_disposition(req.party, req.list, req.entry_id, user=user.actor,
                                     reason=req.reason, country=req.country, dob=req.dob,
                                     decision=req.decision)
    except ExportCheckError as exc:
        return _screen_page(request, user, form, error=str(exc))
    effect = ("later screens of this party suppress it until the entry changes"
              if d.decision == "cleared" else
              "determinations for this party apply the hit instead of holding the line")
    return _screen_page(request, user, form, ok=(
        f"{d.decision} {d.list_code} {d.entry_id} for {d.party_name!r} ({user.actor}, "
        f"{d.decided_on}): {effect}"))
