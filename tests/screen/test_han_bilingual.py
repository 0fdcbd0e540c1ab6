"""Han names as a Hong Kong analyst receives them: written in two scripts, short forms of
listed companies' names, and explanations that cite the glossary words they read."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese import bilingual_parts
from exportcheck.screen.entries import ListEntry, ParsedList

TANG = ListEntry(list="SDN", entry_id="29242", name="TANG, Ping-keung", kind="person",
                 countries=("HK",))
HUAWEI = ListEntry(list="EL", entry_id="hw", name="Huawei Technologies Co., Ltd. (Huawei)",
                   aliases=("Huawei Technology",), kind="entity", countries=("CN",))
HIT = ListEntry(list="EL", entry_id="hit", name="Harbin Institute of Technology",
                kind="entity", countries=("CN",))
DJI = ListEntry(list="EL", entry_id="dji", name="DJI", kind="entity", countries=("CN",))
#: a listed company whose name is one generic word: a word of a mixed name must not find it
GENERIC = ListEntry(list="SDN", entry_id="48989", name="TECHNOLOGY LIMITED LIABILITY COMPANY",
                    kind="entity")
MEGVII = ListEntry(list="EL", entry_id="mv", name="Megvii Technology", kind="entity",
                   countries=("CN",))


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


@pytest.fixture(scope="module")
def screener() -> Screener:
    return _screener(TANG, HUAWEI, HIT, DJI, GENERIC, MEGVII)


def _top(s: Screener, name: str) -> tuple[str, float]:
    hits = s.screen(name)
    return (hits[0].entry_id, hits[0].score) if hits else ("", 0.0)


@pytest.mark.parametrize(("query", "entry"), [
    # Hong Kong documents write a person's Chinese name with the romanised one beside it
    ("鄧炳強 (Tang Ping-keung)", "29242"),
    ("Tang Ping-keung 鄧炳強", "29242"),
    ("TANG Ping-keung（鄧炳強）", "29242"),
    # a person's Chinese name is a whole name, whatever English name stands beside it
    ("Chris Tang 鄧炳強", "29242"),
    # and a company's registered Chinese name with its English one
    ("華為技術有限公司（Huawei Technologies Co., Ltd.）", "hw"),
    ("华为技术有限公司 Huawei Technologies Co., Ltd.", "hw"),
    ("哈尔滨工业大学 Harbin Institute of Technology", "hit"),
    # a brand from the curated table with the English brand beside it
    ("大疆 DJI", "dji"),
])
def test_name_written_in_two_scripts_finds_the_party(screener: Screener, query: str,
                                                     entry: str) -> None:
    # read as one name, each half was words the other lacked: 0 hits (鄧炳強 (Tang
    # Ping-keung), 哈尔滨工业大学 Harbin Institute of Technology) or a score below 85
    found, score = _top(screener, query)
    assert found == entry and score >= 85


def test_bilingual_hit_says_which_half_it_read(screener: Screener) -> None:
    hit = screener.screen("鄧炳強 (Tang Ping-keung)")[0]
    assert any("two scripts" in line and "鄧炳強" in line for line in hit.explanation)


def test_a_word_of_a_mixed_name_is_not_a_name() -> None:
    # "Technologies" beside 华为 is a word of one name, not the English name of 华为: alone it
    # would be an exact hit on the company called "Technology LLC"
    s = _screener(GENERIC)
    assert s.screen("华为 Technologies") == []
    assert s.screen("大疆 Technologies Co., Ltd.") == []
    # Han and Latin glued or interleaved are one name
    assert bilingual_parts("华为Technologies") is None
    assert bilingual_parts("李家超John") is None
    assert bilingual_parts("Huawei 技术 Co 有限公司") is None
    assert bilingual_parts("鄧炳強 (Tang Ping-keung)") == ("鄧炳強", "Tang Ping-keung")


def test_unlisted_bilingual_names_stay_clear(screener: Screener) -> None:
    for name in ("腾讯控股有限公司 Tencent Holdings Limited", "陳大文 Chan Tai Man",
                 "小米集团 Xiaomi Corporation"):
        assert screener.screen(name) == [], name


def test_table_name_with_a_glossary_word_is_a_company(screener: Screener) -> None:
    # 华为技术 (4 characters, no legal form) was read as a person's name "Hua Weijishu"
    assert _top(screener, "华为技术") == ("hw", 100.0)
    assert _top(screener, "華為技術") == ("hw", 100.0)
    assert _top(screener, "华为技术 Co., Ltd.")[0] == "hw"


def test_short_table_name_not_hidden_by_a_longer_one(screener: Screener) -> None:
    # the EL entry has two table names: 北京旷视科技有限公司 and the short name 旷视科技; the
    # first read without its place (旷视科技, a partial match) hid the second from the index
    hit = screener.screen("旷视科技")[0]
    assert (hit.entry_id, hit.matched_name, hit.score, hit.match_kind) == (
        "mv", "旷视科技", 100.0, "exact")


def test_glossary_reading_cites_the_rendering_used_and_its_source() -> None:
    s = _screener(ListEntry(list="EL", entry_id="nudt", kind="entity",
                            name="National University of Defense Technology"))
    hit = s.screen("國防科技大學")[0]
    lines = "\n".join(hit.explanation)
    # read as "... University of Technology", not the first rendering of 科技大学
    assert "科技大学=University of Technology" in lines
    assert "University of Science and Technology]" not in lines
    assert any(line.startswith("glossary 科技大学 = 'University of Technology': ")
               and "nudt.edu.cn" in line for line in hit.explanation)


def test_partial_explanation_states_the_cap_applied() -> None:
    # Carrie Lam's maiden name inside her married one: three words of a person's name, capped
    # at 90, not 80; the explanation said "at most 80" beside a name score of 90
    s = _screener(ListEntry(list="SDN", entry_id="29249", name="LAM CHENG, Yuet-ngor",
                            kind="person"))
    hit = s.screen("Cheng Yuet Ngor")[0]
    assert hit.match_kind == "partial" and hit.name_score == 90.0
    line = next(x for x in hit.explanation if x.startswith("partial name"))
    assert "at most 90" in line and "at most 80" not in line


def test_china_unicom_short_name_from_the_table() -> None:
    # 中国联通 is China Unicom's own short name (chinaunicom.com.cn; HKEX 0762 中國聯通); the
    # CMIC entries carry it only in English ("CHINA UNICOM"), so 中國聯通 found nothing
    group = ListEntry(list="NONSDN", entry_id="30942", kind="entity",
                      name="CHINA UNITED NETWORK COMMUNICATIONS GROUP CO., LTD.",
                      aliases=("CHINA UNICOM",), programs=("CMIC-EO13959",))
    hit = _screener(group).screen("中國聯通")[0]
    assert hit.entry_id == "30942" and hit.score == 100.0
    assert any("curated table" in line and "chinaunicom" in line for line in hit.explanation)


def test_smic_shanghai_registered_name_finds_its_entry() -> None:
    # the EL entry carries the English name of SMIC's Shanghai company as an alias; its
    # Chinese registered name (as written for the Beijing, Tianjin and Shenzhen ones) found
    # nothing, though the English one is an exact hit
    smic = ListEntry(list="EL", entry_id="smic", kind="entity",
                     name="Semiconductor Manufacturing International Corporation (SMIC)",
                     aliases=("Semiconductor Manufacturing International (Shanghai) "
                              "Corporation", "SMIC Shanghai"))
    hit = _screener(smic).screen("中芯國際集成電路製造（上海）有限公司")[0]
    assert hit.entry_id == "smic" and hit.score == 100.0
    assert any("curated table" in line and "smics.com" in line for line in hit.explanation)


def test_a_japanese_name_with_kana_is_one_name() -> None:
    """Kanji and kana make one Japanese name: "近藤 あすか" read as its kanji alone was
    "Jin Teng", an exact hit on SDN "JIN TENG" (a held-out Faker ja_JP name)."""
    s = _screener(ListEntry(list="SDN", entry_id="jt", name="JIN TENG", kind="person"))
    assert bilingual_parts("近藤 あすか") is None and bilingual_parts("김 李") is None
    assert s.screen("近藤 あすか") == [] and s.screen("近藤 さゆり") == []
    assert bilingual_parts("近藤 (Kondo)") == ("近藤", "Kondo")  # a Latin half still splits
