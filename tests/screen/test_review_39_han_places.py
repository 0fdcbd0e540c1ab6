"""Chinese prefecture-level cities (and county-level cities named in list entries) in the Han
glossary (review 39).

The glossary knew 181 places; a city it lacked was read as a proper name, so 义乌市 in
"义乌市天鹰光学仪器有限公司" became the token "yiwushi" and the query scored 80 against the
Entity List's "Yiwu Tianying Optical Instrument Company", under the threshold. Places named in
Mongolian were read from their characters: 乌兰察布 as "wulanchabu", where the list writes
"Ulanqab" (1976 transcription rules for minority-language place names). Heteronyms were read
wrongly: 长治 "zhangzhi", 漯河 "tahe".

Against a list name without the city ("Tianying Optical Instrument Company") the query stays a
partial match (80), as it does for a city the glossary knew before: scorer.place_missing caps
a match that leaves the leading place out (成都华为 is not 华为)."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry
from exportcheck.screen.han_orgs import glossary, org_forms
from tests.screen.made_up import found, screener_of

# names exactly as the CSL (2026-07) writes these entries
YIWU_TIANYING = ListEntry(list="EL", entry_id="tianying", kind="entity", countries=["CN"],
                          name="Yiwu Tianying Optical Instrument Company")
YIWU_XINGLU = ListEntry(list="SDN", entry_id="xinglu", kind="entity", countries=["CN"],
                        name="YIWU XINGLU IMPORT AND EXPORT CO LTD")
ULANQAB_NANDA = ListEntry(list="EL", entry_id="ulanqab", kind="entity", countries=["CN"],
                          name="Ulanqab Nanda Microelectronics Materials Co., Ltd.",
                          aliases=["Ulanqab Nata", "Ulanqab Nanda",
                                   "Ulanqab Nata Microelectronics",
                                   "Ulanqab Nanda Microelectronics"])
ENTRIES = [YIWU_TIANYING, YIWU_XINGLU, ULANQAB_NANDA]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return screener_of(ENTRIES)


@pytest.mark.parametrize(("query", "entry"), [
    ("义乌市天鹰光学仪器有限公司", "tianying"),   # was 80: 义乌市 read as "yiwushi"
    ("义乌市兴路进出口有限公司", "xinglu"),        # was 80
    ("乌兰察布南大微电子材料有限公司", "ulanqab"),  # was no hit: "wulanchabu"
])
def test_a_leading_city_the_glossary_lacked_is_read_as_the_list_writes_it(
        screener: Screener, query: str, entry: str) -> None:
    assert entry in found(screener, query)


@pytest.mark.parametrize("query", [
    "宁德时代新能源科技股份有限公司",  # CATL, Ningde: listed on none of these lists
    "朝阳市天鹰光学仪器有限公司",      # another city's company of the same proper name
])
def test_an_unlisted_company_with_a_leading_city_is_no_hit(screener: Screener,
                                                           query: str) -> None:
    assert found(screener, query) == set()


@pytest.mark.parametrize(("han", "english"), [
    ("乌兰察布", "Ulanqab"), ("鄂尔多斯", "Ordos"), ("日喀则", "Xigaze"),
    ("长治", "Changzhi"), ("漯河", "Luohe"), ("朝阳", "Chaoyang"), ("六安", "Lu'an"),
    ("和田", "Hetian"), ("吐鲁番", "Turfan"), ("哈密", "Kumul"),  # as the Entity List writes
])
def test_places_read_by_their_official_romanisation(han: str, english: str) -> None:
    word = glossary()[han]
    assert word.kind == "place" and english in word.english and word.source


def test_every_prefecture_level_city_is_a_place() -> None:
    places = {h for h, w in glossary().items() if w.kind == "place"}
    # one city of each province-level division outside the four municipalities
    sample = {"衡水", "吕梁", "赤峰", "葫芦岛", "白城", "七台河", "宿迁", "丽水", "亳州", "宁德",
              "上饶", "菏泽", "驻马店", "随州", "娄底", "云浮", "崇左", "儋州", "资阳", "毕节",
              "临沧", "那曲", "商洛", "陇南", "海东", "中卫", "吐鲁番"}
    assert sample <= places


def test_the_place_is_named_in_the_query_form() -> None:
    forms = org_forms("漯河市天鹰光学仪器有限公司")
    assert forms[0].tokens[0] == "luohe"
    assert any(f.dropped == "Luohe" for f in forms)
