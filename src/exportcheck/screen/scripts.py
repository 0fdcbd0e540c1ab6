"""Latin forms of names written in Arabic script (Arabic, Persian, Pashto, Urdu), Cyrillic or
Hangul, spelt the way sanctions lists spell them.

Why: lists print most names in Latin only, so a name queried in its own script must be
romanised the way list compilers romanise it, not letter by letter (anyascii gives "mhsn khdr
lkhfjy" for محسن خضر الخفاجي, with the article glued on and no vowels).

* Arabic script has no short vowels. Known name words come from a reviewed table
  (``data/arabic_names.json``: Muhammad/Mohammed, Qasim/Kassim); name elements follow the
  ALA-LC / BGN-PCGN conventions as lists write them: the article as its own word ("al"),
  ʿAbd al-X as "Abd al X", "Abdulx" or "Abdul X", X ad-Din as "Xuddin" or "X al Din", X-Allah as
  "Xullah". Other words get a consonant spelling with a guessed "a" between consonants: the
  forms carry ``script="abjad"``, so the scorer compares them by consonant skeleton, where the
  guessed vowels do not count.
* Cyrillic: ICAO Doc 9303 (passports) and BGN/PCGN (iuliia), and anyascii's spelling.
* Hangul: the DPRK's own spelling (McCune-Reischauer without breves: "Kim Jong Un", "Ri",
  "Choe Ryong Hae"), the Revised Romanization (South Korea since 2000) and the South Korean
  everyday spelling ("Lee", "Park", "Jung", "Young"), with a table of surnames. A given name
  is one token ("jongun"): the scorer joins a list's "Jong Un" / "Jong-un" to compare.

Each name gives at most :data:`MAX_FORMS` forms.
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
from exportcheck.screen.normalize import NameForm, fold_text, split_legal

MAX_FORMS = 8
_DATA = Path(__file__).with_name("data")
ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
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
        raise InvalidInput(f"name must be a string, got {type(name).__name__}")
    text = unicodedata.normalize("NFKC", name)
    if HANGUL_RE.search(text):
        units, script = _hangul_units(text), "hangul"
    elif ARABIC_RE.search(text):
        units, script = _arabic_units(text), "abjad"
    elif CYRILLIC_RE.search(text):
        units, script = _cyrillic_units(text), "cyrillic"
    else:
        return ()
    units = [u for u in units if u]
    if not units:
        return ()
    forms: list[NameForm] = []
    for combo in combine(units, MAX_FORMS, diagonal=script != "hangul"):
        tokens = [t for part in combo for t in part.split()]  # table entries like "abu bakr"
        if person is not False and len(tokens) > 2 and tokens[0] in _title_words():
            tokens = tokens[1:]
        # legal forms only in Cyrillic ("ООО", "АО"): "sad" (Saad) is a name, not an S.A.D.
        core, legal = split_legal(tokens) if script == "cyrillic" else (tuple(tokens), ())
        if core:
            forms.append(NameForm(core, legal, script))
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


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    from exportcheck.screen.normalize import name_data

    return frozenset(p for p in name_data()["person_prefixes"] if " " not in p)


def _latin_unit(token: str) -> Alternatives:
    folded = fold_text(token)
    return [tuple(folded.split())] if folded else []


# -- Arabic script -------------------------------------------------------------------------
_HARAKAT = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
#: folding for table lookups: spelling variants of one letter that writers mix freely
_KEY_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي",
                           "ۍ": "ي", "ے": "ي", "ك": "ك", "ک": "ك", "ګ": "گ", "ة": "ه", "ۀ": "ه",
                           "ہ": "ه", "ھ": "ه", "ە": "ه", "ؤ": "و"})
_SUN = frozenset("تثدذرزسشصضطظلن")
#: letter -> consonant spellings (Arabic reading first, Persian/Urdu/Pashto second)
_CONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ب": (("b",), ("b",)), "ت": (("t",), ("t",)), "ث": (("th", "s"), ("s", "th")),
    "ج": (("j", "g"), ("j",)), "ح": (("h",), ("h",)), "خ": (("kh",), ("kh",)),
    "د": (("d",), ("d",)), "ذ": (("dh", "z", "d"), ("z", "dh")), "ر": (("r",), ("r",)),
    "ز": (("z",), ("z",)), "س": (("s",), ("s",)), "ش": (("sh",), ("sh",)),
    "ص": (("s",), ("s",)), "ض": (("d", "dh", "z"), ("z", "d")), "ط": (("t",), ("t",)),
    "ظ": (("z", "dh", "th"), ("z",)), "غ": (("gh",), ("gh",)), "ف": (("f",), ("f",)),
    "ق": (("q", "k", "g"), ("q", "gh", "k")), "ك": (("k",), ("k",)), "ک": (("k",), ("k",)),
    "ل": (("l",), ("l",)), "م": (("m",), ("m",)), "ن": (("n",), ("n",)),
    "ه": (("h",), ("h",)), "ہ": (("h",), ("h",)), "ھ": (("h",), ("h",)),
    "پ": (("p",), ("p",)), "چ": (("ch",), ("ch",)), "ژ": (("zh",), ("zh",)),
    "گ": (("g",), ("g",)), "ګ": (("g",), ("g",)), "ڤ": (("v",), ("v",)),
    "ٹ": (("t",), ("t",)), "ڈ": (("d",), ("d",)), "ڑ": (("r",), ("r",)),
    "ں": (("n",), ("n",)), "ټ": (("t",), ("t",)), "ډ": (("d",), ("d",)),
    "ړ": (("r",), ("r",)), "ږ": (("zh", "g"), ("zh", "g")), "ښ": (("sh", "kh"), ("sh", "kh")),
    "ځ": (("z",), ("z",)), "څ": (("s",), ("s",)), "ڼ": (("n",), ("n",)),
}
_ALEFS = {"ا": "a", "أ": "a", "آ": "a", "ٱ": "a", "إ": "i", "ى": "a"}
_PERSIAN = re.compile(r"[پچژگکیۍېښځڅډړږټګڼےٹڈڑںہھ]")


@lru_cache(maxsize=1)
def arabic_table() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(particles, names) of ``data/arabic_names.json``, keyed by :func:`arabic_key`."""
    raw = json.loads((_DATA / "arabic_names.json").read_text("utf-8"))
    words = {**raw.get("organisation_words", {}), **raw["names"]}
    return ({arabic_key(k): v for k, v in raw["particles"].items()},
            {arabic_key(k): v for k, v in words.items()})


