"""Similarity of two words of a name, 0-1: the token-level half of :mod:`exportcheck.screen.scorer`.

Why apart: the rules for one word (initials, nicknames, romanisation variants, Arabic-script
skeletons, numbers, one typing slip) are used by the scorer and by candidate generation
(:mod:`exportcheck.screen.index`: skeletons, variant keys, weights), and are tested alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import OSA

from exportcheck.screen import vowels
from exportcheck.screen.normalize import nicknames
from exportcheck.screen.weights import org_factors

#: below this a token pair does not count as matched at all
MIN_TOKEN_SIM = 0.6
#: an initial matched to a name ("V." = "Vladimir")
INITIAL_SIM = 0.5
#: an organisation word of five letters or more spelt with one slip (a letter added, dropped,
#: changed or two swapped: "Wallmart", "Appel", "Citygroup") is the same word misspelt: it
#: scores this, and a one-word name so misspelt is not marked down by ONE_WORD_FUZZY
ONE_SLIP_SIM = 0.9
ONE_SLIP_MIN_LEN = 7
#: the most a Latin word scores against an Arabic-script one whose written long vowels it
#: lacks ("Hamid" / حمود Hamud): below WEAK_SIM, as other names are (scorer)
WRITTEN_VOWEL_MISSING_SIM = 0.75
#: the similarity of two romanisations of one name (:func:`variant_key`)
VARIANT_SIM = 0.9
#: the similarity of a given name and its usual short form ("Ted"/"Theodore", "Bill"/"William");
#: the match is of its own kind, ``nickname``, capped like a partial match
NICK_SIM = 0.85
#: the similarity of a name and its other-gender form ("Antonio"/"Antonia"): a weak pair
GENDER_SIM = 0.7
_VOWELS = re.compile(r"[aeiouy]+")
_VOWEL_SET = frozenset("aeiouy")
_DOUBLE = re.compile(r"(.)\1+")
_DIGIT = re.compile(r"\d")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)$")
_ARABIC_LETTER = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
_SON_OF = frozenset(("bin", "ibn", "ben"))
#: the Arabic article as English and French romanisations write it
ARTICLES = frozenset(("al", "el"))


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """Consonant skeleton: 'muhammad' and 'mohamed' -> 'mhmd'; Arabic script loses vowels."""
    return _DOUBLE.sub(r"\1", _VOWELS.sub("", token[0] + _VOWELS.sub("", token[1:])
                                          if token[:1] not in "aeiouy" else token[1:]))


@lru_cache(maxsize=200_000)
def weight(token: str) -> float:
    """A word's weight: its length (capped), so a score is a share of the name's letters."""
    return float(min(len(token), 10)) if token.isascii() else 2.0


@lru_cache(maxsize=200_000)
def org_weight(token: str) -> float:
    """In an organisation name, the length weight times how distinctive the word is."""
    return weight(token) * org_factors().get(token, 1.0)


#: letters Arabic script lacks, as it writes foreign names: p as b, v as f ("بيريز" Pérez)
_ARABIC_LACKS = str.maketrans("pv", "bf")


def _abjad_skeleton(token: str) -> str:
    return skeleton(token).translate(_ARABIC_LACKS)


_SIM_CACHE: dict[tuple[str, str, bool, frozenset | None], float] = {}
_SIM_CACHE_MAX = 2_000_000


def token_sim(a: str, b: str, abjad: bool = False,
              frames: frozenset | None = None) -> float:
    """Similarity of two tokens in [0, 1] (memoised: list tokens recur across queries).

    ``frames``: ``a`` is a word read from Arabic script, written with these long vowels
    (:mod:`exportcheck.screen.vowels`), and ``b`` a Latin one: a skeleton match needs them."""
    if a == b:
        return 1.0
    key = (a, b, abjad, frames)
    sim = _SIM_CACHE.get(key)
    if sim is None:
        if len(_SIM_CACHE) > _SIM_CACHE_MAX:
            _SIM_CACHE.clear()
        sim = _SIM_CACHE[key] = _token_sim(a, b, abjad, frames)
    return sim


def _token_sim(a: str, b: str, abjad: bool, frames: frozenset | None = None) -> float:
    """Similarity of two tokens in [0, 1]; 0 when they should not count as the same word."""
    if not (a.isascii() and b.isascii()):
        # Han characters and Hangul syllables compare exactly; Arabic-script words, written
        # without short vowels, may differ by one letter in six or more: a shorter word so
        # changed is another name (سلمان Salman / سلطان Sultan, حسن Hasan / حسين Husayn)
        if (len(a) >= 6 and len(b) >= 6 and _ARABIC_LETTER.match(a) and _ARABIC_LETTER.match(b)
                and OSA.distance(a, b) == 1):
            return OSA.normalized_similarity(a, b)
        return 0.0
    if _DIGIT.search(a) or _DIGIT.search(b):
        # numbers are identifiers: 11420 is not 11421; but "12th" is 12
        return VARIANT_SIM if _ORDINAL.sub("", a) == _ORDINAL.sub("", b) else 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        # an initial; a name read from Arabic script has none (a lone letter there is a
        # romanisation artefact: آلاء الجابر read "a al-Jabir" is not "Ayman Jabir")
        return INITIAL_SIM if a[0] == b[0] and not abjad else 0.0
    if b in nicknames().get(a, ()):
        return NICK_SIM
    if a in _SON_OF and b in _SON_OF:
        return VARIANT_SIM  # "Ben Ali" / "Bin Ali": "son of" as the Maghreb and the Gulf write it
    if a in ARTICLES and b in ARTICLES:
        return VARIANT_SIM  # "el-Assad" / "al-Assad": the Arabic article, French or English
    # a skeleton match is a near-identity only if the long vowels written in Arabic script
    # are there in the Latin word ("Hosna" حسنا is not "Hussein")
    skeleton_ok = frames is None or vowels.fits(frames, b)
    if abjad and skeleton_ok:
        sk = _abjad_skeleton(a)
        if (sk == _abjad_skeleton(b) and (len(sk) > 1 or _same_onset(a, b))
                and not consonants(a).isdisjoint(consonants(b))):
            return 0.9
    sim = OSA.normalized_similarity(a, b)
    if (min(la, lb) <= 4 and abs(la - lb) == 1 and (a.startswith(b) or b.startswith(a))
            and a[-1] != b[-1]):
        # "li"/"lim", "chan"/"chang", "wan"/"wang": a letter more is another name (a doubled
        # last letter, "lam"/"lamm", is a typo)
        return 0.0
    if min(la, lb) <= 3:
        return sim if sim >= 0.66 else 0.0
    if _gender_pair(a, b):
        return GENDER_SIM  # "Robert"/"Roberta", "Antonio"/"Antonia": two given names
    if sim < VARIANT_SIM and min(la, lb) >= 4 and variant_key(a) == variant_key(b):
        # one name in two romanisations: Osama/Usama, Ladin/Laden, Rohani/Rouhani
        return VARIANT_SIM
    if sim < VARIANT_SIM and (_german_as(a, b) or _german_as(b, a)):
        return VARIANT_SIM  # Selenskyj / Zelenskyy, Chodorkowski / Khodorkovsky
    if (sim < 0.85 and min(la, lb) >= 5 and skeleton_ok and len(skeleton(a)) >= 4
            and skeleton(a) == skeleton(b)):
        # transliteration variant: Mohammed / Muhammad (three consonants are too few to tell:
        # Brian / Byron, Marin / Moreno)
        sim = max(sim, 0.8)
    if not skeleton_ok:
        # a vowel the Arabic script writes is not there: another name, not a typing slip
        sim = min(sim, WRITTEN_VOWEL_MISSING_SIM)
    elif abjad and sim > OTHER_CONSONANT_SIM and consonants(a).isdisjoint(consonants(b)):
        # Arabic script writes every consonant: one more or another is another name (قاضی
        # "Qadi" is not "Qadri", مالك "Malik" not "Mamluk", وسيم "Wasim" not "Qasim")
        sim = OTHER_CONSONANT_SIM
    return sim if sim >= MIN_TOKEN_SIM else 0.0


#: the most a word read from Arabic script and a Latin word with other consonants score: below
#: WEAK_SIM (scorer), so such a word costs what a misspelt one does
OTHER_CONSONANT_SIM = 0.65
#: Latin spellings of one Arabic consonant folded together, loosely: a spelling the lists use
#: for the letter must not count as another consonant (ك/ق/خ k, q, kh, ch; ج j, g, dj; ز/ض/ظ/ذ
#: z, d, dh; و/ی as w, v, y or a vowel; h, which lists write in digraphs or drop)
_CONSONANT_STEPS = (
    (re.compile(r"c(?=[eiy])"), "s"),  # French: Lounici
    (re.compile(r"h"), ""),  # kh, sh, th, dh, gh or a letter of its own: lists differ
    (re.compile(r"dj"), "j"), (re.compile(r"[qkc]"), "k"), (re.compile(r"z"), "d"),
    (re.compile(r"g"), "j"), (re.compile(r"p"), "b"), (re.compile(r"[vwy]"), ""),
    (re.compile(r"(.)\1+"), r"\1"), (re.compile(r"[aeiou']+"), ""),
)


@lru_cache(maxsize=200_000)
def consonants(token: str) -> frozenset[str]:
    """The consonants of a romanised Arabic or Persian name as the script writes them, with
    the usual Latin spellings of one letter folded (:data:`_CONSONANT_STEPS`): "lakhal" and
    "lakahal" are both l-k-l, "qadi" (k-d) is not "qadri" (k-d-r). "ch" is read both as k (German,
    Dari: Barich) and as s (French: Chabani). Doubled letters count once, as a shadda."""
    keys = set()
    for t in {token.replace("ch", "k"), token.replace("ch", "s")}:
        for pattern, repl in _CONSONANT_STEPS:
            t = pattern.sub(repl, t)
        keys.add(t)
    return frozenset(keys)


def _same_onset(a: str, b: str) -> bool:
    """Both words open with a vowel, or with the same letter: a skeleton of one consonant is
    too little on its own ("Ali" is not "Li", though both are l)."""
    return a[:1] == b[:1] or (a[:1] in _VOWEL_SET and b[:1] in _VOWEL_SET)


@lru_cache(maxsize=200_000)
def one_slip(a: str, b: str) -> bool:
    """One typing slip apart (OSA distance 1) after the same first letter, both words of
    ONE_SLIP_MIN_LEN letters or more, letters only: shorter words are too often other words
    ("Avia"/"Avila", "Simon"/"Timon"), and a changed final vowel is another form of a name
    ("Alexandre"/"Alexandra"), not a slip."""
    return (min(len(a), len(b)) >= ONE_SLIP_MIN_LEN and a[0] == b[0] and a.isascii()
            and b.isascii() and a.isalpha() and b.isalpha() and OSA.distance(a, b) == 1
            and not (len(a) == len(b) and a[-1] != b[-1] and a[-1] in _VOWEL_SET
                     and b[-1] in _VOWEL_SET))


@lru_cache(maxsize=200_000)
def vowel_variant(a: str, b: str) -> bool:
    """Two spellings of one long word that differ only in vowels (the same consonants in the
    same order, between the same first and last letters): transliterations of an Arabic or
    Persian name write its short vowels as they like, "Hezbollah" / OFAC's "HIZBALLAH". Seven
    letters and five consonants at least: shorter words share their consonants by chance; and
    a changed final vowel is another form of a name ("Alexandre" / "ALEXANDRA"), as for
    :func:`one_slip`."""
    if not (min(len(a), len(b)) >= ONE_SLIP_MIN_LEN and a[0] == b[0] and a[-1] == b[-1]
            and a != b
            and a.isascii() and b.isascii() and a.isalpha() and b.isalpha()):
        return False
    sa = skeleton(a)
    return len(sa) >= 5 and sa == skeleton(b)


_VARIANT_STEPS = (
    # Latvian and Lithuanian give a Slavic name their own endings: Sergejs / Sergejus Lavrovs /
    # Lavrovas is Sergey Lavrov (-ins and -is are left alone: Minas, Jenkins are names)
    (re.compile(r"(?:(?<=[oe]v)a?|(?<=j)u?)s$"), ""),
    (re.compile(r"(?<=\w{3}[aeiou])j$"), "y"),  # й written j (German, Latvian): Sergej, Nikolaj
    (re.compile(r"(.)\1+"), r"\1"),  # Hassan / Hasan
    (re.compile(r"(?<=[^aeiou])(?:ay|ai|ei|ey)(?=[^aeiou]|$)"), "ai"),  # Husayn / Hussein
    (re.compile(r"ou|oo|o"), "u"),  # Rouhani / Rohani, Mahmood / Mahmoud, Osama / Usama
    (re.compile(r"ee|ie|e|y(?=[^aeiou]|$)"), "i"),  # Laden / Ladin, Yusef / Yousif
    (re.compile(r"zh|dj"), "j"),  # Ahmadinezhad / Ahmadinejad, Abdelmadjid / Abdelmajid
    (re.compile(r"ph"), "f"),
    (re.compile(r"q"), "k"),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=200_000)
def variant_key(token: str) -> str:
    """The spelling of a romanised name with the usual English/French variations of Arabic,
    Persian and Russian romanisation folded: o/u and e/i vowels, doubled letters, zh/dj = j,
    q = k, a final j = y, Baltic endings. Two names with one key are one name written two
    ways."""
    key = token
    for pattern, repl in _VARIANT_STEPS:
        key = pattern.sub(repl, key)
    return key


_GERMANISH = re.compile(r"w|sch|^j[aeiou]|[iy]j$")
_GERMAN = re.compile(r"tsch|sch|ch|w|z|^j(?=[aeiou])|(?<=[iy])j$")
_GERMAN_SOUNDS = {"tsch": "ch", "sch": "sh", "ch": "kh", "w": "v", "z": "ts", "j": "y"}
GERMAN_MIN_LEN = 5


@lru_cache(maxsize=200_000)
def german_reading(token: str) -> str | None:
    """A Russian or Ukrainian name written the German way (Duden), respelt the English way:
    "wolodymyr" -> "volodymyr", "chodorkowski" -> "khodorkovski", "juschtschenko" ->
    "yushchenko", "jelzin" -> "yeltsin"; None for a word with none of the German spellings or
    shorter than GERMAN_MIN_LEN letters (Chinese "wu", "wang" are not German "Vu", "Vang")."""
    if len(token) < GERMAN_MIN_LEN or not token.isascii() or not _GERMANISH.search(token):
        return None
    return _GERMAN.sub(lambda m: _GERMAN_SOUNDS[m.group()], token)


def _sz(key: str) -> str:
    return key.replace("z", "s")


def _german_as(a: str, b: str) -> bool:
    """``a`` read the German way is ``b``: German writes both з and с as s ("Selenskyj",
    "Sergej"), so s and z are one letter here."""
    reading = german_reading(a)
    return reading is not None and _sz(variant_key(reading)) == _sz(variant_key(b))


def _gender_pair(a: str, b: str) -> bool:
    """Masculine and feminine forms of one given name: the same stem of four letters or
    more, ending in -o/-a or with an -a added ("Robert"/"Roberta", "Mario"/"Maria")."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) < 5:
        return False
    if len(b) == len(a) + 1:
        return b[-1] == "a" and b.startswith(a) and a[-1] not in "aeiouy"
    return (len(a) == len(b) and a[:-1] == b[:-1] and {a[-1], b[-1]} == {"a", "o"})
