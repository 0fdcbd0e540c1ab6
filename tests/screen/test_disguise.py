"""Names written so a screen reads them as other names (screen/disguise.py): look-alike letters
of another script, letters spaced apart, digits for letters, glued and split words. Each is
found, says how the query was read, and ordinary names are not read into listed ones."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.disguise import lookalike_latin, respelt, split_glued
from exportcheck.screen.entries import ListEntry, ParsedList

WORDS = frozenset(("kim", "jong", "un", "huawei", "tech", "gatewick", "kovalchuk", "yuri",
                   "valentinovich", "rosoboronexport", "total", "look", "abraham", "sen",
                   "jacob", "eduard", "joaquin", "mel", "issa", "fernandez"))


def _screener() -> Screener:
    entries = [
        ListEntry(list="SDN", entry_id="1", name="KIM, Jong Un", kind="person", source="t"),
        ListEntry(list="EL", entry_id="2", name="Huawei Technologies Co., Ltd.", kind="entity",
                  source="t"),
        ListEntry(list="SDN", entry_id="3", name="KOVALCHUK, Yuri Valentinovich",
                  kind="person", source="t"),
        ListEntry(list="SDN", entry_id="4", name="TOTAL LOOK", kind="entity", source="t"),
        ListEntry(list="SDN", entry_id="5", name="GATEWICK LLC", kind="entity", source="t"),
        ListEntry(list="SDN", entry_id="6", name="ROSOBORONEXPORT OJSC", kind="entity",
                  source="t"),
        ListEntry(list="SDN", entry_id="7", name="GENERAL ORGANIZATION OF RADIO AND TV",
                  kind="entity", source="t"),
    ]
    return Screener([ParsedList("test", entries, len(entries), "test")])


@pytest.fixture(scope="module")
def screener() -> Screener:
    return _screener()


@pytest.mark.parametrize(("query", "entry_id"), [
    ("КОVАLСНUК, Yurі Vаlеntіnоvісh", "3"),  # Cyrillic К О А С Н і а е о с among Latin letters
    ("GАТЕWIСК LLС", "5"),  # read as Cyrillic, С is S: "GATEWISK"
    ("T O T A L LOOK", "4"),
    ("H-u-a-w-e-i Technologies", "2"),
    ("T0T4L L00K", "4"),
    ("KimJongUn", "1"),
    ("KIMJONGUN", "1"),
    ("HUAWEITECHNOLOGIESCOLTD", "2"),
    ("GATEWICKLLC", "5"),
    ("Rosoboron export", "6"),
    ("GATE WICK LLC", "5"),
])
def test_a_disguised_name_is_found_and_the_hit_says_how_it_was_read(
        screener: Screener, query: str, entry_id: str) -> None:
    hits = screener.screen(query)
    assert hits and hits[0].entry_id == entry_id, (query, hits)
    assert hits[0].score >= 85
    assert any("query read as" in line for line in hits[0].explanation), hits[0].explanation


def test_a_name_as_written_is_not_explained_as_a_disguise(screener: Screener) -> None:
    (hit,) = screener.screen("Kim Jong Un")
    assert hit.score == 100 and not any("query read as" in x for x in hit.explanation)


def test_an_organisation_whose_name_begins_with_a_title_word(screener: Screener) -> None:
    """"General" opens people's names as a title, dropped when the query's kind is unknown; an
    organisation's first word it is not (before: 80, a partial match, for the name as listed)."""
    (hit,) = screener.screen("General Organization of Radio and TV")
    assert hit.entry_id == "7" and hit.score == 100


def test_lookalikes_that_read_the_same_need_no_second_reading(screener: Screener) -> None:
    (hit,) = screener.screen("ТОТАL LООK")  # Т О А read as Cyrillic are T O A too
    assert hit.entry_id == "4" and hit.score == 100


def test_lookalike_letters_are_read_only_in_a_name_mixing_scripts() -> None:
    assert lookalike_latin("КОVАLСНUК") == "KOVALCHUK"
    assert lookalike_latin("ВООК Trading") == "BOOK Trading"  # only look-alikes, beside Latin
    assert lookalike_latin("ІVАN") == "IVAN"  # Ukrainian І is I, not the table's prototype l
    assert lookalike_latin("Путин") is None  # a Cyrillic name is read as Cyrillic
    assert lookalike_latin("ВОРОНЕЖ") is None
    assert lookalike_latin("Vladimir Putin") is None
    assert lookalike_latin("Газпром Gazprom") is None  # з п м have no Latin twin


def test_glued_words_split_into_listed_words_only() -> None:
    assert split_glued("kimjongun", WORDS, alone=True) == ["kim", "jong", "un"]
    assert split_glued("gatewickllc", WORDS) == ["gatewick", "llc"]  # a legal form ends it
    assert split_glued("kovalchukyurivalentinovich", WORDS) == [
        "kovalchuk", "yuri", "valentinovich"]
    assert split_glued("rosoboronexport", WORDS, alone=True) is None  # a word itself
    assert split_glued("kimjongxu", WORDS, alone=True) is None  # "xu" is not listed


@pytest.mark.parametrize("name", [
    "Ingeborg Abrahamsen",  # abraham + sen: a name of its own, not glued
    "Eduarda Garcia",  # not eduard + a
    "Joaquina Fernandez",
    "Melissa Jacobsen",
])
def test_ordinary_names_are_not_read_as_glued_words(name: str) -> None:
    assert respelt(name, WORDS) is None


def test_legal_forms_are_not_joined_into_a_word() -> None:
    """"S.A. de C.V." is not the word "sade"."""
    words = WORDS | {"sade", "casa"}
    assert respelt("CASA S.A. DE C.V.", words) is None
    assert respelt("techno logies", WORDS) == ["technologies"]


def test_digits_after_letters_are_a_number() -> None:
    assert respelt("FUYUAN8660", frozenset(("fuyuan",))) == ["fuyuan", "8660"]
    # 1 is read as l when that makes a known word, else as i
    assert respelt("L1M1T3D", frozenset()) == ["limited"]
    assert respelt("Put1n", frozenset()) == ["putin"]
