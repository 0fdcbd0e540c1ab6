"""QA review in headless chromium: where a Check error shows on a phone and where the focus
goes, the impact report at 1280 px and on a phone, the audit table's "What" on a phone.
Screenshots land in tests/artifacts/ for a human to look at."""

from __future__ import annotations

import pytest

from tests.browser import review_shot, wait_until
from tests.web.test_browser import server, signed_in  # noqa: F401 - fixtures
from tests.web.test_review_27_report_browser import fits, report_frame, report_screenshot
from tests.web.test_review_28_browser import REFUSED

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "field", "typed", "message"), [
    ((390, 844), "item", "3A999.zz", "ECCN 3A999 has no paragraph '.zz'"),
    ((1280, 900), "value", "10000000000000", "value must be at most 1,000,000,000,000 USD"),
], ids=["phone-item", "desktop-value"])
def test_a_check_error_is_under_its_box_in_view_and_focused(browser, server, viewport,  # noqa: F811
                                                            field, typed, message):
    name = f"review_check_error_{viewport[0]}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/check")
        page.get_by_label("Item").fill("3A001.a.2")
        page.get_by_label("Destination").fill("HK")
        page.get_by_label("Date of export").fill("2021-01-15")
        page.locator(f'[name="{field}"]').fill(typed)
        page.get_by_role("button", name="Check", exact=True).click()
        error = page.locator(f"#{field}-error")
        error.wait_for()
        assert error.inner_text() == message
        box = page.locator(f'[name="{field}"]')
        wait_until(page, f"document.activeElement && document.activeElement.name === "
                         f"'{field}'")
        assert box.get_attribute("aria-invalid") == "true"
        assert box.get_attribute("aria-describedby") == f"{field}-error"
        b, e = box.bounding_box(), error.bounding_box()
        assert b and e and 0 <= e["y"] - (b["y"] + b["height"]) < 40  # directly under it
        assert e["y"] + e["height"] <= viewport[1] and b["y"] >= 0  # both in view
        assert box.input_value() == typed  # what was typed is kept
        assert page.locator('[aria-invalid="true"]').count() == 1
        review_shot(page, name)


def test_the_impact_report_fits_at_1280_and_grows_on_a_phone(browser, server):  # noqa: F811
    with signed_in(browser, server, "officer", "review_impact") as page:
        page.goto(f"{server}/impact")
        page.get_by_role("button", name="Run").click()
        page.wait_for_url("**/impact/*")
        run = page.url
        for width, height in ((1280, 900), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.goto(run)
            # the frame grows to its report: one scroll, the page's, and none inside the frame
            # (measured from outside: the report is sandboxed, the page cannot read it)
            fits(page)
            report = report_frame(page)
            assert report.locator("#top-changed").count() == 1
            assert report.evaluate("document.documentElement.scrollHeight <= innerHeight")
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            wide = report.evaluate("(() => { const t = document.querySelector('#top-changed');"
                                   " return [t.scrollWidth, t.parentElement.clientWidth]; })()")
            assert wide[0] <= wide[1], f"the table is {wide[0]}px in {wide[1]}px at {width}"
            table = report.locator("#top-changed")
            tallest = max(table.locator("tbody tr").evaluate_all(
                "rows => rows.map(r => r.offsetHeight)"))
            assert tallest < (400 if width > 600 else 800), f"a row is {tallest}px tall"
            if width > 600:  # on a phone the rows are cards, their labels the headers
                cut = report.evaluate(
                    "[...document.querySelectorAll('#top-changed th')].filter(th =>"
                    " th.getBoundingClientRect().right > document.documentElement.clientWidth)"
                    ".map(th => th.textContent)")
                assert not cut, f"columns past the frame's edge: {cut}"
            report_screenshot(page, f"review_impact_run_{width}")


def test_the_audit_what_column_is_in_view_on_a_phone(browser, server):  # noqa: F811
    with signed_in(browser, server, "viewer", "review_audit_phone",
                   viewport=(390, 844)) as page:
        page.goto(f"{server}/audit")
        what = page.locator("table.audit tbody tr").first.locator("td:last-child")  # What
        # scrolled down to, not sideways: the table's own box is not scrolled
        page.evaluate("window.scrollTo(0, document.querySelector('table.audit').offsetTop)")
        box = what.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert what.inner_text().strip()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        review_shot(page, "review_audit_phone")
