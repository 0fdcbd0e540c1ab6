"""Who may call what: every route of the REST API with the least role it needs.

``ROUTES`` lists every operation of the OpenAPI spec (``test_every_route_is_in_the_table``
fails when a route is added without a row here). For each row: no credentials -> 401, each
role below the minimum -> 403 and nothing written, the minimum role and admin -> success.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from exportcheck.accounts import ROLES
from exportcheck.ledger.api import Ledger
from exportcheck.screen.service import SAMPLES_DIR
from exportcheck.web.problems import MEDIA_TYPE

from .api_helpers import bis_licence
from .conftest import Service

SEEDED_LICENCE = "DSP5-HK-2019-001"
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
ORDER_LINE = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"}


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


@dataclass
class Call:
    """One request: what ``TestClient.request`` gets besides the method and headers."""

    url: str
    json: Any = None
    params: dict[str, Any] | None = None
    files: list[tuple[str, tuple[str, bytes, str]]] | None = None

    def send(self, service: Service, method: str, headers: dict[str, str]) -> httpx.Response:
        return service.client.request(method, self.url, json=self.json, params=self.params,
                                      files=self.files, headers=headers)


@dataclass(frozen=True)
class Route:
    method: str
    #: the path as the OpenAPI spec spells it
    path: str
    #: least role that may call it; None: no credentials needed
    role: str | None
    #: status of a successful call
    ok: int
    #: builds a valid request (may set things up first: the call it builds is fresh, so
    #: writes never collide with an earlier test's)
    build: Callable[[Service], Call] | None = field(default=None, compare=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"

    def call(self, service: Service) -> Call:
        return self.build(service) if self.build else Call(self.path)


# -- request builders ----------------------------------------------------------------------
def _licence_spec(number: str) -> dict[str, Any]:
    return bis_licence(number, quantity=10, value="1000.00")


def _add_licence(service: Service) -> Call:
    return Call("/api/v1/licences", json=_licence_spec(fresh("BIS-ROLES")))


def _set_status(service: Service) -> Call:
    number = fresh("BIS-STATUS")
    Ledger(service.database_url).add_licence(_licence_spec(number), actor="test-setup")
    return Call(f"/api/v1/licences/{number}/status",
                json={"status": "suspended", "effective": "2024-06-01",
                      "reason": "roles test", "citation": "15 CFR 750.8"})


def _shipment(service: Service) -> Call:
    return Call("/api/v1/shipments", json={
        "idempotency_key": fresh("roles"), "licence_exception": "NLR",
        "ship_date": "2024-03-01", "destination": "DE", "consignee": "Roles Test GmbH",
        "end_user": "Roles Test GmbH", "lines": [{"classification": "EAR99", "value": "10.00"}]})


def _posted_key(service: Service) -> str:
    key = fresh("roles-rev")
    Ledger(service.database_url).post_shipment({
        "idempotency_key": key, "licence_exception": "NLR", "ship_date": "2024-03-01",
        "destination": "DE", "consignee": "Roles Test GmbH", "end_user": "Roles Test GmbH",
        "lines": [{"classification": "EAR99", "value": "10.00"}]}, actor="test-setup")
    return key


def _reversal(service: Service) -> Call:
    return Call(f"/api/v1/shipments/{_posted_key(service)}/reversal",
                json={"idempotency_key": fresh("roles-undo"), "reason": "roles test"})


def _posted_shipment(service: Service) -> Call:
    return Call(f"/api/v1/shipments/{_posted_key(service)}")


def _disposition(service: Service) -> Call:
    return Call("/api/v1/dispositions", json={
        "party": f"Carrie Lam {uuid.uuid4().hex[:8]}", "list": "SDN", "entry_id": "29249",
        "reason": "a different person (roles test)"})


def _list_version(service: Service) -> Call:
    listing = service.client.get("/api/v1/lists", headers=service.auth("admin"))
    assert listing.status_code == 200, listing.text
    return Call(f"/api/v1/lists/{listing.json()['items'][0]['id']}/changes")


def _load_lists(service: Service) -> Call:
    # the bundled DPL again: a valid upload that leaves the active lists as they are
    content = (Path(SAMPLES_DIR) / "dpl.txt").read_bytes()
    return Call("/api/v1/lists/load", files=[("files", ("dpl.txt", content, "text/plain"))])


_impact_runs: dict[str, int] = {}


def _impact_run_id(service: Service) -> int:
    if service.database_url not in _impact_runs:
        made = service.client.post("/api/v1/impact-runs", headers=service.auth("admin"),
                                   json={"from_date": "2020-06-29", "to_date": "2021-01-15",
                                         "sample": True})
        assert made.status_code == 201, made.text
        _impact_runs[service.database_url] = made.json()["id"]
    return _impact_runs[service.database_url]


def _impact(suffix: str) -> Callable[[Service], Call]:
    return lambda service: Call(f"/api/v1/impact-runs/{_impact_run_id(service)}{suffix}")


def _patch_user(service: Service) -> Call:
    name = fresh("patched")
    service.accounts.add_user(name, "viewer", "a-long-enough-password", actor="test-setup")
    return Call(f"/api/v1/users/{name}", json={"role": "officer"})


def _revoke_token(service: Service) -> Call:
    token, _ = service.accounts.create_token("viewer", label="to revoke", actor="test-setup")
    return Call(f"/api/v1/tokens/{token.id}")


def _const(url: str, **kw: Any) -> Callable[[Service], Call]:
    return lambda service: Call(url, **kw)


ROUTES: list[Route] = [
    Route("GET", "/healthz", None, 200),
    # determinations and screening
    Route("POST", "/api/v1/determinations", "officer", 200,
          _const("/api/v1/determinations", json=ORDER_LINE)),
    Route("POST", "/api/v1/determinations/batch", "officer", 200,
          _const("/api/v1/determinations/batch", json={"lines": [ORDER_LINE]})),
    Route("POST", "/api/v1/screen", "officer", 200,
          _const("/api/v1/screen", json={"name": "Carrie Lam"})),
    Route("POST", "/api/v1/screen/batch", "officer", 200,
          _const("/api/v1/screen/batch", json={"queries": [{"name": "Carrie Lam"}]})),
    Route("GET", "/api/v1/dispositions", "viewer", 200),
    Route("POST", "/api/v1/dispositions", "officer", 201, _disposition),
    Route("POST", "/match/{dataset}", "officer", 200, _const("/match/default", json={
        "queries": {"q": {"schema": "Person", "properties": {"name": ["Carrie Lam"]}}}})),
    # licences, shipments, ledger report
    Route("GET", "/api/v1/licences", "viewer", 200),
    Route("POST", "/api/v1/licences", "officer", 201, _add_licence),
    Route("GET", "/api/v1/licences/{number}", "viewer", 200,
          _const(f"/api/v1/licences/{SEEDED_LICENCE}")),
    Route("POST", "/api/v1/licences/{number}/status", "officer", 200, _set_status),
    Route("POST", "/api/v1/shipments", "officer", 201, _shipment),
    Route("POST", "/api/v1/shipments/{key}/reversal", "officer", 201, _reversal),
    Route("GET", "/api/v1/shipments", "viewer", 200),
    Route("GET", "/api/v1/shipments/{key}", "viewer", 200, _posted_shipment),
    Route("GET", "/api/v1/ledger/report", "viewer", 200),
    # audit trail
    Route("GET", "/api/v1/audit", "viewer", 200),
    Route("POST", "/api/v1/audit/verify", "viewer", 200),
    Route("GET", "/api/v1/audit/export", "viewer", 200,
          _const("/api/v1/audit/export", params={"format": "csv"})),
    # lists
    Route("GET", "/api/v1/lists", "viewer", 200),
    Route("GET", "/api/v1/lists/{version_id}/changes", "viewer", 200, _list_version),
    Route("POST", "/api/v1/lists/load", "admin", 200, _load_lists),
    # impact runs
    Route("POST", "/api/v1/impact-runs", "officer", 201, _const("/api/v1/impact-runs", json={
        "from_date": "2020-06-29", "to_date": "2021-01-15", "lines": [ORDER_LINE]})),
    Route("GET", "/api/v1/impact-runs", "viewer", 200),
    Route("GET", "/api/v1/impact-runs/{run_id}", "viewer", 200, _impact("")),
    Route("GET", "/api/v1/impact-runs/{run_id}/report", "viewer", 200, _impact("/report")),
    Route("GET", "/api/v1/impact-runs/{run_id}/lines", "viewer", 200, _impact("/lines")),
    # accounts
    Route("GET", "/api/v1/me", "viewer", 200),
    Route("GET", "/api/v1/users", "admin", 200),
    Route("POST", "/api/v1/users", "admin", 201, lambda service: Call("/api/v1/users", json={
        "name": fresh("new-user"), "role": "viewer", "password": "a-long-enough-password"})),
    Route("PATCH", "/api/v1/users/{name}", "admin", 200, _patch_user),
    Route("GET", "/api/v1/tokens", "admin", 200),
    Route("POST", "/api/v1/tokens", "admin", 201,
          _const("/api/v1/tokens", json={"user": "viewer", "label": "roles test"})),
    Route("DELETE", "/api/v1/tokens/{token_id}", "admin", 200, _revoke_token),
]

PROTECTED = [r for r in ROUTES if r.role is not None]
DENIED = [pytest.param(r, role, id=f"{r.id} as {role}")
          for r in PROTECTED for role in ROLES[:ROLES.index(r.role)]]
ALLOWED = [pytest.param(r, role, id=f"{r.id} as {role or 'anonymous'}")
           for r in ROUTES for role in dict.fromkeys([r.role, "admin"])]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"] and body["type"].startswith("urn:exportcheck:")
    return body


def audit_total(service: Service) -> int:
    return Ledger(service.database_url).audit_entries(limit=1)[1]


# -- the table is the whole API ------------------------------------------------------------
def test_every_route_is_in_the_table(service: Service) -> None:
    spec = service.client.get("/openapi.json").json()
    documented = {f"{method.upper()} {path}" for path, ops in spec["paths"].items()
                  for method in ops if method in HTTP_METHODS}
    table = {r.id for r in ROUTES}
    assert len(table) == len(ROUTES), "a route is in the table twice"
    assert not documented - table, "routes without role tests: add them to ROUTES"
    assert not table - documented, "ROUTES names routes the API no longer has"


def test_the_table_orders_roles_as_the_service_does() -> None:
    assert ROLES == ("viewer", "officer", "admin")
    assert {r.role for r in PROTECTED} == set(ROLES)


# -- no credentials, too little role, enough role ------------------------------------------
@pytest.mark.parametrize("route", PROTECTED, ids=lambda r: r.id)
def test_no_credentials_is_401(service: Service, route: Route) -> None:
    call = route.call(service)
    before = audit_total(service)
    response = call.send(service, route.method, {})
    body = assert_problem(response, 401)
    assert body["code"] == "unauthenticated"
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert audit_total(service) == before


@pytest.mark.parametrize(("route", "role"), DENIED)
def test_role_below_minimum_is_403(service: Service, route: Route, role: str) -> None:
    call = route.call(service)
    before = audit_total(service)
    response = call.send(service, route.method, service.auth(role))
    body = assert_problem(response, 403)
    assert body["code"] == "forbidden"
    assert f"needs the {route.role} role" in body["detail"]
    assert "www-authenticate" not in response.headers
    assert audit_total(service) == before, "a refused request wrote to the audit trail"


@pytest.mark.parametrize(("route", "role"), ALLOWED)
def test_minimum_role_and_admin_succeed(service: Service, route: Route,
                                        role: str | None) -> None:
    call = route.call(service)
    response = call.send(service, route.method, service.auth(role) if role else {})
    assert response.status_code == route.ok, response.text
    assert not response.headers["content-type"].startswith(MEDIA_TYPE)


def test_healthz_ignores_credentials(service: Service) -> None:
    # a load balancer's probe must not fail because of a header it happens to send
    response = service.client.get("/healthz", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


# -- credentials that do not identify an active user ---------------------------------------
def test_revoked_token_is_401(service: Service) -> None:
    token, secret = service.accounts.create_token("officer", label="revoke me",
                                                  actor="test-setup")
    mine = {"Authorization": f"Bearer {secret}"}
    assert service.client.get("/api/v1/me", headers=mine).json()["via"] == f"token:{token.id}"

    revoked = service.client.delete(f"/api/v1/tokens/{token.id}", headers=service.auth("admin"))
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None

    for method, url in (("GET", "/api/v1/me"), ("POST", "/api/v1/screen")):
        response = service.client.request(method, url, headers=mine, json={"name": "x"})
        body = assert_problem(response, 401)
        assert "revoked" in body["detail"]
        assert response.headers["www-authenticate"].startswith("Bearer")


def test_disabled_users_token_is_401(service: Service) -> None:
    name = fresh("disabled")
    service.accounts.add_user(name, "officer", "a-long-enough-password", actor="test-setup")
    _, secret = service.accounts.create_token(name, actor="test-setup")
    mine = {"Authorization": f"Bearer {secret}"}
    assert service.client.get("/api/v1/me", headers=mine).status_code == 200

    disabled = service.client.patch(f"/api/v1/users/{name}", json={"disabled": True},
                                    headers=service.auth("admin"))
    assert disabled.status_code == 200, disabled.text
    assert_problem(service.client.get("/api/v1/me", headers=mine), 401)


@pytest.mark.parametrize("header", [
    pytest.param("Bearer ect_not-a-real-token-at-all", id="unknown-bearer"),
    pytest.param("ApiKey garbage", id="unknown-apikey"),
    pytest.param("Bearer ", id="empty-bearer"),
    pytest.param("Bearer", id="scheme-only"),
    pytest.param("Basic b2ZmaWNlcjpvZmZpY2VyLXBhc3N3b3JkLWZvci10ZXN0cw==", id="basic"),
    pytest.param("Token {officer}", id="unknown-scheme"),
    pytest.param("{officer}", id="no-scheme"),
])
def test_bad_credentials_are_401(service: Service, header: str) -> None:
    # "basic" is officer:officer-password-for-tests, a real user's real password: the API
    # takes tokens only
    headers = {"Authorization": header.format(officer=service.tokens["officer"])}
    response = service.client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_bad_credentials_are_refused_before_the_body_is_used(service: Service) -> None:
    before = audit_total(service)
    response = service.client.post("/api/v1/tokens", json={"user": "admin"},
                                   headers={"Authorization": "Bearer garbage"})
    assert_problem(response, 401)
    assert audit_total(service) == before


@pytest.mark.parametrize("scheme", ["Bearer", "bearer", "ApiKey", "apikey"])
def test_token_schemes(service: Service, scheme: str) -> None:
    headers = {"Authorization": f"{scheme} {service.tokens['viewer']}"}
    me = service.client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["name"] == "viewer" and me.json()["role"] == "viewer"


# -- browser sessions on the API: cookies need the CSRF token for writes --------------------
def test_session_cookie_needs_csrf_token_for_writes(service: Service) -> None:
    principal = service.accounts.login("officer", Service.password("officer"))
    secret, csrf = service.accounts.start_session(principal)
    cookie = {"Cookie": f"exportcheck_session={secret}"}

    me = service.client.get("/api/v1/me", headers=cookie)
    assert me.status_code == 200 and me.json()["via"] == "session"

    body = {"name": "Carrie Lam"}
    missing = service.client.post("/api/v1/screen", json=body, headers=cookie)
    assert "CSRF" in assert_problem(missing, 403)["detail"]
    wrong = service.client.post("/api/v1/screen", json=body,
                                headers={**cookie, "X-CSRF-Token": csrf[::-1]})
    assert_problem(wrong, 403)
    right = service.client.post("/api/v1/screen", json=body,
                                headers={**cookie, "X-CSRF-Token": csrf})
    assert right.status_code == 200, right.text
    assert right.json()["hits"][0]["entry_id"] == "29249"