def arabic_key(word: str) -> str:
    """A word as looked up in the name table: no vowel marks, one form of each letter."""
    return _HARAKAT.sub("", unicodedata.normalize("NFKC", word)).translate(_KEY_FOLD)


def _skeleton_dedupe(spellings: list[str]) -> list[str]:
    """Keep one spelling per consonant skeleton: the scorer compares abjad forms by skeleton."""
    from exportcheck.screen.scorer import skeleton

    out: dict[str, str] = {}
    for s in spellings:
        out.setdefault(skeleton(s) if len(s) > 1 else s, s)
    return list(out.values())


def _romanise_word(word: str, persian: bool) -> list[str]:
    """One Arabic-script word (no article) -> Latin spellings, best first."""
    key = arabic_key(word)
    names = arabic_table()[1]
    spellings = names.get(key) or _spell(_HARAKAT.sub("", word), persian)
    if spellings and not persian:  # the French spelling of Maghreb names: Djamel, Chaoui
        spellings = [spellings[0], _french(spellings[0]), *spellings[1:]]
    return _skeleton_dedupe(spellings)


def _french(spelling: str) -> str:
    """A spelling as French writes Arabic names: j -> dj, sh -> ch, w -> ou (Djamel, Chaker,
    Zarkaoui); ``spelling`` itself when nothing changes."""
    out = re.sub(r"(?<!d)j", "dj", spelling).replace("sh", "ch")
    return re.sub(r"w(?=[aeiu]|$)", "ou", out)


