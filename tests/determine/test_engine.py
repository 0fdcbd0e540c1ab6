"""Engine behaviour beyond the case table: routing, territories, trace completeness."""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine
from exportcheck.errors import InvalidInput, MalformedItem, UnknownItem
from exportcheck.models import Outcome


def test_eccn_whose_items_are_subject_to_the_itar_goes_to_ddtc() -> None:
    # 0A002: "These items are 'subject to the ITAR'" (15 CFR 774 Supp. 1); 126.1(d)(1) for China
    d = determine("0A002", "CN", date(2024, 1, 1))
    assert d.outcome.value == "LICENSE_REQUIRED" and d.agency.value == "DDTC"
    assert d.reasons == ["ITAR"] and d.review_policy == "policy of denial"
    assert not any("746" in s.citation for s in d.trace if s.fired)


def test_entry_removed_before_the_date_is_not_on_the_ccl() -> None:
    with pytest.raises(UnknownItem, match="9A018"):
        determine("9A018", "DE", date(2024, 1, 1))


@pytest.mark.parametrize(("code", "as_code"), [("KY", "GB"), ("LI", "CH")])
def test_territories_take_their_administering_country(code: str, as_code: str) -> None:
    # 738.3(b); chart footnote 5 (Liechtenstein -> Switzerland)
    d = determine("9A610.x", code, date(2024, 1, 1), value=100)
    assert d.evaluated_destination == as_code
    assert d.outcome.value == "EXCEPTION_AVAILABLE"


def test_trace_records_rules_that_did_not_fire() -> None:
    d = determine("3A001.a.2", "DE", date(2024, 1, 1))
    assert d.outcome.value == "NLR"
    not_fired = [s for s in d.trace if not s.fired]
    assert any("NS2" in s.rule and "no X for DE" in s.detail for s in not_fired)
    assert d.trace[-1].rule.startswith("Conclusion: no licence required")
    assert all(s.citation for s in d.trace)


def test_unparsed_scope_is_applied_conservatively_and_flagged() -> None:
    d = determine("3D001", "CN", date(2024, 1, 1))
    flagged = [s for s in d.trace if "applied conservatively" in s.detail]
    assert flagged, "3D001's software-for-equipment lines are described in words"
    assert d.outcome.value == "LICENSE_REQUIRED"


def test_same_answer_on_every_day_of_a_rule_period() -> None:
    a = determine("3A001.a.2", "HK", date(2020, 7, 1))
    b = determine("3A001.a.2", "HK", date(2020, 12, 22))
    assert (a.outcome, a.reasons) == (b.outcome, b.reasons)
    c = determine("3A001.a.2", "HK", date(2020, 12, 23))
    assert c.evaluated_destination == "CN" and b.evaluated_destination == "HK"


def test_paragraph_added_later_is_refused_before_its_start() -> None:
    # the .z paragraphs of 3A001 etc. were added by 88 FR 73458, effective 17 Nov 2023
    with pytest.raises(UnknownItem, match="88 FR 73458"):
        determine("3A001.z.1.a", "DE", date(2023, 11, 16))
    assert determine("3A001.z.1.a", "DE", date(2023, 11, 17)).item == "3A001.z.1.a"
    assert determine("3A001.a.1", "DE", date(2019, 6, 1)).item == "3A001.a.1"


def test_exceptions_created_later_are_not_named_before_they_existed() -> None:
    # 3A001's 2026 text names ACM, AIA and LPP (for .z paragraphs), created by 90 FR 4544
    # (13 Jan 2025): not mentioned for a paragraph they do not cover ...
    early = determine("3A001.a.2", "CN", date(2020, 7, 15))
    assert not any("named by 3A001" in s.rule for s in early.trace)
    # ... said not to exist yet for one they would cover ...
    before = determine("3A001.z.1.a", "CN", date(2024, 6, 1))
    aia = next(s for s in before.trace if s.rule == "License Exception AIA (named by 3A001)")
    assert "did not exist on 2024-06-01" in aia.detail and "90 FR 4544" in aia.citation
    # ... and evaluated once in force (CN is not an AIA destination)
    late = determine("3A001.z.1.a", "CN", date(2025, 6, 1))
    aia = next(s for s in late.trace if s.rule == "License Exception AIA (740.27)")
    assert "90 FR 4544" in aia.citation and not aia.fired


