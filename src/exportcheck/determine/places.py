"""Sets of places as the rules name them: some countries and some Country Groups ("Macau or
Country Group D:5"), for a destination or a headquarters alike."""

from __future__ import annotations

from exportcheck.rules.ruleset import Snapshot


def in_set(snap: Snapshot, code: str | None, countries: list[str], groups: list[str]) -> bool:
    """Whether ``code`` is one of ``countries`` or in one of ``groups`` on the snapshot's day."""
    return code is not None and (code in countries
                                 or any(snap.in_group(code, g) for g in groups))


def named(countries: list[str], groups: list[str]) -> str:
    """The set in words: "Macau or Country Group D:5"."""
    parts = (["Macau" if c == "MO" else c for c in countries]
             + [f"Country Group {g}" for g in groups])  # fmt: skip
    return " or ".join(parts)
