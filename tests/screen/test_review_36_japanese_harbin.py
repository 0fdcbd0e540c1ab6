"""Harbin written the Japanese way (session 36 review).

Japan's METI End User List writes 哈爾浜工業大学 for Harbin Institute of Technology: 濱 is
浜 in Japanese. The glossary read 哈尔浜 as "Harbin", but the curated table's name
哈尔滨工业大学 was never reached, and the glossary renders 工业大学 as "University of
Technology" (HIT's English name is the table's exception), so the Entity List entry was
missed. 浜 alone stays a character of its own: it is Chinese too (沙家浜)."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese import simplified
from exportcheck.screen.entries import ListEntry, ParsedList


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


@pytest.mark.parametrize("query", ["哈爾浜工業大学", "哈尔浜工业大学"])
def test_harbin_in_its_japanese_form_finds_the_listed_university(query: str) -> None:
    hit = ListEntry(list="EL", entry_id="hit", name="Harbin Institute of Technology",
                    kind="entity", countries=["CN"])
    other = ListEntry(list="EL", entry_id="bjut", name="Beijing University of Technology",
                      kind="entity", countries=["CN"])
    hits = _screener(hit, other).screen(query)
    assert [h.entry_id for h in hits] == ["hit"]
    assert hits[0].score == 100 and hits[0].match_kind == "exact"
    assert any("curated table" in line for line in hits[0].explanation)


def test_the_character_alone_is_left_as_chinese() -> None:
    assert simplified("沙家浜") == "沙家浜"
    assert simplified("哈爾浜工程大学") == "哈尔滨工程大学"
