"""Who is calling, and may they: the dependencies every route declares.

Machines send ``Authorization: Bearer <token>`` (``ApiKey <token>`` is accepted too, which is
how yente clients send their key). Browsers carry a session cookie; every state-changing
request made with the cookie must also carry the session's CSRF token, in the
``X-CSRF-Token`` header (htmx sends it) or a ``csrf_token`` form field.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from exportcheck.accounts import Accounts, Principal
from exportcheck.errors import NotAuthenticated, PermissionDenied
from exportcheck.web.queryparams import refuse_unknown_query

SESSION_COOKIE = "exportcheck_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
_SAFE = {"GET", "HEAD", "OPTIONS"}


def accounts(request: Request) -> Accounts:
    return request.app.state.accounts


async def _csrf_ok(request: Request, expected: str) -> bool:
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()  # cached by Starlette: the route reads it again for free
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    return sent is not None and same_secret(sent, expected)


def same_secret(sent: str, expected: str) -> bool:
    """Constant-time comparison of a token the client sent. As bytes: ``compare_digest``
    raises on a str outside ASCII, and a client may send any character."""
    return hmac.compare_digest(sent.encode("utf-8", "surrogatepass"),
                               expected.encode("utf-8", "surrogatepass"))


#: declared so the OpenAPI spec (and /docs) show how to authenticate; checked below
bearer_scheme = HTTPBearer(auto_error=False, description="an API token: `exportcheck tokens "
                           "create USER` (yente clients may send `ApiKey <token>`)")
cookie_scheme = APIKeyCookie(name=SESSION_COOKIE, auto_error=False,
                             description="browser session (sign in at /login); state-changing "
                                         "requests also need the X-CSRF-Token header")


def credentials(acc: Accounts, request: Request) -> Principal | None:
    """Whom the request's token or session cookie names (None: it sends neither, or a
    session that ended); raises on a token that is malformed or unknown. Reads headers and
    cookies only, never the body, so it can run before a large body is accepted."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, credential = header.partition(" ")
        if scheme.lower() not in ("bearer", "apikey") or not credential.strip():
            raise NotAuthenticated("use 'Authorization: Bearer <token>' (create a token with "
                                   "`exportcheck tokens create USER`)")
        principal = acc.token_principal(credential.strip())
        if principal is None:
            raise NotAuthenticated("the API token is unknown, expired, revoked or its user "
                                   "disabled")
        return principal
    if secret := request.cookies.get(SESSION_COOKIE):
        return acc.session_principal(secret)
    return None


#: ``request.state`` key of the principal the body gate (``web.gate``) found
GATE_STATE = "gate_principal"


async def optional_principal(
    request: Request,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
    _cookie: Annotated[str | None, Depends(cookie_scheme)] = None,
) -> Principal | None:
    """The caller if they sent valid credentials; raises on credentials that are wrong."""
    cached = getattr(request.state, "principal", False)
    if cached is not False:
        return cached
    principal = getattr(request.state, GATE_STATE, None)
    if principal is None:
        principal = credentials(accounts(request), request)
    if (principal is not None and principal.via == "session" and request.method not in _SAFE
            and not await _csrf_ok(request, principal.csrf_token or "")):
        raise PermissionDenied("missing or wrong CSRF token: reload the page and try again")
    request.state.principal = principal
    return principal


async def current_principal(
        principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise NotAuthenticated("sign in, or send 'Authorization: Bearer <token>'")
    return principal


def require(role: str) -> Callable[..., Principal]:
    """A dependency that lets through users whose role is ``role`` or above."""

    async def check(request: Request,
                    principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.allows(role):
            who = (f"{principal.name}'s {principal.via.replace(':', ' #')} acts as"
                   if principal.via.startswith("token:") else f"{principal.name} is")
            raise PermissionDenied(f"this needs the {role} role; {who} {principal.role}")
        # after the credentials and the role, as FastAPI checks its parameters after them
        refuse_unknown_query(request)
        return principal

    check.__name__ = f"require_{role}"
    return check


Viewer = Annotated[Principal, Depends(require("viewer"))]
Officer = Annotated[Principal, Depends(require("officer"))]
Admin = Annotated[Principal, Depends(require("admin"))]
