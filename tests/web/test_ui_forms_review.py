"""QA review of the Check, Impact and Audit pages (in-process; the browser checks are in
``test_ui_forms_review_browser.py``).

1. Check: each error sits under the box it is about (marked ``aria-invalid``, described by
   the message, focused), in plain words, with what was typed kept.
2. A bug behind a browser page answers a page in the site's layout, not raw JSON.
3. Impact: a viewer is not offered the Run form.
4. The impact report's changed lines: the line's own columns are not carried ids, long
   causes are folded.
5. Audit: an offset past the end shows the last page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import polars as pl
import pytest
from fastapi.testclient import TestClient

from exportcheck import errors
from exportcheck.impact.report import render_report
from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf, sign_in

HTML = {"Accept": "text/html"}
LINE = {"item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"}


def client(service: Service, host: str, role: str) -> TestClient:
    """A browser of ``role``, signed in; a bug answers 500 here instead of raising."""
    b = TestClient(service.app, base_url="https://testserver", client=(host, 50000),
                   follow_redirects=False, raise_server_exceptions=False)
    assert sign_in(b, role, service.password(role)).status_code == 303
    return b


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.81", "officer")
    yield b, page_csrf(b)
    b.close()


def post_check(officer: tuple[TestClient, str], status: int = 200, **fields: str) -> str:
    """The Check page's answer to the line with ``fields``, which came with ``status`` (a
    refused form: the API's 4xx for the same error, review 28b)."""
    b, token = officer
    r = b.post("/check", headers=HTML, data={**LINE, **fields, "csrf_token": token})
    assert r.status_code == status, r.text[:300]
    return r.text


def under_box(page: str, name: str) -> tuple[str, str]:
    """The input named ``name`` and the message directly after it (nothing between)."""
    m = re.search(rf'(<(?:input|select|textarea)[^>]*\bname="{name}"[^>]*>)(?:[^<]*</textarea>)?\s*'
                  rf'<small id="{name}-error" class="field-error">([^<]*)</small>', page)
    assert m, f"no message directly under {name!r}"
    return m[1], html.unescape(m[2])


LIBRARY_WORDS = ("Input should", "String should", "Value error", "validation error")


@pytest.mark.parametrize(("fields", "name", "message", "status"), [
    ({"item": "3A999.zz"}, "item", "ECCN 3A999 has no paragraph '.zz'", 400),
    ({"destination": "XX"}, "destination", "unknown destination 'XX' on 2021-01-15", 400),
    ({"date": "2018-06-01"}, "date", "date 2018-06-01 is before the rule base starts", 400),
    ({"compare": "2018-06-01"}, "compare", "date 2018-06-01 is before the rule base starts",
     400),
    ({"value": "10000000000000"}, "value", "value must be at most 1,000,000,000,000 USD",
     422),
    ({"value": "-5"}, "value", "value cannot be negative", 422),
    ({"end_user": "E" * 300}, "end_user", "end user name is longer than 256 characters", 422),
    ({"consignee": "C" * 300}, "consignee", "consignee name is longer than 256 characters",
     422),
    ({"destination": "X"}, "destination",
     "destination code is too short: give at least 2 characters", 422),
], ids=["item", "destination", "date", "compare", "value-large", "value-negative", "end-user",
        "consignee", "destination-short"])
def test_an_error_sits_under_its_box_marked_and_focused(officer, fields, name, message,
                                                        status) -> None:
    page = post_check(officer, status, **fields)  # the API's status for it (review 28b)
    box, said = under_box(page, name)
    assert said.startswith(message), said
    assert 'aria-invalid="true"' in box and f'aria-describedby="{name}-error"' in box
    assert box.rstrip(">").endswith("autofocus")  # the focus goes to it
    assert page.count('aria-invalid="true"') == 1 and page.count("autofocus") == 1
    assert not any(words in page for words in LIBRARY_WORDS)
    assert 'role="alert"><strong>Error:' not in page  # no box far below the form either
    for key, typed in {**LINE, **fields}.items():  # what was typed is kept
        assert f'name="{key}"' in page and f'value="{typed}"' in page


def test_several_errors_each_under_its_box_the_first_focused(officer) -> None:
    page = post_check(officer, 422, value="1e13", quantity="-1", end_user="E" * 300)
    assert under_box(page, "value")[1] == "value must be at most 1,000,000,000,000 USD"
    assert under_box(page, "quantity")[1] == "quantity cannot be negative"
    assert under_box(page, "end_user")[1] == "end user name is longer than 256 characters"
    assert page.count('aria-invalid="true"') == 3
    assert under_box(page, "value")[0].rstrip(">").endswith("autofocus")
    assert page.count("autofocus") == 1


