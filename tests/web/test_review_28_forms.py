"""Review 28: a refused Lists upload or Impact run answers a 4xx, not 200.

The pages showed the error but answered 200 OK: to a proxy's log, a monitor or a script
posting the form, a refused upload looked like a load. Now each answers the API's status for
the same error (422 for a box the page checks itself, as the API's schema refuses it), with
the form again, what was typed kept and the error under the box it is about (marked
``aria-invalid``, described by the message, focused). The browser side is in
``test_review_28_browser.py``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf
from tests.web.test_review_24_web import box
from tests.web.test_ui_forms_review import HTML, client

#: the bundled portfolio on the dates of the Impact form's defaults
RUN = {"from_date": "2020-06-29", "to_date": "2021-01-15", "portfolio": "sample"}


@pytest.fixture
def admin(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.91", "admin")
    yield b, page_csrf(b)
    b.close()


def error_of(page: str, name: str, key: str | None = None) -> str:
    """The message under box ``name`` (``key``: the error's name, if not the box's), after
    checking that the box is marked, described by it and focused."""
    key = key or name
    tag = box(page, name)
    assert 'aria-invalid="true"' in tag and f'"{key}-error' in tag and "autofocus" in tag, tag
    m = re.search(rf'<small id="{key}-error" class="field-error" role="alert">([^<]*)</small>',
                  page)
    assert m, f"no message under {name!r}"
    return html.unescape(m[1])


def load(admin: tuple[TestClient, str], published: str = "", *, name: str = "notes.txt",
         content: bytes = b"not a list file", force: bool = False):
    b, token = admin
    data = {"csrf_token": token, "published": published} | ({"force": "1"} if force else {})
    return b.post("/lists/load", headers=HTML, data=data, files={"files": (name, content)})


# -- Lists ---------------------------------------------------------------------------------
def test_an_unreadable_list_file_answers_422_with_the_error_at_the_files(admin) -> None:
    r = load(admin, "2026-07-01", force=True)
    assert r.status_code == 422, r.text[:300]
    assert r.headers["content-type"].startswith("text/html")
    assert "notes.txt" in error_of(r.text, "files")
    assert 'value="2026-07-01"' in box(r.text, "published")  # what was typed stays
    assert 'aria-invalid' not in box(r.text, "published")
    assert re.search(r'name="force" value="1" checked', r.text)


def test_a_malformed_published_date_answers_422_at_its_box(admin) -> None:
    r = load(admin, "2026-13-01")
    assert r.status_code == 422, r.text[:300]
    assert "invalid published date '2026-13-01'" in error_of(r.text, "published")
    tag = box(r.text, "published")
    assert 'aria-describedby="published-error published-help"' in tag  # the help still read
    assert 'value="2026-13-01"' in tag and 'aria-invalid' not in box(r.text, "files")


def test_a_published_date_in_the_future_answers_400_as_the_api_does(service: Service,
                                                                    admin) -> None:
    r = load(admin, "2099-01-01")
    assert r.status_code == 400, r.text[:300]
    assert "2099-01-01 is in the future" in error_of(r.text, "published")
    api = service.client.post("/api/v1/lists/load", headers=service.auth("admin"),
                              data={"published": "2099-01-01"},
                              files={"files": ("notes.txt", b"not a list file")})
    assert api.status_code == 400


def test_no_file_answers_400(admin) -> None:
    b, token = admin
    r = b.post("/lists/load", headers=HTML, data={"csrf_token": token},
               files={"files": ("", b"")})
    assert r.status_code == 400, r.text[:300]
    assert "no files" in error_of(r.text, "files")


# -- Impact --------------------------------------------------------------------------------
def run(officer: tuple[TestClient, str], files: dict | None = None, **fields: str):
    b, token = officer
    return b.post("/impact", headers=HTML, data={"csrf_token": token, **RUN, **fields},
                  files=files)


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.92", "officer")
    yield b, page_csrf(b)
    b.close()


def test_a_malformed_impact_date_answers_422(officer) -> None:
    r = run(officer, from_date="15/01/2021")
    assert r.status_code == 422, r.text[:300]
    assert error_of(r.text, "from_date") == "From (old rules): give a date as YYYY-MM-DD"
    assert 'value="15/01/2021"' in box(r.text, "from_date")
    r = run(officer, from_date="2021-01-15", to_date="2020-06-29")
    assert r.status_code == 422 and "is after To (new rules)" in error_of(r.text, "to_date")


def test_a_date_before_the_rule_base_answers_400_at_its_box(officer) -> None:
    r = run(officer, from_date="2018-06-01")
    assert r.status_code == 400, r.text[:300]
    assert "2018-06-01 is before the rule base starts" in error_of(r.text, "from_date")
    assert 'aria-invalid' not in box(r.text, "to_date")


def test_an_empty_portfolio_answers_400_at_the_order_file(officer) -> None:
    r = run(officer, files={"orders": ("orders.csv", b"order_id,item,destination\n")},
            portfolio="upload")
    assert r.status_code == 400, r.text[:300]
    assert error_of(r.text, "orders") == "the portfolio has no lines"
    assert re.search(r'value="upload" id="portfolio-upload" checked', r.text)
    r = run(officer, files={"orders": ("orders.txt", b"item\nEAR99\n")})
    assert r.status_code == 400 and "use a .csv or .parquet" in error_of(r.text, "orders")
    r = run(officer, portfolio="upload")  # the option ticked, no file chosen
    assert r.status_code == 400 and "choose an order file" in error_of(r.text, "orders")


def test_an_unknown_list_release_answers_400_at_the_releases(officer) -> None:
    """A release gone since the page was loaded (or a hand-made form): named at the two
    sides, with where the service lists the versions (not a CLI command)."""
    r = run(officer, from_lists="1", to_lists="999999")
    assert r.status_code == 400, r.text[:300]
    message = error_of(r.text, "from_lists", "lists")
    assert "unknown list version 999999" in message and "exportcheck lists" not in message
    assert 'aria-invalid="true"' in box(r.text, "to_lists")  # one focus: the first
    assert "autofocus" not in box(r.text, "to_lists")
    assert 'name="from_lists" value="1" checked' in r.text
    r = run(officer, from_lists="1")
    assert r.status_code == 400 and "choose both list releases" in error_of(r.text, "from_lists",
                                                                        "lists")


def test_the_api_names_where_the_list_versions_are(service: Service) -> None:
    r = service.client.post("/api/v1/impact-runs", headers=service.auth("officer"),
                            json={**{k: RUN[k] for k in ("from_date", "to_date")},
                                  "sample": True, "from_lists": "1", "to_lists": "x"})
    assert r.status_code == 400, r.text
    assert "exportcheck lists show" not in r.json()["detail"]
    assert "GET /api/v1/lists?all=true" in r.json()["detail"]


def test_a_run_that_goes_through_still_redirects(officer) -> None:
    r = run(officer)
    assert r.status_code == 303 and re.fullmatch(r"/impact/\d+", r.headers["location"])
