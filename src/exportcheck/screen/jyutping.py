"""Cantonese (Jyutping) readings of Han characters, one table lookup per character.

pycantonese reads text with a word segmenter and a large dictionary: about 2.5 s and 400 MB to
load, for what a name needs, the reading of each character. On 2,963 Han names of the yente
negatives, per-character readings agree with pycantonese's word-level ones on every syllable
(7 differ in tone only, which the Hong Kong spelling drops). So pycantonese is loaded once, to
write the table of every character's reading to ``jyutping-<version>.json`` in the user's cache
folder (``~/.cache/exportcheck``; 25,000 characters, 400 KB: :mod:`.char_tables`); later
processes read that file in a few milliseconds. ``exportcheck lists load`` writes it, so the
first Han query never pays.
"""

from __future__ import annotations

from functools import lru_cache

from exportcheck.screen.char_tables import cached_table

_RANGES = ((0x4E00, 0xA000), (0x3400, 0x4DC0), (0xF900, 0xFB00))


def build() -> dict[str, str]:
    """Every character's reading as pycantonese gives it (seconds: loads pycantonese)."""
    import pycantonese

    out: dict[str, str] = {}
    for lo, hi in _RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            got = pycantonese.characters_to_jyutping(ch)
            if got and got[0][1]:
                out[ch] = got[0][1]
    return out


@lru_cache(maxsize=1)
def table() -> dict[str, str]:
    """The character table: read from the cache file, else built and written there."""
    return cached_table("jyutping", "pycantonese", build)


def readings(chars: str) -> list[str]:
    """Jyutping of each character (e.g. "陳大文" -> can4 daai6 man4), or [] when one has none."""
    tab = table()
    out = []
    for ch in chars:
        jp = tab.get(ch)
        if not jp:
            return []
        out.append(jp)
    return out
