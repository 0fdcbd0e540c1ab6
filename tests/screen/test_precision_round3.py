"""Third pass on screening precision (issue #11): OFAC's weak aliases, romanisation variants,
numbers written as words, names that state different fathers, other-gender given names, and
words the legal-form table mistakes for legal forms."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.normalize import name_forms
from exportcheck.screen.numbers import numbers_as_digits, unleet
from exportcheck.screen.scorer import OTHER_FATHER_MAX, PARTIAL_MAX, compare_forms, compare_names
from exportcheck.screen.tokens import variant_key
from exportcheck.screen.weak import weak_aliases
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


def _screener(*entries: ListEntry) -> Screener:
    return Screener([ParsedList("test", list(entries), len(entries), "test")])


def _khaki_sdn() -> ListEntry:
    return ListEntry(list="SDN", entry_id="15911", name="KHAKI, Parviz", kind="person",
                     aliases=["MARTIN"], dobs=["1968-08-26"], source="ofac-sdn",
                     remarks="DOB 26 Aug 1968; POB Tehran, Iran; a.k.a. 'MARTIN'.")


# -- weak aliases ---------------------------------------------------------------------------
def test_weak_alias_read_from_ofac_remarks_and_carried_to_other_copies() -> None:
    sdn = _khaki_sdn()
    isn = ListEntry(list="ISN", entry_id="x1", name="Parviz Khaki", aliases=["Martin"],
                    source="csl")
    csl_copy = ListEntry(list="SDN", entry_id="15911", name="KHAKI, Parviz",
                         aliases=["MARTIN"], source="csl")
    unrelated = ListEntry(list="EL", entry_id="x2", name="Martin Shipping", aliases=["Martin"],
                          source="csl")
    weak = weak_aliases([sdn, isn, csl_copy, unrelated])
    assert weak == {0: {"martin"}, 1: {"martin"}, 2: {"martin"}}  # not the unrelated party


def test_weak_alias_alone_is_only_a_potential_match() -> None:
    s = _screener(_khaki_sdn())
    assert s.screen("Martin") == []
    hit = s.screen("Martin", threshold=50)[0]
    assert hit.match_kind == "weak" and hit.score <= PARTIAL_MAX
    assert any("weak alias" in line for line in hit.explanation)
    # the full name still hits, and the weak alias with an agreeing date of birth does too
    assert s.screen("Parviz Khaki")[0].match_kind == "exact"
    confirmed = s.screen("Martin", dob="1968-08-26")
    assert confirmed and confirmed[0].corroborated_by == ("date of birth",)


def test_primary_name_is_never_weak() -> None:
    e = ListEntry(list="SDN", entry_id="1", name="BUTTE", kind="vessel", source="ofac-sdn",
                  remarks="a.k.a. 'BUTTE'.")
    assert weak_aliases([e]) == {}


# -- spelling -----------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("Osama bin Laden", "Usama bin Ladin"), ("Hasan Rohani", "Hassan Rouhani"),
    ("Mahmood Ahmadinezhad", "Mahmoud Ahmadinejad"),
])
def test_romanisation_variants_of_one_name_match(a: str, b: str) -> None:
    assert compare_names(a, b) >= THRESHOLD


@pytest.mark.parametrize(("a", "b"), [("peterson", "petersen"), ("hansen", "hanson"),
                                      ("michele", "michela")])
def test_variant_key_keeps_other_names_apart(a: str, b: str) -> None:
    assert variant_key(a) != variant_key(b)


def test_variants_are_found_by_the_index() -> None:
    """Candidate search, not only the scorer, knows the variants: "Razhapovich" (ICAO
    romanisation of Ражапович) finds a list's "RAJAPOVICH"."""
    s = _screener(ListEntry(list="UN", entry_id="QDi.365", name="AKHMED RAJAPOVICH CHATAEV",
                            kind="person", source="un"))
    assert [h.entry_id for h in s.screen("Ахмед Ражапович Чатаев")] == ["QDi.365"]


@pytest.mark.parametrize(("a", "b"), [("Robert", "ROBERTA"), ("Antonio Rodriguez",
                                                              "Antonia Rodriguez")])
def test_other_gender_given_names_are_other_names(a: str, b: str) -> None:
    assert compare_names(a, b) < THRESHOLD


