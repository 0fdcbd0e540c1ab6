"""Review 28 through the REST API: a licence for an ECCN not on the CCL is a 422 naming it;
a retry spelt differently answers as the first request (a different one is still a 409
naming the key); a retried status change is recorded once; an audit entry edited into bytes
that are not UTF-8 is listed and exported escaped (was a 500) while verify names it."""

from __future__ import annotations

import copy
from typing import Any

import sqlalchemy as sa

from exportcheck.db import get_engine
from tests.web.api_helpers import bis_licence, head_seq, problem
from tests.web.conftest import Service


def _shipment(key: str, number: str) -> dict[str, Any]:
    return {"idempotency_key": key, "licence_number": number, "ship_date": "2024-03-01",
            "destination": "IN", "consignee": "Bharat Optics Ltd",
            "end_user": "Bharat Optics Ltd",
            "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": "1000.00"}]}


def test_a_licence_for_an_eccn_not_on_the_ccl_is_a_422_naming_it(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    seq = head_seq(c, h)
    spec = bis_licence("D280001")
    spec["lines"][0]["classification"] = "5A999"
    body = problem(c.post("/api/v1/licences", headers=h, json=spec), 422)
    assert "'5A999'" in body["detail"] and "Commerce Control List" in body["detail"]
    assert head_seq(c, h) == seq
    problem(c.get("/api/v1/licences/D280001", headers=h), 404)


def test_retries_spelt_differently_answer_as_the_first_request(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D280002")).status_code == 201
    respelt = bis_licence("D280002")
    respelt["destination"] = "in"
    respelt["lines"][0] |= {"classification": "3a001.A.2", "value": "100000"}
    respelt["parties"][1]["name"] = "Bharat  Optics LTD"
    seq = head_seq(c, h)
    again = c.post("/api/v1/licences", headers=h, json=respelt)  # was 409 "different terms"
    assert again.status_code == 200 and again.json()["created"] is False, again.text

    first = c.post("/api/v1/shipments", headers=h, json=_shipment("INV-28-1", "D280002"))
    assert first.status_code == 201, first.text
    retry = _shipment("INV-28-1", "D280002") | {"destination": "in",
                                                "consignee": " bharat optics  ltd"}
    retry["lines"] = [{"classification": "3a001.a.2", "quantity": "1", "value": "1000"}]
    seq = head_seq(c, h)
    r = c.post("/api/v1/shipments", headers=h, json=retry)  # was 409 "already used"
    assert r.status_code == 200, r.text
    assert (r.json()["id"], r.json()["created"]) == (first.json()["id"], False)
    assert head_seq(c, h) == seq

    other = copy.deepcopy(retry)
    other["lines"][0]["value"] = "999.00"
    body = problem(c.post("/api/v1/shipments", headers=h, json=other), 409)
    assert "'INV-28-1'" in body["detail"] and body["rule"] == "idempotency_key_reused"


def test_a_retried_status_change_is_recorded_once(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D280003")).status_code == 201
    change = {"status": "suspended", "effective": "2024-06-01", "reason": "BIS notice",
              "citation": "15 CFR 750.8"}
    first = c.post("/api/v1/licences/D280003/status", headers=h, json=change)
    assert first.status_code == 200 and first.json()["created"] is True, first.text
    seq = head_seq(c, h)
    again = c.post("/api/v1/licences/D280003/status", headers=h, json=change)
    assert again.status_code == 200 and again.json()["created"] is False, again.text
    assert head_seq(c, h) == seq
    assert [e["status"] for e in again.json()["history"]] == ["approved", "suspended"]
    lifted = change | {"status": "reinstated", "effective": "2024-07-01"}
    for created in (True, False):  # the retry was a 409 "not suspended on 2024-07-01"
        r = c.post("/api/v1/licences/D280003/status", headers=h, json=lifted)
        assert r.status_code == 200 and r.json()["created"] is created, r.text




def test_an_entry_that_is_not_utf8_is_listed_and_exported_escaped(own: Service) -> None:
    c, h = own.client, own.auth("viewer")
    with get_engine(own.database_url).begin() as conn:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        conn.execute(sa.text(
            "UPDATE audit_log SET payload = payload || CAST(x'ff' AS TEXT) WHERE seq = 3"))
    r = c.get("/api/v1/audit", headers=h, params={"limit": 500})  # was a 500
    assert r.status_code == 200, r.text[:300]
    listed = {e["seq"]: e for e in r.json()["items"]}
    assert listed[3]["payload"].endswith("\\xff")
    export = c.get("/api/v1/audit/export", headers=h)
    assert export.status_code == 200, export.text[:300]
    doc = export.json()
    assert (doc["chain"]["ok"], doc["chain"]["first_bad"]) == (False, 3)
    assert "not UTF-8" in doc["entries"][2]["unreadable"]["payload"]
    verdict = c.post("/api/v1/audit/verify", headers=h).json()
    assert (verdict["ok"], verdict["first_bad"]) == (False, 3)
