"""Review 17 (web): a fresh install screens against the bundled sample lists, which no
disposition can bind to. The form is not offered there, and the API says why it refuses."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from exportcheck.db import get_engine
from exportcheck.screen import store
from tests.web.api_helpers import problem
from tests.web.conftest import Service, start_service, stop_service
from tests.web.test_api_accounts import browser, page_csrf, sign_in

HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """This module's service with no list loaded (the shared one loads the samples as lists)."""
    svc, mp = start_service(tmp_path_factory.mktemp("web-samples"))
    try:
        store.deactivate_all(get_engine(svc.database_url))
        assert not store.has_active_lists(get_engine(svc.database_url))
        yield svc
    finally:
        stop_service(svc, mp)


@pytest.mark.parametrize("role", ["officer", "admin"])
def test_screen_page_offers_no_disposition_on_sample_lists(service: Service, role: str) -> None:
    """The form failed on every hit with "no active list entry SDN/29249: check the hit's
    list and entry_id", and the reason typed was lost."""
    b = browser(service, f"203.0.113.{60 if role == 'officer' else 61}")
    assert sign_in(b, role, service.password(role)).status_code == 303
    r = b.post("/screen", headers=HTML, data={"csrf_token": page_csrf(b), "name": "Carrie Lam",
                                              "country": "HK"})
    text = re.sub(r"\s+", " ", r.text)
    assert "LAM, Carrie" in text  # the hits are shown ...
    assert "Record a disposition" not in text and "/screen/disposition" not in text  # no form
    words = re.sub(r"<[^>]+>", "", text)
    assert ("These hits come from the bundled sample lists: a disposition (clear or confirm) "
            "can only be recorded against the official lists loaded in the database") in words
    assert ('<a href="/lists">Load the official lists</a>' in text) is (role == "admin")
    b.close()


def test_disposition_api_says_why_it_cannot_record(service: Service) -> None:
    r = service.client.post("/api/v1/dispositions", headers=service.auth("officer"), json={
        "party": "Carrie Lam", "list": "SDN", "entry_id": "29249", "reason": "not her"})
    body = problem(r, 409)
    assert body["code"] == "conflict"
    assert "bundled sample lists" in body["detail"] and "check the hit" not in body["detail"]


def test_a_posted_disposition_form_keeps_the_reason(service: Service) -> None:
    """A form posted anyway (a page from before the lists were unloaded) keeps what was
    typed and shows the hits again, with the reason why nothing was recorded."""
    b = browser(service, "203.0.113.62")
    assert sign_in(b, "officer", service.password("officer")).status_code == 303
    r = b.post("/screen/disposition", headers=HTML, data={
        "csrf_token": page_csrf(b), "party": "Carrie Lam", "list": "SDN", "entry_id": "29249",
        "reason": "passport checked", "decision": "cleared"})
    text = re.sub(r"\s+", " ", r.text)
    assert "dispositions can only be recorded against the official lists" in text
    assert "LAM, Carrie" in text
    b.close()
