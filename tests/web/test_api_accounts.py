"""REST API: accounts and tokens, browser-session security, errors and body-size limits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from exportcheck.web.deps import SESSION_COOKIE
from tests.web.api_helpers import actor_of, audit_since, head_seq, problem, run_coroutine
from tests.web.conftest import Service

LOGIN_CSRF = "exportcheck_login_csrf"
PASSWORD = "a-long-enough-password"


def browser(service: Service, host: str = "testclient") -> TestClient:
    """A client of its own (own cookie jar, own client address) on the service's app."""
    return TestClient(service.app, base_url="https://testserver", client=(host, 50000),
                      follow_redirects=False)


def set_cookie(response, name: str) -> str:
    """The raw Set-Cookie header that sets ``name``."""
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert len(found) == 1, response.headers.get_list("set-cookie")
    return found[0]


def login_form(b: TestClient) -> str:
    """GET /login; the login-CSRF token (cookie and hidden field agree)."""
    page = b.get("/login")
    assert page.status_code == 200
    token = b.cookies.get(LOGIN_CSRF)
    assert token
    m = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert m and m[1] == token
    return token


def sign_in(b: TestClient, user: str, password: str, *, token: str | None = None):
    token = login_form(b) if token is None else token
    return b.post("/login", data={"csrf_token": token, "username": user, "password": password,
                                  "next": "/check"})


