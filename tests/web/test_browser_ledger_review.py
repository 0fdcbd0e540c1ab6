"""QA review in headless chromium: what comes of a posted shipment, and of a disposition with a
blank reason, is shown where the officer is scrolled to, and a reload after a post shows the
page again instead of "Method not allowed"."""

from __future__ import annotations

import pytest

from tests.browser import review_shot, wait_until
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_28_browser import REFUSED

pytestmark = pytest.mark.browser


def _in_view(page, selector: str) -> bool:
    """Is the element's top inside the window, without scrolling?"""
    return page.evaluate("""(sel) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        return r.top >= 0 && r.top < window.innerHeight; }""", selector)


def _focused(page, test: str) -> None:
    """Wait until the answer's element has the focus (htmx gives it once the page settles)."""
    wait_until(page, f"() => {{ const e = document.activeElement; return !!e && {test}; }}")


def _fill_shipment(page, quantity: str, value: str, reference: str = "") -> None:
    page.get_by_label("Licence", exact=True).select_option("DSP5-HK-2019-001")
    page.get_by_label("Ship date").fill("2020-05-01")  # before the 2020 suspension
    page.get_by_label("Destination").fill("HK")
    page.get_by_label("Classification").fill("I(a)")
    page.get_by_label("Quantity").fill(quantity)
    page.get_by_label("Value (USD)").fill(value)
    page.get_by_label("Consignee").fill("Hong Kong Police Force")
    page.get_by_label("End user").fill("Hong Kong Police Force")
    page.get_by_label("Reference (order, invoice)").fill(reference)


def _shipped(page) -> str:
    return page.locator("table.licences").get_by_role("row", name="DSP5-HK-2019-001").inner_text()


def test_a_shipments_result_shows_at_the_form_and_a_reload_shows_the_page(
        browser, server):  # noqa: F811
    with signed_in(browser, server, "officer", "r18_ship", expected_error=REFUSED) as page:
        page.goto(f"{server}/licences")
        assert "$600,000 shipped" in _shipped(page)
        _fill_shipment(page, "301", "301000")
        page.get_by_role("button", name="Post shipment").click()
        refusal = page.get_by_role("alert", name="shipment refused")
        assert "Shipment refused" in refusal.inner_text()
        # where the officer was, focused: it was rendered at the top, out of sight
        _focused(page, "e.id === 'ship-result'")
        assert _in_view(page, "#ship-result")
        assert page.evaluate("window.scrollY") > 300  # the page did not jump to its top
        review_shot(page, "r18_ship_refused")

        _fill_shipment(page, "1", "1000", reference="INV-R18")
        page.get_by_role("button", name="Post shipment").click()
        ok = page.locator("#ship-result").get_by_role("status")
        assert "posted against DSP5-HK-2019-001" in ok.inner_text()
        _focused(page, "e.id === 'ship-result'")
        assert _in_view(page, "#ship-result")
        assert page.url.endswith("/licences#ship")
        assert "$601,000 shipped" in _shipped(page)
        review_shot(page, "r18_ship_posted")

        page.reload()  # was "Method not allowed — GET is not allowed on /licences/ship"
        assert page.get_by_role("heading", name="Licences", exact=True).is_visible()
        assert "Method not allowed" not in page.locator("main").inner_text()
        assert "$601,000 shipped" in _shipped(page)  # and nothing posted again
        assert "INV-R18" in page.locator("table.shipments").inner_text()


def test_a_blank_disposition_reason_is_shown_at_its_hit(browser, server):  # noqa: F811
    """The error went to the top of the page, in pydantic's words, 3,500 px above."""
    with signed_in(browser, server, "officer", "r18_reason", viewport=(1280, 520),
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("Carrie Lam")
        page.get_by_role("button", name="Screen").click()
        hit = page.locator("article.hit").first
        hit.locator("summary").click()
        hit.get_by_label("Reason").fill("   ")
        hit.get_by_role("button", name="Clear this hit").click()
        hit = page.locator("article.hit").first
        error = hit.locator("small.field-error")
        assert error.inner_text() == "give a reason for the decision"
        reason = hit.get_by_label("Reason")
        assert reason.input_value() == "   "  # what was typed is kept
        _focused(page, "e.name === 'reason'")
        # in view once the swap has settled (app.js scrolls the box at fault to it)
        wait_until(page, """() => { const r = document.activeElement.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight; }""")
        assert page.get_by_role("alert").count() == 0  # nothing at the top of the page
        review_shot(page, "r18_reason")
        page.reload()  # the screen again, not "Method not allowed"
        assert "LAM, Carrie" in page.locator("article.hit").first.inner_text()
