"""Review 28b: a refused Check, Screen, disposition, shipment, reversal or audit filter answers
the API's 4xx, not 200.

Review 28 did so for the Lists and Impact forms; the others still answered 200 OK with the
error in the page, so to a proxy's log, a monitor or a script posting the form a refused
shipment (an over-draw) looked like a posted one. Each now answers the status the REST API
gives the same error (422 where its schema refuses the field, 400 for the engine's own
checks, 404 for something gone, 409 for a ledger rule), with the form again, what was typed
kept and the error under the box it is about (marked ``aria-invalid``, described by the
message, focused), else at the top. A form that goes through answers as before. The browser
side is in ``test_review_28b_browser.py``.
"""

from __future__ import annotations

import html
import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.api_helpers import bis_licence
from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf
from tests.web.test_review_24_web import box
from tests.web.test_ui_forms_review import HTML, client

LINE = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"}
#: over-draws DSP5-HK-2019-001 (300 left on its line), before its 2020 suspension
OVERDRAW = {"licence_number": "DSP5-HK-2019-001", "ship_date": "2020-05-01",
            "destination": "HK", "classification": "I(a)", "quantity": "301",
            "value": "301000", "consignee": "Hong Kong Police Force",
            "end_user": "Hong Kong Police Force"}


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.128", "officer")
    yield b, page_csrf(b)
    b.close()


def post(officer: tuple[TestClient, str], path: str, **fields: str):
    b, token = officer
    return b.post(path, headers=HTML, data={**fields, "csrf_token": token})


def under(page: str, name: str, error_id: str | None = None, *, focused: bool = True) -> str:
    """The message under box ``name`` (its id ``error_id``, default ``NAME-error``), after
    checking that the box is marked, described by it and (``focused``) focused."""
    error_id = error_id or f"{name}-error"
    tag = box(page, name)
    assert 'aria-invalid="true"' in tag and f'aria-describedby="{error_id}' in tag, tag
    assert ("autofocus" in tag) == focused, tag
    m = re.search(rf'<small id="{error_id}" class="field-error"[^>]*>([^<]*)</small>', page)
    assert m, f"no message under {name!r}"
    return html.unescape(m[1])


def api_status(service: Service, path: str, body: dict) -> int:
    return service.client.post(path, headers=service.auth("officer"), json=body).status_code


# -- Check ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("fields", "api", "name", "status", "words"), [
    ({"item": "3A999.zz"}, {"item": "3A999.zz"}, "item", 400, "has no paragraph '.zz'"),
    ({"date": "2018-06-01"}, {"date": "2018-06-01"}, "date", 400,
     "before the rule base starts"),
    ({"date": "2021-02-30"}, {"date": "2021-02-30"}, "date", 422,
     "invalid date '2021-02-30'"),
    ({"value": "10000000000000"}, {"value": 1e13}, "value", 422,
     "value must be at most 1,000,000,000,000 USD"),
    ({"end_user": "E" * 300}, {"end_user": "E" * 300}, "end_user", 422,
     "end user name is longer than 256 characters"),
    ({"owners": "A,B,abc", "end_user": "B"},
     {"owners": [{"owner": "A", "owned": "B", "percent": "abc"}], "end_user": "B"},
     "owners", 422, "owners line 1: percent 'abc' is not a number"),
    ({"owners": "A,A,60", "end_user": "A"},
     {"owners": [{"owner": "A", "owned": "A", "percent": 60}], "end_user": "A"},
     "owners", 400, "cannot own itself"),
], ids=["unknown-item", "before-rule-base", "no-such-day", "value-too-large", "name-too-long",
        "owners-malformed", "owners-owning-itself"])
def test_a_refused_check_answers_the_apis_status_under_its_box(
        service: Service, officer, fields, api, name, status, words) -> None:
    r = post(officer, "/check", **{**LINE, **fields})
    assert r.status_code == status, r.text[:300]
    assert api_status(service, "/api/v1/determinations", {**LINE, **api}) == status
    assert words in under(r.text, name)
    assert 'value="3A001.a.2"' in box(r.text, "item") or name == "item"  # what was typed stays


def test_a_check_error_no_box_owns_is_at_the_top(officer) -> None:
    r = post(officer, "/check", **LINE, headquarters="ZZ")  # the facts' box: its own notice
    assert r.status_code == 400, r.text[:300]
    assert re.search(r'id="headquarters-error" tabindex="-1" autofocus>unknown headquarters',
                     r.text)


def test_a_check_that_goes_through_still_answers_200(officer) -> None:
    r = post(officer, "/check", **LINE)
    assert r.status_code == 200 and "aria-invalid" not in r.text
    assert "LICENSE REQUIRED" in r.text


