"""Restricted-party screening (issue #4): list ingestion, cross-script name matching,
dispositions and re-screening.

``Screener.from_paths([...])`` / ``from_samples()`` / ``from_database(engine)`` build a screener;
``screener.screen(name, country=..., dob=...)`` returns :class:`~exportcheck.models.ScreeningHit`
objects, best first. List codes are in :data:`LIST_CODES`.
"""

from exportcheck.screen.entries import BLOCKING_LISTS, FOREIGN_LISTS, LIST_CODES, ListEntry
from exportcheck.screen.service import Screener, default_screener, reset_default_screener, screen

__all__ = [
    "BLOCKING_LISTS",
    "FOREIGN_LISTS",
    "LIST_CODES",
    "ListEntry",
    "Screener",
    "default_screener",
    "reset_default_screener",
    "screen",
]
