"""The web UI in headless Debian chromium (Playwright), against ``exportcheck serve``.

The main flows of a compliance officer: sign in, screen 陳大文 and see the hit explained,
check 3A001.a.2 to Hong Kong on 29 Jun 2020 and 15 Jan 2021 and see the outcomes differ, post a
shipment that over-draws a licence and see the refusal, reverse one posted by mistake, verify
the audit chain; plus the admin's list load, an impact run, a phone-width page and
keyboard-only sign-in. A failing test leaves its screenshot in tests/artifacts/.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from exportcheck.screen.service import SAMPLES_DIR
from tests.browser import require_chromium, review_shot, screenshot, wait_until
from tests.web.conftest import Service, prepare_database
from tests.web.live import live_server

pytestmark = pytest.mark.browser


@contextmanager
def browser_service(folder: Path) -> Iterator[tuple[str, str]]:
    """``exportcheck serve`` on a prepared SQLite database in ``folder``: its base URL and the
    database URL (for a test that alters what is stored)."""
    require_chromium()
    url = f"sqlite:///{folder / 'web.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("EXPORTCHECK_DATA_DIR", str(folder / "data"))
    try:
        prepare_database(url)
        with live_server(url, folder / "data") as base:
            yield base, url
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with browser_service(tmp_path_factory.mktemp("browser")) as (base, _):
        yield base


#: (server, role) -> the cookies of a signed-in browser: a test starts signed in without
#: typing the password again (argon2 and two page loads, a second a test). Signing in itself
#: is tested where it is the subject (wrong password, keyboard only, first start).
_SIGNED_IN: dict[tuple[str, str], Any] = {}


@contextmanager
def signed_in(browser, base: str, role: str, name: str, *,
              viewport: tuple[int, int] = (1280, 900), expected_error: str | None = None):
    """A page signed in as ``role``; console errors (but ``expected_error``) fail the test;
    a screenshot on failure."""
    state = _SIGNED_IN.get((base, role))
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  storage_state=state)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    try:
        if state is not None:
            page.goto(f"{base}/")
        if state is None or "/login" in page.url:  # first time, or a test signed out
            page.goto(f"{base}/login")
            page.get_by_label("User name").fill(role)
            page.get_by_label("Password").fill(Service.password(role))
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda u: "/login" not in u)
            _SIGNED_IN[(base, role)] = context.storage_state()
        yield page
        unexpected = [e for e in errors if not (expected_error and expected_error in e)]
        assert not unexpected, f"errors in the page console: {unexpected}"
    except BaseException:
        with suppress(Exception):
            screenshot(page, f"web_{name}")
        raise
    finally:
        context.close()


def test_sign_in_refuses_a_wrong_password_then_lets_the_officer_in(browser, server):
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{server}/check")
        assert "/login" in page.url  # not signed in: sent to the sign-in page
        page.get_by_label("User name").fill("officer")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        assert "wrong user name or password" in page.get_by_role("alert").inner_text()
        page.get_by_label("Password").fill(Service.password("officer"))
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/check")  # back where the officer wanted to go
        assert page.get_by_role("heading", name="Check an order line").is_visible()
        assert "officer" in page.locator(".who").inner_text()
        cookie = next(c for c in context.cookies() if c["name"] == "exportcheck_session")
        assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Lax"
    except BaseException:
        screenshot(page, "web_sign_in")
        raise
    finally:
        context.close()


def check(page, item: str, destination: str, on: str, *, compare: str | None = None,
          end_user: str | None = None) -> None:
    """Fill the Check form (the officer's landing page) and send it."""
    page.get_by_label("Item").fill(item)
    page.get_by_label("Destination").fill(destination)
    page.get_by_label("Date of export").fill(on)
    if compare:
        page.get_by_label("Compare with date").fill(compare)
    if end_user:
        page.get_by_label("End user (screened)").fill(end_user)
    page.get_by_role("button", name="Check", exact=True).click()


def test_check_on_two_dates_shows_both_outcomes_and_what_changed(browser, server):
    with signed_in(browser, server, "officer", "check") as page:
        check(page, "3A001.a.2", "HK", "2020-06-29", compare="2021-01-15")
        before = page.get_by_role("article", name="On 2020-06-29")
        after = page.get_by_role("article", name="On 2021-01-15")
        assert "EXCEPTION AVAILABLE" in before.locator(".outcome").inner_text()
        assert "LICENSE REQUIRED" in after.locator(".outcome").inner_text()
        changes = page.get_by_role("article", name="what changed").inner_text()
        assert "HK determined as CN under the EAR" in changes and "85 FR 83765" in changes
        assert "no longer: License Exception LVS" in changes
        # the trace names the rules with their citations
        assert "15 CFR 740.2(a)(23)" in before.inner_text() or "740.2" in after.inner_text()
        review_shot(page, "web_check")


@pytest.mark.parametrize(("viewport", "shot"), [((1280, 900), "web_check_scope"),
                                                ((390, 844), "web_check_scope_phone")])
def test_check_shows_the_outcome_outside_a_scope_in_words(browser, server, viewport, shot):
    with signed_in(browser, server, "officer", shot, viewport=viewport) as page:
        page.get_by_label("Item").fill("5E001.b.1")
        page.get_by_label("Destination").fill("CA")
        page.get_by_label("Date of export").fill("2026-07-01")
        page.get_by_role("button", name="Check", exact=True).click()
        art = page.get_by_role("article", name="On 2026-07-01")
        assert "LICENSE REQUIRED" in art.locator(".outcome").first.inner_text()
        scope = art.locator(".if-out-of-scope")
        assert "NLR" in scope.locator(".outcome").inner_text()
        assert "5A001.f.1" in scope.inner_text()
        review_shot(page, shot)


def test_check_with_consignee_and_owners_shows_the_ownership_chain(browser, server):
    """An unlisted consignee 55% owned by a holding that a sample SDN entity owns 60%: the
    holding is blocked, so the consignee is too (OFAC 50 Percent Rule); the page shows the
    chain, and stays within a 390px phone."""
    owners = ("owner,owned,percent,owner_country\n"
              "AEROCARIBBEAN AIRLINES,Caribe Holdings SA,60,CU\n"
              "Caribe Holdings SA,Harbour Trading Ltd,55,PA")
    for name, viewport in (("web_check_owners", (1280, 900)),
                           ("web_check_owners_phone", (390, 844))):
        with signed_in(browser, server, "officer", name, viewport=viewport) as page:
            page.goto(f"{server}/check")
            page.get_by_label("Item").fill("EAR99")
            page.get_by_label("Destination").fill("DE")
            page.get_by_label("Date of export").fill("2024-03-01")
            page.get_by_label("Consignee (screened)").fill("Harbour Trading Ltd")
            page.get_by_label("Owners (optional)").fill(owners)
            page.get_by_role("button", name="Check", exact=True).click()
            result = page.get_by_role("article", name="On 2024-03-01")
            assert "PROHIBITED" in result.locator(".outcome").inner_text()
            chain = result.locator(".chain").inner_text()
            assert ("owned 55% by Caribe Holdings SA [owned 60% by AEROCARIBBEAN AIRLINES"
                    in chain and "50 Percent Rule" in chain)
            assert "Harbour Trading Ltd" in result.locator(".facts").inner_text()
            assert page.get_by_label("Owners (optional)").input_value() == owners
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport[0], f"the page is {width}px wide at {viewport[0]}px"
            review_shot(page, name)


def _list_with_chan_tai_man(folder: Path) -> Path:
    """The bundled CSL sample plus one entry named 'CHAN, Tai Man' (a test fixture: 陳大文 is
    Hong Kong's placeholder name, like John Doe; it is on no real list)."""
    rows = list(csv.DictReader((SAMPLES_DIR / "consolidated.csv").open(encoding="utf-8")))
    extra = dict.fromkeys(rows[0], "") | {
        "_id": "csl-fixture-chan-tai-man", "name": "CHAN, Tai Man", "type": "Individual",
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "addresses": "Hong Kong", "remarks": "test fixture, not a real listing"}
    path = folder / "consolidated.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([*rows, extra])
    return path


def _upload_chan_tai_man(page, server: str, folder: Path) -> str:
    """Upload the fixture list as the signed-in admin; the status line it shows."""
    page.goto(f"{server}/lists")
    page.get_by_label("Files").set_input_files(str(_list_with_chan_tai_man(folder)))
    page.get_by_role("button", name="Load and activate").click()
    return page.get_by_role("status").last.inner_text()


def test_admin_loads_a_list_then_officer_screens_han_name_and_clears_the_hit(
        browser, server, tmp_path):
    with signed_in(browser, server, "admin", "lists_load") as page:
        assert "Consolidated Screening List (trade.gov): activated" in _upload_chan_tai_man(
            page, server, tmp_path)
        page.get_by_role("row", name="csl").get_by_role("link", name="what changed").click()
        assert "1 added" in page.locator("p.lead").inner_text()
        assert "CHAN, Tai Man" in page.locator("main").inner_text()

    with signed_in(browser, server, "officer", "screen") as page:
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("陳大文")
        page.get_by_role("button", name="Screen").click()
        hit = page.locator("article.hit").first
        assert "CHAN, Tai Man" in hit.inner_text()
        why = hit.locator("ul.why").inner_text()
        assert "query read as HK Cantonese romanisation: chan tai man" in why
        review_shot(page, "web_screen")
        hit.locator("summary").click()
        hit.get_by_label("Reason").fill("different person: ID checked")
        hit.get_by_role("button", name="Clear this hit").click()
        assert "cleared EL" in page.get_by_role("status").last.inner_text()
        # no longer an open hit, but still reported: cleared, by whom and why
        assert page.locator("article.hit", has_text="CHAN, Tai Man").count() == 0
        cleared = page.locator("ul.cleared").inner_text()
        assert "CHAN, Tai Man" in cleared and "cleared by officer" in cleared
        assert "different person: ID checked" in cleared


def test_potential_match_holds_the_line_until_an_officer_confirms_it(
        browser, server, tmp_path):
    """CHAN, Tai Man is on the (fixture) Entity List with a Hong Kong address. An order to a
    German end user of that name is held, not decided: the name is exact but nothing else
    agrees. The officer confirms the match from the screening page; the next check applies it."""
    with signed_in(browser, server, "admin", "hold_upload") as page:
        assert "Consolidated Screening List (trade.gov):" in _upload_chan_tai_man(
            page, server, tmp_path)

    def check(page) -> str:
        page.goto(f"{server}/check")
        page.get_by_label("Item").fill("EAR99")
        page.get_by_label("Destination").fill("DE")
        page.get_by_label("Date of export").fill("2024-03-01")
        page.get_by_label("End user (screened)").fill("CHAN, Tai Man")
        page.get_by_role("button", name="Check", exact=True).click()
        return page.get_by_role("article", name="On 2024-03-01").inner_text()

    with signed_in(browser, server, "officer", "hold") as page:
        held = check(page)
        assert "HOLD for review" in held and "if confirmed: LICENSE REQUIRED" in held
        assert "Potential match (end user)" in held and "exact name match but no other" in held
        review_shot(page, "web_hold")
        page.goto(f"{server}/screen")
        page.get_by_label("Name").fill("CHAN, Tai Man")
        page.get_by_label("Country (optional)").fill("DE")
        page.get_by_role("button", name="Screen").click()
        hit = page.locator("article.hit").filter(has_text="Entity List").first
        assert "exact name match" in hit.inner_text()
        hit.locator("summary").click()
        hit.get_by_label("Reason").fill("passport matches the listing; same person")
        hit.get_by_role("button", name="Confirm").click()
        assert "confirmed EL" in page.get_by_role("status").last.inner_text()
        decided = check(page)
        assert "HOLD" not in decided and "LICENSE REQUIRED" in decided
        assert "confirmed by officer" in decided


def test_overdrawing_shipment_is_refused_with_its_rule(browser, server):
    # refused: answered 409, as the API answers it (review 28b); chromium logs the status
    with signed_in(browser, server, "officer", "ship",
                   expected_error="the server responded with a status of 409") as page:
        page.goto(f"{server}/licences")
        bars = page.locator(".bar")
        assert bars.count() == 3  # the three seeded DSP-5 licences, with drawdown bars
        page.get_by_label("Licence", exact=True).select_option("DSP5-HK-2019-001")
        page.get_by_label("Ship date").fill("2020-05-01")  # before the 2020 suspension
        page.get_by_label("Destination").fill("HK")
        page.get_by_label("Classification").fill("I(a)")
        page.get_by_label("Quantity").fill("301")
        page.get_by_label("Value (USD)").fill("301000")
        page.get_by_label("Consignee").fill("Hong Kong Police Force")
        page.get_by_label("End user").fill("Hong Kong Police Force")
        page.get_by_role("button", name="Post shipment").click()
        refusal = page.get_by_role("alert", name="shipment refused")
        text = refusal.inner_text()
        assert "Shipment refused" in text and "Rule:" in text
        assert "300" in text  # the remaining balance the shipment would exceed
        review_shot(page, "web_refusal")
        # nothing was drawn: still $600,000 shipped on that licence
        row = page.locator("table.licences").get_by_role("row", name="DSP5-HK-2019-001")
        assert "$600,000 shipped" in row.inner_text()


def test_officer_reverses_a_shipment_after_seeing_what_it_drew(browser, server):
    with signed_in(browser, server, "officer", "reverse") as page:
        page.goto(f"{server}/licences")
        page.get_by_label("Shipments of").select_option("DSP5-HK-2019-003")
        page.get_by_role("button", name="Show").click()
        page.wait_for_url("**/licences?licence=DSP5-HK-2019-003")
        rows = page.locator("table.shipments tbody tr")
        assert rows.count() == 1 and "hk19-003-a" in rows.first.inner_text()
        rows.first.get_by_role("link", name="Reverse…").click()
        facts = page.get_by_role("article", name="the shipment").inner_text()
        assert "licence DDTC DSP5-HK-2019-003" in facts and "$300,000.00" in facts
        page.get_by_label("Reason").fill("posted against the wrong licence")
        page.get_by_label("Reference").fill("AES correction X2020")
        review_shot(page, "web_reverse_confirm")
        page.get_by_role("button", name="Reverse shipment").click()
        ok = page.get_by_role("status").filter(has_text="reversed").inner_text()
        assert "$300,000.00 given back to DSP5-HK-2019-003" in ok
        row = page.locator("table.licences").get_by_role("row", name="DSP5-HK-2019-003")
        assert "$0 shipped" in row.inner_text()
        reversed_row = page.locator("table.shipments tr.reversed")
        assert "posted against the wrong licence" in reversed_row.inner_text()
        review_shot(page, "web_reversed")


def test_audit_chain_verifies_in_the_browser(browser, server):
    with signed_in(browser, server, "viewer", "audit") as page:
        page.goto(f"{server}/audit")
        page.get_by_role("button", name="Verify the chain").click()
        result = page.get_by_role("status", name="verification").inner_text()
        assert result.startswith("Chain verified") and "ledger tables agree" in result
        page.get_by_label("Kind").fill("shipment")
        page.get_by_role("button", name="Filter").click()
        page.wait_for_url("**kind=shipment**")  # htmx swaps the page in and pushes the URL
        wait_until(page, "() => [...document.querySelectorAll("
                         "'table.audit tbody td:nth-child(4)')]"
                         ".every(td => td.innerText.startsWith('shipment'))")
        kinds = page.locator("table.audit tbody td:nth-child(4)").all_inner_texts()
        assert kinds and all(k.startswith("shipment") for k in kinds)


def test_impact_run_shows_the_report(browser, server):
    with signed_in(browser, server, "officer", "impact") as page:
        page.goto(f"{server}/impact")
        page.get_by_role("button", name="Run").click()
        page.wait_for_url("**/impact/*")
        lead = page.locator("p.lead").inner_text()
        assert "24 of 54 order lines change" in lead
        frame = page.frame_locator("iframe.report")
        assert "24" in frame.locator("body").inner_text()


def test_viewer_cannot_screen_and_is_told_why(browser, server):
    with signed_in(browser, server, "viewer", "viewer_refused", expected_error="403") as page:
        assert "/licences" in page.url  # a viewer lands on a page they can use
        nav = page.get_by_role("navigation", name="main").inner_text()
        assert "Screen" not in nav and "Audit" in nav
        page.goto(f"{server}/screen")
        assert "needs the officer role" in page.get_by_role("alert").inner_text()


def test_phone_width_and_keyboard_only_sign_in(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        page.goto(f"{server}/login")
        # the user name field has the focus (autofocus): wait for it, or the first keystroke
        # can land before the focus does on a busy machine
        wait_until(page, "document.activeElement && document.activeElement.name === "
                         "'username'")
        page.keyboard.type("officer")
        page.keyboard.press("Tab")
        page.keyboard.type(Service.password("officer"))
        page.keyboard.press("Enter")
        page.wait_for_url("**/check")
        page.get_by_label("Item").fill("3A991")
        page.get_by_label("Destination").fill("HK")
        page.get_by_label("Date of export").fill("2021-01-15")
        page.get_by_label("End-user type").select_option("military")
        page.get_by_role("button", name="Check", exact=True).click()
        assert "LICENSE REQUIRED" in page.locator(".outcome").first.inner_text()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page is {width}px wide on a 390px phone"
        review_shot(page, "web_check_phone")
        # the first Tab reaches "Skip to content", shown; Enter goes past the navigation
        page.goto(f"{server}/licences")
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Skip to content")
        assert skip.evaluate("e => e === document.activeElement")
        box = skip.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, box  # on screen once focused
        review_shot(page, "web_skip_link_phone")
        page.keyboard.press("Enter")
        wait_until(page, "document.activeElement && document.activeElement.id === 'main'")
    except BaseException:
        screenshot(page, "web_phone")
        raise
    finally:
        context.close()


def test_first_start_explains_how_to_create_the_first_admin(browser, tmp_path):
    """A fresh install has no account and no default password: the sign-in page says how to
    create the first administrator."""
    data = tmp_path / "data"
    with live_server(f"sqlite:///{tmp_path / 'fresh.db'}", data) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        try:
            page.goto(f"{base}/")
            assert "/login" in page.url
            notice = page.get_by_role("status").inner_text()
            assert "No account exists yet" in notice and "no default password" in notice
            assert ("exportcheck users add NAME --role admin --password-stdin"
                    in page.locator("pre").inner_text())
            review_shot(page, "web_first_start")
        except BaseException:
            screenshot(page, "web_first_start_failed")
            raise
        finally:
            context.close()
