"""Review 37: the REST API's OpenAPI contract against what the service answers.

- a misspelt query parameter (``?licnce=``) was ignored: the listing answered unfiltered;
- a replayed licence, shipment or reversal answers 200, which the spec did not document
  (only 201), so a client built from it failed on a retry;
- an impact run's lines were documented as bare objects (``Page[dict[str, Any]]``).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.api_helpers import bis_licence, problem, spec_validator
from tests.web.conftest import Service


def conforms(spec: dict[str, Any], path: str, method: str, response: Any) -> list[str]:
    """What in ``response`` breaks the schema ``spec`` declares for its status on the
    operation (empty: it conforms); an undocumented status is itself a break."""
    op = spec["paths"][path][method]
    code = str(response.status_code)
    if code not in op["responses"]:
        return [f"status {code} is not documented (documented: {sorted(op['responses'])})"]
    schema = op["responses"][code]["content"]["application/json"]["schema"]
    validator = spec_validator(spec, schema, formats=True)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(response.json())]


# -- unknown query parameters ----------------------------------------------------------------
@pytest.mark.parametrize(("path", "typo", "right"), [
    ("/api/v1/shipments", {"licnce": "DSP5-HK-2019-001"}, {"licence": "DSP5-HK-2019-001"}),
    ("/api/v1/licences", {"agnecy": "DDTC"}, {"agency": "DDTC"}),
    ("/api/v1/audit", {"kinds": "shipment.posted"}, {"kind": "shipment.posted"}),
])
def test_a_misspelt_filter_is_a_422_naming_it_not_an_unfiltered_listing(
        service: Service, path: str, typo: dict[str, str], right: dict[str, str]) -> None:
    c, h = service.client, service.auth("viewer")
    assert c.get(path, headers=h, params=right).status_code == 200
    body = problem(c.get(path, headers=h, params=typo), 422)
    [name] = typo
    [error] = body["errors"]
    assert error["field"] == f"query.{name}", body
    assert "unknown query parameter" in error["message"], body
    [meant] = right
    assert meant in error["message"] and "limit" in error["message"], body  # what it takes


def test_a_write_names_a_query_parameter_it_does_not_take(service: Service) -> None:
    """Nothing determined: the request is refused as a whole, as for an unknown body field."""
    c = service.client
    line = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"}
    body = problem(c.post("/api/v1/determinations", headers=service.auth("officer"),
                          params={"screen": "false"}, json=line), 422)
    assert body["errors"][0]["field"] == "query.screen"
    assert "takes no query parameters" in body["errors"][0]["message"], body


def test_credentials_and_role_are_checked_before_the_query(service: Service) -> None:
    c = service.client
    problem(c.get("/api/v1/users", params={"nme": "x"}), 401)
    problem(c.get("/api/v1/users", headers=service.auth("viewer"), params={"nme": "x"}), 403)
    problem(c.get("/api/v1/users", headers=service.auth("admin"), params={"nme": "x"}), 422)


def test_yente_match_keeps_its_leniency(service: Service) -> None:
    """yente clients send parameters of their own; /match is yente's contract, not ours."""
    r = service.client.post(
        "/match/default", params={"threshold": 0.5, "some_yente_option": "1"},
        headers=service.auth("officer"),
        json={"queries": {"q": {"schema": "Person", "properties": {"name": ["Carrie Lam"]}}}})
    assert r.status_code == 200, r.text


# -- replays answer 200, documented ----------------------------------------------------------
def test_replayed_writes_answer_a_documented_200(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    spec = c.get("/openapi.json").json()
    licence = bis_licence("R37-REPLAY-1")
    shipment = {"idempotency_key": "r37-replay-s1", "licence_number": "R37-REPLAY-1",
                "ship_date": "2025-03-01", "destination": "IN",
                "consignee": "Bharat Optics Ltd", "end_user": "Bharat Optics Ltd",
                "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": "100"}]}
    reversal = {"idempotency_key": "r37-replay-r1", "reason": "posted twice by the ERP"}
    for path, url, body in (
            ("/api/v1/licences", "/api/v1/licences", licence),
            ("/api/v1/shipments", "/api/v1/shipments", shipment),
            ("/api/v1/shipments/{key}/reversal", "/api/v1/shipments/r37-replay-s1/reversal",
             reversal)):
        first, again = (c.post(url, headers=h, json=body) for _ in range(2))
        assert (first.status_code, again.status_code) == (201, 200), (url, again.text)
        assert first.json()["created"] is True and again.json()["created"] is False
        for response in (first, again):
            assert conforms(spec, path, "post", response) == [], (url, response.status_code)


# -- impact run lines are typed --------------------------------------------------------------
def test_impact_run_lines_are_documented_and_answer_as_documented(service: Service) -> None:
    c = service.client
    spec = c.get("/openapi.json").json()
    op = spec["paths"]["/api/v1/impact-runs/{run_id}/lines"]["get"]
    page = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].split("/")[-1]
    item = spec["components"]["schemas"][page]["properties"]["items"]["items"]
    line = spec["components"]["schemas"][item["$ref"].split("/")[-1]]
    assert {"line", "old_outcome", "new_outcome", "changed", "cause"} <= set(line["properties"])
    assert line["properties"]["line"]["type"] == "integer"

    run = c.post("/api/v1/impact-runs", headers=service.auth("officer"),
                 json={"from_date": "2020-06-29", "to_date": "2021-01-15", "sample": True})
    assert run.status_code == 201, run.text
    r = c.get(f"/api/v1/impact-runs/{run.json()['id']}/lines", headers=service.auth("viewer"),
              params={"limit": 5})
    assert r.status_code == 200, r.text
    assert conforms(spec, "/api/v1/impact-runs/{run_id}/lines", "get", r) == []
    first = r.json()["items"][0]
    # the ids the order file carried come through as before
    assert first["order_id"] == "HK-2019-0001" and first["line"] == 1, first
