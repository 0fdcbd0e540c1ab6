"""The Check page's consignee and owners: screened like the end user, owners pasted as CSV lines,
and what the determination shows for them (the consignee, a hold's outcome if confirmed, the
ownership chain). Bad owners text is an error on the page naming line and field, form kept."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from exportcheck.errors import InvalidInput
from exportcheck.screen.ownership import Ownership
from tests.web.conftest import Service
from tests.web.test_api_accounts import browser, page_csrf, sign_in

#: on the bundled sample SDN list (entry 36, Cuba); the other names are on no list
LISTED_OWNER = "AEROCARIBBEAN AIRLINES"
HOLDING = "Caribe Holdings SA"
CONSIGNEE = "Harbour Trading Ltd"
#: the holding is 60% the listed airline's, so blocked itself, and owns 55% of the consignee
CHAIN = (f"owner,owned,percent,owner_country\n{LISTED_OWNER},{HOLDING},60,CU\n"
         f"{HOLDING},{CONSIGNEE},55,PA\n")


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    """A signed-in officer's browser session and its CSRF token."""
    b = browser(service)
    assert sign_in(b, "officer", service.password("officer")).status_code == 303
    yield b, page_csrf(b)
    b.close()


def check(officer: tuple[TestClient, str], **fields: str):
    b, token = officer
    form = {"item": "EAR99", "destination": "DE", "date": "2024-03-01", **fields}
    return b.post("/check", data={**form, "csrf_token": token})


def text_of(page: str, label: str) -> str:
    """The visible text of the element with ``aria-label=label`` (tags stripped, spaces folded)."""
    m = re.search(rf'<(\w+)[^>]*aria-label="{re.escape(label)}"[^>]*>(.*?)</\1>', page, re.S)
    assert m, f"no element labelled {label!r}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", m[2])).split())


def test_a_listed_consignee_holds_the_line_and_shows_the_outcome_if_confirmed(officer) -> None:
    r = check(officer, consignee="BANCO NACIONAL DE CUBA", compare="2025-06-01")
    assert r.status_code == 200
    for day in ("2024-03-01", "2025-06-01"):  # the consignee goes to both dates
        art = text_of(r.text, f"On {day}")
        assert "Consignee BANCO NACIONAL DE CUBA" in art
        assert "HOLD for review" in art
        assert "Potential match (consignee) BANCO NACIONAL DE CUBA ~ SDN 306" in art
        assert "If confirmed PROHIBITED OFAC: OFAC SDN: blocked" in art
        assert "31 CFR 515.201; 31 CFR 515.306 (CUBA)" in art  # the outcome if confirmed
    assert 'name="consignee" value="BANCO NACIONAL DE CUBA"' in r.text


def test_owners_make_an_unlisted_consignee_blocked_with_the_chain(officer) -> None:
    r = check(officer, consignee=CONSIGNEE, owners=CHAIN)
    assert r.status_code == 200
    art = text_of(r.text, "On 2024-03-01")
    assert "PROHIBITED" in art and "HOLD" not in art
    assert f"Screening hit {CONSIGNEE} ~ SDN 36 {LISTED_OWNER}" in art
    assert (f"Ownership chain: owned 55% by {HOLDING} [owned 60% by {LISTED_OWNER} "
            "(SDN entry 36) = 60%] = 55% ≥ 50%: blocked under OFAC's 50 Percent Rule") in art
    assert "79 FR 47726" in art  # the rule the chain rests on
    assert html.escape(CHAIN, quote=False).strip() in r.text  # the textarea keeps the owners


def test_owners_without_a_header_and_without_the_owners_consignee_are_explained(
        officer) -> None:
    lines = f"{LISTED_OWNER},{HOLDING},60,CU\n{HOLDING},Another Company Ltd,55\n"
    r = check(officer, consignee=CONSIGNEE, owners=lines)
    assert r.status_code == 200 and "NLR" in text_of(r.text, "On 2024-03-01")
    assert f"no owner line leads to '{CONSIGNEE}'" in html.unescape(r.text)
    r = check(officer, owners=lines)
    assert "owners were given but no end user or consignee" in r.text


