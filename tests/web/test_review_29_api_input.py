"""Review 29, request parsing through the REST API: a JSON object that names a key twice, and
choice fields (end-user type, agency, role...) given as a person or an ERP types them."""

from __future__ import annotations

import re
from typing import Any

from tests.web.api_helpers import bis_licence
from tests.web.conftest import Service

JSON = {"Content-Type": "application/json"}
LINE = '"destination": "HK", "date": "2021-01-15"'


def _repeated(response: Any, field: str) -> str:
    """The 422 a repeated key gets: the shape of every other 422, naming the key's path."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "invalid_request"
    assert body["errors"] == [{"field": field, "message": body["errors"][0]["message"]}]
    message = body["errors"][0]["message"]
    assert f"'{field.rsplit('.', 1)[-1]}'" in message and "more than once" in message
    assert body["detail"] == f"the request is not valid: {field}: {message}"
    return message


def test_a_repeated_key_is_refused_not_decided_by_its_last_value(service: Service) -> None:
    """``{"item": "3A001.a.2", ..., "item": "EAR99"}`` was determined as EAR99 (NLR): Python
    keeps the last of two values without a word, while the ERP's log, a reviewer or another
    parser reads the first (RFC 8259 section 4: the behaviour is unpredictable)."""
    c, h = service.client, {**service.auth("officer"), **JSON}
    body = f'{{"item": "3A001.a.2", {LINE}, "screen": false, "item": "EAR99"}}'
    _repeated(c.post("/api/v1/determinations", headers=h, content=body), "body.item")
    alone = c.post("/api/v1/determinations", headers=h,
                   content=f'{{"item": "3A001.a.2", {LINE}, "screen": false}}')
    assert alone.status_code == 200 and alone.json()["outcome"] == "LICENSE_REQUIRED"


def test_a_repeated_key_deep_in_a_batch_is_named_by_its_path(service: Service) -> None:
    c, h = service.client, {**service.auth("officer"), **JSON}
    fine = f'{{"item": "EAR99", {LINE}}}'
    facts = '{"headquarters": "GB", "headquarters": "CN"}'
    twice = f'{{"item": "3A001.a.2", {LINE}, "facts": {facts}}}'
    r = c.post("/api/v1/determinations/batch", headers=h,
               content=f'{{"lines": [{fine}, {fine}, {twice}], "screen": false}}')
    _repeated(r, "body.lines.2.facts.headquarters")
    r = c.post("/api/v1/determinations/batch", headers=h,
               content=f'{{"lines": [{fine}], "screen": true, "screen": false}}')
    _repeated(r, "body.screen")
    # a name repeated in different objects is no repeat
    r = c.post("/api/v1/determinations/batch", headers=h,
               content=f'{{"lines": [{fine}, {fine}], "screen": false}}')
    assert r.status_code == 200, r.text


def test_every_operation_taking_json_refuses_a_repeated_key(service: Service) -> None:
    """Checked where FastAPI reads the body, once for every route: none may slip through,
    including those added later."""
    c, h = service.client, {**service.auth("admin"), **JSON}
    spec = c.get("/openapi.json").json()
    taking_json = [(method, path) for path, item in spec["paths"].items()
                   for method, op in item.items()
                   if "application/json" in op.get("requestBody", {}).get("content", {})]
    assert len(taking_json) >= 10, taking_json
    for method, path in taking_json:
        url = re.sub(r"\{dataset\}", "default", re.sub(r"\{[a-z_]+\}", "1", path))
        r = c.request(method.upper(), url, headers=h, content='{"role": "viewer", "role": "x"}')
        _repeated(r, "body.role")


def test_choices_take_any_letter_case_and_spaces_as_the_cli_does(service: Service) -> None:
    """``check --end-user-type " Military "`` is military, and the API strips every text
    field, but ``"end_user_type": " civil "`` or ``"Military"`` was a 422."""
    c, h = service.client, service.auth("officer")
    order = {"item": "5A991.b", "destination": "CN", "date": "2021-01-15"}  # 744.21: MEU
    line = {**order, "screen": False}
    military = c.post("/api/v1/determinations", headers=h,
                      json={**line, "end_user_type": "military"}).json()
    for typed in ("Military", " MILITARY ", "military\t"):
        r = c.post("/api/v1/determinations", headers=h, json={**line, "end_user_type": typed})
        assert r.status_code == 200, (typed, r.text)
        assert (r.json()["outcome"], r.json()["reasons"]) == (military["outcome"],
                                                             military["reasons"])
    r = c.post("/api/v1/determinations", headers=h, json={**line, "end_user_type": " civil "})
    assert r.status_code == 200, r.text
    assert (r.json()["outcome"], military["outcome"]) == ("NLR", "LICENSE_REQUIRED")
    r = c.post("/api/v1/determinations/batch", headers=h,
               json={"lines": [{**order, "end_user_type": " Government "}], "screen": False})
    assert r.status_code == 200 and r.json()["results"][0]["error"] is None, r.text
    lic = {**bis_licence("D290001"), "agency": " bis ", "kind": "Bis"}
    lic["parties"][0]["role"] = "Applicant"
    r = c.post("/api/v1/licences", headers=h, json=lic)
    assert r.status_code == 201, r.text
    assert (r.json()["licence"]["agency"], r.json()["licence"]["kind"]) == ("BIS", "BIS")
    r = c.post("/api/v1/users", headers=service.auth("admin"),
               json={"name": "case-role-user", "role": " Officer ", "password": "x" * 12})
    assert r.status_code == 201 and r.json()["role"] == "officer", r.text


def test_an_empty_or_unknown_choice_is_still_an_error_that_lists_the_choices(
        service: Service) -> None:
    c, h = service.client, service.auth("officer")
    line = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15", "screen": False}
    for typed in ("", "   "):
        r = c.post("/api/v1/determinations", headers=h, json={**line, "end_user_type": typed})
        assert r.status_code == 422, r.text
        assert r.json()["errors"] == [{"field": "body.end_user_type",
                                       "message": "empty: give one of civil, government, "
                                                  "military"}]
    r = c.post("/api/v1/determinations", headers=h, json={**line, "end_user_type": "militia"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body.end_user_type"
    assert "'military'" in r.json()["errors"][0]["message"]


def test_the_spec_says_choices_take_any_letter_case(service: Service) -> None:
    schemas = service.client.get("/openapi.json").json()["components"]["schemas"]
    for model, name in (("DeterminationRequest", "end_user_type"), ("BatchLine", "end_user_type"),
                        ("LicenceIn", "agency"), ("UserIn", "role"), ("ScreenRequest", "kind")):
        assert "any letter case" in schemas[model]["properties"][name]["description"], model
