"""Latin forms of names written in Arabic script (Arabic, Persian, Pashto, Urdu).

Why: Arabic script has no short vowels and lists romanise one name several ways, but a list
writes a name in *one* style throughout. So every name unit (a word, or a compound such as
ʿAbd al-X, X ad-Din, X-ullah, Shams ur-Rahman) is spelt in three styles, and the first forms
of a name keep one style for all its units:

* ``EN``: English and ALA-LC / BGN-PCGN as lists print them: "al" its own word ("Omar al
  Tikriti"), "Abd al Rahman", "Saif al Din", "Nasrullah", "bin";
* ``FR``: the French spelling of Maghreb names: "el", "Abdelkader", "Salaheddine", "ben",
  "abou", dj/ch/ou/k for j/sh/u/q ("Djamel", "Zarkaoui", "Lounici" is "Lounisi" by skeleton);
* ``SA``: the South Asian, Afghan and Gulf English spelling: the article left out of
  surnames, "Abdul Rahman", "Sirajuddin", "Shams ur Rahman", Persian letter values
  (ذ ض ظ = z, ث = s) and Pashto compounds written joined ("Walijan", "Shahidkhel").

Then each unit's other spellings (an ambiguous letter: ق = q/k/g; the article glued,
"Elsayed"; "Abdulrahman" joined) replace one unit at a time. Organisation names also get a
form in English where the words are ordinary vocabulary (الجماعة الاسلامية المسلحة = "Armed
Islamic Group"): lists print the English name of most organisations.

Unknown words get a consonant spelling with a guessed "a" between consonants (vowel marks are
read when written); the forms carry ``script="abjad"`` and the scorer compares them by
consonant skeleton, where the guessed vowels do not count.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from exportcheck.screen import vowels
from exportcheck.screen.normalize import fold_text
from exportcheck.screen.tokens import MIN_TOKEN_SIM, token_sim

_DATA = Path(__file__).with_name("data")
ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_TOKEN = re.compile(r"[^\s\-‐-―_/,;:.()\[\]{}«»\"'،؛]+")
#: the three styles every unit is spelt in, by index (module doc)
EN, FR, SA = 0, 1, 2
#: one unit of a name: its spellings in the styles EN, FR, SA, then other spellings
Unit = list[tuple[str, ...]]

_HARAKAT = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_FATHA, _DAMMA, _KASRA, _SHADDA, _SUKUN = "\u064e", "\u064f", "\u0650", "\u0651", "\u0652"
_MARK_VOWEL = {_FATHA: "a", _DAMMA: "u", _KASRA: "i"}
#: folding for table lookups: spelling variants of one letter that writers mix freely
_KEY_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي",
                           "ۍ": "ي", "ے": "ي", "ك": "ك", "ک": "ك", "ګ": "گ", "ة": "ه", "ۀ": "ه",
                           "ہ": "ه", "ھ": "ه", "ە": "ه", "ؤ": "و"})
_SUN = frozenset("تثدذرزسشصضطظلن")
#: letter -> consonant spellings (Arabic reading first, Persian/Urdu/Pashto second)
_CONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "ب": (("b",), ("b",)), "ت": (("t",), ("t",)), "ث": (("th", "s"), ("s", "th")),
    "ج": (("j", "g"), ("j",)), "ح": (("h",), ("h",)), "خ": (("kh",), ("kh",)),
    "د": (("d",), ("d",)), "ذ": (("dh", "z", "d", "th"), ("z", "dh")), "ر": (("r",), ("r",)),
    "ز": (("z",), ("z",)), "س": (("s",), ("s",)), "ش": (("sh",), ("sh",)),
    "ص": (("s",), ("s",)), "ض": (("d", "dh", "z"), ("z", "d")), "ط": (("t",), ("t",)),
    "ظ": (("z", "dh", "th"), ("z",)), "غ": (("gh",), ("gh",)), "ف": (("f",), ("f",)),
    "ق": (("q", "k", "g"), ("q", "gh", "k")), "ل": (("l",), ("l",)), "م": (("m",), ("m",)),
    "ن": (("n",), ("n",)), "ه": (("h",), ("h",)), "ہ": (("h",), ("h",)), "ھ": (("h",), ("h",)),
    # Afghan and Pakistani writers often type گ without its second stroke: ک read g too
    "ك": (("k",), ("k", "g")), "ک": (("k",), ("k", "g")),
    "پ": (("p",), ("p",)), "چ": (("ch",), ("ch",)), "ژ": (("zh",), ("zh",)),
    "گ": (("g",), ("g",)), "ګ": (("g",), ("g",)), "ڤ": (("v",), ("v",)),
    "ٹ": (("t",), ("t",)), "ڈ": (("d",), ("d",)), "ڑ": (("r",), ("r",)),
    "ں": (("n",), ("n",)), "ټ": (("t",), ("t",)), "ډ": (("d",), ("d",)),
    "ړ": (("r",), ("r",)), "ږ": (("zh", "g"), ("zh", "g")), "ښ": (("sh", "kh"), ("sh", "kh")),
    "ځ": (("z",), ("z",)), "څ": (("s",), ("s",)), "ڼ": (("n",), ("n",)),
}
_ALEFS = {"ا": "a", "أ": "a", "آ": "a", "ٱ": "a", "إ": "i", "ى": "a"}
_PERSIAN = re.compile(r"[پچژگکیۍېښځڅډړږټګڼےٹڈڑںہھ]")
#: second words of compound given names written with the article: Shams al-Rahman (Afghan and
#: Pakistani "Shams ur-Rahman", "Zia ul-Haq", "Saif ul-Islam", "Noor uz-Zaman")
_COMPOUND_SECOND = frozenset({"رحمن", "حق", "اسلام", "زمان", "هدي", "امين", "رحيم", "نور"})
#: Pashto and Dari name words lists write joined to the word before ("Walijan", "Shahidkhel",
#: "Akhundzada", "Ishaqzai")
_PASHTO_JOINED = frozenset({"جان", "خيل", "زي", "زاده", "يار", "زوي"})
#: the styles' spellings of particles: (EN, FR, SA, others...)
_PARTICLES: dict[str, tuple[str, ...]] = {
    "بن": ("bin", "ben", "bin", "ibn"), "ابن": ("ibn", "ben", "bin"),
    "بنت": ("bint", "bent", "bint"), "ابو": ("abu", "abou", "abu", "bou"),
    "ام": ("umm", "oum", "umm"), "ولد": ("ould", "ould", "walad"), "ذو": ("dhu", "dou", "zu"),
    "اغ": ("ag", "ag", "ag"), "و": ("wa", "wa", "and"), "في": ("fi", "fi", "fi"),
}


@lru_cache(maxsize=1)
def arabic_table() -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]]:
    """(particles, names, English) of ``data/arabic_names.json``, keyed by :func:`arabic_key`.

    English: ordinary words of organisation names and their usual English rendering."""
    raw = json.loads((_DATA / "arabic_names.json").read_text("utf-8"))
    words = {**raw.get("organisation_words", {}), **raw["names"]}
    english = raw.get("organisation_english", {})
    return ({arabic_key(k): v for k, v in raw["particles"].items()},
            {arabic_key(k): v for k, v in words.items()},
            {arabic_key(k): [v] if isinstance(v, str) else v for k, v in english.items()})


@lru_cache(maxsize=1)
def _org_heads() -> frozenset[str]:
    raw = json.loads((_DATA / "arabic_names.json").read_text("utf-8"))
    return frozenset(arabic_key(k) for k in raw.get("organisation_heads", ()))


def arabic_key(word: str) -> str:
    """A word as looked up in the name table: no vowel marks, one form of each letter."""
    return _HARAKAT.sub("", unicodedata.normalize("NFKC", word)).translate(_KEY_FOLD)


def _skeleton(s: str) -> str:
    from exportcheck.screen.tokens import skeleton

    return skeleton(s) if len(s) > 1 else s


# -- words ---------------------------------------------------------------------------------
def _french(spelling: str) -> str:
    """A spelling as French writes Arabic names: dj, ch, ou, k for j, sh, u/w, q and a final
    "ane" (Djamel, Chaker, Zarkaoui, Mouldi, Romdhane, Sofiane)."""
    out = re.sub(r"(?<!d)j", "dj", spelling).replace("sh", "ch").replace("q", "k")
    out = re.sub(r"w(?=[aeiu]|$)", "ou", out)
    out = re.sub(r"(?<!o)u", "ou", out)
    return re.sub(r"(?<=...[^aeiou])an$", "ane", out) if len(out) >= 7 else out


def word_spellings(word: str, persian: bool) -> list[str]:
    """One Arabic-script word (no article) -> [EN, FR, SA, other spellings...]."""
    spellings = list(_word_spellings(word, persian))
    vowels.note(spellings, word)
    return spellings


@lru_cache(maxsize=65536)
def _word_spellings(word: str, persian: bool) -> tuple[str, ...]:
    key = arabic_key(word)
    table = arabic_table()[1].get(key)
    # Maghreb French writes ض and ظ "dh" (Ridha, Romdhane, Hafedh)
    dh = not persian and ("ض" in key or "ظ" in key)
    if table:
        en, others, sa = table[0], list(table[1:]), _persian_values(key, table[0])
        fr = next((t for t in table if "dh" in t), en) if dh else en
    else:
        spelt = _spell(word, persian)
        if not spelt:
            return ()
        en, others = spelt[0], spelt[1:]
        sa = en if persian else (_spell(word, True) or [en])[0]
        fr = _spell(word, persian, maghreb=True)[0] if dh else en
        others.append(sa)
    fr = en if persian else _french(fr)
    seen = {_skeleton(en), _skeleton(fr), _skeleton(sa)}
    extras = []
    for s in others:
        sk = _skeleton(s)
        if sk not in seen:
            seen.add(sk)
            extras.append(s)
    return (en, fr, sa, *extras[:3])


def _persian_values(key: str, spelling: str) -> str:
    """A table spelling with the letters Persian, Urdu and Pashto read differently from Arabic:
    ذ ض ظ as z (عوض "Awad" / Afghan "Ewaz", رضا "Ridha" / "Reza"), ث as s ("Uthman" /
    "Usman"). Only when the letter cannot be confused with another in the spelling (no د or ز
    for a d/dh/z, no ت or س for a th/s)."""
    out = spelling
    if any(ch in key for ch in "ذضظ") and not any(ch in key for ch in "دز"):
        out = re.sub(r"dh|d", "z", out)
    if "ث" in key and not any(ch in key for ch in "تسص"):
        out = out.replace("th", "s")
    return out


def _letters(word: str) -> list[tuple[str, str]]:
    """(letter, vowel marks after it) pairs: marks, when written, say which vowel follows."""
    out: list[tuple[str, str]] = []
    for ch in word:
        if _HARAKAT.match(ch):
            if out:
                out[-1] = (out[-1][0], out[-1][1] + ch)
        else:
            out.append((ch, ""))
    return out


def _spell(word: str, persian: bool, maghreb: bool = False) -> list[str]:
    """Consonant spelling of an unknown word, with variants for ambiguous letters."""
    segs: list[tuple[str, tuple[str, ...]]] = []  # (kind C/V, spellings)
    letters = _letters(word)
    n = len(letters)
    for i, (ch, marks) in enumerate(letters):
        prev = letters[i - 1][0] if i else ""
        nxt = letters[i + 1][0] if i + 1 < n else ""
        if ch in _ALEFS:
            segs.append(("V", (_ALEFS[ch],)))
        elif ch in "وؤ":
            if ch == "ؤ":
                segs.append(("V", ("u",)))
            elif i == 0 or prev in _ALEFS or _is(nxt, "اآ") or marks:
                segs.append(("C", ("v", "w") if persian and i == 0 else ("w",)))
            elif i == n - 1:
                segs.append(("V", ("u", "o") if persian else ("u",)))
            else:
                segs.append(("V", ("u", "aw")))
        elif ch in "يیېۍئےى":
            segs.append(("C", ("y",)) if i == 0 or _is(nxt, "اآو") or marks else ("V", ("i",)))
        elif ch in "عء":
            segs.append(("V", ("",)) if not nxt or _is(nxt, "اآويیئ") else ("V", ("a",)))
        elif ch in "ةۀ":
            segs.append(("V", ("a",)))
        elif ch in "هہە" and i == n - 1 and i > 1 and prev not in _ALEFS and prev not in "وؤ":
            # final h after a consonant is mostly a ta marbuta written without its dots
            # (Egyptian, Levantine and Persian spelling: Shehata, Zeiniyeh, Zadeh)
            segs.append(("V", ("h", "a") if prev in "يی" else ("ah", "a")))
        elif ch in _CONS:
            opts = ("dh",) if maghreb and ch in "ضظ" else _CONS[ch][1 if persian else 0]
            segs.append(("C", tuple(o + o if _SHADDA in marks else o for o in opts)))
        elif ch.isalpha():
            folded = fold_text(ch)
            if folded:
                segs.append(("C", (folded,)))
        else:
            continue
        vowel = next((_MARK_VOWEL[m] for m in marks if m in _MARK_VOWEL), None)
        if vowel and segs[-1][0] == "C":
            segs.append(("V", (vowel,)))
        elif _SUKUN in marks:
            segs.append(("V", ("",)))
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


def _split_joined(word: str) -> list[str]:
    """A word that is two known name words written together (محمدعبد, محمدعلي) -> the two;
    ``[word]`` otherwise."""
    key = arabic_key(word)
    particles, names, _ = arabic_table()
    if key in names or key in particles or len(key) < 5:
        return [word]
    bare = _HARAKAT.sub("", unicodedata.normalize("NFKC", word))
    for cut in range(3, len(key) - 1):
        left, right = key[:cut], key[cut:]
        if left in names and (right in names or right in ("عبد", "ابو", "بن")
                              or (right.startswith("عبدال") and len(right) > 6)):
            return [bare[:cut], bare[cut:]]
    return [word]


# -- units ---------------------------------------------------------------------------------
def arabic_units(text: str) -> tuple[list[Unit], list[list[str]]]:
    """Name units of an Arabic-script name, particles bound to the word they belong to, and
    the name in English when it reads as an organisation's (:func:`_english`)."""
    persian = bool(_PERSIAN.search(text))
    words = [p for w in _TOKEN.findall(text) for p in _split_joined(w)]
    keys = [arabic_key(w) for w in words]
    units: list[Unit] = []
    spans: list[list[str]] = []  # the words (keys) of each unit
    i = 0
    while i < len(words):
        w, k = words[i], keys[i]
        nk = keys[i + 1] if i + 1 < len(keys) else ""
        step = 1
        if not ARABIC_RE.search(w):
            folded = fold_text(w)
            unit = [tuple(folded.split())] * 3 if folded else []
        elif (k == "عبد" and nk == "الله") or k == "عبدالله":
            unit, step = _allah("عبد", persian), 2 if k == "عبد" else 1
        elif k == "عبد" and nk.startswith("ال") and len(nk) > 2:
            unit, step = _abd(words[i + 1][2:], persian), 2
        elif k.startswith("عبدال") and len(k) > 5:
            unit = _abd(w[5:], persian)
        elif k == "ابو" and nk.startswith("ال") and len(nk) > 2 and nk != "الله":
            unit, step = _abu_al(words[i + 1][2:], persian), 2
        elif k.startswith("ابوال") and len(k) > 5:
            unit = _abu_al(w[5:], persian)
        elif nk == "الله" and k not in _PARTICLES:
            unit, step = _allah(w, persian), 2
        elif k.endswith("الله") and len(k) > 4:
            unit = _allah(w[:-4], persian)
        elif nk == "الدين":
            unit, step = _din(w, persian), 2
        elif k.endswith("الدين") and len(k) > 5:
            unit = _din(w[:-5], persian)
        elif (nk[2:] in _COMPOUND_SECOND and nk.startswith("ال") and k not in _PARTICLES
              and not k.startswith("ال")):
            unit, step = _compound(w, words[i + 1][2:], persian), 2
        elif k == "و" and nk.startswith("ال") and len(nk) > 3:
            unit, step = _wal(words[i + 1][2:], persian), 2
        elif k.startswith("وال") and len(k) > 4 and k not in arabic_table()[1]:
            unit = _wal(w[3:], persian)
        elif nk in _PASHTO_JOINED and k not in _PARTICLES and not k.startswith("ال"):
            unit, step = _joined(w, words[i + 1], persian), 2
        else:
            unit = _word_unit(w, persian, nk.startswith("ال"))
            if unit and len(unit[FR]) == 2 and unit[FR][0] == "el" and i and keys[i - 1] in (
                    "بن", "ابن"):  # Maghreb "Kamel ben Mouldi" for bin al-Mouldi
                unit[FR] = unit[FR][1:]
            if persian and unit and nk and k in _org_heads() and not nk.startswith("ال"):
                # the Persian and Urdu ezafe, unwritten: Tehrik-e Taliban, Sepah-e Pasdaran
                unit = [(*unit[EN], "e"), unit[FR], (*unit[SA], "i"), unit[EN]]
        if unit:
            units.append(unit)
            spans.append(keys[i : i + step])
        i += step
    return units, _english(units, spans)


