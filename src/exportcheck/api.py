"""The public Python API: what the CLI, the REST API and the batch path call."""

from __future__ import annotations

from functools import cache

from exportcheck.determine import determine
from exportcheck.determine.batch import determine_frame
from exportcheck.determine.parties import PartyScreener
from exportcheck.rules import RuleSet, load_ruleset


@cache
def default_screener() -> PartyScreener | None:
    """The screener used when none is given: the database's active lists, else bundled samples."""
    try:
        from exportcheck.screen import Screener
    except ImportError:  # screening package not installed in this build
        return None
    return Screener.default() if hasattr(Screener, "default") else Screener.from_samples()


__all__ = ["RuleSet", "default_screener", "determine", "determine_frame", "load_ruleset"]
