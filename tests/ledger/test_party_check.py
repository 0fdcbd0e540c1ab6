"""A shipment on a licence screens its parties when given a screener (the CLI, REST and web
interfaces give the process's): a party blocked since the licence was issued refuses it
whatever the licence says, a potential match holds it until a disposition, an Entity List
party the licence was issued for does not.

Real screening on the bundled sample lists; dispositions through the screening store on the
ledger's own SQLite database, as in a deployment.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from ledger_helpers import bis, dsp5, ship

from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused
from exportcheck.screen import Screener, store
from exportcheck.screen.service import SAMPLES_DIR

#: SDN 11298 (HK, SDNTK: the Wei drug network, designated in 2008); not Carrie Lam, SDN only
#: from 7 Aug 2020 (EO 13936), after these shipments' dates
BLOCKED = "SHUEN WAI HOLDING LIMITED"
ACTEAM_PARTIAL = "ACTeam Logistics Hong Kong Ltd"  # partly the Entity List's ACTeam (HK)
CENTRE_BRIGHT = "Centre Bright Electronics Company Limited"  # Entity List (HK), exact


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


def _licence(ledger: Ledger, number: str, party: str) -> None:
    parties = [{"role": "applicant", "name": "Acme Arms"},
               {"role": "consignee", "name": party}, {"role": "end_user", "name": party}]
    ledger.add_licence(dsp5(number, parties=parties))


def _shipments(ledger: Ledger) -> int:
    with ledger.engine.connect() as c:
        return c.execute(sa.text("SELECT count(*) FROM ledger_shipment")).scalar_one()


def _refused(ledger: Ledger, spec: dict, screener: object) -> ShipmentRefused:
    before = _shipments(ledger)
    with pytest.raises(ShipmentRefused) as info:
        ledger.post_shipment(spec, screener=screener)  # type: ignore[arg-type]
    assert _shipments(ledger) == before
    (entry,) = ledger.audit_entries(kind="shipment.refused", limit=1)[0]
    assert json.loads(entry.payload)["rule"] == info.value.rule
    return info.value


def test_a_party_blocked_since_the_licence_was_issued_is_refused(ledger: Ledger,
                                                                 samples: Screener) -> None:
    _licence(ledger, "DSP5-CL", BLOCKED)
    spec = ship("cl-1", "DSP5-CL", consignee=BLOCKED, end_user=BLOCKED)
    exc = _refused(ledger, spec, samples)
    assert exc.rule == "party_blocked"
    assert str(exc).startswith("line 1 (I(a)): a party may not be dealt with on 2019-06-01, "
                               "whatever the licence: SDN 11298 ")
    assert "(31 CFR 598.202 (SDNTK))" in str(exc)  # the Kingpin Act prohibition
    (entry,) = ledger.audit_entries(kind="shipment.refused", limit=1)[0]
    assert json.loads(entry.payload)["determination"][0]["screening_hits"][0].startswith(
        "SDN 11298 ")
    # the Python API without a screener checks the licence alone, as before
    assert ledger.post_shipment(spec).created


def test_a_potential_match_holds_a_licensed_shipment_until_a_disposition(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.db'}")
    store.load_lists([SAMPLES_DIR], engine=ledger.engine, user="test")
    _licence(ledger, "DSP5-AT", ACTEAM_PARTIAL)
    spec = ship("at-1", "DSP5-AT", consignee=ACTEAM_PARTIAL, end_user=ACTEAM_PARTIAL)
    exc = _refused(ledger, spec, store.load_screener(ledger.engine))
    assert exc.rule == "party_held" and "may be EL f04aff3fcb77" in str(exc)
    assert exc.determination[0]["party_matches"][0]["entry_id"] == "f04aff3fcb77"
    store.record_disposition(ACTEAM_PARTIAL, "EL", "f04aff3fcb77", user="officer",
                             country="HK", reason="another company: HK registry 123",
                             engine=ledger.engine)
    out = ledger.post_shipment(spec, screener=store.load_screener(ledger.engine))
    assert out.created
    (entry,) = ledger.audit_entries(kind="shipment.posted", limit=1)[0]
    assert json.loads(entry.payload)["parties_screened"].startswith("bis-dpl@")


def test_an_entity_list_party_the_licence_names_is_not_refused(ledger: Ledger,
                                                              samples: Screener) -> None:
    """A BIS licence for an Entity List party is the licence 744.11 requires: the exact,
    corroborated hit decides a LICENSE_REQUIRED answer, which the licence meets."""
    parties = [{"role": "applicant", "name": "Acme"},
               {"role": "consignee", "name": CENTRE_BRIGHT},
               {"role": "end_user", "name": CENTRE_BRIGHT}]
    ledger.add_licence(bis("D-CB", destination="HK", parties=parties, lines=[{
        "classification": "3A001.a.2", "unit_basis": "number", "quantity": 10,
        "value": "10000.00"}]))
    spec = ship("cb-1", "D-CB", classification="3A001.a.2", date="2022-03-01",
                consignee=CENTRE_BRIGHT, end_user=CENTRE_BRIGHT)
    assert ledger.post_shipment(spec, screener=samples).created
