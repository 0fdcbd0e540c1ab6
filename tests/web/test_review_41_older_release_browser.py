"""Review 41 in headless chromium: the Lists page refuses an older release under the Files box,
says which box to tick, and once ticked loads it and marks the version in the table; at a
laptop's and a phone's width. The lists end as they began: the sample DPL's content."""

from __future__ import annotations

import pytest

from exportcheck.screen.service import SAMPLES_DIR
from tests.browser import review_shot
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_review_28_browser import REFUSED, WIDTHS, shown_under

pytestmark = pytest.mark.browser


def _load(page, path) -> int:
    page.get_by_label("Files").set_input_files(str(path))
    with page.expect_response(lambda r: r.url.endswith("/lists/load")) as answer:
        page.get_by_role("button", name="Load and activate").click()
    page.wait_for_load_state()
    return answer.value.status


@pytest.mark.parametrize(("viewport", "suffix"), WIDTHS)
def test_an_older_release_is_refused_then_loaded_on_purpose(
        browser, server, tmp_path, viewport, suffix) -> None:  # noqa: F811
    original = SAMPLES_DIR / "dpl.txt"
    newer = tmp_path / "newer" / "dpl.txt"
    newer.parent.mkdir()
    text = original.read_text(encoding="utf-8")
    row = text.splitlines()[1].split("\t")
    row[0] = '"Review Forty-One Made-Up Trading Co"'
    newer.write_text(text.rstrip("\n") + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    name = f"r41_lists_older{suffix}"
    with signed_in(browser, server, "admin", name, viewport=viewport,
                   expected_error=REFUSED) as page:
        page.goto(f"{server}/lists")
        assert _load(page, newer) == 200
        page.goto(f"{server}/lists")
        assert _load(page, original) == 422
        words = shown_under(page, "files", "files-error")
        assert "the release stored as version" in words
        assert "tick 'load an older release on purpose'" in words
        review_shot(page, f"{name}_refused", full_page=False)
        page.get_by_role("checkbox", name="load an older release on purpose").check()
        assert _load(page, original) == 200
        assert page.get_by_text("an older release, loaded on purpose").first.is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"the page is {width}px wide"
        review_shot(page, f"{name}_loaded")
