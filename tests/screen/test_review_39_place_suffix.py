"""A place's administrative suffix is set aside only where it is one (review 39): 哈密市委 is
Hami's city party committee and 上海市场 Shanghai's market, not 哈密市 / 上海市 followed by a
stray 委 or 场, which then read as a proper name of their own ("wei", "chang")."""

from __future__ import annotations

import pytest

from exportcheck.screen.han_orgs import segment


def _texts(name: str) -> list[str]:
    return [s.text for s in segment(name)]


@pytest.mark.parametrize(("name", "expected"), [
    ("哈密市委网信办", ["哈密", "市委网信办"]),
    ("上海市场调研有限公司", ["上海", "市场调研", "有限公司"]),
    ("北京市政工程设计研究院", ["北京", "市政", "工程", "设计研究院"]),
    ("上海市场", ["上海", "市场"]),
])
def test_a_word_that_begins_with_a_suffix_character_is_kept_whole(name, expected) -> None:
    assert _texts(name) == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("深圳市大疆创新科技有限公司", ["深圳", "大疆", "创新", "科技", "有限公司"]),
    ("哈密市网信办", ["哈密", "网信办"]),
])
def test_a_real_suffix_is_still_set_aside(name, expected) -> None:
    assert _texts(name) == expected
