"""The check shared by the tests of the curated Chinese names table: a Chinese name typed as
a query finds its listed entry exactly, through the table, with the table cited."""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.normalize import fold_text


def listed_id(screener: Screener, list_code: str, english: str) -> str:
    """The entry id of the one entry of ``list_code`` with this English name."""
    ids = {e.entry_id for e in screener.entries
           if e.list == list_code and fold_text(e.name) == fold_text(english)}
    assert len(ids) == 1, (list_code, english, ids)
    return ids.pop()


def assert_table_hit(screener: Screener, query: str, list_code: str, english: str) -> None:
    """The top hit for ``query`` is that entry, exact at 100, explained by the table."""
    hits = screener.screen(query, country="CN")
    assert hits, query
    top = hits[0]
    assert (top.list, top.entry_id) == (list_code, listed_id(screener, list_code, english)), \
        hits[:2]
    assert top.score == 100 and top.match_kind == "exact", (top.matched_name, top.score)
    assert any("curated table" in line for line in top.explanation), top.explanation