# -- numbers ------------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("Brigade Forty-Four", "Brigade 44"), ("Brigade Forty 4", "Brigade 44"),
    ("Three Percenters", "3 Percenters"), ("First International Bank", "1st International Bank"),
    ("Ig0r Sech1n", "Igor Sechin"),
])
def test_numbers_as_words_or_digits_and_disguised_letters(a: str, b: str) -> None:
    assert compare_names(a, b) == 100


def test_numbers_stay_identifiers() -> None:
    assert numbers_as_digits(["trust", "2007", "ahl1"]) == ["trust", "2007", "ahl1"]
    assert unleet("b2b") == "b2b" and unleet("sech1n") == "sechin"
    assert compare_names("Brigade Forty-Four", "Brigade 45") < THRESHOLD


# -- fathers ------------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("AHMAD BIN HASAN AL-UBAIDI", "HASAN BIN AHMAD AL-UBAIDI"),
    ("SALMAN BIN MUHAMMAD AL-RAWI", "MUHAMMAD BIN SALMAN AL-RAWI"),
])
def test_names_stating_different_fathers_are_not_one_name(a: str, b: str) -> None:
    m = compare_forms(name_forms(a)[0], name_forms(b)[0])
    assert m.score <= OTHER_FATHER_MAX and m.kind != "exact"
    assert any("different fathers" in line for line in m.explain())


def test_the_same_father_spelt_otherwise_is_the_same() -> None:
    m = compare_forms(name_forms("Osama bin Laden")[0],
                      name_forms("Usama bin Muhammad ibn Awad ibn Ladin")[0])
    assert not any("different fathers" in line for line in m.explain())
    # fathers listed in another order: Isa, son of Tarif, of the Al Bin Ali
    assert compare_names("AL BEN ALI, Isa Ben Tarif", "Isa Bin Tarif Al Bin Ali") > (
        OTHER_FATHER_MAX)


# -- legal-form table ---------------------------------------------------------------------
@pytest.mark.parametrize(("name", "tokens"), [
    ("Ed Miller", ("ed", "miller")),  # short forms lead only when written first in practice
    ("Yu Long", ("yu", "long")),
    ("SA'D ABD-AL-MAJID", ("sad", "abd", "al", "majid")),  # an apostrophe makes it a name
    ("OOO Pravda", ("pravda",)),
    ("SRL PRO TRAFFIC", ("pro", "traffic")),
])
def test_legal_forms_and_names(name: str, tokens: tuple[str, ...]) -> None:
    assert name_forms(name)[0].tokens == tokens


def test_a_listed_person_keeps_every_word_and_the_query_is_tried_both_ways() -> None:
    s = _screener(ListEntry(list="UN", entry_id="KPi.049", name="PAK HAN SE", kind="person",
                            source="un"))
    assert name_forms("PAK HAN SE", True)[0].tokens == ("pak", "han", "se")
    assert [h.entry_id for h in s.screen("PAK HAN SE")] == ["KPi.049"]


def test_a_bracketed_nickname_is_not_an_acronym() -> None:
    dpl = ListEntry(list="DPL", entry_id="d1", name="JAMES L. (LONG) STEPHENS")
    smic = ListEntry(list="EL", entry_id="e1",
                     name="Semiconductor Manufacturing International Corporation (SMIC)")
    assert "LONG" not in dpl.all_names()
    assert "SMIC" in smic.all_names()
    assert _screener(dpl).screen("Long Ltd") == []


def test_a_copy_with_other_dispositions_shares_the_index_and_applies_only_its_own():
    """A recorded decision swaps the dispositions, not the index or what is derived from the
    lists (weak aliases, copies): the copy answers with its decisions, the original with none."""
    from exportcheck.screen.service import Disposition, party_identity

    entry = ListEntry("SDN", "1", "ACME TRADING LIMITED", kind="entity")
    base = Screener([ParsedList("t", [entry], 1, "t")])
    hit = base.screen("Acme Trading Limited")[0]
    cleared = Disposition(party_identity("Acme Trading Limited", None, None)[0], "SDN", "1",
                          base.entry_hash("SDN", "1"), "alice", "another company", "2026-12-05")
    copy = base.with_dispositions([cleared])
    assert copy.index is base.index and copy._weak is base._weak and copy._copies is base._copies
    assert copy._lock is base._lock
    assert copy.screen("Acme Trading Limited") == [] and base.screen("Acme Trading Limited")
    assert copy.screen("Acme Trading Limited", include_suppressed=True)[0].entry_id == hit.entry_id
    assert base.dispositions == {} and len(copy.dispositions) == 1
