"""The ledger from Python as an ERP hook calls it: quantities as numpy integers from a frame,
dates as 'YYYY-MM-DD' text; a datetime or a missing date is refused naming the argument, and
nothing is stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from ledger_helpers import bis

from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import Ledger


def _order(key: str, quantity: object, value: object) -> dict:
    return {"idempotency_key": key, "licence_number": "D123456", "ship_date": "2024-06-03",
            "destination": "GB", "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
            "lines": [{"classification": "0A501.a", "quantity": quantity, "value": value}]}


def test_numpy_numbers_are_the_numbers_they_hold(ledger: Ledger) -> None:
    spec = bis(valid_from="2024-01-02", valid_to="2028-01-01")
    spec["lines"][0] |= {"quantity": np.int64(10), "value": np.float64(10000.0)}
    ledger.add_licence(spec)
    ledger.post_shipment(_order("INV-1", np.int64(4), Decimal("4000.00")))
    ledger.post_shipment(_order("INV-2", np.int32(1), np.int64(1000)))
    line = ledger.get_licence("D123456").lines[0]
    assert (line.quantity, line.remaining_quantity, line.remaining_value) == (
        Decimal(10), Decimal(5), Decimal("5000.00"))
    with pytest.raises(InvalidInput, match=r"lines\.0\.quantity: .*more than 3 decimal places"):
        ledger.post_shipment(_order("INV-3", np.float32(0.1), "1.00"))


def test_date_arguments_as_text_and_bad_ones_named(ledger: Ledger) -> None:
    ledger.add_licence(bis(valid_from="2024-01-02", valid_to="2028-01-01"))
    ledger.post_shipment(_order("INV-1", 4, "4000.00"))
    for bad, named in ((dt.datetime(2024, 7, 1, 10), "pass its .date()"),
                       (pd.Timestamp("2024-07-01"), "pass its .date()"),
                       (None, "got NoneType"), ("01/07/2024", "use YYYY-MM-DD")):
        with pytest.raises(InvalidInput, match=r"effective") as err:
            ledger.set_status("D123456", "suspended", effective=bad, reason="r", citation="c")
        assert named in str(err.value)
    assert ledger.get_licence("D123456").status == "approved"
    assert ledger.verify_audit().ok
    ledger.set_status("D123456", "suspended", effective="2024-07-01", reason="r", citation="c")
    assert ledger.get_licence("D123456", as_of="2024-06-30").status == "approved"
    assert ledger.get_licence("D123456", as_of=dt.date(2024, 7, 1)).status == "suspended"
    assert [lic.status for lic in ledger.list_licences(as_of="2024-06-30")] == ["approved"]
    report = ledger.report(as_of="2024-06-30")
    assert report.as_of == dt.date(2024, 6, 30) and report.rows[0].status == "approved"
    with pytest.raises(InvalidInput, match=r"as_of must be a date or a string YYYY-MM-DD"):
        ledger.report(as_of=dt.datetime(2024, 6, 30))