def test_crime_control_requirement_bars_the_ordinary_exceptions() -> None:
    """740.2(a)(4): an item subject to 742.7's licence requirement may use no licence exception
    but GOV (740.11(b)(2)(ii)), BAG (740.14(e)) and STA. 4A003 lists LVS; its CC line (computers
    for fingerprint equipment) is applied in full because its scope cannot be read."""
    br = determine("4A003", "BR", date(2022, 6, 1), value=100)
    assert "CC1" in br.reasons
    assert br.outcome is Outcome.LICENSE_REQUIRED and br.license_exceptions == []
    lvs = next(s for s in br.trace if s.rule == "License Exception LVS")
    assert not lvs.fired and "740.2(a)(4)" in lvs.detail
    # where no CC column reaches (Germany, India), LVS is not barred, but 4A003 has none for
    # .b, .c and .z (the paragraphs that carry NS1): without the paragraph it is not claimed
    for dest in ("DE", "IN"):
        d = determine("4A003", dest, date(2022, 6, 1), value=100)
        assert d.outcome is Outcome.LICENSE_REQUIRED and d.license_exceptions == []
        lvs = next(s for s in d.trace if s.rule == "License Exception LVS")
        assert "give the item's paragraph" in lvs.detail
        assert "LVS N/A for 4A003.b" in next(
            s.detail for s in determine("4A003.b", dest, date(2022, 6, 1), value=100).trace
            if s.rule == "License Exception LVS")


def test_surreptitious_interception_items_take_no_ordinary_exception() -> None:
    """740.2(a)(3): SL items (742.13) only under GOV; their technology under none. 5E001.a's SL
    line (technology for 5A001.f.1) is applied in full because its scope cannot be read, so TSR
    and ACE, which 5E001 names, are not offered while it stands."""
    tech = determine("5E001.a", "DE", date(2022, 6, 1), value=100)
    assert "SL" in tech.reasons and tech.license_exceptions == []
    tsr = next(s for s in tech.trace if s.rule == "License Exception TSR")
    assert not tsr.fired and "740.2(a)(3)" in tsr.detail
    kit = determine("5A001.f.1", "DE", date(2022, 6, 1), value=100)
    assert kit.outcome is Outcome.LICENSE_REQUIRED and kit.reasons == ["SL"]


def test_a_reserved_paragraph_is_refused_with_a_reason() -> None:
    """5A001.i is "[Reserved]" in the 2026 CCL (its items are 5A001.f.1 now); 1A001.b too. An
    order line naming one used to pass as a paragraph of the entry and come out NLR."""
    from exportcheck.errors import MalformedItem

    for item in ("5A001.i", "1A001.b", "3A001.a.4"):
        with pytest.raises(MalformedItem, match=r"\[Reserved\]"):
            determine(item, "DE", date(2026, 1, 1))
    # the paragraphs around them still work
    assert determine("5A001.f.1", "DE", date(2026, 1, 1)).reasons == ["SL"]
    assert determine("1A001.a", "DE", date(2026, 1, 1)) is not None


def test_an_embargo_limited_to_ccl_categories_says_so_in_the_trace() -> None:
    """746.8 reached Russia's Categories 0-2 only on 8 Apr 2022 (87 FR 22130): before, the
    Categories 3-9 row is consulted, does not fire, and says why."""
    d = determine("2A991", "RU", date(2022, 3, 1))
    assert d.outcome == Outcome.NLR
    step = next(s for s in d.trace if s.rule == "746.8 Russia, Categories 3-9")
    assert not step.fired and "not Category 2" in step.detail
    assert "87 FR 12226" in step.citation


@pytest.mark.parametrize(("item", "last"), [("3A001.b.99", ".b.12"), ("3A001.a.99", ".a.14")])
def test_a_paragraph_past_the_listed_ones_is_an_error(item: str, last: str) -> None:
    """The CCL lists 3A001.b.1 to .b.12: .b.99 names no item (a parent being known is not
    enough when its children are listed)."""
    with pytest.raises(MalformedItem, match=f"ends? at {last}"):
        determine(item, "CN", date(2024, 3, 1))


def test_an_unlisted_paragraph_between_listed_ones_is_still_read() -> None:
    """3A001.z.1 is not itemised in the CCL copy (.z.3.a is): it cannot be refused."""
    assert determine("3A001.z.1", "CN", date(2024, 3, 1)).outcome == Outcome.LICENSE_REQUIRED


def test_a_paragraph_of_an_entry_without_a_list_of_items_is_flagged() -> None:
    """The CCL copy itemises no paragraphs of 0A501: .q is taken as given, and the trace says
    it was not checked."""
    d = determine("0A501.q", "CN", date(2024, 3, 1))
    step = next(s for s in d.trace if s.rule == "0A501: paragraph not checked")
    assert not step.fired and "does not itemise 0A501" in step.detail and ".q exists" in step.detail
    assert not any("paragraph not checked" in s.rule for s in
                   determine("3A001.a.2", "CN", date(2024, 3, 1)).trace)


