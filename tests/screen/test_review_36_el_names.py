"""Chinese names of Chinese Entity List research institutes and groups (session 36 review).

These entries had no row in the curated table: their Chinese names (an AMMS institute under
its pre-2017 name, a CSSC institute under its CSIC-era name, a CETC 13 subsidiary, a listed
company's former name) either found nothing or only a 90-point partial reading of a parent
(军事医学科学院, China Shipbuilding) instead of the listed entry itself."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

AMMS = "Academy of Military Medical Sciences, {}"
CETC13 = ("China Electronics Technology Group Corporation 13th Research Institute (CETC 13). "
          "Subordinate Institution - {}")
CSSC = "China State Shipbuilding Corporation, Limited (CSSC) {}"
YAGUANG = "Yaguang Technology Group Co., Ltd."

CASES = [
    ("中国航空工业集团公司济南特种结构研究所",
     "AVIC Research Institute for Special Structures of Aeronautical Composites"),
    ("中国人民解放军军事医学科学院野战输血研究所",
     AMMS.format("Field Blood Transfusion Institution")),
    ("中国人民解放军军事医学科学院卫生学环境医学研究所",
     AMMS.format("Institute of Hygiene and Environmental Medicine")),
    ("军事医学科学院卫生学环境医学研究所",
     AMMS.format("Institute of Hygiene and Environmental Medicine")),
    ("中国人民解放军军事医学科学院卫生装备研究所", AMMS.format("Institute of Medical Equipment")),
    ("成都精密光学工程研究中心", "Chengdu Fine Optical Engineering Research Center"),
    ("中国航天科技集团有限公司", "China Aerospace Science and Technology Corporation (CASC)"),
    ("河北博威集成电路有限公司", CETC13.format("Bowei Integrated Circuits")),
    ("河北美泰电子科技有限公司", CETC13.format("MT Microsystems")),
    ("中电科电子装备集团有限公司",
     "China Electronics Technology Group Corporation Electronic Equipment Group Co., Ltd."),
    ("中国船舶集团有限公司系统工程研究院",
     "China State Shipbuilding Corp.-Systems Engineering Research Institute"),
    ("中国船舶集团有限公司第七一八研究所", CSSC.format("718th Research Institute")),
    ("中船重工第七一八研究所", CSSC.format("718th Research Institute")),
    ("中国船舶重工集团公司七五〇试验场", CSSC.format("750th Test Center")),
    ("今创集团股份有限公司", "KTK Group"),
    ("睿励科学仪器(上海)有限公司", "Raintree Scientific Instruments (Shanghai) Corporation"),
    ("量子科技长三角产业创新中心",
     "Quantum Science and Technology Yangtze River Delta Industrial Innovation Center"),
    ("三亚海兰寰宇海洋信息科技有限公司",
     "Sanya Highlander Huanyu Ocean Information Technology Corporation"),
    ("亚光科技集团股份有限公司", YAGUANG),
    ("亚光科技", YAGUANG),
    ("太阳鸟游艇股份有限公司", YAGUANG),
]


@pytest.mark.parametrize(("query", "english"), CASES)
def test_the_chinese_name_finds_the_listed_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "EL", english)


def test_each_new_name_is_a_cited_row_of_its_entry() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = {(r["english_name"], r["chinese_name"]): r for r in csv.DictReader(fh)}
    for query, english in CASES:
        row = rows[(english, query)]
        assert row["list"] == "EL" and row["source"], row
        assert row["checked"].startswith("yes: ") and "(" in row["checked"], row
