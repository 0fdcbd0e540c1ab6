"""Review 17 (web), security: the sign-in limit per user name and address, credentials before
a request body, fixed sign-in messages, Argon2 and /match off the event loop, no-store."""

from __future__ import annotations

import asyncio
import json
import re
import time
import tracemalloc
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from exportcheck.accounts.service import MAX_ACCOUNT_FAILURES, MAX_FAILURES
from exportcheck.settings import Settings
from exportcheck.web.deps import SESSION_COOKIE
from tests.web.api_helpers import problem, run_coroutine
from tests.web.conftest import Service
from tests.web.test_api_accounts import LOGIN_CSRF, PASSWORD, browser, page_csrf, sign_in

MiB = 1024 * 1024


# -- 1. failed sign-ins: per user name and address, and per user name ------------------------
def test_made_up_names_from_one_address_do_not_lock_out_the_admin(service: Service) -> None:
    """Six guesses at names that do not exist locked every account out of the UI from that
    address (behind a proxy: everybody), the admin with the right password included."""
    b = browser(service, "203.0.113.5")
    for i in range(MAX_FAILURES + 3):
        r = sign_in(b, f"nonexistent-user-{i}", "wrong-password-guess")
        assert r.status_code == 401, (i, r.status_code)
    r = sign_in(b, "admin", service.password("admin"))
    assert r.status_code == 303 and SESSION_COOKIE in b.cookies
    b.close()


def test_guessing_one_accounts_password_from_one_address_is_stopped(service: Service) -> None:
    service.accounts.add_user("guessed", "viewer", PASSWORD, actor="test")
    b = browser(service, "203.0.113.6")
    for _ in range(MAX_FAILURES):
        assert sign_in(b, "guessed", "wrong-password-guess").status_code == 401
    r = sign_in(b, "Guessed", PASSWORD)  # the right one, any case: refused unchecked
    assert r.status_code == 429 and SESSION_COOKIE not in b.cookies
    assert 1 <= int(r.headers["Retry-After"]) <= 301
    text = re.sub(r"\s+", " ", r.text)
    assert "is paused after 5 failed attempts from this address" in text
    assert "try again in" in text and "you made" not in text
    # the address may sign in as someone else, the user from elsewhere
    assert sign_in(b, "viewer", service.password("viewer")).status_code == 303
    elsewhere = browser(service, "203.0.113.7")
    assert sign_in(elsewhere, "guessed", PASSWORD).status_code == 303
    b.close()
    elsewhere.close()


def test_guessing_one_account_from_many_addresses_is_stopped(service: Service) -> None:
    """Each address adds at most MAX_FAILURES; together they pause the account."""
    service.accounts.add_user("spread", "viewer", PASSWORD, actor="test")
    addresses = MAX_ACCOUNT_FAILURES // MAX_FAILURES
    for n in range(addresses):
        b = browser(service, f"198.51.100.{100 + n}")
        for _ in range(MAX_FAILURES + 2):  # the extra tries are refused, not counted
            assert sign_in(b, "spread", "wrong-password-guess").status_code in (401, 429)
        b.close()
    late = browser(service, "198.51.100.200")
    r = sign_in(late, "spread", PASSWORD)
    assert r.status_code == 429
    assert "from several addresses" in re.sub(r"\s+", " ", r.text)
    late.close()


