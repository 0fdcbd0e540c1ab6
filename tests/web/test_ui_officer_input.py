"""QA review (web UI, a hurried compliance officer's input): what the Audit filter and the
Check form make of text typed as a person types it."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from tests.web.test_ui_forms_review import officer, post_check, under_box  # noqa: F401

HTML = {"Accept": "text/html"}


def _audit_rows(page: str) -> list[tuple[str, str]]:
    """(actor, kind) of each row of the audit table."""
    body = re.search(r'<table class="striped audit">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert body, "no audit table"
    return re.findall(r"<tr><td>\d+</td><td><small>[^<]*</small></td><td>([^<]*)</td>"
                      r"<td><code>([^<]*)</code></td>", body[1])


def test_the_audit_kind_filter_finds_entries_typed_capitalised_or_with_a_space(
        officer_page: TestClient) -> None:
    # the seeded shipments are "shipment.posted": "Shipment " answered "No entry matches"
    page = officer_page.get("/audit", params={"kind": "Shipment "}, headers=HTML).text
    rows = _audit_rows(page)
    assert "No entry matches" not in page
    assert rows and {k for _, k in rows} <= {"shipment.posted", "shipment.refused",
                                               "shipment.reversed", "shipment.reversal_refused"}
    assert 'name="kind" value="shipment"' in page  # the box shows what was searched


def test_the_audit_actor_filter_finds_a_user_typed_in_another_case(
        officer_page: TestClient) -> None:
    # user names are unique ignoring case: "Officer" is the user "officer"
    page = officer_page.get("/audit", params={"actor": " Officer"}, headers=HTML).text
    rows = _audit_rows(page)
    assert rows and {a for a, _ in rows} == {"officer"}
    assert officer_page.get("/audit", params={"actor": "seed:hk-2019"},
                            headers=HTML).status_code == 200


@pytest.mark.parametrize(("typed", "said", "status"), [
    # too long for a code: the API's schema refuses it (422); the others are the engine's (400)
    ("Hong Kong", "destination 'Hong Kong' is not a code: use an ISO 3166-1 alpha-2 code "
                  "('Hong Kong' is HK)", 422),
    ("China", "unknown destination 'China' on 2021-01-15: use an ISO 3166-1 alpha-2 code "
              "('China' is CN)", 400),
    ("CHN", "unknown destination 'CHN' on 2021-01-15: use an ISO 3166-1 alpha-2 code "
            "('CHN' is CN)", 400),
    # a region's country is not its code (15 CFR 746.6: Crimea is UA-43): no code suggested
    ("Crimea", "unknown destination 'Crimea' on 2021-01-15: use an ISO 3166-1 alpha-2 code "
               "(e.g. HK, CN, DE) or a 3166-2 region (UA-43 for Crimea)", 400),
], ids=["long-name", "name", "alpha-3", "region"])
def test_a_destination_typed_as_a_name_is_answered_with_its_code(officer, typed,  # noqa: F811
                                                                 said, status) -> None:
    page = post_check(officer, status, destination=typed)
    box, message = under_box(page, "destination")
    assert message.startswith(said), message
    assert f'value="{typed}"' in box and "maxlength" not in box  # kept whole, as typed


@pytest.mark.parametrize("box", ["date", "compare"])
def test_a_year_typed_long_into_a_date_box_is_named_in_the_boxs_terms(officer,  # noqa: F811
                                                                      box) -> None:
    # "30/06/2020" typed into a month/day/year picker arrives as 62020-03-01; the answer
    # said "use YYYY-MM-DD", a spelling the picker does not show
    page = post_check(officer, 422, **{box: "62020-03-01"})
    _, message = under_box(page, box)
    assert "62020-03-01 is not a date" in message and "a year has 4 digits" in message
    assert "YYYY-MM-DD" not in message


def test_a_headquarters_typed_as_a_name_is_kept_and_answered_with_its_code(
        officer) -> None:  # noqa: F811
    # the box cut "Singapore" to "Singapor" as it was typed, and the error gave no code
    page = html.unescape(post_check(officer, 400, item="3A090.a", destination="MY",
                                    date="2024-06-01", headquarters="Singapore"))
    assert "unknown headquarters country 'Singapore': use an ISO 3166-1 alpha-2 code " \
           "('Singapore' is SG)" in page
    box = re.search(r'<input name="headquarters"[^>]*>', page)[0]
    assert 'value="Singapore"' in box and "maxlength" not in box