def _spell(word: str, persian: bool) -> list[str]:
    """Consonant spelling of an unknown word, with variants for ambiguous letters."""
    segs: list[tuple[str, tuple[str, ...]]] = []  # (kind C/V, spellings)
    n = len(word)
    for i, ch in enumerate(word):
        prev = word[i - 1] if i else ""
        nxt = word[i + 1] if i + 1 < n else ""
        if ch in _ALEFS:
            segs.append(("V", (_ALEFS[ch],)))
        elif ch in "وؤ":
            if ch == "ؤ":
                segs.append(("V", ("u",)))
            elif i == 0 or prev in _ALEFS or _is(nxt, "اآ"):
                segs.append(("C", ("v", "w") if persian and i == 0 else ("w",)))
            elif i == n - 1:
                segs.append(("V", ("u", "o") if persian else ("u",)))
            else:
                segs.append(("V", ("u", "aw")))
        elif ch in "يیېۍئےى":
            segs.append(("C", ("y",)) if i == 0 or _is(nxt, "اآو") else ("V", ("i",)))
        elif ch in "عء":
            segs.append(("V", ("",)) if not nxt or _is(nxt, "اآويیئ") else ("V", ("a",)))
        elif ch in "ةۀ":
            segs.append(("V", ("a",)))
        elif ch in "هہە" and i == n - 1 and i > 0 and persian and prev not in _ALEFS:
            segs.append(("V", ("a", "ah")))
        elif ch in _CONS:
            segs.append(("C", _CONS[ch][1 if persian else 0]))
        elif ch.isalpha():
            folded = fold_text(ch)
            if folded:
                segs.append(("C", (folded,)))
    if not segs:
        return []
    spelt: list[tuple[str, ...]] = []
    for j, (kind, opts) in enumerate(segs):
        if kind == "C" and j and segs[j - 1][0] == "C":
            spelt.append(("a",))
        spelt.append(opts)
    primary = "".join(o[0] for o in spelt)
    out = [primary]
    for j, opts in enumerate(spelt):  # one letter at a time in its other readings
        for alt in opts[1:]:
            out.append("".join(alt if k == j else o[0] for k, o in enumerate(spelt)))
    return [s for s in dict.fromkeys(out) if s][:4]


def _is(ch: str, letters: str) -> bool:
    return bool(ch) and ch in letters


def _arabic_units(text: str) -> list[Alternatives]:
    """Name units of an Arabic-script name, particles bound to the word they belong to."""
    persian = bool(_PERSIAN.search(text))
    words = _TOKEN.findall(_HARAKAT.sub("", text))
    units: list[Alternatives] = []
    i = 0
    while i < len(words):
        w = words[i]
        if not ARABIC_RE.search(w):
            units.append(_latin_unit(w))
            i += 1
            continue
        k = arabic_key(w)
        nk = arabic_key(words[i + 1]) if i + 1 < len(words) else ""
        if (k == "عبد" and nk == "الله") or k == "عبدالله":
            units.append([("abdullah",), ("abd", "allah")])
            i += 2 if k == "عبد" else 1
        elif k == "عبد" and nk.startswith("ال") and len(nk) > 2:
            units.append(_abd(words[i + 1][2:], persian))
            i += 2
        elif k.startswith("عبدال") and len(k) > 5:
            units.append(_abd(w[5:], persian))
            i += 1
        elif k == "ابو" and nk.startswith("ال") and len(nk) > 2 and nk != "الله":
            units.append(_abu_al(words[i + 1][2:], persian))
            i += 2
        elif k.startswith("ابوال") and len(k) > 5:
            units.append(_abu_al(w[5:], persian))
            i += 1
        elif nk == "الله" and k not in arabic_table()[0]:
            units.append(_allah(w, persian))
            i += 2
        elif k.endswith("الله") and len(k) > 4:
            units.append(_allah(w[:-4], persian))
            i += 1
        elif nk == "الدين":
            units.append(_din(w, persian))
            i += 2
        elif k.endswith("الدين") and len(k) > 5:
            units.append(_din(w[:-5], persian))
            i += 1
        elif k.startswith("وال") and len(k) > 4:  # "wal-Jihad": and + article, one word
            x = _romanise_word(w[3:], persian)[:1] or [""]
            units.append([("wal", x[0]), ("wa", "al", x[0]), ("wa", x[0])])
            i += 1
        else:
            alts = _arabic_word(w, persian)
            if w.endswith("ة") and nk.startswith("ال") and alts and len(alts[0]) == 1:
                # ta marbuta before a genitive ("Jabhat al-Nusra", "Harakat al-Jihad")
                alts.insert(1, (re.sub(r"ah?$", "", alts[0][0]) + "at",))
            units.append(alts)
            i += 1
    return units


