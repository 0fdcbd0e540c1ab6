"""QA review 38: the Screen and Check pages as a compliance officer uses them (in-process; the
browser check is in ``test_review_38_browser.py``).

1. A hit showed the alias it matched (华为技术有限公司) and a list code, but not the entry as
   listed: not the name it is listed under (Huawei Technologies Co., Ltd.), nor its country,
   kind, date of birth, identifiers or Federal Register notices - what an officer compares with
   the party's documents before clearing ("different date of birth", the reason box suggests)
   or confirming. The page now shows them under each hit.
2. A hit an officer had confirmed came back on the next screen of the party as undecided:
   nothing said it had been confirmed, by whom or why. It now says so at the hit.
3. A party name the screener refuses ("LLC": only a legal form) was reported at the top of the
   Check page without saying whose name it was (end user or consignee), and at the top of the
   Screen page with no box marked. It is now under the box at fault, marked and focused; the
   REST API names ``body.end_user``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf
from tests.web.test_ui_forms_review import HTML, client, post_check, under_box


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.138", "officer")
    yield b, page_csrf(b)
    b.close()


def _hit(page: str, list_code: str, entry_id: str) -> str:
    """The text of one hit's article, tags dropped and spaces folded."""
    m = re.search(rf'<article class="hit" id="hit-{list_code}-{entry_id}">(.*?)</article>',
                  page, re.S)
    assert m, f"no hit {list_code} {entry_id} on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m[1])).split())


def _screen(b: TestClient, token: str, **form: str) -> str:
    r = b.post("/screen", headers=HTML, data={**form, "csrf_token": token})
    assert r.status_code == 200, r.text[:300]
    return r.text


# -- 1. the entry as listed, under each hit -----------------------------------------------------
def test_a_han_alias_hit_shows_the_name_the_entry_is_listed_under_and_its_notices(
        officer) -> None:
    page = _screen(*officer, name="华为技术有限公司")
    entry = re.search(r'id="hit-(EL-[0-9a-f]+)"', page)
    assert entry, "no Entity List hit"
    text = _hit(page, *entry[1].split("-", 1))
    assert "华为技术有限公司" in text  # the alias matched, as before
    assert re.search(r"Listed as \u2068?Huawei Technologies Co\., Ltd\.", text), text
    assert "Country CN" in text or "Country HK, CN" in text, text
    assert re.search(r"Federal Register 84 FR 22963", text), text  # the listing's rule


def test_a_person_hit_shows_the_entrys_date_of_birth_and_identifiers(officer) -> None:
    text = _hit(_screen(*officer, name="鄧炳強", country="HK"), "SDN", "29242")
    # SDN 29242 TANG, Chris (alias TANG, Ping-keung): DOB 04 Jul 1965 in sdn.csv's remarks
    assert re.search(r"Listed as \u2068?TANG, Chris", text), text
    assert "Kind person" in text and "Country HK" in text
    assert "Date of birth 1965-07-04" in text, text
    assert re.search(r"Identifiers \S+", text), text


# -- 2. a confirmed hit says so on the next screen -----------------------------------------------
def test_a_confirmed_hit_says_who_confirmed_it_when_the_party_is_screened_again(
        officer) -> None:
    b, token = officer
    before = _hit(_screen(b, token, name="Chris Tang", country="HK"), "SDN", "29242")
    assert "Confirmed:" not in before  # not decided yet: nothing claims it is
    r = b.post("/screen/disposition", headers=HTML, data={
        "party": "Chris Tang", "country": "HK", "list": "SDN", "entry_id": "29242",
        "reason": "HKID checked: the Commissioner of Police", "decision": "confirmed",
        "csrf_token": token})
    assert r.status_code == 200 and "confirmed SDN 29242" in html.unescape(r.text)
    again = _hit(_screen(b, token, name="Chris Tang", country="HK"), "SDN", "29242")
    assert re.search(r"Confirmed: \u2068?Chris Tang\u2069? is this listed party \(officer, "
                     r"\d{4}-\d\d-\d\d: HKID checked: the Commissioner of Police\)", again), again
    # bound to the party's identity: the same name screened without the country is not it
    other = _hit(_screen(b, token, name="Chris Tang"), "SDN", "29242")
    assert "Confirmed:" not in other


# -- 3. a refused party name under its box ------------------------------------------------------
@pytest.mark.parametrize("role", ["end_user", "consignee"])
def test_a_party_name_the_screener_refuses_is_under_that_partys_box(officer, role) -> None:
    page = post_check(officer, 400, **{role: "LLC"})  # the API's status
    box, said = under_box(page, role)
    noun = role.replace("_", " ")
    assert said.startswith(f"{noun} name 'LLC' is only a legal form"), said
    assert 'aria-invalid="true"' in box and box.rstrip(">").endswith("autofocus")
    assert page.count('aria-invalid="true"') == 1
    assert 'role="alert" id="form-error"' not in page  # not at the top, unowned
    assert 'value="LLC"' in page  # what was typed is kept


def test_the_api_names_the_party_field_of_a_refused_name(service: Service) -> None:
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"), json={
        "item": "EAR99", "destination": "HK", "date": "2024-01-15", "end_user": "Acme",
        "consignee": "GmbH"})
    assert r.status_code == 400, r.text
    assert r.json()["errors"] == [{"field": "body.consignee", "message": (
        "consignee name 'GmbH' is only a legal form: give the party's own name (a screen of "
        "it finds nobody, which would read as no hit)")}]


def test_a_name_the_screener_refuses_is_under_the_screen_pages_name_box(officer) -> None:
    b, token = officer
    r = b.post("/screen", headers=HTML, data={"name": "LLC", "csrf_token": token})
    assert r.status_code == 400  # as the API answers
    box, said = under_box(r.text.replace(' role="alert">', ">"), "name")
    assert said.startswith("name 'LLC' is only a legal form"), said
    assert 'aria-invalid="true"' in box and box.rstrip(">").endswith("autofocus")
    assert "<strong>Error:</strong>" not in r.text  # not also at the top
