"""Review 27 in headless chromium: the Content-Security-Policy takes scripts only from the
service's own files, and the pages still work without their inline script and handlers."""

from __future__ import annotations

import pytest

from tests.browser import screenshot
from tests.web.test_browser import browser, server, signed_in  # noqa: F401 (fixtures)

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
        screenshot(page, "r27_impact_form")
