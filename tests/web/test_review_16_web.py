"""Review 16 through the web service: the last admin, a huge audit offset, licences naming
unknown countries or items, a ship form without a quantity, a reversed audit period."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from exportcheck.accounts import Accounts
from tests.web.api_helpers import bis_licence, problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import browser, page_csrf, sign_in

Cli = Callable[[list[str]], tuple[int, str, str]]


def _signed_in(service: Service, role: str) -> TestClient:
    b = browser(service)
    assert sign_in(b, role, service.password(role)).status_code == 303
    return b


@pytest.fixture
def officer_page(service: Service) -> Iterator[TestClient]:
    b = _signed_in(service, "officer")
    yield b
    b.close()


# -- C: the last active admin --------------------------------------------------------------
def test_the_last_active_admin_cannot_disable_or_demote_itself(service: Service) -> None:
    """Nobody could manage users, tokens or lists any more; 409 names the admin."""
    c, h = service.client, service.auth("admin")
    for change in ({"disabled": True}, {"role": "viewer"}, {"role": "officer"}):
        body = problem(c.patch("/api/v1/users/admin", headers=h, json=change), 409)
        assert "admin is the last active admin" in body["detail"]
    me = service.accounts.get_user("admin")
    assert (me.role, me.disabled) == ("admin", False)
    # a disabled admin is no stand-in
    spare = {"name": "spare-admin", "role": "admin", "password": "spare-admin-password"}
    assert c.post("/api/v1/users", headers=h, json=spare).status_code == 201
    assert c.patch("/api/v1/users/spare-admin", headers=h,
                   json={"disabled": True}).status_code == 200
    problem(c.patch("/api/v1/users/admin", headers=h, json={"disabled": True}), 409)
    # an active one is: then either may go (the spare, so the module's admin stays)
    assert c.patch("/api/v1/users/spare-admin", headers=h,
                   json={"disabled": False}).status_code == 200
    r = c.patch("/api/v1/users/spare-admin", headers=h, json={"role": "viewer"})
    assert r.status_code == 200 and r.json()["role"] == "viewer"


def test_users_set_refuses_the_last_admin_too(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """``exportcheck users set`` had the same hole."""
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough password\n"))
    assert cli(["users", "add", "alice", "--role", "admin", "--password-stdin"])[0] == 0
    for args in (["--disable"], ["--role", "viewer"]):
        code, _, err = cli(["users", "set", "alice", *args])
        assert code == 2 and err.startswith("error: alice is the last active admin"), err
    alice = Accounts().get_user("alice")
    assert (alice.role, alice.disabled) == ("admin", False)


# -- D: a huge offset on the audit page ------------------------------------------------------
@pytest.mark.parametrize("offset", ["99999999999999999999999", str(10**9 + 1), "-5"])
def test_the_audit_page_takes_any_offset(service: Service, offset: str) -> None:
    """A hand-edited offset beyond SQLite's integers was an HTTP 500 (OverflowError)."""
    b = _signed_in(service, "viewer")
    try:
        r = b.get("/audit", params={"offset": offset}, headers={"Accept": "text/html"})
        assert r.status_code == 200, r.text[:300]
        assert "Audit" in r.text
    finally:
        b.close()


# -- A: unknown countries and items over the API --------------------------------------------
def test_api_refuses_a_licence_for_an_unknown_country_and_item(service: Service) -> None:
    """'QQ' and 'banana' were stored (201)."""
    c, h = service.client, service.auth("officer")
    spec = bis_licence("D-R16-BAD")
    spec["destination"] = "QQ"
    spec["lines"][0]["classification"] = "banana"
    body = problem(c.post("/api/v1/licences", headers=h, json=spec), 422)
    assert "'QQ'" in body["detail"] and "'banana'" in body["detail"]
    assert c.get("/api/v1/licences/D-R16-BAD", headers=h).status_code == 404


# -- B: the ship form without a quantity -----------------------------------------------------
def test_ship_form_without_quantity_draws_nothing(service: Service,
                                                  officer_page: TestClient) -> None:
    """It drew $1 against 0 units on a line licensed by number."""
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h,
                  json=bis_licence("D-R16-SHIP")).status_code == 201
    form = {"csrf_token": page_csrf(officer_page), "licence_number": "D-R16-SHIP",
            "ship_date": "2025-03-01", "destination": "IN", "classification": "3A001.a.2",
            "value": "1", "consignee": "Bharat Optics Ltd", "end_user": "Bharat Optics Ltd"}
    r = officer_page.post("/licences/ship", data=form, headers={"Accept": "text/html"})
    # refused: the API's 409 for a line of no quantity on a licence counting units (28b)
    assert r.status_code == 409 and "give the quantity shipped" in r.text
    line = c.get("/api/v1/licences/D-R16-SHIP", headers=h).json()["lines"][0]
    assert Decimal(line["shipped_value"]) == 0 and Decimal(line["shipped_quantity"]) == 0
    zero = {"idempotency_key": "r16-zero", "licence_number": "D-R16-SHIP",
            "ship_date": "2025-03-01", "destination": "IN", "consignee": "Bharat Optics Ltd",
            "end_user": "Bharat Optics Ltd",
            "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": "0"}]}
    assert "more than $0.00" in problem(c.post("/api/v1/shipments", headers=h, json=zero),
                                        422)["detail"]


# -- F: a reversed audit period --------------------------------------------------------------
@pytest.mark.parametrize("path", ["/api/v1/audit", "/api/v1/audit/export"])
def test_api_refuses_an_audit_period_ending_before_it_starts(service: Service,
                                                             path: str) -> None:
    """It answered 0 entries, which reads as a quiet year."""
    r = service.client.get(path, headers=service.auth("viewer"),
                           params={"from": "2020-12-31", "to": "2020-01-01"})
    assert "2020-12-31 is after to 2020-01-01" in problem(r, 400)["detail"]


def test_an_uploaded_order_file_naming_a_column_twice_is_refused(officer_page: TestClient
                                                                 ) -> None:
    """As `exportcheck impact` refuses it: the readers would silently keep one destination."""
    orders = b"item,destination,Destination,value\n3A001.a.2,HK,DE,1200\n"
    r = officer_page.post(
        "/impact", headers={"Accept": "text/html", "X-CSRF-Token": page_csrf(officer_page)},
        data={"from_date": "2020-06-29", "to_date": "2021-01-15", "portfolio": "upload"},
        files={"orders": ("orders.csv", orders, "text/csv")})
    # refused: a 4xx, the API's status for it (review 28), the error at the order file
    assert r.status_code == 400 and "names the column &#39;destination&#39; twice" in r.text
