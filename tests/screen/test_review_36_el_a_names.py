"""Chinese names of Entity List entries with brand or translated English names (session 36).

The Entity List prints these Chinese companies under brand or translated English names
("Wuhan Raycus Fiber Laser Technologies", "Qihoo 360 Technology Company", "Zhuhai Orbita
Control Systems", "Shanghai Zhichun Purification System Technology"). Their own registered
Chinese names (武汉锐科光纤激光技术股份有限公司, 北京奇虎科技有限公司, 珠海航宇微科技股份有限公司,
上海至纯洁净系统科技股份有限公司) found nothing, or only a partial or "full" reading of the
English words, never the entry exactly with a cited source."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

RAYCUS = "Wuhan Raycus Fiber Laser Technologies Co., Ltd."
QIHOO = "Qihoo 360 Technology Company"
ORBITA = "Zhuhai Orbita Control Systems"
NATA = "Jiangsu Nata Optoelectronic Material Co., Ltd."
PNC = "Shanghai Zhichun Purification System Technology Co., Ltd."
LES = "Nanjing LES Information Technology Co., Ltd."
BEARING = "China Aviation Development Harbin Bearing Co., Ltd"


@pytest.mark.parametrize(("query", "english"), [
    ("武汉锐科光纤激光技术股份有限公司", RAYCUS),
    ("锐科激光", RAYCUS),
    ("北京奇虎科技有限公司", QIHOO),
    ("奇虎360", QIHOO),
    ("合肥北方华创微电子装备有限公司", "Hefei Naura Microelectronics Equipment Co., Ltd."),
    ("江苏南大光电材料股份有限公司", NATA),
    ("南大光电", NATA),
    ("上海至纯洁净系统科技股份有限公司", PNC),
    ("至纯科技", PNC),
    ("珠海航宇微科技股份有限公司", ORBITA),
    ("珠海欧比特宇航科技股份有限公司", ORBITA),
    ("珠海歐比特宇航科技股份有限公司", ORBITA),  # traditional
    ("南京莱斯信息技术股份有限公司", LES),
    ("莱斯信息", LES),
    ("中国航发哈尔滨轴承有限公司", BEARING),
    ("中航哈尔滨轴承有限公司", BEARING),
    ("青岛算能科技有限公司", "Qingdao Sophgo Technology Co., Ltd."),
    ("重庆川东船舶重工有限责任公司", "Chongqing Chuandong Shipbuilding Industry Co Ltd."),
    ("上海复控华龙微系统技术有限公司",
     "Shanghai Fukong Hualong Microsystem Technology Co., Ltd."),
])
def test_the_chinese_name_finds_the_el_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "EL", english)


def test_new_el_rows_are_sourced_and_checked() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["list"] == "EL"]
    new = [r for r in rows if r["english_name"] in (RAYCUS, QIHOO, ORBITA, NATA, PNC, LES, BEARING)]
    assert {r["english_name"] for r in new} == {RAYCUS, QIHOO, ORBITA, NATA, PNC, LES, BEARING}
    assert all(r["source"] and r["checked"].startswith("yes: ") for r in new)
