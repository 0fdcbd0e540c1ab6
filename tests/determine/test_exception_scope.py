"""Licence exceptions claimed only where the CCL entry and Part 740 grant them (a review of the
rule base against the eCFR of 2026-07-23): GBS and TSR for national-security requirements only,
LVS tiers as the entries write them, grants in words not assumed, the UAE named by name in the
advanced-computing .b tier, 1C010.b's NP line, 742.4(b)(7) for Burma, Cambodia and Nicaragua,
and STA to the UAE only for its approved entities."""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine
from exportcheck.models import Outcome, TransactionFacts

DAY = date(2026, 7, 23)


def _lvs_note(item: str, dest: str, value: float = 100) -> str:
    d = determine(item, dest, DAY, value=value)
    return next(s.detail for s in d.trace if s.rule == "License Exception LVS")


def _symbols(item: str, dest: str, value: float = 100, on: date = DAY) -> list[str]:
    return [e.symbol for e in determine(item, dest, on, value=value).license_exceptions]


@pytest.mark.parametrize("item", ["3A090.b", "4A090.b"])
def test_the_uae_named_in_the_b_tier_stays_although_it_is_in_a5(item: str) -> None:
    """742.6(a)(6)(iii)(B): "To or within the United Arab Emirates or destinations specified in
    Country Groups D:1, D:4, and D:5 ..., excluding any destination also specified in Country
    Groups A:5 or A:6": the exclusion qualifies the groups, not the UAE (in A:5 since June)."""
    d = determine(item, "AE", DAY)
    assert d.outcome is Outcome.LICENSE_REQUIRED and d.reasons == ["RS"]
    # an A:5 member reached only through a group is still excluded
    assert determine(item, "GB", DAY).outcome is Outcome.NLR


@pytest.mark.parametrize(("item", "dest", "other"), [
    ("1A004.c.2", "SG", "CB2"),  # NS2 and CB2: GBS would overcome the NS part only
    ("1A004.c.2", "ZA", "CB2"),  # CB2 alone
    ("2D002", "SG", "NP1"),
    # (6D003.a, SG, RS1) left: 6D003's RS line is for .c only ("RS applies to paragraph c"),
    # see test_6d003_rs_is_for_paragraph_c_and_tsr_not_for_a_outside_a5
    ("3D002", "SG", "RS"),
])
def test_gbs_and_tsr_only_for_national_security_alone(item: str, dest: str, other: str) -> None:
    """740.4 and 740.6(a): "where the Commerce Country Chart ... indicates a license requirement
    to the ultimate destination for national security reasons only"."""
    d = determine(item, dest, DAY, value=100)
    assert not {"GBS", "TSR"} & {e.symbol for e in d.license_exceptions}
    notes = [s.detail for s in d.trace if s.rule in ("License Exception GBS",
                                                      "License Exception TSR")]
    assert any(other in n and ("reasons only" in n or "N/A for" in n) for n in notes), notes


def test_gbs_stays_for_a_national_security_requirement_alone() -> None:
    assert "GBS" in _symbols("3A001.a.2", "SG")


def test_lvs_na_for_a_paragraph_is_not_read_as_its_only_tier() -> None:
    """4A004: "$5000, N/A for 4A004.z" (was read as $5000 for .z only)."""
    assert "LVS N/A for 4A004.z.1" in _lvs_note("4A004.z.1", "DE")
    assert "LVS" not in _symbols("4A004.z.1", "CA")
    assert "LVS" in _symbols("4A004.a", "SG")


def test_lvs_na_lists_continue_over_semicolons() -> None:
    """6A001: "$3000; N/A for 6A001.a.1.b.1 ...; 6A001.a.1.e, 6A001.a.2.a.1, ..."; 6A006:
    "$1500, N/A for 6A006.a.1; ... 6A006.a.2 ...; and 6A006.d, and 6A006.e"."""
    assert "LVS" not in _symbols("6A001.a.2.b", "SG")
    assert "LVS" not in _symbols("6A006.a.1", "SG")
    assert "LVS" in _symbols("6A006.b", "SG")


def test_lvs_not_to_destinations_also_in_d3() -> None:
    """2B350: "$2,000 for all Country Group B destinations, except those also listed under
    Country Group D:3"."""
    assert "Country Group D:3" in _lvs_note("2B350.a", "IL", 1000)
    assert "LVS" not in _symbols("2B350.a", "SA", 1000)


def test_lvs_na_for_np_where_np_requires_the_licence() -> None:
    """1C002: "$3000; N/A for NP"; 2A001: "$3000, N/A for MT" (was not read at all)."""
    assert "N/A for NP" in _lvs_note("1C002.b.3", "SG", 1000)
    assert "N/A for MT" in _lvs_note("2A001.a", "SG")
    assert "LVS" in _symbols("1C010.c", "SG")  # "$1500, N/A for NP": .c carries no NP


