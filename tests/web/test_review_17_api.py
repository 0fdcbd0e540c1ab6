"""Review 17 (web), behaviour: ids out of range, the impact form's file, cleared hits in the
screen and the determination trace, the OpenAPI error documents, yente's /match, list
uploads naming what they could not read, form errors in the form's words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from exportcheck.screen.service import SAMPLES_DIR
from exportcheck.web.problems import MEDIA_TYPE
from tests.web.api_helpers import audit_since, head_seq, problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf

HUGE = "99999999999999999999"
HTML = {"Accept": "text/html"}




# -- 3. ids out of range ---------------------------------------------------------------------
@pytest.mark.parametrize("path", [f"/lists/{HUGE}", f"/impact/{HUGE}", "/lists/0",
                                  "/impact/2147483648", "/lists/abc"])
def test_pages_for_ids_out_of_range_are_the_not_found_page(officer_page: TestClient,
                                                           path: str) -> None:
    """They were HTTP 500 (OverflowError from the SQLite driver), as raw JSON."""
    r = officer_page.get(path, headers=HTML)
    assert r.status_code == 404, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>Not found</h1>" in r.text and "Back to the start page" in r.text


@pytest.mark.parametrize("path", [f"/api/v1/lists/{HUGE}/changes", f"/api/v1/impact-runs/{HUGE}",
                                  f"/api/v1/impact-runs/{HUGE}/lines", "/api/v1/impact-runs/0"])
def test_api_ids_out_of_range_are_404_problems(service: Service, path: str) -> None:
    body = problem(service.client.get(path, headers=service.auth("viewer")), 404)
    assert "ids run from 1 to 2,147,483,647" in body["detail"]


def test_a_bad_query_value_in_a_browser_is_a_page(officer_page: TestClient) -> None:
    r = officer_page.get("/audit?offset=abc", headers=HTML)
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html")
    assert "offset" in r.text


# -- 4. the impact form runs the file chosen -------------------------------------------------
def test_a_chosen_order_file_runs_even_with_the_sample_ticked(service: Service,
                                                             officer_page: TestClient) -> None:
    """The radio left on "the bundled portfolio" ran the sample and ignored the file."""
    orders = b"id,item,destination,value\no-1,3A001.a.2,HK,1200\no-2,EAR99,DE,100\n"
    r = officer_page.post(
        "/impact", headers={**HTML, "X-CSRF-Token": page_csrf(officer_page)},
        data={"from_date": "2020-06-29", "to_date": "2021-01-15", "portfolio": "sample"},
        files={"orders": ("good.csv", orders, "text/csv")})
    assert r.status_code == 303, r.text[:500]
    run_id = r.headers["location"].rsplit("/", 1)[1]
    run = service.client.get(f"/api/v1/impact-runs/{run_id}",
                             headers=service.auth("viewer")).json()
    assert (run["source"], run["lines"]) == ("upload: good.csv", 2)
    # no file chosen: the sample, as ticked
    r = officer_page.post(
        "/impact", headers={**HTML, "X-CSRF-Token": page_csrf(officer_page)},
        data={"from_date": "2020-06-29", "to_date": "2021-01-15", "portfolio": "sample"},
        files={"orders": ("", b"", "application/octet-stream")})
    run_id = r.headers["location"].rsplit("/", 1)[1]
    run = service.client.get(f"/api/v1/impact-runs/{run_id}",
                             headers=service.auth("viewer")).json()
    assert run["source"] == "sample:hk_2020_portfolio.csv"
    page = officer_page.get("/impact", headers=HTML).text
    assert "A chosen file is what runs" in page


# -- 6. a cleared hit is reported, not dropped -----------------------------------------------
CLEARED_PARTY = {"party": "Carrie Lamm", "country": "HK", "list": "SDN", "entry_id": "29249",
                 "reason": "different person: passport HK-778 checked"}


@pytest.fixture(scope="module")
def cleared(service: Service) -> dict[str, Any]:
    c, h = service.client, service.auth("officer")
    before = c.post("/api/v1/screen", headers=h, json={"name": "Carrie Lamm", "country": "HK"})
    assert [(x["list"], x["entry_id"]) for x in before.json()["hits"]] == [("SDN", "29249")]
    r = c.post("/api/v1/dispositions", headers=h, json=CLEARED_PARTY)
    assert r.status_code == 201, r.text
    return r.json()


def test_screen_api_reports_the_cleared_hit_apart(service: Service,
                                                  cleared: dict[str, Any]) -> None:
    """The hit vanished: "hits": [] read as "no list entry scores near this name"."""
    r = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                            json={"name": "Carrie Lamm", "country": "HK"})
    body = r.json()
    assert body["hits"] == []
    [hit] = body["suppressed"]
    assert (hit["list"], hit["entry_id"], hit["score"]) == ("SDN", "29249", pytest.approx(88.7))
    assert hit["suppressed_by"] == (f"cleared by {cleared['user']} on {cleared['decided_on']}: "
                                    f"{CLEARED_PARTY['reason']}")
    batch = service.client.post("/api/v1/screen/batch", headers=service.auth("officer"), json={
        "queries": [{"name": "Carrie Lamm", "country": "HK"}]}).json()
    assert batch["results"][0]["hits"] == []
    assert batch["results"][0]["suppressed"][0]["entry_id"] == "29249"
    # another party of that name (no country given) is not cleared
    other = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                                json={"name": "Carrie Lamm"}).json()
    assert other["hits"] and not other["suppressed"]


def test_screen_page_shows_who_cleared_the_hit(officer_page: TestClient,
                                               cleared: dict[str, Any]) -> None:
    r = officer_page.post("/screen", headers=HTML, data={
        "csrf_token": page_csrf(officer_page), "name": "Carrie Lamm", "country": "HK"})
    text = re.sub(r"\s+", " ", r.text)
    assert "0 hits for “Carrie Lamm” · 1 cleared" in text
    assert "No list entry scores at or above the threshold" not in text
    assert "No open hit: every list entry at or above the threshold was cleared" in text
    assert (f"cleared by {cleared['user']} on {cleared['decided_on']}: different person: "
            "passport HK-778 checked") in text
    assert "LAM, Carrie" in text


def test_determination_trace_and_audit_record_say_the_hit_was_cleared(
        service: Service, cleared: dict[str, Any]) -> None:
    """The trace said "no hit on lists ...", and so did the audit record of the decision."""
    c, h = service.client, service.auth("officer")
    seq = head_seq(c, h)
    r = c.post("/api/v1/determinations", headers=h, json={
        "item": "EAR99", "destination": "HK", "date": "2024-01-01", "end_user": "Carrie Lamm",
        "record": True})
    d = r.json()
    assert (d["outcome"], d["hold"], d["party_matches"]) == ("NLR", False, [])
    steps = {s["rule"]: s["detail"] for s in d["trace"]}
    assert "no hit on lists" not in steps["Restricted-party screening"]
    assert "no open hit (a cleared one follows)" in steps["Restricted-party screening"]
    detail = steps["Screening hit cleared (end user)"]
    assert detail.startswith("end user 'Carrie Lamm': SDN 29249 'LAM, Carrie' (score 89)")
    assert f"cleared by {cleared['user']} on {cleared['decided_on']}" in detail
    assert CLEARED_PARTY["reason"] in detail
    rules = [s["rule"] for s in d["trace"]]
    assert rules.index("Screening hit cleared (end user)") == \
        rules.index("Restricted-party screening") + 1
    [entry] = audit_since(c, h, seq, kind="determination")
    recorded = {s["rule"]: s["detail"] for s in entry["payload"]["trace"]}
    assert recorded["Screening hit cleared (end user)"] == detail


def test_check_page_shows_the_cleared_hit_in_the_trace(officer_page: TestClient,
                                                       cleared: dict[str, Any]) -> None:
    r = officer_page.post("/check", headers=HTML, data={
        "csrf_token": page_csrf(officer_page), "item": "EAR99", "destination": "HK",
        "date": "2024-01-01", "end_user": "Carrie Lamm"})
    text = re.sub(r"\s+", " ", r.text)
    assert "Screening hit cleared (end user)" in text
    assert "passport HK-778 checked" in text


# -- 5 (the typed reason survives an error) ---------------------------------------------------
def test_a_refused_disposition_keeps_the_hits_and_the_reason(officer_page: TestClient) -> None:
    """The hit list disappeared and the reason typed was lost."""
    reason = "documents checked: different date of birth"
    r = officer_page.post("/screen/disposition", headers=HTML, data={
        "csrf_token": page_csrf(officer_page), "party": "Carrie Lam", "list": "SDN",
        "entry_id": "29249", "reason": reason, "decision": "maybe"})
    assert r.status_code == 422  # as the API answers a decision its schema refuses
    assert "Decision: decision must be cleared or confirmed" in r.text
    assert "Input should be" not in r.text
    assert "invalid DispositionIn" not in r.text
    assert re.search(r'<details open>\s*<summary>Record a disposition', r.text)
    assert f'value="{reason}"' in r.text
    assert "LAM, Carrie" in r.text


def test_form_errors_use_the_forms_words(officer_page: TestClient) -> None:
    r = officer_page.post("/check", headers=HTML, data={
        "csrf_token": page_csrf(officer_page), "item": "EAR99", "destination": "HK",
        "date": "2024-01-01", "compare": "not-a-date"})
    # under the box it concerns, in the page's words (not pydantic's "Input should be ...")
    assert ('<small id="compare-error" class="field-error">invalid date &#39;not-a-date&#39;: '
            "use YYYY-MM-DD</small>") in r.text
    assert "Input should be" not in r.text
    assert "DeterminationRequest" not in r.text
    r = officer_page.post("/licences/ship", headers=HTML, data={
        "csrf_token": page_csrf(officer_page), "licence_number": "DSP5-HK-2019-001",
        "ship_date": "2020-01-10", "destination": "HK", "classification": "",
        "quantity": "1", "value": "100", "consignee": "x", "end_user": "x"})
    assert "ShipmentIn" not in r.text and "lines.0" not in r.text
    # the one box at fault has the message under it, in the page's words
    assert r.status_code == 422 and "Input should be" not in r.text
    assert ('<small id="ship-classification-error" class="field-error">classification is '
            "required</small>") in r.text


def test_messages_name_the_page_not_the_command_line(service: Service,
                                                     officer_page: TestClient) -> None:
    """"--from 2021-01-15 is after --to 2020-06-29" and "(see `exportcheck lists show
    --all`)" reached the browser and the API."""
    r = officer_page.post("/impact", headers={**HTML, "X-CSRF-Token": page_csrf(officer_page)},
                          data={"from_date": "2021-01-15", "to_date": "2020-06-29",
                                "portfolio": "sample"})
    assert "From (old rules) 2021-01-15 is after To (new rules) 2020-06-29" in r.text
    assert "--from" not in r.text
    r = service.client.post("/api/v1/impact-runs", headers=service.auth("officer"), json={
        "sample": True, "from_date": "2021-01-15", "to_date": "2020-06-29"})
    assert problem(r, 400)["detail"].startswith("from_date 2021-01-15 is after to_date")
    body = problem(service.client.get("/api/v1/lists/999999/changes",
                                      headers=service.auth("viewer")), 404)
    assert "exportcheck lists show" not in body["detail"] and "Lists page" in body["detail"]


# -- 9. OpenAPI: errors are problem documents ------------------------------------------------
def test_openapi_documents_errors_as_problem_json(service: Service) -> None:
    spec = service.client.get("/openapi.json").json()
    assert spec["components"]["schemas"]["Problem"]["required"] == [
        "type", "title", "status", "detail"]
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            codes = {c for c in op["responses"] if c[0] in "45"}
            assert "500" in codes, (method, path)
            for code in codes:
                content = op["responses"][code]["content"]
                assert content == {MEDIA_TYPE: {"schema": {
                    "$ref": "#/components/schemas/Problem"}}}, (method, path, code)
    paths = spec["paths"]
    assert set(paths["/api/v1/me"]["get"]["responses"]) == {"200", "401", "500"}
    assert set(paths["/healthz"]["get"]["responses"]) == {"200", "500"}
    assert set(paths["/api/v1/licences"]["get"]["responses"]) == {
        "200", "400", "401", "403", "422", "500"}
    shipments = set(paths["/api/v1/shipments"]["post"]["responses"])
    assert {"409", "413"} <= shipments and "429" not in shipments
    assert "409" not in paths["/api/v1/screen"]["post"]["responses"]
    assert "404" in paths["/api/v1/impact-runs/{run_id}/report"]["get"]["responses"]
    schemas = spec["components"]["schemas"]
    assert schemas["LicenceAdded"]["properties"]["licence"] == {
        "$ref": "#/components/schemas/LicenceOut"}
    assert schemas["TokenCreated"]["properties"]["token"] == {
        "$ref": "#/components/schemas/TokenOut"}


# -- 12. /match as yente answers -------------------------------------------------------------
CARRIE = {"schema": "Person", "properties": {"name": ["Carrie Lam"], "nationality": ["hk"]}}


def match(service: Service, body: dict[str, Any] | None = None, **params: Any):
    return service.client.post("/match/default", params=params,
                               headers={"Authorization": f"ApiKey {service.tokens['officer']}"},
                               json=body or {"queries": {"q": CARRIE}})


def ids(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["responses"]["q"]["results"]]


def test_match_explanations_are_nomenklatura_feature_results(service: Service) -> None:
    """They were {"score", "explanation"}; nomenklatura's FeatureResult requires "detail"."""
    top = match(service).json()["responses"]["q"]["results"][0]
    feature = top["explanations"]["name"]
    assert set(feature) <= {"detail", "score", "query", "candidate"}
    assert isinstance(feature["detail"], str) and "alias" in feature["detail"]
    assert 0 <= feature["score"] <= 1 and "explanation" not in feature


@pytest.mark.parametrize(("params", "gone"), [
    ({"exclude_entity_ids": ["sdn-29249"]}, True),
    ({"exclude_entity_ids": ["SDN-29249", "un-1"]}, True),
    ({"topics": ["export.control"]}, True),
    ({"topics": ["sanction"]}, False),
    ({"exclude_dataset": ["sdn"]}, True),
    ({"include_dataset": ["el"]}, True),
    ({"include_dataset": ["sdn", "el"]}, False),
    ({"exclude_schema": ["Person"]}, True),
    ({"exclude_schema": ["Vessel"]}, False),
])
def test_match_honours_yente_filters(service: Service, params: dict[str, Any],
                                     gone: bool) -> None:
    """They were ignored: a false positive excluded by its id kept coming back."""
    assert "sdn-29249" in ids(match(service))
    found = match(service, **params)
    assert ("sdn-29249" not in ids(found)) is gone
    total = found.json()["responses"]["q"]["total"]["value"]
    assert total == sum(r["match"] for r in found.json()["responses"]["q"]["results"])


def test_match_refuses_what_it_cannot_honour(service: Service) -> None:
    detail = problem(match(service, changed_since="2024-01-01"), 400)["detail"]
    assert "changed_since" in detail
    body = {"queries": {"q": CARRIE}, "config": {"nm_bogus": 1}}
    detail = problem(match(service, body), 400)["detail"]
    assert detail.startswith("Invalid configuration parameter: nm_bogus")


# -- 13. list uploads name the files they could not read -------------------------------------
def test_a_file_that_is_not_a_list_beside_a_good_one_is_named(service: Service) -> None:
    """readme.txt uploaded with dpl.txt was skipped silently (200, bis-dpl loaded)."""
    c, h = service.client, service.auth("admin")
    before = c.get("/api/v1/lists", headers=h, params={"all": True}).json()["total"]
    dpl = (SAMPLES_DIR / "dpl.txt").read_bytes().replace(b"\r\n", b"\n") + b"\n"
    r = c.post("/api/v1/lists/load", headers=h, files=[
        ("files", ("dpl.txt", dpl, "text/plain")),
        ("files", ("readme.txt", b"How to load the lists\n", "text/plain"))])
    detail = problem(r, 422)["detail"]
    assert detail.startswith("readme.txt: unrecognised list format"), detail
    assert "exportcheck-upload" not in detail and "subdirectories" not in detail
    after = c.get("/api/v1/lists", headers=h, params={"all": True}).json()["total"]
    assert after == before  # all or nothing: dpl.txt was not loaded either
    r = c.post("/api/v1/lists/load", headers=h, files=[("files", ("empty.csv", b"", "text/csv"))])
    assert problem(r, 422)["detail"].startswith("empty.csv: unrecognised list format")


def test_check_records_nothing_when_the_compare_date_is_refused(
        service: Service, officer_page: TestClient) -> None:
    """The first date was recorded before the compare date was refused: sent again once fixed,
    the same answer went into the audit trail twice."""
    c, h = service.client, service.auth("officer")
    seq = head_seq(c, h)
    form = {"csrf_token": page_csrf(officer_page), "item": "3A001.a.2", "destination": "HK",
            "date": "2020-06-29", "compare": "2018-12-31", "record": "on"}
    r = officer_page.post("/check", headers=HTML, data=form)
    assert r.status_code == 400 and "before the rule base starts" in r.text
    assert audit_since(c, h, seq, kind="determination") == []
    r = officer_page.post("/check", headers=HTML, data={**form, "compare": "2021-01-15"})
    assert r.status_code == 200 and "recorded in the audit trail" in r.text
    days = [e["payload"]["on"] for e in audit_since(c, h, seq, kind="determination")]
    assert sorted(days) == ["2020-06-29", "2021-01-15"]
