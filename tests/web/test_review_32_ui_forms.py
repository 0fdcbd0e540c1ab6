"""Review 32 of the Licences page as a compliance officer: the shipment form's refusals
that the ledger learnt in review 31.

A ship date after tomorrow (a mistyped 2028) is refused by the ledger as an input error
naming ``ship_date`` (REST: 422 on ``body.ship_date``). The form answered 400, with
"Error: ship_date 2028-03-01 is in the future" at the top of the form and the Ship date box
neither marked nor focused, although a refused form answers the API's status and puts the
message under the box at fault (README, Web UI). An intermediate consignee given as the
consignee is a ledger rule (409): shown at the form with the rule, what was typed kept.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

from tests.web.conftest import Service
from tests.web.test_review_24_web import box
from tests.web.test_review_28b_forms import api_status, officer, post, under  # noqa: F401

POLICE = "Hong Kong Police Force"
#: a line of DSP5-HK-2019-001 before its suspension of 30 Jun 2020
LINE = {"licence_number": "DSP5-HK-2019-001", "destination": "HK", "classification": "I(a)",
        "quantity": "1", "value": "1000", "consignee": POLICE, "end_user": POLICE}


def test_a_ship_date_in_the_future_answers_422_under_the_ship_date(service: Service,
                                                                   officer) -> None:  # noqa: F811
    day = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    r = post(officer, "/licences/ship", **LINE, ship_date=day,
             idempotency_key=f"ui-{uuid.uuid4()}")
    api = {k: v for k, v in LINE.items() if k not in ("classification", "quantity", "value")}
    assert api_status(service, "/api/v1/shipments", {
        **api, "ship_date": day, "idempotency_key": f"api-{uuid.uuid4()}",
        "lines": [{"classification": "I(a)", "quantity": 1, "value": 1000}]}) == 422
    assert r.status_code == 422, r.text[:300]
    said = under(r.text, "ship_date", "ship-ship_date-error")
    assert said.startswith(f"ship date {day} is in the future"), said
    assert "tomorrow in UTC" in said
    assert 'id="ship-result"' not in r.text  # one box at fault: said there, not twice too
    assert f'value="{day}"' in box(r.text, "ship_date")  # what was typed stays
    assert f'value="{POLICE}"' in box(r.text, "consignee")


def test_an_intermediate_consignee_as_consignee_is_refused_at_the_form(service: Service,
                                                                       officer) -> None:  # noqa: F811
    number = "D-R32-ICONS"
    r = service.client.post("/api/v1/licences", headers=service.auth("officer"), json={
        "agency": "BIS", "number": number, "kind": "BIS", "destination": "GB",
        "valid_from": "2024-01-02",
        "parties": [{"role": "applicant", "name": "Acme Inc."},
                    {"role": "consignee", "name": "UK Importer Ltd"},
                    {"role": "intermediate_consignee", "name": "Heathrow Forwarding Ltd"},
                    {"role": "end_user", "name": "UK Importer Ltd"}],
        "lines": [{"classification": "0A501.a", "quantity": 10, "value": "10000.00"}]})
    assert r.status_code == 201, r.text
    r = post(officer, "/licences/ship", licence_number=number, ship_date="2025-03-01",
             destination="GB", classification="0A501.a", quantity="1", value="100",
             consignee="Heathrow Forwarding Ltd", end_user="UK Importer Ltd",
             idempotency_key=f"ui-{uuid.uuid4()}")
    assert r.status_code == 409, r.text[:300]
    result = re.search(r'<div id="ship-result"[^>]*autofocus>(.*?)</form>', r.text, re.S)
    assert result and "Shipment refused" in result[1], r.text[:500]
    assert "is its intermediate consignee" in result[1] and "748.5(c)-(d)" in result[1]
    assert "consignee_not_on_licence" in result[1]
    assert 'value="Heathrow Forwarding Ltd"' in box(r.text, "consignee")
