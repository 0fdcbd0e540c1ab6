"""A screening QA pass found alerts made of one word of a person's name, or of two syllables of
a three-syllable Chinese name, lifted over the threshold by the country alone ("John" in Hong
Kong -> "LEE, John"; "Tam Yiu" -> "TAM, Yiu-chung"; "Sergey" in Russia -> four SDN entries),
and hits that a higher threshold hid although they scored above it ("Putin" in Russia: 85.4 at
threshold 75, nothing at 85): candidates were pruned by the name score alone."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.scorer import PARTIAL_MAX, PARTIAL_MAX_WEAK, compare_names
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


def _person(eid: str, name: str, country: str, dob: str) -> ListEntry:
    return ListEntry(list="SDN", entry_id=eid, name=name, kind="person", source="ofac-sdn",
                     countries=[country], dobs=[dob])


@pytest.fixture(scope="module")
def screener() -> Screener:
    entries = [_person("1", "TAM, Yiu-chung", "HK", "1949-01-15"),
               _person("2", "LEE, John Ka-chiu", "HK", "1957-12-07"),
               _person("3", "PUTIN, Vladimir Vladimirovich", "RU", "1952-10-07"),
               _person("4", "SHOIGU, Sergey Kuzhugetovich", "RU", "1955-05-21"),
               _person("5", "SMITH, Stephen Edward", "US", "1970-01-01"),
               _person("6", "WONG, Cho-Man", "HK", "1980-03-03")]
    return Screener([ParsedList("test", entries, len(entries), "test")])


@pytest.mark.parametrize(("query", "listed"), [
    ("Tam Yiu", "TAM, Yiu-chung"), ("Tam Chung", "Yiu-chung Tam"),
    ("Lee Chiu", "LEE, John Ka-chiu"),
    ("王文", "Cho-Man Wong"), ("John", "LEE, John"), ("Putin", "PUTIN, Vladimir"),
])
def test_weak_partials_score_below_an_ordinary_partial(query: str, listed: str) -> None:
    assert 0 < compare_names(query, listed) <= PARTIAL_MAX_WEAK


@pytest.mark.parametrize(("query", "listed"), [
    ("Stephen Smith", "STEPHEN EDWARD SMITH"), ("Carrie Lam", "LAM CHENG, Yuet-ngor Carrie"),
    ("faberlic", "FABERLIC EUROPE Sp. z o.o."),  # an organisation's one distinctive word
])
def test_a_missing_middle_name_or_company_word_stays_an_ordinary_partial(query: str,
                                                                         listed: str) -> None:
    assert PARTIAL_MAX_WEAK < compare_names(query, listed) <= PARTIAL_MAX


@pytest.mark.parametrize(("query", "country"), [
    ("Tam Yiu", "HK"), ("Lee Chiu", "HK"), ("John", "HK"), ("Putin", "RU"), ("Sergey", "RU"),
    ("Wong Man", "HK"),
])
def test_the_country_alone_does_not_make_them_alerts(screener: Screener, query: str,
                                                     country: str) -> None:
    assert screener.screen(query, country=country) == []
    shown = screener.screen(query, country=country, threshold=50)
    assert shown and all(h.match_kind == "partial" for h in shown)
    assert any("scored at most" in line and "one" in line for h in shown
               for line in h.explanation)


def test_a_date_of_birth_as_well_makes_it_an_alert(screener: Screener) -> None:
    hit, = screener.screen("Tam Yiu", country="HK", dob="1949-01-15")
    assert hit.entry_id == "1" and hit.score >= THRESHOLD
    assert set(hit.corroborated_by) == {"country", "date of birth"}


def test_an_ordinary_partial_is_still_corroborated_by_the_country(screener: Screener) -> None:
    hit, = screener.screen("Stephen Smith", country="US")
    assert hit.entry_id == "5" and hit.match_kind == "partial"


@pytest.mark.parametrize(("query", "evidence"), [
    ("Putin", {"country": "RU"}), ("Putin", {"country": "RU", "dob": "1952-10-07"}),
    ("Vladimir Putin", {"country": "RU"}), ("Sergey", {"country": "RU", "dob": "1955-05-21"}),
    ("Tam Yiu", {"country": "HK", "dob": "1949-01-15"}), ("Stephen Smith", {"country": "US"}),
])
def test_a_higher_threshold_hides_only_hits_below_it(screener: Screener, query: str,
                                                     evidence: dict) -> None:
    low = screener.screen(query, threshold=50, **evidence)
    for threshold in (70, 75, 80, 85, 90):
        expected = {(h.entry_id, h.score) for h in low if h.score >= threshold}
        assert {(h.entry_id, h.score) for h in screener.screen(
            query, threshold=threshold, **evidence)} == expected, threshold


def test_a_letter_in_a_vessels_name_is_not_an_initial() -> None:
    """"Monica Soprano" scored 95.2 on the vessel "MONICA S" (SDN 51382), "Sofia Martinez"
    85.5 on "M SOPHIA": the letter was read as a person's initial."""
    vessels = [ListEntry(list="SDN", entry_id="51382", name="MONICA S", kind="vessel",
                         source="ofac-sdn"),
               ListEntry(list="SDN", entry_id="51707", name="M SOPHIA", kind="vessel",
                         source="ofac-sdn"),
               _person("7", "SOPRANO, M.", "US", "1960-01-01")]
    s = Screener([ParsedList("test", vessels, len(vessels), "test")])
    scores = {h.entry_id: h.score for h in s.screen("Monica Soprano", threshold=50)}
    assert scores["51382"] < THRESHOLD <= scores["7"]  # a person's initial still is one
    assert all(h.score < THRESHOLD for h in s.screen("Sofia Martinez", threshold=50))
    assert {h.entry_id for h in s.screen("Monica S")} == {"51382"}
