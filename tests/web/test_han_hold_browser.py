"""A Han-script end user read into a Latin listing, in headless chromium: the officer sees a
potential match held for review (the reading, not the letters, matched), not a decided line."""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import check, server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("viewport", "shot"), [((1280, 900), "han_hold"),
                                                ((390, 844), "han_hold_phone")])
def test_han_end_user_matched_through_a_reading_is_held(browser, server,  # noqa: F811
                                                        viewport, shot) -> None:
    # 林鄭月娥 reads "Lam Cheng Yuet-ngor" in Cantonese: Carrie Lam's SDN alias (samples)
    with signed_in(browser, server, "officer", shot, viewport=viewport) as page:
        check(page, "EAR99", "HK", "2024-01-01", end_user="林鄭月娥")
        line = page.get_by_role("article", name="On 2024-01-01").inner_text()
        assert "HOLD for review" in line and "if confirmed: PROHIBITED" in line
        assert "Potential match (end user)" in line and "not the exact name" in line
        review_shot(page, shot)
