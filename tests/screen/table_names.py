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
    """``query`` finds that entry exact at 100, explained by the table, with nothing scored
    above it (the same company listed on two lists, as HEAD Aerospace is on the SDN and the
    Entity List, ties at 100 and may come first)."""
    hits = screener.screen(query, country="CN")
    want = (list_code, listed_id(screener, list_code, english))
    found = [h for h in hits if (h.list, h.entry_id) == want]
    assert found, (query, want, [(h.list, h.entry_id, h.matched_name, h.score) for h in hits[:3]])
    hit = found[0]
    assert hit.score == 100 and hit.match_kind == "exact", (hit.matched_name, hit.score)
    assert hits[0].score == hit.score
    assert any("curated table" in line for line in hit.explanation), hit.explanation
