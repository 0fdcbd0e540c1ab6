"""Review 27 in headless chromium: the impact report in its frame on the run's page."""

from __future__ import annotations

import pytest

from tests.browser import screenshot
from tests.web.test_browser import browser, server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

#: the frame is as tall as the report in it (its border aside), within a rounding
FITS = """(f => { const doc = f.contentDocument;
    if (!doc || !doc.body || doc.body.dataset.chartsReady === undefined) return false;
    const report = doc.documentElement.getBoundingClientRect().height;
    return Math.abs(f.clientHeight - report) <= 2; })(document.querySelector('iframe.report'))"""


def fits(page) -> None:
    page.wait_for_function(f"() => {FITS}", timeout=15_000)


def test_the_report_frame_fits_the_report_as_it_grows_and_shrinks(browser, server) -> None:  # noqa: F811
    """Opening the folded rule events makes the report taller, closing them shorter again; so
    does a phone turned back to a laptop's width. The frame follows both ways: no screen of
    blank frame under the report."""
    with signed_in(browser, server, "officer", "r27_report_fit") as page:
        page.goto(f"{server}/impact")
        page.get_by_role("button", name="Run").click()
        page.wait_for_url("**/impact/*")
        frame = page.locator("iframe.report")
        fits(page)
        start = frame.evaluate("f => f.clientHeight")
        events = page.frame_locator("iframe.report").locator("summary", has_text="rule events")
        events.click()
        fits(page)
        assert frame.evaluate("f => f.clientHeight") > start + 200
        events.click()
        fits(page)
        assert abs(frame.evaluate("f => f.clientHeight") - start) <= 2
        page.set_viewport_size({"width": 390, "height": 844})
        fits(page)
        screenshot(page, "r27_report_fit_phone")
        page.set_viewport_size({"width": 1280, "height": 900})
        fits(page)
        assert abs(frame.evaluate("f => f.clientHeight") - start) <= 2
        screenshot(page, "r27_report_fit")
