"""One realistic whole-body example per JSON request body of the REST API, shown in
``/openapi.json`` (``examples`` of the body's schema) and on the docs page.

Field examples alone ("3A001.a.2", "HK") left a client to guess how a whole request looks
(which fields go together, how the ledger writes money); each example here is a request the
service takes as it stands, in the order a client would send them: the licence the shipment
draws on, the shipment the reversal gives back. Kept apart from the models: the ledger's are
shared with the CLI, and one place shows every example a reader of the spec sees.
"""

from __future__ import annotations

from typing import Any

#: schema name (``components.schemas``) -> example body
BODY_EXAMPLES: dict[str, dict[str, Any]] = {
    # a semiconductor line to Hong Kong the day its separate treatment began to end
    "DeterminationRequest": {
        "item": "3A001.a.2", "destination": "HK", "date": "2020-06-30", "value": 48000,
        "quantity": 120, "end_user": "Kowloon Microsystems Ltd", "end_user_type": "civil",
        "end_use": "satellite power supplies", "screen": True, "record": False},
    "DeterminationBatchRequest": {
        "lines": [
            {"id": "PO-2020-0611/1", "item": "3A001.a.2", "destination": "HK",
             "date": "2020-06-30", "value": 48000, "quantity": 120,
             "end_user": "Kowloon Microsystems Ltd"},
            {"id": "PO-2020-0611/2", "item": "EAR99", "destination": "DE",
             "date": "2020-06-30", "value": 1200, "end_user": "Rhein Elektronik GmbH"}],
        "screen": True},
    # a name in Han characters: read as pinyin and Cantonese (Lee Ka-chiu)
    "ScreenRequest": {"name": "李家超", "country": "HK", "kind": "person", "threshold": 85,
                      "limit": 10},
    "ScreenBatchRequest": {
        "queries": [{"id": "CUST-0017", "name": "李家超", "country": "HK"},
                    {"id": "CUST-0018", "name": "Bharat Optics Ltd", "country": "IN",
                     "kind": "entity"}],
        "threshold": 85, "limit": 5},
    # a namesake born decades later, cleared after the passport was checked
    "DispositionIn": {
        "party": "Lee Ka Chiu", "list": "SDN", "entry_id": "29250", "country": "CA",
        "dob": "1988-04-02", "decision": "cleared",
        "reason": "namesake: born 1988 in Vancouver, passport CA-HM412233 checked"},
    "MatchRequest": {
        "queries": {"q1": {"schema": "Person", "properties": {
            "name": ["李家超"], "birthDate": ["1957-12-07"], "nationality": ["hk"]}}}},
    "LicenceIn": {
        "agency": "BIS", "number": "D1234567", "kind": "BIS", "destination": "IN",
        "valid_from": "2025-01-15", "valid_to": "2029-01-14",
        "provisos": ["No resale or transfer without prior BIS authorization"],
        "parties": [{"role": "applicant", "name": "Example Exporter Inc.", "country": "US"},
                    {"role": "consignee", "name": "Bharat Optics Ltd", "country": "IN"},
                    {"role": "end_user", "name": "Bharat Optics Ltd", "country": "IN"}],
        "lines": [{"classification": "3A001.a.2", "description": "radiation-hardened ICs",
                   "unit_basis": "number", "unit": "ea", "quantity": 500,
                   "value": "250000.00"}]},
    "ShipmentIn": {
        "idempotency_key": "INV-2025-0042", "licence_number": "D1234567", "agency": "BIS",
        "ship_date": "2025-03-03", "destination": "IN", "consignee": "Bharat Optics Ltd",
        "end_user": "Bharat Optics Ltd", "reference": "AES X20250303123456",
        "lines": [{"classification": "3A001.a.2", "quantity": 40, "value": "20000.00"}]},
    "ReversalRequest": {
        "idempotency_key": "INV-2025-0042-REV", "reference": "credit note CN-2025-007",
        "reason": "posted twice by the ERP: the goods left under INV-2025-0041"},
    "StatusChange": {
        "status": "suspended", "effective": "2025-06-02", "agency": "BIS",
        "reason": "BIS suspended the licence pending an end-use check",
        "citation": "BIS letter of 2 June 2025 (15 CFR 750.8)"},
    "ImpactRequest": {
        "from_date": "2020-06-29", "to_date": "2021-01-15",
        "lines": [{"id": "HK-2020-0031", "item": "3A001.a.2", "destination": "HK",
                   "value": 92000, "currency": "EUR", "end_user": "Kowloon Microsystems Ltd"},
                  {"id": "HK-2020-0032", "item": "5A002.a", "destination": "HK",
                   "value": 15000, "end_user": "Harbour Telecom Ltd"}],
        "rates": {"EUR": 1.08}, "screen": True},
    "UserIn": {"name": "m.chan", "role": "officer", "password": "correct horse battery staple"},
    "UserPatch": {"role": "viewer"},
    "TokenIn": {"user": "m.chan", "label": "ERP integration", "days": 90, "role": "officer"},
}


def add_examples(schemas: dict[str, Any]) -> None:
    """Put each example on its schema in the spec (a schema the spec lacks is skipped: the
    review test names it)."""
    for name, example in BODY_EXAMPLES.items():
        if name in schemas:
            schemas[name]["examples"] = [example]
