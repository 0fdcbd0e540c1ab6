"""Latin forms of names written in Arabic script (Arabic, Persian, Pashto, Urdu), Cyrillic or
Hangul, spelt the way sanctions lists spell them.

Why: lists print most names in Latin only, so a name queried in its own script must be
romanised the way list compilers romanise it, not letter by letter (anyascii gives "mhsn khdr
lkhfjy" for محسن خضر الخفاجي, with the article glued on and no vowels).

* Arabic script (:mod:`exportcheck.screen.arabic`): no short vowels; known name words come
  from a reviewed table (``data/arabic_names.json``), name elements (the article, ʿAbd al-X,
  X ad-Din, X-ullah) are spelt in the English, French (Maghreb) and South Asian styles lists
  use, one style per form; the forms carry ``script="abjad"``, so the scorer compares them by
  consonant skeleton, where the guessed vowels do not count.
* Cyrillic: ICAO Doc 9303 (passports) and BGN/PCGN (iuliia), and anyascii's spelling; a name
  that may be Ukrainian also in Ukraine's national system and BGN/PCGN's Ukrainian table
  (Володимир Зеленський: "Volodymyr Zelenskyi", "Volodymyr Zelenskyy").
* Hangul: the DPRK's own spelling (McCune-Reischauer without breves: "Kim Jong Un", "Ri",
  "Choe Ryong Hae"), the Revised Romanization (South Korea since 2000) and the South Korean
  everyday spelling ("Lee", "Park", "Jung", "Young"), with a table of surnames. A given name
  is one token ("jongun"): the scorer joins a list's "Jong Un" / "Jong-un" to compare.

Each name gives at most :data:`MAX_FORMS` romanised forms, and a Hangul or Arabic-script name
one more in its own letters (:data:`LETTER_FORMS`), for comparing it with a name written in the
same script.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from exportcheck.errors import InvalidInput
from exportcheck.screen import vowels
from exportcheck.screen.arabic import ARABIC_RE, arabic_key, arabic_sequences
from exportcheck.screen.normalize import HAN_RE, NameForm, fold_text, opening_titles, split_legal

MAX_FORMS = 8
_DATA = Path(__file__).with_name("data")
CYRILLIC_RE = re.compile(r"[\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f]")
HANGUL_RE = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]")
_TOKEN = re.compile(r"[^\s\-‐-―_/,;:.()\[\]{}«»\"'،؛]+")

#: one unit of a name: the ways of writing it, each a tuple of Latin tokens, best first
Alternatives = list[tuple[str, ...]]


def script_forms(name: str, person: bool | None = None) -> tuple[NameForm, ...]:
    """Latin forms of a name with Arabic-script, Cyrillic or Hangul letters; ``()`` when it has
    none (or nothing survives romanisation), so the caller falls back to plain folding.

    Tokens in other scripts (Latin, digits) are folded as usual and kept in every form."""
    if not isinstance(name, str):
        raise InvalidInput(f"name must be a string, got {type(name).__name__}", field="name")
    text = unicodedata.normalize("NFKC", name)
    if not HANGUL_RE.search(text) and ARABIC_RE.search(text):
        return _with_letters(_abjad_forms(text, person), text, "arabic")
    if HANGUL_RE.search(text):
        units, script = _hangul_units(text), "hangul"
    elif CYRILLIC_RE.search(text):
        units, script = _cyrillic_units(text), "cyrillic"
    else:
        return ()
    units = [u for u in units if u]
    if not units:
        return ()
    combos = combine(units, MAX_FORMS, diagonal=script != "hangul")
    uk_only = script == "cyrillic" and bool(_UKRAINIAN_ONLY.search(text))
    if uk_only or (script == "cyrillic" and len(units) <= 4 and not _RUSSIAN_ONLY.search(text)):
        # a Ukrainian name ("Володимир Зеленський": Volodymyr Zelenskyy, not Volodimir
        # Zelenskii), first when only Ukrainian has its letters (і ї є ґ: "Юлія"); a name of
        # up to four words without Russian's own letters (ё ы э ъ) may be either
        ukr = combine(_cyrillic_units(text, ukrainian=True), 2)
        combos = ukr + combos if uk_only else combos[:MAX_FORMS - 2] + ukr
    forms: list[NameForm] = []
    for combo in combos:
        tokens = [t for part in combo for t in part.split()]  # table entries like "abu bakr"
        if person is not False and len(tokens) > 2 and tokens[0] in opening_titles(person):
            tokens = tokens[1:]
        # legal forms only in Cyrillic ("ООО", "АО"): "sad" (Saad) is a name, not an S.A.D.
        core, legal = split_legal(tokens) if script == "cyrillic" else (tuple(tokens), ())
        if core:
            forms.append(NameForm(core, legal, script))
    forms = list(dict.fromkeys(forms))[:MAX_FORMS]
    return _with_letters(tuple(forms), text, "hangul") if script == "hangul" else tuple(forms)


#: the form that keeps a name's own letters, per script (Han's come from :mod:`chinese`): two
#: names written in one of these scripts compare by their letters, not by romanisations that
#: may coincide (김종은 and 김정은 are both "Kim Jong Un" to a romaniser without breves; Persian
#: script leaves out the vowels a romaniser guesses: عارف and آصف both read "Asif"/"Arif")
LETTER_FORMS = {"han": "han", "hangul": "hangul_letters", "arabic": "arabic_letters"}


def native_script(name: str) -> str:
    """"han", "hangul" or "arabic" for a name written in that script, else ""."""
    if HAN_RE.search(name):
        return "han"
    if HANGUL_RE.search(name):
        return "hangul"
    return "arabic" if ARABIC_RE.search(name) else ""


def letters_apply(q_form: str, q_native: str, c_form: str, c_native: str) -> bool:
    """Whether a query form and a list-name form are to be compared: two names written in one
    script (Han, Hangul, Arabic) compare by their letters only, as their romanisations may
    coincide; other pairs by their romanisations only."""
    letters = LETTER_FORMS.get(q_native) if q_native and q_native == c_native else None
    if letters:
        return q_form == c_form == letters
    return q_form not in _LETTER_SCRIPTS and c_form not in _LETTER_SCRIPTS


_LETTER_SCRIPTS = frozenset(LETTER_FORMS.values())


def _with_letters(forms: tuple[NameForm, ...], text: str, script: str) -> tuple[NameForm, ...]:
    """``forms`` and the form in the name's own letters: Hangul syllables one token each (a
    syllable is the unit of a Korean name, in any order: "정은 김" = "김정은"), Arabic-script
    words with their letter variants folded (أ/إ/آ = ا, ی = ي, ک = ك, ة = ه) and the
    zero-width non-joiner dropped ("پزشک‌فر")."""
    tokens: list[str] = []
    for w in _TOKEN.findall(text):
        if script == "hangul" and HANGUL_RE.search(w):
            tokens += [c for c in w if 0xAC00 <= ord(c) <= 0xD7A3]
        elif script == "arabic" and ARABIC_RE.search(w):
            if key := arabic_key(w.replace("\u200c", "")):
                tokens.append(key)
        else:
            tokens += fold_text(w).split()
    if not tokens or not forms:
        return forms
    return (*forms, NameForm(tuple(tokens), (), LETTER_FORMS[script]))


def _abjad_forms(text: str, person: bool | None) -> tuple[NameForm, ...]:
    """Forms of an Arabic-script name (:func:`~exportcheck.screen.arabic.arabic_sequences`)."""
    forms: list[NameForm] = []
    with vowels.collecting() as seen:
        sequences = arabic_sequences(text, MAX_FORMS)
    written = vowels.frozen(seen)
    for tokens, translated in sequences:
        if person is not False and len(tokens) > 2 and tokens[0] in opening_titles(person):
            tokens = tokens[1:]
        # the legal form only in the English rendering: "sad" (Saad) is a name, not an S.A.D.
        core, legal = split_legal(list(tokens)) if translated else (tokens, ())
        if core:
            forms.append(NameForm(core, legal, "abjad", written))
    return tuple(dict.fromkeys(forms))[:MAX_FORMS]


def combine(units: list[Alternatives], cap: int = MAX_FORMS,
            diagonal: bool = True) -> list[tuple[str, ...]]:
    """Whole-name token sequences from per-unit alternatives, at most ``cap`` of them.

    Why this order: a list writes a name in one style throughout, so the "diagonals" (every
    unit's k-th way, when ``diagonal``) come first; then combinations by total rank, so one
    unit written its second way is tried before two are."""
    sizes = [len(u) for u in units]
    picks: list[tuple[int, ...]] = [tuple(min(k, s - 1) for s in sizes)
                                    for k in range(max(sizes) if diagonal else 0)]
    start = tuple(0 for _ in sizes)
    heap: list[tuple[int, tuple[int, ...]]] = [(0, start)]
    seen = {start}
    while heap and len(dict.fromkeys(picks)) < cap * 2:
        rank, pick = heapq.heappop(heap)
        picks.append(pick)
        for i, s in enumerate(sizes):
            if pick[i] + 1 < s:
                nxt = (*pick[:i], pick[i] + 1, *pick[i + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (rank + 1, nxt))
    out: dict[tuple[str, ...], None] = {}
    for pick in picks:
        chosen = (u[i] for u, i in zip(units, pick, strict=True))
        out[tuple(itertools.chain.from_iterable(chosen))] = None
        if len(out) >= cap:
            break
    return list(out)


def _latin_unit(token: str) -> Alternatives:
    folded = fold_text(token)
    return [tuple(folded.split())] if folded else []


# -- Cyrillic ------------------------------------------------------------------------------
_RUSSIAN_ONLY = re.compile(r"[ёыэъЁЫЭЪ]")
_UKRAINIAN_ONLY = re.compile(r"[іїєґІЇЄҐ]")
#: Ukrainian letters as both systems spell them (the soft sign is not written)
_UK_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "",
}
#: є ї й ю я: at the start of a word / elsewhere in the national system; always the first in
#: BGN/PCGN
_UK_IOTATED = {"є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"), "ю": ("yu", "iu"),
               "я": ("ya", "ia")}


def ukrainian_spellings(word: str) -> tuple[str, str]:
    """A Ukrainian word in the national system (KMU 2010, passports: "Zelenskyi") and in
    BGN/PCGN (lists: "Zelenskyy")."""
    national, bgn = [], []
    low = word.lower()
    for i, ch in enumerate(low):
        if ch in _UK_IOTATED:
            start, inside = _UK_IOTATED[ch]
            national.append(start if i == 0 else inside)
            bgn.append(start)
        elif ch == "г" and i and low[i - 1] == "з":
            national.append("gh")  # зг: "Zghurskyi"
            bgn.append("h")
        else:
            spelt = _UK_LETTERS.get(ch, ch)
            national.append(spelt)
            bgn.append(spelt)
    return "".join(national), "".join(bgn)


def _cyrillic_units(text: str, ukrainian: bool = False) -> list[Alternatives]:
    import iuliia

    units: list[Alternatives] = []
    for w in _TOKEN.findall(text):
        if not CYRILLIC_RE.search(w):
            units.append(_latin_unit(w))
            continue
        alts: list[tuple[str, ...]] = []
        spellings = (ukrainian_spellings(w) if ukrainian else (
            iuliia.ICAO_DOC_9303.translate(w), iuliia.BGN_PCGN.translate(w), w))
        for spelt in spellings:
            folded = tuple(fold_text(spelt).split())
            if folded and folded not in alts:
                alts.append(folded)
        units.append(alts)
    return units


# -- Hangul --------------------------------------------------------------------------------
def _seq(spaced: str) -> tuple[str, ...]:
    return tuple(spaced.split())


_RR_INITIAL = _seq("g kk n d tt r m b pp s ss - j jj ch k t p h")
_DPRK_INITIAL = _seq("k kk n t tt r m p pp s ss - j jj ch kh th ph h")
_RR_VOWEL = _seq("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_DPRK_VOWEL = _seq("a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i")
_POP_VOWEL = _seq("a ae ya yae u e yu ye o wa wae oe yo u wo we wi yu eu ui i")
_FINAL = _seq("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
#: South Korean everyday spellings of whole syllables that do not follow from the letters
_POP_SYLLABLE = {"영": "young", "희": "hee", "수": "soo", "주": "joo", "우": "woo",
                 "구": "koo", "시": "shi", "신": "shin", "심": "shim", "석": "suk"}
_SYSTEMS = ("dprk", "rr", "popular")


@lru_cache(maxsize=1)
def hangul_surnames() -> dict[str, list[str]]:
    """Korean surnames -> Latin spellings (``data/hangul_surnames.json``)."""
    return json.loads((_DATA / "hangul_surnames.json").read_text("utf-8"))["surnames"]


def hangul_syllable(syllable: str, system: str) -> str:
    """One precomposed Hangul syllable in a system ("dprk", "rr" or "popular")."""
    if system not in _SYSTEMS:
        raise ValueError(f"unknown romanisation system {system!r}: use {', '.join(_SYSTEMS)}")
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return fold_text(syllable)
    lead, vowel, tail = code // 588, code % 588 // 28, code % 28
    if system == "popular" and syllable in _POP_SYLLABLE:
        return _POP_SYLLABLE[syllable]
    initial = (_DPRK_INITIAL if system == "dprk" else _RR_INITIAL)[lead].strip("-")
    v = {"dprk": _DPRK_VOWEL, "rr": _RR_VOWEL, "popular": _POP_VOWEL}[system][vowel]
    if system == "popular":
        initial = "k" if initial == "g" else initial
        if initial == "s" and (v[:1] in ("i", "y") or v == "wi"):
            initial = "sh"
    return initial + v + _FINAL[tail].strip("-")


_VOICED = {"k": "g", "t": "d", "p": "b"}


def voiced(syllables: list[str]) -> list[str]:
    """DPRK-spelt syllables of one word with McCune-Reischauer's voicing: k, t, p after a
    vowel or n, m, ng, l are g, d, b ("man kon" -> "Man Gon", "nam chon kang" ->
    "Namchongang")."""
    out = syllables[:1]
    for prev, syl in itertools.pairwise(syllables):
        if syl[:1] in _VOICED and syl[1:2] not in ("h", "k") and (
                prev[-1:] in "aeiouymnl" or prev.endswith("ng")):
            syl = _VOICED[syl[0]] + syl[1:]
        out.append(syl)
    return out


def _hangul_units(text: str) -> list[Alternatives]:
    """Surname unit (from the table when known) and given-name unit per Hangul word."""
    surnames = hangul_surnames()
    words = _TOKEN.findall(text)
    hangul_words = [w for w in words if HANGUL_RE.search(w)]
    units: list[Alternatives] = []
    for w in words:
        syl = [c for c in w if 0xAC00 <= ord(c) <= 0xD7A3]
        if not syl:
            units.append(_latin_unit(w))
            continue
        sur_len = 0
        if len(hangul_words) == 1 and len(syl) >= 2:  # "김정은": surname first
            sur_len = 2 if len(syl) >= 4 and "".join(syl[:2]) in surnames else 1
        elif len(syl) <= 2 and "".join(syl) in surnames:  # "정은 김": a word of its own
            sur_len = len(syl)
        sur, given = "".join(syl[:sur_len]), syl[sur_len:]
        if sur:
            units.append(_surname(sur))
        if given:
            # one token: the scorer splits it where a list writes "Jong Un" or "Jong-un", and
            # a query with a second given name is not read as "Kim Yong Chol" plus extras
            alts = [("".join(hangul_syllable(s, sys_) for s in given),) for sys_ in _SYSTEMS]
            # the DPRK's given names as lists also print them, voiced ("RI, Man Gon")
            alts.insert(1, ("".join(voiced([hangul_syllable(s, "dprk") for s in given])),))
            units.append(list(dict.fromkeys(alts)))
    return units


def _surname(sur: str) -> Alternatives:
    spellings = list(hangul_surnames().get(sur, ()))
    for system in _SYSTEMS:
        spelt = "".join(hangul_syllable(s, system) for s in sur)
        if spelt not in spellings:
            spellings.append(spelt)
    return [(s,) for s in spellings[:5]]
