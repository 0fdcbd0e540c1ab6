"""API tokens expire, may be limited to a role below their owner's, and die with a disabled
user: a token was a standing credential with its owner's full role, and re-enabling a user
brought their tokens back to life."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from exportcheck.accounts.models import ApiToken
from exportcheck.errors import InvalidInput

from .api_helpers import audit_since, head_seq, problem
from .conftest import Service

PASSWORD = "a long enough password"
SCREEN = {"name": "Carrie Lam"}
ROLE_CHOICE = "'viewer', 'officer' or 'admin'"


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def expire(url: str, token_id: int, *, ago: dt.timedelta = dt.timedelta(minutes=1)) -> None:
    """Move a token's expiry into the past, as time would (no sleeping in tests)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.update(ApiToken).where(ApiToken.id == token_id)
                     .values(expires_at=dt.datetime.now(dt.UTC) - ago))
    engine.dispose()


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def new_user(service: Service, name: str, role: str) -> None:
    r = service.client.post("/api/v1/users", headers=service.auth("admin"),
                            json={"name": name, "role": role, "password": PASSWORD})
    assert r.status_code == 201, r.text


def new_token(service: Service, **body: object) -> tuple[dict, dict[str, str]]:
    r = service.client.post("/api/v1/tokens", headers=service.auth("admin"), json=body)
    assert r.status_code == 201, r.text
    return r.json()["token"], bearer(r.json()["secret"])


def tokens_of(service: Service, user: str) -> list[dict]:
    r = service.client.get("/api/v1/tokens", headers=service.auth("admin"),
                           params={"user": user})
    assert r.status_code == 200, r.text
    return r.json()["items"]


# -- expiry ---------------------------------------------------------------------------------
def test_a_token_expires_after_its_days_and_then_authenticates_nobody(service: Service) -> None:
    c = service.client
    new_user(service, "ivy", "officer")
    before = dt.datetime.now(dt.UTC)
    token, mine = new_token(service, user="ivy", label="nightly", days=7)
    assert token["status"] == "active" and token["role"] is None
    assert before + dt.timedelta(days=7) <= _utc(token["expires_at"]) <= \
        dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    assert c.post("/api/v1/screen", headers=mine, json=SCREEN).status_code == 200

    expire(service.database_url, token["id"])
    service.app.state.accounts._token_cache.clear()  # as after TOKEN_CACHE_SECONDS
    detail = problem(c.get("/api/v1/me", headers=mine), 401)["detail"]
    assert "expired" in detail
    problem(c.post("/api/v1/screen", headers=mine, json=SCREEN), 401)
    [listed] = tokens_of(service, "ivy")
    assert (listed["status"], listed["revoked_at"]) == ("expired", None)