def page_csrf(b: TestClient) -> str:
    """The session's CSRF token as a page carries it (hx-headers on <body>, hidden inputs)."""
    page = b.get("/check", headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text[:300]
    m = re.search(r"""hx-headers='(\{[^']*\})'""", page.text)
    assert m, "no hx-headers on <body>"
    token = json.loads(m[1])["X-CSRF-Token"]
    hidden = set(re.findall(r'name="csrf_token" value="([^"]+)"', page.text))
    assert hidden == {token}
    return token


@pytest.fixture
def officer_browser(service: Service) -> Iterator[TestClient]:
    b = browser(service)
    r = sign_in(b, "officer", service.password("officer"))
    assert r.status_code == 303, r.text[:300]
    yield b
    b.close()


# -- accounts ------------------------------------------------------------------------------
def test_me(service: Service) -> None:
    c = service.client
    for role in ("viewer", "officer", "admin"):
        me = c.get("/api/v1/me", headers=service.auth(role)).json()
        assert (me["name"], me["role"]) == (role, role)
        assert me["via"].startswith("token:")
    r = c.get("/api/v1/me")
    problem(r, 401)
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert "Bearer" in problem(c.get("/api/v1/me", headers={"Authorization": "Basic eDp5"}),
                               401)["detail"]
    problem(c.get("/api/v1/me", headers={"Authorization": "Bearer ect_not-a-token"}), 401)


def test_users_create_duplicate_weak_password_and_role(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    seq = head_seq(c, admin)
    r = c.post("/api/v1/users", headers=admin,
               json={"name": "dana", "role": "viewer", "password": PASSWORD})
    assert r.status_code == 201, r.text
    assert {k: r.json()[k] for k in ("name", "role", "disabled")} == {
        "name": "dana", "role": "viewer", "disabled": False}
    assert "password" not in r.text and PASSWORD not in r.text

    dup = c.post("/api/v1/users", headers=admin,
                 json={"name": "dana", "role": "officer", "password": PASSWORD})
    assert "already exists" in problem(dup, 409)["detail"]  # well formed, refused: 409
    weak = c.post("/api/v1/users", headers=admin,
                  json={"name": "erin", "role": "viewer", "password": "short"})
    assert [e["field"] for e in problem(weak, 422)["errors"]] == ["body.password"]
    problem(c.post("/api/v1/users", headers=admin,
                   json={"name": "erin", "role": "superuser", "password": PASSWORD}), 422)
    problem(c.post("/api/v1/users", headers=service.auth("officer"),
                   json={"name": "erin", "role": "viewer", "password": PASSWORD}), 403)
    names = [u["name"] for u in c.get("/api/v1/users", headers=admin,
                                      params={"limit": 500}).json()["items"]]
    assert "dana" in names and "erin" not in names

    r = c.patch("/api/v1/users/dana", headers=admin, json={"role": "officer"})
    assert r.status_code == 200, r.text
    assert r.json()["role"] == "officer"
    problem(c.patch("/api/v1/users/dana", headers=admin, json={"password": "short"}), 422)
    problem(c.patch("/api/v1/users/dana", headers=admin, json={}), 400)
    problem(c.patch("/api/v1/users/nobody-here", headers=admin, json={"role": "viewer"}), 404)

    entries = audit_since(c, admin, seq, kind="account")
    assert [e["kind"] for e in entries] == ["account.user_added", "account.user_changed"]
    assert {e["actor"] for e in entries} == {actor_of(c, admin)}
    assert entries[1]["payload"] == {"user": "dana", "role": "officer"}


def test_tokens_secret_once_disable_and_revoke(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    r = c.post("/api/v1/users", headers=admin,
               json={"name": "frank", "role": "officer", "password": PASSWORD})
    assert r.status_code == 201, r.text
    r = c.post("/api/v1/tokens", headers=admin, json={"user": "frank", "label": "ci job"})
    assert r.status_code == 201, r.text
    secret, token = r.json()["secret"], r.json()["token"]
    assert secret.startswith("ect_") and len(secret) > 30
    assert (token["user"], token["label"], token["prefix"]) == ("frank", "ci job", secret[:10])
    mine = {"Authorization": f"Bearer {secret}"}
    me = c.get("/api/v1/me", headers=mine).json()
    assert (me["name"], me["via"]) == ("frank", f"token:{token['id']}")

    listed = c.get("/api/v1/tokens", headers=admin, params={"limit": 500})
    assert listed.status_code == 200
    assert secret not in listed.text and secret[10:20] not in listed.text
    assert all("secret" not in t for t in listed.json()["items"])
    assert token["id"] in {t["id"] for t in listed.json()["items"]}
    just_frank = c.get("/api/v1/tokens", headers=admin, params={"user": "frank"}).json()
    assert [t["prefix"] for t in just_frank["items"]] == [secret[:10]]

    r = c.delete(f"/api/v1/tokens/{token['id']}", headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["revoked_at"] is not None and r.json()["status"] == "revoked"
    problem(c.get("/api/v1/me", headers=mine), 401)
    assert "revoked" in problem(c.get("/api/v1/me", headers=mine), 401)["detail"]
    problem(c.delete("/api/v1/tokens/999999", headers=admin), 404)
    problem(c.get("/api/v1/tokens", headers=service.auth("officer")), 403)


# -- browser session security --------------------------------------------------------------
def test_login_sets_secure_session_cookie(service: Service) -> None:
    b = browser(service)
    page = b.get("/login")
    raw = set_cookie(page, LOGIN_CSRF).lower()
    assert "httponly" in raw and "samesite=strict" in raw and "secure" in raw
    token = b.cookies[LOGIN_CSRF]
    r = sign_in(b, "officer", service.password("officer"), token=token)
    assert r.status_code == 303
    assert r.headers["location"] == "/check"
    raw = set_cookie(r, SESSION_COOKIE)
    attrs = {a.strip().split("=")[0].lower(): a.strip() for a in raw.split(";")[1:]}
    assert "httponly" in attrs and "secure" in attrs
    assert attrs["samesite"].lower() == "samesite=lax"
    assert attrs["path"] == "Path=/"
    me = b.get("/api/v1/me").json()
    assert (me["name"], me["via"]) == ("officer", "session")
    b.close()


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/x",
                                    "/\\evil.example", "javascript:alert(1)"])
def test_login_redirects_only_within_the_site(service: Service, target: str) -> None:
    b = browser(service, "192.0.2.12")

    def landing(next_: str) -> str:
        r = b.post("/login", data={"csrf_token": login_form(b), "username": "viewer",
                                   "password": service.password("viewer"), "next": next_})
        assert r.status_code == 303
        return r.headers["location"]

    assert landing("/licences?agency=BIS") == "/licences?agency=BIS"
    where = landing(target)
    assert where.startswith("/") and not where.startswith("//")
    assert "evil" not in where and "\\" not in where and "javascript" not in where
    b.close()


def test_login_needs_login_csrf(service: Service) -> None:
    b = browser(service)
    form = {"username": "officer", "password": service.password("officer"), "next": "/check"}
    r = b.post("/login", data=form)  # no cookie, no field
    assert r.status_code == 403
    assert SESSION_COOKIE not in b.cookies
    token = login_form(b)
    r = b.post("/login", data={**form, "csrf_token": token + "x"})  # wrong field
    assert r.status_code == 403
    assert not any(h.startswith(f"{SESSION_COOKIE}=")
                   for h in r.headers.get_list("set-cookie"))
    b.close()


def test_wrong_password_then_right_one(service: Service) -> None:
    b = browser(service, "192.0.2.10")
    r = sign_in(b, "viewer", "not-the-password")
    assert r.status_code == 401 and "wrong user name or password" in r.text
    assert sign_in(b, "viewer", service.password("viewer")).status_code == 303
    b.close()


def test_state_changing_requests_need_the_csrf_token(service: Service,
                                                     officer_browser: TestClient) -> None:
    b = officer_browser
    body = problem(b.post("/api/v1/screen", json={"name": "Carrie Lam"}), 403)
    assert "CSRF" in body["detail"]
    problem(b.post("/api/v1/screen", json={"name": "Carrie Lam"},
                   headers={"X-CSRF-Token": "forged"}), 403)
    token = page_csrf(b)
    r = b.post("/api/v1/screen", json={"name": "Carrie Lam"}, headers={"X-CSRF-Token": token})
    assert r.status_code == 200 and r.json()["hits"]

    form = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"}
    assert b.post("/check", data=form).status_code == 403
    r = b.post("/check", data={**form, "csrf_token": token})
    assert r.status_code == 200 and "LICENSE_REQUIRED" in r.text.replace(" ", "_").upper()
    # reading needs no token
    assert b.get("/api/v1/licences").status_code == 200


def test_logout_ends_the_session(service: Service, officer_browser: TestClient) -> None:
    b = officer_browser
    token = page_csrf(b)
    old = browser(service)  # another client replaying the same cookie
    old.headers["Cookie"] = f"{SESSION_COOKIE}={b.cookies[SESSION_COOKIE]}"
    assert old.get("/api/v1/me").json()["name"] == "officer"
    assert old.get("/check", headers={"Accept": "text/html"}).status_code == 200

    assert b.post("/logout").status_code == 403  # logout is state-changing too
    r = b.post("/logout", headers={"X-CSRF-Token": token})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert set_cookie(r, SESSION_COOKIE).startswith(f'{SESSION_COOKIE}=""')
    assert SESSION_COOKIE not in b.cookies

    page = old.get("/check", headers={"Accept": "text/html"})
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    problem(old.get("/api/v1/me"), 401)
    problem(old.post("/api/v1/screen", json={"name": "x"}, headers={"X-CSRF-Token": token}),
            401)
    old.close()


def test_disabling_a_user_ends_their_sessions(service: Service) -> None:
    admin = service.auth("admin")
    service.client.post("/api/v1/users", headers=admin,
                        json={"name": "gina", "role": "viewer", "password": PASSWORD})
    b = browser(service, "192.0.2.11")
    assert sign_in(b, "gina", PASSWORD).status_code == 303
    assert b.get("/api/v1/me").json()["name"] == "gina"
    service.client.patch("/api/v1/users/gina", headers=admin, json={"disabled": True})
    problem(b.get("/api/v1/me"), 401)
    assert sign_in(b, "gina", PASSWORD).status_code == 401
    b.close()


def test_login_rate_limit(service: Service) -> None:
    service.accounts.add_user("lockme", "viewer", PASSWORD, actor="test")
    b = browser(service, "198.51.100.7")
    for _ in range(5):
        assert sign_in(b, "lockme", "wrong-password-guess").status_code == 401
    r = sign_in(b, "lockme", PASSWORD)
    assert r.status_code == 429
    assert SESSION_COOKIE not in b.cookies
    m = re.search(r"try again in (\d+) seconds", r.text)
    assert m and 1 <= int(m[1]) <= 300, r.text[:2000]
    # the user name from this address is limited, not the address (other users sign in
    # from it) nor the user from elsewhere (until failures come from several addresses:
    # tests/web/test_review_17_web.py)
    assert sign_in(b, "viewer", service.password("viewer")).status_code == 303
    elsewhere = browser(service, "198.51.100.8")
    assert sign_in(elsewhere, "lockme", PASSWORD).status_code == 303
    b.close()
    elsewhere.close()


# -- errors and limits ---------------------------------------------------------------------
def test_unknown_path_and_wrong_method(service: Service) -> None:
    c = service.client
    body = problem(c.get("/api/v1/no-such-thing", headers=service.auth("viewer")), 404)
    assert "/api/v1/no-such-thing" in body["detail"]
    r = c.put("/api/v1/licences", headers=service.auth("officer"), json={})
    assert "PUT" in problem(r, 405)["detail"]
    assert set(r.headers["allow"].split(", ")) == {"GET", "POST"}  # both routes of the path
    r = c.delete("/api/v1/audit", headers=service.auth("admin"))
    problem(r, 405)
    assert r.headers["allow"] == "GET"
    r = c.get("/api/v1/tokens/1", headers=service.auth("admin"))
    problem(r, 405)
    assert r.headers["allow"] == "DELETE"


def test_malformed_and_invalid_json(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    r = c.post("/api/v1/screen", headers={**h, "Content-Type": "application/json"},
               content=b'{"name": "Carrie')
    body = problem(r, 422)
    assert body["errors"] and body["errors"][0]["field"].startswith("body")
    assert "not valid JSON at character" in body["detail"]  # not "body.9: JSON decode error"
    r = c.post("/api/v1/determinations", headers=h,
               json={"item": "3A001.a.2", "destination": "HK", "date": "15/01/2021",
                     "colour": "red"})
    fields = {e["field"] for e in problem(r, 422)["errors"]}
    assert fields == {"body.date", "body.colour"}
    assert "body.date" in problem(r, 422)["detail"]


@pytest.fixture
def small_app(service: Service, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The service's database behind an app built with a 2 KiB body limit (64 KiB uploads)."""
    from exportcheck.web.app import create_app

    monkeypatch.setenv("EXPORTCHECK_MAX_BODY_BYTES", "2048")
    monkeypatch.setenv("EXPORTCHECK_MAX_UPLOAD_BYTES", "65536")
    client = TestClient(create_app(warm=False), base_url="https://testserver")
    yield client
    client.close()


def big_query(size: int) -> bytes:
    return json.dumps({"name": "Carrie Lam", "id": "x" * 100, "lists": ["SDN"] * 1,
                       "country": None, "kind": None, "dob": None,
                       "threshold": None, "limit": 20}).encode() + b" " * size


def test_body_limit_with_content_length(service: Service, small_app: TestClient) -> None:
    h = {**service.auth("officer"), "Content-Type": "application/json"}
    ok = small_app.post("/api/v1/screen", headers=h, content=big_query(100))
    assert ok.status_code == 200, ok.text
    r = small_app.post("/api/v1/screen", headers=h, content=big_query(3000))
    body = problem(r, 413)
    assert "2,048 bytes" in body["detail"] and body["code"] == "request_too_large"
    # upload paths have their own (larger) limit
    r = small_app.post("/api/v1/lists/load", headers=service.auth("admin"),
                       files={"files": ("junk.txt", b"not a list\n" * 400)})
    assert r.status_code != 413 and 400 <= r.status_code < 500
    r = small_app.post("/api/v1/lists/load", headers=service.auth("admin"),
                       files={"files": ("junk.txt", b"x" * 70000)})
    assert "65,536 bytes" in problem(r, 413)["detail"]


def test_body_limit_when_chunked(service: Service, small_app: TestClient) -> None:
    h = {**service.auth("officer"), "Content-Type": "application/json"}
    small = big_query(100)
    r = small_app.post("/api/v1/screen", headers=h,
                       content=(small[i:i + 512] for i in range(0, len(small), 512)))
    assert r.status_code == 200, r.text
    payload = big_query(3000)
    r = small_app.post("/api/v1/screen", headers=h,
                       content=(payload[i:i + 512] for i in range(0, len(payload), 512)))
    assert "content-length" not in r.request.headers
    assert r.request.headers["transfer-encoding"] == "chunked"
    assert "2,048 bytes" in problem(r, 413)["detail"]


def test_body_limit_streamed_in_several_messages(service: Service,
                                                 small_app: TestClient) -> None:
    """Straight at the ASGI app: no Content-Length, the body arrives 512 bytes at a time."""
    payload = big_query(3000)
    chunks = [payload[i:i + 512] for i in range(0, len(payload), 512)]
    sent: list[dict] = []
    received = 0

    async def receive() -> dict:
        nonlocal received
        if received < len(chunks):
            received += 1
            return {"type": "http.request", "body": chunks[received - 1],
                    "more_body": received < len(chunks)}
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    token = service.tokens["officer"].encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "https", "path": "/api/v1/screen", "raw_path": b"",
             "root_path": "", "query_string": b"", "server": ("testserver", 443),
             "client": ("testclient", 50000),
             "headers": [(b"host", b"testserver"), (b"content-type", b"application/json"),
                         (b"authorization", b"Bearer " + token)]}
    run_coroutine(small_app.app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    assert start["status"] == 413
    assert dict(start["headers"])[b"content-type"].startswith(b"application/problem+json")
    body = json.loads(b"".join(m.get("body", b"") for m in sent
                               if m["type"] == "http.response.body"))
    assert body["status"] == 413 and "2,048 bytes" in body["detail"]
    assert received < len(chunks)  # refused before the whole body was read


def test_default_body_limit_is_8_mib(service: Service) -> None:
    h = {**service.auth("officer"), "Content-Type": "application/json"}
    r = service.client.post("/api/v1/screen", headers=h,
                            content=big_query(8 * 1024 * 1024))
    assert "8,388,608 bytes" in problem(r, 413)["detail"]
