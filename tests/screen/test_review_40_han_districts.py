"""Districts and administrative suffixes in Han company names (review 40).

Chinese names often start with a city and its district (北京市海淀区..., 深圳市南山区...). The
glossary knew no urban district, so 海淀区思源 was read as one proper name ("haidianqusiyuan")
and the Military End User List's "Beijing Siyuan Electronic Co., Ltd." (its address: Haidian
District, Beijing) scored 80 from 北京市海淀区思源电子有限公司. The lists write such a company
with its city only, so the district is also left out, as part of the address. The suffix rule
knew 市, 省, 区, 县 but not 新区, 地区, 自治州 (with the peoples an autonomous area names:
阿坝藏族羌族自治州), nor that 区块链 (blockchain) begins with the character 区."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry
from exportcheck.screen.han_orgs import glossary, segment
from tests.screen.made_up import found, screener_of

# names exactly as the CSL (2026-07) writes these entries; addresses in lists/csl/csl.csv
SIYUAN = ListEntry(list="MEU", entry_id="siyuan", kind="entity", countries=["CN"],
                   name="Beijing Siyuan Electronic Co., Ltd.")  # Haidian District, Beijing
DAWNING = ListEntry(list="CMIC", entry_id="dawning", kind="entity", countries=["CN"],
                    name="Dawning Information Industry Co., Ltd")  # Haidian District
ENTRIES = [SIYUAN, DAWNING]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return screener_of(ENTRIES)


def _texts(name: str) -> list[str]:
    return [s.text for s in segment(name)]


def test_a_listed_company_is_found_from_a_name_with_city_and_district(
        screener: Screener) -> None:
    assert "siyuan" in found(screener, "北京市海淀区思源电子有限公司")  # was 80


def test_a_name_with_its_city_in_brackets_is_still_found(screener: Screener) -> None:
    assert "siyuan" in found(screener, "思源电子（北京）有限公司")


@pytest.mark.parametrize("query", [
    "北京市海淀区百度网讯科技有限公司",  # Baidu's Beijing operating company: on no list
    "北京市海淀区清华大学",
    "上海市浦东新区思源电子有限公司",    # the same trade name in another city
])
def test_an_unlisted_name_with_a_leading_district_is_no_hit(screener: Screener,
                                                            query: str) -> None:
    assert found(screener, query) == set()


@pytest.mark.parametrize(("name", "expected"), [
    ("北京市海淀区思源电子有限公司", ["北京", "海淀", "思源", "电子", "有限公司"]),
    ("深圳市南山区腾讯科技有限公司", ["深圳", "南山", "腾讯", "科技", "有限公司"]),
    ("上海市浦东新区思源电子有限公司", ["上海", "浦东", "思源", "电子", "有限公司"]),
    ("和田地区思源电子有限公司", ["和田", "思源", "电子", "有限公司"]),
    ("阿坝藏族羌族自治州思源电子有限公司", ["阿坝", "思源", "电子", "有限公司"]),
    ("新疆维吾尔自治区思源电子有限公司", ["新疆", "思源", "电子", "有限公司"]),
])
def test_district_and_prefecture_suffixes_are_set_aside(name: str, expected: list[str]) -> None:
    assert _texts(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("深圳市南山区块链科技有限公司", ["深圳", "南山", "区块链", "科技", "有限公司"]),
    ("北京市海淀区域经济研究中心", ["北京", "海淀", "区域", "经济", "研究中心"]),
])
def test_a_word_beginning_with_the_suffix_character_is_not_split(
        name: str, expected: list[str]) -> None:
    assert _texts(name) == expected


@pytest.mark.parametrize(("han", "english"), [
    ("海淀", "Haidian"), ("福田", "Futian"), ("南山", "Nanshan"), ("龙岗", "Longgang"),
    ("宝安", "Bao'an"), ("徐汇", "Xuhui"), ("闵行", "Minhang"), ("天河", "Tianhe"),
    ("渝北", "Yubei"), ("南开", "Nankai"),
    ("阿坝", "Ngawa"), ("阿坝", "Aba"), ("甘孜", "Garze"), ("甘孜", "Ganzi"),
    ("果洛", "Golog"), ("怒江", "Nujiang"), ("迪庆", "Diqing"), ("大兴安岭", "Da Hinggan Ling"),
])
def test_districts_and_prefectures_are_cited_places(han: str, english: str) -> None:
    word = glossary()[han]
    assert word.kind == "place" and english in word.english and word.source
