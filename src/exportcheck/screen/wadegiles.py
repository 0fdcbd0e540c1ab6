"""Chinese names written in Wade-Giles, read as pinyin.

Why: Taiwan, Hong Kong and older English texts write Mandarin names in Wade-Giles ("Hsi
Chin-ping", "Mao Tse-tung", "Chiang Ching-kuo"); the lists and Han-script queries read them in
pinyin ("Xi Jinping", "Mao Zedong"). The two systems spell most syllables differently, so no
spelling distance relates them: the syllables are converted instead.

The syllable table is pypinyin's own Wade-Giles style, applied to every pinyin syllable it
knows (``data/wade_giles.json``, built by ``tools/build_wade_giles.py``), so that a Latin name
never loads pypinyin's dictionary. Apostrophes (the
aspiration mark: ch'in = qin, chin = jin) are usually dropped in lists, so an unmarked syllable
reads both ways and a name yields a few readings (at most :data:`MAX_READINGS`).

A Latin name is read as Wade-Giles only when every word is a Wade-Giles syllable (or a
hyphenated run of them) and at least one is not also a pinyin syllable ("hsi", "tse", "tung",
"chin"): "Li Wang" is already pinyin, "Hung Lee" is not Chinese in either system.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from functools import lru_cache
from pathlib import Path

MAX_READINGS = 8
#: built by tools/build_wade_giles.py from pypinyin's Wade-Giles style (reviewed data file)
DATA_FILE = Path(__file__).with_name("data") / "wade_giles.json"


def plain(syllable: str) -> str:
    """ASCII letters only, as lists write them: "hsü" (pypinyin: "hsv") -> "hsu", "ch'in" ->
    "chin"."""
    decomposed = unicodedata.normalize("NFKD", syllable).replace("v", "u")
    return "".join(ch for ch in decomposed if "a" <= ch <= "z")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, tuple[str, ...]], frozenset[str]]:
    """(Wade-Giles syllable without marks -> pinyin syllables, the pinyin syllables)."""
    data = json.loads(DATA_FILE.read_text("utf-8"))
    return ({k: tuple(v) for k, v in data["wade_giles"].items()},
            frozenset(data["pinyin"]))


def pinyin_syllables() -> frozenset[str]:
    """Every pinyin syllable of pypinyin's dictionary, without tones ("zhuang", "a")."""
    return _tables()[1]


def pinyin_readings(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The pinyin readings of a name written in Wade-Giles, one syllable per word, or [] when
    the name is not Wade-Giles (see the module docstring). Most names stop at their first word,
    which is no Wade-Giles syllable."""
    if not 2 <= len(tokens) <= 5:
        return []
    wg, pinyin = _tables()
    options = []
    for t in tokens:
        if (o := wg.get(t)) is None:
            return []
        options.append(o)
    if all(t in pinyin for t in tokens):
        return []
    readings = []
    for combo in itertools.product(*options):
        if combo != tokens:
            readings.append(tuple(combo))
        if len(readings) >= MAX_READINGS:
            break
    return readings
