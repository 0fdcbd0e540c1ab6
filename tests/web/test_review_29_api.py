"""Review 29 through the REST API, as an ERP integrator reads it: the spec's bounds are JSON
Schema a generated client and a validator understand."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.web.conftest import Service

#: pydantic's constraint names; JSON Schema says minimum, maximum, exclusiveMinimum ...
NOT_JSON_SCHEMA = {"ge", "gt", "le", "lt"}


def _constraint_words(node: Any, path: str = "") -> Iterator[str]:
    """Where a schema object of the spec uses a pydantic constraint name as a keyword."""
    if isinstance(node, dict):
        in_schema = "type" in node or "anyOf" in node
        for key, value in node.items():
            if in_schema and key in NOT_JSON_SCHEMA:
                yield f"{path}/{key}"
            if key != "properties" or not isinstance(value, dict):
                yield from _constraint_words(value, f"{path}/{key}")
            else:  # a property may well be named "le": only its schema counts
                for name, sub in value.items():
                    yield from _constraint_words(sub, f"{path}/properties/{name}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _constraint_words(value, f"{path}[{i}]")


def _number_branch(prop: dict[str, Any]) -> dict[str, Any]:
    return next(b for b in prop.get("anyOf", [prop]) if b.get("type") == "number")


def test_the_spec_states_bounds_in_json_schema_words(service: Service) -> None:
    """An optional value, quantity or threshold was documented as {"type": "number", "ge": 0,
    "le": 1000000000000.0}: "ge" and "le" are no JSON Schema keywords, so a client generated
    from /openapi.json (or a validator in the ERP) knew of no bound, and a negative value
    came back a 422 the spec did not announce."""
    spec = service.client.get("/openapi.json").json()
    assert list(_constraint_words(spec)) == []
    schemas = spec["components"]["schemas"]
    for model in ("DeterminationRequest", "BatchLine", "ImpactLine"):
        for name in ("value", "quantity"):
            number = _number_branch(schemas[model]["properties"][name])
            assert (number["minimum"], number["maximum"]) == (0, 1e12), (model, name)
    for model in ("ScreenRequest", "ScreenBatchRequest"):
        number = _number_branch(schemas[model]["properties"]["threshold"])
        assert (number["minimum"], number["maximum"]) == (0, 100), model


def test_the_bounds_still_hold_and_true_is_still_no_number(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    line = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15", "screen": False}
    for value, message in ((-5, "greater than or equal to 0"),
                           (2e12, "less than or equal to 1000000000000"),
                           (True, "not true or false")):
        r = c.post("/api/v1/determinations", headers=h, json={**line, "value": value})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "body.value"
        assert message in r.json()["errors"][0]["message"]
    r = c.post("/api/v1/determinations", headers=h, json={**line, "value": "1200"})
    assert r.status_code == 200 and r.json()["outcome"] == "LICENSE_REQUIRED", r.text
    r = c.post("/api/v1/screen", headers=h, json={"name": "Carrie Lam", "threshold": 101})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.threshold"


def test_the_problem_schema_documents_its_field_errors(service: Service) -> None:
    """Every 422 answers ``errors: [{"field": "body.lines.0.date", "message": ...}]``, but the
    spec said only "a list of objects of any properties": a client could not rely on
    ``field`` to tell its user which box is wrong."""
    spec = service.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    errors = schemas["Problem"]["properties"]["errors"]
    items = next(b for b in errors["anyOf"] if b.get("type") == "array")["items"]
    field = schemas[items["$ref"].rsplit("/", 1)[-1]]
    assert field["required"] == ["field", "message"]
    assert set(field["properties"]) == {"field", "message"}
    r = service.client.post("/api/v1/determinations/batch", headers=service.auth("officer"),
                            json={"lines": [{"item": "", "destination": "HK",
                                             "date": "2021-01-15"}]})
    assert r.status_code == 422
    assert [set(e) for e in r.json()["errors"]] == [{"field", "message"}]
    assert r.json()["errors"][0]["field"] == "body.lines.0.item"


LINE = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15", "screen": False}


def _one_field(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert [set(e) for e in body.get("errors") or []] == [{"field", "message"}], body
    assert body["errors"][0]["message"] in body["detail"]
    return body["errors"][0]["field"]


def test_a_refusal_about_one_field_names_it_as_a_422_does(service: Service) -> None:
    """A 422 named its field in ``errors`` ("body.date"); the engine's 400 for the same line
    (an unknown ECCN or destination, a date before the rule base, an end use said by what it
    is not, a headquarters that is no country) named it only in the prose, so an ERP had to
    parse English to put the message beside the right field."""
    c, h = service.client, service.auth("officer")
    for change, field in (({"item": "XYZ1"}, "body.item"), ({"item": "3A999.z"}, "body.item"),
                          ({"destination": "QQ"}, "body.destination"),
                          ({"date": "2018-06-01"}, "body.date"),
                          ({"end_use": "non-military"}, "body.end_use"),
                          ({"facts": {"headquarters": "QQ"}}, "body.facts.headquarters")):
        r = c.post("/api/v1/determinations", headers=h, json={**LINE, **change})
        assert _one_field(r, 400) == field, (change, r.text)
    assert _one_field(c.post("/api/v1/determinations", headers=h,
                             json={**LINE, "date": "2021-1-15"}), 422) == "body.date"
    for change, field in (({"country": "ZZ"}, "body.country"), ({"dob": "1957-13-01"}, "body.dob"),
                          ({"lists": ["XX"]}, "body.lists")):
        r = c.post("/api/v1/screen", headers=h, json={"name": "Carrie Lam", **change})
        assert _one_field(r, 400) == field, (change, r.text)


def test_a_screen_batch_names_the_query_at_fault_and_the_lists_as_the_requests(
        service: Service) -> None:
    """Unknown list codes, a field of the request, were reported as query 0's ("queries.0:
    unknown list code(s) ['XX']"); a bad country of the third name was named in prose only."""
    c, h = service.client, service.auth("officer")
    names = [{"name": "Acme Ltd"}, {"name": "Carrie Lam", "country": "HK"}]
    r = c.post("/api/v1/screen/batch", headers=h, json={"queries": names, "lists": ["SDN", "XX"]})
    assert _one_field(r, 400) == "body.lists"
    assert not r.json()["detail"].startswith("queries.")
    bad = [*names, {"name": "Carrie Lam", "country": "ZZ", "id": "c-3"}]
    r = c.post("/api/v1/screen/batch", headers=h, json={"queries": bad})
    assert _one_field(r, 400) == "body.queries.2.country"
    assert r.json()["detail"].startswith("queries.2 (id 'c-3'): unknown country 'ZZ'")


