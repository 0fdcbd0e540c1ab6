"""QA review 34: the web UI as a compliance officer uses it, on a phone (390 px) and a laptop.

1. Impact: the list releases were two multiple selects; a select's options never wrap, so at
   390 px every release ("ofac-sdn #5 (active): 110 entries, file of ...") was cut off at the
   right edge, and Ctrl-click is no gesture a phone has. Now a box a release, whose label wraps.
2. Check: the officer clicks Check at the foot of a long form; the browser's scroll anchoring
   kept the page's foot in view, so the answer showed the end of its rule trace, the outcome
   and its date some 5,000 px above. Now the answer takes the focus and shows from its top.
3. A held line read "if cleared: LICENSE REQUIRED, if confirmed: PROHIBITED" above "Agency:
   BIS": the prohibition is OFAC's, not BIS's. Each outcome now names its authority.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.browser import review_shot
from tests.web.conftest import Service
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_ui_forms_review import HTML, client

PHONE = (390, 844)
WIDTHS = [((1280, 800), ""), (PHONE, "_phone")]
#: a held line: 林鄭月娥 may be SDN 29249 (LAM CHENG, Yuet-ngor), the item needs a BIS licence
HELD = {"Item": "3A001.a.2", "Destination": "HK", "Date of export": "2021-03-01",
        "End user (screened)": "林鄭月娥"}


def _inside_the_window(page, selector: str) -> bool:
    """Every element ``selector`` within the window's width, its text not clipped."""
    return page.evaluate("""s => [...document.querySelectorAll(s)].every(e => {
        const r = e.getBoundingClientRect();
        return r.left >= 0 && r.right <= document.documentElement.clientWidth
               && e.scrollWidth <= e.clientWidth + 1; })""", selector)


# -- 1. Impact: the list releases on a phone --------------------------------------------------
@pytest.mark.browser
def test_each_list_release_reads_whole_on_a_phone_and_runs(browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "r34_impact_releases_phone",
                   viewport=PHONE) as page:
        page.goto(f"{server}/impact")
        old = page.get_by_role("group", name="Old list releases (optional)")
        new = page.get_by_role("group", name="New list releases (optional)")
        sdn_old = old.get_by_role("checkbox", name=re.compile(r"^ofac-sdn #\d+ \(active\)"))
        sdn_new = new.get_by_role("checkbox", name=re.compile(r"^ofac-sdn #\d+ \(active\)"))
        # each release's label, up to its load date, inside the window and not clipped
        label = sdn_old.locator("xpath=..")
        assert re.search(r"entries, file of \d{4}-\d\d-\d\d, loaded \d{4}-\d\d-\d\d$",
                         " ".join(label.inner_text().split()))
        assert _inside_the_window(page, "fieldset.releases label")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        review_shot(page, "r34_impact_releases_phone")
        # a tap ticks a release (no Ctrl-click); the run takes one release a side
        page.get_by_label("From (old rules)").fill("2020-06-29")
        page.get_by_label("To (new rules)").fill("2020-12-24")
        sdn_old.check()
        sdn_new.check()
        page.get_by_role("button", name="Run").click()
        page.wait_for_url(re.compile(r"/impact/\d+$"), timeout=120_000)
        heading = page.get_by_role("heading", level=1).inner_text()
        assert "2020-06-29 → 2020-12-24" in heading, heading


