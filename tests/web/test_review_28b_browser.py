"""Review 28b in headless chromium: a refused Check, Screen, disposition, shipment, reversal or
audit filter answers the API's 4xx, and the page shows the error under its box, focused and
on screen (or, with no box at fault, at the form's top), at a laptop's and a phone's width.

These forms are boosted by htmx, which by its defaults swaps in no 4xx answer: the page
would stay as it was, the error unseen. base.html's htmx-config swaps every status but 204;
these tests show it does, after a real click in chromium. A screenshot of each, full page
and the window as seen, lands in tests/artifacts/.
"""

from __future__ import annotations

import pytest

from tests.browser import review_shot, wait_until
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_28_browser import REFUSED, WIDTHS

pytestmark = pytest.mark.browser


def seen(page, name: str) -> None:
    """The page in full, and the window as the person sees it (``NAME_view.png``)."""
    review_shot(page, name)
    review_shot(page, f"{name}_view", full_page=False)


def in_view(page, selector: str) -> bool:
    return page.evaluate("s => { const r = document.querySelector(s).getBoundingClientRect();"
                         " return r.top >= 0 && r.bottom <= innerHeight; }", selector)


def shown_under(page, name: str, error_id: str) -> str:
    """The error ``#error_id`` under the box ``name``: visible and on screen, the box focused
    (htmx gives [autofocus] the focus once the answer is swapped in), marked invalid and
    described by it; the page no wider than the window."""
    error = page.locator(f"#{error_id}")
    error.wait_for(state="visible")
    wait_until(page, "n => document.activeElement && document.activeElement.name === n", name)
    assert in_view(page, f"#{error_id}"), "the message is off screen"
    box = page.evaluate("""() => { const e = document.activeElement,
        r = e.getBoundingClientRect();
        return {invalid: e.getAttribute('aria-invalid'),
                described: e.getAttribute('aria-describedby') || '',
                shown: r.top >= 0 && r.bottom <= innerHeight}; }""")
    assert box["invalid"] == "true" and error_id in box["described"].split(), box
    assert box["shown"], "the box at fault is off screen"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width}px wide"
    return error.inner_text()


def send(page, path: str, button, method: str = "POST") -> int:
    """Click ``button``; the status the answer to ``path`` came with."""
    with page.expect_response(lambda r: r.request.method == method
                              and r.url.split("?")[0].endswith(path)) as answer:
        button.click()
    return answer.value.status


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_refused_check_answers_400_and_shows_why_at_the_item(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    name = f"r28b_check{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/check")
        page.get_by_label("Item").fill("3A999.zz")
        page.get_by_label("Destination").fill("HK")
        page.get_by_label("Date of export").fill("2021-01-15")
        status = send(page, "/check", page.get_by_role("button", name="Check", exact=True))
        assert status == 400
        assert "has no paragraph '.zz'" in shown_under(page, "item", "item-error")
        assert page.get_by_label("Destination").input_value() == "HK"
        seen(page, name)


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_refused_screen_answers_400_and_shows_why_at_the_date_of_birth(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    name = f"r28b_screen{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("Chan Tai Man")
        page.get_by_label("Date of birth (optional)").fill("19600")
        assert send(page, "/screen", page.get_by_role("button", name="Screen")) == 400
        assert "'19600' is not YYYY" in shown_under(page, "dob", "dob-error")
        assert page.get_by_label("Name").input_value() == "Chan Tai Man"
        seen(page, name)


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_disposition_without_a_reason_answers_422_at_its_hit(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    name = f"r28b_disposition{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("Carrie Lam")
        page.get_by_role("button", name="Screen").click()
        hit = page.locator("article.hit").first
        anchor = hit.get_attribute("id")
        hit.locator("summary").click()
        hit.get_by_label("Reason").fill("   ")  # passes `required`: blank to the server
        status = send(page, "/screen/disposition",
                      hit.get_by_role("button", name="Clear this hit"))
        assert status == 422
        said = shown_under(page, "reason", f"{anchor}-reason-error")
        assert said == "give a reason for the decision"
        seen(page, name)


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_shipment_refused_answers_its_4xx_and_shows_why_at_the_form(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    """An over-draw is the API's 409, said at the form's top (a rule, no box at fault); no
    licence chosen is its 422, said at the Licence box."""
    name = f"r28b_ship{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/licences")
        page.get_by_label("Licence", exact=True).select_option("DSP5-HK-2019-001")
        page.get_by_label("Ship date").fill("2020-05-01")  # before the 2020 suspension
        page.get_by_label("Destination").fill("HK")
        page.get_by_label("Classification").fill("I(a)")
        page.get_by_label("Quantity").fill("301")  # 300 left
        page.get_by_label("Value (USD)").fill("301000")
        page.get_by_label("Consignee").fill("Hong Kong Police Force")
        page.get_by_label("End user").fill("Hong Kong Police Force")
        post = page.get_by_role("button", name="Post shipment")
        assert send(page, "/licences/ship", post) == 409
        refusal = page.get_by_role("alert", name="shipment refused")
        refusal.wait_for(state="visible")
        assert "exceed the remaining quantity 300" in refusal.inner_text()
        wait_until(page, "document.activeElement.id === 'ship-result'")
        assert in_view(page, "#ship-result h3")
        assert page.get_by_label("Quantity").input_value() == "301"
        seen(page, f"{name}_overdraw")

        page.get_by_label("Licence", exact=True).select_option("")  # an exception, none given
        assert send(page, "/licences/ship", post) == 422
        said = shown_under(page, "licence_number", "ship-licence_number-error")
        assert said.startswith("choose a licence, or give the licence exception")
        assert page.get_by_label("Consignee").input_value() == "Hong Kong Police Force"
        seen(page, f"{name}_no_licence")


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_a_reversal_without_a_reason_answers_409_at_the_reason(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    name = f"r28b_reverse{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/licences/shipments/reverse?key=hk19-003-a")
        page.get_by_label("Reason").fill("   ")
        page.get_by_label("Reference").fill("AES correction X2020")
        status = send(page, "/licences/shipments/reverse",
                      page.get_by_role("button", name="Reverse shipment"))
        assert status == 409
        assert "give a reason" in shown_under(page, "reason", "reason-error")
        assert page.get_by_label("Reference").input_value() == "AES correction X2020"
        assert page.url.endswith("/licences/shipments/reverse?key=hk19-003-a")
        seen(page, name)


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_an_audit_date_it_cannot_take_answers_422_at_its_box(
        browser, server, viewport, suffix) -> None:  # noqa: F811
    """A year typed with five digits: the date picker takes it, the service cannot."""
    name = f"r28b_audit{suffix}"
    with signed_in(browser, server, "viewer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/audit")
        page.get_by_label("Kind").fill("shipment")
        page.get_by_label("From").evaluate("e => { e.value = '30000-01-01'; }")
        assert page.get_by_label("From").input_value() == "30000-01-01"
        status = send(page, "/audit", page.get_by_role("button", name="Filter"), "GET")
        assert status == 422
        assert "30000-01-01 is not a date: check the day, month and year in the box" in \
            shown_under(page, "from", "from-error")
        assert page.get_by_label("Kind").input_value() == "shipment"
        seen(page, name)
