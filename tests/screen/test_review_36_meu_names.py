"""Chinese names of Military End-User (MEU) list entries the curated table lacked (session 36).

The MEU list names its Chinese entries in English only ("Shanghai Aerospace Equip. Man.",
"Henan Aerospace Precision Mach", "AVIC Flight Automatic Control Research Institute (FACRI)").
Their own Chinese names (上海航天设备制造总厂有限公司, 河南航天精工制造有限公司,
中国航空工业集团公司西安飞行自动控制研究所) found nothing, or only a "full" reading of the
English words through the glossary, never the entity's own name with a cited source."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

FACRI = "AVIC Flight Automatic Control Research Institute (FACRI)"
SAEM = "Shanghai Aerospace Equip. Man."


@pytest.mark.parametrize(("query", "english"), [
    ("中国航空工业集团公司西安飞行自动控制研究所", FACRI),
    ("西安飞行自动控制研究所", FACRI),
    ("北京航空材料研究院股份有限公司", "Baimtec Material Co., Ltd."),
    ("中国航空工业标准件制造有限责任公司", "China Aviation Ind. Std. Parts"),
    ("广州航新航空科技股份有限公司", "Guangzhou Hangxin Aviation Technology Co., Ltd."),
    ("贵州黎阳国际制造有限公司", "Guizhou Liyang Intl Manufacturing Co Ltd."),
    ("杭州轴承试验研究中心有限公司", "Hangzhou Bearing Test & Research Center Co., Ltd."),
    ("河南航天精工制造有限公司", "Henan Aerospace Precision Mach"),
    ("陕西航空电气有限责任公司", "Shaanxi Aero Electric Co., Ltd."),
    ("陕西飞机工业有限责任公司", "Shaanxi Aircaft Industry Co., Ltd."),
    ("上海航天设备制造总厂有限公司", SAEM),
    ("上海航天设备制造总厂", SAEM),
    ("無錫派克新材料科技股份有限公司", "Wuxi Paike New Mat. Tech. Co., Ltd."),  # traditional
    ("宜宾三江机械有限责任公司", "Yibin Sanjiang Machine Co., Ltd."),
    ("中国航空工业集团公司金城南京机电液压工程研究中心",
     "Nanjing Engineering Institute of Aircraft Systems (NEIAS)"),
    ("军事医学科学院毒物分析实验室",
     "Laboratory of Toxicant Analysis, Institute of Pharmacology and Toxicology"),
    ("中航通飞华南飞机工业有限公司", "AVIC General Aircraft Huanan Industry Co. Ltd."),
])
def test_the_chinese_name_finds_the_meu_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "MEU", english)


def test_new_meu_rows_are_sourced_and_checked() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["list"] == "MEU"]
    named = {r["english_name"] for r in rows}
    assert {FACRI, SAEM, "Henan Aerospace Precision Mach"} <= named
    new = [r for r in rows if r["english_name"] in (FACRI, SAEM)]
    assert all(r["source"] and r["checked"].startswith("yes: ") for r in new)