def test_an_owners_error_is_under_the_owners_box_with_its_help(officer) -> None:
    owners = "Caribe Holdings SA,Harbour Trading Ltd,sixty"
    page = post_check(officer, 422, consignee="Harbour Trading Ltd", owners=owners)
    box, said = under_box(page, "owners")
    assert said == "owners line 1: percent 'sixty' is not a number"
    assert 'aria-describedby="owners-error owners-help"' in box
    assert f">{owners}</textarea>" in html.unescape(page)


def test_a_fact_error_follows_the_facts_section_and_is_focused(officer) -> None:
    page = post_check(officer, 400, headquarters="QQ")
    m = re.search(r'</details>\s*<p class="notice error wide" role="alert" '
                  r'id="headquarters-error" tabindex="-1" autofocus>([^<]*)</p>', page)
    assert m and html.unescape(m[1]).startswith("unknown headquarters country 'QQ'")
    assert 'name="headquarters" value="QQ"' in page


def test_an_error_of_no_field_is_at_the_top_of_the_form(officer, monkeypatch) -> None:
    def fail(*args, **kwargs):
        raise errors.ExportCheckError("the screening index is being rebuilt: try again")

    monkeypatch.setattr("exportcheck.web.ui.pages.decide", fail)
    page = post_check(officer, 400)
    m = re.search(r'<p class="notice error wide" role="alert" id="form-error" tabindex="-1" '
                  r"autofocus><strong>Error:</strong> ([^<]*)</p>", page)
    assert m and m[1] == "the screening index is being rebuilt: try again"
    assert m.start() < page.index('name="item"')  # above the fields
    assert 'aria-invalid="true"' not in page


def test_field_of_names_the_box_a_domain_error_is_about() -> None:
    from exportcheck.web.ui.field_errors import FORM, field_of

    assert field_of(errors.UnknownItem("x")) == "item"
    assert field_of(errors.UnknownDestination("x")) == "destination"
    assert field_of(errors.DateOutOfRange("x"), "compare") == "compare"
    from exportcheck import determine
    from exportcheck.models import TransactionFacts

    with pytest.raises(errors.InvalidInput) as refused:  # the engine names the field it refuses
        determine("3A001.a.2", "DE", "2024-06-01", facts=TransactionFacts(conditions_met={"Q"}))
    assert field_of(refused.value) == "conditions_met"
    assert field_of(errors.ExportCheckError("something else")) == FORM


