"""Name normalisation: one folded, tokenised form per way of writing a name.

Why each step: case, diacritics and punctuation carry no identity; legal forms ("Co., Ltd.",
"LLC", "有限公司") are set aside so "ACME LLC" equals "Acme Limited"; numbers are kept as whole
tokens (watchman's "CORP" == "11420 CORP." false hit came from dropping them); Cyrillic, Greek,
Arabic... are transliterated (anyascii) and Han names become pinyin and Hong Kong Cantonese
romanisations (:mod:`exportcheck.screen.chinese`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from anyascii import anyascii

from exportcheck.errors import InvalidInput
from exportcheck.screen.numbers import numbers_as_digits
from exportcheck.screen.vowels import Written

MAX_NAME_CHARS = 1000
_DATA = Path(__file__).with_name("data") / "name_data.json"
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_RADICALS = re.compile(r"[\u2f00-\u2fd5]")
_ABJAD_RE = re.compile(r"[\u0590-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")  # "s.a." "u.s.a." -> "sa" "usa"
_NON_WORD = re.compile(r"[^a-z0-9\s]+")
_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?<=[a-z]{3})['’]s\b")
#: English company words rigour files under "symbols" rather than legal forms.
#: ... and "Co., Limited", as Hong Kong's Companies Registry names are written ("Nanxigu
#: Technology Co., Limited")
EXTRA_LEGAL_FORMS = ("co", "corp", "corporation", "company", "incorporated", "cie", "cia",
                     "co limited",
                     # a Russian state corporation (goskorporatsiya, Federal Law No. 7-FZ
                     # art. 7.1): "STATE CORPORATION ROSTEC" is Rostec
                     "state corporation", "goskorporatsiya", "goskorporatsiia",
                     "gosudarstvennaya korporatsiya", "gosudarstvennaia korporatsiia",
                     # the PRC Company Law's two forms (art. 2) read in pinyin, as the Entity
                     # List writes some Chinese names whole: "RUIYUAN KEJI YOUXIAN GONGSI" is
                     # 锐元科技有限公司 (youxian gongsi, youxian zeren gongsi: a limited
                     # liability company; gufen youxian gongsi: a company limited by shares)
                     "youxian gongsi", "youxian zeren gongsi", "gufen youxian gongsi")
#: English organisation words and their abbreviations, folded to one spelling. Kept short and
#: English on purpose: rigour's multilingual table maps pinyin syllables ("xia", "guanli") that
#: are also Chinese given names.
ORG_WORDS = {
    "international": "intl", "national": "natl", "technology": "tech", "technologies": "tech",
    "manufacturing": "mfg", "trading": "trade", "industries": "industry",
    "industrial": "industry", "electronics": "electronic", "engineering": "eng",
    "services": "service", "systems": "system", "holdings": "holding", "grp": "group",
    "enterprises": "enterprise", "investments": "investment", "university": "univ",
    "institute": "inst", "laboratory": "lab", "laboratories": "lab", "labs": "lab",
    "association": "assoc", "department": "dept", "brothers": "bros", "logistics": "logistic",
    "intern": "intl", "internacional": "intl", "internationale": "intl",
    # the EL's "Chinese Academy of Engineering Physics" is CAEP's own "China Academy of ..."
    "chinese": "china",
    # Russian organisation words as a Cyrillic name transliterates them (Концерн Калашников:
    # "Kontsern Kalashnikov", listed as "KALASHNIKOV CONCERN")
    "kontsern": "concern", "gruppa": "group", "kholding": "holding", "institut": "inst",
    # Hong Kong written as one word ("HONGKONG BLUE OCEAN"): the place, as "Hong Kong" is
    "hongkong": "hk",
    # an airline's name with its trade word spelt out: "Mahan Airlines" is SDN "MAHAN AIR"
    "airlines": "air", "airline": "air", "airways": "air",
}


@dataclass(frozen=True, slots=True)
class NameForm:
    """One way of writing a name, ready for matching.

    ``tokens`` are the identity-bearing tokens; ``legal`` the legal-form tokens set aside;
    ``script`` tells where the romanisation came from ("latin", "pinyin", "jyutping", "han",
    "abjad", "other") for the explanation and for vowel-insensitive comparison of Arabic.
    ``written``: see :func:`exportcheck.screen.vowels.frames_of`.
    """

    tokens: tuple[str, ...]
    legal: tuple[str, ...] = ()
    script: str = "latin"
    #: an Arabic-script name's words as spelt: the long vowels each was written with
    #: (:mod:`exportcheck.screen.vowels`)
    written: Written = ()
    #: the leading place a Han organisation name's form leaves out (深圳市 of 深圳市大疆创新科技):
    #: matched against a name without it, that is a partial match (:mod:`.han_orgs`)
    dropped: str = ""
    #: English words of a name read through a glossary (:func:`fold_parts`): chosen from a
    #: table, not spelt by someone, so they match only as spelt or one slip apart ("science" /
    #: "silence" is no likeness of two names)
    fixed: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def name_data() -> dict:
    return json.loads(_DATA.read_text("utf-8"))


@lru_cache(maxsize=1)
def _legal_forms() -> tuple[dict[tuple[str, ...], int], int]:
    # "ii" (Lithuanian IĮ in rigour's table) is, at the end of a listed name, the Roman two of
    # "Fund II", "Trust II"
    words = [*(f for f in name_data()["legal_forms"] if f != "ii"), *EXTRA_LEGAL_FORMS]
    forms = {tuple(f.split()): len(f.split()) for f in words}
    return forms, max(forms.values())


@lru_cache(maxsize=1)
def legal_form_words() -> frozenset[str]:
    """Every word of the legal-form table ("co", "ltd", "limited", "gmbh", "obshchestvo")."""
    return frozenset(w for form in _legal_forms()[0] for w in form)


@lru_cache(maxsize=1)
def nicknames() -> dict[str, frozenset[str]]:
    """English given names and their short forms, both ways: "ted" -> {"edward", "theodore"}
    (rigour's table, in ``name_data.json``)."""
    out: dict[str, set[str]] = {}
    for group in name_data().get("person_nicknames", ()):
        for name in group:
            out.setdefault(name, set()).update(n for n in group if n != name)
    return {k: frozenset(v) for k, v in out.items()}


#: titles rigour's table lacks: the Arabic honorific in its spellings ("Shaikh Isa Bin Tarif")
EXTRA_PREFIXES = ("sheikh", "shaikh", "shaykh", "sheik", "shaik")
#: ships' prefixes (motor vessel, motor tanker): "MV Hellenic Spirit" is the vessel "HELLENIC
#: SPIRIT" of the lists
VESSEL_PREFIXES = frozenset(("mv", "mt"))


@lru_cache(maxsize=3)
def opening_titles(person: bool | None) -> frozenset[str]:
    """One-word titles dropped from the front of a name of three words or more: a person's
    ("Mr", "Dr", "General", "Sheikh"), a vessel's ("MV"), or either when the kind is unknown."""
    people = frozenset([*(p for p in name_data()["person_prefixes"] if " " not in p),
                        *EXTRA_PREFIXES])
    return VESSEL_PREFIXES if person is False else (people if person else
                                                    people | VESSEL_PREFIXES)


@lru_cache(maxsize=16384)
def fold_text(text: str) -> str:
    """Lower-case ASCII words and digits: 'Leão, S.A.' -> 'leao sa'; 'O'Brien' -> 'obrien'."""
    text = unicodedata.normalize("NFKC", text)
    text = anyascii(text).lower().replace("&", " and ")
    text = _POSSESSIVE.sub("", text)  # "Deutsche Bank's AG" is Deutsche Bank AG
    text = re.sub(r"['`´’]", "", text)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _NON_WORD.sub(" ", text)
    return _SPACE.sub(" ", text).strip()


def check_name(name: object) -> str:
    """Validate a query name: a non-empty string of sane length."""
    if not isinstance(name, str):
        raise InvalidInput(f"name must be a string, got {type(name).__name__}", field="name")
    stripped = name.strip()
    if not stripped:
        raise InvalidInput("name is empty: give the party's name to screen", field="name")
    if len(stripped) > MAX_NAME_CHARS:
        raise InvalidInput(
            f"name is {len(stripped)} characters long (limit {MAX_NAME_CHARS}): pass one "
            "party name, not a document", field="name",
        )
    if not any(ch.isalnum() for ch in stripped):
        raise InvalidInput(f"name {name!r} has no letters or digits", field="name")
    return stripped


#: short legal forms written before the name ("OOO Pravda", "PT Maju", "UAB Arginta"); other
#: short words in the table are only legal forms at the end: "Ed", "Yu", "Im", "Na" and "Ku" begin
#: people's names
LEADING_FORMS = frozenset((
    "ooo", "oao", "zao", "pao", "ao", "nao", "jsc", "tov", "too", "pat", "vat", "zat", "pt",
    "cv", "uab", "sia", "ab", "srl", "sc", "ano", "nko", "npo", "ip", "gup", "mup", "fgu", "fku",
    "gu", "gku", "ogu", "mku", "pmc", "llc", "odo", "tda", "ltd"))


def split_legal(tokens: list[str], keep: frozenset[str] = frozenset()
                ) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Set legal-form tokens aside. Short forms ("sa", "co", "ao") only at either end, so a
    person called "Ao" keeps their name; nothing is removed if nothing else would be left.
    ``keep``: words that are names whatever the table says (``latin_form``)."""
    org_words = ORG_WORDS
    if _legal_or_phrase().isdisjoint(tokens):  # most names: nothing to set aside (one set test)
        return tuple(org_words.get(t, t) for t in tokens), ()
    forms, longest = _legal_forms()
    core: list[str] = []
    legal: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i] in _PHRASE_STARTS and (phrase := _country_phrase(tokens, i)):
            core.append(phrase[1])
            i += phrase[0]
            continue
        for size in range(min(longest, n - i), 0, -1):
            seq = tuple(tokens[i : i + size])
            if seq in forms and (size > 1 or len(seq[0]) > 3 or i + size == n or (
                    i == 0 and seq[0] in LEADING_FORMS)) and (size > 1 or seq[0] not in keep):
                legal.extend(seq)
                i += size
                break
        else:
            core.append(org_words.get(tokens[i], tokens[i]))
            i += 1
    if not core:
        return tuple(tokens), ()
    return tuple(core), tuple(legal)


@dataclass(frozen=True, slots=True)
class GlossaryWord:
    """One row of a cited glossary of another script's organisation words (Han, Persian):
    the words as written there, their English renderings (most usual first), kind, source."""

    written: str
    english: tuple[str, ...]
    kind: str
    source: str


def fold_parts(parts: list[tuple[str, bool]], script: str, *, split_proper: bool
               ) -> NameForm | None:
    """The name form of a name read word by word from another script (Han, Persian): English
    words ``(text, False)`` folded and split as list names are, legal forms set aside; proper
    names ``(text, True)`` never taken for a legal form ("da", a syllable; "sa", a name), and
    split on spaces (``split_proper``: a pinyin name's syllables are tokens of their own) or
    kept whole (a Persian name's romanisation is one word)."""
    tokens: list[str] = []
    kept: list[str] = []
    for text, proper in parts:
        if proper:
            tokens.append(f"\x00{len(kept)}")
            kept.append(text)
        else:
            tokens += fold_text(text).split()
    core, legal = split_legal(tokens)
    out: list[str] = []
    english: set[str] = set()
    names: set[str] = set()
    for t in core:
        if not t.startswith("\x00"):
            out.append(t)
            english.add(t)
            continue
        text = kept[int(t[1:])]
        words = text.split() if split_proper else [text]
        out += words
        names.update(words)
    if not out:
        return None
    # a proper name spelt like an English word of the glossary stays fuzzy
    return NameForm(tuple(out), legal, script, fixed=frozenset(english.difference(names)))


def is_legal_form(tokens: tuple[str, ...] | list[str]) -> bool:
    """Whether these words are one legal form of the table ("pty ltd", "gmbh and co kg")."""
    return tuple(tokens) in _legal_forms()[0]


def named_by_acronym(name: str, forms: tuple[NameForm, ...]) -> bool:
    """"ASC Pty Ltd" (Australia's submarine builder) is a company called ASC: a name of legal
    forms only whose first word is in capitals, three letters or more, is a name, unless the
    whole is one legal form of the table ("PTY LTD", "GMBH & CO KG")."""
    words = name.split()
    if len(words) < 2 or re.fullmatch(r"[A-Z]{3,}", words[0]) is None:
        return False
    return not any(is_legal_form(f.tokens + f.legal) for f in forms if f.script == "latin")


def only_legal_form(forms: tuple[NameForm, ...]) -> bool:
    """Whether a name is nothing but a legal form ("Co., Ltd.", "LLC", 有限公司): its Latin
    (or English-glossary) forms are all legal-form words. Two letters alone ("AO", "SA") may
    be a person's name, so they do not count; nor one word that few listed organisations carry
    as their legal form (:func:`~exportcheck.screen.weights.listed_legal_forms`): "OPPO" and
    "HTX" are companies, whatever a table of legal forms says."""
    from exportcheck.screen.weights import listed_legal_forms

    latin = [f for f in forms if f.script in ("latin", "han-en")]
    return bool(latin) and all(
        (len(f.tokens) > 1 or (len(f.tokens[0]) > 2 and f.tokens[0] in listed_legal_forms()))
        and split_legal(["\x00", *f.tokens])[0] == ("\x00",) for f in latin)


#: country names organisations write out or abbreviate: "U.S. Department of State" is the
#: "United States Department of State"
COUNTRY_PHRASES = {("united", "states", "of", "america"): "us", ("united", "states"): "us",
                   ("united", "kingdom"): "uk", ("united", "arab", "emirates"): "uae",
                   # "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA" is the
                   # Foreign Trade Bank of the DPRK
                   ("democratic", "people", "republic", "of", "korea"): "dprk",
                   # Iran's official long form, which Iranian state bodies add to their names
                   # ("DEFENSE INDUSTRIES ORGANIZATION" ... "of the Islamic Republic of Iran"),
                   # also as read from Persian without the unwritten "of" (جمهوری اسلامی ایران)
                   ("islamic", "republic", "of", "iran"): "iran",
                   ("islamic", "republic", "iran"): "iran",
                   # "Arrow Electronics (HK) Co., Ltd." is "Arrow Electronics (Hong Kong) Co."
                   ("hong", "kong"): "hk"}
#: the first words of :data:`COUNTRY_PHRASES`
_PHRASE_STARTS = frozenset(p[0] for p in COUNTRY_PHRASES)


@lru_cache(maxsize=1)
def _legal_or_phrase() -> frozenset[str]:
    """The words of legal forms and the first words of country phrases: a name with none of
    them has nothing to split."""
    return legal_form_words() | _PHRASE_STARTS


def _country_phrase(tokens: list[str], i: int) -> tuple[int, str] | None:
    for phrase, short in COUNTRY_PHRASES.items():  # longest first
        if tuple(tokens[i : i + len(phrase)]) == phrase:
            return len(phrase), short
    return None


def latin_form(text: str, *, person: bool | None = None,
               keep_title: bool = False) -> NameForm | None:
    folded = fold_text(text)
    if not folded:
        return None
    tokens = arabic_compounds(numbers_as_digits(folded.split()))
    if not keep_title and len(tokens) > 2 and tokens[0] in opening_titles(person) and not (
            tokens[0] in VESSEL_PREFIXES and split_legal(tokens)[1]):
        tokens = tokens[1:]  # not a company's "MT" ("MT TEVEL INC")
    # a listed person has no legal form; a word written with an apostrophe ("SA'D", "Sa'd")
    # is a name, not the S.A.D. of the legal-form table
    core, legal = (tuple(tokens), ()) if person else split_legal(tokens, _apostrophe_words(text))
    script = "abjad" if _ABJAD_RE.search(text) else (
        "latin" if text.isascii() or _mostly_latin(text) else "other")
    return NameForm(core, legal, script)


#: "Abdul", "Abdel", "Abdur" ... : ʿAbd al- ("servant of the") with the article glued, in the
#: spellings lists and customers use; and the article's assimilated forms after "Abd"
_ABD_GLUED = frozenset(("abdul", "abdel", "abdal", "abdoul", "abdol", "abdil", "abdur", "abdus",
                        "abdun", "abdar", "abdas", "abdad", "abdan", "abduz", "abdaz"))
_ABD_ARTICLE = frozenset(("al", "el", "ul", "ol", "il", "ar", "as", "ad", "an", "ur", "us",
                          "ud", "un", "az", "uz"))


def arabic_compounds(tokens: list[str]) -> list[str]:
    """Spell ʿAbd al-X one way: "Abdul Aziz", "Abdel Aziz", "Abd el-Aziz", "Abdur Rahman" and
    "Abd ar-Rahman" all become "abd al X", as lists print it ("ABD AL-AZIZ"). A word that
    ends the name is left alone ("Ali Abdul")."""
    if "abd" not in tokens and _ABD_GLUED.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        t = tokens[i]
        if t in _ABD_GLUED and i + 1 < n:
            out += ["abd", "al"]
        elif t == "abd" and i + 2 < n and tokens[i + 1] in _ABD_ARTICLE:
            out += ["abd", "al"]
            i += 1
        else:
            out.append(t)
        i += 1
    return out


def _apostrophe_words(text: str) -> frozenset[str]:
    if not _APOSTROPHE_WORD.search(text):
        return frozenset()
    return frozenset(fold_text(w) for w in _APOSTROPHE_WORD.findall(text))


_APOSTROPHE_WORD = re.compile(r"[^\W\d_]+['`´’][^\W\d_]+")


def _mostly_latin(text: str) -> bool:
    return all(unicodedata.name(ch, "LATIN").startswith(("LATIN", "DIGIT", "SPACE"))
               or not ch.isalpha() for ch in text)


@lru_cache(maxsize=8192)
def name_forms(name: str, person: bool | None = None,
               listed: bool = False) -> tuple[NameForm, ...]:
    """Every form worth matching for one written name (several for Han, Arabic-script,
    Cyrillic and Hangul names: :mod:`exportcheck.screen.scripts`).

    Han names, listed or queried, get characters, pinyin and the Hong Kong spelling, so a
    Latin query written the Hong Kong way ("CHAN, Tai Man") finds a list name written 陳大文.
    ``listed``: the name is a list entry's, not a query: Han and Persian organisation names are
    read in English for queries only (:mod:`.han_orgs`, :mod:`.persian_orgs`)."""
    if _RADICALS.search(name):
        # Kangxi radicals that PDF text extraction puts for characters ("进出⼝" for 进出口)
        name = _RADICALS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), name)
    if HAN_RE.search(name):
        from exportcheck.screen.chinese import han_forms

        return tuple(han_forms(name, person=person, cantonese=True, listed=listed))
    if not name.isascii():
        from exportcheck.screen.scripts import script_forms

        # Arabic script, Cyrillic, Hangul: romanised the way lists spell them
        if forms := script_forms(name, person):
            if not listed and person is not True:
                from exportcheck.screen.persian_orgs import org_forms

                # a Persian organisation name queried: also read in English (persian_orgs)
                forms = (*forms, *org_forms(name))
            return forms
    forms = _latin_forms(name, person)
    if forms and person is None and fold_text(name.split(None, 1)[0]) in opening_titles(None):
        # a person's title opening a name of unknown kind may be an organisation's first word
        # ("General Organization of Radio and TV"): the name is read with it too
        titled = latin_form(name, person=person, keep_title=True)
        if titled and titled.tokens not in {f.tokens for f in forms}:
            forms = (*forms, titled)
    return forms


def _latin_forms(name: str, person: bool | None) -> tuple[NameForm, ...]:
    form = latin_form(name, person=person)
    if not form or not form.tokens:
        return ()
    if not form.legal and person is not False:
        from exportcheck.screen.wadegiles import pinyin_readings

        # "Hsi Chin-ping" is "Xi Jinping" in Wade-Giles: its pinyin readings are forms too
        if readings := pinyin_readings(form.tokens):
            return (form, *(NameForm(r, (), "pinyin") for r in readings))
    if person is None and form.legal and all(len(t) <= 2 for t in form.legal):
        # "HAN YU-RO", "PAK HAN SE": a short word of the legal-form table may end a person's
        # name; listed people keep it (latin_form), so the query is tried both ways
        as_person = latin_form(name, person=True)
        if as_person and as_person.tokens != form.tokens:
            return (form, as_person)
    return (form,)
