"""An SDN match cites the blocking prohibition of the entry's programme, not 31 CFR 501.801.

31 CFR 501.801 is OFAC's licensing procedure; what forbids dealing with a blocked person is
the ".201" section (or its like) of the part of 31 CFR chapter V that implements the
programme the entry is tagged with: HK-EO13936 -> 31 CFR 585.201, SDNTK -> 31 CFR 598.202...
The table is reviewed data (``screen/data/program_blocking.csv``, a source per row); a tag it
does not hold is named, not guessed.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from importlib import resources

import pytest

from exportcheck import determine
from exportcheck.screen import Screener


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


def _sdn(end_user: str, samples: Screener, to: str = "HK"):
    d = determine("EAR99", to, date(2024, 1, 1), end_user=end_user, screener=samples)
    (req,) = [r for r in d.requirements if r.reason == "SDN"]
    return d, req


@pytest.mark.parametrize(("end_user", "cited"), [
    ("LAM, Carrie", "31 CFR 585.201 (HK-EO13936)"),  # SDN 29249
    ("SHUEN WAI HOLDING LIMITED", "31 CFR 598.202 (SDNTK)"),  # SDN 11298
    # two programmes, two parts: each tag names its own section
    ("VTB BANK PUBLIC JOINT STOCK COMPANY",
     "31 CFR 589.201 (UKRAINE-EO13662); 31 CFR 587.201 (RUSSIA-EO14024)"),
])
def test_an_sdn_match_cites_its_programmes_blocking_section(end_user: str, cited: str,
                                                            samples: Screener) -> None:
    d, req = _sdn(end_user, samples)
    assert d.outcome.value == "PROHIBITED"
    assert req.citation == cited
    assert "501.801" not in req.citation  # the licensing procedure, not the prohibition
    step = next(s for s in d.trace if s.rule == "OFAC SDN list: blocked person")
    assert step.citation == cited
    assert "31 CFR 501.801" in step.detail  # where a specific licence is applied for


def test_a_programme_not_in_the_table_is_named_not_guessed(samples: Screener) -> None:
    """SYRIA (SDN 20223) and IFSR are not in the reviewed table: the citation names the tag
    and says its part of 31 CFR chapter V holds the prohibition; a known tag of the same entry
    keeps its section (LIMMT, SDN 9749: NPWMD and IFSR)."""
    _, req = _sdn("T-RUBBER CO., LTD", samples)
    assert req.citation == "31 CFR chapter V, the part for programme SYRIA"
    _, req = _sdn("LIMMT ECONOMIC AND TRADE COMPANY, LTD.", samples)
    assert req.citation == ("31 CFR 544.201 (NPWMD); "
                            "31 CFR chapter V, the part for programme IFSR")


@pytest.mark.parametrize(("party", "cited"), [
    ({"end_user": "Carrie Lam Cheng"}, "31 CFR 585.201 (HK-EO13936)"),  # SDN 29249
    # SDN 306: the Cuban Assets Control Regulations, not blocking by SDN entry alone
    ({"consignee": "BANCO NACIONAL DE CUBA"}, "31 CFR 515.201; 31 CFR 515.306 (CUBA)"),
])
def test_a_held_sdn_match_if_confirmed_cites_its_programme(party: dict, cited: str,
                                                           samples: Screener) -> None:
    d = determine("EAR99", "HK", date(2024, 1, 1), screener=samples, **party)
    assert d.hold and d.if_confirmed.outcome.value == "PROHIBITED"
    assert d.if_confirmed.citation == cited
    held = next(s for s in d.trace if s.rule.startswith("Potential match held for review"))
    assert held.citation == cited


def test_every_row_of_the_table_cites_31_cfr_and_a_source() -> None:
    path = resources.files("exportcheck.screen") / "data" / "program_blocking.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    programs = [r["program"] for r in rows]
    assert len(programs) == len(set(programs)) and "SDGT" in programs
    for r in rows:
        assert re.fullmatch(r"31 CFR 5\d\d\.\d+(; 31 CFR 5\d\d\.\d+)*", r["citation"]), r
        assert r["regulations"].endswith("Regulations") and len(r["source"]) > 30, r
        assert "501.801" not in r["citation"], r
