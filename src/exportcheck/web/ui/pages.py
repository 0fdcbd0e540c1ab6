"""Sign-in, Check and Screen pages."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from exportcheck.accounts import Principal
from exportcheck.api import record_determination
from exportcheck.errors import (
    ExportCheckError,
    NotAuthenticated,
    NotFound,
    RateLimited,
)
from exportcheck.web.deps import SESSION_COOKIE, accounts, optional_principal, same_secret
from exportcheck.web.routers.determinations import decide
from exportcheck.web.schemas import DeterminationRequest, DispositionIn, ScreenRequest
from exportcheck.web.ui import render
from exportcheck.web.ui.field_errors import FORM, FieldErrors, field_of, validate
from exportcheck.web.ui.forms import (
    FIELD_INVALID,
    facts_from_form,
    form_dict,
    page_user,
    refused_status,
    to_model,
)

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


#: the messages ``/login?error=CODE`` may show: fixed text, so that a link cannot put words
#: of its own on the real sign-in page ("call this number and give your password")
LOGIN_MESSAGES = {
    "session_ended": "Your session ended (signed out elsewhere, expired after 12 hours, or "
                     "your password or account changed): sign in again.",
}


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/", error: str | None = None) -> Response:
    token = request.cookies.get(LOGIN_CSRF) or secrets.token_urlsafe(24)
    page = render(request, "login.html", None, title="Sign in", next=_safe_next(next),
                  login_csrf=token, error=None, notice=LOGIN_MESSAGES.get(error or ""),
                  username=None, first_run=not accounts(request).list_users())
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

    if not token or not same_secret(token, sent):
        return again("the sign-in form expired: please sign in again", 403)
    acc = accounts(request)
    # the client address as the server saw it (the proxy's X-Forwarded-For only when
    # EXPORTCHECK_FORWARDED_ALLOW_IPS trusts that proxy)
    client = request.client.host if request.client else ""
    try:
        # Argon2 takes ~0.1 s of CPU: in a worker thread, so other requests go on meanwhile
        principal = await run_in_threadpool(acc.login, username,
                                            str(form.get("password") or ""), client=client)
    except RateLimited as exc:
        return again(str(exc), 429, exc.retry_after)
    except NotAuthenticated as exc:
        return again(str(exc), 401)
    secret, _ = await run_in_threadpool(acc.start_session, principal)
    if previous := request.cookies.get(SESSION_COOKIE):
        # a browser signed in again (another person at a shared desk, or the same one) keeps
        # one session: the one it had must not stay valid behind the new cookie
        await run_in_threadpool(acc.end_session, previous)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.post("/logout")
async def logout(request: Request,
                 user: Annotated[Principal | None, Depends(optional_principal)]) -> Response:
    if user is not None and (secret := request.cookies.get(SESSION_COOKIE)):
        await run_in_threadpool(accounts(request).end_session, secret)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    # the tab's copies of signed-in pages (htmx's history snapshots in sessionStorage, the
    # browser cache) go with the session
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


# -- Check ---------------------------------------------------------------------------------
CHECK_DEFAULTS = {"item": "", "destination": "", "date": "", "compare": "", "value": "",
                  "quantity": "", "end_user": "", "end_user_type": "civil", "end_use": "",
                  "consignee": "", "owners": "", "record": "", "headquarters": "",
                  "nac_notified": "", "conditions_met": ""}


def _owners(text: str | None) -> Ownership | None:
    """The owners textarea as a graph; parsed here rather than by the request model, so that
    a mistake is reported by the line and field the officer typed."""
    from exportcheck.screen.ownership import MalformedOwners, Ownership

    try:
        graph = Ownership.from_text(text, source="owners") if text and text.strip() else None
    except MalformedOwners as exc:  # what the API's schema refuses (422); the rest is its 400
        raise FieldErrors({"owners": str(exc)}) from None
    except ExportCheckError as exc:  # an owner owning itself, over 100% in all: that box's
        exc.field = exc.field or "owners"
        raise
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
                "owned names (matched ignoring case, word order, punctuation and the "
                "spelling of a legal form, Ltd = Limited)")
    return None


@router.get("/check", response_class=HTMLResponse)
async def check_page(request: Request, user: Officer) -> Response:
    form = {**CHECK_DEFAULTS, "date": dt.date.today().isoformat()}
    return render(request, "check.html", user, title="Check", form=form, results=None,
                  changes=None)


#: the Check form's fields in page order: the first one at fault gets the focus
CHECK_ORDER = ("item", "destination", "date", "compare", "value", "quantity", "end_user_type",
               "end_use", "end_user", "consignee", "owners", "headquarters", "nac_notified",
               "conditions_met")


def _first_invalid(errors: dict[str, str]) -> str | None:
    """Where the focus goes: the top-of-form message, else the first field at fault."""
    if FORM in errors:
        return FORM
    return next((f for f in CHECK_ORDER if f in errors), None)


@router.post("/check", response_class=HTMLResponse)
def check(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    from exportcheck.impact.causes import diff_traces

    form = {**CHECK_DEFAULTS, **{k: str(v) for k, v in data.items()}}
    results, changes, ok, note = None, None, None, None
    errors: dict[str, str] = {}
    status = 200  # refused: the API's status for the same error (``refused_status``)
    deciding = "date"  # the box whose date the engine is deciding (its DateOutOfRange)
    try:
        compare = data.pop("compare", None)
        data["record"] = bool(data.get("record"))
        graph = _owners(data.pop("owners", None))
        data["owners"] = [asdict(s) for s in graph.stakes] if graph else None
        data["facts"] = facts_from_form(data)
        req = validate(DeterminationRequest, data)
        note = _owners_note(graph, [p for p in (req.end_user, req.consignee) if p])
        # recorded once every date asked for is decided: a compare date refused records
        # nothing, so sending the form again after fixing it records each answer once
        first = decide(req, ownership=graph)
        results = [(f"On {req.date.isoformat()}", first)]
        if compare:
            deciding = "compare"
            other = validate(DeterminationRequest, {**data, "date": compare},
                             rename={"date": "compare"})
            second = decide(other, ownership=graph)
            results.append((f"On {other.date.isoformat()}", second))
            results.sort(key=lambda r: r[1].on)
            changes = diff_traces(results[0][1], results[1][1])
        if req.record:
            for _, d in results:
                record_determination(d, actor=user.actor)
            ok = f"recorded in the audit trail under {user.actor}"
    except FieldErrors as exc:
        errors, status = exc.fields, FIELD_INVALID
    except ExportCheckError as exc:
        errors, status = {field_of(exc, deciding): str(exc)}, refused_status(exc)
    return render(request, "check.html", user, title="Check", form=form, results=results,
                  changes=changes, errors=errors, focus=_first_invalid(errors), ok=ok,
                  note=note, status_code=status)


# -- Screen --------------------------------------------------------------------------------
SCREEN_DEFAULTS = {"name": "", "country": "", "dob": "", "kind": ""}
#: the longest reason a disposition keeps
REASON_MAX = next(m.max_length for m in DispositionIn.model_fields["reason"].metadata
                  if getattr(m, "max_length", None))


def _hit_anchor(list_code: str, entry_id: str) -> str:
    """The id of a hit's article: a disposition form posts to it as its fragment, so the
    answer opens at that hit (usable in a URL and a CSS selector, as htmx looks it up)."""
    return "hit-" + re.sub(r"[^A-Za-z0-9_-]+", "-", f"{list_code}-{entry_id}")


def _listed_entries(screener: Any, hits: list | None, cleared: list | None
                    ) -> dict[tuple[str, str], Any]:
    """Each hit's list entry by ``(list, entry_id)``: the name it is listed under (a hit
    names the alias matched, 华为技术有限公司 for Huawei's entry) and the identifiers an
    officer compares with the party's documents before clearing or confirming."""
    found = {}
    for h in [*(hits or ()), *(cleared or ())]:
        if (e := screener.entry(h.list, h.entry_id)) is not None:
            found[(h.list, h.entry_id)] = e
    return found


