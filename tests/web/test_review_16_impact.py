"""``POST /api/v1/impact-runs`` takes the lines ``exportcheck impact`` takes (session 16
review): a value in another currency with the request's rates, and no date needed."""

from __future__ import annotations

from .conftest import Service
from .test_api import problem

DATES = {"from_date": "2020-06-29", "to_date": "2021-01-15"}


def _lines(service: Service, run_id: int) -> list[dict]:
    return service.client.get(f"/api/v1/impact-runs/{run_id}/lines",
                              headers=service.auth("officer")).json()["items"]


def test_a_line_in_euros_is_converted_with_the_rates(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    line = {"id": "o-eur", "item": "3A001.a.2", "destination": "HK", "value": 1000,
            "currency": "EUR"}
    r = c.post("/api/v1/impact-runs", headers=h,
               json={**DATES, "lines": [line], "rates": {"EUR": 1.08}})
    assert r.status_code == 201, r.text[:500]
    assert r.json()["value_changed"] == 1080.0  # EUR 1,000 at 1.08 USD each
    assert _lines(service, r.json()["id"])[0]["new_outcome"] == "LICENSE_REQUIRED"


def test_a_currency_without_a_rate_is_refused(service: Service) -> None:
    line = {"item": "3A001.a.2", "destination": "HK", "value": 1000, "currency": "EUR"}
    r = service.client.post("/api/v1/impact-runs", headers=service.auth("officer"),
                            json={**DATES, "lines": [line]})
    assert "EUR" in problem(r, 400)["detail"]


def test_a_line_s_facts_are_taken_as_the_cli_takes_its_fact_columns(service: Service) -> None:
    """3A090.a to Malaysia for an end user headquartered in China needs a licence from 17 Nov
    2023: the line's ``facts`` were carried through as a column and ignored (NLR → NLR)."""
    lines = [{"id": "hq-cn", "item": "3A090.a", "destination": "MY", "value": 1000,
              "facts": {"headquarters": "CN"}},
             {"id": "none", "item": "3A090.a", "destination": "MY", "value": 1000}]
    r = service.client.post("/api/v1/impact-runs", headers=service.auth("officer"), json={
        "from_date": "2023-11-01", "to_date": "2023-11-20", "lines": lines})
    assert r.status_code == 201, r.text[:500]
    assert r.json()["changed_lines"] == 1 and r.json()["value_changed"] == 1000.0
    got = _lines(service, r.json()["id"])
    assert [(x["old_outcome"], x["new_outcome"]) for x in got] == [
        ("NLR", "LICENSE_REQUIRED"), ("NLR", "NLR")]
    assert got[0]["headquarters"] == "CN" and "facts" not in got[0]