def _word_unit(w: str, persian: bool, before_article: bool) -> Unit:
    k = arabic_key(w)
    if k in _PARTICLES:
        vowels.note(_PARTICLES[k], w)
        return [(s,) for s in _PARTICLES[k]]
    if k.startswith("ال") and len(k) > 3 and k not in arabic_table()[1]:
        return _article(w[2:], persian)
    if k.startswith("لل") and len(k) > 3:  # li-l-X, "for the X": lil sirafa
        xs = word_spellings(w[2:], persian)
        return [("lil", xs[EN]), ("lil", xs[FR]), ("lil", xs[SA])] if xs else []
    xs = word_spellings(w, persian)
    unit = [(x,) for x in xs]
    if (persian and unit and k.endswith("زي") and len(k) > 4 and k[-3] not in "اويه"
            and k not in arabic_table()[1]):  # Pashto tribal names: Ishaqzai, Achakzai
        stem = word_spellings(w[:-2], persian)
        if stem:
            unit[SA] = (stem[SA] + "zai",)
            unit.insert(3, (stem[EN] + "zai",))
    if unit and w.endswith("ة") and before_article and xs[EN].endswith("a"):
        # ta marbuta before a genitive ("Jabhat al-Nusra", "Harakat al-Jihad")
        unit[EN], unit[SA] = (xs[EN] + "t",), (xs[SA].rstrip("h") + "t",)
        unit.insert(3, (xs[EN],))
    return unit