def _confirmed(screener: Any, hits: list | None, form: dict) -> dict[tuple[str, str], Any]:
    """The open hits an officer confirmed for this party (who, when, why): a confirmed hit
    stays open, and without this a later screen showed it as undecided, inviting the same
    review twice or a contrary decision by a colleague who did not know of the first.
    ``screen_split`` marks those hits (``confirmed_by``); the page shows the decision's parts."""
    found = {}
    for h in (h for h in hits or () if h.confirmed_by):
        d = screener.recorded_decision(form.get("name") or "", h.list, h.entry_id,
                                       country=form.get("country") or None,
                                       dob=form.get("dob") or None)
        if d is not None and d.decision == "confirmed":
            found[(h.list, h.entry_id)] = d
    return found


def _lists_in_use(screener: Any) -> list[dict[str, Any]]:
    """Each list a screen used, by its name, with the day of its file and of its load: the
    version string (``bis-dpl@ec65de3be905;csl@0b70...``) meant nothing to an officer, who
    asks "against which lists, of when?" (the hash stays, as a tooltip)."""
    from exportcheck.screen import store
    from exportcheck.screen.listing import SOURCE_LABELS

    loaded = {} if screener.is_samples else {
        (v.source, v.content_hash): v for v in store.list_versions(active_only=True)}
    out = []
    for pl in screener.lists:
        v = loaded.get((pl.source, pl.content_hash))
        out.append({"label": SOURCE_LABELS.get(pl.source, pl.source), "file_date": pl.file_date,
                    "loaded_at": v.loaded_at if v else None,
                    "version": (f"{pl.source}@{pl.content_hash[:12]}"
                                + (f", version #{v.id}" if v else ""))})
    return sorted(out, key=lambda x: x["label"])


