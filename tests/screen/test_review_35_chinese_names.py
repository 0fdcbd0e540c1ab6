"""Chinese names of listed entities the curated table lacked (session 35 review).

HMN Technologies (formerly Huawei Marine Networks) is on the Entity List as an affiliate
of Huawei, alias "Huahai Zhihui Technology Co., Ltd.": its registered name
华海智汇技术有限公司 was only reached through the glossary reading (a "full" match, not
the exact name). CSSC's listed research institutes were named
中国船舶重工集团公司第N研究所 (CSIC) before the 2019 merger, and documents of those years
still name them so: those names scored 90 as a partial reading of the English alias,
never as the institute's own name."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

HMN = "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd."
CSSC = "China State Shipbuilding Corporation, Limited (CSSC) {} Research Institute"


@pytest.mark.parametrize(("query", "english"), [
    ("华海智汇技术有限公司", HMN),
    ("華海智匯技術有限公司", HMN),  # traditional characters
    ("华为海洋网络有限公司", HMN),
    ("华海通信国际有限公司", "HMN International Co., Ltd"),
    ("中国船舶重工集团公司第七〇二研究所", CSSC.format("702nd")),
    ("中国船舶重工集团公司第702研究所", CSSC.format("702nd")),
    ("中国船舶重工集团有限公司第七一四研究所", CSSC.format("714th")),
    ("船舶信息研究中心", CSSC.format("714th")),
    ("中国船舶重工集团公司第七一〇研究所", CSSC.format("710th")),
    ("中國船舶重工集團公司第七一五研究所", CSSC.format("715th")),
    ("中国船舶重工集团公司第七二二研究所",
     "China State Shipbuilding Corporation, Limited. (CSSC) 722nd Research Institute"),
    ("中国船舶重工集团公司第七二五研究所", CSSC.format("725th")),
])
def test_the_chinese_name_finds_the_listed_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "EL", english)


def test_former_names_are_rows_of_their_own_with_a_source() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    csic = [r for r in rows
            if r["list"] == "EL" and r["chinese_name"].startswith("中国船舶重工集团")]
    assert len(csic) >= 15
    assert all(r["name_type"] == "former" and r["checked"].startswith("yes") for r in csic)
    hmn = {r["chinese_name"]: r["name_type"] for r in rows if r["english_name"] == HMN}
    assert hmn["华海智汇技术有限公司"] == "registered" and hmn["华为海洋网络有限公司"] == "former"
