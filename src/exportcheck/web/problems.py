"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error a client can cause is an :class:`~exportcheck.errors.ExportCheckError` whose message
says what to do; this module maps each kind to its HTTP status. Browser pages that need a login
are redirected to it instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from exportcheck import errors
from exportcheck.accounts.service import LastAdmin
from exportcheck.web.deps import SESSION_COOKIE
from exportcheck.web.jsonbody import DuplicateKey

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"
#: the longest request path a problem names as its ``instance``
MAX_INSTANCE = 2048

STATUS: dict[type[errors.ExportCheckError], int] = {
    LastAdmin: 409,
    errors.NotAuthenticated: 401,
    errors.PermissionDenied: 403,
    errors.NotFound: 404,
    errors.LedgerError: 409,
    errors.ListDataError: 422,
    errors.RateLimited: 429,
    errors.Conflict: 409,
}
TITLES = {400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
          405: "Method not allowed", 409: "Refused", 413: "Request too large",
          422: "Invalid request", 429: "Too many attempts", 500: "Internal error"}


class FieldProblem(BaseModel):
    """One thing wrong in a request, named by where it is."""

    field: str = Field(description="where: 'body.lines.0.date', 'query.limit', or 'body' for "
                                   "the body as a whole")
    message: str = Field(description="what is wrong there")