def test_forwarded_addresses_count_only_from_a_configured_proxy(
        service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """Behind a proxy every browser arrives from the proxy's address. X-Forwarded-For is
    believed only from the address EXPORTCHECK_FORWARDED_ALLOW_IPS names (default: none)."""
    from exportcheck.web.app import create_app

    assert Settings().forwarded_allow_ips == ""
    service.accounts.add_user("proxied", "viewer", PASSWORD, actor="test")
    service.accounts.add_user("unproxied", "viewer", PASSWORD, actor="test")

    def via_proxy(app: Any, forwarded_for: str) -> TestClient:
        return TestClient(app, base_url="https://testserver", client=("10.9.9.9", 40000),
                          headers={"X-Forwarded-For": forwarded_for}, follow_redirects=False)

    # not configured: the header is ignored, both "clients" are the proxy
    guesser, victim = (via_proxy(service.app, "192.0.2.61"), via_proxy(service.app, "192.0.2.62"))
    for _ in range(MAX_FAILURES):
        assert sign_in(guesser, "unproxied", "wrong-password-guess").status_code == 401
    assert sign_in(victim, "unproxied", PASSWORD).status_code == 429

    monkeypatch.setenv("EXPORTCHECK_FORWARDED_ALLOW_IPS", "10.9.9.9")
    app = create_app(warm=False)
    guesser, victim = via_proxy(app, "192.0.2.71"), via_proxy(app, "192.0.2.72")
    for _ in range(MAX_FAILURES):
        assert sign_in(guesser, "proxied", "wrong-password-guess").status_code == 401
    assert sign_in(guesser, "proxied", PASSWORD).status_code == 429
    assert sign_in(victim, "proxied", PASSWORD).status_code == 303
    # a client that is not the proxy cannot pick its address
    direct = TestClient(app, base_url="https://testserver", client=("192.0.2.71", 40000),
                        headers={"X-Forwarded-For": "192.0.2.99"}, follow_redirects=False)
    assert sign_in(direct, "proxied", PASSWORD).status_code == 429
    for c in (guesser, victim, direct):
        c.close()


def test_user_names_are_unique_ignoring_case(service: Service) -> None:
    c, h = service.client, service.auth("admin")
    for name in ("Viewer", "VIEWER"):
        body = problem(c.post("/api/v1/users", headers=h, json={
            "name": name, "role": "admin", "password": PASSWORD}), 409)  # taken: refused
        assert "'viewer' already exists" in body["detail"] and "ignoring case" in body["detail"]
    b = browser(service, "203.0.113.20")
    assert sign_in(b, "VIEWER", service.password("viewer")).status_code == 303
    assert b.get("/api/v1/me").json()["name"] == "viewer"
    b.close()


# -- 2. credentials before the body ---------------------------------------------------------
class Body:
    """An ASGI request body of ``size`` bytes, made only as it is read; counts what was."""

    def __init__(self, size: int, chunk: int = MiB) -> None:
        self.size, self.chunk, self.read = size, chunk, 0

    async def receive(self) -> dict[str, Any]:
        if self.read >= self.size:
            return {"type": "http.disconnect"}
        n = min(self.chunk, self.size - self.read)
        self.read += n
        return {"type": "http.request", "body": b"{" + b" " * (n - 1),
                "more_body": self.read < self.size}


def call(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]],
         body: Body) -> tuple[int, dict[bytes, bytes], bytes]:
    sent: list[dict[str, Any]] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": method, "scheme": "https", "path": path, "raw_path": path.encode(),
             "root_path": "", "query_string": b"", "server": ("testserver", 443),
             "client": ("192.0.2.200", 50000), "headers": [(b"host", b"testserver"), *headers]}
    run_coroutine(app(scope, body.receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), content


UPLOADS_AND_BATCHES = ["/api/v1/impact-runs", "/api/v1/lists/load", "/impact", "/lists/load",
                       "/api/v1/determinations/batch", "/api/v1/screen/batch",
                       "/match/default", "/api/v1/screen"]
WRONG = {
    "none": [],
    "junk bearer": [(b"authorization", b"Bearer ect_made-up-token")],
    "junk apikey": [(b"authorization", b"ApiKey made-up")],
    "bad scheme": [(b"authorization", b"Basic YWxpY2U6cHc=")],
    "junk cookie": [(b"cookie", SESSION_COOKIE.encode() + b"=made-up-session")],
}


@pytest.mark.parametrize("who", list(WRONG))
@pytest.mark.parametrize("path", UPLOADS_AND_BATCHES)
def test_a_huge_body_without_valid_credentials_is_refused_unread(service: Service, path: str,
                                                                 who: str) -> None:
    """A made-up token or cookie passed the old check on presence alone, and FastAPI read and
    parsed up to 512 MiB before the route's own check (72 MB of JSON took 450 MB of RAM)."""
    size = 600 * MiB  # above the upload limit, let alone the 8 MiB of JSON
    body = Body(size)
    headers = [(b"content-type", b"application/json"), (b"content-length", str(size).encode()),
               *WRONG[who]]
    tracemalloc.start()
    try:
        status, sent, content = call(service.app, "POST", path, headers, body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert status == 401, (status, content[:300])
    assert body.read == 0  # not one byte taken in
    assert peak < 16 * MiB, peak
    assert sent[b"content-type"].startswith(b"application/problem+json")
    detail = json.loads(content)["detail"]
    assert ("sign in" in detail or "token" in detail or "Bearer" in detail), detail


@pytest.mark.parametrize("path", ["/impact", "/lists/load", "/screen", "/check"])
def test_a_browser_without_a_session_is_sent_to_sign_in_unread(service: Service,
                                                                path: str) -> None:
    body = Body(64 * MiB)
    status, sent, _ = call(service.app, "POST", path, [
        (b"accept", b"text/html"), (b"content-type", b"multipart/form-data; boundary=x"),
        (b"cookie", SESSION_COOKIE.encode() + b"=ended-session")], body)
    assert status == 303 and body.read == 0
    assert sent[b"location"].decode().startswith(f"/login?next={path}")


def test_valid_credentials_still_reach_the_route(service: Service) -> None:
    token = service.tokens["officer"].encode()
    payload = json.dumps({"queries": [{"name": "Carrie Lam"}]}).encode()

    class Small(Body):
        async def receive(self) -> dict[str, Any]:
            self.read += len(payload)
            return {"type": "http.request", "body": payload, "more_body": False}

    body = Small(len(payload))
    status, _, content = call(service.app, "POST", "/api/v1/screen/batch", [
        (b"content-type", b"application/json"), (b"authorization", b"Bearer " + token)], body)
    assert status == 200, content[:300]
    assert json.loads(content)["results"][0]["hits"]


# -- 7. the sign-in page shows fixed messages only --------------------------------------------
def test_login_page_does_not_show_text_from_the_address(service: Service) -> None:
    lure = "Your account is locked. Call the helpdesk on +1-555-0100 and give your password"
    r = service.client.get("/login", params={"error": lure})
    assert r.status_code == 200 and "+1-555-0100" not in r.text and "helpdesk" not in r.text
    r = service.client.get("/login", params={"error": "session_ended"})
    assert "Your session ended" in r.text


def test_an_ended_session_is_told_on_the_sign_in_page(service: Service) -> None:
    b = browser(service, "203.0.113.30")
    assert sign_in(b, "officer", service.password("officer")).status_code == 303
    token = page_csrf(b)
    assert b.post("/logout", headers={"X-CSRF-Token": token}).status_code == 303
    b.cookies.set(SESSION_COOKIE, "the-old-session-id")  # a tab still holding the cookie
    r = b.get("/audit", headers={"Accept": "text/html"})
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/audit&error=session_ended"
    page = b.get(r.headers["location"])
    assert "Your session ended" in page.text
    b.close()


# -- 8. Argon2 and /match in worker threads ---------------------------------------------------
async def _concurrently(app: Any, slow: Any, delay: float = 0.3) -> tuple[float, float, Any]:
    """Run ``slow(client)`` and, ``delay`` s later, GET /healthz: how long the first took,
    when (from the start) /healthz was answered, and the first's answer. A blocked event loop
    answers /healthz only after the slow request."""
    transport = httpx.ASGITransport(app=app, client=("192.0.2.222", 1234))
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as c:
        start = time.monotonic()

        async def timed_slow() -> tuple[float, Any]:
            r = await slow(c)
            return time.monotonic() - start, r

        async def health() -> float:
            await asyncio.sleep(delay)
            r = await c.get("/healthz")
            assert r.status_code == 200
            return time.monotonic() - start

        (took, answer), health_done = await asyncio.gather(timed_slow(), health())
    return took, health_done, answer


def test_sign_in_does_not_stall_other_requests(service: Service,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """POST /login ran Argon2 in the event loop: 12 sign-ins at once held /healthz 2.35 s."""
    import exportcheck.accounts.service as accounts_service

    class SlowHasher:  # Argon2 taking a second
        def verify(self, hashed: str, password: str) -> bool:
            time.sleep(1.0)
            return True

        def hash(self, password: str) -> str:
            time.sleep(1.0)
            return "x"

    monkeypatch.setattr(accounts_service, "_hasher", SlowHasher())

    async def sign_in_slowly(c: httpx.AsyncClient) -> httpx.Response:
        await c.get("/login")
        return await c.post("/login", data={"csrf_token": c.cookies[LOGIN_CSRF],
                                            "username": "viewer", "password": "whatever",
                                            "next": "/"})

    took, health_done, answer = run_coroutine(_concurrently(service.app, sign_in_slowly))
    assert answer.status_code == 303 and took >= 1.0
    assert health_done < 0.9, (health_done, took)


def test_match_does_not_stall_other_requests(service: Service,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from exportcheck.api import default_screener
    from exportcheck.web.routers import match

    class SlowScreener:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        def __getattr__(self, attr: str) -> Any:
            return getattr(self.inner, attr)

        def screen(self, *args: Any, **kwargs: Any) -> Any:
            time.sleep(1.0)
            return self.inner.screen(*args, **kwargs)

    monkeypatch.setattr(match, "default_screener", lambda: SlowScreener(default_screener()))

    async def match_slowly(c: httpx.AsyncClient) -> httpx.Response:
        return await c.post("/match/default", headers=service.auth("officer"), json={
            "queries": {"q": {"schema": "Person", "properties": {"name": ["Carrie Lam"]}}}})

    took, health_done, answer = run_coroutine(_concurrently(service.app, match_slowly))
    assert answer.status_code == 200 and took >= 1.0
    assert health_done < 0.9, (health_done, took)


# -- 10. nothing kept by browsers -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/check", "/screen", "/licences", "/audit", "/lists",
                                  "/impact", "/api/v1/me", "/api/v1/licences"])
def test_signed_in_pages_and_api_answers_are_not_stored(officer_page: TestClient,
                                                        path: str) -> None:
    r = officer_page.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 200, r.text[:200]
    assert r.headers["cache-control"] == "no-store"


def test_api_errors_and_tokens_are_not_stored(service: Service) -> None:
    r = service.client.get("/api/v1/me", headers=service.auth("viewer"))
    assert r.headers["cache-control"] == "no-store"
    assert problem(service.client.get("/api/v1/me"), 401) and \
        service.client.get("/api/v1/me").headers["cache-control"] == "no-store"
    assert "no-store" not in service.client.get("/static/app.css").headers.get(
        "cache-control", "")


def test_signed_in_pages_keep_no_htmx_history(officer_page: TestClient) -> None:
    """htmx copied each page into the tab's sessionStorage, where the audit trail outlived
    signing out; the pages opt out, and sign-out goes through the browser, not htmx."""
    page = officer_page.get("/audit", headers={"Accept": "text/html"}).text
    config = json.loads(re.search(r'name="htmx-config" content=\'([^\']+)\'', page)[1])
    assert config["historyCacheSize"] == 0 and config["refreshOnHistoryMiss"] is True
    assert re.search(r'<body[^>]* hx-history="false"', page)
    assert re.search(r'<form method="post" action="/logout"[^>]*hx-boost="false"', page)
    out = officer_page.post("/logout", headers={"X-CSRF-Token": page_csrf(officer_page)})
    assert out.status_code == 303
    assert '"storage"' in out.headers["clear-site-data"]