def _article(rest: str, persian: bool) -> Unit:
    """al-X: "al x", "el x", "x" (SA, Afghan and Gulf lists leave it out), then the article
    glued ("Alsayed", "Elsseid") and assimilated to a sun letter ("ash Shami")."""
    xs = word_spellings(rest, persian)
    if not xs:
        return [("al",)] * 3
    en, fr, sa = xs[:3]
    unit = [("al", en), ("el", fr), (sa,), ("al" + en,), ("el" + fr,)]
    if arabic_key(rest)[:1] in _SUN and en[:1].isalpha():
        unit.append(("a" + _sun(en), en))
    unit += [("al", y) for y in xs[3:]]
    return unit


def _sun(spelling: str) -> str:
    """The assimilated article's consonant: "sh" before sh, "t" before t, "th" before th..."""
    return spelling[:2] if spelling[:2] in ("sh", "th", "dh", "zh") else spelling[0]


def _abd(rest: str, persian: bool) -> Unit:
    """ʿAbd al-X: "abd al x", "abdelx" (Abdelkader), "abdul x", then "abdulx" and "abdurx"
    before a sun letter."""
    xs = word_spellings(rest, persian)
    if not xs:
        return [("abd",)] * 3
    en, fr, sa = xs[:3]
    unit = [("abd", "al", en), ("abdel" + fr,), ("abdul", sa), ("abdul" + en,),
            ("abdel", fr)]
    if arabic_key(rest)[:1] in _SUN and en[:1].isalpha():
        unit.append(("abdu" + _sun(en) + en,))
    return unit + [("abd", "al", y) for y in xs[3:]]


