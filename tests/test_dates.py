"""One spelling of a date in every model: YYYY-MM-DD (exportcheck.dates). pydantic alone reads
1610668800, "1610668800" and date-times as dates; the ledger's and the facts' models refuse
them as the CLI and the REST API do, naming the field."""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import parse
from exportcheck.ledger.schemas import ShipmentIn
from exportcheck.models import TransactionFacts

SHIPMENT = {"idempotency_key": "k1", "licence_exception": "LVS", "destination": "HK",
            "consignee": "Kowloon Forwarding Ltd", "end_user": "Kowloon Avionics Ltd",
            "lines": [{"classification": "9A610.x", "quantity": 1, "value": "100.00"}]}


@pytest.mark.parametrize("bad", [1593388800, "1593388800", "2020-06-29T00:00:00Z", "2020-6-29",
                                 "20200629"])
def test_a_shipment_date_is_yyyy_mm_dd_only(bad: object) -> None:
    with pytest.raises(InvalidInput, match=r"invalid shipment: ship_date: .*(YYYY-MM-DD)"):
        parse(ShipmentIn, SHIPMENT | {"ship_date": bad})
    good = parse(ShipmentIn, SHIPMENT | {"ship_date": "2020-06-29"})
    assert good.ship_date == date(2020, 6, 29)
    # Python callers keep passing date objects
    again = parse(ShipmentIn, SHIPMENT | {"ship_date": date(2020, 6, 29)})
    assert again.ship_date == good.ship_date


def test_a_nac_notification_date_is_yyyy_mm_dd_only() -> None:
    assert TransactionFacts(nac_notified="2024-05-20").nac_notified == date(2024, 5, 20)
    with pytest.raises(ValueError, match="nac_notified must be a string YYYY-MM-DD"):
        TransactionFacts(nac_notified=1716163200)
    with pytest.raises(ValueError, match="invalid nac_notified date '2024-5-20'"):
        TransactionFacts(nac_notified="2024-5-20")
