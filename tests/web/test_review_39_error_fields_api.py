"""Review 39, REST API: every refused field of a determination or a screen is named in the
problem's ``errors`` (``body.value``, ``body.facts.headquarters``, ``body.name`` ...), now that
the engine names the field where it raises an error instead of the web layer reading its words.
A client (an ERP) fixes the field the problem names; with ``errors`` missing it has only prose."""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.api_helpers import problem
from tests.web.conftest import Service

LINE = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"}


@pytest.mark.parametrize(("extra", "status", "field", "words"), [
    ({"value": -5}, 422, "body.value", "greater than or equal to 0"),
    ({"value": "abc"}, 422, "body.value", "valid number"),
    ({"quantity": "abc"}, 422, "body.quantity", "valid number"),
    ({"end_user": "LLC"}, 400, "body.end_user", "'LLC' is only a legal form"),
    ({"consignee": "!!!"}, 400, "body.consignee", "has no letters or digits"),
    ({"owners": [{"owner": "A Co", "owned": "A Co", "percent": 60}]}, 400, "body.owners",
     "cannot own itself"),
    ({"owners": [{"owner": "A Co", "owned": "B Co", "percent": 150}]}, 422,
     "body.owners.0.percent", "outside 0-100"),
    ({"facts": {"headquarters": "Atlantis"}}, 400, "body.facts.headquarters",
     "unknown headquarters country 'Atlantis'"),
    ({"facts": {"conditions_met": ["XYZ"]}}, 400, "body.facts.conditions_met",
     "unknown licence exception(s) XYZ"),
    ({"end_use": "non-military"}, 400, "body.end_use", "says what the goods are not for"),
], ids=["negative-value", "value-nan", "quantity-nan", "end-user-llc", "consignee-punct",
        "owner-owns-itself", "percent-150", "hq-atlantis", "conditions-xyz", "end-use-negated"])
def test_a_refused_determination_names_its_request_field(
        service: Service, extra: dict[str, Any], status: int, field: str, words: str) -> None:
    r = service.client.post("/api/v1/determinations", json={**LINE, **extra},
                            headers=service.auth("officer"))
    body = problem(r, status)
    assert [e["field"] for e in body.get("errors") or []] == [field], body
    assert words in body["errors"][0]["message"]


@pytest.mark.parametrize(("query", "field", "words"), [
    ({"name": "Co., Ltd."}, "body.name", "is only a legal form"),
    ({"name": "!!!"}, "body.name", "has no letters or digits"),
    ({"name": "Chan Tai Man", "dob": "1970-13-01"}, "body.dob", "month 13 does not exist"),
    ({"name": "Chan Tai Man", "country": "Narnia"}, "body.country", "unknown country 'Narnia'"),
], ids=["name-legal-form", "name-punct", "dob-month-13", "country-narnia"])
def test_a_refused_screen_names_its_request_field(
        service: Service, query: dict[str, str], field: str, words: str) -> None:
    """A name the screener refuses was answered with no ``errors`` at all: the screener calls
    its query ``name``, which ``field_of`` places only on a form that says it has such a box."""
    r = service.client.post("/api/v1/screen", json=query, headers=service.auth("officer"))
    body = problem(r, 400)
    assert [e["field"] for e in body.get("errors") or []] == [field], body
    assert words in body["errors"][0]["message"]


def test_a_refused_name_in_a_screen_batch_names_its_row(service: Service) -> None:
    queries = [{"name": "Chan Tai Man"}, {"id": "r2", "name": "Co., Ltd."}]
    r = service.client.post("/api/v1/screen/batch", json={"queries": queries},
                            headers=service.auth("officer"))
    body = problem(r, 400)
    assert [e["field"] for e in body.get("errors") or []] == ["body.queries.1.name"], body
    assert "queries.1 (id 'r2')" in body["detail"]