def _arabic_word(w: str, persian: bool) -> Alternatives:
    k = arabic_key(w)
    particles, names = arabic_table()
    if k in particles:
        return [(s,) for s in particles[k]]
    if k in names or not (k.startswith("ال") and len(k) > 3):
        return [(s,) for s in _romanise_word(w, persian)]
    rest = _romanise_word(w[2:], persian)  # the article: "al-Tikriti" -> al tikriti
    if not rest:
        return [("al",)]
    # lists write the article, leave it out ("Samira Shahbandar") or write it "el"
    alts = [("al", rest[0]), (rest[0],), ("el", rest[0])]
    if persian:  # Afghan and Pakistani "Shams-ur-Rahman", "Zia-ul-Haq"
        sun = arabic_key(w)[2:3] in _SUN and rest[0][:1].isalpha()
        alts.insert(1, ("u" + (rest[0][0] if sun else "l"), rest[0]))
    for r in rest[1:]:
        alts += [("al", r), (r,)]
    return alts


def _abd(rest: str, persian: bool) -> Alternatives:
    """ʿAbd al-X: "abd al x", "abdulx", "abdul x", and "abdurx" before a sun letter."""
    xs = _romanise_word(rest, persian)
    if not xs:
        return [("abd",)]
    x = xs[0]
    alts = [("abd", "al", x), ("abdul" + x,), ("abdul", x)]
    if arabic_key(rest)[:1] in _SUN and x[:1].isalpha():
        alts.append(("abdu" + x[0] + x,))
    alts += [("abd", "al", y) for y in xs[1:]] + [("abdul" + y,) for y in xs[1:]]
    return alts


def _abu_al(rest: str, persian: bool) -> Alternatives:
    xs = _romanise_word(rest, persian)
    if not xs:
        return [("abu",)]
    return [("abu", "al", xs[0]), ("abu", xs[0]), ("abul" + xs[0],)] + [
        ("abu", "al", y) for y in xs[1:]]


def _allah(word: str, persian: bool) -> Alternatives:
    """X-Allah (Nasrallah, Hidayatullah): the ta marbuta is read as t before it."""
    if arabic_key(word) == "عبد":
        return [("abdullah",), ("abd", "allah")]
    word = word[:-1] + "ت" if word.endswith("ة") else word
    xs = _romanise_word(word, persian)
    if not xs:
        return [("allah",)]
    return [(xs[0] + "ullah",), (xs[0], "allah")] + [(y + "ullah",) for y in xs[1:]]


def _din(word: str, persian: bool) -> Alternatives:
    """X ad-Din (Salah al-Din, Sirajuddin, Salaheddine)."""
    xs = _romanise_word(word, persian)
    if not xs:
        return [("al", "din")]
    x = xs[0]
    return [(x + "uddin",), (x, "al", "din"), (x, "uddin"), (x + "aldin",)] + [
        (y + "uddin",) for y in xs[1:]]


# -- Cyrillic ------------------------------------------------------------------------------
def _cyrillic_units(text: str) -> list[Alternatives]:
    import iuliia

    units: list[Alternatives] = []
    for w in _TOKEN.findall(text):
        if not CYRILLIC_RE.search(w):
            units.append(_latin_unit(w))
            continue
        alts: list[tuple[str, ...]] = []
        for spelt in (iuliia.ICAO_DOC_9303.translate(w), iuliia.BGN_PCGN.translate(w), w):
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
            units.append(list(dict.fromkeys(alts)))
    return units


def _surname(sur: str) -> Alternatives:
    spellings = list(hangul_surnames().get(sur, ()))
    for system in _SYSTEMS:
        spelt = "".join(hangul_syllable(s, system) for s in sur)
        if spelt not in spellings:
            spellings.append(spelt)
    return [(s,) for s in spellings[:5]]
