"""QA review 30 of the web service, as a security reviewer probes it before an intranet launch.

1. A failed sign-in left no trace in the audit trail: five wrong passwords for ``admin`` from
   one address (the sign-in limit then paused the name) were answered 401 and 429, and the
   trail showed only the successful sign-ins, so an auditor could not see that someone had
   been guessing an account's password, nor from where.
2. ``GET /api/v1/tokens?user=Admin`` (and ``exportcheck tokens list --user Admin``) listed no
   token for the user ``admin``, and ``?user=nobody`` answered an empty list too, where every
   other account lookup ignores case and names an unknown user: an admin checking which
   tokens to revoke before disabling someone was told they held none.
3. A CSRF token with a character outside ASCII (``X-CSRF-Token: é``, or ``csrf_token=é`` in
   a form, the sign-in form's included) was answered 500 "internal error" instead of 403:
   ``hmac.compare_digest`` refuses to compare such strings, so anyone could make the server
   log errors, and a mangled form looked like a server bug.
"""

from __future__ import annotations

import pytest

from exportcheck.accounts.service import MAX_FAILURES
from tests.web.api_helpers import audit_since, head_seq, problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import PASSWORD, browser, login_form, sign_in


def test_failed_sign_ins_to_a_user_are_in_the_audit_trail(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    service.accounts.add_user("gina", "officer", PASSWORD, actor="test")
    seq = head_seq(c, admin)
    b = browser(service, "198.51.100.7")
    for _ in range(MAX_FAILURES):
        assert sign_in(b, "gina", "not-her-password-at-all").status_code == 401
    entries = audit_since(c, admin, seq, kind="account")
    failed = [e for e in entries if e["kind"] == "account.login_failed"]
    assert len(failed) == MAX_FAILURES, [e["kind"] for e in entries]
    assert failed[0]["payload"] == {"user": "gina", "client": "198.51.100.7",
                                    "reason": "wrong password"}
    assert "gina" not in failed[0]["actor"]  # nobody signed in: not written as gina's act


def test_a_sign_in_to_a_disabled_user_is_audited_as_such(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    service.accounts.add_user("hugo", "viewer", PASSWORD, actor="test")
    service.accounts.update_user("hugo", actor="test", disabled=True)
    seq = head_seq(c, admin)
    b = browser(service, "198.51.100.8")
    assert sign_in(b, "hugo", PASSWORD).status_code == 401
    failed = [e for e in audit_since(c, admin, seq, kind="account")
              if e["kind"] == "account.login_failed"]
    assert [e["payload"]["reason"] for e in failed] == ["user disabled"]


def test_a_made_up_name_writes_nothing(service: Service) -> None:
    """Guesses at names nobody has are not locked out (README): they must not flood the
    trail either."""
    c, admin = service.client, service.auth("admin")
    seq = head_seq(c, admin)
    b = browser(service, "198.51.100.9")
    token = login_form(b)
    assert sign_in(b, "nobody-by-this-name", PASSWORD, token=token).status_code == 401
    assert audit_since(c, admin, seq, kind="account") == []


def test_tokens_of_a_user_are_listed_whatever_the_case(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    mine = c.get("/api/v1/tokens", headers=admin, params={"user": "officer"}).json()
    assert mine["total"] >= 1
    spelt = c.get("/api/v1/tokens", headers=admin, params={"user": "OFFICER"})
    assert spelt.status_code == 200, spelt.text
    assert spelt.json()["items"] == mine["items"]


def test_tokens_of_an_unknown_user_is_a_404(service: Service) -> None:
    r = service.client.get("/api/v1/tokens", headers=service.auth("admin"),
                           params={"user": "nobody-here"})
    assert "no user 'nobody-here'" in problem(r, 404)["detail"]


@pytest.mark.parametrize("sent", ["é", "\u2603" * 43])
def test_a_csrf_token_outside_ascii_is_refused_not_a_crash(service: Service, sent: str) -> None:
    principal = service.accounts.login("officer", Service.password("officer"))
    secret, _ = service.accounts.start_session(principal)
    cookie = f"exportcheck_session={secret}"
    header = service.client.post("/api/v1/screen", json={"name": "Carrie Lam"},
                                 headers={"Cookie": cookie,
                                          "X-CSRF-Token": sent.encode()})
    assert "CSRF" in problem(header, 403)["detail"]
    form = service.client.post("/screen", data={"csrf_token": sent, "name": "Carrie Lam"},
                               headers={"Cookie": cookie})
    assert "CSRF" in problem(form, 403)["detail"]


def test_a_sign_in_form_token_outside_ascii_is_refused_not_a_crash(service: Service) -> None:
    b = browser(service, "198.51.100.10")
    login_form(b)
    r = sign_in(b, "officer", Service.password("officer"), token="é")
    assert r.status_code == 403, r.text[:300]
    assert "sign-in form expired" in r.text
