"""Review 28 in headless chromium: a refused Lists upload or Impact run answers a 4xx and the
page shows the error under its box, focused and on screen, at a laptop's and a phone's width
(the forms post without htmx: the browser shows a 4xx page as it shows any)."""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_27_report_browser import report_screenshot

pytestmark = pytest.mark.browser
WIDTHS = [((1280, 900), ""), ((390, 844), "_phone")]
#: what chromium's console says of a page answered with a 4xx: expected here
REFUSED = "the server responded with a status of 4"


def shown_under(page, name: str, error_id: str) -> str:
    """The error under the box ``name``: on screen, the box focused and described by it."""
    error = page.locator(f"#{error_id}")
    error.wait_for(state="visible")
    assert error.evaluate("e => { const r = e.getBoundingClientRect();"
                          " return r.top >= 0 && r.bottom <= innerHeight; }"), "off screen"
    focused = page.evaluate("document.activeElement.name")
    assert focused == name, focused
    described = page.locator(f"[name={name}]").get_attribute("aria-describedby") or ""
    assert error_id in described.split()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"
    return error.inner_text()


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_refused_list_upload_answers_422_and_shows_why_at_the_files(
        browser, server, tmp_path, viewport, suffix) -> None:  # noqa: F811
    notes = tmp_path / "notes.txt"
    notes.write_text("not a list file", encoding="utf-8")
    name = f"r28_lists_refused{suffix}"
    with signed_in(browser, server, "admin", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/lists")
        page.get_by_label("Files").set_input_files(str(notes))
        page.get_by_label("Published on (optional)").fill("2026-07-01")
        with page.expect_response(lambda r: r.url.endswith("/lists/load")) as answer:
            page.get_by_role("button", name="Load and activate").click()
        assert answer.value.status == 422
        assert "notes.txt" in shown_under(page, "files", "files-error")
        assert page.get_by_label("Published on (optional)").input_value() == "2026-07-01"
        review_shot(page, name)


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_refused_impact_run_answers_4xx_and_shows_why_at_its_box(
        browser, server, tmp_path, viewport, suffix) -> None:  # noqa: F811
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,item,destination\n", encoding="utf-8")  # no line
    name = f"r28_impact_refused{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/impact")
        page.get_by_label("From (old rules)").fill("2018-06-01")
        with page.expect_response(lambda r: r.url.endswith("/impact")) as answer:
            page.get_by_role("button", name="Run").click()
        assert answer.value.status == 400
        assert "before the rule base starts" in shown_under(page, "from_date", "from_date-error")
        review_shot(page, f"{name}_date")
        page.get_by_label("From (old rules)").fill("2020-06-29")
        page.locator("input[type=file][name=orders]").set_input_files(str(orders))
        with page.expect_response(lambda r: r.url.endswith("/impact")) as answer:
            page.get_by_role("button", name="Run").click()
        assert answer.value.status == 400
        assert "the portfolio has no lines" in shown_under(page, "orders", "orders-error")
        assert page.locator("#portfolio-upload").is_checked()
        review_shot(page, f"{name}_orders")


def test_the_report_draws_its_charts_in_the_page_without_eval(browser, server) -> None:  # noqa: F811
    """The report in its frame on the run's page, under the policy the service sends with it:
    no 'unsafe-eval' (Vega's expression interpreter), every chart drawn, no violation."""
    with signed_in(browser, server, "officer", "r28_report_policy") as page:
        page.add_init_script("document.addEventListener('securitypolicyviolation', e =>"
                             " console.error('CSP violation: ' + e.violatedDirective))")
        page.goto(f"{server}/impact")
        with page.expect_response(lambda r: r.url.endswith("/report")) as answer:
            page.get_by_role("button", name="Run").click()
        policy = answer.value.headers["content-security-policy"]
        assert "sandbox allow-scripts;" in policy  # an opaque origin, in a tab of its own too
        script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
        assert "'unsafe-eval'" not in script_src and "'sha256-" in script_src
        report = page.frame_locator("iframe.report")
        report.locator("body[data-charts-ready]").wait_for(state="attached", timeout=15_000)
        charts = report.locator(".chart")
        assert charts.count() == int(report.locator("body").get_attribute("data-charts-ready"))
        for i in range(charts.count()):
            assert charts.nth(i).locator("svg path, svg rect, svg circle").count() > 3
        assert "could not be drawn" not in report.locator("body").inner_text()
        report_screenshot(page, "r28_report_policy")