@pytest.mark.parametrize(("owners", "message", "status"), [
    # the API's status for the same mistake (review 28b): its schema refuses a malformed
    # stake (422); an unknown country or over 100% in total are the engine's checks (400)
    (f"{LISTED_OWNER},{CONSIGNEE},sixty", "owners line 1: percent 'sixty' is not a number",
     422),
    (f"owner,owned,percent,owner_country\n\n{LISTED_OWNER},{CONSIGNEE},60,Narnia",
     "owners line 3: owner_country: unknown country 'Narnia'", 400),
    (f"{LISTED_OWNER},{CONSIGNEE}", "owners line 1: 2 field(s) where owner,owned,percent", 422),
    (f"{LISTED_OWNER},{CONSIGNEE},60\n,{CONSIGNEE},10", "owners line 2: owner is missing",
     422),
    (f"{LISTED_OWNER},{CONSIGNEE},60\n{HOLDING},{CONSIGNEE},50",
     f"owners '{CONSIGNEE}' is owned 110% in total", 400),
    ("owner,owned,share\nA,B,1", "owners line 1: header has unknown column(s) share", 422),
    # 0.6 meant as 60%: read as 0.6% the consignee would pass as not blocked
    (f"{LISTED_OWNER},{CONSIGNEE},0.6", "owners: every percent is at most 1 (0.6): write "
                                        "percentages, 60 for 60%", 400),
], ids=["percent", "country", "fields", "owner", "total", "header", "fraction"])
def test_bad_owners_are_an_error_naming_line_and_field_with_the_form_kept(
        officer, owners: str, message: str, status: int) -> None:
    r = check(officer, consignee=CONSIGNEE, end_user="Kowloon Parts Ltd", owners=owners)
    assert r.status_code == status
    page = html.unescape(r.text)
    # under the owners box, which it describes
    alert = re.search(r'<small id="owners-error" class="field-error">([^<]*)</small>', page)
    assert alert and message in alert[1], alert and alert[1]
    assert "On 2024-03-01" not in page  # no determination from a half-read graph
    assert f'name="consignee" value="{CONSIGNEE}"' in page
    assert 'name="end_user" value="Kowloon Parts Ltd"' in page
    assert 'name="item" required value="EAR99"' in page
    textarea = re.search(r'<textarea id="owners"[^>]*>(.*?)</textarea>', page, re.S)
    assert textarea and textarea[1] == owners
    assert 'aria-invalid="true"' in textarea[0]


def test_small_stakes_written_with_a_percent_sign_are_kept_through_the_form(officer) -> None:
    """The form's graph is the one decided on: rebuilt from the stakes' numbers, 0.6% lost its
    sign and was refused as a fraction."""
    r = check(officer, consignee=CONSIGNEE, owners=f"{LISTED_OWNER},{CONSIGNEE},0.6%,CU")
    assert r.status_code == 200, html.unescape(r.text)[-2000:]
    art = text_of(r.text, "On 2024-03-01")
    assert f"owned 0.6% by {LISTED_OWNER} (SDN entry 36) = 0.6% < 50%" in art


def test_from_text_reads_a_header_in_any_column_order() -> None:
    graph = Ownership.from_text(f'owned,percent,owner\n"{CONSIGNEE}, Inc.",51%,{HOLDING}\n')
    assert [(s.owner, s.owned, s.percent) for s in graph.stakes] == [
        (HOLDING, f"{CONSIGNEE}, Inc.", 51.0)]
    assert len(Ownership.from_text("owner,owned,percent\n")) == 0
    with pytest.raises(InvalidInput, match="line 2: 'a' owning 'b' is already on line 1"):
        Ownership.from_text("A,B,10\na,b,20")


def test_the_reasons_for_control_name_their_rules_and_citations(officer) -> None:
    r = check(officer, item="3A001.a.2", destination="IR", date="2024-06-01")
    art = text_of(r.text, "On 2024-06-01")
    assert ("Reasons for control EMBARGO 746.7 Iran (EAR) 15 CFR 746.7 "
            "EMBARGO OFAC Iran (ITSR) 31 CFR 560.204 Review policy") in art
    nlr = text_of(check(officer).text, "On 2024-03-01")
    assert "Reasons for control — Review policy" in nlr


def test_the_facts_an_exception_rests_on_are_given_on_the_check_page(officer) -> None:
    """ACA for 3A090.a to Vietnam needs the headquarters and the exporter's confirmation; the
    folded facts form opens again with what was typed, and a bad code is named."""
    line = {"item": "3A090.a", "destination": "VN", "date": "2024-06-15"}
    without = text_of(check(officer, **line).text, "On 2024-06-15")
    assert "LICENSE REQUIRED" in without and "headquarters not stated" in without
    assert ("Facts wanted Review policy Headquarters: if the end user or its ultimate parent is "
            "headquartered in Macau or Country Group D:5: presumption of denial") in without
    assert "NAC Headquarters: VN is not in Macau or Country Group D:5" in without
    assert ("ACA Headquarters: the end user and its ultimate parent are not headquartered in "
            "Macau or Country Group D:5") in without
    assert "ACA Conditions met: the exporter confirms: the item is not designed" in without
    assert "give --" not in without  # the engine's words name no command-line option
    # the folded facts form opens beside an answer that wants facts, and stays shut otherwise
    assert '<details class="wide exception-facts" open>' in check(officer, **line).text
    nlr = check(officer, item="EAR99", destination="DE", date="2024-06-15").text
    assert '<details class="wide exception-facts">' in nlr
    r = check(officer, **line, headquarters="vn", conditions_met="ACA")
    art = text_of(r.text, "On 2024-06-15")
    assert "EXCEPTION AVAILABLE" in art and "headquarters VN (as stated)" in art
    assert '<details class="wide exception-facts" open>' in r.text
    assert 'value="ACA"' in r.text
    bad = check(officer, **line, headquarters="XX")
    assert "unknown headquarters country &#39;XX&#39;" in bad.text
    late = check(officer, **line, nac_notified="2024-02-30")
    assert "NAC notified:" in html.unescape(late.text)
