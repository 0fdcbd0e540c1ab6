"""Sample data: the 2019 Hong Kong defence-sales scenario of issue #5.

In 2019 the State Department approved about $2.4M of firearms and ammunition sales to Hong
Kong (DSP-5 permanent export licences) of which about $1.4M had shipped when, on 29/30 June
2020, exports of US defence articles to Hong Kong ended; on 15 July 2020 DDTC put Hong Kong under
the China entry of 22 CFR 126.1(d)(1) (policy of denial), under EO 13936 sec. 2(c) (85 FR 43413).
The unshipped $1.0M became unusable. Licence numbers, parties and line splits below are
ILLUSTRATIVE (the totals follow the issue); they are not real DDTC records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

APPLICANT = "Example Arms Exporter Inc. (illustrative)"
POLICE = "Hong Kong Police Force"
ACTOR = "seed:hk-2019"


def _licence(number: str, approved: str, lines: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "agency": "DDTC", "number": number, "kind": "DSP5", "destination": "HK",
        "valid_from": approved,  # valid_to defaults to 4 years (22 CFR 123.21(a))
        "provisos": ["No re-transfer without prior written DDTC approval (22 CFR 123.9)."],
        "parties": [{"role": "applicant", "name": APPLICANT, "country": "US"},
                    {"role": "consignee", "name": POLICE, "country": "HK"},
                    {"role": "end_user", "name": POLICE, "country": "HK"}],
        "lines": lines,
    }


LICENCES: list[dict[str, Any]] = [
    _licence("DSP5-HK-2019-001", "2019-02-11", [
        {"classification": "I(a)", "description": "9mm semi-automatic pistols",
         "quantity": 900, "value": "900000.00"},
    ]),
    _licence("DSP5-HK-2019-002", "2019-05-06", [
        {"classification": "III(a)", "description": "9mm ball cartridges, boxes of 1,000",
         "quantity": 2000, "value": "800000.00"},
    ]),
    _licence("DSP5-HK-2019-003", "2019-09-23", [
        {"classification": "I(a)", "description": "5.56mm semi-automatic rifles",
         "quantity": 400, "value": "600000.00"},
        {"classification": "I(h)", "description": "rifle spare parts kits",
         "quantity": 250, "value": "100000.00"},
    ]),
]

# (idempotency key, licence, ship date, [(classification, quantity, value)])
SHIPMENTS: list[tuple[str, str, str, list[tuple[str, int, str]]]] = [
    ("hk19-001-a", "DSP5-HK-2019-001", "2019-04-02", [("I(a)", 300, "300000.00")]),
    ("hk19-001-b", "DSP5-HK-2019-001", "2019-10-15", [("I(a)", 300, "300000.00")]),
    ("hk19-002-a", "DSP5-HK-2019-002", "2019-07-01", [("III(a)", 1000, "400000.00")]),
    ("hk19-002-b", "DSP5-HK-2019-002", "2020-01-20", [("III(a)", 250, "100000.00")]),
    ("hk19-003-a", "DSP5-HK-2019-003", "2020-03-09", [("I(a)", 200, "250000.00"),
                                                    ("I(h)", 100, "50000.00")]),
]

HK_2020_EVENT: dict[str, Any] = {
    "key": "us-ddtc-hk-2020-06-30",
    "title": "End of US defence exports to Hong Kong; Hong Kong treated as China under ITAR",
    "action": "suspended",
    "effective": "2020-06-30",
    "citation": ("Secretary of State statement of 29 Jun 2020 (end of defence exports to Hong "
                 "Kong, effective 30 Jun 2020); EO 13936 of 14 Jul 2020, 85 FR 43413; DDTC "
                 "notice of Jul 2020 placing Hong Kong under 22 CFR 126.1(d)(1) (China); "
                 "suspension under 22 CFR 126.7"),
    "filter": {"agency": "DDTC", "destinations": ["HK"]},
}

#: a shipment attempted after the suspension: the demo shows it refused
LATE_SHIPMENT: dict[str, Any] = {
    "idempotency_key": "hk19-003-late", "licence_number": "DSP5-HK-2019-003",
    "ship_date": "2020-07-15", "destination": "HK", "consignee": POLICE, "end_user": POLICE,
    "lines": [{"classification": "I(a)", "quantity": 50, "value": "75000.00"}],
}

EXPECTED = {"approved": Decimal("2400000.00"), "shipped": Decimal("1400000.00"),
            "blocked": Decimal("1000000.00")}


def shipment_specs() -> list[dict[str, Any]]:
    return [{"idempotency_key": key, "licence_number": number,
             "ship_date": dt.date.fromisoformat(day), "destination": "HK",
             "consignee": POLICE, "end_user": POLICE,
             "lines": [{"classification": c, "quantity": q, "value": v} for c, q, v in lines]}
            for key, number, day, lines in SHIPMENTS]


def seed(ledger: Any, versions: dict | None = None) -> None:
    """Load the scenario into ``ledger`` (an :class:`exportcheck.ledger.api.Ledger`).

    Idempotent: licences are re-added only if absent, shipments carry fixed idempotency keys,
    and the policy event is keyed.
    """
    for spec in LICENCES:
        ledger.add_licence(spec, actor=ACTOR, versions=versions)
    for spec in shipment_specs():
        ledger.post_shipment(spec, actor=ACTOR, versions=versions)
    ledger.apply_policy_event(HK_2020_EVENT, actor=ACTOR, versions=versions)
