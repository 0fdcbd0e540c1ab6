"""QA review 38, second part: the Check and Screen pages as an officer reads them (in-process;
the phone layout of the lists line is in ``test_review_38_browser.py``).

1. A potential match or a screening hit on the Check page named the alias it matched
   ("Huawei Marine ~ EL 6b411f9acda6 华为"), never the name the entry is listed under: the
   party-match record did not carry it. ``PartyMatch.listed_name`` and
   ``ScreeningHit.listed_name`` (new, optional) do, and the page shows "Listed as ...".
2. A hit an officer confirmed was named as confirmed only in the rule trace; its "Screening
   hit" line now says who confirmed it, when and why (``ScreeningHit.confirmed_by``).
3. An ITAR reason read "ITAR 22 CFR 126.1(d)(1) 22 CFR 126.1(d)(1)": the rule (the paragraph)
   and its citation are the same text. The rule is shown only when the citation does not
   already say it.
4. The Screen page's "Lists bis-dpl@ec65de3be905;csl@0b70..." meant nothing to an officer: each
   list is named, with the day of its file and of its load; the hash is in the tooltip.
5. A Han query's explanation said how the query was read; an Arabic-script, Cyrillic or
   Hangul one gave only token pairs. It now says how it was romanised.
6. ``POST /api/v1/screen`` did not mark a hit an officer had confirmed (the page did): a hit
   now carries ``confirmed_by``, as a cleared one carries ``suppressed_by``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf
from tests.web.test_ui_forms_review import HTML, client, post_check

HUAWEI = "Huawei Technologies Co., Ltd. (Huawei)"  # EL 6b411f9acda6 in the sample CSL
LINE = {"item": "EAR99", "destination": "CN", "date": "2024-01-15"}


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.139", "officer")
    yield b, page_csrf(b)
    b.close()


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split()).replace(
        "\u2068", "").replace("\u2069", "")


def _lines(page: str, term: str) -> list[str]:
    """The text of each <dd> whose <dt> starts with ``term`` on the Check page."""
    return [_text(m[1]) for m in re.finditer(
        rf"<dt>{re.escape(term)}[^<]*</dt>\s*<dd[^>]*>(.*?)</dd>", page, re.S)]


def _determine(service: Service, **line: str) -> dict:
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                            json={**LINE, **line})
    assert r.status_code == 200, r.text
    return r.json()


# -- 1. the listed name beside the alias matched ------------------------------------------------
def test_a_potential_match_names_the_entry_as_listed_in_the_api(service: Service) -> None:
    d = _determine(service, end_user="Huawei Marine")
    match = next(m for m in d["party_matches"] if m["entry_id"] == "6b411f9acda6")
    assert match["matched_name"] == "华为"  # the alias matched, as before
    assert match["listed_name"] == HUAWEI
    hit = next(h for h in d["screening_hits"] if h["entry_id"] == "6b411f9acda6")
    assert hit["listed_name"] == HUAWEI
    assert f"'华为' listed as '{HUAWEI}'" in d["if_confirmed"]["match"]


def test_the_check_page_shows_the_listed_name_of_a_potential_match_and_a_hit(officer) -> None:
    page = post_check(officer, **LINE, end_user="Huawei Marine")
    held = next(t for t in _lines(page, "Potential match") if "6b411f9acda6" in t)
    assert held.startswith("Huawei Marine ~ EL 6b411f9acda6 华为 (90, partial)"), held
    assert f"Listed as {HUAWEI} Review" in held, held
    hit = next(t for t in _lines(page, "Screening hit") if "6b411f9acda6" in t)
    assert hit == f"Huawei Marine ~ EL 6b411f9acda6 华为 (90) Listed as {HUAWEI}", hit


def test_a_hit_on_the_name_it_is_listed_under_does_not_repeat_it(officer) -> None:
    page = post_check(officer, **{**LINE, "destination": "HK"}, end_user="Chris Tang")
    (hit,) = _lines(page, "Screening hit")
    assert hit == "Chris Tang ~ SDN 29242 TANG, Chris (100)", hit


# -- 2. and 6. a confirmed hit says so at its line, and in the REST answer ------------------------
def test_a_confirmed_hit_is_said_confirmed_on_its_line_and_in_the_apis(service: Service,
                                                                      officer) -> None:
    b, token = officer
    party = {"name": "Tang Ping-keung", "country": "HK"}
    before = service.client.post("/api/v1/screen", headers=service.auth("officer"), json=party)
    assert before.status_code == 200
    (open_hit,) = [h for h in before.json()["hits"] if h["entry_id"] == "29242"]
    assert open_hit["confirmed_by"] is None  # undecided: nothing claims otherwise
    r = service.client.post("/api/v1/dispositions", headers=service.auth("officer"), json={
        "party": party["name"], "country": "HK", "list": "SDN", "entry_id": "29242",
        "reason": "HKID checked against the listing", "decision": "confirmed"})
    assert r.status_code == 201, r.text
    # the actor: the officer, through the token the REST call came with
    said = (r"confirmed by officer \(token:\d+\) on \d{4}-\d\d-\d\d: HKID checked against the "
            r"listing")

    after = service.client.post("/api/v1/screen", headers=service.auth("officer"), json=party)
    (hit,) = [h for h in after.json()["hits"] if h["entry_id"] == "29242"]
    assert re.fullmatch(said, hit["confirmed_by"]), hit["confirmed_by"]
    assert hit["suppressed_by"] is None  # a confirmed hit stays open
    batch = service.client.post("/api/v1/screen/batch", headers=service.auth("officer"),
                                json={"queries": [party, {"name": party["name"]}]})
    first, other = batch.json()["results"]
    assert re.fullmatch(said, first["hits"][0]["confirmed_by"])
    # bound to the party's identity: the name without its country is not the party confirmed
    assert all(h["confirmed_by"] is None for h in other["hits"])

    d = _determine(service, destination="HK", end_user=party["name"])
    (sdn,) = [h for h in d["screening_hits"] if h["entry_id"] == "29242"]
    assert re.fullmatch(said, sdn["confirmed_by"]), sdn
    page = post_check((b, token), **{**LINE, "destination": "HK"}, end_user=party["name"])
    (line,) = _lines(page, "Screening hit")
    assert re.fullmatch(r"Tang Ping-keung ~ SDN 29242 \S+ .*\(\d+\) Listed as TANG, Chris "
                        r"C" + said[1:], line), line


# -- 3. a rule its citation already says is shown once ------------------------------------------
@pytest.mark.parametrize(("line", "shown"), [
    ({"item": "USML:XI", "destination": "CN"}, ["ITAR 22 CFR 126.1(d)(1)"]),
    ({"item": "USML:XI", "destination": "GB"}, ["ITAR 22 CFR 123.1"]),
    # an EAR row whose rule the citation does not say keeps it
    ({"item": "3A001.a.2", "destination": "CN"},
     ["NS2 3A001 NS 15 CFR 774 Supp. 1, ECCN 3A001; 15 CFR 738 Supp. 1"]),
], ids=["itar-126.1", "itar-123.1", "ear-chart"])
def test_a_reason_for_control_does_not_repeat_its_citation(officer, line, shown) -> None:
    page = post_check(officer, **{**LINE, **line})
    (reasons,) = _lines(page, "Reasons for control")
    assert [_text(r) for r in re.findall(r'<div class="requirement">(.*?)</div>',
                                         page, re.S)] == shown, reasons


# -- 4. the lists by name and date ---------------------------------------------------------------
def test_the_screen_page_names_each_list_with_its_dates_and_no_bare_hash(officer) -> None:
    b, token = officer
    r = b.post("/screen", headers=HTML, data={"name": "Chris Tang", "csrf_token": token})
    assert r.status_code == 200
    m = re.search(r'<div class="lists-version"[^>]*>(.*?)</div>', r.text, re.S)
    assert m, "no lists line"
    said = " ".join(html.unescape(re.sub(r"<(?!/li)[^>]+>", "", m[1]).replace("</li>", " "))
                    .split())
    day = r"\d{4}-\d\d-\d\d"
    for name in ("OFAC SDN list", "Consolidated Screening List (trade.gov)",
                 "BIS Denied Persons List", "UN Security Council Consolidated List"):
        assert re.search(rf"{re.escape(name)} \(file of {day}, loaded {day}\)", said), said
    assert "@" not in said and not re.search(r"\b[0-9a-f]{12}\b", said), said  # no hash shown
    # ... but at hand for a support call, in the tooltip of each list
    assert re.search(r'<li title="ofac-sdn@[0-9a-f]{12}, version #\d+">OFAC SDN list', m[1])


# -- 5. how a query in another script was read ---------------------------------------------------
@pytest.mark.parametrize(("query", "entry_id", "read"), [
    # SDN 17037 ZEAITER, Ali; SDN 35096 PUTIN, Vladimir; UN KPi.024 KIM YONG CHOL
    ("علي زعيتر", "17037", "query read as Arabic script, romanised as lists spell it (short "
                           "vowels guessed: compared by consonants): ali zitar"),
    ("Владимир Путин", "35096", "query read as Cyrillic, romanised as lists spell it: vladimir "
                                "putin"),
    ("김영철", "KPi.024", "query read as Korean (Hangul), romanised as lists spell it: kim "
                         "yongchol"),
], ids=["arabic", "cyrillic", "hangul"])
def test_a_query_in_another_script_says_how_it_was_read(service: Service, officer, query,
                                                        entry_id, read) -> None:
    r = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                            json={"name": query})
    (hit,) = [h for h in r.json()["hits"] if h["entry_id"] == entry_id]
    assert read in hit["explanation"], hit["explanation"]
    b, token = officer
    page = b.post("/screen", headers=HTML, data={"name": query, "csrf_token": token}).text
    assert read in _text(page)
