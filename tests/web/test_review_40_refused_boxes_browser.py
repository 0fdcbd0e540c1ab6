"""Review 40 in headless chromium: a box the service refuses is marked invalid, described by
the message under it, on every form, by one macro (``invalid_attrs``/``error_under`` in
macros.html). The Ship form's facts boxes (headquarters, NAC notified, conditions met) were
left unmarked: the service's refusal of 'Atlantis' came at the form's top as the Check page's
had, and a malformed NAC date was not shown at all. The disposition form's reason box goes
through the same macro. Screenshots land in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.browser import wait_until
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_28_browser import REFUSED, WIDTHS
from tests.web.test_review_28b_browser import seen, send, shown_under

pytestmark = pytest.mark.browser

#: (box, typed, words of its message, status, widths): ACA to Vietnam rests on these facts
FACTS = [
    ("headquarters", "Atlantis", "unknown headquarters country 'Atlantis'", 400, WIDTHS),
    ("conditions_met", "XYZ", "unknown licence exception(s) XYZ in conditions met", 400,
     WIDTHS[:1]),
    ("nac_notified", "2024-13-01", "month must be in 1..12", 422, WIDTHS[:1]),
]


def _ship_under_aca(page, base: str, typed: dict[str, str]) -> int:
    """The Ship form, under licence exception ACA to Vietnam (which wants the facts), with
    each box of ``typed`` filled in with its value; the answer's status. Those boxes' own
    checks are taken off (a date picker, a number box): the service's answer is under test,
    as a client without them gets it."""
    page.goto(f"{base}/licences")
    page.get_by_label("Licence", exact=True).select_option("")
    page.get_by_role("textbox", name="Licence exception", exact=True).fill("ACA")
    page.get_by_label("Ship date").fill("2024-06-15")
    page.get_by_label("Destination").fill("VN")
    page.get_by_label("Classification").fill("3A090.a")
    page.get_by_label("Quantity").fill("1")
    page.get_by_label("Value (USD)").fill("40000")
    page.get_by_label("Consignee").fill("Compute JSC")
    page.get_by_label("End user", exact=True).fill("Compute JSC")
    for box, value in typed.items():
        page.evaluate("""n => { const e = document.querySelector(`#ship [name=${n}]`);
            e.type = 'text'; e.removeAttribute('min');
            const d = e.closest('details'); if (d) d.open = true; }""", box)
        page.locator(f'#ship [name="{box}"]').fill(value)
    return send(page, "/licences/ship", page.get_by_role("button", name="Post shipment"))


@pytest.mark.parametrize(("box", "typed", "words", "status", "viewport"), [
    pytest.param(*row[:4], viewport, id=f"{row[0]}{suffix}")
    for row in FACTS for viewport, suffix in row[4]])
def test_a_refused_ship_fact_marks_its_box_and_focuses_its_notice(
        browser, server, box, typed, words, status, viewport) -> None:  # noqa: F811
    name = f"r40_ship_{box}_{viewport[0]}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        assert _ship_under_aca(page, server, {box: typed}) == status
        notice = page.locator(f"#ship-{box}-error")
        notice.wait_for(state="visible")
        wait_until(page, "i => document.activeElement && document.activeElement.id === i",
                   f"ship-{box}-error")
        assert words in notice.inner_text()
        field = page.locator(f'#ship [name="{box}"]')
        assert field.get_attribute("aria-invalid") == "true"
        assert field.get_attribute("aria-describedby") == f"ship-{box}-error"
        # what was typed stays (given back as the box's value: a date picker shows none it
        # cannot read)
        assert field.is_visible() and field.get_attribute("value") == typed
        assert page.locator('[aria-invalid="true"]').count() == 1
        assert page.locator("#ship-result").count() == 0  # not at the form's top as well
        exception = page.get_by_role("textbox", name="Licence exception", exact=True)
        assert exception.input_value() == "ACA"
        # the notice follows the facts section, below the box it is about
        below = page.evaluate("""n => document.querySelector(`#ship-${n}-error`)
            .getBoundingClientRect().top >= document.querySelector(`#ship [name=${n}]`)
            .getBoundingClientRect().bottom""", box)
        assert below, "the message is above its box"
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"the page is {width}px wide"
        seen(page, name)


def test_a_ship_fact_refused_with_the_rest_is_marked_with_them(
        browser, server) -> None:  # noqa: F811
    """Two boxes at fault: each marked and described, the summary at the top focused."""
    name = "r40_ship_two_faults"
    with signed_in(browser, server, "officer", name, expected_error=REFUSED) as page:
        assert _ship_under_aca(page, server, {"quantity": "abc",
                                              "nac_notified": "2024-13-01"}) == 422
        page.locator("#ship-result").wait_for(state="visible")
        for box in ("quantity", "nac_notified"):
            field = page.locator(f'#ship [name="{box}"]')
            assert field.get_attribute("aria-invalid") == "true"
            assert field.get_attribute("aria-describedby") == f"ship-{box}-error"
            assert page.locator(f"#ship-{box}-error").is_visible()
        assert page.locator('[aria-invalid="true"]').count() == 2
        seen(page, name)


def test_the_audit_filter_refuses_a_date_under_its_box(browser, server) -> None:  # noqa: F811
    """Through the shared macro too: the From box at fault, its message under it."""
    name = "r40_audit_from"
    with signed_in(browser, server, "viewer", name, expected_error=REFUSED) as page:
        page.goto(f"{server}/audit")
        page.evaluate("() => { document.querySelector('[name=from]').type = 'text'; }")
        page.get_by_label("From").fill("2024-02-30")
        assert send(page, "/audit", page.get_by_role("button", name="Filter"), "GET") == 422
        assert "2024-02-30" in shown_under(page, "from", "from-error")
        assert page.locator('[aria-invalid="true"]').count() == 1
        assert page.get_by_label("From").get_attribute("value") == "2024-02-30"
        seen(page, name)