# -- Screen --------------------------------------------------------------------------------
@pytest.mark.parametrize(("fields", "name", "status", "words"), [
    ({"name": "   "}, "name", 422, "name is empty"),
    ({}, "name", 422, "name is required"),
    ({"name": "Chan Tai Man", "dob": "19600"}, "dob", 400,
     "date of birth '19600' is not YYYY"),
    ({"name": "Chan Tai Man", "dob": "1960-02-30"}, "dob", 400, "is not a real date"),
    ({"name": "Chan Tai Man", "country": "ZZ"}, "country", 400, "unknown country 'ZZ'"),
    ({"name": "Chan Tai Man", "kind": "ship"}, "kind", 422,
     "kind must be person, entity, vessel or aircraft"),
], ids=["blank-name", "no-name", "malformed-dob", "no-such-day", "unknown-country",
        "unknown-kind"])
def test_a_refused_screen_answers_the_apis_status_under_its_box(
        service: Service, officer, fields, name, status, words) -> None:
    r = post(officer, "/screen", **fields)
    assert r.status_code == status, r.text[:300]
    assert api_status(service, "/api/v1/screen", {"name": "", **fields}) == status
    assert words in under(r.text, name)
    assert '<section aria-label="hits">' not in r.text
    if "dob" in fields:  # what was typed stays
        assert f'value="{fields["dob"]}"' in box(r.text, "dob")
        assert 'value="Chan Tai Man"' in box(r.text, "name")


def test_a_screen_that_goes_through_still_answers_200(officer) -> None:
    r = post(officer, "/screen", name="Carrie Lam")
    assert r.status_code == 200 and "aria-invalid" not in r.text
    assert '<section aria-label="hits">' in r.text


def test_a_screen_linked_with_a_malformed_date_of_birth_says_so_at_its_box(officer) -> None:
    b, _ = officer
    r = b.get("/screen?name=Chan+Tai+Man&dob=19600", headers=HTML)
    assert r.status_code == 400 and "is not YYYY" in under(r.text, "dob")


# -- Dispositions --------------------------------------------------------------------------
DISPOSITION = {"party": "Carrie Lam", "country": "DE", "list": "SDN", "entry_id": "29249",
               "decision": "cleared"}


def test_a_disposition_without_a_reason_answers_422_at_its_hit(service: Service,
                                                              officer) -> None:
    r = post(officer, "/screen/disposition", **DISPOSITION, reason="   ")
    assert r.status_code == 422, r.text[:300]
    assert api_status(service, "/api/v1/dispositions", {**DISPOSITION, "reason": ""}) == 422
    anchor = "hit-SDN-29249"
    assert (f'<small id="{anchor}-reason-error" class="field-error">give a reason for the '
            "decision</small>") in r.text


def test_a_disposition_for_an_entry_gone_answers_404(service: Service, officer) -> None:
    gone = {**DISPOSITION, "entry_id": "no-such-entry", "reason": "documents checked"}
    r = post(officer, "/screen/disposition", **gone)
    assert r.status_code == 404, r.text[:300]
    assert api_status(service, "/api/v1/dispositions", gone) == 404
    assert "SDN no-such-entry is no longer on the active lists" in html.unescape(r.text)


def test_a_disposition_that_goes_through_still_answers_200(officer) -> None:
    r = post(officer, "/screen/disposition", **{**DISPOSITION, "country": "GB"},
             reason="not her: born 1990, passport checked")
    assert r.status_code == 200 and "cleared SDN 29249" in html.unescape(r.text)


# -- Shipments -----------------------------------------------------------------------------
def ship(officer, **fields: str):
    return post(officer, "/licences/ship", idempotency_key=f"ui-{uuid.uuid4()}", **fields)


def test_an_overdrawing_shipment_answers_409_as_the_api_does(service: Service, officer) -> None:
    r = ship(officer, **OVERDRAW)
    assert r.status_code == 409, r.text[:300]
    assert r.headers["HX-Replace-Url"] == "/licences#ship"
    api = {k: v for k, v in OVERDRAW.items() if k not in ("classification", "quantity", "value")}
    assert api_status(service, "/api/v1/shipments", {
        **api, "idempotency_key": f"api-{uuid.uuid4()}",
        "lines": [{"classification": "I(a)", "quantity": 301, "value": 301000}]}) == 409
    result = re.search(r'<div id="ship-result"[^>]*autofocus>(.*?)</form>', r.text, re.S)
    assert result and "Shipment refused" in result[1] and "exceed the remaining" in result[1]
    assert 'value="301"' in box(r.text, "quantity")  # what was typed stays


def test_a_shipment_without_a_licence_answers_422_at_the_licence(officer) -> None:
    r = ship(officer, **{**OVERDRAW, "licence_number": ""})
    assert r.status_code == 422, r.text[:300]
    said = under(r.text, "licence_number", "ship-licence_number-error")
    assert said.startswith("choose a licence, or give the licence exception")
    assert 'id="ship-result"' not in r.text  # one box at fault: said there, not twice


