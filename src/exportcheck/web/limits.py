"""Request body size limits, enforced while the body streams in (Content-Length can lie or be
absent with chunked encoding)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from exportcheck.web.problems import MEDIA_TYPE

#: paths that take uploads (list files, order files) get the larger limit
UPLOAD_PATHS = ("/api/v1/lists/load", "/lists/load", "/api/v1/impact-runs", "/impact")


class TooLarge(HTTPException):
    """Raised from ``receive`` once the body passes the limit; an HTTPException so that body
    parsing in FastAPI passes it on (it turns other errors into a generic 400)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, _detail(limit))


def _detail(limit: int) -> str:
    return (f"the request body is larger than {limit:,} bytes: split the batch or upload a "
            "smaller file")


class BodyLimit:
    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app, self.max_body, self.max_upload = app, max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        upload = scope["path"].startswith(UPLOAD_PATHS)
        limit = self.max_upload if upload else self.max_body
        # credentials were checked before this (web.gate): only a known user gets this far
        headers = dict(scope.get("headers") or ())
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _refuse(send, scope["path"], limit)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except TooLarge:
            if not started:
                await _refuse(send, scope["path"], limit)


async def _refuse(send: Send, path: str, limit: int) -> None:
    body = json.dumps({
        "type": "urn:exportcheck:problem:request_too_large", "title": "Request too large",
        "status": 413, "code": "request_too_large", "instance": path,
        "detail": _detail(limit)}).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", MEDIA_TYPE.encode()),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


#: sent with every response: no MIME sniffing, no framing by other sites, no referrer leaks,
#: and a Content-Security-Policy: scripts only from files of this service (no inline script or
#: handler, no eval: an injected <script> or onerror= does not run), no plugins, no <base> or
#: form posts to another site. Inline styles stay allowed (htmx's indicator style, computed
#: bar widths). A response that sets its own policy keeps it (the impact report, whose charts
#: are inline: impact.served.report_csp).
CSP = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       b"img-src 'self' data:; frame-ancestors 'self'; object-src 'none'; base-uri 'self'; "
       b"form-action 'self'")
SECURITY_HEADERS = [(b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"SAMEORIGIN"),
                    (b"referrer-policy", b"same-origin"), (b"content-security-policy", CSP)]
#: over HTTPS (directly, or behind a trusted proxy that says so: --forwarded-allow-ips), the
#: browser is told to use HTTPS only for a year: a later http:// link or a downgrading network
#: cannot expose a session cookie. Not over plain HTTP, where browsers ignore it (RFC 6797
#: 7.2); not for subdomains, which may be other services
HSTS = (b"strict-transport-security", b"max-age=31536000")
#: pages and API answers hold licences, parties and audit entries: no browser or proxy keeps
#: them (Back after signing out must not show them); static files may be cached
NO_STORE = (b"cache-control", b"no-store")


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        static = scope["path"].startswith("/static/")
        https = scope.get("scheme") == "https"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                own = {k.lower() for k, _ in message.get("headers", ())}
                headers = [*message.get("headers", ()),
                           *((k, v) for k, v in SECURITY_HEADERS if k not in own)]
                if not static and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append(NO_STORE)
                if https and HSTS[0] not in own:
                    headers.append(HSTS)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)
