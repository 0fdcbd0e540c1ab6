"""Review 27 in headless chromium: the impact report in its frame on the run's page."""

from __future__ import annotations

import time

import pytest

from tests.browser import review_shot
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

#: the report's own height once its charts are drawn (None before), measured inside the
#: frame: it is sandboxed, the page cannot read it, but Playwright can
REPORT_HEIGHT = ("document.body && document.body.dataset.chartsReady !== undefined"
                 " ? document.documentElement.getBoundingClientRect().height : null")


def report_frame(page):
    """The report's frame (Playwright's Frame) in the run's page."""
    frame = page.locator("iframe.report").element_handle().content_frame()
    assert frame is not None
    return frame


def fits(page, timeout: float = 15.0) -> int:
    """Wait until the frame is as tall as the report in it (its border aside), within a
    rounding, measured from outside: the iframe element's height against the report's own;
    returns the frame's height."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while True:
        box, report = None, None
        try:
            box = page.locator("iframe.report").evaluate("f => f.clientHeight")
            report = report_frame(page).evaluate(REPORT_HEIGHT)
        except Error:  # the frame is still navigating
            pass
        if box is not None and report is not None and abs(box - report) <= 2:
            return box
        if time.monotonic() > deadline:
            raise AssertionError(f"the frame is {box}px tall, its report {report}px")
        page.wait_for_timeout(100)


def report_screenshot(page, name: str) -> None:
    """``screenshot`` with the whole report in it: chromium draws the sandboxed report apart
    from the page (a frame of another origin), and a full-page screenshot (captured beyond the
    window) paints only the part of it that was in the window. The window is made as tall as
    the page, and taken as it is."""
    size = page.viewport_size
    tall = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": tall})
    try:
        fits(page)
        review_shot(page, name, full_page=False)
    finally:
        page.set_viewport_size(size)


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
        report_screenshot(page, "r27_report_fit_phone")
        page.set_viewport_size({"width": 1280, "height": 900})
        fits(page)
        assert abs(frame.evaluate("f => f.clientHeight") - start) <= 2
        report_screenshot(page, "r27_report_fit")
