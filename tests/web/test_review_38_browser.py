"""QA review 38 in headless chromium (the in-process checks and the why are in
``test_review_38_screen.py``): on a phone, a hit shows the entry as listed, within the window;
an officer confirms it, screens the party again and reads that it was confirmed; a name the
screener refuses on the Check page takes the focus at its own box; the lists a screen used
read by name and date on a phone (``test_review_38_ui2.py``: the in-process checks)."""

from __future__ import annotations

import pytest

from tests.browser import review_shot, wait_until
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
PHONE = (390, 844)


def _screen(page, base: str, name: str, country: str) -> None:
    page.goto(f"{base}/screen")
    page.get_by_role("textbox", name="Name", exact=True).fill(name)
    page.get_by_label("Country (optional)").fill(country)
    page.get_by_role("button", name="Screen", exact=True).click()
    page.wait_for_selector("section[aria-label=hits]")


def test_an_officer_reads_the_listed_entry_confirms_and_sees_it_confirmed_on_a_phone(
        browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "r38_confirm_phone", viewport=PHONE) as page:
        _screen(page, server, "鄧炳強", "HK")
        hit = page.locator("#hit-SDN-29242")
        listed = hit.get_by_role("definition").filter(has_text="TANG, Chris")
        assert listed.is_visible()  # the name SDN 29242 is listed under, not only the alias
        assert hit.get_by_text("1965-07-04").is_visible()  # the entry's date of birth
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        assert page.evaluate("""() => [...document.querySelectorAll('dl.entry-facts dd')]
            .every(e => e.getBoundingClientRect().right <= document.documentElement.clientWidth)""")
        assert hit.locator(".confirmed-by").count() == 0
        review_shot(page, "r38_hit_entry_phone")

        hit.locator("summary").click()
        hit.get_by_label("Reason").fill("HKID checked: the Commissioner of Police")
        hit.get_by_role("button", name="Confirm:").click()
        wait_until(page, "document.querySelector('#hit-SDN-29242 .notice.ok') !== null")

        _screen(page, server, "鄧炳強", "HK")  # later, the same party again
        note = page.locator("#hit-SDN-29242 .confirmed-by")
        assert note.is_visible()
        said = " ".join(note.inner_text().split())
        assert said.startswith("Confirmed:") and "(officer, " in said, said
        assert "HKID checked: the Commissioner of Police" in said
        review_shot(page, "r38_hit_confirmed_phone")


def test_a_refused_party_name_takes_the_focus_at_its_box(browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "r38_refused_name",
                   expected_error="status of 400") as page:  # the API's status, refused
        page.goto(f"{server}/check")
        page.get_by_label("Item (ECCN, EAR99 or USML:category)").fill("EAR99")
        page.get_by_label("Destination (ISO code)").fill("HK")
        page.get_by_label("Date of export").fill("2024-01-15")
        page.get_by_label("End user (screened)").fill("Acme Trading")
        page.get_by_label("Consignee (screened)").fill("LLC")
        page.get_by_role("button", name="Check", exact=True).click()
        wait_until(page, "document.activeElement && document.activeElement.name === 'consignee'")
        box = page.get_by_label("Consignee (screened)")
        assert box.get_attribute("aria-invalid") == "true"
        assert box.input_value() == "LLC"
        assert page.get_by_label("End user (screened)").input_value() == "Acme Trading"
        assert page.locator("#consignee-error").inner_text().startswith(
            "consignee name 'LLC' is only a legal form")
        review_shot(page, "r38_refused_name")


def test_the_lists_a_screen_used_read_by_name_and_date_on_a_phone(browser, server) -> None:  # noqa: F811
    """The line read "Lists bis-dpl@ec65de3be905;csl@0b70..." wrapped anywhere; each list is
    now a line of its own, its dates unbroken, the hash in its tooltip."""
    with signed_in(browser, server, "officer", "r38_lists_phone", viewport=PHONE) as page:
        _screen(page, server, "Владимир Путин", "")
        lists = page.locator("ul.lists-used li")
        assert lists.count() >= 4
        assert lists.filter(has_text="OFAC SDN list").is_visible()
        assert lists.filter(has_text="OFAC SDN list").get_attribute("title").startswith(
            "ofac-sdn@")
        said = page.locator(".lists-version").inner_text()
        assert "@" not in said, said
        assert page.evaluate("""() => [...document.querySelectorAll('ul.lists-used .nowrap')]
            .every(e => e.getClientRects().length === 1 && e.getBoundingClientRect().right
                        <= document.documentElement.clientWidth)""")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
        review_shot(page, "r38_lists_phone")