def _abu_al(rest: str, persian: bool) -> Unit:
    xs = word_spellings(rest, persian)
    if not xs:
        return [("abu",)] * 3
    en, fr, sa = xs[:3]
    return [("abu", "al", en), ("abou", "el", fr), ("abu", sa), ("abul" + en,)] + [
        ("abu", "al", y) for y in xs[3:]]


def _allah(word: str, persian: bool) -> Unit:
    """X-Allah (Nasrallah, Hidayatullah): the ta marbuta is read as t before it."""
    if arabic_key(word) == "عبد":
        return [("abdullah",), ("abdallah",), ("abdullah",), ("abd", "allah")]
    word = word[:-1] + "ت" if word.endswith("ة") else word
    xs = word_spellings(word, persian)
    if not xs:
        return [("allah",)] * 3
    en, fr, sa = xs[:3]
    return [(en + "ullah",), (fr + "allah",), (sa + "ullah",), (en, "allah"),
            (sa, "ullah")] + [(y + "ullah",) for y in xs[3:]]


def _din(word: str, persian: bool) -> Unit:
    """X ad-Din: "Saif al Din", "Salaheddine", "Sirajuddin"."""
    xs = word_spellings(word, persian)
    if not xs:
        return [("al", "din")] * 3
    en, fr, sa = xs[:3]
    return [(en, "al", "din"), (fr + "eddine",), (sa + "uddin",), (en, "el", "din"),
            (en, "ud", "din"), (en + "aldin",), (fr, "eddine")] + [
        (y + "uddin",) for y in xs[3:]]


