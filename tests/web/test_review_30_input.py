"""Review 30, input through the REST API as a client writes it.

1. Query parameters taking a choice (``?order=``, ``?format=``, ``?agency=``) wanted the
   exact spelling: ``?order=Newest`` was a 422 where the body's choice fields take any letter
   case, and ``?agency= ddtc `` found no licence (404) where ``"agency": " ddtc "`` is DDTC.
2. An owners list whose stakes are all at most 1% could not be sent at all: the stakes all
   at most 1 are refused as fractions unless written with the percent sign, and a stake was a
   JSON number, which cannot carry it ("0.5%" was a 422).
"""

from __future__ import annotations

import re
from typing import Any, get_args

from tests.web.api_helpers import problem
from tests.web.conftest import Service
from tests.web.test_api_ledger import HK


# -- 1. choices in the query ------------------------------------------------------------------
def test_query_choices_take_any_letter_case_and_spaces(service: Service) -> None:
    c, h = service.client, service.auth("viewer")

    def audit(order: str) -> list[int]:
        r = c.get("/api/v1/audit", headers=h, params={"order": order, "limit": 5})
        assert r.status_code == 200, (order, r.text[:300])
        return [e["seq"] for e in r.json()["items"]]

    assert audit("Newest") == audit(" NEWEST ") == audit("newest")
    assert audit(" Oldest\t") == audit("oldest") != audit("newest")
    r = c.get("/api/v1/audit/export", headers=h, params={"format": " CSV "})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
    assert 'filename="exportcheck-audit.csv"' in r.headers["content-disposition"]
    one = c.get(f"/api/v1/licences/{HK[0]}", headers=h, params={"agency": " ddtc "})
    assert one.status_code == 200 and one.json()["agency"] == "DDTC", one.text[:300]
    for path in ("/api/v1/licences", "/api/v1/shipments", "/api/v1/ledger/report"):
        exact = c.get(path, headers=h, params={"agency": "DDTC"})
        typed = c.get(path, headers=h, params={"agency": "Ddtc "})
        assert exact.status_code == typed.status_code == 200, (path, typed.text[:300])
        if "report" not in path:  # the report's date is today's either way
            assert typed.json() == exact.json() and typed.json()["total"] > 0


