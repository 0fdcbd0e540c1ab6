"""Credentials are checked before a request body is read.

FastAPI reads and parses a route's whole body (JSON, or a multipart upload spooled to disk)
before the route's dependencies run, so without this an anonymous caller, or one sending a
made-up token or cookie, could make the server take in up to the upload limit per request.
Here every state-changing request but sign-in and sign-out must carry a valid API token or a
live session before its body is touched; the principal found is handed to the route's
dependency (:func:`exportcheck.web.deps.optional_principal`), which still checks the CSRF
token of a session.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from exportcheck.errors import ExportCheckError, NotAuthenticated
from exportcheck.web.deps import GATE_STATE, credentials

#: methods that carry no body worth guarding (their routes check credentials as usual)
SAFE = frozenset(("GET", "HEAD", "OPTIONS"))
#: the sign-in form is anonymous by nature; sign-out without a session just shows sign-in
OPEN = frozenset(("/login", "/logout"))


async def _no_body() -> dict:
    raise RuntimeError("the body gate never reads the body")


class CredentialsFirst:
    """ASGI middleware: a state-changing request without valid credentials is answered 401
    (a browser: sent to the sign-in page) before one byte of its body is received."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope["method"] in SAFE
                or scope["path"].rstrip("/") in OPEN):
            await self.app(scope, receive, send)
            return
        request = Request(scope, _no_body)
        try:
            principal = await run_in_threadpool(credentials, scope["app"].state.accounts,
                                                request)
            if principal is None:
                raise NotAuthenticated("sign in, or send 'Authorization: Bearer <token>'")
        except ExportCheckError as exc:
            from exportcheck.web.problems import domain_response

            await domain_response(request, exc)(scope, _no_body, send)
            return
        scope.setdefault("state", {})[GATE_STATE] = principal
        await self.app(scope, receive, send)
