"""Review 26 of accounts and sessions.

1. Signing in again from a browser that was signed in (the same person after a pause, or
   another person on a shared machine) started a new session and left the old one valid: the
   old cookie, copied before, still opened every page until it expired. A new sign-in now ends
   the session the browser brought.
2. Adding a user whose name is taken answered 400 "Bad request", as for a malformed body;
   the request is well formed and refused because of the service's state: 409, as the other
   refusals of that kind (the last administrator, a ledger rule).
"""

from __future__ import annotations

from exportcheck.errors import InvalidInput
from exportcheck.web.deps import SESSION_COOKIE
from tests.web.api_helpers import problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import PASSWORD, browser, sign_in


def test_signing_in_again_ends_the_session_the_browser_had(service: Service) -> None:
    service.accounts.add_user("shared-desk", "officer", PASSWORD, actor="test")
    service.accounts.add_user("next-person", "officer", PASSWORD, actor="test")
    b = browser(service)
    assert sign_in(b, "shared-desk", PASSWORD).status_code == 303
    first = b.cookies.get(SESSION_COOKIE)
    assert b.get("/check").status_code == 200
    assert sign_in(b, "next-person", PASSWORD).status_code == 303
    second = b.cookies.get(SESSION_COOKIE)
    assert second and second != first
    # the first session's cookie, kept elsewhere, no longer opens a page
    old = browser(service)
    old.cookies.set(SESSION_COOKIE, first)
    assert old.get("/check").status_code == 401  # "sign in again", as for an ended session
    assert b.get("/check").status_code == 200
    b.close()
    old.close()


def test_a_user_name_taken_is_a_conflict(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    assert c.post("/api/v1/users", headers=admin, json={
        "name": "taken", "role": "viewer", "password": PASSWORD}).status_code == 201
    again = c.post("/api/v1/users", headers=admin, json={
        "name": "Taken", "role": "viewer", "password": PASSWORD})
    assert "already exists" in problem(again, 409)["detail"]
    # the Python API still raises an InvalidInput (a ValueError) for it
    try:
        service.accounts.add_user("TAKEN", "viewer", PASSWORD, actor="test")
    except InvalidInput as exc:
        assert "already exists" in str(exc)
    else:
        raise AssertionError("a taken user name was accepted")