def test_a_body_that_is_not_utf8_is_a_422_naming_the_body(service: Service) -> None:
    """An ERP sending its JSON in Latin-1 ("Müller" as the byte 0xfc) got a 400 "There was an
    error parsing the body", without a code or a field, where any other JSON that cannot be
    read is a 422 naming the body and the place (RFC 8259: JSON between systems is UTF-8)."""
    c, h = service.client, {**service.auth("officer"), "Content-Type": "application/json"}
    body = ('{"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15", '
            '"end_user": "Müller GmbH"}').encode("latin-1")
    r = c.post("/api/v1/determinations", headers=h, content=body)
    assert r.headers["content-type"] == "application/problem+json", r.text
    assert _one_field(r, 422) == "body"
    assert r.json()["code"] == "invalid_request"
    assert "not UTF-8" in r.json()["detail"] and "0xfc" in r.json()["detail"]
    at = body.index("ü".encode("latin-1"))
    assert f"at byte {at}" in r.json()["detail"]
    r = c.post("/api/v1/determinations", headers=h, content=body.decode("latin-1").encode())
    assert r.status_code == 200, r.text


def test_an_idle_worker_takes_up_lists_loaded_elsewhere(own: Service, tmp_path: Path) -> None:
    """README: each worker "notices list loads ... made by another within a second". It asked
    only when a request screened, and answered that request from the lists it had: after a
    nightly `exportcheck lists load`, an idle API's first screens (and the determinations that
    screen their parties) came from the superseded lists, however long ago the load was."""
    from tests.web.test_screener_reload import NEWCOMER, dpl_with_newcomer

    c, h = own.client, own.auth("officer")
    before = c.get("/healthz").json()["screener"]["lists_version"]
    subprocess.run([sys.executable, "-m", "exportcheck", "lists", "load",
                    str(dpl_with_newcomer(tmp_path))], check=True, capture_output=True,
                   env={**os.environ, "EXPORTCHECK_DATABASE_URL": own.database_url,
                        "EXPORTCHECK_DATA_DIR": str(own.data_dir)})
    deadline = time.monotonic() + 30
    while c.get("/healthz").json()["screener"]["lists_version"] == before:  # no screen asked
        assert time.monotonic() < deadline, "the idle worker never took up the new lists"
        time.sleep(0.2)
    r = c.post("/api/v1/screen", headers=h, json={"name": NEWCOMER})
    assert r.status_code == 200, r.text
    assert r.json()["lists_version"] != before
    assert [hit["matched_name"] for hit in r.json()["hits"]][:1] == [NEWCOMER]
