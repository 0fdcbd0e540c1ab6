"""Institutes numbered as Chinese documents number them (session 34 review).

CSSC's and CETC's listed institutes carry a number: 中国船舶集团有限公司第七〇二研究所. Documents
write its zero as 〇 (U+3007), as the circle ○ or as a digit, the number in Arabic digits
(第702研究所, 第14研究所), and the group with its pre-2017 legal form or the new one. Each found
nothing but the exact table spelling: 〇 is outside the Han blocks, so 七〇二 was read as the
7th and a 2nd institute."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese import han_numerals

CSSC_702 = "中国船舶集团有限公司第七〇二研究所"
CETC_14 = "中国电子科技集团公司第十四研究所"


@pytest.mark.parametrize(("written", "same_as"), [
    ("第七○二研究所", "第七〇二研究所"), ("第702研究所", "第七〇二研究所"),
    ("第14研究所", "第十四研究所"), ("第２０研究所", "第二十研究所"),
    ("第10研究所", "第十研究所"), ("中国电子科技集团有限公司第十四研究所", CETC_14),
])
def test_one_spelling_of_an_institutes_number(written: str, same_as: str) -> None:
    assert han_numerals(written) == han_numerals(same_as)


def test_other_numbers_and_a_groups_own_name_are_left_alone() -> None:
    assert han_numerals("61398部队") == "61398部队"  # a PLA unit is written in digits
    assert han_numerals("中国电子科技集团有限公司") == "中国电子科技集团有限公司"


@pytest.mark.parametrize(("query", "listed"), [
    ("中国船舶集团有限公司第七○二研究所", CSSC_702),
    ("中国船舶集团有限公司第702研究所", CSSC_702),
    ("中国电子科技集团公司第14研究所", CETC_14),
    ("中国电子科技集团有限公司第十四研究所", CETC_14),
])
def test_the_listed_institute_is_found_however_its_number_is_written(
        full_screener: Screener, query: str, listed: str) -> None:
    hits = full_screener.screen(query)
    assert hits and hits[0].list == "EL" and hits[0].score == 100, hits[:2]
    assert hits[0].matched_name == listed
