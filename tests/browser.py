"""Browser tests in headless Debian chromium, driven by Playwright, with nothing from the network.

Playwright's own browser downloads are not used: the tests drive the distribution's
``/usr/bin/chromium`` (``scripts/test`` installs it). Without it a browser test skips on a
developer machine and fails under CI, so CI never passes by silently not looking at a page.

    log = PageLog()
    with open_page(path, "my_page", log=log) as page:  # on failure: tests/artifacts/my_page.png
        ...                                          # log.errors, log.blocked: what went wrong

or, through the ``browser_page`` fixture, ``with browser_page(path, "my_page") as page:``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page, Route

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


@dataclass
class PageLog:
    """What the page complained about, and what it tried to fetch from outside."""

    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def require_chromium() -> None:
    """Skip without a browser on a developer machine; under CI a missing browser is a failure."""
    why = ""
    if not CHROMIUM.exists():
        why = f"{CHROMIUM} not found (apt-get install chromium fonts-noto-cjk; scripts/test does)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            why = "playwright is not installed (pip install -e '.[dev]')"
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"{why}; CI must run the browser tests.")
        pytest.skip(why)


def wait_until(page: Any, expression: str, arg: Any = None, timeout: float = 10.0) -> None:
    """Wait until ``expression`` (a JavaScript expression, or a function of ``arg``) is truthy
    in ``page`` (or a frame). Not ``wait_for_function``: it polls by ``eval`` in the page, which
    the service's Content-Security-Policy refuses ('unsafe-eval' is not allowed), so a wait
    that was not over at its first check failed at random. ``evaluate`` goes through the
    browser's protocol, which the policy does not govern."""
    import time

    deadline = time.monotonic() + timeout
    while not (page.evaluate(expression, arg) if arg is not None else page.evaluate(expression)):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression}")
        time.sleep(0.05)


def screenshot(page: Page, name: str) -> Path:
    """A full-page PNG in tests/artifacts/<name>.png: what a failing test saw."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def review_wanted() -> bool:
    """Whether pages that passed are photographed for a person reviewing the UI: yes but under
    CI, where nobody looks and a full-page PNG costs a quarter of a second of CPU (about 20 s a
    run). ``EXPORTCHECK_SCREENSHOTS=1`` (or ``0``) says otherwise. A failing test writes its
    screenshot whatever this says."""
    flag = os.environ.get("EXPORTCHECK_SCREENSHOTS")
    if flag is not None:
        return flag.strip() not in ("", "0")
    return not os.environ.get("CI")


def review_shot(target: Any, name: str, *, full_page: bool = True) -> Path | None:
    """tests/artifacts/<name>.png of ``target`` (a page, whole unless ``full_page`` is false,
    or a locator) when :func:`review_wanted`; the path written, or None."""
    if not review_wanted():
        return None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    if full_page and hasattr(target, "viewport_size"):  # a Page; a Locator has no such option
        target.screenshot(path=str(path), full_page=True)
    else:
        target.screenshot(path=str(path))
    return path


@contextmanager
def open_page(
    target: str | Path,
    artifacts_name: str,
    *,
    offline: bool = True,
    viewport: tuple[int, int] = (1280, 900),
    log: PageLog | None = None,
    fail_on_errors: bool = True,
    policy: str | None = None,
) -> Iterator[Page]:
    """The page at ``target`` (a path or URL) in headless chromium; a screenshot if the block fails.

    ``offline`` aborts every request but the page itself and lists it in ``log.blocked``: a page
    that must work without a network shows here whether it does. Console errors and uncaught
    exceptions go to ``log.errors`` and, with ``fail_on_errors``, fail the block at its end.
    ``policy``: the file ``target`` served with this Content-Security-Policy (from a made-up
    http origin: a file:// page has no headers); each violation is a console error too.
    """
    require_chromium()
    from playwright.sync_api import sync_playwright

    url = Path(target).resolve().as_uri() if isinstance(target, Path) else str(target)
    if "://" not in url:
        url = Path(url).resolve().as_uri()
    served = Path(target).read_bytes() if policy is not None else b""
    if policy is not None:
        url = f"http://page.test/{Path(target).name}"
    log = PageLog() if log is None else log

    def route(r: Route) -> None:
        if policy is not None and r.request.url.split("#")[0] == url:
            r.fulfill(body=served, content_type="text/html; charset=utf-8",
                      headers={"content-security-policy": policy})
        elif r.request.url.split("#")[0] == url:
            r.continue_()
        else:
            log.blocked.append(r.request.url)
            r.abort()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
        )
        try:
            context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
            page = context.new_page()
            page.on("console", lambda m: log.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc: log.errors.append(f"uncaught: {exc}"))
            if policy is not None:  # an init script runs whatever the page's policy
                page.add_init_script("document.addEventListener('securitypolicyviolation', e =>"
                                     " console.error('CSP violation: ' + e.violatedDirective))")
            if offline or policy is not None:
                page.route("**/*", route)
            try:
                page.goto(url)
                yield page
                if fail_on_errors and log.errors:
                    raise AssertionError(f"errors in the page console: {log.errors}")
            except BaseException:
                with suppress(Exception):  # the page may be what broke: keep the first error
                    screenshot(page, artifacts_name)
                raise
        finally:
            browser.close()


@pytest.fixture
def browser_page() -> Callable[..., AbstractContextManager[Page]]:
    """``open_page`` for a test: ``with browser_page(path, "name") as page: ...``."""
    require_chromium()
    return open_page
