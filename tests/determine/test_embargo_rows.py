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


def test_the_exceptions_an_embargo_names_are_listed_for_a_person_to_check() -> None:
    """746.8(c) lets TMP, GOV, TSU, BAG, AVS and CCD overcome the Russia licence requirement,
    and the relaxed 746.9(b) lets CCD, TMP, RPL, GOV ... overcome Syria's (90 FR 42315); none
    of them has a rule row, so exportcheck cannot weigh their conditions (a consumer device
    for CCD, a news-media export for TMP). The trace must say so per exception, not that no
    exception the embargo names applies."""
    for dest, on, named in (("RU", date(2022, 5, 1), {"TMP", "GOV", "TSU", "BAG", "AVS", "CCD"}),
                            ("SY", date(2025, 9, 2), {"CCD", "AVS", "TMP", "RPL", "GOV", "TSU"})):
        d = determine("5A992.c", dest, on)
        assert d.outcome.value == "LICENSE_REQUIRED" and d.license_exceptions == []
        steps = {s.rule: s for s in d.trace if s.rule.startswith("License Exception")}
        listed = {rule.split()[2] for rule, s in steps.items() if "not evaluated" in s.detail}
        assert listed == named, (dest, sorted(steps))
        ccd = next(s for s in steps.values() if s.rule.startswith("License Exception CCD"))
        assert not ccd.fired and "15 CFR 746." in ccd.citation
        assert not any("no licence exception the entry or the embargo names applies" in s.detail
                       for s in d.trace)


def test_a_line_no_exception_can_overcome_still_says_none_applies() -> None:
    """744.23(c): no licence exception for the supercomputer end use; nothing is listed."""
    d = determine("3A991", "CN", date(2024, 1, 1), end_use="supercomputer")
    assert not any("not evaluated" in s.detail for s in d.trace)


def test_an_embargos_exceptions_reach_ear99_items_too() -> None:
    """746.2(a)(1) lets the exceptions it lists authorise exports to Cuba of items subject to
    the EAR, EAR99 included: AGR (740.18) is for EAR99 agricultural commodities only, GFT's
    gift parcels are mostly EAR99. 746.4(c) (North Korea) and 746.6(c) (Crimea) likewise. An
    EAR99 line must not be told 'no licence exceptions' while the trace says 'unless a 746.2(a)
    exception applies'; SPP, the EAR99-only exception for Syria, is still offered."""
    cuba = determine("EAR99", "CU", date(2023, 1, 1))
    assert cuba.outcome.value == "LICENSE_REQUIRED"
    step = next(s for s in cuba.trace if s.rule == "746.2 Cuba")
    assert "no licence exceptions" not in step.detail and "AGR" in step.detail
    listed = {s.rule.split()[2] for s in cuba.trace
              if s.rule.startswith("License Exception") and "not evaluated" in s.detail}
    assert {"AGR", "GFT", "TMP", "BAG"} <= listed
    for dest in ("KP", "UA-43"):
        d = determine("EAR99", dest, date(2023, 1, 1))
        assert "GFT" in next(s for s in d.trace if s.rule.startswith("746.")).detail
    syria = determine("EAR99", "SY", date(2025, 9, 2))
    assert [e.symbol for e in syria.license_exceptions] == ["SPP"]
    assert syria.outcome.value == "EXCEPTION_AVAILABLE"


def test_rules_show_says_what_746_8_reached_before_8_april_2022() -> None:
    """87 FR 12226 (24 Feb 2022; Belarus 87 FR 13048, 2 Mar 2022) required the 746.8 licence
    for CCL Categories 3-9; 87 FR 22130 reached every ECCN from 8 Apr 2022. What `rules show`
    lists for a day in between must not say 'all items on the CCL' while the engine answers
    NLR for a Category 1 item."""
    from exportcheck import load_ruleset
    from exportcheck.rules.describe import destination_rules

    rs = load_ruleset()
    for dest, on in (("RU", date(2022, 3, 1)), ("BY", date(2022, 3, 15))):
        assert determine("1A995", dest, on).outcome.value == "NLR"
        shown = [r.summary for r in destination_rules(rs, dest, on).rows
                 if r.citation.startswith("15 CFR 746.8") and "CCL" in r.summary]
        assert shown and all("Categories 3-9" in s for s in shown), shown


