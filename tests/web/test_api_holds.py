"""REST API for issue #11 points 3 and 7: held determinations, confirmed dispositions,
consignees and owners (the service runs on the bundled sample lists)."""

from __future__ import annotations

from tests.web.api_helpers import problem
from tests.web.conftest import Service

PARTIAL = "ACTeam Logistics Hong Kong Ltd"  # partly matches Entity List entry f04aff3fcb77
LINE = {"item": "9A610.x", "destination": "HK", "date": "2020-06-29", "value": 100}


def test_held_determination_then_confirmed_by_a_disposition(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    r = c.post("/api/v1/determinations", headers=h, json={**LINE, "consignee": PARTIAL})
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["hold"] is True and d["outcome"] == "EXCEPTION_AVAILABLE"
    assert d["party_matches"][0]["entry_id"] == "f04aff3fcb77"
    assert d["party_matches"][0]["role"] == "consignee"
    assert d["if_confirmed"]["outcome"] == "LICENSE_REQUIRED"

    r = c.post("/api/v1/dispositions", headers=h, json={
        "party": PARTIAL, "country": "HK", "list": "EL", "entry_id": "f04aff3fcb77",
        "reason": "test: the registry shows it is the listed company", "decision": "confirmed"})
    assert r.status_code == 201, r.text
    assert r.json()["decision"] == "confirmed"
    d = c.post("/api/v1/determinations", headers=h, json={**LINE, "consignee": PARTIAL}).json()
    assert d["hold"] is False and d["outcome"] == "LICENSE_REQUIRED" and "EL" in d["reasons"]

    bad = c.post("/api/v1/dispositions", headers=h, json={
        "party": PARTIAL, "list": "EL", "entry_id": "f04aff3fcb77", "reason": "x",
        "decision": "maybe"})
    assert bad.status_code == 422


def test_batch_answers_carry_hold(service: Service) -> None:
    r = service.client.post("/api/v1/determinations/batch", headers=service.auth("officer"),
                            json={"lines": [{**LINE, "end_user": "ACTeam Logistics Hong Kong "
                                                               "Trading"},
                                            {**LINE, "end_user": "Kowloon Avionics Ltd"}]})
    assert r.status_code == 200, r.text
    res = r.json()["results"]
    assert [x["hold"] for x in res] == [True, False]
    assert res[0]["if_confirmed"] == "LICENSE_REQUIRED" and res[1]["if_confirmed"] is None


def test_owners_field(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    owners = [{"owner": "LAM, Carrie", "owned": "Pearl Ltd", "percent": 50,
               "owner_country": "HK"}]
    d = c.post("/api/v1/determinations", headers=h, json={
        **LINE, "item": "EAR99", "date": "2024-01-01", "end_user": "Pearl Ltd",
        "owners": owners}).json()
    assert d["outcome"] == "PROHIBITED" and d["agency"] == "OFAC"
    r = c.post("/api/v1/determinations", headers=h, json={
        **LINE, "end_user": "Pearl Ltd", "owners": [{**owners[0], "percent": 150}]})
    assert problem(r, 422)
    r = c.post("/api/v1/determinations", headers=h, json={
        **LINE, "end_user": "Pearl Ltd", "owners": [owners[0], {**owners[0], "owner": "X"},
                                                    {**owners[0], "owner": "Y"}]})
    body = problem(r, 400)  # a bad graph is invalid input, named in the detail
    assert "'Pearl Ltd' is owned 150% in total" in body["detail"]
