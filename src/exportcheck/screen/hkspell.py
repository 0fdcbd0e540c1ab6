"""Hong Kong spellings of one Cantonese syllable that name the same sound.

The Hong Kong Government romanisation is not one system: immigration officers wrote what they
heard, so 基 is "Kei" on one HKID card and "Ki" on another, 超 "Chiu" or "Chio", 曾 "Tsang" or
"Tsaang", 楊 "Yeung" or "Yang". When a Han-script query is read in Cantonese and compared with a
Latin list name, those spellings are equal. Only used for Cantonese readings, never for Latin
queries against Latin names ("Ki" and "Kei" may be different people there; here the characters
settle it).

Rules (applied to whole tokens, which may be several syllables joined: "kwokkei" = "kwokki"):

- "ei" after a consonant = "i"                    基 kei/ki, 希 hei/hi, 美 mei/mi, 李 lei/li
- "io" (not before n/ng) = "iu"                    超 chio/chiu, 少 sio/siu
- "aa" = "a"                                        曾 tsaang/tsang, 華 waa/wa
- "yeung" = "yang"                                  楊 yeung/yang
- "ee" at a syllable end = "i"                      李 lee/li, 詩 see/si, 記 kee/kei
- "ck" and "ook" before a consonant or at the end = "k" and "uk", as firms spell them
                                                    益 yick/yik, 樂 lock/lok, 福 fook/fuk
- in a firm's name only (:func:`firm_key`), "sun" = "san": firms write 新 san1 "Sun" (新鴻基
  Sun Hung Kai), while an identity card spells 新 "San" and 信 seon3 "Sun", two names
- and the other spellings chinese.jyutping_to_hk gives for one sound: ts/ch, sh/s, tsz/chi,
  sze/si, ow/au, oon/un, or/oh/o, ah/a, yue/yu, consonant + yu/u
"""

from __future__ import annotations

import re
from functools import lru_cache

_RULES = (
    (re.compile(r"aa"), "a"),
    (re.compile(r"yeung"), "yang"),
    (re.compile(r"(?<=[a-z])ei"), "i"),
    (re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])yu"), "u"),
    (re.compile(r"io(?!n)"), "iu"),
    (re.compile(r"(?<=[a-z])ee(?![aeiou])"), "i"),
    (re.compile(r"(?<=[aeiou])ck(?![aeiou])"), "k"),
    (re.compile(r"ook(?![aeiou])"), "uk"),
    # the spellings jyutping_to_hk gives for one Jyutping sound (chinese._FINALS, _SPECIAL)
    (re.compile(r"tsz|sze|shi"), lambda m: "chi" if m.group(0) == "tsz" else "si"),
    (re.compile(r"ts"), "ch"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"ow(?![aeiou])"), "au"),
    (re.compile(r"oon"), "un"),
    (re.compile(r"o[rh](?![aeiou])"), "o"),
    (re.compile(r"yue(?!n)"), "yu"),
    (re.compile(r"(?<=[a-z])ah(?![aeiou])"), "a"),
)
#: single-syllable spellings to look up in the index for a Cantonese reading
_ALTERNATIVES = {"ki": ("kei",), "kei": ("ki",), "hi": ("hei",), "hei": ("hi",),
                 "mi": ("mei",), "mei": ("mi",), "chiu": ("chio",), "chio": ("chiu",),
                 "siu": ("sio",), "sio": ("siu",), "tsang": ("tsaang",), "tsaang": ("tsang",),
                 "yeung": ("yang",), "yang": ("yeung",), "li": ("lee", "lei"),
                 "lee": ("li", "lei"), "lei": ("li", "lee"), "ni": ("nei",), "nei": ("ni",),
                 "fei": ("fi",), "pei": ("pi",), "kiu": ("kio",), "kio": ("kiu",),
                 # firms' spellings (Wai Kee, Tsang Yick, Sun Tak, Fook Hing, Lock Kee)
                 "kee": ("kei", "ki"), "yik": ("yick",), "yick": ("yik",), "lok": ("lock",),
                 "lock": ("lok",), "fuk": ("fook",), "fook": ("fuk",), "sik": ("sick",),
                 "san": ("sun",), "sun": ("san",), "yi": ("yee",), "yee": ("yi",)}


@lru_cache(maxsize=50_000)
def hk_key(token: str) -> str:
    """One spelling per sound: tokens with the same key are the same Cantonese syllables."""
    for pattern, repl in _RULES:
        token = pattern.sub(repl, token)
    return token


def firm_key(token: str) -> str:
    """:func:`hk_key` for a syllable of a firm's name, where "Sun" also writes 新 san1."""
    key = hk_key(token)
    return "san" if key == "sun" else key


@lru_cache(maxsize=1)
def _spellings() -> dict[str, tuple[str, ...]]:
    """spelling -> every spelling of the Jyutping syllables it can write."""
    from exportcheck.screen.chinese import _FINALS, _INITIALS, _SPECIAL, jyutping_to_hk

    groups = [jyutping_to_hk(i + f) for i in _INITIALS for f in _FINALS]
    groups += [jyutping_to_hk(sp) for sp in _SPECIAL]
    out: dict[str, set[str]] = {}
    for g in groups:
        for sp in g:
            out.setdefault(sp, set()).update(g)
    for sp, alts in _ALTERNATIVES.items():
        out.setdefault(sp, set()).update(alts)
    return {sp: tuple(sorted(alts - {sp})) for sp, alts in out.items()}


def hk_spellings(token: str) -> tuple[str, ...]:
    """Other Hong Kong spellings of a one-syllable token (for index look-ups): "chau" ->
    "chow", "tsau"...; a Han query is read once and its other spellings looked up here."""
    return _spellings().get(token, ())


@lru_cache(maxsize=1)
def _syllables() -> frozenset[str]:
    from exportcheck.screen.chinese import _FINALS, _INITIALS, _SPECIAL

    out = {i + f for inits in _INITIALS.values() for i in inits
           for fins in _FINALS.values() for f in fins}
    out.update(s for spellings in _SPECIAL.values() for s in spellings)
    out.update(a for alts in _ALTERNATIVES.values() for a in alts)
    return frozenset(out)


#: one Mandarin syllable in pinyin without tones (initial + final)
_PINYIN = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|iao"
                     r"|ian|uai|uan|ai|ei|ui|ao|ou|iu|ie|ve|ue|er|an|en|in|un|vn|ia|ua|uo"
                     r"|a|o|e|i|u|v)")


def is_hk_syllable(token: str) -> bool:
    """Could ``token`` be one syllable of a Chinese name, in a Hong Kong spelling or in pinyin?
    "john", "carrie" and "regina" cannot: on a Hong Kong name they are the English given name,
    which the Chinese name never carries."""
    return token in _syllables() or _PINYIN.fullmatch(token) is not None
