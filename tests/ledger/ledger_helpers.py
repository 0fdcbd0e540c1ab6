"""Test data builders shared by the ledger tests."""

from __future__ import annotations

from typing import Any

POLICE = "Hong Kong Police Force"


def dsp5(number: str = "DSP5-T-1", *, value: str = "100000.00", quantity: int = 100,
         destination: str = "HK", valid_from: str = "2019-03-01", **extra: Any) -> dict:
    spec = {
        "agency": "DDTC", "number": number, "kind": "DSP5", "destination": destination,
        "valid_from": valid_from,
        "parties": [{"role": "applicant", "name": "Acme Arms"},
                    {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}],
        "lines": [{"classification": "I(a)", "description": "pistols", "quantity": quantity,
                   "value": value}],
    }
    spec.update(extra)
    return spec


def bis(number: str = "D123456", *, unit_basis: str = "number", value: str = "10000.00",
        quantity: int | None = 10, **extra: Any) -> dict:
    line = {"classification": "0A501.a", "unit_basis": unit_basis, "value": value}
    if quantity is not None:
        line["quantity"] = quantity
    spec = {
        "agency": "BIS", "number": number, "kind": "BIS", "destination": "GB",
        "valid_from": "2021-01-04", "valid_to": "2025-01-03",
        "parties": [{"role": "applicant", "name": "Acme Arms"},
                    {"role": "consignee", "name": "UK Importer Ltd"},
                    {"role": "end_user", "name": "UK Importer Ltd"}],
        "lines": [line],
    }
    spec.update(extra)
    return spec


def ship(key: str, licence: str = "DSP5-T-1", *, value: str = "1000.00", quantity: int = 1,
         date: str = "2019-06-01", classification: str = "I(a)", destination: str = "HK",
         consignee: str = POLICE, end_user: str = POLICE) -> dict:
    return {"idempotency_key": key, "licence_number": licence, "ship_date": date,
            "destination": destination, "consignee": consignee, "end_user": end_user,
            "lines": [{"classification": classification, "quantity": quantity, "value": value}]}
