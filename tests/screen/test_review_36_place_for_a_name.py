"""A Han company name with a word of its own where a listed name has only its place (session
36 review).

Listed Han names are also indexed without their leading place (西安飞机工业(集团) as 飞机工业
(集团)), so that a query leaving the place out still finds them, as a partial match. But a
query with its own name in that spot, 昌河飞机工业（集团）有限责任公司 (Changhe Aircraft, on the
Unverified List), then read as a partial match of Xi'an Aircraft, Chengdu Aircraft and Shaanxi
Aircraft (MEU list) at 90 with its country: three potential matches that held a
determination for review, for companies that only share the words "aircraft industry
group"."""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList

XIAN = ListEntry(list="MEU", entry_id="xac", kind="entity", countries=["CN"],
                 name="Xian Aircraft Industrial Company Limited")  # 西安飞机工业(集团) in the table


def _hits(query: str) -> list[tuple[str, float, str]]:
    screener = Screener(lists=[ParsedList(source="t", entries=[XIAN], row_count=1,
                                          content_hash="t")])
    return [(h.entry_id, h.score, h.match_kind) for h in screener.screen(query, country="CN")]


def test_another_company_named_where_the_place_was_is_no_match() -> None:
    assert _hits("昌河飞机工业（集团）有限责任公司") == []


def test_the_listed_name_and_the_name_without_its_place_still_match() -> None:
    assert _hits("西安飞机工业（集团）有限责任公司") == [("xac", 100.0, "exact")]
    [(entry, score, kind)] = _hits("飞机工业（集团）有限责任公司")
    assert entry == "xac" and kind == "partial" and 85 <= score < 100
