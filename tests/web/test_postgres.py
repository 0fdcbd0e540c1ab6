"""The web service on PostgreSQL: accounts, screening, the ledger and the audit chain."""

from __future__ import annotations

import pytest

from tests.web.conftest import start_service, stop_service

pytestmark = pytest.mark.postgres


def test_service_on_postgresql(pg_server, tmp_path):
    svc, mp = start_service(tmp_path, pg_server.create_database("web_pg"))
    try:
        c = svc.client
        assert c.get("/healthz").json()["database"] == "postgresql"
        r = c.post("/api/v1/screen", json={"name": "Carrie Lam"}, headers=svc.auth("officer"))
        assert r.status_code == 200 and r.json()["hits"][0]["list"] == "SDN"
        refused = c.post("/api/v1/shipments", headers=svc.auth("officer"), json={
            "idempotency_key": "pg-1", "licence_number": "DSP5-HK-2019-001",
            "ship_date": "2020-07-15", "destination": "HK",
            "consignee": "Hong Kong Police Force", "end_user": "Hong Kong Police Force",
            "lines": [{"classification": "I(a)", "quantity": 1, "value": "1000.00"}]})
        assert refused.status_code == 409
        assert refused.headers["content-type"] == "application/problem+json"
        assert "suspended" in refused.json()["detail"]
        assert c.post("/api/v1/audit/verify", headers=svc.auth("viewer")).json()["ok"] is True
        entries = c.get("/api/v1/audit", params={"kind": "shipment"},
                        headers=svc.auth("viewer")).json()["items"]
        assert entries[0]["kind"] == "shipment.refused"
        assert entries[0]["actor"] == "officer (token:2)"
        login = c.get("/login")
        csrf = login.cookies.get("exportcheck_login_csrf")
        r = c.post("/login", data={"username": "officer", "password": svc.password("officer"),
                                   "csrf_token": csrf, "next": "/check"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/check"
    finally:
        stop_service(svc, mp)
