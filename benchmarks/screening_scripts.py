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
"""

from __future__ import annotations

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
    "recall_as_listed": ..., "missed": [...]}`` over the screener's UN entries that carry an
    original-script name (recalls are None for a script with no entry).

    ``recall`` is measured on a Latin-only copy of the UN entries (see the module doc);
    ``missed`` lists ``(entry_id, original-script name, Latin name)`` of its failures."""
    from exportcheck.screen import Screener
    from exportcheck.screen.entries import ParsedList

    un = [e for e in screener.entries if e.list == "UN"]
    bare = Screener([ParsedList("un-latin-only", latin_only(un), len(un), "latin-only")])
    per: dict[str, dict] = {s: {"entries": 0, "found": 0, "found_as_listed": 0, "missed": []}
                            for s in SCRIPTS}
    for entry in un:
        by_script: dict[str, list[str]] = {}
        for name in dict.fromkeys(n.strip() for n in entry.original_script if n.strip()):
            script = script_of(name)
            by_script.setdefault(script if script in SCRIPTS else "other", []).append(name)
        for script, names in by_script.items():
            row = per[script]
            row["entries"] += 1
            row["found_as_listed"] += all(
                _found(screener, n, entry.entry_id, threshold) for n in names)
            missed = [n for n in names if not _found(bare, n, entry.entry_id, threshold)]
            if missed:
                row["missed"].append((entry.entry_id, missed[0], entry.name))
            else:
                row["found"] += 1
    for row in per.values():
        n = row["entries"]
        row["recall"] = row["found"] / n if n else None
        row["recall_as_listed"] = row["found_as_listed"] / n if n else None
    return per


def format_table(result: dict[str, dict]) -> str:
    """The result of :func:`original_script_recall` as a small text table."""
    lines = [f"{'script':<10}{'entries':>8}{'found':>7}{'recall':>8}{'as listed':>11}"]
    for script in SCRIPTS:
        row = result[script]
        rec = "-" if row["recall"] is None else f"{row['recall']:.3f}"
        listed = "-" if row["recall_as_listed"] is None else f"{row['recall_as_listed']:.3f}"
        lines.append(f"{script:<10}{row['entries']:>8}{row['found']:>7}{rec:>8}{listed:>11}")
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
    if "-v" in argv:
        for script in SCRIPTS:
            for entry_id, name, latin in result[script]["missed"]:
                print(f"missed {script} {entry_id}: {name} / {latin}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
