"""QA review 24 of the browser UI, in-process (the browser checks are in
``test_review_24_browser.py``).

1. The shipment form marked none of its boxes in error: one sentence at the top named them
   ("Destination: ...; Quantity: ...; Value: Input should be a valid decimal"), in pydantic's
   words for a number, and a screen reader heard no box at fault. Each box at fault is now
   ``aria-invalid``, described by its message under it, in plain words.
2. A held line's answer: both outcomes (if cleared, if confirmed) in the hold, a link to the
   Screen page for the party, and, after a disposition cleared the match, the line says so
   above the trace.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Service
from tests.web.test_ui_forms_review import HTML, client

SHIP = {"licence_number": "DSP5-HK-2019-001", "ship_date": "2020-05-01", "destination": "HKG",
        "classification": "I(a)", "quantity": "-1", "value": "abc",
        "consignee": "Hong Kong Police Force", "end_user": "Hong Kong Police Force"}


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    from tests.web.test_api_accounts import page_csrf

    b = client(service, "203.0.113.124", "officer")
    yield b, page_csrf(b)
    b.close()


def box(page: str, name: str) -> str:
    """The opening tag of the form control named ``name``."""
    m = re.search(rf'<(?:input|select|textarea)[^>]*\bname="{name}"[^>]*>', page)
    assert m, f"no box {name!r}"
    return m[0]


def test_shipment_form_marks_each_box_at_fault_in_plain_words(officer) -> None:
    b, token = officer
    r = b.post("/licences/ship", headers=HTML, data={**SHIP, "csrf_token": token})
    assert r.status_code == 422, r.text[:300]  # refused: the API's status (review 28b)
    page = r.text
    for name, words in (("destination", "ISO 3166 alpha-2"),
                        ("quantity", "negative"), ("value", "value is not a number: abc")):
        tag = box(page, name)
        assert 'aria-invalid="true"' in tag, tag
        assert f'aria-describedby="ship-{name}-error"' in tag, tag
        m = re.search(rf'<small id="ship-{name}-error" class="field-error">([^<]*)</small>',
                      page)
        assert m and words in html.unescape(m[1]), (name, m and m[1])
    # the boxes that were right are not marked, and what was typed stays
    assert "aria-invalid" not in box(page, "consignee")
    assert 'value="Hong Kong Police Force"' in box(page, "end_user")
    # the summary at the form names them too, with no library words
    assert "Input should" not in page and "valid decimal" not in page
    assert "Quantity: quantity must not be negative" in html.unescape(page)


def test_held_line_shows_both_answers_and_where_to_resolve_it(officer) -> None:
    b, token = officer
    line = {"item": "EAR99", "destination": "DE", "date": "2024-03-01",
            "end_user": "Carrie Lam", "csrf_token": token}
    page = html.unescape(b.post("/check", headers=HTML, data=line).text)
    hold = re.search(r'<div class="notice error hold" role="alert">(.*?)</div>', page, re.S)
    assert hold, "no hold block"
    text = " ".join(re.sub(r"<[^>]+>", " ", hold[1]).split())
    assert "HOLD for review: do not ship yet" in text
    assert "if cleared: NLR" in text and "if confirmed: PROHIBITED" in text
    # the held line links to the party's screen, as the line screened it, in a new tab
    link = re.search(r'<a class="review-match" href="([^"]+)" target="_blank"', page)
    assert link and link[1] == "/screen?name=Carrie+Lam&country=DE", link
    # once for the party, however many of its matches are held (Huawei on two EL entries):
    # one Screen page resolves them all
    two = html.unescape(b.post("/check", headers=HTML, data={**line, "end_user": "Huawei"}).text)
    assert two.count("Potential match (end user)") == 2
    assert two.count('class="review-match"') == 1, two.count('class="review-match"')

    r = b.post("/screen/disposition", headers=HTML, data={
        "party": "Carrie Lam", "country": "DE", "list": "SDN", "entry_id": "29249",
        "reason": "not her: born 1990, passport checked", "decision": "cleared",
        "csrf_token": token})
    assert r.status_code == 200 and "cleared SDN 29249" in html.unescape(r.text), r.text[:500]
    after = html.unescape(b.post("/check", headers=HTML, data=line).text)
    assert 'class="notice error hold"' not in after
    cleared = re.search(r'<dt>Match cleared \(end user\)</dt><dd class="cleared-match">([^<]*)',
                        after)
    assert cleared and "not her: born 1990, passport checked" in cleared[1], cleared


def test_impact_dates_at_fault_are_marked_at_their_boxes(officer: tuple[TestClient, str]
                                                         ) -> None:
    """The Impact page gave a date error at the top only: the boxes were not aria-invalid and
    the focus stayed on the page."""
    b, token = officer
    page = b.post("/impact", headers={**HTML, "X-CSRF-Token": token},
                  data={"from_date": "2021-01-15", "to_date": "2020-06-29",
                        "portfolio": "sample"}).text
    to = box(page, "to_date")
    assert 'aria-invalid="true"' in to and 'aria-describedby="to_date-error"' in to
    assert "autofocus" in to and 'aria-invalid' not in box(page, "from_date")
    assert re.search(r'id="to_date-error"[^>]*>From \(old rules\) 2021-01-15 is after', page)
    page = b.post("/impact", headers={**HTML, "X-CSRF-Token": token},
                  data={"from_date": "15/01/2021", "to_date": "", "portfolio": "sample"}).text
    assert 'aria-invalid="true"' in box(page, "from_date")
    assert 'aria-invalid="true"' in box(page, "to_date")
    assert "From (old rules): give a date as YYYY-MM-DD" in html.unescape(page)


def test_the_answer_names_the_parties_it_was_decided_for(officer: tuple[TestClient, str]
                                                         ) -> None:
    """The Check result named the consignee but not the end user (unless it had a hit)."""
    from exportcheck import determine

    d = determine("EAR99", "DE", "2025-01-15", end_user="Acme GmbH", consignee="Spedition AG")
    assert (d.end_user, d.consignee) == ("Acme GmbH", "Spedition AG")
    b, token = officer
    page = b.post("/check", headers={**HTML, "X-CSRF-Token": token},
                  data={"item": "EAR99", "destination": "DE", "date": "2025-01-15",
                        "end_user_type": "civil", "end_user": "Acme GmbH"}).text
    assert re.search(r"<dt>End user</dt><dd>[^<]*Acme GmbH", page)
