"""Review 39 in headless chromium: each input the Check and Screen pages refuse shows its
message under its own box, the box marked invalid and focused, now that the engine names the
field where it raises an error and ``field_of`` no longer reads the message's words. The cases
earlier reviews do not click through (item, a value too large, a date of birth '19600', a
consignee 'LLC' are); both widths where the layout differs (the wide owners box, the facts
section's notice). Screenshots land in tests/artifacts/."""

from __future__ import annotations

import pytest

from tests.browser import wait_until
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_28_browser import REFUSED, WIDTHS
from tests.web.test_review_28b_browser import seen, send, shown_under

pytestmark = pytest.mark.browser

DESKTOP = [WIDTHS[0]]
#: (box, typed, words of its message, widths)
CHECK = [
    ("value", "-5", "value cannot be negative", DESKTOP),
    ("quantity", "abc", "quantity is not a number: abc", DESKTOP),
    ("end_user", "LLC", "end user name 'LLC' is only a legal form", DESKTOP),
    ("consignee", "!!!", "consignee name '!!!' has no letters or digits", DESKTOP),
    ("owners", "A Co,A Co,60,US", "owners line 1: owner 'A Co' cannot own itself", WIDTHS),
    ("owners", "A Co,B Co,150,US", "owners line 1: percent 150 of 'B Co' held by 'A Co' is "
     "outside 0-100", DESKTOP),
    ("end_use", "non-military", "end use 'non-military' says what the goods are not for",
     WIDTHS),
]
#: the facts boxes: their notice follows the facts section and takes the focus
FACTS = [("headquarters", "Atlantis", "unknown headquarters country 'Atlantis'"),
         ("conditions_met", "XYZ", "unknown licence exception(s) XYZ in conditions met")]
SCREEN = [("name", "Co., Ltd.", "name 'Co., Ltd.' is only a legal form"),
          ("dob", "1970-13-01", "date of birth '1970-13-01': month 13 does not exist"),
          ("country", "Narnia", "unknown country 'Narnia'")]


def _cases(rows):
    return [pytest.param(*row[:3], viewport, id=f"{row[0]}-{row[1]}{suffix}")
            for row in rows for viewport, suffix in row[3]]


def _refused_check(page, base: str, box: str, typed: str) -> int:
    """The Check form with a good line and ``typed`` in ``box``; the answer's status. A number
    box's own checks are taken off (min, type): the service's answer is what is under test,
    as a client without them gets it."""
    page.goto(f"{base}/check")
    page.get_by_label("Item").fill("3A001.a.2")
    page.get_by_label("Destination").fill("HK")
    page.get_by_label("Date of export").fill("2021-01-15")
    page.evaluate("""n => { const e = document.querySelector(`[name=${n}]`);
        e.removeAttribute('min'); if (e.type === 'number') e.type = 'text';
        const d = e.closest('details'); if (d) d.open = true; }""", box)
    page.locator(f'[name="{box}"]').fill(typed)
    return send(page, "/check", page.get_by_role("button", name="Check", exact=True))


@pytest.mark.parametrize(("box", "typed", "words", "viewport"), _cases(CHECK))
def test_a_refused_check_input_is_under_its_box(
        browser, server, box, typed, words, viewport) -> None:  # noqa: F811
    name = f"r39_check_{box}_{viewport[0]}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        assert _refused_check(page, server, box, typed) in (400, 422)
        assert words in shown_under(page, box, f"{box}-error")
        assert page.locator('[aria-invalid="true"]').count() == 1
        assert page.locator("#form-error").count() == 0  # not at the form's top as well
        if box != "quantity":  # a number box shows no 'abc' the answer gives it back
            assert page.locator(f'[name="{box}"]').input_value() == typed  # what was typed stays
        seen(page, name)


@pytest.mark.parametrize(("box", "typed", "words", "viewport"),
                         _cases([(*row, WIDTHS) for row in FACTS]))
def test_a_refused_fact_marks_its_box_and_focuses_its_notice(
        browser, server, box, typed, words, viewport) -> None:  # noqa: F811
    """A facts box was left unmarked: a screen reader reaching it heard nothing was wrong."""
    name = f"r39_fact_{box}_{viewport[0]}"
    with signed_in(browser, server, "officer", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        assert _refused_check(page, server, box, typed) == 400
        notice = page.locator(f"#{box}-error")
        notice.wait_for(state="visible")
        wait_until(page, "i => document.activeElement && document.activeElement.id === i",
                   f"{box}-error")
        assert words in notice.inner_text()
        field = page.locator(f'[name="{box}"]')
        assert field.get_attribute("aria-invalid") == "true"
        assert field.get_attribute("aria-describedby") == f"{box}-error"
        assert field.is_visible() and field.input_value() == typed
        assert page.locator('[aria-invalid="true"]').count() == 1
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"the page is {width}px wide"
        seen(page, name)


@pytest.mark.parametrize(("box", "typed", "words"), SCREEN, ids=[r[0] for r in SCREEN])
def test_a_refused_screen_input_is_under_its_box(
        browser, server, box, typed, words) -> None:  # noqa: F811
    name = f"r39_screen_{box}"
    with signed_in(browser, server, "officer", name, expected_error=REFUSED) as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("Chan Tai Man")
        page.locator(f'form [name="{box}"]').first.fill(typed)
        assert send(page, "/screen", page.get_by_role("button", name="Screen")) == 400
        assert words in shown_under(page, box, f"{box}-error")
        assert page.locator('[aria-invalid="true"]').count() == 1
        seen(page, name)
