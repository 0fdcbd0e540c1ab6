"""Country Chart columns from their Part 742 definitions.

The chart prints one row per destination; Part 742 says in words which destinations each
column reaches. Applying the words to a destination's Country Groups reproduces its row. That
is how the rule base checks its chart data, and how it sources a row the regulations no longer
print (Hong Kong's before 23 Dec 2020) from the regulations themselves rather than by analogy.

>>> from datetime import date
>>> from exportcheck.api import load_ruleset
>>> snap = load_ruleset().as_of(date(2020, 6, 29))
>>> sorted(derive_row(snap, "HK"))
['CB1', 'CB2', 'CC1', 'CC3', 'MT1', 'NP1', 'NS1', 'NS2', 'RS1', 'RS2']
"""

from __future__ import annotations

from pydantic import BaseModel

from exportcheck.rules import schema as s
from exportcheck.rules.ruleset import Snapshot


class ColumnMismatch(BaseModel):
    """A printed chart cell that its column's definition does not reproduce."""

    code: str
    column: str
    printed: bool
    derived: bool
    definition: str  # the definition's citation


def derive_row(snap: Snapshot, code: str) -> dict[str, s.ColumnDefinition]:
    """The columns whose definition reaches ``code`` on the snapshot's date, with that definition.

    Uses the destination's own Country Group memberships; a destination the EAR determines as
    another (Liechtenstein as Switzerland) is derived as given, not as its alias.
    """
    groups = frozenset(snap.groups.get(code, {}))
    return {col: d for col, d in snap.column_definitions.items() if d.reaches(code, groups)}


def chart_mismatches(
    snap: Snapshot, skip: set[str] | frozenset[str] = frozenset()
) -> list[ColumnMismatch]:
    """Every printed cell on the snapshot's date that its column definition gets wrong.

    Skipped: destinations under a Part 746 embargo (the embargo, not the chart, decides there,
    and their AT cells are not parsed), aliased destinations, special regions (ISO 3166-2
    codes such as UA-43: the chart has no rows for them), the United States, and ``skip``.
    """
    out = []
    for code in sorted(snap.destinations):
        if (
            code in skip
            or code == "US"
            or "-" in code
            or snap.embargoes.get(code)
            or snap.alias(code, "ear")
        ):
            continue
        printed = set(snap.chart.get(code, {}))
        derived = derive_row(snap, code)
        for col, definition in snap.column_definitions.items():
            if (col in printed) != (col in derived):
                out.append(
                    ColumnMismatch(
                        code=code,
                        column=col,
                        printed=col in printed,
                        derived=col in derived,
                        definition=definition.citation,
                    )
                )
    return out