# -- the stated end use ----------------------------------------------------------------------
@pytest.mark.parametrize("use", ["non-military", "not for nuclear weapons", "no military use"])
def test_an_end_use_stated_by_what_it_is_not_is_an_error(use: str) -> None:
    """Read word by word, "non-military" would name military (it did: MEU): the rules need
    what the goods are for."""
    with pytest.raises(InvalidInput, match="not for"):
        determine("5A992.c", "CN", date(2024, 3, 1), end_use=use)


@pytest.mark.parametrize(("use", "reasons"), [
    ("military aircraft maintenance", ["MEU"]),
    ("paramilitary training", []),  # a whole word, not a substring
    ("military intelligence", ["MIEU"]),  # 744.21(g) leaves 744.22's end users out
    ("Military, missile", ["MEU", "MT-EU"]),
    ("bananas", []),
])
def test_end_uses_are_read_as_whole_words(use: str, reasons: list[str]) -> None:
    assert determine("5A992.c", "CN", date(2024, 3, 1), end_use=use).reasons == reasons


def test_an_end_use_naming_no_part_744_use_is_said_so() -> None:
    d = determine("5A992.c", "CN", date(2024, 3, 1), end_use="bananas")
    step = next(s for s in d.trace if s.rule.startswith("744.21 China"))
    assert "('bananas') names none of the Part 744 end uses" in step.detail


def test_batch_reads_end_uses_as_the_scalar_path_does() -> None:
    import polars as pl

    from exportcheck import determine_frame

    uses = ["non-military", "military aircraft maintenance", "paramilitary training", None]
    out = determine_frame(pl.DataFrame({"item": ["5A992.c"] * 4, "destination": ["CN"] * 4,
                                        "date": ["2024-03-01"] * 4, "end_use": uses}))
    rows = out.to_dicts()
    assert rows[0]["outcome"] is None and "not for" in rows[0]["error"]
    assert [r["outcome"] for r in rows[1:]] == ["LICENSE_REQUIRED", "NLR", "NLR"]


def test_end_user_type_spaces_do_not_count() -> None:
    # as the batch path reads a " Military " cell (tests/cli/test_review_17_low.py)
    from datetime import date as day

    from exportcheck import determine as decide

    spaced = decide("3A991", "CN", day(2021, 1, 15), end_user_type=" Military ")
    assert spaced.outcome == decide("3A991", "CN", day(2021, 1, 15),
                                    end_user_type="military").outcome
    assert "MEU" in spaced.reasons


def test_the_answer_names_the_requirements_with_their_rules_and_citations() -> None:
    """``requirements``: under which authority, without reading the trace. Iran needs the
    EAR's licence and OFAC's (746.7 and the ITSR); a blocked end user leaves only the
    prohibition; NLR has none."""
    from exportcheck.screen import Screener

    iran = determine("3A001.a.2", "IR", date(2024, 6, 1))
    assert [(r.reason, r.agency.value, r.citation) for r in iran.requirements] == [
        ("EMBARGO", "BIS", "15 CFR 746.7"), ("EMBARGO", "OFAC", "31 CFR 560.204")]
    hk = determine("3A001.a.2", "HK", date(2021, 1, 15))
    ns = hk.requirements[0]
    assert (ns.reason, ns.rule) == ("NS2", "3A001 NS") and "ECCN 3A001" in ns.citation
    blocked = determine("EAR99", "HK", date(2024, 1, 1), end_user="LAM, Carrie",
                        screener=Screener.from_samples())
    assert blocked.outcome.value == "PROHIBITED"
    assert [(r.reason, r.prohibited) for r in blocked.requirements] == [("SDN", True)]
    assert blocked.requirements[0].citation == "31 CFR 585.201 (HK-EO13936)"
    assert determine("EAR99", "DE", date(2024, 1, 1)).requirements == []
    doc = hk.model_dump(mode="json")
    assert doc["requirements"][0]["citation"] == ns.citation


@pytest.mark.parametrize(("item", "dest"), [
    ("3C002.a", "IL"), ("5A992.z", "CN"), ("4A004.z", "CN"), ("3A201.a", "IN"), ("1C107.a", "DE"),
])
def test_a_paragraph_the_ccl_itemises_by_its_children_only_is_read(item: str, dest: str) -> None:
    """The CCL copy lists 3C002.a.1 and .a.2, 5A992.z.1 and .z.2, not .a or .z themselves:
    they are paragraphs all the same (3C002's GBS names .a), and were refused as "no
    paragraph"; the answer is that of the entry's lines, applied as to a parent paragraph."""
    d = determine(item, dest, date(2024, 6, 1))
    assert d.item == item
    child = determine(f"{item}.1", dest, date(2024, 6, 1))
    assert set(child.reasons) <= set(d.reasons)
