"""North Korean names written in Han characters, read in Korean (issue #11, other scripts):
金正恩 is "KIM, Jong Un", 南川江貿易会社 "NAMCHONGANG TRADING CORPORATION" - and only for
entries linked to North Korea, and a person's name only word for word."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.korean_han import linked_to_korea, reading, word_spellings
from exportcheck.screen.normalize import name_forms


@pytest.mark.parametrize(("han", "hangul"), [
    ("南川江", "남천강"),
    ("李", "리"),  # the DPRK writes no initial-sound rule: Ri, not South Korea's 이 Yi
    ("羅先", "라선"),
    ("崔龙海", "최룡해"),  # simplified characters
    ("鉱業", "광업"),  # a Japanese form
])
def test_korean_readings_of_han_characters(han: str, hangul: str) -> None:
    assert reading(han) == hangul


def test_kim_as_a_surname() -> None:
    """金 is read 금 (gold) but 김 as the surname Kim."""
    assert reading("金正恩", person=True) == "김정은"
    assert reading("金正恩") == "금정은"


def test_proper_names_spelt_as_the_lists_spell_them() -> None:
    assert {"namchongang", "namchonkang", "nam chon kang"} <= set(word_spellings("남천강"))
    assert {"pyongyang", "phyongyang"} <= set(word_spellings("평양"))
    assert "tanchon" in word_spellings("단천")


def _entry(entry_id: str, name: str, *, korean: bool, kind: str = "person") -> ListEntry:
    return ListEntry(list="SDN", entry_id=entry_id, name=name, kind=kind, source="t",
                     countries=["KP"] if korean else [], programs=["DPRK3"] if korean else [])


def _screener(*entries: ListEntry) -> Screener:
    return Screener([ParsedList("test", list(entries), len(entries), "test")])


def test_a_north_korean_leader_written_in_han_characters_is_found() -> None:
    s = _screener(_entry("1", "KIM, Jong Un", korean=True),
                  _entry("2", "KIM, Jong Un", korean=False))
    hits = s.screen("金正恩")
    assert [h.entry_id for h in hits] == ["1"]  # the Korean reading is for North Korea only
    assert any("Korean" in line for line in hits[0].explanation)


def test_a_north_korean_company_written_in_han_characters_is_found() -> None:
    s = _screener(_entry("1", "NAMCHONGANG TRADING CORPORATION", korean=True, kind="entity"),
                  _entry("2", "TANCHON COMMERCIAL BANK", korean=True, kind="entity"),
                  _entry("3", "NAMCHONGANG TRADING CORPORATION", korean=False, kind="entity"))
    assert [h.entry_id for h in s.screen("南川江貿易会社")] == ["1"]  # Japanese forms
    assert [h.entry_id for h in s.screen("南川江贸易公司")] == ["1"]  # simplified
    hits = s.screen("端川商业银行")
    assert [h.entry_id for h in hits] == ["2"]
    assert any("read in Korean" in line for line in hits[0].explanation)


def test_a_person_read_in_korean_must_be_the_listed_name_word_for_word() -> None:
    """Read in Korean, a Chinese name is some Korean name: 李秀英 (Li Xiuying) is 리수영 "Ri
    Suyong", not "O. RI Su Yong" (91 in Latin script: an initial missing); two-character
    names are not read in Korean at all (徐明 would be "SO, Myong")."""
    s = _screener(_entry("1", "O. RI Su Yong", korean=True),
                  _entry("2", "SO, Myong", korean=True))
    assert s.screen("李秀英") == []
    assert s.screen("徐明") == []
    assert [h.entry_id for h in s.screen("RI Su Yong")] == ["1"]


def test_listed_han_names_are_not_read_in_korean() -> None:
    assert not [f for f in name_forms("金正恩", listed=True) if f.script == "korean"]


def test_north_korean_entries_are_known_by_country_or_programme() -> None:
    assert linked_to_korea(_entry("1", "X", korean=True))
    assert linked_to_korea(ListEntry(list="UN", entry_id="1", name="X", source="t",
                                     programs=["DPRK"]))
    assert not linked_to_korea(_entry("1", "X", korean=False))


@pytest.mark.parametrize(("han", "listed"), [
    ("金正恩", "KIM, Jong Un"),
    ("崔龙海", "CHOE, Ryong Hae"),
    ("朝鲜矿业开发贸易公司", "KOREA MINING DEVELOPMENT TRADING CORPORATION"),
    ("朝鮮連峰総会社", "KOREA RYONBONG GENERAL CORPORATION"),
    ("偵察総局", "RECONNAISSANCE GENERAL BUREAU"),
])
def test_on_the_official_lists(full_screener: Screener, han: str, listed: str) -> None:
    assert listed.casefold() in {h.matched_name.casefold() for h in full_screener.screen(han)}


def test_given_names_voiced_as_the_dprk_prints_them() -> None:
    """만건 is "Man Gon" on the lists (McCune-Reischauer voices k after n), "mankon" letter
    by letter: written in Hangul or in Han characters, the voiced spelling is a form too."""
    s = _screener(_entry("1", "RI, Man Gon", korean=True))
    assert [h.entry_id for h in s.screen("리만건")] == ["1"]
    assert [h.entry_id for h in s.screen("李万建")] == ["1"]