def test_the_impact_form_keeps_the_ticked_releases_when_refused(
        service: Service, officer: tuple[TestClient, str]) -> None:
    """A refused run (releases ticked on the old side only) comes back with the boxes ticked
    as sent, the first box marked and focused, the message naming the problem."""
    from exportcheck.db import get_engine
    from exportcheck.screen import store

    b, token = officer
    versions = store.list_versions(get_engine(service.database_url))
    sdn = next(v.id for v in versions if v.source == "ofac-sdn")
    dpl = next(v.id for v in versions if v.source == "bis-dpl")
    r = b.post("/impact", headers=HTML, data={
        "csrf_token": token, "from_date": "2020-06-29", "to_date": "2020-12-24",
        "portfolio": "sample", "from_lists": [str(sdn), str(dpl)]})
    assert r.status_code == 400, r.text[:300]
    page = html.unescape(r.text)
    boxes = re.findall(r'<input type="checkbox" name="(\w+)" value="(\d+)"([^>]*)>', page)
    ticked = {(side, int(v)) for side, v, rest in boxes if " checked" in rest}
    assert ticked == {("from_lists", sdn), ("from_lists", dpl)}
    first = boxes[0][2]
    assert 'aria-invalid="true"' in first and "autofocus" in first and "lists-error" in first
    assert sum("autofocus" in rest for *_, rest in boxes) == 1
    assert re.search(r'id="lists-error"[^>]*>choose both list releases \(old and new\)', page)


# -- 2. Check: the answer in view from its top -------------------------------------------------
def _check(page, server: str) -> None:  # noqa: F811
    page.goto(f"{server}/check")
    for label, value in HELD.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Check", exact=True).click()
    page.get_by_role("article", name="On 2021-03-01").wait_for()


@pytest.mark.browser
@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_the_answer_shows_from_its_date_and_outcome_not_its_last_rule(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    name = f"r34_check_answer{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport) as page:
        _check(page, server)
        article = page.get_by_role("article", name="On 2021-03-01")
        top = article.evaluate("e => e.getBoundingClientRect().top")
        assert 0 <= top < 50, f"the answer starts {top:.0f} px from the window's top"
        hold = article.locator(".hold")
        assert hold.evaluate("e => e.getBoundingClientRect().bottom <= innerHeight")
        assert page.evaluate("document.activeElement.id") == "answer"
        # each outcome of the hold with its authority, inside the hold's box
        assert _inside_the_window(page, ".hold .hold-outcome")
        assert page.evaluate("""() => { const h = document.querySelector('.hold')
            .getBoundingClientRect(); return [...document.querySelectorAll('.hold-outcome')]
            .every(e => e.getBoundingClientRect().right <= h.right); }""")
        review_shot(page, name, full_page=False)  # what the officer sees: the window


# -- 3. Each outcome with its authority --------------------------------------------------------
@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    from tests.web.test_api_accounts import page_csrf

    b = client(service, "203.0.113.134", "officer")
    yield b, page_csrf(b)
    b.close()


def _header(page: str) -> str:
    """The text of the first answer's header: its date, outcome(s) and hold."""
    m = re.search(r'<article class="determination"[^>]*>\s*<header>(.*?)</header>', page, re.S)
    assert m, "no answer"
    return " ".join(re.sub(r"<[^>]+>", " ", html.unescape(m[1])).split())


def test_a_held_line_names_the_authority_of_each_outcome(officer) -> None:
    b, token = officer
    line = {"item": "3A001.a.2", "destination": "HK", "date": "2021-03-01",
            "end_user": "林鄭月娥", "csrf_token": token}
    r = b.post("/check", headers=HTML, data=line)
    assert r.status_code == 200, r.text[:300]
    text = _header(r.text)
    assert "On 2021-03-01" in text
    assert "if cleared: LICENSE REQUIRED (BIS)" in text, text
    assert "if confirmed: PROHIBITED (OFAC)" in text, text


def test_a_decided_line_names_its_authority_beside_its_outcome(officer) -> None:
    b, token = officer
    line = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15",
            "compare": "2020-06-29", "csrf_token": token}
    page = b.post("/check", headers=HTML, data=line).text
    headers = re.findall(r'<article class="determination" aria-label="(On [\d-]+)">\s*<header>'
                         r'(.*?)</header>', html.unescape(page), re.S)
    said = {h: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for h, body in headers}
    assert "EXCEPTION AVAILABLE (BIS)" in said["On 2020-06-29"], said
    assert "LICENSE REQUIRED (BIS)" in said["On 2021-01-15"], said
