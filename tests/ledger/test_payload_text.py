"""The stored audit entry of a posted shipment, to the byte. The posting path builds the
payload's canonical JSON in pieces (the request encoded once, each drawn line directly) and the
entry's content hash from its own list encoding; this pins both to what ``canonical_json`` and
``entry_hash`` make of the whole, on both databases, on read and on cached terms."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from ledger_helpers import dsp5
from sqlalchemy import text

from exportcheck.determine import determine
from exportcheck.ledger.api import Ledger, parse
from exportcheck.ledger.audit import canonical_json, content_tail, entry_hash
from exportcheck.ledger.schemas import ShipmentIn
from exportcheck.ledger.shipments import request_dump

HAN = '香港警务处 "總部"\\'  # non-ASCII, a quote and a backslash: escaped as canonical_json does
TOL = "22 CFR 123.23: value tolerance 10%, quantity tolerance 0%"
LINES = [{"classification": "I(a)", "description": "pistols", "quantity": 100,
          "value": "100000.00"},
         {"classification": "XI(c)", "description": "radios", "unit_basis": "value",
          "value": "5000.00"}]


def _entry(ledger: Ledger, seq: int) -> tuple:
    with ledger.engine.connect() as c:
        return c.execute(text("SELECT seq, recorded_at, actor, kind, payload, versions, hash "
                              "FROM audit_log WHERE seq = :s"), {"s": seq}).one()


def _spec(key: str) -> dict:
    return {"idempotency_key": key, "licence_number": "DSP5-T-1", "ship_date": "2019-06-01",
            "destination": "HK", "consignee": HAN, "end_user": HAN, "reference": "PO 7",
            "lines": [{"classification": "XI(c)", "value": "250.50"},
                      {"line_no": 1, "classification": "i(a)", "quantity": 2, "value": "10.00"},
                      {"classification": "I (a)", "quantity": 1, "value": "5.25"}]}


def _drawn(posted_before: int) -> list[dict]:
    """What the spec above draws after ``posted_before`` identical posts (XI(c) first: the
    order lines are first shipped)."""
    return [
        {"line_no": 2, "classification": "XI(c)", "quantity": "0", "value": "250.50",
         "remaining_quantity": None,
         "remaining_value": f"{5000 - 250.5 * (posted_before + 1):.2f}", "tolerance": TOL},
        {"line_no": 1, "classification": "I(a)", "quantity": "3", "value": "15.25",
         "remaining_quantity": str(100 - 3 * (posted_before + 1)),
         "remaining_value": f"{100000 - 15.25 * (posted_before + 1):.2f}", "tolerance": TOL}]


@pytest.mark.parametrize("actor", ["bench", "Zoë <officer>"])
def test_the_stored_entry_is_the_canonical_json_of_the_decision(db_url, actor):
    ledger = Ledger(db_url, seal_interval=3600)
    ledger.add_licence(dsp5(lines=LINES, parties=[{"role": "applicant", "name": "Acme"},
                                                  {"role": "consignee", "name": HAN},
                                                  {"role": "end_user", "name": HAN}]))
    versions = {"rule_base": 3, "lists": "2026-12-01"}
    for n in range(3):  # PostgreSQL: read under the lock, then on the cached terms
        spec = _spec(f"k{n}")
        out = ledger.post_shipment(spec, actor=actor, versions=versions)
        seq, recorded_at, who, kind, payload, stored_versions, digest = _entry(
            ledger, out.audit_seq)
        expected = {"request": request_dump(parse(ShipmentIn, spec)),
                    "decision": "accepted", "drawn": _drawn(n),
                    "licence": {"agency": "DDTC", "number": "DSP5-T-1", "kind": "DSP5"}}
        assert payload == canonical_json(expected)
        assert stored_versions == '{"lists":"2026-12-01","rule_base":"3"}'
        assert (who, kind) == (actor, "shipment.posted")
        assert digest == entry_hash(seq, recorded_at, actor, kind, payload, stored_versions, "")
    # under a licence exception: no draw, the determination of each line instead (LVS offered
    # for 3A001.a.2 to Hong Kong before 740.2(a)(23), within its $1,500 limit)
    exception = {"idempotency_key": "x", "licence_exception": "LVS", "ship_date": "2019-06-01",
                 "destination": "HK", "consignee": HAN, "end_user": HAN,
                 "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": "9.99"}]}
    out = ledger.post_shipment(exception, actor=actor)
    _, _, _, _, payload, stored_versions, _ = _entry(ledger, out.audit_seq)
    det = determine("3A001.a.2", "HK", dt.date(2019, 6, 1), value=9.99)
    lvs = next(e for e in det.license_exceptions if e.symbol == "LVS")
    summary = {"line": 1, "classification": "3A001.a.2", "value": "9.99",
               "outcome": "EXCEPTION_AVAILABLE", "agency": "BIS", "reasons": det.reasons,
               "rule_base": det.ruleset_version, "note": "", "parties_screened": False,
               "end_user_type": "assumed civil", "end_use": None,
               "exception": {"symbol": "LVS", "citation": "15 CFR 740.3",
                             "conditions": lvs.conditions}}
    assert payload == canonical_json({
        "request": request_dump(parse(ShipmentIn, exception)),
        "decision": "accepted", "determination": [summary], "drawn": [], "licence": None})
    assert "within LVS limit" in lvs.conditions
    assert stored_versions == "{}"
    # an officer's override of a refusal is recorded with the refusal it overrode
    iran = dict(exception, idempotency_key="y", ship_date="2024-06-01", destination="IR")
    out = ledger.post_shipment(iran, actor=actor, override_reason="OFAC licence IA-2024-1")
    payload = json.loads(_entry(ledger, out.audit_seq)[4])
    assert payload["override"] == {"reason": "OFAC licence IA-2024-1", "overrode": [
        "line 1 (3A001.a.2): LVS is not available to IR on 2024-06-01: LICENSE_REQUIRED "
        "(15 CFR 746.7; 31 CFR 560.204; License Exception LVS: IR is not in Country Group B)"]}
    assert [d["outcome"] for d in payload["determination"]] == ["LICENSE_REQUIRED"]
    assert list(payload) == sorted(payload)  # canonical: keys in order
    assert ledger.verify_audit().ok


@pytest.mark.parametrize("fields", [
    ("2026-12-05T08:45:14.123456Z", "bench", "shipment.posted", "{}", "{}"),
    ("t", "Zoë\u2028\x00\"\\/", "k", json.dumps({"a": "香港"}, ensure_ascii=False), '{"v":"\t"}'),
])
def test_the_content_hash_encodings_agree_with_canonical_json(fields):
    assert content_tail(*fields) == canonical_json([*fields, ""])[1:]
    for seq in (1, 10**12):
        material = canonical_json([seq, *fields, "ab"])
        assert entry_hash(seq, *fields, "ab") == hashlib.sha256(material.encode()).hexdigest()
