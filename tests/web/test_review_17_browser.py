"""Review 17 (web) in headless chromium: Back after signing out, the Check result on a phone,
the impact form's file chooser."""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import check, server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _fits(page) -> tuple[int, int]:
    return page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")


@pytest.mark.parametrize(("viewport", "shot"), [((390, 844), "r17_check_nohit_phone"),
                                                ((1280, 900), "r17_check_nohit")])
def test_check_result_with_an_unlisted_end_user_fits_the_screen(browser, server,  # noqa: F811
                                                                viewport, shot):
    """On a phone the page was 568 px wide: the trace line "no hit on lists
    bis-dpl@ec65de3be905;csl@0b708420332a;..." could not break."""
    with signed_in(browser, server, "officer", shot, viewport=viewport) as page:
        check(page, "3A001.a.2", "DE", "2024-03-01", end_user="Acme Trading GmbH")
        art = page.get_by_role("article", name="On 2024-03-01")
        assert "no hit on lists bis-dpl@" in art.inner_text()
        scroll, inner = _fits(page)
        review_shot(page, shot)
        assert scroll <= inner, (scroll, inner)


@pytest.mark.parametrize(("viewport", "shot"), [((390, 844), "r17_screen_phone"),
                                                ((1280, 900), "r17_screen")])
def test_screen_result_fits_the_screen(browser, server, viewport, shot):  # noqa: F811
    with signed_in(browser, server, "officer", shot, viewport=viewport) as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("Carrie Lam")
        page.get_by_role("button", name="Screen").click()
        assert "LAM, Carrie" in page.locator("article.hit").first.inner_text()
        scroll, inner = _fits(page)
        review_shot(page, shot)
        assert scroll <= inner, (scroll, inner)


def test_back_after_signing_out_shows_no_signed_in_page(browser, server):  # noqa: F811
    """htmx kept each visited page in the tab's sessionStorage (21 kB: the audit trail, a
    party's name, licence numbers), and Back after signing out showed the audit trail."""
    with signed_in(browser, server, "officer", "r17_history") as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("陳國基")
        page.get_by_role("button", name="Screen").click()
        # the answer first: a click on Audit while the screen request is in flight was
        # overtaken by its answer, which pushed /screen again (a flaky wait below)
        page.locator("article.hit").first.wait_for()
        page.get_by_role("link", name="Audit").click()
        page.wait_for_url("**/audit")
        assert page.get_by_role("heading", name="Audit trail").is_visible()
        page.get_by_role("link", name="Licences").click()
        page.wait_for_url("**/licences")
        assert page.evaluate("sessionStorage.getItem('htmx-history-cache')") is None
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url("**/login")
        assert page.get_by_role("heading", name="Sign in").is_visible()
        stored = page.evaluate("JSON.stringify(Object.assign({}, sessionStorage, localStorage))")
        assert "DSP5" not in stored and "CHAN" not in stored and "Audit" not in stored, stored
        for _ in range(3):  # back through Licences, Audit and Screen
            page.go_back()
            page.wait_for_load_state()
            text = page.locator("main").inner_text()
            review_shot(page, "r17_history_back")
            assert "Sign in" in text, (page.url, text[:300])
            assert "DSP5-HK-2019-001" not in text and "Audit trail" not in text
            assert "CHAN" not in text


def test_choosing_an_order_file_ticks_the_file_option(browser, server, tmp_path):  # noqa: F811
    """The radio stayed on "the bundled portfolio" and the sample ran instead of the file."""
    orders = tmp_path / "good.csv"
    orders.write_text("id,item,destination,value\no-1,3A001.a.2,HK,1200\n")
    with signed_in(browser, server, "officer", "r17_impact_file") as page:
        page.goto(f"{server}/impact")
        assert page.get_by_label("the bundled Hong Kong 2020 portfolio").is_checked()
        page.get_by_label("Order file", exact=True).set_input_files(str(orders))
        assert page.get_by_label("an order file").is_checked()
        page.get_by_role("button", name="Run").click()
        page.wait_for_url("**/impact/*")
        assert "upload: good.csv" in page.locator("main").inner_text()