def _shown(hits: list | None, at: dict) -> bool:
    return any(h.list == at.get("list") and h.entry_id == at.get("entry_id") for h in hits or ())


def _screen_page(request: Request, user: Principal, form: dict, *, error: str | None = None,
                 ok: str | None = None, retry: dict | None = None, submitted: bool = False,
                 status_code: int = 200) -> Response:
    """The Screen page; with a name, its open hits and the hits cleared for the party.
    ``retry``: a disposition form's hit (``list``, ``entry_id``) and what came of it, shown at
    that hit, where the officer is (the top of the page is thousands of pixels up): the form
    open again with the reason typed and ``reason_error`` under it, or ``error``, or ``ok``.
    A hit no longer shown (cleared, or off the lists) has it said at the top, focused.
    ``submitted``: the Screen form was sent, so a name is required. A screen refused answers
    the API's status for the error, under the box it is about (focused), else at the top."""
    from exportcheck.api import default_screener
    from exportcheck.screen.dispositions import held_below, screen_split
    from exportcheck.web.routers.screening import threshold_of

    hits, cleared, version, samples, thr = None, None, None, False, threshold_of(None)
    held: list[Any] = []
    lists: list[dict[str, Any]] = []
    entries: dict[tuple[str, str], Any] = {}
    confirmed: dict[tuple[str, str], Any] = {}
    errors: dict[str, str] = {}
    if form.get("name") or submitted:
        try:
            req = validate(ScreenRequest, {k: v for k, v in form.items() if v})
            s = default_screener()
            hits, cleared = screen_split(s, req.name, country=req.country, dob=req.dob,
                                         kind=req.kind, threshold=thr, limit=req.limit)
            held = held_below(s, req.name, country=req.country, dob=req.dob, kind=req.kind,
                              threshold=thr)
            version, samples, lists = s.version, s.is_samples, _lists_in_use(s)
            entries = _listed_entries(s, hits, cleared)
            confirmed = _confirmed(s, hits, {**form, "name": req.name})
        except ExportCheckError as exc:
            if status_code == 200:
                status_code = refused_status(exc)
            fields = exc.fields if isinstance(exc, FieldErrors) else {
                field_of(exc, name_field="name"): str(exc)}
            errors = {f: m for f, m in fields.items() if f in SCREEN_DEFAULTS}
            if not errors:
                error = error or str(exc)
    retry = retry or {}
    # the hit is gone (cleared, off the lists) or offers no form (sample lists)
    elsewhere = bool(retry) and (samples or not _shown(hits, retry))
    if elsewhere:
        reason_error = retry.pop("reason_error", None)
        error = error or retry.pop("error", None) or (reason_error and f"Reason: {reason_error}")
        ok = ok or retry.pop("ok", None)
    return render(request, "screen.html", user, title="Screen", form=form, hits=hits,
                  cleared=cleared, held=held, lists_version=version, lists=lists,
                  samples=samples,
                  threshold=thr, error=error, ok=ok,
                  retry=retry, focus_top=elsewhere, hit_anchor=_hit_anchor,
                  entries=entries, confirmed=confirmed,
                  dispositions_possible=not samples, errors=errors,
                  focus=next((f for f in SCREEN_DEFAULTS if f in errors), None),
                  status_code=status_code)


