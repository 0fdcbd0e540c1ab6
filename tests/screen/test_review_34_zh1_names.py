"""Review 34 (zh1): the Chinese name of XMC, checked against sources.

The table gave Wuhan Xinxin Semiconductor Manufacturing Company Limited (XMC, Entity List)
only 武汉新芯集成电路制造有限公司. Since its 2024 joint-stock conversion the company files as
武汉新芯集成电路股份有限公司 (STAR Market IPO, 科创板日报 2024-05-11); the old name stays as
a former name (used up to 2019, 紫光旗下武汉新芯集成电路制造有限公司). A counterparty
written with either name must reach the listed entry through the table, exactly.
"""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import table
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.normalize import fold_text

XMC = "Wuhan Xinxin Semiconductor Manufacturing Company Limited"
CURRENT = "武汉新芯集成电路股份有限公司"
FORMER = "武汉新芯集成电路制造有限公司"


def _screener() -> Screener:
    xmc = ListEntry(list="EL", entry_id="xmc", name=XMC, kind="entity", countries=["CN"])
    other = ListEntry(list="EL", entry_id="o", name="Wuhan Optical Valley Trading Co., Ltd.",
                      kind="entity", countries=["CN"])
    return Screener(lists=[ParsedList(source="t", entries=[xmc, other], row_count=2,
                                      content_hash="t")])


def test_xmc_rows_carry_the_current_and_the_former_name_with_sources() -> None:
    rows = {r.chinese_name: r for r in table()[("EL", fold_text(XMC))]}
    assert rows[CURRENT].name_type == "registered"
    assert rows[CURRENT].checked.startswith("yes: corrected from " + FORMER)
    assert rows[FORMER].name_type == "former"
    assert rows[FORMER].checked.startswith("yes:") and "gucheng.com" in rows[FORMER].checked


def test_current_name_finds_xmc_exactly_through_the_table() -> None:
    top = _screener().screen(CURRENT)[0]
    assert top.entry_id == "xmc" and top.matched_name == CURRENT and top.score >= 95
    assert any("curated table" in line for line in top.explanation)


def test_former_name_still_finds_xmc() -> None:
    top = _screener().screen(FORMER)[0]
    assert top.entry_id == "xmc" and top.matched_name == FORMER and top.score >= 95
