"""A shipment under a licence exception that rests on facts the lines do not carry (NAC/ACA:
where the end user is headquartered, the NAC notification, the conditions the exporter
confirms) states them, is checked with them as ``check --headquarters ...`` is, and records
them; without them the exception is refused, as the determination does not assume them.
Shipments recorded before these fields existed still replay under their idempotency keys."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.audit import canonical_json
from exportcheck.ledger.exception_check import ExceptionRefused
from exportcheck.ledger.schemas import ShipmentIn
from exportcheck.ledger.shipments import LATER_FIELDS


def _spec(key: str, symbol: str = "ACA", destination: str = "VN", **more: object) -> dict:
    # an advanced-computing IC (3A090.a) in June 2024, under the October 2023 rules
    return {"idempotency_key": key, "licence_exception": symbol, "ship_date": "2024-06-15",
            "destination": destination, "consignee": "Compute Trading JSC",
            "end_user": "Compute Trading JSC",
            "lines": [{"classification": "3A090.a", "quantity": 2, "value": "40000.00"}],
            **more}


def _count(ledger: Ledger, table: str) -> int:
    with ledger.engine.connect() as c:
        return c.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_aca_without_the_facts_is_refused_naming_what_is_missing(ledger: Ledger) -> None:
    with pytest.raises(ExceptionRefused) as info:
        ledger.post_shipment(_spec("no-facts"))
    assert info.value.rule == "exception_not_available"
    assert "headquarters not stated" in str(info.value)
    assert "facts not given: headquarters, conditions met ACA" in str(info.value)
    assert _count(ledger, "ledger_shipment") == 0


def test_aca_with_the_facts_is_recorded_with_them(ledger: Ledger) -> None:
    facts = {"headquarters": "vn", "conditions_met": ["ACA"]}
    out = ledger.post_shipment(_spec("aca", facts=facts))
    assert out.created and out.determination[0]["outcome"] == "EXCEPTION_AVAILABLE"
    assert out.determination[0]["exception"]["symbol"] == "ACA"
    assert "headquarters VN (as stated)" in out.determination[0]["exception"]["conditions"]
    (entry,) = ledger.audit_entries(kind="shipment.posted", limit=1)[0]
    assert json.loads(entry.payload)["request"]["facts"] == {
        "headquarters": "vn", "nac_notified": None, "conditions_met": ["ACA"]}
    # the same post again is the same shipment; other facts under that key are not
    assert not ledger.post_shipment(_spec("aca", facts=facts)).created
    with pytest.raises(LedgerError, match="already used for a different shipment"):
        ledger.post_shipment(_spec("aca", facts={"headquarters": "SG",
                                                 "conditions_met": ["ACA"]}))


def test_nac_to_china_needs_the_notification(ledger: Ledger) -> None:
    facts = {"headquarters": "CN", "conditions_met": ["NAC"]}
    with pytest.raises(ExceptionRefused, match="notification not stated"):
        ledger.post_shipment(_spec("nac-1", "NAC", "CN", facts=facts))
    out = ledger.post_shipment(_spec("nac-2", "NAC", "CN",
                                     facts=facts | {"nac_notified": "2024-01-02"}))
    assert out.created and out.determination[0]["exception"]["symbol"] == "NAC"


def test_a_mistyped_fact_is_an_error_and_nothing_is_written(ledger: Ledger) -> None:
    before = _count(ledger, "audit_log")
    with pytest.raises(InvalidInput, match="unknown headquarters country 'XX'"):
        ledger.post_shipment(_spec("typo", facts={"headquarters": "XX"}))
    with pytest.raises(InvalidInput, match="unknown licence exception"):
        ledger.post_shipment(_spec("typo", facts={"conditions_met": ["ACX"]}))
    assert _count(ledger, "audit_log") == before
    assert _count(ledger, "ledger_shipment") == 0


def test_facts_belong_to_an_ear_licence_exception() -> None:
    spec = _spec("lic", facts={"headquarters": "VN"})
    spec.pop("licence_exception")
    with pytest.raises(ValueError, match="give them with licence_exception"):
        ShipmentIn.model_validate(spec | {"licence_number": "D123", "agency": "BIS"})


def test_a_shipment_recorded_before_the_later_fields_replays(ledger: Ledger) -> None:
    """The stored hash of a request that leaves the later fields unset is the hash an earlier
    version (whose ShipmentIn had no such fields) computed for the same request."""
    spec = _spec("before", symbol="NLR", destination="DE")
    spec["lines"] = [{"classification": "EAR99", "quantity": 1, "value": "10.00"}]
    out = ledger.post_shipment(spec)
    earlier = ShipmentIn.model_validate(spec).model_dump(mode="json")
    for name in (n for group in LATER_FIELDS for n in group):
        del earlier[name]
    assert _stored_hash(ledger, out.id) == _sha(earlier)
    assert not ledger.post_shipment(spec).created


def test_a_shipment_recorded_with_the_first_later_fields_unset_replays(ledger: Ledger) -> None:
    """The version that added end_user_type and end_use hashed them as null when unset."""
    spec = _spec("between", symbol="NLR", destination="DE")
    spec["lines"] = [{"classification": "EAR99", "quantity": 1, "value": "10.00"}]
    out = ledger.post_shipment(spec)
    between = ShipmentIn.model_validate(spec).model_dump(mode="json")
    del between["facts"]
    with ledger.engine.begin() as c:  # as that version stored it
        c.execute(sa.text("UPDATE ledger_shipment SET request_hash = :h WHERE id = :i"),
                  {"h": _sha(between), "i": out.id})
    assert not ledger.post_shipment(spec).created
    with pytest.raises(LedgerError, match="different shipment"):
        ledger.post_shipment(spec | {"end_use": "research"})


def _sha(request: dict) -> str:
    return hashlib.sha256(canonical_json(request).encode()).hexdigest()


def _stored_hash(ledger: Ledger, shipment_id: int) -> str:
    with ledger.engine.connect() as c:
        return c.execute(sa.text("SELECT request_hash FROM ledger_shipment WHERE id = :i"),
                         {"i": shipment_id}).scalar_one()


def test_the_request_hash_does_not_depend_on_the_process() -> None:
    """Symbols confirmed are a set, whose order changes with the process's hash seed: the
    audited request lists them sorted, so a replay from another process is the same request."""
    code = ("import sys; from exportcheck.ledger.schemas import ShipmentIn; "
            "from exportcheck.ledger.shipments import request_json; "
            "print(request_json(ShipmentIn.model_validate_json(sys.argv[1])))")
    spec = json.dumps(_spec("seed", facts={"headquarters": "VN",
                                           "conditions_met": ["ACA", "NAC", "AIA", "LPP"]}))
    seen = {subprocess.run([sys.executable, "-c", code, spec], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(6)}
    assert len(seen) == 1
    assert '"conditions_met":["ACA","AIA","LPP","NAC"]' in seen.pop()