def _compound(word: str, second: str, persian: bool) -> Unit:
    """X al-Y given names: "Shams al Rahman", "Chams el Rahmane", "Shams ur Rahman"."""
    xs, ys = word_spellings(word, persian), word_spellings(second, persian)
    if not xs or not ys:
        return []
    sun = arabic_key(second)[:1] in _SUN and ys[SA][:1].isalpha()
    ul = "u" + _sun(ys[SA]) if sun else "ul"
    return [(xs[EN], "al", ys[EN]), (xs[FR], "el", ys[FR]), (xs[SA], ul, ys[SA]),
            (xs[SA] + ul + ys[SA],), (xs[EN], ys[EN]), (xs[SA] + "ul", ys[SA])]


def _wal(rest: str, persian: bool) -> Unit:
    """wa-l-X, "and the X" ("Ahl al-Sunna wal-Jamaa")."""
    xs = word_spellings(rest, persian)
    if not xs:
        return []
    return [("wal", xs[EN]), ("wal", xs[FR]), ("wa", "al", xs[SA]), ("wa", xs[EN])]


def _joined(word: str, suffix: str, persian: bool) -> Unit:
    """X + jan / khel / zai / zada: "Wali Jan" and "Walijan"."""
    xs, ys = word_spellings(word, persian), word_spellings(suffix, persian)
    if not xs or not ys:
        return []
    return [(xs[EN], ys[EN]), (xs[FR], ys[FR]), (xs[SA] + ys[SA],), (xs[EN] + ys[EN],)]


