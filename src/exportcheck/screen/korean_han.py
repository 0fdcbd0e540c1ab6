"""North Korean names written in Han characters, read in Korean.

Why: Chinese and Japanese documents write the DPRK's people and entities in Han characters
(金正恩, 朝鲜矿业开发贸易公司, 南川江貿易会社), and the lists spell them as they are read in
Korean ("KIM Jong Un", "Korea Mining Development Trading Corporation", "Namchongang Trading
Corporation"). Pinyin ("jin zhengen") finds none of them.

* Each character's Korean reading comes from the ``hanja`` package's table (readings as
  characters are read inside a word, without the South Korean initial-sound rule: 李 리 Ri,
  羅先 라선 Rason, 勞動 로동, as the DPRK writes them). 金 as a surname is 김 Kim.
* A person's reading is romanised as :mod:`exportcheck.screen.scripts` romanises Hangul; an
  organisation's proper names in the DPRK's spelling as lists print it ("Namchongang",
  "Tanchon", "Pyongyang"), its other words in English through the Han glossary (贸易 Trading,
  银行 Bank, 朝鲜 Korea).
* These forms (scripts :data:`PERSON` and :data:`ORGANISATION`) are compared only with list
  entries linked to North Korea (:func:`linked_to_korea`), and a person's only when it is
  the list name word for word: read in Korean, ordinary Chinese names collide with Korean
  list names (徐明 "SO, Myong").
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from exportcheck.screen.normalize import NameForm

if TYPE_CHECKING:
    from exportcheck.screen.entries import ListEntry

#: form scripts: a person's name read in Korean (romanised Hangul, compared token by token
#: exactly) and an organisation's (English words and Korean proper names)
PERSON = "korean"
ORGANISATION = "han-en-ko"
SCRIPTS = frozenset((PERSON, ORGANISATION))
#: a person's name read in Korean has three characters or more (surname and a two-syllable
#: given name, as nearly all Korean names): read in Korean, two-character Chinese names
#: collide with short list names (徐明 "SO, Myong", 陈柳 "RYU, Jin": 6 of 2,000 Faker zh_CN
#: names against 1 for three characters); and it must equal the list name (service)
MIN_PERSON_CHARS = 3
#: surnames read otherwise than the character's usual reading
_SURNAMES = {"金": "김"}
#: sanctions programmes on North Korea (OFAC's DPRK, DPRK2-4, DPRK-NKSPEA; the UN 1718 list)
_PROGRAMMES = ("DPRK", "NKSPEA")


def _build() -> dict[str, str]:
    from hanja.table import hanja_table  # ~0.4 s: its YAML is read on import

    return dict(hanja_table)


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    """Each character's Korean reading, from the user's cache folder after the first use."""
    from exportcheck.screen.char_tables import cached_table

    return cached_table("hanja", "hanja", _build)


def reading(chars: str, *, person: bool = False) -> str | None:
    """The Korean reading of Han characters in Hangul ("남천강" for 南川江, in traditional,
    simplified or Japanese forms alike), or None when a character has none."""
    from exportcheck.screen.chinese import simplified, traditional

    simp = simplified(chars)
    trad = traditional(simp)
    aligned = len(trad) == len(simp) == len(chars)
    table = _table()
    out = []
    for k, c in enumerate(chars):
        forms = (c, trad[k], simp[k]) if aligned else (c,)
        surname = k == 0 and person and next((_SURNAMES[x] for x in forms if x in _SURNAMES),
                                             None)
        syllable = surname or next((table[x] for x in forms if x in table), None)
        if syllable is None:
            return None
        out.append(syllable)
    return "".join(out)


def person_forms(simp: str) -> list[NameForm]:
    """Latin forms of a Han person's name read in Korean (金正恩 -> "kim jongun" ...)."""
    from exportcheck.screen.scripts import script_forms

    if not MIN_PERSON_CHARS <= len(simp) <= 4:
        return []
    hangul = reading(simp, person=True)
    if hangul is None:
        return []
    return [NameForm(f.tokens, f.legal, PERSON) for f in script_forms(hangul, True)
            if f.script == "hangul"]


def word_spellings(hangul: str) -> list[str]:
    """A Korean proper name as lists spell it: the DPRK's syllables joined, plain stops voiced
    between voiced sounds ("namchongang") or not ("namchonkang"), aspirates without their h
    ("pyongyang") or with it ("phyongyang"), and the syllables apart ("nam chon kang")."""
    from exportcheck.screen.scripts import hangul_syllable, voiced

    plain = [hangul_syllable(s, "dprk") for s in hangul]
    spellings = []
    for parts in (voiced(plain), plain):
        spellings += ["".join(parts), "".join(map(_unaspirated, parts))]
    spellings.append(" ".join(map(_unaspirated, plain)))
    return list(dict.fromkeys(spellings))


def _unaspirated(syllable: str) -> str:
    """P'yŏngyang is "Pyongyang" on the lists, "Phyongyang" in the DPRK's own system."""
    return syllable[0] + syllable[2:] if syllable[:2] in ("ph", "th", "kh") else syllable


def linked_to_korea(entry: ListEntry) -> bool:
    """A list entry of North Korea: a KP country or a North Korea sanctions programme."""
    return "KP" in entry.countries or any(
        any(p in prog.upper() for p in _PROGRAMMES) for prog in entry.programs)
