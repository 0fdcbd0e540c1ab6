"""The end-use controls of 15 CFR 744.23 (supercomputer, advanced-node IC and semiconductor
manufacturing equipment end uses) and the paragraph that the headquarters reach of the
advanced-computing controls cites (744.23(a)(3)(i)). Primary text: eCFR 744.23 as amended to
89 FR 23886 (4 Apr 2024)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.models import TransactionFacts

ON = date(2024, 6, 1)


@pytest.mark.parametrize(
    "item, dest, end_use, paragraph",
    [
        ("3A991.a", "CN", "supercomputer maintenance", "744.23(a)(1)"),
        ("4A994.b", "MO", "supercomputer", "744.23(a)(1)"),  # Macau from 17 Nov 2023
        ("EAR99", "CN", "advanced-node IC production", "744.23(a)(2)"),  # every EAR item
        ("3B991.b", "CN", "semiconductor manufacturing equipment production", "744.23(a)(4)"),
    ],
)
def test_a_744_23_end_use_needs_a_licence(item: str, dest: str, end_use: str,
                                          paragraph: str) -> None:
    d = determine(item, dest, ON, end_use=end_use)
    assert d.outcome.value == "LICENSE_REQUIRED", [s.detail for s in d.trace]
    req = next(r for r in d.requirements if paragraph in r.citation)
    assert "presumption of denial (744.23(d)(1))" in req.review_policy
    assert d.license_exceptions == []  # 744.23(c)


def test_the_end_uses_reach_d5_not_elsewhere() -> None:
    """Venezuela is in D:5; Germany is not: the supercomputer there is not one 744.23 names."""
    assert determine("3A991.a", "VE", ON, end_use="supercomputer").outcome.value == (
        "LICENSE_REQUIRED")
    assert determine("3A991.a", "DE", ON, end_use="supercomputer").outcome.value == "NLR"


def test_the_end_uses_keep_their_item_scope() -> None:
    """744.23(a)(4)(i) reaches items on the CCL only; (a)(1) the ECCNs it names."""
    assert determine("EAR99", "CN", ON, end_use="semiconductor manufacturing equipment"
                     ).outcome.value == "NLR"
    assert determine("EAR99", "CN", ON, end_use="supercomputer").outcome.value == "NLR"


def test_the_2022_rule_reached_china_only() -> None:
    """87 FR 62186: 744.23 effective 7 Oct 2022, for the PRC; not before."""
    assert determine("4A994.b", "CN", date(2023, 3, 1), end_use="supercomputer"
                     ).outcome.value == "LICENSE_REQUIRED"
    assert determine("4A994.b", "CN", date(2022, 10, 6), end_use="supercomputer"
                     ).outcome.value == "NLR"


def test_the_end_use_bars_nac() -> None:
    """740.8(b): no NAC/ACA where Part 744 requires a licence (744.23(a)(3) apart)."""
    facts = TransactionFacts(nac_notified=date(2024, 1, 2), conditions_met={"NAC"})
    assert [e.symbol for e in determine("3A001.z.1.b", "CN", ON, facts=facts
                                        ).license_exceptions] == ["NAC"]
    d = determine("3A001.z.1.b", "CN", ON, end_use="supercomputer", facts=facts)
    assert d.outcome.value == "LICENSE_REQUIRED" and d.license_exceptions == []


def test_the_batch_applies_them_alike() -> None:
    lines = pl.DataFrame({"item": ["3A991.a", "3A991.a", "EAR99"],
                          "destination": ["CN", "DE", "MO"],
                          "date": [ON.isoformat()] * 3,
                          "end_use": ["supercomputer", "supercomputer", "advanced-node ICs"]})
    out = determine_frame(lines)
    assert out["outcome"].to_list() == ["LICENSE_REQUIRED", "NLR", "LICENSE_REQUIRED"]


def test_the_headquarters_reach_cites_744_23_a_3_i() -> None:
    """A line licensed only by its end user's D:5 headquarters is licensed under
    744.23(a)(3)(i), not 742.6(a)(6)(iii), which names destinations."""
    d = determine("3A090.a", "MY", ON, facts=TransactionFacts(headquarters="CN"))
    (req,) = d.requirements
    assert "15 CFR 744.23(a)(3)(i)" in req.citation and "742.6(a)(6)" not in req.citation
    # reached by the destination, the 742.6 paragraph stays
    (req,) = determine("3A090.a", "CN", ON).requirements
    assert "742.6(a)(6)(iii)" in req.citation and "744.23" not in req.citation