# -- 2. a bug behind a browser page ---------------------------------------------------------
def test_a_bug_behind_a_page_answers_a_page_and_the_api_keeps_json(service, officer,
                                                                    monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("exportcheck.impact.store.list_runs", broken)
    b, _ = officer
    r = b.get("/impact", headers=HTML)
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "internal error: the server logged it" in r.text and "disk on fire" not in r.text
    assert 'aria-label="main"' in r.text and 'href="/licences"' in r.text  # the navigation
    assert '<a href="/impact">Back to Impact</a>' in r.text  # a way back
    assert r.headers["cache-control"] == "no-store"
    machine = TestClient(service.app, base_url="https://testserver",
                         raise_server_exceptions=False)
    api = machine.get("/api/v1/impact-runs", headers={**HTML, **service.auth("viewer")})
    assert api.status_code == 500
    assert api.headers["content-type"] == "application/problem+json"
    assert api.json()["detail"].startswith("internal error: the server logged it")


def test_a_bug_while_running_keeps_the_impact_form(officer, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("exportcheck.web.routers.impact.run", broken)
    b, token = officer
    r = b.post("/impact", headers=HTML, data={
        "csrf_token": token, "from_date": "2020-07-01", "to_date": "2021-02-01",
        "portfolio": "sample"})
    assert r.status_code == 500 and r.headers["content-type"].startswith("text/html")
    assert "internal error: the server logged it" in r.text
    assert 'value="2020-07-01"' in r.text and 'value="2021-02-01"' in r.text


def test_an_order_file_with_a_value_of_1e400_runs_and_its_line_says_why(officer) -> None:
    b, token = officer
    orders = "order_id,item,destination,value\nSO-1,3A001.a.2,HK,1e400\nSO-2,3A001.a.2,HK,100\n"
    r = b.post("/impact", headers=HTML, data={
        "csrf_token": token, "from_date": "2020-06-29", "to_date": "2021-01-15",
        "portfolio": "upload"}, files={"orders": ("orders.csv", orders, "text/csv")})
    assert r.status_code == 303, r.text[:500]
    page = b.get(r.headers["location"], headers=HTML)
    assert page.status_code == 200 and "of 2 order lines change" in page.text
    run_id = r.headers["location"].rsplit("/", 1)[1]
    lines = b.get(f"/api/v1/impact-runs/{run_id}/lines").json()["items"]
    first = next(ln for ln in lines if ln["order_id"] == "SO-1")
    assert first["error"] and first["value"] is None
    report = b.get(f"/api/v1/impact-runs/{run_id}/report")
    assert report.status_code == 200 and "NaN" not in report.text.split("<script>")[0]


# -- 3. a viewer is not offered the Run form ------------------------------------------------
def test_a_viewer_reads_the_runs_without_a_form_to_run(service: Service) -> None:
    viewer = client(service, "203.0.113.82", "viewer")
    officer_b = client(service, "203.0.113.83", "officer")
    try:
        page = viewer.get("/impact", headers=HTML)
        assert page.status_code == 200 and "<h2>Runs</h2>" in page.text
        assert 'action="/impact"' not in page.text and ">Run</button>" not in page.text
        assert "running a new one needs the officer role" in page.text
        page = officer_b.get("/impact", headers=HTML)
        assert 'action="/impact"' in page.text and ">Run</button>" in page.text
        assert "needs the officer role" not in page.text
    finally:
        viewer.close()
        officer_b.close()


# -- 4. the report's changed lines ----------------------------------------------------------
def test_the_changed_lines_keep_to_their_columns_and_fold_long_causes() -> None:
    from tests.impact.test_report import HK_EAR, HK_EXC, full_summary, make_lines

    lines = make_lines().with_columns(
        pl.lit("Kowloon End User Ltd").alias("end_user"), pl.lit("civil").alias("end_user_type"),
        pl.lit(None, pl.String).alias("consignee"), pl.lit("USD").alias("currency"),
        pl.lit(False).alias("old_hold"), (pl.col("order_id") == "PO-1002").alias("new_hold"),
        (pl.col("order_id") == "PO-1002").alias("hold"),
        pl.when(pl.col("order_id") == "PO-1001")
        .then(pl.lit(" | ".join([f"now: {HK_EAR}", f"now: {HK_EXC}", "no longer: A rule",
                                 "now: B rule", "now: C rule"])))
        .otherwise(pl.col("cause")).alias("cause"))
    page = render_report(lines, full_summary(lines))
    table = re.search(r'<table id="top-changed".*?</table>', page, re.S)
    assert table
    head = re.findall(r"<th[^>]*>([^<]*)</th>", table[0])
    assert head == ["Line", "order_id", "customer", "status", "Item", "Dest.", "Value", "Outcome",
                    "Cause"]
    row = next(r for r in table[0].split("<tr>") if ">PO-1001<" in r)
    assert row.count("<li>") == 5 and "<summary>3 more causes</summary>" in row
    assert row.index("A rule") > row.index("<details")  # the third cause on is folded
    held = next(r for r in table[0].split("<tr>") if ">PO-1002<" in r)
    assert "held for review on the new side" in held


# -- 5. audit: an offset past the end -------------------------------------------------------
def test_an_audit_offset_past_the_end_shows_the_last_page(service: Service, officer) -> None:
    for i in range(55):  # more than a page of entries
        r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                                json={**LINE, "record": True, "end_user": f"Party {i}"})
        assert r.status_code == 200, r.text
    total = service.client.get("/api/v1/audit?limit=1",
                               headers=service.auth("viewer")).json()["total"]
    assert total > 50
    b, _ = officer
    page = b.get("/audit?offset=1000000000", headers=HTML).text
    last = (total - 1) // 50 * 50
    pager = re.search(r'<nav class="pager"[^>]*>.*?</nav>', page, re.S)
    assert pager and f"{last + 1}–{total} of {total}" in pager[0]
    assert "1000000001" not in page
    assert f'href="/audit?offset={last - 50}"' in pager[0]  # and the page before it
    seqs = [int(s) for s in re.findall(r"<tr><td>(\d+)</td>", page)]
    assert len(seqs) == total - last and min(seqs) == 1  # the oldest entries
    assert b.get("/audit?offset=50", headers=HTML).text.count("<tr><td>") == total - 50


def test_a_refused_list_upload_keeps_its_published_date_and_force(service: Service) -> None:
    """A refused upload shows its error with what was typed still there (review 27): the
    publication day and the 'accept a drop' tick (a file cannot be kept)."""
    b = client(service, "203.0.113.82", "admin")
    token = page_csrf(b)
    r = b.post("/lists/load", headers=HTML,
               data={"csrf_token": token, "published": "2026-07-01", "force": "1"},
               files={"files": ("notes.txt", b"not a list file")})
    assert r.status_code == 422 and "notes.txt" in r.text  # refused: a 4xx (review 28)
    assert 'name="published" aria-describedby="published-help" value="2026-07-01"' in r.text
    assert re.search(r'name="force" value="1" checked', r.text)
    b.close()
