"""QA review of the Licences, licence and Screen pages: a shipment's result shown at its form,
a reload that is not a 405, the form's idempotency key, references, what a viewer is offered,
the licence header's date, amounts with cents, the licence chosen for a new shipment, and a
disposition's blank reason reported at its hit."""

from __future__ import annotations

import datetime as dt
import html
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.web.api_helpers import bis_licence
from tests.web.conftest import Service
from tests.web.test_api_accounts import browser, page_csrf, sign_in

HTML = {"Accept": "text/html"}


@pytest.fixture
def officer(service: Service):
    b = browser(service, "203.0.113.81")
    assert sign_in(b, "officer", service.password("officer")).status_code == 303
    yield b
    b.close()


def _ship_form(b: TestClient, **fields: str) -> dict[str, str]:
    """The Licences page's shipment form as rendered (its hidden fields), filled in."""
    page = b.get("/licences", headers=HTML).text
    form = re.search(r'<form method="post" action="/licences/ship".*?</form>', page, re.S)
    assert form, "no shipment form"
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', form[0]))
    return hidden | {"ship_date": "2025-03-01", "destination": "IN",
                     "classification": "3A001.a.2", "quantity": "1", "value": "100",
                     "consignee": "Bharat Optics Ltd", "end_user": "Bharat Optics Ltd"} | fields


def _shipped(service: Service, number: str) -> Decimal:
    lic = service.client.get(f"/api/v1/licences/{number}", headers=service.auth("viewer"))
    return Decimal(lic.json()["lines"][0]["shipped_value"])


def _ship_section(page: str) -> str:
    """The 'Post a shipment' article, from its heading to its form."""
    m = re.search(r'<article id="ship"[^>]*>\s*<h2>Post a shipment</h2>(.*?)<form ', page, re.S)
    assert m, "no shipment article"
    return m[1]


def _add(service: Service, number: str, **kw) -> None:
    r = service.client.post("/api/v1/licences", headers=service.auth("officer"),
                            json=bis_licence(number, **kw))
    assert r.status_code == 201, r.text


# -- 1 ---------------------------------------------------------------------------------------
def test_a_shipments_result_is_shown_at_its_form(service: Service, officer: TestClient) -> None:
    """The refusal and the success were rendered at the top, 1,500 px above the form."""
    _add(service, "D-R18-AT", quantity=10, value="1000.00")
    r = officer.post("/licences/ship", headers=HTML, data=_ship_form(
        officer, licence_number="D-R18-AT", quantity="11", value="1100"))
    at_form = _ship_section(r.text)
    assert 'id="ship-result"' in at_form and "autofocus" in at_form
    assert "Shipment refused" in at_form and "Rule:" in at_form
    assert r.text.count("Shipment refused") == 1  # not at the top as well
    r = officer.post("/licences/ship", headers=HTML, data=_ship_form(
        officer, licence_number="D-R18-AT", quantity="1", value="100"))
    at_form = _ship_section(r.text)
    assert re.search(r'role="status">shipment #\d+ posted against D-R18-AT', at_form)
    assert r.text.count("posted against D-R18-AT") == 1


# -- 2 ---------------------------------------------------------------------------------------
def test_a_reload_after_posting_is_not_a_405(service: Service, officer: TestClient) -> None:
    """The tab's address was /licences/ship: a reload sent GET there."""
    r = officer.get("/licences/ship", headers=HTML)
    assert r.status_code == 303 and r.headers["location"] == "/licences#ship"
    _add(service, "D-R18-RELOAD")
    posted = officer.post("/licences/ship", headers=HTML,
                          data=_ship_form(officer, licence_number="D-R18-RELOAD"))
    assert posted.status_code == 200
    # htmx puts this in the address bar: a reload shows the page at the form
    assert posted.headers["HX-Replace-Url"] == "/licences#ship"
    refused = officer.post("/licences/ship", headers=HTML, data=_ship_form(
        officer, licence_number="D-R18-RELOAD", destination="QQ"))
    assert refused.headers["HX-Replace-Url"] == "/licences#ship"
    # the same for a disposition form's address, and a reversal's
    r = officer.get("/screen/disposition", headers=HTML)
    assert r.status_code == 303 and r.headers["location"] == "/screen"
    r = officer.get("/licences/shipments/reverse", headers=HTML)
    assert r.status_code == 303 and r.headers["location"] == "/licences"


