"""QA review 25 of the REST API, as an ERP integration drives it.

1. ``GET /shipments?agency=DDTC`` without ``licence`` ignored the agency: it listed every
   shipment, BIS ones included, as the DDTC's; an agency the ledger cannot hold ("FOO")
   listed them all too, and gave an empty licence listing and a $0 report.
2. A licence registered with a "/" in its number (201) could not be read or suspended
   through the API: ``/licences/{number}`` took one path segment, so both answered "no such
   resource".
3. ``POST /screen/batch`` refused a whole batch for one bad name, country or date of birth
   without saying which of up to 1,000 queries it was (``/match`` likewise for a country or
   date of birth).
4. A JSON body sent without ``Content-Type: application/json`` (the default of many HTTP
   clients) was refused with pydantic's "Input should be a valid dictionary or object to
   extract fields from", which says nothing of the header.
5. "NaN" or "Infinity" for a number was refused as "Input should be less than or equal to
   100" (a threshold), a bound the client had not crossed.
6. A licence line's ``unit`` (a 16-character column) and ``description`` had no bound.
7. ``facts`` dropped a misspelt field ("headquarter") where every other request object
   refuses it.
"""

from __future__ import annotations

from urllib.parse import quote

from tests.web.api_helpers import bis_licence, problem
from tests.web.conftest import Service
from tests.web.test_api_ledger import HK, shipment


