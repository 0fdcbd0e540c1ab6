"""The Impact page takes exchange rates (session 37 review).

An order file with a line in euros could not be run from the Impact page: the page had no box
for rates, and the error told the officer to "add --rate EUR=<USD per EUR>", a command-line
flag. The page now has an "Exchange rates" box (``EUR=1.08, GBP=1.27``), read as the CLI reads
its ``--rate`` options, and the message names the rate to give, not a flag."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from exportcheck.errors import InvalidInput
from exportcheck.impact.rates import parse_rates, rates_box
from tests.web.conftest import Service
from tests.web.test_api import problem
from tests.web.test_review_24_web import box
from tests.web.test_ui_forms_review import HTML, client

ORDERS = ("id,item,destination,value,currency\n"
          "o-eur,3A001.a.2,HK,1000,EUR\n"
          "o-usd,3A001.a.2,HK,500,USD\n")
DATES = {"from_date": "2020-06-29", "to_date": "2021-01-15", "portfolio": "upload"}


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    from tests.web.test_api_accounts import page_csrf

    b = client(service, "203.0.113.137", "officer")
    yield b, page_csrf(b)
    b.close()


def _post(b: TestClient, token: str, rates: str):
    return b.post("/impact", headers={**HTML, "X-CSRF-Token": token},
                  data={**DATES, "rates": rates},
                  files={"orders": ("orders.csv", ORDERS.encode(), "text/csv")},
                  follow_redirects=False)


def test_a_file_in_euros_runs_with_the_rate_given_on_the_page(
        officer: tuple[TestClient, str]) -> None:
    b, token = officer
    r = _post(b, token, "EUR=1.08")
    assert r.status_code == 303, r.text[:500]
    run_id = r.headers["location"].rsplit("/", 1)[1]
    run = b.get(f"/api/v1/impact-runs/{run_id}").json()
    assert run["value_changed"] == 1580.0  # EUR 1,000 at 1.08 + USD 500


def test_without_a_rate_the_box_says_which_rate_to_give(officer: tuple[TestClient, str]
                                                       ) -> None:
    b, token = officer
    page = _post(b, token, "").text
    rates = box(page, "rates")
    assert 'aria-invalid="true"' in rates and "autofocus" in rates
    message = re.search(r'id="rates-error"[^>]*>([^<]*)', page)
    assert message and "no rate is given for EUR" in html.unescape(message[1])
    assert "--rate" not in html.unescape(message[1])


def test_a_malformed_rate_is_refused_at_its_box(officer: tuple[TestClient, str]) -> None:
    b, token = officer
    page = _post(b, token, "EUR:1.08").text
    assert 'aria-invalid="true"' in box(page, "rates")
    assert "Exchange rates 'EUR:1.08': write CURRENCY=USD_PER_UNIT" in html.unescape(page)
    assert 'value="EUR:1.08"' in box(page, "rates")  # the officer's text is kept


def test_the_api_names_the_rates_field_not_a_flag(service: Service) -> None:
    line = {"item": "3A001.a.2", "destination": "HK", "value": 1000, "currency": "EUR"}
    r = service.client.post("/api/v1/impact-runs", headers=service.auth("officer"),
                            json={"from_date": "2020-06-29", "to_date": "2021-01-15",
                                  "lines": [line]})
    detail = problem(r, 400)["detail"]
    assert "no rate is given for EUR" in detail and "--rate" not in detail


def test_the_box_and_the_cli_read_rates_alike() -> None:
    assert rates_box(" eur=1.08,GBP=1.27;  jpy=0.0067 ") == {"EUR": 1.08, "GBP": 1.27,
                                                            "JPY": 0.0067}
    assert rates_box("") == {}
    assert parse_rates(["EUR=1.08", "eur=1.08"]) == {"EUR": 1.08}
    for bad, says in ((["USD=1"], "need no rate"), (["EUR=1.08", "EUR=1.1"], "two rates"),
                      (["EUR"], "write CURRENCY=USD_PER_UNIT")):
        with pytest.raises(InvalidInput, match=says):
            parse_rates(bad)
