"""Whether two pinyin spellings of a Chinese proper name are one name.

Why: a Han company name read as pinyin ("上海索辰" -> "suochen") is spelt by rule, so a spelling
distance between it and a list name says little: "suochen" and "sichuan" are 80% alike and no
two syllables of them are the same. Yet English company names written in China do vary in one
known way: speakers of southern Mandarin do not tell apart the retroflex and flat initials
(zh/z, ch/c, sh/s) nor the front and back nasal finals (-n/-ng), and firms spell their names as
they say them ("Yinke" for 盈科 yingke, "Zongsheng" for 中盛 zhongsheng). So two proper names
are the same name when both cut into as many pinyin syllables that agree but for those two
confusions; any other difference is another name.

The syllables are the pinyin inventory of ``data/wade_giles.json`` (every pinyin syllable of
pypinyin's dictionary), so that this never loads pypinyin itself.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from exportcheck.screen.han_orgs import HK_SCRIPT, SCRIPT
from exportcheck.screen.tokens import one_slip
from exportcheck.screen.wadegiles import pinyin_syllables

#: Han names read word by word through the glossary (:mod:`.han_orgs`): their English words
#: are a table's, their proper names pinyin (or Cantonese) by rule
GLOSSED = frozenset({SCRIPT, HK_SCRIPT})

#: a longer name is a company's whole name run together: cutting it is not worth the time
MAX_LETTERS = 24
#: spellings of one name looked up in the index
MAX_SPELLINGS = 16
_RETROFLEX = re.compile(r"^([zcs])h")
_BACK_NASAL = re.compile(r"(?<=[aeio])ng$")
#: interjections (嗯 "ng", 呣 "m"): no name is cut into them
_NOT_NAME = frozenset(("n", "ng", "m", "hm", "hng", "r"))


def sound_key(syllable: str) -> str:
    """A syllable as southern Mandarin says it: zh/ch/sh as z/c/s, -ng as -n ("zhong" ->
    "zon")."""
    return _BACK_NASAL.sub("n", _RETROFLEX.sub(r"\1", syllable))


@lru_cache(maxsize=4096)
def _cuts(word: str) -> tuple[tuple[str, ...], ...]:
    """Every way of cutting ``word`` into pinyin syllables ("xian": xian, xi-an); none when the
    word is no run of pinyin syllables ("sinopack")."""
    if not word.isascii() or not word.isalpha() or len(word) > MAX_LETTERS:
        return ()
    syllables = pinyin_syllables()
    cuts: list[list[tuple[str, ...]]] = [[] for _ in range(len(word) + 1)]
    cuts[0] = [()]
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):  # "zhuang", "chuang": six letters at most
            part = word[start:end]
            if cuts[start] and part in syllables and part not in _NOT_NAME:
                cuts[end] += [(*c, part) for c in cuts[start]]
    return tuple(cuts[-1])


def sound_keys(word: str) -> frozenset[tuple[str, ...]]:
    """The cuts of ``word`` into pinyin syllables, each syllable as its :func:`sound_key`."""
    return frozenset(tuple(map(sound_key, c)) for c in _cuts(word))


@lru_cache(maxsize=4096)
def sound_spellings(word: str) -> tuple[str, ...]:
    """Other spellings of a pinyin name as southern speakers write it ("zhongsheng" ->
    "zongsheng", "zhongshen", "zongshen" ...), at most :data:`MAX_SPELLINGS`: the index looks
    them up, since a spelling distance finds no list name spelt so."""
    syllables = pinyin_syllables()
    out: dict[str, None] = {}
    for cut in _cuts(word):
        options = [[x for x in _spoken(sy) if x in syllables] for sy in cut]
        for combo in itertools.product(*options):
            if (alt := "".join(combo)) != word:
                out[alt] = None
            if len(out) >= MAX_SPELLINGS:
                return tuple(out)
    return tuple(out)


def _spoken(syllable: str) -> tuple[str, ...]:
    """A syllable and its spellings with the other initial (zh/z ...) and nasal (-n/-ng)."""
    initials = {syllable, _RETROFLEX.sub(r"\1", syllable)}
    if syllable[:1] in "zcs" and syllable[1:2] != "h":
        initials.add(syllable[0] + "h" + syllable[1:])
    out = set(initials)
    for x in initials:
        if x.endswith("ng"):
            out.add(x[:-1])
        elif x.endswith("n"):
            out.add(x + "g")
    return tuple(sorted(out, key=lambda x: (x != syllable, x)))


def same_sound(a: str, b: str) -> bool:
    """Two spellings of one pinyin name as southern speakers write it ("yingke" / "yinke",
    "zhongsheng" / "zongshen"), not two names alike in letters ("suochen" / "sichuan")."""
    return a == b or not sound_keys(a).isdisjoint(sound_keys(b))


def by_rule(a: str, b: str, sim: float, glossary_word: bool, proper: bool) -> float:
    """The similarity ``sim`` of two words, kept only where a spelling difference can be one
    name's: a glossary word (:attr:`NameForm.fixed <exportcheck.screen.normalize.NameForm>`)
    differs from a list word only by a slip or as "12th" / "12"; a proper name read by rule
    (``proper``) by a slip or as :func:`same_sound` ("science" / "silence" and "suochen" /
    "sichuan" score 0)."""
    if sim >= 1 or one_slip(a, b):
        return sim
    if glossary_word:
        # a number's likeness is token_sim's to judge ("12th" / "12": the same number)
        return sim if any(ch.isdigit() for ch in a + b) else 0.0
    if proper:
        return sim if same_sound(a, b) else 0.0
    return sim