# -- 3 ---------------------------------------------------------------------------------------
def test_the_same_shipment_form_posted_twice_draws_once(service: Service,
                                                        officer: TestClient) -> None:
    _add(service, "D-R18-TWICE")
    form = _ship_form(officer, licence_number="D-R18-TWICE", value="250")
    assert form["idempotency_key"].startswith("ui-")
    assert _ship_form(officer)["idempotency_key"] != form["idempotency_key"]  # fresh per page
    first = officer.post("/licences/ship", headers=HTML, data=form)
    assert "posted against D-R18-TWICE" in first.text
    again = officer.post("/licences/ship", headers=HTML, data=form)
    assert "this form was already posted as shipment" in again.text
    assert "nothing drawn twice" in again.text
    assert _shipped(service, "D-R18-TWICE") == Decimal("250")
    # a form refused for a mistake keeps its key: the corrected form sent twice draws once
    bad = form | {"idempotency_key": "ui-r18-fixed", "destination": "QQ"}
    r = officer.post("/licences/ship", headers=HTML, data=bad)
    assert 'name="idempotency_key" value="ui-r18-fixed"' in r.text
    fixed = bad | {"destination": "IN"}
    for _ in range(2):
        officer.post("/licences/ship", headers=HTML, data=fixed)
    assert _shipped(service, "D-R18-TWICE") == Decimal("500")


def test_references_are_listed_and_a_reused_one_is_warned_about(service: Service,
                                                                officer: TestClient) -> None:
    _add(service, "D-R18-REF")
    first = officer.post("/licences/ship", headers=HTML, data=_ship_form(
        officer, licence_number="D-R18-REF", reference="INV-7"))
    assert "Warning" not in _ship_section(first.text)
    first_id = re.search(r"shipment #(\d+) posted", first.text)[1]
    second = officer.post("/licences/ship", headers=HTML, data=_ship_form(
        officer, licence_number="D-R18-REF", reference="INV-7", ship_date="2025-04-02"))
    at_form = html.unescape(_ship_section(second.text))
    assert "posted against D-R18-REF" in at_form  # accepted: two invoices may share one
    assert (f"reference INV-7 was already used on D-R18-REF: shipment #{first_id} of "
            "2025-03-01") in at_form
    assert _shipped(service, "D-R18-REF") == Decimal("200")
    # the reference is a column of both shipments tables
    for url in ("/licences?licence=D-R18-REF", "/licences/view?number=D-R18-REF&agency=BIS"):
        page = officer.get(url, headers=HTML).text
        table = re.search(r'<table class="striped shipments">.*?</table>', page, re.S)[0]
        assert '<th scope="col">Reference</th>' in table
        assert table.count("<td>INV-7</td>") == 2, url
    # another reference, or another licence, warns of nothing
    other = officer.post("/licences/ship", headers=HTML, data=_ship_form(
        officer, licence_number="D-R18-REF", reference="INV-8"))
    assert "already used" not in other.text


# -- 4 ---------------------------------------------------------------------------------------
def test_a_viewer_is_not_offered_the_shipment_form(service: Service,
                                                   officer: TestClient) -> None:
    """A viewer filled it in, then got 'Not allowed' and lost the input."""
    v = browser(service, "203.0.113.82")
    assert sign_in(v, "viewer", service.password("viewer")).status_code == 303
    page = v.get("/licences", headers=HTML).text
    assert "<h2>Shipments</h2>" in page  # the page itself is a viewer's
    assert "Post a shipment" not in page and "/licences/ship" not in page
    assert 'method="post"' not in page.split("</header>", 1)[1]  # but Sign out, no form
    v.close()
    assert "Post a shipment" in officer.get("/licences", headers=HTML).text


# -- 5 ---------------------------------------------------------------------------------------
def test_the_licence_header_dates_its_status_from_its_effective_date(
        service: Service, officer: TestClient) -> None:
    """It read "approved on <today>" while the history said approved effective 2024-01-01."""
    _add(service, "D-R18-HDR")
    lic = service.client.get("/api/v1/licences/D-R18-HDR", headers=service.auth("viewer")).json()
    effective = next(h["effective"] for h in lic["history"] if h["status"] == "approved")
    page = officer.get("/licences/view?number=D-R18-HDR&agency=BIS", headers=HTML).text
    lead = re.sub(r"\s+", " ", re.search(r'<p class="lead">(.*?)</p>', page, re.S)[1])
    assert f"approved</span> since {effective}" in lead
    assert f"</span> on {dt.date.today().isoformat()}" not in lead
    assert lead.startswith("BIS to IN")  # not "BIS BIS"


