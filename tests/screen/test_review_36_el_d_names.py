"""Chinese names of Entity List entries with brand or translated English names (session 36).

The Entity List prints these Chinese entities under brands, initials or translations
("Pera Global", "China Volant Industry", "TYT Electronics Co. Ltd.", "Beijing FJR
Optoelectronic Technology Company Ltd"), so their own Chinese names (安世亚太科技股份有限公司,
中国华腾工业有限公司, 特易通, 富吉瑞) found nothing, or only a "full" reading of a pinyin
alias, never the entity with the table's cited source."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

FJR = "Beijing FJR Optoelectronic Technology Company Ltd"
BAOTOU = ("Baotou Guanghua Chemical Industrial Corporation (Parent Organization: "
          "China National Nuclear Group Corporation (CNNC))")
NEW = [
    ("北京富吉瑞光电科技有限公司", FJR),
    ("富吉瑞", FJR),
    ("中国科学器材有限公司", "China National Scientific Instruments and Materials (CNSIM)"),
    ("安世亚太科技股份有限公司", "Pera Global"),
    ("中国华腾工业有限公司", "China Volant Industry"),
    ("天利航空科技深圳有限公司", "China Taly Aviation Technologies Corporation"),
    ("北京天圣华信息技术有限责任公司", "Beijing Transemic Information Technology Ltd."),
    ("苏州高泰电子技术股份有限公司", "Suzhou SIP Hi-Tech Precision Electronics Co., Ltd."),
    ("成都海威华芯科技有限公司", "Chengdu GaStone Technology Co., Ltd. (CGTC)"),
    ("全椒南大光电材料有限公司", "Quanjiao Nanda Optoelectronic Materials Ltd."),
    ("中核北方核燃料元件有限公司", BAOTOU),
    ("特易通", "TYT Electronics Co. Ltd."),
]


@pytest.mark.parametrize(("query", "english"), NEW)
def test_the_chinese_name_finds_the_entity_list_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "EL", english)


def test_new_entity_list_rows_are_sourced_and_checked() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = {(r["chinese_name"], r["english_name"]): r
                for r in csv.DictReader(fh) if r["list"] == "EL"}
    for key in NEW:
        assert key in rows, key
        assert rows[key]["source"] and rows[key]["checked"].startswith("yes: "), key