def test_an_empty_or_unknown_query_choice_is_a_422_naming_it_and_its_words(
        service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    for path, name, value, message in (
            ("/api/v1/audit", "order", "", "empty: give one of newest, oldest"),
            ("/api/v1/audit", "order", "  ", "empty: give one of newest, oldest"),
            ("/api/v1/audit", "order", "sideways", "Input should be 'newest' or 'oldest'"),
            ("/api/v1/audit/export", "format", "xml", "Input should be 'json' or 'csv'"),
            ("/api/v1/licences", "agency", "", "empty: give one of BIS, DDTC"),
            (f"/api/v1/licences/{HK[0]}", "agency", "ofac", "Input should be 'BIS' or 'DDTC'"),
            ("/api/v1/ledger/report", "agency", "bis ddtc", "Input should be 'BIS' or 'DDTC'")):
        body = problem(c.get(path, headers=h, params={name: value}), 422)
        assert body["errors"] == [{"field": f"query.{name}", "message": message}], (path, body)


def _choice_parameters(spec: dict[str, Any]) -> list[tuple[str, str, dict, list[str]]]:
    """(path, name, parameter, words) of every GET query parameter with a set of words."""
    found = []
    for path, item in spec["paths"].items():
        for p in item.get("get", {}).get("parameters", []):
            schema = p["schema"]
            enums = [s["enum"] for s in [schema, *schema.get("anyOf", [])] if "enum" in s]
            if p["in"] == "query" and enums:
                found.append((path, p["name"], p, enums[0]))
    return found


def test_every_choice_of_a_query_takes_any_case_and_the_spec_lists_its_words(
        service: Service) -> None:
    """Held for every GET of the spec, so a choice added to a route later is held to it."""
    from exportcheck.ledger.licences import LEDGER_AGENCIES
    from exportcheck.web.schemas import LedgerAgency

    assert get_args(LedgerAgency) == LEDGER_AGENCIES  # the filter's words, the ledger's
    c, h = service.client, service.auth("admin")
    found = _choice_parameters(c.get("/openapi.json").json())
    assert {(path, name) for path, name, _, _ in found} >= {
        ("/api/v1/audit", "order"), ("/api/v1/audit/export", "format"),
        ("/api/v1/licences", "agency"), ("/api/v1/licences/{number}", "agency"),
        ("/api/v1/shipments", "agency"), ("/api/v1/ledger/report", "agency")}, found
    for path, name, param, words in found:
        assert "any letter case" in param["description"], (path, name)
        url = re.sub(r"\{[a-z_]+\}", HK[0], path)
        typed = f" {words[-1].swapcase()} "
        r = c.get(url, headers=h, params={name: typed})
        assert r.status_code == 200, (url, name, typed, r.text[:300])


# -- 2. owners' stakes with the percent sign --------------------------------------------------
LINE = {"item": "EAR99", "destination": "HK", "date": "2024-01-01", "end_user": "Pearl Ltd"}


def _owners(*stakes: Any) -> list[dict[str, Any]]:
    """``LAM, Carrie`` (SDN) holds the first stake of Pearl Ltd, funds the others."""
    return [{"owner": "LAM, Carrie" if i == 0 else f"Fund {i}", "owned": "Pearl Ltd",
             "percent": p, "owner_country": "HK"} for i, p in enumerate(stakes)]


def test_stakes_all_at_most_one_percent_are_sent_with_the_percent_sign(
        service: Service) -> None:
    """A real owners list of small stakes (0.5%, 0.8%): as numbers it is refused as fractions,
    and there was no way to send the sign."""
    c, h = service.client, service.auth("officer")
    d = c.post("/api/v1/determinations", headers=h,
               json={**LINE, "owners": _owners("0.5%", " 0.8 % ")})
    assert d.status_code == 200, d.text
    assert d.json()["outcome"] == "NLR"
    assert any(t["detail"].startswith("owned 0.5% by LAM, Carrie") for t in d.json()["trace"])
    body = problem(c.post("/api/v1/determinations", headers=h,
                          json={**LINE, "owners": _owners(0.5, 0.8)}), 400)
    assert "every percent is at most 1 (0.5, 0.8)" in body["detail"]
    assert 'in JSON, the string "0.6%"' in body["detail"], body
    # one stake with its sign says the list is of percentages, as in a file
    mixed = c.post("/api/v1/determinations", headers=h, json={**LINE, "owners": _owners(
        "0.5%", 0.8)})
    assert mixed.status_code == 200 and mixed.json()["outcome"] == "NLR", mixed.text
    batch = c.post("/api/v1/determinations/batch", headers=h, json={
        "lines": [LINE], "owners": _owners("0.5%", "0.8%"), "screen": True})
    assert batch.status_code == 200, batch.text
    assert batch.json()["results"][0]["outcome"] == "NLR", batch.text


def test_a_stake_with_its_sign_counts_as_the_number(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    outcomes = {c.post("/api/v1/determinations", headers=h,
                       json={**LINE, "owners": _owners(p)}).json()["outcome"]
                for p in (50, 50.0, "50", "50%", " 50 % ", "50.%")}
    assert outcomes == {"PROHIBITED"}


def test_a_stake_that_is_no_number_and_sign_is_a_422_naming_its_path(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    for stake, message in (
            ("abc", "percent 'abc' is not a number"),
            ("", "percent '' is not a number"),
            ("5%%", "percent '5%%' is not a number"),
            ("0,5%", "percent '0,5%' is not a number"),
            ("1e1", "percent '1e1' is not a number"),
            ("1_0", "percent '1_0' is not a number"),
            ("% 5", "percent '% 5' is not a number"),
            ("Infinity%", "percent 'Infinity%' is not a number: give a finite number"),
            ("150%", "percent 150 is outside 0-100 (more than 0, at most 100)"),
            ("-5%", "percent -5 is outside 0-100 (more than 0, at most 100)"),
            (0, "percent 0 is outside 0-100 (more than 0, at most 100)"),
            (True, "a number is needed here, not true or false")):
        body = problem(c.post("/api/v1/determinations", headers=h, json={
            **LINE, "owners": _owners(60, stake)}), 422)
        assert body["errors"] == [{"field": "body.owners.1.percent", "message": message}], body
    body = problem(c.post("/api/v1/determinations/batch", headers=h, json={
        "lines": [LINE], "owners": _owners("60%", "ten%")}), 422)
    assert body["errors"][0]["field"] == "body.owners.1.percent", body


def test_the_spec_says_a_stake_is_a_number_or_a_string_with_the_sign(service: Service) -> None:
    stake = service.client.get("/openapi.json").json()["components"]["schemas"]["OwnerStake"]
    percent = stake["properties"]["percent"]
    assert [s["type"] for s in percent["anyOf"]] == ["number", "string"]
    assert percent["anyOf"][0] == {"type": "number", "exclusiveMinimum": 0.0, "maximum": 100.0}
    pattern = re.compile(percent["anyOf"][1]["pattern"])
    assert all(pattern.search(s) for s in ("0.6%", "60", " 0.5 % ", ".5%"))
    assert not any(pattern.search(s) for s in ("abc", "5%%", "0,5%", "1e1", "-5%"))
    assert percent["examples"] == [60, "0.6%"]
    assert '"0.6%"' in percent["description"] and "fractions" in percent["description"]