# -- organisations -------------------------------------------------------------------------
def _translate(key: str) -> tuple[list[list[str]], bool] | None:
    """English renderings of one word (with its prefixed article, "for the", "and the") and
    whether it is an organisation head word; None for a word without one."""
    english = arabic_table()[2]
    bare, pre = key, ""
    if key in english:
        bare = key
    elif key.startswith("لل") and len(key) > 3:
        bare, pre = key[2:], "for"
    elif key.startswith("وال") and len(key) > 4:
        bare, pre = key[3:], "and"
    elif key.startswith("ال") and len(key) > 3:
        bare = key[2:]
    if bare not in english:
        return None
    return [[pre, e] if pre else [e] for e in english[bare]], bare in _org_heads()


def _english(units: list[Unit], spans: list[list[str]]) -> list[list[str]]:
    """The name in English when it has an organisation word (حركة movement, جبهة front) or
    two ordinary words (الاسلامي المصري): known words translated, the rest romanised; a second
    rendering with the other English words and no "al" ("Egyptian Islamic Jihad")."""
    first: list[str] = []
    second: list[str] = []
    translated = heads = 0
    for unit, keys in zip(units, spans, strict=True):
        words = [t for k in keys if (t := _translate(k)) is not None]
        if len(words) == len(keys):
            translated += len(words)
            for renderings, head in words:
                heads += head
                first += renderings[0]
                second += renderings[-1]
        else:
            toks = list(unit[EN])
            first += toks
            second += toks[1:] if toks[0] in ("al", "el") and len(toks) > 1 else toks
    if not (heads or translated >= 2):
        return []
    renderings = (tuple(" ".join(first).split()), tuple(" ".join(second).split()))
    return [list(r) for r in dict.fromkeys(renderings)]


