"""Part 746 rows read against the regulation's text: which agency's licence an embargo line
needs, under which paragraph, and the review policy the answer cites."""

from __future__ import annotations

from datetime import date

from exportcheck import determine


def test_ear99_to_iran_needs_ofacs_licence_not_a_bis_licence_under_746_7() -> None:
    """746.7(a)(1) requires a BIS licence for CCL items (any Country Chart column, and the
    ECCNs it lists); an EAR99 item goes to Iran under OFAC's ITSR (31 CFR 560.204), whose
    authorisation 746.7(a)(2) takes as the EAR's. A CCL item needs both."""
    ear99 = determine("EAR99", "IR", date(2024, 1, 1))
    assert ear99.outcome.value == "LICENSE_REQUIRED" and ear99.agency.value == "OFAC"
    assert [(r.agency.value, r.citation) for r in ear99.requirements] == [
        ("OFAC", "31 CFR 560.204")]
    assert ear99.review_policy.startswith("OFAC specific licence")
    step = next(s for s in ear99.trace if s.rule == "746.7 Iran (EAR)")
    assert not step.fired and "Supp. 7" in step.detail

    chip = determine("3A001.a.2", "IR", date(2024, 1, 1))
    assert [(r.agency.value, r.citation) for r in chip.requirements] == [
        ("BIS", "15 CFR 746.7"), ("OFAC", "31 CFR 560.204")]


def test_syrias_review_policy_after_relief_cites_746_9_c() -> None:
    """From 2 Sep 2025 746.9(b) lists the licence exceptions (SPP, TMP, RPL, GOV ...) and
    746.9(c) the licensing policy, as before the relief (90 FR 42315)."""
    before = determine("3A991", "SY", date(2025, 9, 1))
    after = determine("3A991", "SY", date(2025, 9, 2))
    assert "746.9(c)" in before.review_policy
    assert "746.9(c)" in after.review_policy and "746.9(b)" not in after.review_policy


def test_ear99_to_russia_or_belarus_names_the_luxury_goods_of_supplement_5() -> None:
    """An EAR99 line carries no HTS code, so NLR rests on the item not being listed in a Part
    746 supplement: the trace names them all, the 'luxury goods' of Supp. 5 (746.10(a)(1):
    "a license is required to export ... to or within Russia or Belarus any 'luxury good'
    subject to the EAR, as identified in supplement no. 5"; in 746.8 since 89 FR 51644)
    among them."""
    for dest, on in (("RU", date(2022, 3, 15)), ("RU", date(2024, 1, 1)),
                     ("BY", date(2022, 3, 15)), ("BY", date(2024, 1, 1))):
        d = determine("EAR99", dest, on)
        assert d.outcome.value == "NLR"
        step = next(s for s in d.trace if s.rule.startswith("746.8"))
        assert "luxury goods' of Supp. 5" in step.detail, step.detail
