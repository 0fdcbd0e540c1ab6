"""Review 38: the Lists page names each list as the Screen page does ("OFAC SDN list", the
code in small print) and says what a version's date is."""

from __future__ import annotations

from exportcheck.screen import store
from exportcheck.screen.listing import SOURCE_LABELS
from tests.web.conftest import Service


def test_the_lists_page_names_each_source_and_says_what_its_date_is(service: Service) -> None:
    page = service.client.get("/lists", headers=service.auth("admin"))
    assert page.status_code == 200
    for v in store.list_versions(active_only=True):
        assert SOURCE_LABELS[v.source] in page.text  # "OFAC SDN list", not only ofac-sdn
    assert "lists dated" in page.text and "file of" not in page.text
