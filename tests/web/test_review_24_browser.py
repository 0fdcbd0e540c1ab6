"""QA review 24 in headless chromium: a line held for a potential party match.

The hold was an inline box beside a green "NLR" badge: on a phone it wrapped over the badge
and clipped its own words, and the green badge read as a go-ahead for a line that must not
ship. Nothing on the answer led to where the hold is resolved. Now the hold is a block that
gives both answers (if cleared, if confirmed), the match links to the party's Screen page in a
new tab, and checking the line again after a disposition shows it resolved, and why.
"""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser

LINE = {"Item": "EAR99", "Destination": "DE", "Date of export": "2024-03-01",
        "End user (screened)": "Carrie Lam"}


def _check(page, server: str) -> None:  # noqa: F811
    page.goto(f"{server}/check")
    for label, value in LINE.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Check", exact=True).click()
    page.get_by_role("article", name="On 2024-03-01").wait_for()


def _overlaps(page, a: str, b: str) -> bool:
    """Does any box of the element ``a`` overlap a box of the element ``b``?"""
    return page.evaluate("""([a, b]) => {
        const boxes = s => [...document.querySelector(s).getClientRects()];
        return boxes(a).some(r => boxes(b).some(q => r.left < q.right && q.left < r.right
                                                    && r.top < q.bottom && q.top < r.bottom));
    }""", [a, b])


def test_a_held_line_on_a_phone_reads_as_a_hold_with_both_answers(browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "r24_hold_phone", viewport=(390, 844)) as page:
        _check(page, server)
        header = "article.determination header"
        hold = page.locator(f"{header} .hold")
        assert hold.get_by_role("alert").count() == 0 and hold.get_attribute("role") == "alert"
        text = " ".join(hold.inner_text().split())
        assert "HOLD for review: do not ship yet" in text
        assert "if cleared: NLR" in text and "if confirmed: PROHIBITED" in text
        # no outcome badge stands outside the hold, as a go-ahead of its own
        assert page.locator(f"{header} .outcome").count() == \
            hold.locator(".outcome").count() == 2
        # one box, inside the page's width, that covers no badge with its words
        assert len(page.evaluate(f"[...document.querySelector('{header} .hold')"
                                 ".getClientRects()]")) == 1
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert not _overlaps(page, f"{header} .hold > p:first-child",
                             f"{header} .hold-outcomes")
        review_shot(page, "r24_hold_phone")


def test_the_hold_links_to_the_screen_and_a_disposition_resolves_it(browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "r24_hold_resolve") as page:
        _check(page, server)
        # the audit option comes before the button it changes (ticked after, it did nothing)
        assert page.evaluate("""() => {
            const box = document.querySelector('input[name=record]');
            const go = [...document.querySelectorAll('button')]
                .find(b => b.textContent === 'Check');
            return !!(box.compareDocumentPosition(go) & Node.DOCUMENT_POSITION_FOLLOWING); }""")
        link = page.get_by_role("link", name="Review Carrie Lam and record a disposition")
        with page.context.expect_page() as opened:
            link.click()
        screen = opened.value
        screen.wait_for_load_state()
        assert screen.url.endswith("/screen?name=Carrie+Lam&country=DE")
        hit = screen.locator("article.hit").filter(has_text="29249").first
        hit.locator("summary").click()
        hit.get_by_label("Reason").fill("not her: born 1990, passport checked")
        hit.get_by_role("button", name="Clear this hit").click()
        screen.get_by_text("cleared SDN 29249").wait_for()
        screen.close()

        assert "/check" in page.url  # the line is still there: check it again
        page.get_by_role("button", name="Check", exact=True).click()
        page.locator(".cleared-match").first.wait_for()
        art = page.get_by_role("article", name="On 2024-03-01")
        assert art.locator(".hold").count() == 0
        assert "NLR" in art.locator(".outcome").first.inner_text()
        assert "not her: born 1990" in art.locator(".cleared-match").first.inner_text()
        review_shot(page, "r24_hold_resolved")