@router.get("/screen", response_class=HTMLResponse)
def screen_page(request: Request, user: Officer,
                name: Annotated[str, Query(max_length=512)] = "",
                country: Annotated[str, Query(max_length=64)] = "",
                dob: Annotated[str, Query(max_length=10)] = "",
                kind: Annotated[str, Query(max_length=16)] = "") -> Response:
    """``?name=&country=`` screens at once: a shipment held for a potential match links here
    (and a reload after a disposition, with ``dob`` and ``kind`` too)."""
    return _screen_page(request, user, {**SCREEN_DEFAULTS, "name": name, "country": country,
                                        "dob": dob, "kind": kind})


@router.post("/screen", response_class=HTMLResponse)
def screen(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    return _screen_page(request, user, {**SCREEN_DEFAULTS, **data}, submitted=True)


def _reason_error(reason: str) -> str | None:
    """What is wrong with a disposition's reason, in words for the box it was typed in (the
    model's "String should have at least 1 character" reached the page)."""
    if not reason.strip():
        return "give a reason for the decision"
    if len(reason.strip()) > REASON_MAX:
        return (f"the reason is {len(reason.strip()):,} characters long: keep it to "
                f"{REASON_MAX:,}")
    return None


@router.get("/screen/disposition")
def disposition_reload() -> Response:
    """A reload of the address a posted disposition form left in the tab: the Screen page,
    not a 405."""
    return RedirectResponse("/screen", status_code=303)


@router.post("/screen/disposition", response_class=HTMLResponse)
def disposition(request: Request, user: Officer, data: dict = Depends(form_dict)) -> Response:
    """Record a disposition; the answer is shown at the hit it was made on."""
    form = {**SCREEN_DEFAULTS, "name": data.get("party", ""),
            "country": data.get("country", ""), "dob": data.get("dob", ""),
            "kind": data.pop("kind", "")}  # what the hits were screened with, not recorded
    retry = {"list": data.get("list"), "entry_id": data.get("entry_id"),
             "reason": str(data.get("reason", ""))}
    page = _screen_page(request, user, form, **_record_disposition(user, data, retry))
    # the tab's address: the screen itself, so that a reload screens again (not a 405)
    page.headers["HX-Replace-Url"] = "/screen?" + urlencode({k: v for k, v in form.items() if v})
    return page


def _record_disposition(user: Principal, data: dict, retry: dict) -> dict:
    """The Screen page's arguments after trying to record the disposition ``data``."""
    from exportcheck.screen import store
    from exportcheck.web.routers.screening import check_dispositions_possible

    # refused: the API's status for the same error (a reason the API's schema refuses: 422)
    if problem := _reason_error(retry["reason"]):
        return {"retry": retry | {"reason_error": problem}, "status_code": FIELD_INVALID}
    try:
        req = to_model(DispositionIn, data)
        check_dispositions_possible()
        d = store.record_disposition(req.party, req.list, req.entry_id, user=user.actor,
                                     reason=req.reason, country=req.country, dob=req.dob,
                                     decision=req.decision)
    except NotFound as exc:  # the officer did not type the entry: the lists changed under it
        return {"retry": retry, "status_code": refused_status(exc), "error": (
            f"{data.get('list')} {data.get('entry_id')} is no longer on the active lists (they "
            "changed since this screen): the hits below are from the lists now in use")}
    except ExportCheckError as exc:
        return {"retry": retry | {"error": str(exc)}, "status_code": refused_status(exc)}
    effect = ("later screens of this party report it as cleared until the entry changes"
              if d.decision == "cleared" else
              "determinations for this party apply the hit instead of holding the line")
    return {"retry": {"list": retry["list"], "entry_id": retry["entry_id"], "ok": (
        f"{d.decision} {d.list_code} {d.entry_id} for {d.party_name!r} ({user.actor}, "
        f"{d.decided_on}): {effect}")}}