class Problem(BaseModel):
    """RFC 9457 problem details; ``errors`` lists field-level problems of a request body."""

    type: str = Field(description="URI naming the kind of problem")
    title: str
    status: int
    detail: str = Field(description="What went wrong and what to do about it")
    instance: str | None = None
    code: str | None = None
    rule: str | None = Field(default=None, description="Rule that refused a ledger operation")
    errors: list[FieldProblem] | None = Field(
        default=None, description="each field at fault: every one when the request does not "
                                  "validate (422); the one a refusal (400) is about, when it "
                                  "is about one")


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for a router or route: the error statuses it can answer, each as a
    problem document under ``application/problem+json`` (the only type errors are sent as;
    the schema is added to the spec by :func:`openapi`)."""
    return {c: {"description": TITLES[c], "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}
            for c in sorted(codes)}


#: what every authenticated API route can answer: not signed in, role too low (or a missing
#: CSRF token with a cookie), a parameter that does not validate
AUTH_RESPONSES = problem_responses(401, 403, 422)
#: and a route taking a request body: too large, or valid JSON that names something wrong
BODY_RESPONSES = problem_responses(400, 401, 403, 413, 422)


def openapi(app: FastAPI) -> dict[str, Any]:
    """The spec, with the problem schema every error response refers to and the 500 every
    route may answer (cached on the app as FastAPI does)."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    spec = get_openapi(title=app.title, version=app.version, description=app.description,
                       routes=app.routes, tags=app.openapi_tags)
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(schemas["Problem"].pop("$defs", {}))  # FieldProblem, where refs look
    from exportcheck.web.examples import add_examples

    add_examples(schemas)
    error = {"description": TITLES[500], "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault("500", error)
            for code, response in responses.items():
                if code[0] in "45":  # errors are problem documents whatever the route sends
                    response["content"] = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
    app.openapi_schema = spec
    return spec


#: the order-line facts a request nests under ``facts``
_FACTS = frozenset({"headquarters", "nac_notified", "conditions_met"})


def request_field(exc: errors.ExportCheckError, prefix: str = "body") -> str | None:
    """The request field a domain error is about (``body.item``, ``body.queries.3.country``),
    when the engine named it where it raised the error, or its class does, else None."""
    from exportcheck.web.ui.field_errors import FORM, field_of

    field = field_of(exc, name_field="name")  # a screened name is ``name`` in every request
    if field == FORM:
        return None
    return f"{prefix}.facts.{field}" if field in _FACTS else f"{prefix}.{field}"


def at_field(exc: errors.ExportCheckError, prefix: str = "body") -> errors.ExportCheckError:
    """``exc`` marked with the request field it is about (:func:`request_field`), which
    :func:`domain_response` answers in ``errors`` as a 422 names its fields: a client reads one
    shape for every error about a field, whether pydantic or the engine refused it."""
    # not ``exc.field``, which names a form's box ("licence_number") rather than a request path
    exc.request_field = request_field(exc, prefix)  # type: ignore[attr-defined]
    return exc


def problem(status: int, detail: str, *, code: str | None = None, request: Request | None = None,
            headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    path = request.url.path if request else None
    body = Problem(type=f"urn:exportcheck:problem:{code or status}",
                   title=TITLES.get(status, "Error"), status=status, detail=detail,
                   # a path far longer than any route takes is not echoed back whole
                   instance=path if path and len(path) <= MAX_INSTANCE else None, code=code,
                   **extra)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status,
                        media_type=MEDIA_TYPE, headers=headers)


def status_of(exc: errors.ExportCheckError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


#: renders an error page for browsers (set by the UI; None: problem+json everywhere)
html_renderer: Callable[[Request, int, str, str], Response] | None = None


def wants_html(request: Request) -> bool:
    """A browser page or htmx request (not the API)."""
    path = request.url.path
    if path.startswith(("/api/", "/match/", "/openapi", "/healthz", "/docs", "/static/")):
        return False
    return "hx-request" in request.headers or "text/html" in request.headers.get("accept", "")


def _page(request: Request, status: int, detail: str) -> Response | None:
    if html_renderer is None or not wants_html(request):
        return None
    return html_renderer(request, status, TITLES.get(status, "Error"), detail)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path (GET and POST are separate routes, and
    Starlette's 405 names only the first one's)."""
    base = {"type": "http", "path": request.scope["path"],
            "root_path": request.scope.get("root_path", "")}
    return [m for m in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
            if any(route.matches({**base, "method": m})[0] is Match.FULL
                   for route in request.app.router.routes)]


def domain_response(request: Request, exc: errors.ExportCheckError) -> Response:
    """The response to an :class:`~exportcheck.errors.ExportCheckError`: a problem document,
    or for a browser a page (the sign-in page when not signed in). Used by the exception
    handler and by middleware that refuses a request before any route runs."""
    status = status_of(exc)
    if status == 401 and wants_html(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = f"/login?next={quote(target)}"
        if request.cookies.get(SESSION_COOKIE):  # a session that ended: say so on the page
            login += "&error=session_ended"
        if "hx-request" in request.headers:  # htmx follows this header, not a 303
            return Response(status_code=401, headers={"HX-Redirect": login})
        return RedirectResponse(login, status_code=303)
    if (page := _page(request, status, str(exc))) is not None:
        return page
    headers = {}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="exportcheck"'
    if isinstance(exc, errors.RateLimited):
        headers["Retry-After"] = str(exc.retry_after)
    rule = getattr(exc, "rule", None)
    field = getattr(exc, "request_field", None)  # set by at_field
    return problem(status, str(exc), code=exc.code, request=request, headers=headers,
                   rule=rule if isinstance(rule, str) else None,
                   errors=[FieldProblem(field=field, message=str(exc))]
                   if isinstance(field, str) else None)


def _bad_path(exc: RequestValidationError) -> bool:
    """Only path parameters are wrong (``/lists/abc``): nothing is at that address."""
    errs = exc.errors()
    return bool(errs) and all(e.get("loc", ("",))[0] == "path" for e in errs)


def _page_detail(request: Request, exc: RequestValidationError) -> str:
    if _bad_path(exc):
        return f"nothing is at {request.url.path}: check the address"
    names = sorted({str(e.get("loc", ("", "?"))[-1]) for e in exc.errors()})
    return (f"the address has a value this page cannot use ({', '.join(names)}): go back and "
            "use the page's own links and forms")


#: pydantic's error types for a body that is no JSON object (pydantic's words: "Input should
#: be a valid dictionary or object to extract fields from")
_NOT_AN_OBJECT = {"model_attributes_type", "model_type", "dict_type"}


def _body_not_an_object(request: Request) -> str:
    """Why the body is no JSON object, in words a client can act on: a body sent without
    ``Content-Type: application/json`` (an ERP's default is often text/plain or a form) is
    not parsed as JSON at all, so it reads as "not a dictionary" however right it is."""
    sent = request.headers.get("content-type", "").split(";")[0].strip()
    if "json" not in sent:
        return ("the body was not read as JSON: send it with 'Content-Type: "
                f"application/json' (this request sent {sent or 'no Content-Type'})")
    return "the body must be a JSON object ({...}) with the fields of this request"


def _not_utf8(request: Request, err: UnicodeDecodeError) -> Response:
    """A JSON body that is not UTF-8 (an ERP sending Latin-1 or Windows-1252): FastAPI said
    only "There was an error parsing the body", a 400 without a code or field, where invalid
    JSON is a 422 naming the body and the place. JSON between systems is UTF-8 (RFC 8259,
    section 8.1)."""
    bad = err.object[err.start:err.start + 1] if isinstance(err.object, bytes) else b""
    byte = f"byte 0x{bad.hex()} " if bad else ""
    message = (f"not UTF-8 text ({byte}at byte {err.start}; Latin-1 or Windows-1252?): send "
               "the JSON encoded as UTF-8")
    return problem(422, f"the request is not valid: body: {message}", code="invalid_request",
                   request=request, errors=[{"field": "body", "message": message}])


def _repeated_key(request: Request, err: DuplicateKey) -> Response:
    """A JSON object naming a key twice: FastAPI said only "There was an error parsing the
    body" (400); it is a 422 naming the key, as for any field at fault."""
    return problem(422, f"the request is not valid: {err.field}: {err}", code="invalid_request",
                   request=request, errors=[{"field": err.field, "message": str(err)}])


def install(app: FastAPI) -> None:
    app.openapi = lambda: openapi(app)  # type: ignore[method-assign]

    @app.exception_handler(errors.ExportCheckError)
    async def _domain(request: Request, exc: errors.ExportCheckError) -> Response:
        return domain_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        fields = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()))
            message = str(err.get("msg", "")).removeprefix("Value error, ")
            if err.get("type") == "json_invalid":
                # loc is ("body", <character offset>): say what is wrong, and where
                at = err.get("loc", ("", "?"))[-1]
                why = (err.get("ctx") or {}).get("error", "")
                where, message = "body", (f"not valid JSON at character {at}"
                                          + (f": {why}" if why else ""))
            elif tuple(err.get("loc", ())) == ("body",) and err.get("type") in _NOT_AN_OBJECT:
                message = _body_not_an_object(request)
            fields.append({"field": where, "message": message})
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields[:5])
        if len(fields) > 5:
            detail += f"; and {len(fields) - 5} more"
        if (page := _page(request, 404 if _bad_path(exc) else 422,
                          _page_detail(request, exc))) is not None:
            return page  # a hand-edited address in a browser: a page, not JSON
        return problem(422, f"the request is not valid: {detail}", code="invalid_request",
                       request=request, errors=fields)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if isinstance(exc.__cause__, UnicodeDecodeError) and not wants_html(request):
            return _not_utf8(request, exc.__cause__)
        if isinstance(exc.__cause__, DuplicateKey) and not wants_html(request):
            return _repeated_key(request, exc.__cause__)
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such resource: {request.method} {request.url.path} (see /docs)"
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path} (see /docs)"
            if allowed := _allowed_methods(request):  # Starlette names only one route's
                headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        if (page := _page(request, exc.status_code, detail)) is not None:
            return page
        return problem(exc.status_code, detail, request=request,
                       code="request_too_large" if exc.status_code == 413 else None,
                       headers=headers)

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return server_error(request)


#: what a person is told of a bug: nothing of its insides, and what to do
INTERNAL_ERROR = ("internal error: the server logged it; please report it with the time of the "
                  "request")


def server_error(request: Request) -> Response:
    """A bug's answer: for a browser page, a page in the site's layout (navigation and a way
    back kept); for the API, the problem document. It is sent from outside the middleware
    (Starlette's ServerErrorMiddleware), so it carries their headers itself."""
    from exportcheck.web.limits import NO_STORE, SECURITY_HEADERS

    response: Response | None = None
    if html_renderer is not None and wants_html(request):
        try:
            response = html_renderer(request, 500, TITLES[500], INTERNAL_ERROR)
        except Exception:  # the page itself failed (the database is gone): the plain answer
            log.exception("the error page failed too on %s", request.url.path)
    if response is None:
        response = problem(500, INTERNAL_ERROR, request=request)
    for key, value in (*SECURITY_HEADERS, NO_STORE):
        response.headers[key.decode()] = value.decode()
    return response