# -- whole names ---------------------------------------------------------------------------
def arabic_sequences(text: str, cap: int) -> list[tuple[tuple[str, ...], bool]]:
    """Up to ``cap`` token sequences for a name, each with whether it is the English rendering
    of an organisation name (its legal form is then set aside as in Latin names).

    Order: the EN form, the English rendering, the FR and SA forms (one style throughout),
    then one unit at a time in its other spellings, on the EN form (the SA form for a name
    with Persian letters)."""
    units, english = arabic_units(text)
    if not units:
        return []
    out: dict[tuple[str, ...], bool] = {}

    def add(picks: list[tuple[str, ...]], translated: bool = False) -> None:
        seq = tuple(t for part in picks for tok in part for t in tok.split())
        if seq and len(out) < cap:
            out.setdefault(seq, translated)

    styled = [[u[min(s, len(u) - 1)] for u in units] for s in (EN, FR, SA)]
    add(styled[EN])
    for words in english:
        add([tuple(words)], True)
    add(styled[FR])
    add(styled[SA])
    base = styled[SA if _PERSIAN.search(text) else EN]
    for rank in range(3, max(len(u) for u in units)):
        for i, u in enumerate(units):
            if rank < len(u):
                add([*base[:i], u[rank], *base[i + 1 :]])
    return list(out.items())


#: the letters the Arabic article assimilates to ("as-Sudan", "ad-Din", "an-Nasr"), as romanised
_SUN_LETTERS = frozenset("tdrzsnl")


def unglue_articles(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A Latin name whose romaniser glued the Arabic article to the word before it, with the
    article as its own word: "Ansarul Muslimina" (Ansar al-Muslimin), "Biladis Sudan" (Bilad
    as-Sudan: a case vowel and the article assimilated to the next word's first letter). Only
    for comparing with a name queried in Arabic script, whose forms spell the article apart."""
    out: list[str] = []
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if len(t) >= 6 and t[-2] in "ui" and t[-1] == "l" and nxt:
            out += [t[:-2], "al"]  # Ansar-ul, Jamaat-ul, Fath-il
        elif (len(t) >= 6 and nxt and t[-1] == nxt[0] and t[-1] in _SUN_LETTERS
              and t[-2] in "aiu" and t[-3] not in "aeiou"):
            out += [t[:-2], "al"]  # Bilad-is Sudan, Nasr-ud Din
        else:
            out.append(t)
    return tuple(out)


#: "son (daughter) of": the name after it is the father's
_NASAB = frozenset(("bin", "ibn", "ben", "bint", "binti", "walad", "ould"))


def _fathers(tokens: tuple[str, ...]) -> set[str]:
    """The names following bin/ibn/ben ("son of"), the article skipped."""
    out = set()
    for i, t in enumerate(tokens[:-1]):
        if t in _NASAB:
            nxt = tokens[i + 1]
            if nxt in ("al", "el") and i + 2 < len(tokens):
                nxt = tokens[i + 2]
            out.add(nxt)
    return out


def other_father(a: tuple[str, ...], b: tuple[str, ...], abjad: bool) -> bool:
    """Do the two names state different fathers ("Ahmad bin Hasan" / "Hasan bin Ahmad")?"""
    fa, fb = _fathers(a), _fathers(b)
    return bool(fa and fb) and not any(
        x == y or token_sim(x, y, abjad) >= MIN_TOKEN_SIM for x in fa for y in fb)