def test_russian_sector_sanctions_before_2022_needed_a_licence_only_for_oil_and_gas_projects(
        ) -> None:
    """746.5 from 6 Aug 2014 (79 FR 45675) required a licence for its Supp. 2 items (8A992,
    0A998 ...) to Russia only for deepwater, Arctic offshore or shale oil and gas projects; the
    rule base applied the later, unconditional requirement to every date, so 8A992 for a
    pipeline repair in Russia in June 2019 came out LICENSE_REQUIRED."""
    repair = determine("8A992", "RU", date(2019, 6, 1), end_use="pipeline repair")
    assert repair.outcome.value == "NLR", repair.requirements
    step = next(s for s in repair.trace if s.rule.startswith("746.5 Russia"))
    assert not step.fired and "deepwater" in step.detail
    for use in ("shale oil production", "Arctic offshore drilling", "deepwater gas field"):
        project = determine("0A998", "RU", date(2021, 6, 1), end_use=use)
        assert project.outcome.value == "LICENSE_REQUIRED", use
        assert [r.citation for r in project.requirements] == [
            "15 CFR 746.5(a)(1) (editions from 6 Aug 2014 to 2022)"]
    # from 8 Apr 2022 (87 FR 22130) 746.8(a)(1) needs no end use for any ECCN (ru_sector_russia)
    later = determine("0A998", "RU", date(2022, 4, 8), end_use="pipeline repair")
    assert later.outcome.value == "LICENSE_REQUIRED"
    assert any("746.8" in r.citation for r in later.requirements)


def test_russian_sector_eccns_outside_categories_3_to_9_stayed_knowledge_based_until_8_april_2022(
        ) -> None:
    """746.5(a)(1)(i) kept its condition after the invasion: a licence for the Supp. 2 items and
    ECCNs 0A998, 1C992, 3A229, 3A231, 3A232, 6A991, 8A992 and 8D999 only when "you 'know' that
    the item will be used ... in exploration for, or production of, oil or gas in Russian
    deepwater ... or Arctic offshore locations or shale formations" (eCFR 746.5, edition after
    87 FR 57068 added Belarus). 87 FR 12856 (effective 3 Mar 2022) added the unconditional Supp. 4
    paragraph and a policy of denial but left (a)(1)(i) knowledge-based. The unconditional licence
    came from 746.8(a)(1): Categories 3-9 from 24 Feb 2022 (87 FR 12226), every ECCN from
    8 Apr 2022 (87 FR 22130). So 0A998 and 1C992 for a pipeline repair on 1 Mar 2022 are NLR."""
    for eccn in ("0A998", "1C992"):
        repair = determine(eccn, "RU", date(2022, 3, 1), end_use="pipeline repair")
        assert repair.outcome.value == "NLR", (eccn, repair.requirements)
        shale = determine(eccn, "RU", date(2022, 3, 1), end_use="shale oil production")
        assert shale.outcome.value == "LICENSE_REQUIRED", eccn
        assert any(r.citation.startswith("15 CFR 746.5(a)(1)") for r in shale.requirements)
    # a Category 8 ECCN needed the 746.8 licence from 24 Feb 2022 whatever its end use
    pump = determine("8A992", "RU", date(2022, 3, 1), end_use="pipeline repair")
    assert pump.outcome.value == "LICENSE_REQUIRED"
    assert all("746.8(a)(1)" in r.citation for r in pump.requirements), pump.requirements
    # ... under its CCL RU line too: 87 FR 22130 changed nothing for it on 8 Apr 2022 (an
    # impact run from 7 to 8 Apr had shown it changed, reasons EMBARGO -> EMBARGO, RU)
    for eccn in ("8A992", "3A229", "6A991"):
        before = determine(eccn, "RU", date(2022, 4, 7), end_use="pipeline repair")
        after = determine(eccn, "RU", date(2022, 4, 8), end_use="pipeline repair")
        assert (before.outcome, before.reasons) == (after.outcome, after.reasons), eccn
        assert "RU" in before.reasons, eccn
    # and from 3 Mar 2022 a knowing export for such a project met a policy of denial
    policy = determine("0A998", "RU", date(2022, 3, 3), end_use="Arctic offshore drilling")
    assert policy.review_policy.startswith("policy of denial"), policy.review_policy