def test_a_token_without_days_lives_the_default_and_the_default_is_a_setting(
        service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    new_user(service, "jack", "viewer")
    token, _ = new_token(service, user="jack")
    lifetime = _utc(token["expires_at"]) - _utc(token["created_at"])
    assert lifetime == dt.timedelta(days=90)
    monkeypatch.setenv("EXPORTCHECK_TOKEN_DAYS", "30")
    token, _ = new_token(service, user="jack")
    assert _utc(token["expires_at"]) - _utc(token["created_at"]) == dt.timedelta(days=30)
    monkeypatch.setenv("EXPORTCHECK_TOKEN_DAYS", "0")
    with pytest.raises(InvalidInput, match=r"EXPORTCHECK_TOKEN_DAYS='0': 0 is outside 1\.\.366"):
        service.accounts.create_token("jack", actor="test")
    assert len(tokens_of(service, "jack")) == 2


@pytest.mark.parametrize(("field", "value", "message"), [
    ("days", 0, "greater than or equal to 1"), ("days", -1, "greater than or equal to 1"),
    ("days", 367, "less than or equal to 366"), ("days", 10**12, "less than or equal to 366"),
    ("days", "abc", "valid integer"), ("days", 1.5, "fractional part"),
    ("days", True, "not true or false"), ("days", "", "valid integer"),
    ("role", "superuser", ROLE_CHOICE), ("role", 3, ROLE_CHOICE)])
def test_a_bad_lifetime_or_role_is_a_422_naming_it_and_stores_nothing(
        service: Service, field: str, value: object, message: str) -> None:
    c, admin = service.client, service.auth("admin")
    seq, before = head_seq(c, admin), tokens_of(service, "viewer")
    r = c.post("/api/v1/tokens", headers=admin, json={"user": "viewer", field: value})
    [error] = problem(r, 422)["errors"]
    assert error["field"] == f"body.{field}" and message in error["message"], error
    assert tokens_of(service, "viewer") == before
    assert audit_since(c, admin, seq, kind="account") == []


# -- scope ----------------------------------------------------------------------------------
def test_a_viewer_token_of_an_admin_reads_but_does_not_administer(service: Service) -> None:
    c = service.client
    seq = head_seq(c, service.auth("admin"))
    token, mine = new_token(service, user="admin", label="dashboard", role="Viewer ")
    assert token["role"] == "viewer"
    assert c.get("/api/v1/me", headers=mine).json()["role"] == "viewer"
    assert c.get("/api/v1/licences", headers=mine).status_code == 200
    assert c.get("/api/v1/audit", headers=mine).status_code == 200
    detail = problem(c.get("/api/v1/users", headers=mine), 403)["detail"]
    assert f"admin's token #{token['id']} acts as viewer" in detail
    problem(c.post("/api/v1/tokens", headers=mine, json={"user": "admin"}), 403)
    problem(c.post("/api/v1/screen", headers=mine, json=SCREEN), 403)
    [created] = audit_since(c, service.auth("admin"), seq, kind="account.token_created")
    assert created["payload"]["role"] == "viewer" and created["payload"]["days"] == 90
    assert created["payload"]["expires_at"].startswith(token["expires_at"][:19])


def test_a_token_above_its_owners_role_is_refused(service: Service) -> None:
    before = tokens_of(service, "officer")
    r = service.client.post("/api/v1/tokens", headers=service.auth("admin"),
                            json={"user": "officer", "role": "admin"})
    body = problem(r, 400)
    assert "officer is officer, so their token cannot act as admin" in body["detail"]
    assert [e["field"] for e in body["errors"]] == ["body.role"]
    assert tokens_of(service, "officer") == before


def test_a_token_follows_its_owner_down_but_not_above_its_limit(service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    new_user(service, "kim", "officer")
    _, limited = new_token(service, user="kim", role="officer")
    _, unlimited = new_token(service, user="kim")
    for mine in (limited, unlimited):
        assert c.post("/api/v1/screen", headers=mine, json=SCREEN).status_code == 200
    assert c.patch("/api/v1/users/kim", headers=admin, json={"role": "viewer"}).status_code == 200
    for mine in (limited, unlimited):  # demoted: both act as viewer now
        assert c.get("/api/v1/me", headers=mine).json()["role"] == "viewer"
        problem(c.post("/api/v1/screen", headers=mine, json=SCREEN), 403)
    assert c.patch("/api/v1/users/kim", headers=admin, json={"role": "admin"}).status_code == 200
    assert c.get("/api/v1/me", headers=limited).json()["role"] == "officer"
    assert c.get("/api/v1/me", headers=unlimited).json()["role"] == "admin"
    problem(c.get("/api/v1/users", headers=limited), 403)


# -- disabling revokes ----------------------------------------------------------------------
def test_disabling_a_user_revokes_their_tokens_and_enabling_does_not_restore_them(
        service: Service) -> None:
    c, admin = service.client, service.auth("admin")
    new_user(service, "lena", "officer")
    first, mine = new_token(service, user="lena", label="erp")
    second, other = new_token(service, user="lena", label="ci", role="viewer")
    gone, _ = new_token(service, user="lena", label="old")
    assert c.delete(f"/api/v1/tokens/{gone['id']}", headers=admin).status_code == 200
    stale, _ = new_token(service, user="lena", label="stale")
    expire(service.database_url, stale["id"])
    # a new password ends sessions (people) but keeps tokens (machines)
    r = c.patch("/api/v1/users/lena", headers=admin, json={"password": "another long password"})
    assert r.status_code == 200, r.text
    assert c.get("/api/v1/me", headers=mine).status_code == 200
    seq = head_seq(c, admin)

    assert c.patch("/api/v1/users/lena", headers=admin,
                   json={"disabled": True}).status_code == 200
    for token in (mine, other):
        problem(c.get("/api/v1/me", headers=token), 401)
    entries = audit_since(c, admin, seq, kind="account")
    assert [e["kind"] for e in entries] == ["account.user_changed", "account.token_revoked",
                                            "account.token_revoked"]
    assert [e["payload"] for e in entries[1:]] == [
        {"user": "lena", "token_id": t["id"], "reason": "user disabled"}
        for t in (first, second)]
    statuses = {t["label"]: t["status"] for t in tokens_of(service, "lena")}
    assert statuses == {"erp": "revoked", "ci": "revoked", "old": "revoked",
                        "stale": "expired"}

    assert c.patch("/api/v1/users/lena", headers=admin,
                   json={"disabled": False}).status_code == 200
    for token in (mine, other):
        problem(c.get("/api/v1/me", headers=token), 401)
    assert {t["label"]: t["status"] for t in tokens_of(service, "lena")} == statuses
