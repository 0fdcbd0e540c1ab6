"""Review 34 (display), at a phone's 390 px and a laptop's 1280 px in headless chromium.

D. The impact report's timeline on a phone: "old 2020-06-29" and "new 2020-12-24" wrote over
   each other on one row, and the axis labels ran together ("01 Jul 202001 Oct 2020"). The
   two end labels now sit on rows of their own; an axis label that would touch its neighbour
   or leave the axis is dropped; below 480 px the axis gives months only.
E. The Check form showing errors: a box whose label wrapped to two lines sat below its row's
   other boxes. Each label now takes three rows of the form's grid (text, box, message),
   shared with its row (CSS subgrid).
F. Placeholders read as values: "3A001.a.2" in a red box marked "item classification is
   required" looked typed in. Now "e.g. 3A001.a.2", in muted italics.
G. Two Entity List entries (Huawei Technologies to CN) listed "EL Entity List" twice under
   "Reasons for control" (tests/determine/test_review_34_requirements.py has the model's side);
   both entries stay listed as screening hits.
H. Post a shipment: "none: under a licence exception" and "LVS, NLR, 126.4 (instead of a
   licence)" were cut off at 1280 px; both now fit their boxes.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from itertools import pairwise
from pathlib import Path

import polars as pl
import pytest
from fastapi.testclient import TestClient

from exportcheck.impact import impact
from exportcheck.impact.report import render_report
from tests.browser import review_shot, screenshot
from tests.web.conftest import Service
from tests.web.test_browser import server, signed_in  # noqa: F401 (fixtures)
from tests.web.test_ui_forms_review import HTML, client

PHONE = (390, 844)
DESK = (1280, 800)
HUAWEI = {"item": "EAR99", "destination": "CN", "date": "2024-03-01",
          "end_user": "Huawei Technologies"}


@pytest.fixture
def officer_client(service: Service) -> Iterator[TestClient]:
    b = client(service, "203.0.113.134", "officer")
    yield b
    b.close()


def _csrf(page: str) -> str:
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m
    return m.group(1)


def _placeholder(page: str, name: str) -> str:
    m = re.search(rf'<(?:input|textarea)[^>]*\bname="{name}"[^>]*\bplaceholder="([^"]*)"', page)
    assert m, f"no placeholder on {name!r}"
    return html.unescape(m.group(1))


# -- G. one reason a requirement, every entry a hit ----------------------------------------------
def test_two_entries_on_one_list_are_one_reason_and_two_hits(officer_client) -> None:
    b = officer_client
    token = _csrf(b.get("/check", headers=HTML).text)
    page = b.post("/check", headers=HTML, data={**HUAWEI, "csrf_token": token}).text
    reasons = re.search(r"<dt>Reasons for control</dt><dd>(.*?)</dd>", page, re.DOTALL)
    assert reasons, "no reasons for control"
    assert reasons.group(1).count('class="requirement"') == 1
    assert "Entity List" in reasons.group(1)
    hits = re.findall(r"<dt>Screening hit</dt><dd>([^<]*)", page)
    assert len(hits) == 2 and all(" ~ EL " in h for h in hits)
    assert len({h.split(" ~ EL ")[1].split()[0] for h in hits}) == 2  # two entry ids


# -- F. a placeholder is an example ---------------------------------------------------------------
@pytest.mark.parametrize(("path", "names"), [
    ("/check", ("item", "destination", "end_use", "headquarters", "conditions_met")),
    ("/audit", ("kind",)),
    ("/licences", ("licence_exception", "destination", "classification", "end_use")),
    ("/screen", ("name", "country", "dob")),
])
def test_an_example_in_a_box_says_it_is_one(officer_client, path, names) -> None:
    page = officer_client.get(path, headers=HTML).text
    for name in names:
        assert _placeholder(page, name).startswith("e.g. "), name


# -- browser: E, F, H on the service ---------------------------------------------------------------
#: the content box of a control and the width its text (or placeholder) needs, in its own font
_FITS = """s => { const e = document.querySelector(s), cs = getComputedStyle(e),
    ph = getComputedStyle(e, '::placeholder'),
    text = e.tagName === 'SELECT' ? e.options[e.selectedIndex].text : (e.value || e.placeholder),
    font = e.tagName !== 'SELECT' && !e.value ? ph.font : cs.font,
    ctx = document.createElement('canvas').getContext('2d');
    ctx.font = font;
    return {text, need: ctx.measureText(text).width,
            room: e.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight)}; }"""


def _tops(page, form: str, names: list[str]) -> dict[str, float]:
    return {n: page.locator(f"{form} [name={n}]").bounding_box()["y"] for n in names}


@pytest.mark.browser
def test_a_rows_boxes_line_up_when_one_label_wraps_and_errors_show(browser, server) -> None:  # noqa: F811
    """E and F: the empty Check form sent (the browser's own required check off, as an
    integration posting blanks would): each row's boxes at one height, the example muted."""
    with signed_in(browser, server, "officer", "r34_check_errors", viewport=DESK,
                   expected_error="422") as page:
        page.goto(f"{server}/check")
        page.evaluate("document.querySelectorAll('form [required]')"
                      ".forEach(e => e.removeAttribute('required'))")
        page.get_by_label("Date of export").fill("")
        page.get_by_role("button", name="Check", exact=True).click()
        page.locator("#item-error").wait_for(state="visible")
        row = ["item", "destination", "date", "compare"]
        tops = _tops(page, "form[action='/check']", row)
        lines = page.evaluate("""() => { const r = document.createRange();
            r.selectNodeContents(document.querySelector("form[action='/check'] label").firstChild);
            return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }""")
        assert lines == 2  # the premise: "Item (ECCN, EAR99 or USML:category)" wraps
        review_shot(page, "r34_check_errors")
        assert max(tops.values()) - min(tops.values()) <= 1, tops
        errors = [page.locator(f"#{n}-error").bounding_box()["y"] for n in ("item", "destination")]
        assert abs(errors[0] - errors[1]) <= 1, errors
        item = page.locator("[name=item]")
        assert item.get_attribute("aria-invalid") == "true" and item.input_value() == ""
        assert item.get_attribute("placeholder").startswith("e.g. ")
        style = item.evaluate("e => { const p = getComputedStyle(e, '::placeholder'),"
                              " v = getComputedStyle(e); return [p.fontStyle, p.color, v.color]; }")
        assert style[0] == "italic" and style[1] != style[2], style