# -- 6 ---------------------------------------------------------------------------------------
def test_licence_rows_name_the_agency_once_and_show_cents(service: Service,
                                                          officer: TestClient) -> None:
    _add(service, "D-R18-CENTS", value="262500.50")
    page = officer.get("/licences", headers=HTML).text
    row = re.search(r"<tr>\s*<td[^>]*><a[^>]*><strong>D-R18-CENTS</strong>.*?</tr>", page, re.S)[0]
    assert "<small>BIS</small>" in row and "BIS BIS" not in row
    assert "$262,500.50 approved" in row and "$0 shipped" in row


def test_a_new_shipment_form_chooses_a_licence_valid_today(service: Service,
                                                            officer: TestClient) -> None:
    """It chose the first licence listed, which had expired."""
    expired = bis_licence("A-R18-EXPIRED")  # listed first: BIS before DDTC, "A" before "D"
    expired |= {"valid_from": "2015-01-01", "valid_to": "2016-12-31"}
    r = service.client.post("/api/v1/licences", headers=service.auth("officer"), json=expired)
    assert r.status_code == 201, r.text
    _add(service, "D-R18-VALID")
    report = service.client.get("/api/v1/ledger/report", headers=service.auth("viewer")).json()
    usable = [r["number"] for r in report["rows"] if r["status"] in ("approved", "reinstated")]
    assert report["rows"][0]["number"] == "A-R18-EXPIRED" and "D-R18-VALID" in usable
    page = officer.get("/licences", headers=HTML).text
    select = re.search(r'<select id="licence_number".*?</select>', page, re.S)[0]
    assert re.findall(r'<option value="([^"]*)" selected', select) == [usable[0]]


# -- 7 ---------------------------------------------------------------------------------------
def _disposition_form(b: TestClient, name: str, country: str = "") -> tuple[str, dict]:
    """The first hit's anchor and its disposition form's hidden fields, screening ``name``."""
    page = b.post("/screen", headers=HTML, data={"csrf_token": page_csrf(b), "name": name,
                                                 "country": country}).text
    m = re.search(r'<form method="post" action="/screen/disposition#([^"]+)">(.*?)</form>',
                  page, re.S)
    assert m, "no disposition form"
    return m[1], dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"',
                                 m[2]))


def _hit(page: str, anchor: str) -> str:
    m = re.search(rf'<article class="hit" id="{anchor}">.*?</article>', page, re.S)
    assert m, f"no hit {anchor}"
    return m[0]


def test_a_blank_disposition_reason_is_named_at_its_hit(officer: TestClient) -> None:
    """"Reason: String should have at least 1 character" appeared at the top of the page."""
    anchor, form = _disposition_form(officer, "Carrie Lam")
    assert anchor == f"hit-{form['list']}-{form['entry_id']}"
    r = officer.post("/screen/disposition", headers=HTML,
                     data=form | {"reason": "   ", "decision": "cleared"})
    assert r.status_code == 422  # refused: the API's status for a blank reason (review 28b)
    assert "String should" not in r.text and 'role="alert"' not in r.text.split("<section")[0]
    hit = _hit(r.text, anchor)
    assert (f'<small id="{anchor}-reason-error" class="field-error">give a reason for the '
            "decision</small>") in hit
    box = re.search(r'<input name="reason"[^>]*>', hit)[0]
    assert 'value="   "' in box and 'aria-invalid="true"' in box and "autofocus" in box
    assert r.headers["HX-Replace-Url"] == "/screen?name=Carrie+Lam"
    long = "x" * 2001
    r = officer.post("/screen/disposition", headers=HTML,
                     data=form | {"reason": long, "decision": "cleared"})
    hit = _hit(r.text, anchor)
    assert "the reason is 2,001 characters long: keep it to 2,000" in hit
    assert f'value="{long}"' in hit


def test_a_recorded_disposition_is_confirmed_at_its_hit(officer: TestClient) -> None:
    """A confirmed hit stays listed: the answer is shown there, where the officer is."""
    anchor, form = _disposition_form(officer, "Carrie Lam", "HK")
    r = officer.post("/screen/disposition", headers=HTML, data=form | {
        "reason": "passport matches the listing", "decision": "confirmed"})
    hit = _hit(r.text, anchor)
    assert re.search(r'<p class="notice ok" role="status" tabindex="-1" autofocus>confirmed '
                     rf"{form['list']} {form['entry_id']}", hit)
