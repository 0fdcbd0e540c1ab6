"""The impact report: one page that opens with no network and draws its charts in a real browser."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

import exportcheck.impact
from exportcheck.impact.models import (
    Breakdown,
    ImpactSummary,
    LicenceImpact,
    LicenceSummary,
    ListChange,
    PartyImpact,
    PartySummary,
    RuleEvent,
    Side,
    Totals,
    Transition,
)
from exportcheck.impact.report import render_report, write_report

# ``tests`` is a namespace package: importable as such only with the repo root on the path
# (``python -m pytest`` puts it there, the ``pytest`` script does not).
REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
from tests.browser import PageLog, open_page, review_shot  # noqa: E402

EVIL = "<script>alert(1)</script> & Co"
HAN = "香港警務處"
HK_EAR = (
    "HK determined as CN under the EAR — 85 FR 83765 (23 Dec 2020), Removal of Hong Kong as a "
    "Separate Destination Under the EAR (in force from 2020-12-23)"
)
HK_ITAR = (
    "HK determined as CN under the ITAR — 22 CFR 126.1(d)(1) (China entry), applied to Hong Kong "
    "by DDTC notice of Jul 2020 under EO 13936 (in force from 2020-06-30)"
)
HK_EXC = (
    "Licence exceptions for HK only where usable for CN — 15 CFR 740.2(a)(23), 85 FR 45998 "
    "(31 Jul 2020) (in force from 2020-06-30)"
)
LR, PR, EX, NLR = "LICENSE_REQUIRED", "PROHIBITED", "EXCEPTION_AVAILABLE", "NLR"

# order_id, customer, item, destination, category, value, old, new, old/new reasons, cause
ROWS: list[tuple[Any, ...]] = [
    ("PO-1001", HAN, "9A610.x", "HK", "9A", 480_000.0, LR, PR, "NS1,RS1", "NS1,RS1",
     f"{HK_EAR} | China arms embargo — 15 CFR 744.21 (in force from 2020-12-23)"),
    ("PO-1002", "Kowloon Precision Ltd", "3A991.b", "HK", "3A", 65_000.0, NLR, LR, "AT1",
     "AT1,MEU", HK_EAR),
    ("PO-1003", EVIL, "3A001.a.2", "HK", "3A", 210_000.0, EX, LR, "NS2", "NS2", HK_EXC),
    ("PO-1004", "深圳華強電子", "USML:XI", "HK", "USML XI", 890_000.0, LR, PR, "", "", HK_ITAR),
    ("PO-1005", "Harbour Trading", "EAR99", "HK", "EAR99", 12_000.0, NLR, NLR, "", "", ""),
    ("PO-1006", "Siemens AG", "3A001.a.2", "DE", "3A", 150_000.0, EX, EX, "NS2", "NS2", ""),
    ("PO-1007", "Kowloon Precision Ltd", "5A002.a", "HK", "5A", None, LR, LR, "NS1,EI",
     "NS1,EI", ""),
    ("PO-1008", "Harbour Trading", "3Z999", "HK", "3Z", 5_000.0, None, None, "", "", ""),
    ("PO-1009", HAN, "4A994.b", "HK", "4A", 34_000.0, NLR, LR, "AT1", "AT1,MEU", HK_EAR),
    ("PO-1010", "Pacific Semiconductors", "3A991.b", "HK", "3A", 8_800.0, EX, LR, "AT1",
     "AT1", f"{HK_EXC} | {HK_EAR}"),
    ("PO-1011", "Siemens AG", "9A610.x", "DE", "9A", 72_000.0, LR, LR, "NS1,RS1", "NS1,RS1", ""),
    ("PO-1012", "Harbour Trading", "1C350", "HK", "1C", 23_000.0, LR, LR, "CB2", "CB2", ""),
]


def _agency(item: str, outcome: str | None) -> str | None:
    if outcome is None:
        return None
    return "DDTC" if item.startswith("USML") else "BIS"


def make_lines(rows: list[tuple[Any, ...]] = ROWS) -> pl.DataFrame:
    """The impact frame, by hand, as ``impact()`` returns it."""
    records = []
    for n, (oid, cust, item, dest, cat, value, old, new, o_r, n_r, cause) in enumerate(rows, 1):
        error = "unknown ECCN 3Z999" if old is None else None
        records.append({
            "line": n, "order_id": oid, "customer": cust, "status": "open", "item": item,
            "destination": dest, "category": cat, "value": value, "old_outcome": old,
            "new_outcome": new, "changed": old != new and error is None,
            "old_agency": _agency(item, old), "new_agency": _agency(item, new),
            "old_reasons": o_r or None, "new_reasons": n_r or None,
            "old_exceptions": "GBS,LVS" if old == EX else None,
            "new_exceptions": "GBS,LVS" if new == EX else None,
            "old_review_policy": None, "new_review_policy": "denial" if new == PR else None,
            "cause": cause, "error": error,
        })
    return pl.DataFrame(records, infer_schema_length=None)


def _breakdown(frame: pl.DataFrame, key: str) -> list[Breakdown]:
    grouped = (
        frame.with_columns(pl.col("value").fill_null(0.0))
        .group_by(pl.col(key).fill_null("—").alias("key"))
        .agg(
            pl.len().alias("lines"),
            pl.col("changed").sum().alias("changed_lines"),
            pl.col("value").sum().alias("value"),
            pl.col("value").filter(pl.col("changed")).sum().alias("value_changed"),
        )
    )
    return [Breakdown(**r) for r in grouped.iter_rows(named=True)]


def summarise(lines: pl.DataFrame, events: list[RuleEvent], **extra: Any) -> ImpactSummary:
    """A summary consistent with ``lines`` (what the impact run computes)."""
    val = pl.col("value").fill_null(0.0)
    trans = lines.group_by("old_outcome", "new_outcome").agg(pl.len().alias("lines"),
                                                             val.sum().alias("value"))
    reasons = lines.with_columns(pl.col("new_reasons").str.split(",")).explode("new_reasons")
    changed = lines.filter(pl.col("changed"))
    return ImpactSummary(
        mode=extra.pop("mode", "rules+lists"),
        old=Side(date=date(2020, 6, 29), lists_version="csl-2020-06-29"),
        new=Side(date=date(2021, 1, 15), lists_version="csl-2021-01-15"),
        ruleset_version="2026.02-test",
        totals=Totals(
            lines=lines.height, errors=lines["error"].is_not_null().sum(),
            changed_lines=changed.height, value=lines["value"].fill_null(0.0).sum(),
            value_changed=changed["value"].fill_null(0.0).sum(),
            transitions=[Transition(**r) for r in trans.iter_rows(named=True)],
        ),
        by_destination=_breakdown(lines, "destination"),
        by_category=_breakdown(lines, "category"),
        by_agency=_breakdown(lines, "new_agency"),
        by_reason=_breakdown(reasons, "new_reasons"),
        by_customer=_breakdown(lines, "customer"),
        events=events,
        **extra,
    )


EVENTS = [
    RuleEvent(on=date(2020, 6, 30), change="added", rule="HK determined as CN under the ITAR",
              citation="22 CFR 126.1(d)(1); DDTC notice Jul 2020", table="aliases", lines=1,
              value=890_000.0),
    RuleEvent(on=date(2020, 6, 30), change="added", rule="HK exceptions only where usable for CN",
              citation="15 CFR 740.2(a)(23), 85 FR 45998", table="licence_exceptions", lines=2,
              value=218_800.0),
    RuleEvent(on=date(2020, 12, 23), change="added", rule="HK determined as CN under the EAR",
              citation="85 FR 83765 (23 Dec 2020)", table="aliases", lines=4, value=587_800.0),
    RuleEvent(on=date(2020, 12, 23), change="removed", rule="Hong Kong Country Chart row",
              citation="15 CFR 738 Supp. 1", table="destinations", lines=4, value=587_800.0),
    RuleEvent(on=date(2020, 12, 23), change="removed", rule="HK in Country Group A:6",
              citation="15 CFR 740 Supp. 1", table="country_groups", lines=0, value=0.0),
]


def full_summary(lines: pl.DataFrame) -> ImpactSummary:
    licences = LicenceSummary(licences=6, hit=2, unusable_value=740_000.0, rows=[
        LicenceImpact(agency="BIS", number="D1234567", destination="HK", status_old="valid",
                      status_new="unusable", approved_value=900_000.0, shipped_value=300_000.0,
                      remaining_value=600_000.0, unusable_value=600_000.0, cause=HK_EAR),
        LicenceImpact(agency="DDTC", number="050123456", destination="HK", status_old="valid",
                      status_new="revoked", approved_value=200_000.0, shipped_value=60_000.0,
                      remaining_value=140_000.0, unusable_value=140_000.0, cause=HK_ITAR),
    ])
    parties = PartySummary(parties=40, newly_hit=1, cleared=1, rows=[
        PartyImpact(party=HAN, country="HK", change="newly hit", list="Entity List",
                    entry_id="EL-2020-117", matched_name="Hong Kong Police Force", score=0.97),
        PartyImpact(party="Harbour Trading", country="HK", change="cleared", list="Unverified List",
                    entry_id="UVL-88", matched_name="Harbor Trading Co", score=0.91),
    ])
    changes = [ListChange(list="Entity List", entry_id="EL-2020-117",
                          matched_name="Hong Kong Police Force", change="added", lines=2,
                          value=514_000.0)]
    notes = ["Values are order values in USD; lines without a value count as $0.",
             "Hong Kong's pre-2020 chart row is derived from Part 742, not a printed edition."]
    return summarise(lines, EVENTS, licences=licences, parties=parties, list_changes=changes,
                     notes=notes)


def _money(v: float) -> str:
    return f"${v:,.0f}"


# --- static checks -----------------------------------------------------------------------------


def test_page_loads_nothing_from_outside() -> None:
    lines = make_lines()
    html = render_report(lines, full_summary(lines))
    low = html.lower()
    assert low.startswith("<!doctype html>")
    assert "<script src" not in low and "<link" not in low and "@import" not in low
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", low)
    assert not re.search(r"\b(src|href)\s*=\s*['\"]?\s*(https?:)?//", low)
    # one inlined Vega bundle for all charts, not one per chart
    assert html.count("window.vegaEmbed=") == 1
    assert html.count("<script") == 2
    assert len(html.encode()) < 1_200_000


def test_names_are_escaped() -> None:
    lines = make_lines()
    html = render_report(lines, full_summary(lines))
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert HAN in html


def _script_hashes(csp: str) -> list[str]:
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src "))
    return [h for h in script_src.split()[1:] if h.startswith("'sha256-")]


def _sha256(body: str) -> str:
    import base64
    import hashlib

    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"


def test_report_policy_allows_only_the_reports_own_scripts() -> None:
    """The policy's hashes are of the scripts the report puts after its content: a script
    that reached the content (a name the escaping missed, a stored report altered) must not
    be hashed with them, or the policy would let it run (review 27)."""
    from exportcheck.impact.served import report_csp

    lines = make_lines()
    html = render_report(lines, full_summary(lines))
    own = re.findall(r"<script>(.*?)</script>", html, re.DOTALL)
    injected = "window.injected = 1"
    tampered = html.replace("<h2>Top changed lines</h2>",
                            f"<h2>Top changed lines</h2><script>{injected}</script>", 1)
    assert injected in tampered
    hashes = _script_hashes(report_csp(tampered))
    assert _sha256(injected) not in hashes
    assert hashes == [_sha256(body) for body in own]  # the bundle and the charts still run
    assert _script_hashes(report_csp("<p>no report</p><script>x()</script>")) == []

def test_no_changed_lines_and_no_events(tmp_path: Path) -> None:
    rows = [(*r[:7], r[6], r[8], r[8], "") for r in ROWS]  # every line keeps its outcome
    lines = make_lines(rows)
    summary = summarise(lines, [], mode="rules")
    assert summary.totals.changed_lines == 0
    html = render_report(lines, summary)
    assert "No determination changed between the sides." in html
    assert "No rule came into or went out of force" in html
    assert 'id="top-changed"' not in html
    assert "Impact of rule changes 2020-06-29 → 2021-01-15" in html
    write_report(tmp_path / "r.html", lines, summary)
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == html


def test_empty_and_null_frames_do_not_crash() -> None:
    lines = make_lines()
    empty = lines.clear()
    html = render_report(empty, summarise(empty, [], mode="lists"))
    assert "Impact of list changes csl-2020-06-29 → csl-2021-01-15" in html
    assert "vegaEmbed" not in html  # nothing to chart: no 900 kB of JavaScript either
    nulls = lines.with_columns(
        pl.lit(None, pl.Float64).alias("value"), pl.lit(None, pl.String).alias("category"),
        pl.lit(None, pl.String).alias("cause"), pl.lit(None, pl.String).alias("customer"),
    ).drop("old_review_policy")
    html = render_report(nulls, summarise(nulls, EVENTS))
    assert 'id="top-changed"' in html and "No line carries a value." in html
    nans = lines.with_columns(pl.lit(float("nan")).alias("value"))
    summary = summarise(lines, EVENTS)
    summary.totals.value = float("inf")
    summary.totals.transitions[0].value = float("nan")
    html = render_report(nans, summary)
    assert "NaN" not in html.split("<script>")[-1] and "nan%" not in html


# --- in the browser ----------------------------------------------------------------------------


def check_page(html_path: Path, lines: pl.DataFrame, summary: ImpactSummary, name: str,
               policy: str | None = None) -> None:
    """Open the report offline and check what a reader sees against the summary; with
    ``policy``, served with that Content-Security-Policy."""
    log = PageLog()
    with open_page(html_path, name, log=log, policy=policy) as page:
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.wait_for_selector("body[data-charts-ready]", timeout=15_000)
        charts = page.locator(".chart")
        assert charts.count() == int(page.get_attribute("body", "data-charts-ready") or -1)
        for i in range(charts.count()):
            drawn = charts.nth(i).locator("svg, canvas").first
            box = drawn.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, charts.nth(i).get_attribute(
                "id"
            )
            assert drawn.locator("path, rect, circle, line").count() > 3

        def kpi(key: str) -> str:
            return page.locator(f'[data-kpi="{key}"] .kpi-value').inner_text().strip()

        t = summary.totals
        assert kpi("lines") == f"{t.lines:,}"
        assert kpi("changed") == f"{t.changed_lines:,}"
        assert kpi("value_changed") == _money(t.value_changed)
        assert kpi("errors") == f"{t.errors:,}"
        if summary.licences:
            assert kpi("licences_hit") == f"{summary.licences.hit:,}"
            assert kpi("unusable_value") == _money(summary.licences.unusable_value)
        if summary.parties:
            assert kpi("parties_hit") == f"{summary.parties.newly_hit:,}"
            assert kpi("parties_cleared") == f"{summary.parties.cleared:,}"
        rows = page.locator("#top-changed tbody tr")
        assert rows.count() == min(50, t.changed_lines)

        text = page.inner_text("body")
        assert HAN in text  # Han script as text, not mangled or dropped
        assert page.locator("script").count() == 2  # the bundle and the specs, no injected one
        for cust in lines.filter(pl.col("changed"))["customer"].drop_nulls().unique():
            assert cust in text  # Han names as text, the script-looking one as text too
        review_shot(page, name)  # for a human to look at
        if summary.events:  # tooltips: hover an event, read its citation
            page.locator("#chart-events g.mark-symbol path").first.hover()
            tip = page.locator("#vg-tooltip-element")
            tip.wait_for(state="visible", timeout=5_000)
            assert "Citation" in tip.inner_text()
            assert any(ev.citation in tip.inner_text() for ev in summary.events)
            page.mouse.move(0, 0)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_timeout(300)  # vega-embed re-fits "container" charts on resize
        assert page.evaluate("document.documentElement.scrollWidth") <= 392
        review_shot(page, f"{name}_phone")
        assert not dialogs, dialogs
        assert not log.errors, log.errors
        assert not log.blocked, log.blocked


def test_report_in_browser(tmp_path: Path) -> None:
    lines = make_lines()
    summary = full_summary(lines)
    path = tmp_path / "impact.html"
    write_report(path, lines, summary)
    check_page(path, lines, summary, "impact_report")


def test_report_draws_its_charts_under_the_services_policy(tmp_path: Path) -> None:
    """The service sends the report with ``report_csp``, which allowed 'unsafe-eval' for Vega's
    expression compiler (it builds functions from strings): the charts use Vega's interpreter
    instead, and draw, tooltips too, under a policy that runs the report's own scripts only."""
    from exportcheck.impact.served import report_csp

    lines = make_lines()
    summary = full_summary(lines)
    path = tmp_path / "impact.html"
    write_report(path, lines, summary)
    policy = report_csp(path.read_text(encoding="utf-8"))
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src
    check_page(path, lines, summary, "impact_report_policy", policy=policy)


