"""A Han company name read in English matches by its words, not by letters alike (session 37).

上海索辰信息科技股份有限公司 (Shanghai Suochen, on the Entity List) was also a 89.4 potential
match of the SDN's Sichuan Silence Information Technology: its pinyin "suochen" was 80% like
"sichuan", and the glossary's "science" (of 科技 read "science and technology") 71% like
"silence". Both are wrong readings of a name spelt by rule. Glossary words now match only as
spelt (or one slip apart, "12th" = "12"), and pinyin proper names only when they cut into the
same syllables, allowing the spellings of southern speakers (zh/z, ch/c, sh/s, -ng/-n:
盈科 "Yinke"), which the index now also looks up."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.han_orgs import org_forms
from exportcheck.screen.pinyin_sound import same_sound, sound_keys, sound_spellings
from exportcheck.screen.scorer import compare_names

SILENCE = ListEntry(list="SDN", entry_id="silence", kind="entity", countries=["CN"],
                    name="SICHUAN SILENCE INFORMATION TECHNOLOGY COMPANY, LIMITED")
SUOCHEN = ListEntry(list="EL", entry_id="suochen", kind="entity", countries=["CN"],
                    name="Shanghai Suochen Information Technology Co., Ltd.")
YINKE = ListEntry(list="EL", entry_id="yinke", kind="entity", countries=["HK"],
                  name="YINKE HK ELECTRONICS COMPANY LIMITED")
ZONGSHEN = ListEntry(list="EL", entry_id="zongshen", kind="entity", countries=["CN"],
                     name="Suzhou Zongshen Electronics Co., Ltd.")
CASC12 = ListEntry(list="EL", entry_id="casc12", kind="entity", countries=["CN"],
                   name="China Aerospace Science and Technology Corporation 1st Academy 12 "
                        "Research Institute")


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


def _found(query: str, *entries: ListEntry, country: str | None = None) -> dict[str, float]:
    return {h.entry_id: h.score for h in _screener(*entries).screen(query, country=country)
            if h.score >= 85}


@pytest.mark.parametrize("query", ["上海索辰信息科技股份有限公司", "上海索辰科技有限公司",
                                   "索辰信息科技"])
def test_suochen_is_not_sichuan_silence(query: str) -> None:
    assert list(_found(query, SILENCE, SUOCHEN, country="CN")) == ["suochen"]


def test_without_its_own_entry_suochen_raises_no_alert() -> None:
    assert _found("上海索辰信息科技股份有限公司", SILENCE, country="CN") == {}


def test_glossary_words_are_marked_and_proper_names_are_not() -> None:
    forms = org_forms("上海索辰信息科技股份有限公司")
    assert forms and all("suochen" not in f.fixed for f in forms)
    assert any({"information", "tech"} <= f.fixed for f in forms)


@pytest.mark.parametrize(("query", "entry"), [
    ("盈科香港电子有限公司", YINKE),           # 盈科 yingke, spelt "Yinke": -ng/-n
    ("苏州中盛电子有限公司", ZONGSHEN),         # 中盛 zhongsheng, spelt "Zongshen"
    ("中国航天科技集团有限公司第一研究院第十二研究所", CASC12),  # 第十二 "12th" = "12"
])
def test_spellings_of_one_name_still_match(query: str, entry: ListEntry) -> None:
    assert compare_names(query, entry.name) >= 85
    assert compare_names(query, SILENCE.name) < 60


@pytest.mark.parametrize(("query", "entry"), [
    ("盈科香港电子有限公司", YINKE), ("苏州中盛电子有限公司", ZONGSHEN)])
def test_the_index_finds_the_southern_spelling(query: str, entry: ListEntry) -> None:
    # the index looks words up by letters alike: "zhongsheng" is two letters from "zongshen",
    # too far for it, so it also looks up the name's southern spellings
    assert entry.entry_id in _found(query, entry, SILENCE)


def test_southern_spellings_are_pinyin() -> None:
    assert set(sound_spellings("zhongsheng")) >= {"zongshen", "zhongshen", "zongsheng"}
    assert sound_spellings("yingke") == ("yinke",)
    assert all(len(sound_keys(x)) for x in sound_spellings("haikangweishi"))
    assert sound_spellings("sinopack") == ()


@pytest.mark.parametrize(("a", "b", "same"), [
    ("yingke", "yinke", True), ("zhongsheng", "zongshen", True), ("xian", "xian", True),
    ("suochen", "sichuan", False), ("feixing", "beijing", False), ("changan", "chang", False),
    ("sinopack", "sinopak", False),  # not pinyin: other rules decide
])
def test_same_sound(a: str, b: str, same: bool) -> None:
    assert same_sound(a, b) is same


def test_interjections_cut_no_name() -> None:
    # 嗯 "ng" and 呣 "m" are pinyin syllables, but "zhongsheng" is not zho-ng-she-ng
    assert sound_keys("zhongsheng") == {("zon", "sen")}
    assert sound_keys("sinopack") == frozenset()