def test_one_box_at_fault_answers_422_with_the_message_there_only(officer) -> None:
    r = ship(officer, **{**OVERDRAW, "quantity": "-1"})
    assert r.status_code == 422, r.text[:300]
    assert "negative" in under(r.text, "quantity", "ship-quantity-error")
    assert 'id="ship-result"' not in r.text
    assert "aria-invalid" not in box(r.text, "value")


def test_several_boxes_at_fault_answer_422_with_the_summary_focused(officer) -> None:
    r = ship(officer, **{**OVERDRAW, "destination": "HKG", "quantity": "-1", "value": "abc"})
    assert r.status_code == 422, r.text[:300]
    for name in ("destination", "quantity", "value"):
        under(r.text, name, f"ship-{name}-error", focused=False)
    assert re.search(r'<div id="ship-result" class="ship-result" tabindex="-1" autofocus>',
                     r.text)
    assert "Quantity: quantity must not be negative" in html.unescape(r.text)


def test_a_shipment_that_goes_through_still_answers_200(service: Service, officer) -> None:
    h = service.auth("officer")
    assert service.client.post("/api/v1/licences", headers=h,
                               json=bis_licence("D-R28B-OK")).status_code == 201
    r = ship(officer, licence_number="D-R28B-OK", ship_date="2025-03-01", destination="IN",
             classification="3A001.a.2", quantity="1", value="100",
             consignee="Bharat Optics Ltd", end_user="Bharat Optics Ltd")
    assert r.status_code == 200 and "posted against D-R28B-OK" in r.text


# -- Reversals -----------------------------------------------------------------------------
@pytest.fixture
def posted(service: Service) -> str:
    """The key of a shipment posted through the API, to reverse."""
    h, number, key = service.auth("officer"), f"D-R28B-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    assert service.client.post("/api/v1/licences", headers=h,
                               json=bis_licence(number)).status_code == 201
    r = service.client.post("/api/v1/shipments", headers=h, json={
        "idempotency_key": key, "licence_number": number, "ship_date": "2025-03-01",
        "destination": "IN", "consignee": "Bharat Optics Ltd", "end_user": "Bharat Optics Ltd",
        "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": "100"}]})
    assert r.status_code == 201, r.text
    return key


def reverse(officer, key: str, **fields: str):
    return post(officer, "/licences/shipments/reverse", shipment_key=key,
                idempotency_key=f"ui-rev-{uuid.uuid4()}", **fields)


def test_a_reversal_without_a_reason_answers_409_at_the_reason(service: Service, officer,
                                                               posted: str) -> None:
    r = reverse(officer, posted, reason="   ", reference="credit note 7")
    assert r.status_code == 409, r.text[:300]
    assert service.client.post(f"/api/v1/shipments/{posted}/reversal",
                               headers=service.auth("officer"),
                               json={"idempotency_key": "api-r", "reason": "  "}
                               ).status_code == 409
    assert "give a reason" in under(r.text, "reason")
    assert 'value="credit note 7"' in box(r.text, "reference")
    assert r.headers["HX-Replace-Url"].endswith(f"key={posted}")


def test_a_reference_too_long_answers_422_at_its_box(officer, posted: str) -> None:
    r = reverse(officer, posted, reason="posted twice", reference="R" * 200)
    assert r.status_code == 422, r.text[:300]
    assert "128 characters" in under(r.text, "reference")
    assert "posted twice</textarea>" in r.text


def test_a_second_reversal_answers_409_and_the_first_200(officer, posted: str) -> None:
    first = reverse(officer, posted, reason="posted twice")
    assert first.status_code == 200 and "reversed" in first.text
    again = reverse(officer, posted, reason="posted twice")
    assert again.status_code == 409, again.text[:300]
    assert "Reversal refused" in again.text and "already reversed" in again.text


# -- Audit ---------------------------------------------------------------------------------
def test_an_audit_filter_date_it_cannot_take_answers_422_at_its_box(service: Service,
                                                                    officer) -> None:
    b, _ = officer
    r = b.get("/audit?kind=shipment&from=30000-01-01", headers=HTML)
    assert r.status_code == 422, r.text[:300]
    api = service.client.get("/api/v1/audit?from=30000-01-01", headers=service.auth("viewer"))
    assert api.status_code == 422
    # the picker shows the officer's own order, never YYYY-MM-DD: a year of 5 digits is said so
    assert ("from date 30000-01-01 is not a date: check the day, month and year in the box (a "
            "year has 4 digits)") in under(r.text, "from")
    assert 'value="shipment"' in box(r.text, "kind") and "aria-invalid" not in box(r.text, "to")
    r = b.get("/audit?to=2020-13-01", headers=HTML)
    assert r.status_code == 422 and "month must be in 1..12" in under(r.text, "to")
    ok = b.get("/audit?kind=shipment&from=2019-01-01", headers=HTML)
    assert ok.status_code == 200 and "aria-invalid" not in ok.text
