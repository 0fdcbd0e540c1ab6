"""Recall of UN entries queried by their original-script name (issue #11 point 5).

    .venv/bin/python benchmarks/screening_scripts.py

Each UN entry with a ``NAME_ORIGINAL_SCRIPT`` is counted under the script of each such name
(arabic, cyrillic, hangul, han, other). It is *found* when screening every one of its names in
that script, with ``lists=["UN"]`` at the default threshold, returns that same entry.

The UN list carries the original-script name itself, so screening it against the list as
published always finds the entry (``recall_as_listed``, a sanity check). The figure that
measures romanisation, ``recall``, screens against a copy of the UN entries without their
non-Latin names: the entry must be found through the Latin spellings, as it must on lists that
print only Latin names (OFAC, BIS, the CSL). The main benchmark (``benchmarks/screening.py``)
imports :func:`original_script_recall`.

Development and held-out halves (:func:`half_of`): the entries are split by a hash of their
UN reference number, so the split is fixed and does not follow the list's order. The rules of
the first round of ``screen/scripts.py`` were partly written by looking at *all* the misses, so
the overall figure is optimistic. From the second round on, only the misses of the ``dev`` half
are examined (``-v`` prints those only; ``--all`` prints the held-out ones too, for the report,
not for tuning): the ``held-out`` figure is the honest one.

    .venv/bin/python benchmarks/screening_scripts.py -v
"""

from __future__ import annotations

import hashlib
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UN_XML = ROOT.parent / "shared" / "data" / "lists" / "un" / "UN_consolidated.xml"
SCRIPTS = ("arabic", "cyrillic", "hangul", "han", "other")
_PREFIXES = {"ARABIC": "arabic", "CYRILLIC": "cyrillic", "HANGUL": "hangul", "CJK": "han",
             "LATIN": "latin"}


HALVES = ("dev", "held-out")


def half_of(entry_id: str) -> str:
    """``"dev"`` or ``"held-out"``: the parity of the first byte of the SHA-256 of the entry's
    reference number ("QDi.001"), so the split is fixed and independent of the list's order."""
    return HALVES[hashlib.sha256(entry_id.encode("utf-8")).digest()[0] & 1]


def script_of(text: str) -> str:
    """The script most of the name's letters are written in: one of :data:`SCRIPTS`, or
    "latin" (digits and punctuation count for nothing; a name without letters is "other")."""
    counts: Counter[str] = Counter()
    for ch in text:
        if ch.isalpha():
            first = unicodedata.name(ch, "OTHER").split()[0]
            counts[_PREFIXES.get(first, "other")] += 1
    return counts.most_common(1)[0][0] if counts else "other"


def latin_only(entries: list) -> list:
    """Copies of ``entries`` without their original-script names and non-Latin aliases."""
    return [replace(e, original_script=[],
                    aliases=[a for a in e.aliases if script_of(a) == "latin"])
            for e in entries]


def _found(screener, name: str, entry_id: str, threshold: float | None) -> bool:
    return entry_id in {h.entry_id for h in screener.screen(name, lists=["UN"],
                                                           threshold=threshold)}


def original_script_recall(screener, threshold: float | None = None) -> dict[str, dict]:
    """Per script: ``{"entries": n, "found": k, "recall": k / n, "found_as_listed": ...,
    "recall_as_listed": ..., "missed": [...], "halves": {...}}`` over the screener's UN entries
    that carry an original-script name (recalls are None for a script with no entry).

    ``recall`` is measured on a Latin-only copy of the UN entries (see the module doc);
    ``missed`` lists ``(entry_id, original-script name, Latin name, half)`` of its failures;
    ``halves`` gives ``{"entries", "found", "recall"}`` for the ``dev`` and ``held-out`` halves
    (:func:`half_of`)."""
    from exportcheck.screen import Screener
    from exportcheck.screen.entries import ParsedList

    un = [e for e in screener.entries if e.list == "UN"]
    bare = Screener([ParsedList("un-latin-only", latin_only(un), len(un), "latin-only")])
    per: dict[str, dict] = {s: {"entries": 0, "found": 0, "found_as_listed": 0, "missed": [],
                                "halves": {h: {"entries": 0, "found": 0} for h in HALVES}}
                            for s in SCRIPTS}
    for entry in un:
        by_script: dict[str, list[str]] = {}
        for name in dict.fromkeys(n.strip() for n in entry.original_script if n.strip()):
            script = script_of(name)
            by_script.setdefault(script if script in SCRIPTS else "other", []).append(name)
        for script, names in by_script.items():
            row = per[script]
            half = row["halves"][half_of(entry.entry_id)]
            row["entries"] += 1
            half["entries"] += 1
            row["found_as_listed"] += all(
                _found(screener, n, entry.entry_id, threshold) for n in names)
            missed = [n for n in names if not _found(bare, n, entry.entry_id, threshold)]
            if missed:
                row["missed"].append((entry.entry_id, missed[0], entry.name,
                                      half_of(entry.entry_id)))
            else:
                row["found"] += 1
                half["found"] += 1
    for row in per.values():
        n = row["entries"]
        row["recall"] = row["found"] / n if n else None
        for half in row["halves"].values():
            half["recall"] = half["found"] / half["entries"] if half["entries"] else None
        row["recall_as_listed"] = row["found_as_listed"] / n if n else None
    return per


def format_table(result: dict[str, dict]) -> str:
    """The result of :func:`original_script_recall` as a small text table."""
    def fmt(x: float | None) -> str:
        return "-" if x is None else f"{x:.3f}"

    lines = [f"{'script':<10}{'entries':>8}{'found':>7}{'recall':>8}{'as listed':>11}"
             f"{'dev':>14}{'held-out':>14}"]
    for script in SCRIPTS:
        row = result[script]
        halves = "".join(f"{h['found']:>4}/{h['entries']:<3}{fmt(h['recall']):>6}"
                         for h in row["halves"].values())
        lines.append(f"{script:<10}{row['entries']:>8}{row['found']:>7}{fmt(row['recall']):>8}"
                     f"{fmt(row['recall_as_listed']):>11}  {halves}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from exportcheck.screen import Screener

    if not UN_XML.is_file():
        print(f"UN list not found at {UN_XML} (../shared/data beside the repo)", file=sys.stderr)
        return 2
    t = time.perf_counter()
    screener = Screener.from_paths([UN_XML])
    built = time.perf_counter() - t
    t = time.perf_counter()
    result = original_script_recall(screener)
    print(format_table(result))
    print("recall: found through the Latin names only; as listed: against the UN list as "
          "published, which carries the original-script names")
    print(f"(UN list only; index built in {built:.1f} s, queries took "
          f"{time.perf_counter() - t:.1f} s)")
    if "-v" in argv or "--all" in argv:
        for script in SCRIPTS:
            for entry_id, name, latin, half in result[script]["missed"]:
                if half == "dev" or "--all" in argv:
                    print(f"missed {script} {half} {entry_id}: {name} / {latin}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
