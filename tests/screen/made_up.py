"""A screener of a few list entries written out in a test, and what it finds at the default
threshold: for tests of how one name reads, without loading a list file."""

from __future__ import annotations

from collections.abc import Sequence

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList

THRESHOLD = 85.0


def screener_of(entries: Sequence[ListEntry]) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


def found(screener: Screener, query: str) -> set[str]:
    """The entry ids ``query`` hits at or above :data:`THRESHOLD`."""
    return {h.entry_id for h in screener.screen(query, threshold=THRESHOLD)}
