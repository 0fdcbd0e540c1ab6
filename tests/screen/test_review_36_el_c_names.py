"""Chinese names of Entity List entries with brand or translated English names (session 36).

The Entity List prints these Chinese entities under English words that are not pinyin
("Opturn Co., Ltd.", "Sunway Microelectronics", "Hebei Far East Communication System
Engineering", "Cambricon Jixingge (Nanjing) ..."). Their own Chinese names
(北京欧唐科技发展有限公司, 成都申威科技有限责任公司, 河北远东通信系统工程有限公司,
寒武纪行歌(南京)科技有限公司) found nothing, a partial hit, or only a "full" reading
of a pinyin alias, never the entity's own name with a cited source."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

JIXINGGE = "Cambricon Jixingge (Nanjing) Technology Co., Ltd."
SUNWAY = "Sunway Microelectronics"
AMMS_INFO = ("Academy of Military Medical Sciences, Institute of Health Service and Medical "
             "Information")


@pytest.mark.parametrize(("query", "english"), [
    ("河北远东通信系统工程有限公司", "Hebei Far East Communication System Engineering"),
    ("北京欧唐科技发展有限公司", "Opturn Co., Ltd."),
    ("寒武纪(香港)有限公司", "Cambricon (Hong Kong) Co., Ltd."),
    ("寒武紀（香港）有限公司", "Cambricon (Hong Kong) Co., Ltd."),  # traditional, full-width
    ("寒武纪(南京)信息科技有限公司", "Cambricon (Nanjing) Information Technology Co., Ltd."),
    ("寒武纪行歌(南京)科技有限公司", JIXINGGE),
    ("寒武纪行歌", JIXINGGE),
    ("成都申威", SUNWAY),
    ("军事医学科学院卫生勤务与医学情报研究所", AMMS_INFO),
    # these reached their entry at 100 only as a "full" reading of a pinyin alias
    ("成都申威科技有限责任公司", SUNWAY),
    ("宁波南大光电材料有限公司", "Ningbo Nanda Optoelectronic Materials Ltd."),
    ("成都华日通讯技术股份有限公司", "Chengdu Day Communication Technology Co., Ltd."),
])
def test_the_chinese_name_finds_the_el_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "EL", english)


def test_new_el_rows_are_sourced_and_checked() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["list"] == "EL"]
    new = [r for r in rows if r["english_name"] in (JIXINGGE, SUNWAY, AMMS_INFO)]
    assert {r["chinese_name"] for r in new} >= {
        "寒武纪行歌(南京)科技有限公司", "成都申威科技有限责任公司",
        "军事医学科学院卫生勤务与医学情报研究所"}
    assert all(r["source"] and r["checked"].startswith("yes: ") for r in new)