def test_a_tier_naming_the_paragraph_beats_the_entry_s_own() -> None:
    """9B515: "$1500; $5000 for 9B515.b"."""
    assert "LVS" in _symbols("9B515.b", "SG", 4000)
    assert "LVS" not in _symbols("9B515.a", "SG", 4000)


@pytest.mark.parametrize(("item", "dest"), [("3B001", "SG"), ("6A003", "SG"), ("4A003", "DE")])
def test_no_paragraph_no_lvs_when_some_paragraphs_have_none(item: str, dest: str) -> None:
    assert "give the item's paragraph" in _lvs_note(item, dest)


@pytest.mark.parametrize(("item", "dest", "symbol"), [
    ("6A005.b.1", "SG", "GBS"),  # GBS only for certain lasers, described in words
    ("3A069", "PK", "GBS"),  # "Yes, except N/A for destinations subject to the RS control in 3A999"
])
def test_a_grant_in_unread_words_is_not_assumed(item: str, dest: str, symbol: str) -> None:
    d = determine(item, dest, DAY, value=1e7)
    assert symbol not in {e.symbol for e in d.license_exceptions}
    note = next(s.detail for s in d.trace if s.rule == f"License Exception {symbol}")
    assert "check by hand" in note


def test_a_grant_excepting_a_reason_is_read() -> None:
    """1A005 GBS "Yes, except UN": for South Sudan (not in 746.1(b)(2)) it stands."""
    assert "GBS" in _symbols("1A005", "SS", on=date(2022, 3, 1))


def test_1c010_b_carbon_fibre_is_controlled_for_np() -> None:
    """"NP applies to 1C010.a (aramid ..., b (carbon ...), and e.1": the parse lost .b."""
    d = determine("1C010.b", "SG", DAY)
    assert "NP1" in d.reasons
    assert "NP1" in determine("1C010.b", "IN", DAY).reasons


@pytest.mark.parametrize(("dest", "start"), [
    ("MM", date(2021, 3, 8)), ("KH", date(2021, 12, 9)), ("NI", date(2024, 3, 15)),
])
def test_742_4_b_7_policy_from_the_rule_that_added_each_country(dest: str, start: date) -> None:
    mil = determine("3A001.a.2", dest, start, end_user_type="military")
    assert "presumption of denial" in (mil.review_policy or "")
    assert "742.4(b)(7)" in (mil.review_policy or "")
    civil = determine("3A001.a.2", dest, start)
    assert "742.4(b)(7)" in (civil.review_policy or "")


def test_sta_to_the_uae_only_for_its_approved_entities() -> None:
    """740.2(a)(26): STA to the UAE only for the approved entities of Supp. No. 8 to Part 740;
    the engine does not hold that list: the exporter confirms it."""
    d = determine("3A001.a.2", "AE", DAY, value=100000)
    assert "STA" not in {e.symbol for e in d.license_exceptions}
    note = next(s.detail for s in d.trace if s.rule == "License Exception STA")
    assert "usable only if the exporter confirms" in note
    assert [(w.exception, w.fact) for w in d.facts_wanted] == [("STA", "conditions_met")]
    approved = TransactionFacts(conditions_met=frozenset({"STA"}))
    d = determine("3A001.a.2", "AE", DAY, value=100000, facts=approved)
    assert "STA" in {e.symbol for e in d.license_exceptions}


def test_burma_loses_lvs_gbs_tsr_app_on_18_february_2021() -> None:
    """The BIS notification of 18 Feb 2021, before Burma left Country Group B on 8 Mar 2021."""
    assert {"LVS", "GBS"} <= set(_symbols("3A001.a.2", "MM", 1000, date(2021, 2, 17)))
    d = determine("3A001.a.2", "MM", date(2021, 2, 18), value=1000)
    assert d.outcome is Outcome.LICENSE_REQUIRED and d.license_exceptions == []
    assert "suspended for Burma" in next(
        s.detail for s in d.trace if s.rule == "License Exception GBS")


def test_6d003_rs_is_for_paragraph_c_and_tsr_not_for_a_outside_a5() -> None:
    """ECCN 6D003: "RS applies to paragraph c"; TSR "Yes, except for 6D003.c and exports or
    reexports to destinations outside of those countries listed in Country Group A:5 ... of
    'software' for items controlled by 6D003.a" [data: eCFR 2026-07-23 ccl.json]. The RS line
    was applied to the whole entry, and the answer outside its scope offered TSR for 6D003.a
    to Israel (A:6, not A:5); STA may not ship 6D003.a to A:6 either."""
    d = determine("6D003.a", "IL", DAY)
    assert (d.outcome, d.reasons) == (Outcome.LICENSE_REQUIRED, ["NS1"])
    assert d.if_out_of_scope is None and d.license_exceptions == []
    assert "RS1" in determine("6D003.c", "IL", DAY).reasons
    assert "TSR" in _symbols("6D003.b", "IL")
