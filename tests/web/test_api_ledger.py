"""REST API: licences, shipments, the ledger report and the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from tests.web.api_helpers import actor_of, audit_since, bis_licence, head_seq, problem
from tests.web.conftest import Service

HK = ("DSP5-HK-2019-001", "DSP5-HK-2019-002", "DSP5-HK-2019-003")
POLICE = "Hong Kong Police Force"


def shipment(key: str, number: str, value: str, *, quantity: int = 10,
             date: str = "2025-03-01") -> dict[str, Any]:
    return {"idempotency_key": key, "licence_number": number, "ship_date": date,
            "destination": "IN", "consignee": "Bharat Optics Ltd",
            "end_user": "Bharat Optics Ltd",
            "lines": [{"classification": "3A001.a.2", "quantity": quantity, "value": value}]}


def report_row(service: Service, number: str) -> dict[str, Any]:
    r = service.client.get("/api/v1/ledger/report", headers=service.auth("viewer"),
                           params={"as_of": "2025-06-01"})
    assert r.status_code == 200, r.text
    rows = {row["number"]: row for row in r.json()["rows"]}
    return rows[number]


# -- licences ------------------------------------------------------------------------------
def test_licences_list_is_paginated(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    everything = c.get("/api/v1/licences", headers=h, params={"limit": 500}).json()
    assert everything["total"] >= 3
    assert set(HK) <= {lic["number"] for lic in everything["items"]}
    numbers = [lic["number"] for lic in everything["items"]]

    first = c.get("/api/v1/licences", headers=h, params={"limit": 2}).json()
    rest = c.get("/api/v1/licences", headers=h, params={"limit": 2, "offset": 2}).json()
    assert (first["limit"], first["offset"], first["total"]) == (2, 0, everything["total"])
    assert (rest["limit"], rest["offset"]) == (2, 2)
    assert [lic["number"] for lic in first["items"]] == numbers[:2]
    assert [lic["number"] for lic in rest["items"]] == numbers[2:4]

    body = problem(c.get("/api/v1/licences", headers=h, params={"limit": 501}), 422)
    assert any(e["field"] == "query.limit" for e in body["errors"]), body
    problem(c.get("/api/v1/licences", headers=h, params={"offset": -1}), 422)


def test_show_one_licence_and_unknown_number(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    r = c.get(f"/api/v1/licences/{HK[2]}", headers=h)
    assert r.status_code == 200, r.text
    lic = r.json()
    assert (lic["number"], lic["agency"], lic["destination"]) == (HK[2], "DDTC", "HK")
    assert lic["status"] == "suspended"
    assert [ln["classification"] for ln in lic["lines"]] == ["I(a)", "I(h)"]
    before = c.get(f"/api/v1/licences/{HK[2]}", headers=h, params={"as_of": "2020-06-29"})
    assert before.json()["status"] == "approved"

    body = problem(c.get("/api/v1/licences/NO-SUCH-LICENCE", headers=h), 404)
    assert "NO-SUCH-LICENCE" in body["detail"]


def test_add_licence_created_then_idempotent(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    actor = actor_of(c, h)
    seq = head_seq(c, h)
    r = c.post("/api/v1/licences", headers=h, json=bis_licence("D100001"))
    assert r.status_code == 201, r.text
    assert r.json()["created"] is True
    assert r.json()["licence"]["number"] == "D100001"
    again = c.post("/api/v1/licences", headers=h, json=bis_licence("D100001"))
    assert again.status_code == 200, again.text
    assert again.json()["created"] is False

    listed = c.get("/api/v1/licences", headers=h, params={"agency": "BIS", "limit": 500})
    assert [lic["number"] for lic in listed.json()["items"]].count("D100001") == 1
    added = [e for e in audit_since(c, h, seq) if e["kind"] == "licence.added"]
    assert len(added) == 1
    assert added[0]["actor"] == actor
    # a viewer may not register licences
    problem(c.post("/api/v1/licences", headers=service.auth("viewer"),
                   json=bis_licence("D100009")), 403)


def test_shipments_draw_once_refuse_overdraw(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    actor = actor_of(c, h)
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D100002")).status_code == 201
    assert Decimal(report_row(service, "D100002")["shipped"]) == 0
    seq = head_seq(c, h)

    first = c.post("/api/v1/shipments", headers=h, json=shipment("ship-1", "D100002", "60000"))
    assert first.status_code == 201, first.text
    assert first.json()["created"] is True
    assert Decimal(first.json()["total_value"]) == Decimal("60000")
    replay = c.post("/api/v1/shipments", headers=h, json=shipment("ship-1", "D100002", "60000"))
    assert replay.status_code == 200, replay.text
    assert replay.json()["created"] is False
    assert replay.json()["id"] == first.json()["id"]
    row = report_row(service, "D100002")
    assert Decimal(row["shipped"]) == Decimal("60000")  # drawn once, not twice
    assert Decimal(row["remaining"]) == Decimal("40000")

    line = c.get("/api/v1/licences/D100002", headers=h).json()["lines"][0]
    left = Decimal(100000) * (1 + Decimal(line["value_tolerance"])) - 60000  # with tolerance
    over = c.post("/api/v1/shipments", headers=h,
                  json=shipment("ship-2", "D100002", str(left + 1)))
    body = problem(over, 409)
    assert body["rule"] == "value_exceeded"
    assert "D100002" in body["detail"] and "remaining value" in body["detail"]
    assert f"${left:,.2f}" in body["detail"], body["detail"]
    assert line["tolerance_citation"] in body["detail"]
    assert report_row(service, "D100002") == row  # nothing drawn

    posted = audit_since(c, h, seq, kind="shipment")
    assert [e["kind"] for e in posted] == ["shipment.posted", "shipment.refused"]
    assert all(e["actor"] == actor for e in posted)
    assert posted[1]["payload"]["rule"] == "value_exceeded"

    # the same key with a different shipment is refused, not silently answered
    clash = c.post("/api/v1/shipments", headers=h, json=shipment("ship-1", "D100002", "1000"))
    assert "ship-1" in problem(clash, 409)["detail"]
    # invalid input is a 422 naming the field
    bad = c.post("/api/v1/shipments", headers=h,
                 json={**shipment("ship-3", "D100002", "10"), "destination": "India"})
    assert any("destination" in e["field"] for e in problem(bad, 422)["errors"])


def test_shipment_on_suspended_hk_licence_is_refused(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    before = c.get("/api/v1/ledger/report", headers=h).json()
    spec = {"idempotency_key": "hk-late-api", "licence_number": HK[2],
            "ship_date": "2020-07-15", "destination": "HK", "consignee": POLICE,
            "end_user": POLICE,
            "lines": [{"classification": "I(a)", "quantity": 50, "value": "75000.00"}]}
    body = problem(c.post("/api/v1/shipments", headers=h, json=spec), 409)
    assert body["rule"] == "licence_suspended"
    assert "suspended" in body["detail"] and "2020-06-30" in body["detail"]
    assert "22 CFR 126.7" in body["detail"]
    assert c.get("/api/v1/ledger/report", headers=h).json()["shipped"] == before["shipped"]
    refused = c.get("/api/v1/audit", headers=h,
                    params={"kind": "shipment.refused", "actor": actor_of(c, h)}).json()
    assert any(e["payload"]["request"]["idempotency_key"] == "hk-late-api"
               for e in refused["items"])


def test_reversal_and_exception_check_over_rest(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D100007")).status_code == 201
    first = c.post("/api/v1/shipments", headers=h, json=shipment("rev-1", "D100007", "25000"))
    assert first.status_code == 201, first.text
    assert Decimal(report_row(service, "D100007")["shipped"]) == Decimal("25000")

    url = "/api/v1/shipments/rev-1/reversal"
    body = {"idempotency_key": "rev-1-undo", "reason": "keyed twice", "reference": "CN-7"}
    r = c.post(url, headers=h, json=body)
    assert r.status_code == 201, r.text
    assert Decimal(r.json()["returned_value"]) == Decimal("25000") and r.json()["created"]
    assert Decimal(report_row(service, "D100007")["shipped"]) == 0
    assert c.post(url, headers=h, json=body).status_code == 200  # a retry reverses once
    again = problem(c.post(url, headers=h, json={**body, "idempotency_key": "rev-1-b"}), 409)
    assert "already reversed" in again["detail"]
    problem(c.post("/api/v1/shipments/no-such/reversal", headers=h,
                   json={**body, "idempotency_key": "x"}), 409)
    problem(c.post(url, headers=service.auth("viewer"), json=body), 403)

    # an exception the determination does not offer is refused; an override posts it
    lvs = {"idempotency_key": "lvs-ir", "licence_exception": "LVS", "ship_date": "2024-06-01",
           "destination": "IR", "consignee": "Tehran Trading", "end_user": "Tehran Trading",
           "lines": [{"classification": "3A001.a.2", "value": "100"}]}
    refused = problem(c.post("/api/v1/shipments", headers=h, json=lvs), 409)
    assert "LVS is not available to IR" in refused["detail"]
    ok = c.post("/api/v1/shipments", headers=h, json=lvs,
                params={"override_reason": "BIS advisory opinion 2024-17"})
    assert ok.status_code == 201, ok.text
    assert "determination" not in ok.json()  # the REST answer is ShipmentOut

    # the facts an exception rests on travel with the shipment (ShipmentIn.facts, OpenAPI)
    aca = {"idempotency_key": "aca-vn", "licence_exception": "ACA", "ship_date": "2024-06-15",
           "destination": "VN", "consignee": "Compute JSC", "end_user": "Compute JSC",
           "lines": [{"classification": "3A090.a", "value": "40000"}]}
    refused = problem(c.post("/api/v1/shipments", headers=h, json=aca), 409)
    assert refused["detail"].endswith("facts not given: headquarters, conditions met ACA)")
    d = c.post("/api/v1/determinations", headers=h, json={
        "item": "3A090.a", "destination": "VN", "date": "2024-06-15"}).json()
    assert {"exception": "ACA", "fact": "headquarters"} in [
        {k: w[k] for k in ("exception", "fact")} for w in d["facts_wanted"]]
    facts = {"headquarters": "VN", "conditions_met": ["ACA"]}
    assert c.post("/api/v1/shipments", headers=h,
                  json=aca | {"facts": facts}).status_code == 201
    bad = problem(c.post("/api/v1/shipments", headers=h,
                         json=aca | {"idempotency_key": "aca-x", "facts": {"headquarters": "XX"}}),
                  400)  # as the determination endpoint answers it
    assert "unknown headquarters country 'XX'" in bad["detail"]
    schema = c.get("/openapi.json").json()["components"]["schemas"]["ShipmentIn"]
    assert "facts" in schema["properties"]


def test_ledger_report_totals(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    r = c.get("/api/v1/ledger/report", headers=h, params={"destination": "HK"})
    assert r.status_code == 200, r.text
    rep = r.json()
    assert {row["number"] for row in rep["rows"]} == set(HK)
    assert Decimal(rep["approved"]) == Decimal("2400000")
    assert Decimal(rep["shipped"]) == Decimal("1400000")
    assert Decimal(rep["blocked"]) == Decimal("1000000")
    assert Decimal(rep["available"]) == 0
    for key in ("approved", "shipped", "remaining", "blocked", "available"):
        assert sum(Decimal(row[key]) for row in rep["rows"]) == Decimal(rep[key]), key
    # before the suspension the unshipped million was still available
    early = c.get("/api/v1/ledger/report", headers=h,
                  params={"destination": "HK", "as_of": "2020-06-29"}).json()
    assert Decimal(early["available"]) == Decimal("1000000")
    assert Decimal(early["blocked"]) == 0


def test_licence_status_change_is_attributed(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D100003")).status_code == 201
    seq = head_seq(c, h)
    assert c.post("/api/v1/shipments", headers=h,
                  json=shipment("ship-pre", "D100003", "10")).status_code == 201
    r = c.post("/api/v1/licences/D100003/status", headers=h, json={
        "status": "revoked", "effective": "2025-02-01", "reason": "test revocation",
        "citation": "15 CFR 750.8"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "revoked"
    # back-dated before a shipment already posted (2025-03-01): that shipment is named
    assert [s["idempotency_key"] for s in r.json()["shipments_to_review"]] == ["ship-pre"]
    entries = audit_since(c, h, seq)
    assert [(e["kind"], e["actor"]) for e in entries] == [
        ("shipment.posted", actor_of(c, h)), ("licence.status", actor_of(c, h))]
    body = problem(c.post("/api/v1/shipments", headers=h,
                          json=shipment("ship-rev", "D100003", "10")), 409)
    assert body["rule"] == "licence_revoked"


# -- audit ---------------------------------------------------------------------------------
def test_audit_newest_first_and_filters(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    officer = service.auth("officer")
    actor = actor_of(c, officer)
    c.post("/api/v1/licences", headers=officer, json=bis_licence("D100004"))
    c.post("/api/v1/shipments", headers=officer, json=shipment("aud-1", "D100004", "100"))
    c.post("/api/v1/shipments", headers=officer, json=shipment("aud-2", "D100004", "999999"))

    page = c.get("/api/v1/audit", headers=h, params={"limit": 20}).json()
    seqs = [e["seq"] for e in page["items"]]
    assert seqs == sorted(seqs, reverse=True) and len(seqs) == 20
    assert seqs[0] == page["total"]  # the newest entry first
    oldest = c.get("/api/v1/audit", headers=h, params={"limit": 3, "order": "oldest"}).json()
    assert [e["seq"] for e in oldest["items"]] == [1, 2, 3]
    second = c.get("/api/v1/audit", headers=h, params={"limit": 20, "offset": 20}).json()
    assert second["items"][0]["seq"] == seqs[-1] - 1

    ships = c.get("/api/v1/audit", headers=h, params={"kind": "shipment", "limit": 500}).json()
    kinds = {e["kind"] for e in ships["items"]}
    # (other tests of this module's service reverse shipments too)
    assert {"shipment.posted", "shipment.refused"} <= kinds
    assert all(k.startswith("shipment.") for k in kinds)
    assert ships["total"] == len(ships["items"])
    seeded = c.get("/api/v1/audit", headers=h,
                   params={"kind": "shipment", "actor": "seed:hk-2019"}).json()
    assert seeded["total"] == 5  # the five seeded shipments
    assert {e["actor"] for e in seeded["items"]} == {"seed:hk-2019"}
    mine = c.get("/api/v1/audit", headers=h, params={"actor": actor, "limit": 500}).json()
    assert mine["total"] >= 3 and {e["actor"] for e in mine["items"]} == {actor}
    exact = c.get("/api/v1/audit", headers=h, params={"kind": "shipment.posted"}).json()
    assert {e["kind"] for e in exact["items"]} == {"shipment.posted"}

    today = dt.datetime.now(dt.UTC).date()
    day = dt.timedelta(days=1)
    span = c.get("/api/v1/audit", headers=h,
                 params={"from": str(today), "to": str(today)}).json()
    assert span["total"] == page["total"]
    assert c.get("/api/v1/audit", headers=h, params={"to": str(today - day)}).json()["total"] == 0
    assert c.get("/api/v1/audit", headers=h,
                 params={"from": str(today + day)}).json()["total"] == 0
    problem(c.get("/api/v1/audit", headers=h, params={"from": "yesterday"}), 422)


def test_audit_verify(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    r = c.post("/api/v1/audit/verify", headers=h)
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["ok"] is True, result
    assert result["checked"] == result["head_seq"] == head_seq(c, h)
    assert result["state_checked"] is True and result["state_mismatches"] == []


def test_audit_export_json_and_csv(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    total = c.get("/api/v1/audit", headers=h).json()["total"]

    r = c.get("/api/v1/audit/export", headers=h, params={"format": "json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.headers["content-disposition"].startswith("attachment")
    assert "exportcheck-audit.json" in r.headers["content-disposition"]
    doc = json.loads(r.text)
    assert len(doc["entries"]) == total
    assert doc["chain"]["ok"] is True
    assert [e["seq"] for e in doc["entries"]] == list(range(1, total + 1))

    r = c.get("/api/v1/audit/export", headers=h, params={"format": "csv"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith("attachment")
    assert "exportcheck-audit.csv" in r.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["seq", "recorded_at", "actor", "kind", "payload", "versions",
                       "prev_hash", "hash"]
    assert len(rows) == total + 1
    assert rows[1][3] and rows[-1][0] == str(total)

    problem(c.get("/api/v1/audit/export", headers=h, params={"format": "xml"}), 422)
    problem(c.get("/api/v1/audit/export"), 401)
