"""The impact report in a sandbox, in headless chromium: its frame on the run's page has an
opaque origin (no cookie, page or API of the service's as the signed-in user), and is still
as tall as the report, which tells the page its height by postMessage; a report stored before
the sandbox is sized too, and no other message sizes the frame."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser import wait_until
from tests.web.test_browser import browser_service, signed_in
from tests.web.test_review_27_report_browser import fits, report_frame, report_screenshot

pytestmark = pytest.mark.browser

HEIGHT = "exportcheck-report-height"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The service (base URL) and its database URL, to store a report as an older version
    stored it."""
    with browser_service(tmp_path_factory.mktemp("sandbox")) as served_at:
        yield served_at


def run_impact(page, base: str) -> int:
    """An impact run of the sample portfolio made on the Impact page; its id."""
    page.goto(f"{base}/impact")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/impact/*")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def test_the_report_is_sandboxed_and_cannot_reach_the_service(browser, served) -> None:
    base, _ = served
    with signed_in(browser, base, "officer", "sandbox_report") as page:
        page.goto(f"{base}/impact")
        with page.expect_response(lambda r: r.url.endswith("/report")) as answer:
            page.get_by_role("button", name="Run").click()
        policy = answer.value.headers["content-security-policy"].split("; ")
        assert "sandbox allow-scripts" in policy
        frame = page.locator("iframe.report")
        assert frame.get_attribute("sandbox") == "allow-scripts"  # no allow-same-origin
        fits(page)
        report = report_frame(page)
        # an opaque origin: no cookie of the service's, no way into the page that frames it,
        # no storage; and its policy fetches nothing
        seen = report.evaluate("""() => {
            const tried = (f) => { try { return ['ok', String(f())]; }
                                   catch (e) { return ['threw', e.name]; } };
            return {origin: self.origin, cookie: tried(() => document.cookie),
                    parent: tried(() => window.parent.document.title),
                    parentCookie: tried(() => window.parent.document.cookie),
                    storage: tried(() => localStorage.length)};
        }""")
        assert seen["origin"] == "null", seen
        assert seen["cookie"][0] == "threw" or seen["cookie"] == ["ok", ""], seen
        assert seen["parent"][0] == "threw" and seen["parentCookie"][0] == "threw", seen
        assert seen["storage"][0] == "threw", seen
        assert page.context.cookies()  # the page is signed in: a session cookie it has
        # the charts still draw in the sandbox
        charts = page.frame_locator("iframe.report").locator(".chart svg")
        assert charts.count() == int(report.evaluate("document.body.dataset.chartsReady")) > 0
        report_screenshot(page, "sandbox_report")


def test_the_report_in_its_own_tab_is_sandboxed_too(browser, served) -> None:
    base, _ = served
    with signed_in(browser, base, "officer", "sandbox_report_tab") as page:
        run_id = run_impact(page, base)
        page.goto(f"{base}/api/v1/impact-runs/{run_id}/report")
        page.locator("body[data-charts-ready]").wait_for(state="attached", timeout=15_000)
        assert page.evaluate("self.origin") == "null"
        assert page.evaluate("(() => { try { return document.cookie; }"
                             " catch (e) { return e.name; } })()") in ("", "SecurityError")


def test_a_report_stored_before_the_sandbox_is_sized(browser, served) -> None:
    """Reports are stored as render_report made them, with no sizing script: the service adds
    it when it serves one. Here a run's stored report is replaced by one as stored before Vega's
    interpreter (its charts compile their expressions), with any sizing script stripped."""
    import sqlalchemy as sa

    from exportcheck.impact.served import SIZING

    base, url = served
    with signed_in(browser, base, "officer", "sandbox_old_report", viewport=(390, 844)) as page:
        run_id = run_impact(page, base)
        engine = sa.create_engine(url)
        try:
            with engine.begin() as db:
                html = db.execute(sa.text("SELECT report_html FROM impact_runs WHERE id = :i"),
                                  {"i": run_id}).scalar_one()
                assert SIZING not in html  # stored as render_report made it: added when served
                old = html.replace(SIZING, "").replace("renderer: 'svg', ast: true};",
                                                       "renderer: 'svg'};")
                assert "ast: true" not in old and SIZING not in old
                db.execute(sa.text("UPDATE impact_runs SET report_html = :h WHERE id = :i"),
                           {"h": old, "i": run_id})
        finally:
            engine.dispose()
        with page.expect_response(lambda r: r.url.endswith("/report")) as answer:
            page.reload()
        served_html = answer.value.text()
        assert served_html.count(SIZING) == 1
        assert served_html.index(SIZING) > served_html.rindex("</main>")
        fits(page)
        report = report_frame(page)
        assert report.evaluate("document.documentElement.scrollHeight <= innerHeight")
        assert page.frame_locator("iframe.report").locator(".chart svg").count() > 0
        report_screenshot(page, "sandbox_old_report_phone")


def test_only_the_reports_own_height_message_sizes_its_frame(browser, served) -> None:
    base, _ = served
    with signed_in(browser, base, "officer", "sandbox_messages") as page:
        run_impact(page, base)
        height = fits(page)
        frame = page.locator("iframe.report")
        # a same-origin frame of the page's own, not the report's (no data-fit)
        page.evaluate("""() => { const f = document.createElement('iframe');
            f.name = 'other'; document.body.append(f);
            window.seen = 0; addEventListener('message', () => { window.seen += 1; }); }""")
        other = page.frame(name="other")
        assert other is not None
        report = report_frame(page)
        sent = [
            (report, {"type": "something-else", "height": 5000}),  # wrong type
            (report, {"height": 5000}),
            (report, {"type": HEIGHT, "height": "5000"}),  # not a number
            (report, {"type": HEIGHT, "height": -5}),
            (report, {"type": HEIGHT, "height": 0}),
            (report, {"type": HEIGHT, "height": 10_000_000}),  # out of bounds
            (other, {"type": HEIGHT, "height": 5000}),  # another window
            (page.main_frame, {"type": HEIGHT, "height": 5000}),  # the page itself
        ]
        for window, message in sent:
            window.evaluate("m => window.parent.postMessage(m, '*')", message)
        for window in (report, other):  # not JSON: sent as they are
            window.evaluate(f"window.parent.postMessage({{type: '{HEIGHT}', height: Infinity}},"
                            " '*')")
            window.evaluate(f"window.parent.postMessage({{type: '{HEIGHT}', height: NaN}}, '*')")
        total = len(sent) + 4
        # app.js listens before the counter: when the counter has seen all, so has app.js
        wait_until(page, f"window.seen >= {total}")
        assert abs(frame.evaluate("f => f.clientHeight") - height) <= 2
        # and the report's own message of its type does size it: the above were refused
        report.evaluate(f"window.parent.postMessage({{type: '{HEIGHT}', height: 1234}}, '*')")
        wait_until(page, f"window.seen >= {total + 1}")
        assert frame.evaluate("f => f.clientHeight") == 1234
