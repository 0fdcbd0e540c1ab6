"""Review 41 in headless chromium: the Screen page's held matches read whole at a laptop's and
a phone's width, under their own heading, after the "no entry" notice."""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_28_browser import WIDTHS

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_held_matches_show_under_their_heading(browser, server, viewport, suffix) -> None:  # noqa: F811
    name = f"r41_screen_held{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport) as page:
        page.goto(f"{server}/screen?name=Adel+Cherri")
        heading = page.get_by_role("heading", name="Held below the threshold")
        assert heading.is_visible()
        item = page.locator("ul.held li").first
        assert "CHERRI, Adel Mohamad" in item.inner_text() and "(partial)" in item.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"the page is {width}px wide"
        review_shot(page, name)
