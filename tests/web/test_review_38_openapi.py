"""Review 38: the OpenAPI document as a client developer generating a typed client reads it.

- operationIds were FastAPI's (``determine_line_api_v1_determinations_post``): the method
  names of a generated client, changed by any rename of a function or path;
- no top-level ``tags`` list; licences, shipments and the ledger report shared one tag;
- ``?limit=5&limit=10`` silently answered with limit 10;
- path parameters had no length bound (a 100 kB licence number was looked up and echoed);
- ``AuditEntryOut.recorded_at`` was a bare string (no ``format: date-time``);
- no request body had a whole example;
- the ledger's money was ``"type": "string"`` with nothing saying it is a decimal amount.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from exportcheck.ledger.wire import DECIMAL_PATTERN
from exportcheck.web.examples import BODY_EXAMPLES
from tests.web.api_helpers import bis_licence, problem, spec_validator
from tests.web.conftest import Service

#: the operationIds clients are generated with: changing one breaks their code
OPERATION_IDS = {
    ("get", "/healthz"): "getHealth",
    ("post", "/api/v1/determinations"): "createDetermination",
    ("post", "/api/v1/determinations/batch"): "createDeterminationBatch",
    ("post", "/api/v1/screen"): "screenName",
    ("post", "/api/v1/screen/batch"): "screenNames",
    ("get", "/api/v1/dispositions"): "listDispositions",
    ("post", "/api/v1/dispositions"): "createDisposition",
    ("post", "/match/{dataset}"): "matchEntities",
    ("get", "/api/v1/licences"): "listLicences",
    ("post", "/api/v1/licences"): "createLicence",
    ("get", "/api/v1/licences/{number}"): "getLicence",
    ("post", "/api/v1/licences/{number}/status"): "changeLicenceStatus",
    ("post", "/api/v1/shipments"): "createShipment",
    ("get", "/api/v1/shipments"): "listShipments",
    ("get", "/api/v1/shipments/{key}"): "getShipment",
    ("post", "/api/v1/shipments/{key}/reversal"): "reverseShipment",
    ("get", "/api/v1/ledger/report"): "getLedgerReport",
    ("get", "/api/v1/audit"): "listAuditEntries",
    ("post", "/api/v1/audit/verify"): "verifyAuditTrail",
    ("get", "/api/v1/audit/export"): "exportAuditTrail",
    ("get", "/api/v1/lists"): "listListVersions",
    ("get", "/api/v1/lists/{version_id}/changes"): "getListVersionChanges",
    ("post", "/api/v1/lists/load"): "loadLists",
    ("post", "/api/v1/impact-runs"): "createImpactRun",
    ("get", "/api/v1/impact-runs"): "listImpactRuns",
    ("get", "/api/v1/impact-runs/{run_id}"): "getImpactRun",
    ("get", "/api/v1/impact-runs/{run_id}/report"): "getImpactRunReport",
    ("get", "/api/v1/impact-runs/{run_id}/lines"): "listImpactRunLines",
    ("get", "/api/v1/me"): "getMe",
    ("get", "/api/v1/users"): "listUsers",
    ("post", "/api/v1/users"): "createUser",
    ("patch", "/api/v1/users/{name}"): "updateUser",
    ("get", "/api/v1/tokens"): "listTokens",
    ("post", "/api/v1/tokens"): "createToken",
    ("delete", "/api/v1/tokens/{token_id}"): "revokeToken",
}


@pytest.fixture(scope="module")
def spec(service: Service) -> dict[str, Any]:
    r = service.client.get("/openapi.json")
    assert r.status_code == 200
    return r.json()


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, item in spec["paths"].items()
            for method, op in item.items()}




# -- operationIds ------------------------------------------------------------------------------
def test_operation_ids_are_short_unique_and_stable(spec: dict[str, Any]) -> None:
    ids = {key: op.get("operationId") for key, op in operations(spec).items()}
    assert ids == OPERATION_IDS
    assert len(set(ids.values())) == len(ids), "operationIds must be unique"
    for oid in ids.values():
        assert re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)+", oid), oid  # camelCase, verb first


def test_no_schema_is_named_after_a_generated_id(spec: dict[str, Any]) -> None:
    """FastAPI names a multipart body's schema after the route's id: the short one now."""
    names = set(spec["components"]["schemas"])
    assert "Body_loadLists" in names
    assert not [n for n in names if "_api_v1_" in n], names


# -- tags --------------------------------------------------------------------------------------
def test_tags_are_listed_once_each_with_a_description(spec: dict[str, Any]) -> None:
    tags = spec["tags"]
    names = [t["name"] for t in tags]
    assert len(names) == len(set(names))
    for tag in tags:
        assert len(tag.get("description", "")) > 20, tag
    assert {"Determinations", "Screening", "Licences", "Shipments", "Audit trail", "Impact",
            "Lists", "Accounts"} <= set(names)
    used = set()
    for key, op in operations(spec).items():
        assert len(op["tags"]) == 1 and op["tags"][0] in names, (key, op["tags"])
        used.add(op["tags"][0])
    assert used == set(names), "a listed tag no operation uses"


def test_licences_and_shipments_have_a_tag_each(spec: dict[str, Any]) -> None:
    ops = operations(spec)
    assert ops[("get", "/api/v1/licences/{number}")]["tags"] == ["Licences"]
    assert ops[("get", "/api/v1/ledger/report")]["tags"] == ["Licences"]
    assert ops[("post", "/api/v1/shipments/{key}/reversal")]["tags"] == ["Shipments"]


# -- repeated query parameters -----------------------------------------------------------------
@pytest.mark.parametrize(("path", "params", "name"), [
    ("/api/v1/licences", [("limit", "5"), ("limit", "10")], "limit"),
    ("/api/v1/shipments", [("agency", "BIS"), ("agency", "DDTC")], "agency"),
    ("/api/v1/audit", [("from", "2020-01-01"), ("to", "2030-01-01"), ("from", "2029-01-01")],
     "from"),
])
def test_a_repeated_single_value_parameter_is_a_422_naming_it(
        service: Service, path: str, params: list[tuple[str, str]], name: str) -> None:
    c, h = service.client, service.auth("viewer")
    once = list(dict(params).items())
    assert c.get(path, headers=h, params=once).status_code == 200
    body = problem(c.get(path, headers=h, params=params), 422)
    [error] = body["errors"]
    assert error["field"] == f"query.{name}", body
    assert "given 2 times" in error["message"] and "one value" in error["message"], body


def test_a_repeated_value_is_refused_even_when_the_same(service: Service) -> None:
    body = problem(service.client.get("/api/v1/licences", headers=service.auth("viewer"),
                                      params=[("limit", "5"), ("limit", "5")]), 422)
    assert body["errors"][0]["field"] == "query.limit"


def test_a_list_parameter_stays_repeatable(service: Service) -> None:
    """``anchor`` of /audit/verify takes several heads: both are checked."""
    c, h = service.client, service.auth("viewer")
    anchors = []
    for order in ("oldest", "newest"):
        [e] = c.get("/api/v1/audit", headers=h, params={"limit": 1, "order": order}
                    ).json()["items"]
        anchors.append(("anchor", f"{e['seq']}:{e['hash']}"))
    assert anchors[0] != anchors[1]
    r = c.post("/api/v1/audit/verify", headers=h, params=anchors)
    assert r.status_code == 200, r.text
    assert len(r.json()["anchors_checked"]) == 2, r.json()


# -- path parameter bounds ---------------------------------------------------------------------
#: as long as a client sends (httpx refuses URLs past 64 kB; uvicorn a request line past 16)
LONG = "X" * 60_000


@pytest.mark.parametrize(("method", "url", "role", "field"), [
    ("get", f"/api/v1/licences/{LONG}", "viewer", "path.number"),
    ("post", f"/api/v1/licences/{LONG}/status", "officer", "path.number"),
    ("get", f"/api/v1/shipments/{LONG}", "viewer", "path.key"),
    ("post", f"/api/v1/shipments/{LONG}/reversal", "officer", "path.key"),
    ("patch", f"/api/v1/users/{LONG}", "admin", "path.name"),
    ("post", f"/match/{LONG}", "officer", "path.dataset"),
])
def test_a_60_kb_path_segment_is_a_422_naming_it(service: Service, method: str, url: str,
                                                  role: str, field: str) -> None:
    r = service.client.request(method, url, headers=service.auth(role), json={})
    body = problem(r, 422)
    assert field in [e["field"] for e in body["errors"]], body
    assert "at most" in body["detail"], body
    assert len(r.content) < 4000, "the segment is not echoed back"


def test_a_licence_number_of_the_longest_length_is_still_found(service: Service) -> None:
    c = service.client
    number = "R38-" + "9" * 60
    licence = bis_licence(number)
    added = c.post("/api/v1/licences", headers=service.auth("officer"), json=licence)
    assert added.status_code == 201, added.text
    r = c.get(f"/api/v1/licences/{number}", headers=service.auth("viewer"))
    assert r.status_code == 200 and r.json()["number"] == number, r.text


def test_every_path_parameter_is_bounded_in_the_spec(spec: dict[str, Any]) -> None:
    for key, op in operations(spec).items():
        for param in op.get("parameters", []):
            if param["in"] != "path":
                continue
            schema = param["schema"]
            bound = "maxLength" if schema["type"] == "string" else "maximum"
            assert bound in schema, (key, param["name"], schema)


# -- dates and times ---------------------------------------------------------------------------
#: date/time-named string fields that are no full date: a date of birth is written as the list
#: or the client has it ("1960", "1960-05"); yente's entity stamps are never set (null)
NOT_A_DATE = {("DispositionIn", "dob"), ("DispositionOut", "dob"), ("ScreenQuery", "dob"),
              ("ScreenRequest", "dob"), ("ScoredEntity", "first_seen"),
              ("ScoredEntity", "last_seen")}
DATE_NAME = re.compile(r"(_at|_on|^on|(^|_)date|^dob|_from|_to|^as_of|^effective|_since|_seen)$")


def test_every_date_and_time_field_states_its_format(spec: dict[str, Any]) -> None:
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        for prop, sub in schema.get("properties", {}).items():
            strings = [s for s in sub.get("anyOf", [sub]) if s.get("type") == "string"]
            if (not strings or not DATE_NAME.search(prop) or (name, prop) in NOT_A_DATE
                    or prop in ("from_lists", "to_lists")):
                continue
            if not all(s.get("format") in ("date", "date-time") for s in strings):
                missing.append(f"{name}.{prop}")
    assert missing == []


def test_audit_entries_answer_the_date_time_the_spec_states(service: Service,
                                                           spec: dict[str, Any]) -> None:
    prop = spec["components"]["schemas"]["AuditEntryOut"]["properties"]["recorded_at"]
    assert prop["format"] == "date-time"
    r = service.client.get("/api/v1/audit", headers=service.auth("viewer"), params={"limit": 5})
    assert r.status_code == 200 and r.json()["items"]
    for entry in r.json()["items"]:
        text = entry["recorded_at"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", text), text  # RFC 3339
        assert dt.datetime.fromisoformat(text).tzinfo is not None
    export = spec["paths"]["/api/v1/audit/export"]["get"]["responses"]["200"]["content"]
    entry_schema = export["application/json"]["schema"]["properties"]["entries"]["items"]
    assert entry_schema["properties"]["recorded_at"]["format"] == "date-time"


# -- whole-body examples -----------------------------------------------------------------------
#: every JSON body's operation, in the order a client sends them (the licence before the
#: shipment drawn on it, the shipment before its reversal), with its path's values
SEQUENCE = [
    ("createLicence", {}), ("createShipment", {}),
    ("reverseShipment", {"key": "INV-2025-0042"}), ("changeLicenceStatus", {"number": "D1234567"}),
    ("createDetermination", {}), ("createDeterminationBatch", {}), ("screenName", {}),
    ("screenNames", {}), ("createDisposition", {}), ("matchEntities", {"dataset": "default"}),
    ("createImpactRun", {}), ("createUser", {}), ("createToken", {}),
    ("updateUser", {"name": "m.chan"}),
]


def json_bodies(spec: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    """operationId -> (method, path, schema name) of each operation taking a JSON body."""
    out = {}
    for (method, path), op in operations(spec).items():
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            ref = content["application/json"]["schema"]["$ref"]
            out[op["operationId"]] = (method, path, ref.rsplit("/", 1)[-1])
    return out


def test_every_json_body_has_one_example_valid_against_its_schema_and_model(
        service: Service, spec: dict[str, Any]) -> None:
    bodies = json_bodies(spec)
    assert set(bodies) == {oid for oid, _ in SEQUENCE}
    routes = [ctx.original_route for ctx in iter_route_contexts(service.app.routes)]
    models = {r.operation_id: r.body_field.field_info.annotation for r in routes
              if isinstance(r, APIRoute) and r.body_field is not None}
    schemas = spec["components"]["schemas"]
    for oid, (_, _, name) in bodies.items():
        [example] = schemas[name]["examples"]
        assert example == BODY_EXAMPLES[name]
        errors = [e.message for e in spec_validator(spec, schemas[name]).iter_errors(example)]
        assert errors == [], (name, errors)
        models[oid].model_validate(example)  # raises on an example the service would refuse
    assert set(BODY_EXAMPLES) == {name for _, _, name in bodies.values()}


def test_each_example_posted_as_it_stands_is_taken(service: Service,
                                                  spec: dict[str, Any]) -> None:
    """In order, each example is what the service takes: a 2xx (documented), never a 5xx."""
    bodies = json_bodies(spec)
    schemas = spec["components"]["schemas"]
    for oid, params in SEQUENCE:
        method, path, name = bodies[oid]
        url = path.format(**params)
        r = service.client.request(method, url, headers=service.auth("admin"),
                                   json=schemas[name]["examples"][0])
        documented = spec["paths"][path][method]["responses"]
        assert str(r.status_code) in documented, (oid, r.status_code, r.text[:300])
        assert 200 <= r.status_code < 300, (oid, r.status_code, r.text[:300])


# -- money -------------------------------------------------------------------------------------
def test_ledger_money_is_a_decimal_string_and_the_spec_says_so(service: Service,
                                                               spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name, prop in (("Report", "available"), ("ReportRow", "remaining"),
                       ("LineOut", "remaining_value"), ("ShipmentRecord", "total_value"),
                       ("ShipmentOut", "total_value"), ("ReversalOut", "returned_value")):
        sub = schemas[name]["properties"][prop]
        assert sub["type"] == "string" and sub["pattern"] == DECIMAL_PATTERN, (name, sub)
        assert "decimal string" in sub["description"], (name, sub)
    assert schemas["ImpactRunInfo"]["properties"]["value_changed"]["type"] == "number"

    r = service.client.get("/api/v1/ledger/report", headers=service.auth("viewer"))
    assert r.status_code == 200, r.text
    report = r.json()
    amounts = [report[k] for k in ("approved", "shipped", "remaining", "blocked", "available")]
    amounts += [row[k] for row in report["rows"] for k in ("approved", "remaining")]
    for amount in amounts:  # the wire format is unchanged: a string with cents
        assert isinstance(amount, str) and re.fullmatch(DECIMAL_PATTERN, amount), amount
        assert Decimal(amount).as_tuple().exponent == -2, amount