def test_a_report_stored_before_the_interpreter_keeps_its_charts() -> None:
    """A run stored before the charts used Vega's interpreter compiles its expressions: its
    policy keeps 'unsafe-eval' (its charts drew, and still do); a report of now does not."""
    from exportcheck.impact.served import COMPILED_CHARTS, report_csp

    lines = make_lines()
    html = render_report(lines, full_summary(lines))
    stored = html.replace("renderer: 'svg', ast: true};", "renderer: 'svg'};")
    assert COMPILED_CHARTS in stored and COMPILED_CHARTS not in html
    assert "'unsafe-eval'" in report_csp(stored) and "'unsafe-eval'" not in report_csp(html)
    assert _script_hashes(report_csp(stored)) == [
        _sha256(body) for body in re.findall(r"<script>(.*?)</script>", stored, re.DOTALL)]


def test_the_report_is_served_sandboxed_with_its_sizing_script_hashed() -> None:
    """The service serves a report in a sandbox (an opaque origin, in its frame or a tab of
    its own; scripts only), so the run's page cannot measure it: ``with_sizing`` adds the
    script that tells its height, after the content where the policy hashes it. The store
    keeps reports as rendered, so a run stored before the sandbox gets it too."""
    from exportcheck.impact.served import SIZING, report_csp, with_sizing

    lines = make_lines()
    html = render_report(lines, full_summary(lines))
    assert SIZING not in html
    for stored in (html, html.replace("renderer: 'svg', ast: true};", "renderer: 'svg'};")):
        served = with_sizing(stored)
        assert served.count(SIZING) == 1
        assert served.rindex("</main>") < served.index(SIZING) < served.rindex("</body>")
        assert with_sizing(served) == served
        policy = report_csp(served)
        assert policy.split("; ")[0] == "sandbox allow-scripts"  # no allow-same-origin
        body = re.fullmatch(r"<script>(.*)</script>", SIZING, re.DOTALL)
        assert body and _sha256(body.group(1)) in _script_hashes(policy)
    # a copy of it in the content is not the one that runs (only scripts after it are hashed)
    tampered = html.replace("<h2>Top changed lines</h2>", f"<h2>Top changed lines</h2>{SIZING}")
    assert with_sizing(tampered).count(SIZING) == 2
    assert "sandbox allow-scripts" in report_csp("<p>no report</p>")


def test_report_of_a_real_impact_run(tmp_path: Path) -> None:
    """The report of a run of the engine itself, not of a hand-made summary."""
    impact = exportcheck.impact.impact
    frame = pl.DataFrame({
        "order_id": ["SO-1", "SO-2", "SO-3", "SO-4", "SO-5", "SO-6"],
        "customer": [HAN, "Kowloon Precision Ltd", EVIL, "深圳華強電子", "Harbour Trading",
                     "Siemens AG"],
        "item": ["3A001.a.2", "9A610.x", "3A991.b", "USML:XI", "EAR99", "3A001.a.2"],
        "destination": ["HK", "HK", "HK", "HK", "HK", "DE"],
        "value": [250_000.0, 480_000.0, 65_000.0, 890_000.0, 12_000.0, 150_000.0],
    })
    result = impact(frame, date(2020, 6, 29), date(2021, 1, 15))
    lines, summary = result.lines, result.summary
    assert isinstance(summary, ImpactSummary)
    assert lines.height == frame.height and summary.totals.changed_lines >= 1
    html = render_report(lines, summary)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "<script>alert(1)" not in html
    path = tmp_path / "impact.html"
    path.write_text(html, encoding="utf-8")
    check_page(path, lines, summary, "impact_report_real")
