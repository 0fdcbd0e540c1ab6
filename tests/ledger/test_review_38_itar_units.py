"""Review 38 (ITAR): a fractional quantity shipped against a DDTC licence line counted by
number was refused citing 15 CFR 750.11(a)(2), the EAR's "Unit" rule, which says nothing of a
DDTC licence; the refusal now gives the DDTC reason (a BIS licence keeps 750.11(a)(2)).

Runs on SQLite and on PostgreSQL (the ``ledger`` fixture)."""

from __future__ import annotations

import pytest
from ledger_helpers import bis, dsp5, ship

from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused


def _half(spec: dict) -> dict:
    spec["lines"][0]["quantity"] = "1.5"
    return spec


def test_a_fractional_unit_on_a_dsp5_is_refused_without_citing_the_ear(ledger: Ledger) -> None:
    ledger.add_licence(dsp5("DSP5-DE-1", destination="DE"))
    with pytest.raises(ShipmentRefused) as refused:
        ledger.post_shipment(_half(ship("k1", "DSP5-DE-1", destination="DE")))
    assert refused.value.rule == "fractional_units"
    assert "15 CFR" not in str(refused.value)
    assert "22 CFR 123.25(c)" in str(refused.value)


def test_a_bis_licence_keeps_the_ear_unit_rule(ledger: Ledger) -> None:
    ledger.add_licence(bis("D100001"))
    spec = _half(ship("k2", "D100001", destination="GB", classification="0A501.a",
                      date="2021-06-01", consignee="UK Importer Ltd",
                      end_user="UK Importer Ltd"))
    with pytest.raises(ShipmentRefused, match=r"15 CFR 750\.11\(a\)\(2\)"):
        ledger.post_shipment(spec)
