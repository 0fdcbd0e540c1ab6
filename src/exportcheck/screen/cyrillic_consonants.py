"""Consonants of a name read from Cyrillic script, for comparing it with a Latin list word.

Why: Cyrillic, like Arabic script, writes every consonant, so a list word with another
consonant is another name (Пестова "Pestova" is not "Peskova", Андонов "Andonov" is not
"Antonov"), not a spelling variant, however close the letters. But the systems lists and
passports use for Cyrillic spell one letter many ways, and these must stay one consonant.
The spellings folded here are those of the systems in the ``iuliia`` schemas the romaniser uses
(:mod:`exportcheck.screen.scripts`): ICAO Doc 9303, BGN/PCGN, GOST 7.79 (A and B), ISO 9,
ALA-LC, BS 2979, MVD 310 (English and French), UNGEGN 1987, and the German (Duden) spellings
of :func:`exportcheck.screen.tokens.german_reading`:

* х kh, h, ch (German), x (GOST 7.79 B), and г g or h (Ukrainian, Belarusian): one class;
* ж zh, j (French), z (ISO 9 without its caron), sch (German); ш sh, ch (French), sch, s;
  щ shch, sch, shh, chtch, s, sht (Bulgarian); ч ch, tch, tsch, c, cz; ц ts, tz, tc (GOST R
  52535, passports 2010-2013), c, cz, z; з z, s; с s, ss:
  one class of hissing sounds (the systems mix them up between them);
* ch is ч (English), ш (French) or х (German); j is й, ж (French) or х (Spanish); c is ц, ч or к;
  lists also write х as k or drop an h; each such spelling is read every way;
* Belarusian дз, ц for soft д, т (Dzmitry, Tsitova) and ў as u (Aliaksandrauna);
* в v, w (German), ff (a final -off); ф f, ph;
* й, ь, ъ, and the vowels (е/ё ye, yo, jo; ю/я yu, ju, iu, ya, ja, ia) are not consonants here;
  doubled letters count once.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

#: unambiguous multi-letter spellings first (longest first), then single letters
_SPELLINGS = (
    ("schtsch", "S"), ("shtch", "S"), ("chtch", "S"), ("shch", "S"), ("szcz", "S"),
    ("tsch", "S"), ("shh", "S"), ("sch", "S"), ("tch", "S"), ("sh", "S"),
    ("cz", "S"), ("sz", "S"), ("tz", "S"), ("tc", "S"), ("gh", "G"),
    ("ph", "f"), ("ck", "k"), ("s", "S"), ("z", "S"), ("g", "G"), ("w", "v"), ("q", "k"),
)
#: spellings that stand for two letters, by system: read both ways
_AMBIGUOUS = {
    "ch": ("S", "G"),  # ч (English), ш (French) / х (German)
    "c": ("S", "k"),  # ц, ч (ISO 9, GOST without diacritics) / к ("Victor")
    "j": ("", "S", "G"),  # й, or the y of ю я ё (German, ISO 9) / ж (French) / х (Spanish)
    "x": ("kS", "G"),  # кс ("Alexei") / х (GOST 7.79 B: "Xrushhyov")
    "kh": ("G", "k"),  # х, which lists also write k ("Zakarova", "Tokhtakounov")
    "h": ("G", ""),  # х, Ukrainian г / dropped ("Abdalla"), as lists write it
    "ts": ("S", "t"),  # ц / Belarusian soft т ("Tsitova", "Valiantsin")
    "dz": ("S", "d"),  # дз / Belarusian soft д ("Dzmitry")
    "zh": ("S", "SG"),  # ж / Ukrainian з г in BGN/PCGN without its dot ("Mozhovyi")
    "tj": ("S", "t"),  # ч (Swedish: "Vladimirovitj") / т and the y of ю ("Tjurin")
    "sht": ("S", "St"),  # Bulgarian щ ("Shterev") / ш т ("Shtokman")
}
_UNIT = re.compile("|".join(sorted([*dict(_SPELLINGS), *_AMBIGUOUS], key=len, reverse=True)))
_FINAL_FF = re.compile(r"(?<=[aeo])ff$")  # Smirnoff
_SHORT_U = re.compile(r"(?<=[aeo])u(?![aeiouy])")  # Belarusian ў ("Volkau", "Yaugen")
_VOWELS = re.compile(r"[aeiouy'`]+")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def cyrillic_consonants(token: str) -> frozenset[str]:
    """The consonant sequences a romanised Russian, Ukrainian, Belarusian or Bulgarian word
    can stand for, one per reading of its ambiguous spellings: "pestova" -> {"pStv"},
    "peskova" -> {"pSkv"}; "khrushchev" and "chruschtschow" share "GrSv"."""
    low = token.lower()
    low = _FINAL_FF.sub("v", low)
    finals = {low, _SHORT_U.sub("v", low)}
    keys = set()
    for word in finals:
        units = _UNIT.findall(word)
        ambiguous = sorted({u for u in units if u in _AMBIGUOUS})
        for reading in itertools.product(*(_AMBIGUOUS[u] for u in ambiguous)):
            chosen = dict(zip(ambiguous, reading, strict=True)) | dict(_SPELLINGS)
            spelt = _UNIT.sub(lambda m, c=chosen: c[m.group()], word)
            keys.add(_VOWELS.sub("", _DOUBLE.sub(r"\1", spelt)))
    return frozenset(keys)


def other_consonants(a: str, b: str) -> bool:
    """Whether two words, one read from Cyrillic script, have other consonants in every
    reading: then they are two names, not two spellings of one. Words with digits or of
    fewer than three letters are left alone (initials, numbers)."""
    if min(len(a), len(b)) < 3 or not (a.isalpha() and b.isalpha()):
        return False
    return cyrillic_consonants(a).isdisjoint(cyrillic_consonants(b))
