"""Review 18 (REST): a date is a JSON string YYYY-MM-DD, read by the CLI's one parser, in
every request field and query parameter; a batch line's bad date is that line's error, and
batch lines are numbered from 1 as `exportcheck batch` numbers them."""

from __future__ import annotations

import pytest

from tests.web.api_helpers import head_seq, problem
from tests.web.conftest import Service

LINE = {"item": "3A001.a.2", "destination": "HK"}
#: accepted by pydantic's own date parsing (Unix time, date-times), or an odd pydantic error
NOT_DATES = [1610668800, "1610668800", "2021-01-15T00:00:00Z", 20210115, "2020-7-15",
             "20200715", "2021-13-15", 1610668800.0, True]


@pytest.mark.parametrize("value", NOT_DATES, ids=repr)
def test_a_determination_date_is_only_yyyy_mm_dd(service: Service, value: object) -> None:
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                            json=LINE | {"date": value})
    body = problem(r, 422)
    assert [e["field"] for e in body["errors"]] == ["body.date"], body
    message = body["errors"][0]["message"]
    if isinstance(value, str):
        assert message.startswith(f"invalid date {value!r}"), message
    else:
        kind = "boolean" if isinstance(value, bool) else "number"
        assert message == f"date must be a string YYYY-MM-DD, got {kind} {value!r}", message
    assert "zero time" not in body["detail"]


def test_a_determination_on_a_good_date(service: Service) -> None:
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                            json=LINE | {"date": " 2021-01-15 "})
    assert r.status_code == 200, r.text
    assert r.json()["on"] == "2021-01-15" and r.json()["outcome"] == "LICENSE_REQUIRED"


def test_a_bad_batch_date_is_that_lines_error(service: Service) -> None:
    """It refused the whole request (422), while an unknown item was the line's error."""
    lines = [LINE | {"date": "2021-01-15", "id": "a"}, LINE | {"date": "2021-13-15", "id": "b"},
             LINE | {"date": "1610668800", "id": "c"}, LINE | {"date": "", "id": "d"},
             {"item": "9Z999.q", "destination": "HK", "date": "2021-01-15", "id": "e"},
             LINE | {"date": "2020-06-29", "id": "f"}]
    r = service.client.post("/api/v1/determinations/batch", headers=service.auth("officer"),
                            json={"lines": lines})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["line"] for x in results] == [1, 2, 3, 4, 5, 6]
    assert [x["id"] for x in results] == ["a", "b", "c", "d", "e", "f"]
    assert results[0]["outcome"] == "LICENSE_REQUIRED" and results[0]["error"] is None
    assert results[1]["outcome"] is None
    assert results[1]["error"] == "invalid date '2021-13-15': month must be in 1..12"
    assert results[2]["error"] == "invalid date '1610668800': use YYYY-MM-DD"
    assert results[3]["error"].startswith("date is empty")
    assert "9Z999" in results[4]["error"]
    assert results[5]["outcome"] == "EXCEPTION_AVAILABLE"
    assert r.json()["counts"] == {"LICENSE_REQUIRED": 1, "EXCEPTION_AVAILABLE": 1, "ERROR": 4}


def test_a_batch_date_that_is_not_a_string_is_refused_naming_the_line(service: Service) -> None:
    lines = [LINE | {"date": "2021-01-15"}, LINE | {"date": 1610668800}]
    body = problem(service.client.post("/api/v1/determinations/batch",
                                       headers=service.auth("officer"), json={"lines": lines}),
                   422)
    assert body["errors"] == [{"field": "body.lines.1.date", "message":
                               "date must be a string YYYY-MM-DD, got number 1610668800"}]


@pytest.mark.parametrize("field", ["from_date", "to_date"])
def test_impact_dates_are_only_yyyy_mm_dd(service: Service, field: str) -> None:
    req = {"from_date": "2020-06-29", "to_date": "2021-01-15", "sample": True}
    body = problem(service.client.post("/api/v1/impact-runs", headers=service.auth("officer"),
                                       json=req | {field: "1610668800"}), 422)
    assert body["errors"] == [{"field": f"body.{field}",
                               "message": f"invalid {field} '1610668800': use YYYY-MM-DD"}]
    line = LINE | {"date": 1610668800}
    body = problem(service.client.post("/api/v1/impact-runs", headers=service.auth("officer"),
                                       json={**req, "sample": False, "lines": [line]}), 422)
    assert body["errors"][0]["field"] == "body.lines.0.date"


@pytest.mark.parametrize(("path", "param"), [
    ("/api/v1/ledger/report", "as_of"), ("/api/v1/licences", "as_of"),
    ("/api/v1/licences/DSP5-HK-2019-001", "as_of"), ("/api/v1/shipments", "from"),
    ("/api/v1/shipments", "to"), ("/api/v1/audit", "from"), ("/api/v1/audit/export", "to")])
def test_query_dates_are_only_yyyy_mm_dd(service: Service, path: str, param: str) -> None:
    h = service.auth("viewer")
    for bad in ("1610668800", "2021-01-15T00:00:00Z", "2020-7-15"):
        body = problem(service.client.get(path, headers=h, params={param: bad}), 422)
        assert body["errors"][0]["field"] == f"query.{param}", body
        assert f"{bad!r}: use YYYY-MM-DD" in body["errors"][0]["message"], body
    assert service.client.get(path, headers=h, params={param: "2021-01-15"}).status_code == 200


def test_a_status_change_on_a_timestamp_is_refused_and_not_recorded(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    seq = head_seq(c, service.auth("viewer"))
    body = problem(c.post("/api/v1/licences/DSP5-HK-2019-001/status", headers=h, json={
        "status": "suspended", "effective": 1593475200, "reason": "test",
        "citation": "22 CFR 126.7"}), 422)
    assert body["errors"] == [{"field": "body.effective", "message":
                               "effective must be a string YYYY-MM-DD, got number 1593475200"}]
    assert head_seq(c, service.auth("viewer")) == seq


def test_the_spec_still_says_format_date(service: Service) -> None:
    schemas = service.client.get("/openapi.json").json()["components"]["schemas"]
    assert schemas["DeterminationRequest"]["properties"]["date"]["format"] == "date"
    assert schemas["BatchLine"]["properties"]["date"] | {"type": "string", "format": "date"} \
        == schemas["BatchLine"]["properties"]["date"]
    assert schemas["ImpactRequest"]["properties"]["from_date"]["format"] == "date"
    assert schemas["StatusChange"]["properties"]["effective"]["format"] == "date"
    assert "1 = the first" in schemas["BatchAnswer"]["properties"]["line"]["description"]
