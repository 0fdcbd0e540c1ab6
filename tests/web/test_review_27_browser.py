"""Review 27 in headless chromium: the Content-Security-Policy takes scripts only from the
service's own files, and the pages still work without their inline script and handlers."""

from __future__ import annotations

import pytest

from tests.browser import review_shot
from tests.web.test_browser import check, server, signed_in  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_an_injected_inline_script_does_not_run(browser, server) -> None:  # noqa: F811
    with signed_in(browser, server, "officer", "r27_csp",
                   expected_error="Content Security Policy") as page:
        page.goto(f"{server}/screen")
        page.evaluate("""() => { const s = document.createElement('script');
            s.textContent = 'window.injected = 1'; document.body.append(s);
            const i = document.createElement('img'); i.src = 'data:,';
            i.setAttribute('onerror', 'window.injected = 2'); document.body.append(i); }""")
        page.wait_for_timeout(300)
        assert page.evaluate("window.injected") is None
        # the page's own scripts (htmx, app.js) did run
        assert page.evaluate("typeof window.htmx") == "object"


def test_choosing_an_order_file_ticks_the_upload_option(browser, server,  # noqa: F811
                                                        tmp_path) -> None:
    orders = tmp_path / "orders.csv"
    orders.write_text("item,destination\nEAR99,HK\n", encoding="utf-8")
    with signed_in(browser, server, "officer", "r27_impact_form") as page:
        page.goto(f"{server}/impact")
        upload = page.locator("#portfolio-upload")
        assert not upload.is_checked()
        page.locator("input[type=file][name=orders]").set_input_files(str(orders))
        assert upload.is_checked()
        review_shot(page, "r27_impact_form")


def test_a_lookback_shows_a_party_listed_between_the_two_dates(browser, server) -> None:  # noqa: F811
    """Huawei on 15 and 16 May 2019: the Entity List entry took effect on the 16th (84 FR
    22961); the earlier answer says why the match was not applied."""
    with signed_in(browser, server, "officer", "r27_lookback") as page:
        check(page, "EAR99", "CN", "2019-05-15", compare="2019-05-16",
              end_user="Huawei Technologies Co., Ltd.")
        before = page.get_by_role("article", name="On 2019-05-15")
        after = page.get_by_role("article", name="On 2019-05-16")
        assert "NLR" in before.locator(".outcome").first.inner_text()
        assert "LICENSE REQUIRED" in after.locator(".outcome").first.inner_text()
        caveats = before.locator(".caveats").inner_text()
        assert "not yet listed" in caveats and "2019-05-16" in caveats
        review_shot(page, "r27_lookback")


def test_an_admin_gives_the_day_the_files_were_published(browser, server,  # noqa: F811
                                                        tmp_path) -> None:
    from tests.web.test_browser import _list_with_chan_tai_man

    with signed_in(browser, server, "admin", "r27_lists_published") as page:
        page.goto(f"{server}/lists")
        page.get_by_label("Files").set_input_files(str(_list_with_chan_tai_man(tmp_path)))
        page.get_by_label("Published on (optional)").fill("2026-07-01")
        page.get_by_role("button", name="Load and activate").click()
        assert "Consolidated Screening List (trade.gov): activated" in page.get_by_role(
            "status").last.inner_text()
        assert "lists dated 2026-07-01" in page.get_by_role("row", name="csl").inner_text()
        review_shot(page, "r27_lists_published")
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        review_shot(page, "r27_lists_published_phone")
