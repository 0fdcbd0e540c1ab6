"""Review 26 in headless chromium: the REST API's /docs page.

FastAPI's default /docs page loaded Swagger UI's script and style from cdn.jsdelivr.net and
its icon from fastapi.tiangolo.com: where only the service's host is reachable (a bank's
network, this CI) the page stayed blank, and front-end code came from a CDN. Swagger UI now
comes from the npm registry at set-up time and is served by the service itself.
"""

from __future__ import annotations

from contextlib import suppress

import pytest

from exportcheck.web.ui import VENDOR_DIR
from tests.browser import review_shot, screenshot
from tests.web.test_browser import server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_docs_render_from_the_service_alone(browser, server) -> None:  # noqa: F811
    assert (VENDOR_DIR / "swagger-ui-bundle.js").is_file(), "run scripts/_vendor.sh"
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    elsewhere: list[str] = []
    errors: list[str] = []

    def only_the_service(route) -> None:
        if route.request.url.startswith(server) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_service)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{server}/docs")
        page.locator(".swagger-ui .opblock").first.wait_for(timeout=20_000)
        assert page.locator(".swagger-ui .info .title").inner_text().startswith("exportcheck")
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any(p.startswith("/api/v1/determinations") for p in paths), paths[:5]
        assert not elsewhere, elsewhere
        assert not errors, errors
        review_shot(page, "r26_docs")
    except BaseException:
        with suppress(Exception):
            screenshot(page, "r26_docs_failed")
        raise
    finally:
        context.close()
