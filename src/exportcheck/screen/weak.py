"""OFAC's weak aliases: names a match on which is only a potential match.

OFAC marks some aliases of SDN entries as *weak*: nicknames, noms de guerre, very short or
common names ("MARTIN", "BUTTE", "JONNIER"). Its guidance is that screening is not expected to
alert on them; they help confirm a hit that other information raised (OFAC FAQ 122-124,
"Clarification on Specially Designated Nationals alias screening", 18 Jan 2011). In the
delimited files (``sdn.csv``, ``cons_prim.csv``) the strong aliases are rows of ``alt.csv``
and the weak ones are written in the remarks, in single quotes: ``a.k.a. 'MARTIN'``.

Other publications of the same party do not say which aliases are weak: the Consolidated
Screening List copies them into its ``alt_names``, and the State Department's ISN entry for
Parviz Khaki lists "Martin" like any other name. An alias OFAC calls weak is weak on every
copy of the same party: the same list and entry number (the CSL's SDN rows), or an entry that
shares another, full name with the OFAC entry (two words or more, in any order).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from exportcheck.screen.entries import ListEntry
from exportcheck.screen.parsers.common import aka_names

_WORDS = re.compile(r"[^\W_]+")


def _name_key(name: str) -> tuple[str, ...] | None:
    """The words of a name in order of their letters: "KHAKI, Parviz" = "Parviz Khaki"."""
    words = sorted(w.casefold() for w in _WORDS.findall(name))
    return tuple(words) if len(words) >= 2 else None


def weak_aliases(entries: Sequence[ListEntry]) -> dict[int, frozenset[str]]:
    """For the entries (by position) that have weak aliases, those aliases, case-folded.

    The entry's own primary name is never weak, whatever the remarks say."""
    by_id: dict[tuple[str, str], set[str]] = defaultdict(set)
    by_name: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for e in entries:
        if not e.source.startswith("ofac") or not e.remarks:
            continue
        weak = {a.casefold() for a in aka_names(e.remarks)}
        if not weak:
            continue
        by_id[e.key] |= weak
        for n in (e.name, *e.aliases):
            if n.casefold() not in weak and (key := _name_key(n)):
                by_name[key] |= weak
    if not by_id:
        return {}
    every = set().union(*by_id.values())
    out: dict[int, frozenset[str]] = {}
    for i, e in enumerate(entries):
        if not any(a.casefold() in every for a in e.aliases):
            continue  # most entries: no alias OFAC calls weak anywhere
        weak = set(by_id.get(e.key, ()))
        for n in (e.name, *e.aliases):
            if (key := _name_key(n)) and key in by_name:
                weak |= by_name[key]
        weak.discard(e.name.casefold())
        mine = {a.casefold() for a in e.aliases} & weak
        if mine:
            out[i] = frozenset(mine)
    return out
