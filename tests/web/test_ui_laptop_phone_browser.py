"""QA review (web UI, laptop and phone) in headless chromium.

1. The licence tables. At 1280 px the shipments table was 88 px wider than the page, so its
   last column, with "Reverse…", was cut off at the right edge of every laptop screen. On a
   phone the licences table put the drawdown (what is left on a licence) wholly off the screen
   to the right, and the shipments, lines and status history tables each scrolled sideways
   with nothing to say so. Now each fits its width: on a phone, a row is a block of lines.
2. A country typed by name in the Check form's Destination: the box cut "Hong Kong" to
   "Hong Kon" as it was typed, and the error quoted that. Screenshots in tests/artifacts/.
"""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import server, signed_in  # noqa: F401 - fixtures
from tests.web.test_review_28_browser import REFUSED

pytestmark = pytest.mark.browser

LICENCE = "/licences/view?number=DSP5-HK-2019-001&agency=DDTC"


def _overflowing(page) -> list[str]:
    """The tables wider than the box they scroll in: ``class: table px > box px``."""
    return page.evaluate("""[...document.querySelectorAll('.overflow-auto')]
        .filter(d => d.scrollWidth > d.clientWidth + 1)
        .map(d => `${d.firstElementChild.className}: ${d.scrollWidth} > ${d.clientWidth}`)""")


def _fully_in_view(page, locator, width: int) -> bool:
    box = locator.bounding_box()
    return bool(box) and box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("viewport", [(1280, 900), (1024, 768)], ids=["1280", "1024"])
def test_on_a_laptop_the_shipments_table_shows_reverse_in_full(browser, server,  # noqa: F811
                                                               viewport) -> None:
    name = f"ui_licences_laptop_{viewport[0]}"
    with signed_in(browser, server, "officer", name, viewport=viewport) as page:
        page.goto(f"{server}/licences")
        page.get_by_role("heading", name="Shipments").wait_for()
        assert _overflowing(page) == []
        reverse = page.get_by_role("link", name="Reverse…").first
        assert _fully_in_view(page, reverse, viewport[0])
        status = page.locator("table.shipments").get_by_role("columnheader", name="Status")
        assert _fully_in_view(page, status, viewport[0])
        review_shot(page, name)


def test_on_a_phone_the_licences_show_their_balances_without_scrolling_sideways(
        browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "ui_licences_phone", viewport=(390, 844)) as page:
        page.goto(f"{server}/licences")
        page.get_by_role("heading", name="Shipments").wait_for()
        assert _overflowing(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        first = page.locator("table.licences tbody tr").first
        drawdown = first.locator("td").last
        assert "remaining" in drawdown.inner_text()
        assert _fully_in_view(page, drawdown, 390)
        assert _fully_in_view(page, page.get_by_role("link", name="Reverse…").first, 390)
        review_shot(page, "ui_licences_phone")

        page.goto(f"{server}{LICENCE}")
        page.get_by_role("heading", name="Status history").wait_for()
        assert _overflowing(page) == []
        reason = page.locator("table.status-history tbody tr").last.locator("td").nth(2)
        assert "Hong Kong" in reason.inner_text() and _fully_in_view(page, reason, 390)
        remaining = page.locator("table.licence-lines tbody tr").first.locator("td").nth(4)
        assert "$" in remaining.inner_text() and _fully_in_view(page, remaining, 390)
        review_shot(page, "ui_licence_phone")


@pytest.mark.parametrize(("viewport", "typed", "code"), [((390, 844), "Hong Kong", "HK"),
                                                         ((1280, 900), "China", "CN")],
                         ids=["phone", "laptop"])
def test_a_country_typed_by_name_is_kept_and_answered_with_its_code(browser, server,  # noqa: F811
                                                                    viewport, typed, code):
    name = f"ui_check_country_name_{viewport[0]}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:  # refused: a 4xx (review 28b)
        page.goto(f"{server}/check")
        page.get_by_label("Item").fill("3A001.a.2")
        page.get_by_label("Destination").press_sequentially(typed)
        assert page.get_by_label("Destination").input_value() == typed
        page.get_by_label("Date of export").fill("2021-01-15")
        page.get_by_role("button", name="Check", exact=True).click()
        error = page.locator("#destination-error")
        error.wait_for()
        assert f"'{typed}' is {code}" in error.inner_text()
        assert page.get_by_label("Destination").input_value() == typed
        review_shot(page, name)


def test_on_a_phone_the_lists_and_impact_runs_fit_the_screen(browser, server) -> None:  # noqa: F811
    """Review 32: at 390 px the Lists table scrolled sideways with nothing to say so, "Loaded"
    and the "what changed" link of each version off the screen to the right; the Impact
    page's table of runs cut off "Changed" and "By" the same way."""
    with signed_in(browser, server, "admin", "ui_lists_phone", viewport=(390, 844)) as page:
        page.goto(f"{server}/lists")
        page.get_by_role("heading", name="Restricted-party lists").wait_for()
        assert _overflowing(page) == []
        changed = page.get_by_role("link", name="what changed").first
        assert _fully_in_view(page, changed, 390)
        review_shot(page, "ui_lists_phone")
        page.goto(f"{server}/impact")
        page.get_by_role("heading", name="Runs").wait_for()
        assert _overflowing(page) == []
        by = page.locator("table.impact-runs").get_by_role("columnheader", name="By")
        assert _fully_in_view(page, by, 390)
        review_shot(page, "ui_impact_phone")


def test_a_ship_destination_typed_by_name_is_kept_and_answered_with_its_code(
        browser, server) -> None:  # noqa: F811
    """Review 32: the shipment form's Destination box took 2 characters, so "China" typed in
    it became "Ch", a valid code (Switzerland): a shipment under a licence exception would
    have been checked and recorded for CH. Now what was typed is sent and refused with the
    code to give."""
    with signed_in(browser, server, "officer", "ui_ship_country_name",
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/licences#ship")
        form = page.locator("#ship")
        form.get_by_label("Licence", exact=True).select_option("")
        form.get_by_label("Licence exception", exact=True).fill("LVS")
        form.get_by_label("Ship date").fill("2021-01-15")
        form.get_by_label("Destination").press_sequentially("China")
        assert form.get_by_label("Destination").input_value() == "China"
        form.get_by_label("Classification (licence line)").fill("3A001.a.2")
        form.get_by_label("Quantity").fill("1")
        form.get_by_label("Value (USD)").fill("100")
        form.get_by_label("Consignee").fill("Beijing Optics Co")
        form.get_by_label("End user", exact=True).fill("Beijing Optics Co")
        form.get_by_role("button", name="Post shipment").click()
        error = page.locator("#ship-destination-error")
        error.wait_for()
        assert "'China' is CN" in error.inner_text()
        assert form.get_by_label("Destination").input_value() == "China"
        review_shot(page, "ui_ship_country_name")
