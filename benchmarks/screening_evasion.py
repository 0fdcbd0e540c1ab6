"""Recall of listed names written to slip past a screen (screen/disguise.py).

    .venv/bin/python benchmarks/screening_evasion.py [--names 400]

A fixed sample of listed names (SDN, Entity List and UN entries of two words or more, Latin
script, seeded) is written each of the ways below, and each written name is screened against
every list at the default threshold: it is *found* when the same entry comes back. "as
listed" is the sanity check. The main benchmark (``benchmarks/screening.py``) imports
:func:`evasion_recall` and prints each figure before and after.

The ways are the usual ones: words glued together (as a SWIFT field without spaces, or camel
case), two words glued, one word split, letters spaced or dotted apart, Cyrillic look-alike
letters among the Latin ones, zero-width spaces and soft hyphens, full-width letters, digits for
letters, words reversed, lower case.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

_LOOKALIKE = str.maketrans({
    "a": "а", "e": "е", "o": "о", "c": "с", "p": "р", "x": "х", "i": "і", "A": "А", "E": "Е",
    "O": "О", "C": "С", "P": "Р", "X": "Х", "I": "І", "H": "Н", "K": "К", "M": "М", "T": "Т",
    "B": "В"})
_DIGITS = str.maketrans({"o": "0", "O": "0", "i": "1", "I": "1", "e": "3", "E": "3", "a": "4",
                         "A": "4"})
_SEP = re.compile(r"[\s,.\-]+")


def _longest(words: list[str]) -> int:
    return max(range(len(words)), key=lambda i: len(words[i]))


def _at(words: list[str], i: int, new: list[str]) -> str:
    return " ".join(words[:i] + new + words[i + 1:])


def _glue_two(name: str, rng: random.Random) -> str:
    w = name.split()
    i = rng.randrange(len(w) - 1)
    return " ".join([*w[:i], w[i] + w[i + 1], *w[i + 2:]])


def _split_one(name: str, rng: random.Random) -> str:
    w = name.split()
    i = _longest(w)
    half = len(w[i]) // 2
    return _at(w, i, [w[i][:half], w[i][half:]])


#: how each name is written: (name, a seeded random generator) -> the written name
WAYS: dict[str, Callable[[str, random.Random], str]] = {
    "as listed": lambda n, r: n,
    "glued": lambda n, r: _SEP.sub("", n),
    "camel case": lambda n, r: "".join(w.capitalize() for w in _SEP.split(n) if w),
    "two words glued": _glue_two,
    "one word split": _split_one,
    "letters spaced": lambda n, r: _at(n.split(), _longest(n.split()),
                                       [" ".join(n.split()[_longest(n.split())])]),
    "letters dotted": lambda n, r: _at(n.split(), _longest(n.split()),
                                       [".".join(n.split()[_longest(n.split())])]),
    "Cyrillic look-alikes": lambda n, r: n.translate(_LOOKALIKE),
    "zero-width spaces": lambda n, r: "\u200b".join(n[i:i + 2] for i in range(0, len(n), 2)),
    "soft hyphens": lambda n, r: "\u00ad".join(n[i:i + 3] for i in range(0, len(n), 3)),
    "full-width letters": lambda n, r: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c
                                               for c in n),
    "digits for letters": lambda n, r: n.translate(_DIGITS),
    "words reversed": lambda n, r: " ".join(reversed(n.split())),
    "lower case": lambda n, r: n.lower(),
}


def sample_entries(screener, n: int, seed: int = 17) -> list:
    """``n`` listed entries whose primary name is Latin, two words or more, at most 60
    characters, on the SDN, Entity List or UN list (seeded, so every revision sees the same)."""
    pool = [e for e in screener.entries if e.list in ("SDN", "EL", "UN")
            and len(e.name.split()) >= 2 and e.name.isascii() and len(e.name) <= 60]
    pool.sort(key=lambda e: (e.list, e.entry_id))
    return random.Random(seed).sample(pool, min(n, len(pool)))


def evasion_recall(screener, n: int = 400) -> dict[str, float]:
    """Per way of writing: the share of the sampled entries found at the default threshold."""
    entries = sample_entries(screener, n)
    out: dict[str, float] = {}
    for way, write in WAYS.items():
        found = 0
        for e in entries:
            query = write(e.name, random.Random(e.entry_id))
            found += (e.list, e.entry_id) in {(h.list, h.entry_id) for h in screener.screen(query)}
        out[way] = found / len(entries)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--names", type=int, default=400)
    args = ap.parse_args()
    from screening_ec import LIST_PATHS

    from exportcheck.screen import Screener

    s = Screener.from_paths(LIST_PATHS)
    t = time.perf_counter()
    for way, recall in evasion_recall(s, args.names).items():
        print(f"{way:22} {recall:.3f}")
    print(f"({args.names} names x {len(WAYS)} ways in {time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