@pytest.mark.browser
@pytest.mark.parametrize(("viewport", "suffix"), [(DESK, ""), (PHONE, "_phone")])
def test_the_licence_and_its_exception_read_whole(browser, server, viewport, suffix) -> None:  # noqa: F811
    """H: the Licence select on "none" and the exception's example fit their boxes, and the
    row's boxes line up (the select sits in a div of its own, not in its label)."""
    name = f"r34_ship_form{suffix}"
    with signed_in(browser, server, "officer", name, viewport=viewport) as page:
        page.goto(f"{server}/licences")
        form = "form[action='/licences/ship']"
        page.locator(f"{form} [name=licence_number]").select_option("")
        page.locator(form).scroll_into_view_if_needed()
        review_shot(page.locator(form), name)
        for box in ("select[name=licence_number]", "input[name=licence_exception]",
                    "input[name=destination]", "input[name=classification]",
                    "input[name=end_use]"):
            fit = page.evaluate(_FITS, f"{form} {box}")
            assert fit["need"] <= fit["room"], fit
        if viewport == DESK:
            tops = _tops(page, form, ["licence_number", "licence_exception", "ship_date"])
            assert max(tops.values()) - min(tops.values()) <= 1.5, tops


# -- D. the timeline chart of the impact report ---------------------------------------------------
def _report(folder: Path) -> Path:
    """The report of a real run from 29 Jun 2020 to 24 Dec 2020 (the reviewer's dates)."""
    frame = pl.DataFrame({
        "order_id": ["SO-1", "SO-2", "SO-3", "SO-4"],
        "customer": ["Kowloon Precision Ltd", "Harbour Trading", "Siemens AG", "Pearl Optics"],
        "item": ["3A001.a.2", "9A610.x", "3A001.a.2", "3A991.b"],
        "destination": ["HK", "HK", "DE", "HK"],
        "value": [250_000.0, 480_000.0, 150_000.0, 65_000.0],
    })
    result = impact(frame, date(2020, 6, 29), date(2020, 12, 24))
    assert result.summary.events  # the premise: rule events to draw
    path = folder / "impact.html"
    path.write_text(render_report(result.lines, result.summary), encoding="utf-8")
    return path


#: the timeline's texts: each with its box; the x-axis labels are the ones that are dates
_TEXTS = """() => [...document.querySelectorAll('#chart-events svg text')]
    .filter(t => t.textContent.trim()).map(t => { const r = t.getBoundingClientRect();
      return {text: t.textContent.trim(), left: r.left, right: r.right, top: r.top,
              bottom: r.bottom}; })"""
AXIS_DATE = re.compile(r"^(\d\d )?[A-Z][a-z]{2} \d{4}$")


def _apart(a: dict, b: dict, gap: float = 0) -> bool:
    return (a["right"] + gap <= b["left"] or b["right"] + gap <= a["left"]
            or a["bottom"] <= b["top"] or b["bottom"] <= a["top"])


@contextmanager
def report_chart(chromium, folder: Path, viewport: tuple[int, int], name: str
                 ) -> Iterator[tuple]:
    """The page of :func:`_report` in ``chromium`` at ``viewport`` and its timeline chart,
    drawn and in view (its screenshot in tests/artifacts/<name>.png; the whole page's on
    failure), and the errors its console reported."""
    context = chromium.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        page.goto(_report(folder).as_uri())
        page.wait_for_selector("body[data-charts-ready]", timeout=15_000)
        chart = page.locator("#chart-events")
        chart.scroll_into_view_if_needed()
        review_shot(chart, name)
        yield page, chart, errors
    except BaseException:
        screenshot(page, name)
        raise
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize(("viewport", "suffix"), [(PHONE, "_phone"), (DESK, "")])
def test_the_timelines_labels_never_write_over_each_other(
        browser, tmp_path, viewport, suffix) -> None:
    with report_chart(browser, tmp_path, viewport, f"r34_timeline{suffix}") as (page, chart,
                                                                               errors):
        texts = page.evaluate(_TEXTS)
        old = next(t for t in texts if t["text"] == "old 2020-06-29")
        new = next(t for t in texts if t["text"] == "new 2020-12-24")
        assert _apart(old, new), (old, new)
        axis = sorted((t for t in texts if AXIS_DATE.match(t["text"])), key=lambda t: t["left"])
        assert axis, [t["text"] for t in texts]
        for a, b in pairwise(axis):
            assert _apart(a, b, gap=4), (a, b)
        frame = chart.bounding_box()
        assert all(frame["x"] <= t["left"] and t["right"] <= frame["x"] + frame["width"]
                   for t in [*axis, old, new])
        if viewport == DESK:  # the laptop keeps its monthly labels with their days
            assert len(axis) >= 5 and all(t["text"].startswith("01 ") for t in axis), axis
        assert not errors, errors
