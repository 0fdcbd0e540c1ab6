"""A party written by its initials ("HIT", "PLA") finds the listed organisation they stand for,
as a potential match that needs other evidence: many names share their initials."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.acronyms import ACRONYM, acronyms
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.index import NameIndex
from exportcheck.screen.normalize import name_forms
from exportcheck.screen.scorer import PARTIAL_MAX, compare_names
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


def _entry(entry_id: str, name: str, kind: str | None, countries: tuple[str, ...] = ()
           ) -> ListEntry:
    return ListEntry(list="EL", entry_id=entry_id, name=name, kind=kind, source="t",
                     countries=list(countries))


@pytest.fixture(scope="module")
def screener() -> Screener:
    entries = [
        _entry("hit", "Harbin Institute of Technology", None, ("CN",)),
        _entry("smic", "Semiconductor Manufacturing International Corporation", "entity",
               ("CN",)),
        _entry("lpa", "Liberation People's Army", "entity", ("PE",)),
        _entry("jfk", "John Fitzgerald Kennedy", "person", ("US",)),
        _entry("ship", "Golden Ocean Star", "vessel"),
    ]
    return Screener([ParsedList("test", entries, len(entries), "test")])


@pytest.mark.parametrize(("name", "expected"), [
    ("Harbin Institute of Technology", ("hit",)),
    ("Huazhong University of Science and Technology", ("hust",)),
    ("Semiconductor Manufacturing International Corporation", ("smic",)),
    ("China Construction Bank", ()),  # a company: three initials are too many names
    ("Air Force Engineering University", ("afeu",)),
    ("People’s Liberation Army", ("pla",)),
    ("Nvidia Corporation", ()),  # one word: its initial is no acronym
    ("Research Institute 61398", ()),  # a number is not spelt by its initial
])
def test_an_organisations_initials_skip_connectors_and_may_end_with_its_legal_form(
        name: str, expected: tuple[str, ...]) -> None:
    assert acronyms(name_forms(name, False)[0]) == expected


def test_initials_alone_are_a_potential_match_below_the_threshold(screener: Screener) -> None:
    hits = screener.screen("HIT", threshold=50)
    assert [(h.entry_id, h.match_kind, h.score) for h in hits] == [("hit", "acronym", PARTIAL_MAX)]
    assert any("acronym" in line for line in hits[0].explanation)
    assert screener.screen("HIT") == []


def test_the_partys_country_raises_an_acronym_match_to_an_alert(screener: Screener) -> None:
    hits = screener.screen("HIT", country="CN")
    assert [(h.entry_id, h.match_kind, h.corroborated_by) for h in hits] == [
        ("hit", "acronym", ("country",))]
    assert hits[0].score >= THRESHOLD
    # another country: no alert, and the listed entry's other acronym holds too
    assert screener.screen("HIT", country="DE") == []
    assert [h.entry_id for h in screener.screen("SMIC Ltd", country="CN")] == ["smic"]


def test_only_a_one_word_query_is_read_as_initials(screener: Screener) -> None:
    assert screener.screen("HIT Logistics", country="CN", threshold=50) == []
    # nor does the listed name's own wording make the query an acronym of anything else
    hits = screener.screen("Harbin Institute of Technology", country="CN")
    assert [(h.entry_id, h.match_kind) for h in hits] == [("hit", "exact")]


def test_people_and_vessels_have_no_acronyms(screener: Screener) -> None:
    assert screener.screen("JFK", country="US", threshold=50) == []
    assert screener.screen("GOS", threshold=50) == []


def test_pair_scores_read_either_name_as_the_listed_one() -> None:
    assert compare_names("HIT", "Harbin Institute of Technology") == PARTIAL_MAX
    assert compare_names("Harbin Institute of Technology", "HIT") == PARTIAL_MAX
    assert compare_names("HIT", "Harbin Engineering University") == 0.0
    # a person's initials: read as three initials of the name, never as an acronym
    assert compare_names("JFK", "John Fitzgerald Kennedy") < THRESHOLD


def test_acronyms_are_not_words_of_the_listed_names_after_a_cache_round_trip() -> None:
    entries = [_entry("hit", "Harbin Institute of Technology", None)]
    index = NameIndex(entries)
    restored = NameIndex.from_state(entries, index.to_state())
    # (the curated table adds the Chinese name: 哈尔滨工业大学, its pinyin...)
    assert [n.form.tokens for n in restored.names if n.form.script == ACRONYM] == [("hit",)]
    assert restored.words == index.words
    assert "hit" not in index.words and {"harbin", "inst", "of", "tech"} <= index.words


def test_a_listed_alias_that_is_also_the_derived_acronym_stays_an_exact_match() -> None:
    """The Entity List gives "SMIC" itself: that alias matches exactly, not as initials."""
    entry = ListEntry(list="EL", entry_id="1", name="Semiconductor Manufacturing International "
                      "Corporation", aliases=["SMIC"], kind="entity", source="t")
    s = Screener([ParsedList("test", [entry], 1, "test")])
    assert [(h.score, h.match_kind) for h in s.screen("SMIC")] == [(100.0, "exact")]


def test_a_word_spelt_close_to_an_acronym_does_not_find_it(screener: Screener) -> None:
    """Acronyms are looked up as written: "HIX" is not one slip from "HIT"'s initials."""
    assert screener.screen("HITS", country="CN", threshold=50) == []