# -- 1. the agency filter of the shipment listing -------------------------------------------
def test_shipments_listed_by_agency_alone(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D250001")).status_code == 201
    posted = c.post("/api/v1/shipments", headers=h,
                    json=shipment("r25-bis-1", "D250001", "1000.00", quantity=1))
    assert posted.status_code == 201, posted.text

    def listed(agency: str) -> dict[str, str | None]:
        r = c.get("/api/v1/shipments", headers=service.auth("viewer"),
                  params={"agency": agency, "limit": 500})
        assert r.status_code == 200, r.text
        return {s["idempotency_key"]: s["licence_agency"] for s in r.json()["items"]}

    ddtc = listed("DDTC")
    assert "r25-bis-1" not in ddtc
    assert ddtc and set(ddtc.values()) == {"DDTC"}, ddtc  # the seeded Hong Kong DSP-5s
    bis = listed("bis")  # as the licence listing, any case
    assert "r25-bis-1" in bis and set(bis.values()) == {"BIS"}, bis
    # the same answer as one licence's listing
    one = c.get("/api/v1/shipments", headers=service.auth("viewer"),
                params={"licence": HK[0], "agency": "DDTC"}).json()["items"]
    assert {s["idempotency_key"] for s in one} <= set(ddtc)


def test_unknown_agency_is_refused_not_an_empty_ledger(service: Service) -> None:
    """Every listing: "FOO" (or OFAC, whose licences the ledger does not hold) read as "no
    licences, $0 remaining" in the licence listing and the report. (Review 30: a 422 naming
    the parameter and its words, as every choice of a query; it was a 400 in words.)"""
    for path in ("/api/v1/shipments", "/api/v1/licences", "/api/v1/ledger/report"):
        for agency in ("FOO", "ofac"):
            body = problem(service.client.get(path, headers=service.auth("viewer"),
                                              params={"agency": agency}), 422)
            assert body["errors"] == [{"field": "query.agency",
                                       "message": "Input should be 'BIS' or 'DDTC'"}], body
        ok = service.client.get(path, headers=service.auth("viewer"), params={"agency": "ddtc"})
        assert ok.status_code == 200, ok.text[:300]


# -- 2. licence numbers with a "/" ----------------------------------------------------------
def test_licence_with_slash_in_its_number_is_reachable(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    number = "D250/17"
    added = c.post("/api/v1/licences", headers=h, json=bis_licence(number))
    assert added.status_code == 201, added.text
    for path in (f"/api/v1/licences/{number}", f"/api/v1/licences/{quote(number, safe='')}"):
        got = c.get(path, headers=service.auth("viewer"))
        assert got.status_code == 200, (path, got.text[:300])
        assert got.json()["number"] == number
    changed = c.post(f"/api/v1/licences/{number}/status", headers=h, json={
        "status": "suspended", "effective": "2024-06-01", "reason": "review 25",
        "citation": "15 CFR 750.8(a)"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["number"] == number and changed.json()["status"] == "suspended"
    # a number that is not in the ledger is still a 404 that names it
    body = problem(c.get("/api/v1/licences/D250/99", headers=service.auth("viewer")), 404)
    assert "D250/99" in body["detail"], body


# -- 3. which query of a screening batch is wrong -------------------------------------------
def test_screen_batch_names_the_query_at_fault(service: Service) -> None:
    queries = [{"name": "Carrie Lam", "id": "ok-1"},
               {"name": "Person Two", "id": "cust-42", "country": "Narnia"},
               {"name": "Person Three"}]
    body = problem(service.client.post("/api/v1/screen/batch", headers=service.auth("officer"),
                                       json={"queries": queries}), 400)
    assert body["detail"].startswith("queries.1 (id 'cust-42'): "), body
    assert "Narnia" in body["detail"]
    queries[1] = {"name": "Person Two"}
    queries[2]["dob"] = "31/12/1960"
    body = problem(service.client.post("/api/v1/screen/batch", headers=service.auth("officer"),
                                       json={"queries": queries}), 400)
    assert body["detail"].startswith("queries.2: date of birth '31/12/1960'"), body


def test_match_names_the_query_at_fault(service: Service) -> None:
    """yente's /match said "query 'q2': schema ..." but not for a country or a date."""
    queries = {"q1": {"schema": "Person", "properties": {"name": ["Carrie Lam"]}},
               "q2": {"schema": "Person", "properties": {"name": ["Person Two"],
                                                         "country": ["Narnia"]}}}
    body = problem(service.client.post("/match/default", headers=service.auth("officer"),
                                       json={"queries": queries}), 400)
    assert body["detail"].startswith("query 'q2': unknown country 'Narnia'"), body


# -- 4. a body that was not sent as JSON ----------------------------------------------------
def test_body_without_json_content_type_says_so(service: Service) -> None:
    line = b'{"item": "EAR99", "destination": "DE", "date": "2024-01-15"}'
    for sent, named in (("text/plain", "text/plain"), (None, "no Content-Type"),
                        ("application/x-www-form-urlencoded",
                         "application/x-www-form-urlencoded")):
        headers = service.auth("officer") | ({"Content-Type": sent} if sent else {})
        r = service.client.post("/api/v1/determinations", headers=headers, content=line)
        body = problem(r, 422)
        assert "Content-Type: application/json" in body["detail"], body
        assert named in body["detail"], body
        assert body["errors"] == [{"field": "body", "message": body["errors"][0]["message"]}]
    # valid JSON that is no object names the shape wanted, not the header
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                            json=[line.decode()])
    body = problem(r, 422)
    assert "must be a JSON object" in body["detail"] and "Content-Type" not in body["detail"]
    # and the same line sent as JSON is answered
    ok = service.client.post("/api/v1/determinations", headers=service.auth("officer")
                             | {"Content-Type": "application/json"}, content=line)
    assert ok.status_code == 200 and ok.json()["outcome"] == "NLR", ok.text[:300]


# -- 5. NaN and Infinity --------------------------------------------------------------------
def test_not_a_number_is_refused_as_such(service: Service) -> None:
    """JSON clients send NaN and Infinity as strings; they were refused as "Input should be
    less than or equal to 100", a bound the client had not crossed."""
    line = {"item": "EAR99", "destination": "DE", "date": "2024-01-15"}
    for path, body, field in (
            ("/api/v1/screen", {"name": "Carrie Lam", "threshold": "NaN"}, "body.threshold"),
            ("/api/v1/determinations", line | {"value": "Infinity"}, "body.value"),
            ("/api/v1/determinations/batch", {"lines": [line | {"quantity": "NaN"}]},
             "body.lines.0.quantity"),
            ("/api/v1/determinations", line | {"owners": [
                {"owner": "A Ltd", "owned": "B Ltd", "percent": "NaN"}]},
             "body.owners.0.percent")):
        body = problem(service.client.post(path, headers=service.auth("officer"), json=body),
                       422)
        assert body["errors"][0]["field"] == field, body
        assert "finite number" in body["errors"][0]["message"], body


# -- 6. free text of a licence line ---------------------------------------------------------
def test_licence_line_unit_and_description_are_bounded(service: Service) -> None:
    """``unit`` is a 16-character column: a longer one was stored as given on SQLite (and is
    a database error, a 500, on PostgreSQL); a description had no bound at all."""
    c, h = service.client, service.auth("officer")
    for field, text in (("unit", "units of " + "x" * 20), ("description", "x" * 2001)):
        spec = bis_licence("D250002")
        spec["lines"][0][field] = text
        body = problem(c.post("/api/v1/licences", headers=h, json=spec), 422)
        assert body["errors"][0]["field"] == f"body.lines.0.{field}", body
    problem(c.get("/api/v1/licences/D250002", headers=h), 404)  # nothing was stored
    spec = bis_licence("D250002")
    spec["lines"][0] |= {"unit": "pieces (pcs)", "description": "rad-hard ICs " * 100}
    assert c.post("/api/v1/licences", headers=h, json=spec).status_code == 201


# -- 7. a misspelt fact ----------------------------------------------------------------------
def test_misspelt_fact_is_refused_not_dropped(service: Service) -> None:
    """``facts`` was the one request object that dropped unknown fields: "headquarter": "VN"
    answered as if no headquarters had been given, and a shipment recorded without it."""
    c, h = service.client, service.auth("officer")
    typo = {"headquarter": "VN", "conditions_met": ["ACA"]}
    line = {"item": "3A090.a", "destination": "VN", "date": "2024-06-15"}
    aca = {"idempotency_key": "r25-aca-typo", "licence_exception": "ACA",
           "ship_date": "2024-06-15", "destination": "VN", "consignee": "Compute JSC",
           "end_user": "Compute JSC", "lines": [{"classification": "3A090.a", "value": "400"}]}
    for path, body, field in (
            ("/api/v1/determinations", line | {"facts": typo}, "body.facts.headquarter"),
            ("/api/v1/determinations/batch", {"lines": [line | {"facts": typo}]},
             "body.lines.0.facts.headquarter"),
            ("/api/v1/shipments", aca | {"facts": typo}, "body.facts.headquarter")):
        body = problem(c.post(path, headers=h, json=body), 422)
        assert body["errors"] == [{"field": field, "message": "Extra inputs are not permitted"}]
    problem(c.get("/api/v1/shipments/r25-aca-typo", headers=h), 404)
    # spelt right, the same facts are taken
    fixed = c.post("/api/v1/shipments", headers=h,
                   json=aca | {"facts": {"headquarters": "VN", "conditions_met": ["ACA"]}})
    assert fixed.status_code == 201, fixed.text[:300]


def test_true_or_false_is_no_amount(service: Service) -> None:
    """JSON true was read as 1: a line "value": true was determined as a $1 line."""
    c, h = service.client, service.auth("officer")
    line = {"item": "3A001.a.2", "destination": "DE", "date": "2024-01-15", "value": True}
    body = problem(c.post("/api/v1/determinations", headers=h, json=line), 422)
    assert "value" in body["detail"] and "not true or false" in body["detail"]
    r = c.post("/api/v1/determinations", headers=h, json=line | {"value": "1500"})
    assert r.status_code == 200, r.text  # numeric text is still a number
    body = problem(c.post("/api/v1/screen", headers=h,
                          json={"name": "Carrie Lam", "threshold": False}), 422)
    assert "threshold" in body["detail"]
