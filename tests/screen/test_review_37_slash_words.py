"""A slash between two words of a listed name offers either word (session 37).

The SDN writes "7TH OF TIR INDUSTRIES OF ISFAHAN/ESFAHAN", "REVOLUTIONARY PEOPLE'S LIBERATION
PARTY/FRONT" and "CHINA NATIONAL PRECISION MACHINERY IMPORT/EXPORT CORPORATION". Screening
"7th of Tir Industries of Esfahan" found that alias only as an 80-point partial match (the
word "ISFAHAN/ESFAHAN" was two words, one of them missing), below the default threshold: the
party of an SDN entry went through. Now each such name is also indexed with either word, and
the hit says how the list writes it. Abbreviations ("M/S", "I/E") and a name of the two words
alone ("NPP/CPP") are left as they are."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList, written_variants

TIR = ListEntry(list="SDN", entry_id="10863", kind="entity", countries=["IR"],
                name="7TH OF TIR", aliases=["7TH OF TIR INDUSTRIES OF ISFAHAN/ESFAHAN"])
DHKP = ListEntry(list="SDN", entry_id="dhkp", kind="entity",
                 name="REVOLUTIONARY PEOPLE'S LIBERATION PARTY/FRONT", aliases=["DHKP/C"])
CPMIEC = ListEntry(list="SDN", entry_id="cpmiec", kind="entity", countries=["CN"],
                   name="CHINA NATIONAL PRECISION MACHINERY IMPORT/EXPORT CORPORATION")
BEHOVER = ListEntry(list="EL", entry_id="behover", kind="entity", countries=["AE"],
                    name="Behover General Trading/Information Technologies")
SCREENER = Screener(lists=[ParsedList(source="t", entries=[TIR, DHKP, CPMIEC, BEHOVER],
                                      row_count=4, content_hash="t")])


def _hits(query: str) -> dict[str, object]:
    return {h.entry_id: h for h in SCREENER.screen(query)}


@pytest.mark.parametrize(("query", "entry_id"), [
    ("7th of Tir Industries of Esfahan", "10863"),
    ("7th of Tir Industries of Isfahan", "10863"),
    ("Revolutionary People's Liberation Front", "dhkp"),
    ("Revolutionary People's Liberation Party", "dhkp"),
    ("China National Precision Machinery Export Corporation", "cpmiec"),
    ("China National Precision Machinery Import Corp.", "cpmiec"),
])
def test_either_word_finds_the_entry(query: str, entry_id: str) -> None:
    hit = _hits(query).get(entry_id)
    assert hit is not None and hit.score == 100 and hit.match_kind == "exact", hit


def test_the_hit_shows_the_name_as_the_list_writes_it() -> None:
    hit = _hits("7th of Tir Industries of Esfahan")["10863"]
    assert hit.matched_name == "7TH OF TIR INDUSTRIES OF ESFAHAN"
    assert "the list writes it '7TH OF TIR INDUSTRIES OF ISFAHAN/ESFAHAN'" in hit.explanation


def test_the_other_half_alone_is_no_name_of_the_entry() -> None:
    # "Information Technologies" is the end of one reading, not a name of Behover's
    assert "behover" not in _hits("Information Technologies")
    assert "cpmiec" not in _hits("Export Corporation")


@pytest.mark.parametrize("name", ["M/S OSAMA KHAIRY HAFEZ TRADING EST.",
                                  "CHINA NATIONAL PRECISION MACHINERY I/E CORP.",
                                  "DHKP/C", "NPP/CPP", "A/B/C TRADING", "FUND 2007/2008 LP"])
def test_abbreviations_and_two_word_names_are_not_read(name: str) -> None:
    assert written_variants(name) == [name]


def test_the_readings() -> None:
    assert written_variants("LORD'S RESISTANCE MOVEMENT/ARMY") == [
        "LORD'S RESISTANCE MOVEMENT/ARMY", "LORD'S RESISTANCE MOVEMENT",
        "LORD'S RESISTANCE ARMY"]
