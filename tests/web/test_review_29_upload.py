"""Review 29: an order file uploaded on the Impact page is checked as `exportcheck impact`
checks it. It was read straight from the bytes: a UTF-16 file came out as garbage columns,
a file with CR-only line ends as no lines, a line cut short with its end user read as empty."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf
from tests.web.test_review_28_forms import error_of, run
from tests.web.test_ui_forms_review import client


@pytest.fixture
def officer(service: Service) -> Iterator[tuple[TestClient, str]]:
    b = client(service, "203.0.113.93", "officer")
    yield b, page_csrf(b)
    b.close()

ORDERS = "order_id,item,destination,value,end_user\nA1,3A001.a.2,HK,1000,Acme\n"


@pytest.mark.parametrize(("content", "said"), [
    (ORDERS.encode("utf-16"), "the file is UTF-16"),
    (ORDERS.replace("\n", "\r").encode(), "carriage return alone"),
    (ORDERS.encode() + b"A2,3A001.a.2,HK\n", "line 3 has 3 field(s) but the header has 5"),
    (b"item,destination,,\n3A001.a.2,HK,,\n", "columns 3 and 4 of the header have no name"),
])
def test_an_uploaded_order_file_is_checked_as_the_cli_checks_it(officer, content, said) -> None:
    r = run(officer, files={"orders": ("book.csv", content)}, portfolio="upload")
    assert r.status_code == 400, r.text[:300]
    message = error_of(r.text, "orders")
    assert said in message and message.startswith(("cannot read book.csv", "book.csv")), message
    assert "/tmp" not in message and "exportcheck-upload" not in message


def test_a_good_upload_still_runs(officer) -> None:
    r = run(officer, files={"orders": ("book.csv", ORDERS.encode())}, portfolio="upload")
    assert r.status_code == 303, r.text[:300]
