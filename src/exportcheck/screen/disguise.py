"""Names written so a screen reads them as other names: the query's other readings.

Why: a screen that only reads a name as written is beaten by writing it otherwise, and the
ways are few and well known. Letters of another script that look the same ("КОVАLСНUК" with
Cyrillic К, О, А, С, Н: read phonetically it is "KOVALSNUK"), letters spaced or dashed apart
("T O T A L"), digits for letters ("T0T4L L00K"), words glued together ("KOVALCHUKYURI",
"HuaweiTechnologies", a SWIFT field without spaces) or split ("TECHNO LOGIES"). Each reading is
one more form of the query, scored like any other; the name as written is always read too, and
the hit says which reading matched.

Glued and split words are told apart with the words of the listed names themselves
(:attr:`exportcheck.screen.index.NameIndex.words`): a glued word is split only into listed words
(and legal forms), a split one is joined only into a listed word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from functools import lru_cache

from confusable_homoglyphs import confusables

from exportcheck.screen.normalize import (
    ORG_WORDS,
    NameForm,
    fold_text,
    latin_form,
    legal_form_words,
    name_forms,
)

#: a word glued from others is at least this long ("kimjongun" is 9); shorter unknown words are
#: too often real names that happen to split ("Mariam" = "mar" + "iam")
GLUED_MIN_LEN = 7
#: ... and one of a name's words is only split from this length on (:func:`split_glued`)
GLUED_LONG = 13
#: a glued word splits into at most this many words
MAX_PARTS = 8
#: a part of a glued word shorter than this is a connector, a legal form ending the name, or
#: the one short word of three or more (:func:`split_glued`)
PART_MIN_LEN = 3
_CONNECTORS = frozenset(("of", "and", "the", "de", "al", "el", "bin"))
#: digits written for the letters they look like
_DIGIT_LETTERS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                                "8": "b"})
_MIXED = re.compile(r"(?=\w*[a-z])(?=\w*\d)\w+")
#: legal forms that show a word glued when they end it ("gatewickllc"); short ones do not:
#: "Korhonen" is not "korhon en", nor "Marco" "mar co"
GLUED_FORMS = frozenset(("llc", "ltd", "inc", "plc", "gmbh", "corp", "limited", "company",
                         "corporation", "jsc", "pjsc", "ojsc", "cjsc", "ooo", "oao", "zao",
                         "sarl", "srl", "spa", "llp", "fze", "fzco", "fzc", "pte", "bhd"))
_GLUED_ENDINGS = tuple(GLUED_FORMS)
#: a capital after a small letter inside a word: "HuaweiTechnologies", "KimJongUn"
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LETTERS_NUMBER = re.compile(r"([a-z]{2,})(\d{2,})")
_OTHER_SCRIPTS = ("CYRILLIC", "GREEK")


@lru_cache(maxsize=4096)
def _latin_twin(ch: str) -> str | None:
    """The Latin letter ``ch`` (a Cyrillic or Greek letter) looks like, per Unicode's
    confusables table (UTS #39), in the same case when there is one (І is I, not l), or None."""
    found = confusables.is_confusable(ch, preferred_aliases=["latin"]) or ()
    twins = [g["c"] for item in found for g in item["homoglyphs"]
             if len(g["c"]) == 1 and g["c"].isascii() and g["c"].isalpha()]
    same_case = [c for c in twins if c.isupper() == ch.isupper()]
    if ch.isupper() and not same_case and "l" in twins:
        return "I"  # the table's prototype of I-like letters is "l"
    return (same_case or twins or [None])[0]


def _script(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


def lookalike_latin(name: str) -> str | None:
    """``name`` with Cyrillic and Greek letters read as the Latin letters they look like, when
    they are mixed with Latin ones: in one word ("КОVАLСНUК"), or a word made only of look-alike
    letters in a name with Latin words ("ТОТАL LOOK"); None for a name in one script ("Путин")
    or with no look-alike to read."""
    if name.isascii():
        return None
    words = name.split()
    if not any(_script(ch) == "LATIN" for ch in name if ch.isalpha()):
        return None
    out, changed = [], False
    for word in words:
        letters = [ch for ch in word if ch.isalpha()]
        scripts = {_script(ch) for ch in letters}
        if scripts & set(_OTHER_SCRIPTS) and (
                "LATIN" in scripts or all(_latin_twin(ch) for ch in letters)):
            twin = "".join((_latin_twin(ch) or ch) if _script(ch) in _OTHER_SCRIPTS else ch
                           for ch in word)
            changed |= twin != word
            out.append(twin)
        else:
            out.append(word)
    return " ".join(out) if changed else None


def _join_letter_runs(tokens: list[str]) -> list[str]:
    """Three or more single letters in a row are one word spaced out ("t o t a l")."""
    out: list[str] = []
    run: list[str] = []
    for t in [*tokens, ""]:
        if len(t) == 1 and t.isalpha():
            run.append(t)
            continue
        out.extend(["".join(run)] if len(run) >= 3 else run)
        run = []
        if t:
            out.append(t)
    return out


@lru_cache(maxsize=1)
def _extra_words() -> frozenset[str]:
    """Words a glued name may hold that the index keeps in another spelling or not at all: the
    legal forms ("ltd", "co") and organisation words before folding ("technologies")."""
    return frozenset((*legal_form_words(), *ORG_WORDS, *_CONNECTORS))


def _known(word: str, words: Collection[str]) -> bool:
    return word in words or word in _extra_words()


def split_glued(token: str, words: Collection[str], *, alone: bool = False) -> list[str] | None:
    """``token`` as the fewest listed words it is glued from ("kimjongun" -> kim jong un), the
    longer words preferred among splits of as many; None when it is a word itself, is too short,
    or does not split into listed words.

    Most unknown words are names the lists do not hold, and many split into listed syllables
    ("Abrahamsen" = abraham sen, "Melissa" = mel issa): a word is only split when it is long
    (:data:`GLUED_LONG`), the whole name (``alone``), or ends in a legal form ("gatewickllc")."""
    n = len(token)
    if n < GLUED_MIN_LEN or not token.isalpha() or _known(token, words):
        return None
    if not (alone or n >= GLUED_LONG or token.endswith(_GLUED_ENDINGS)):
        return None  # (checked again on the split: it must end in the legal form)
    # best[i]: (parts, -sum of squared lengths, split) of token[:i]
    best: list[tuple[int, int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, 0, [])
    for i in range(2, n + 1):
        for j in range(max(0, i - 30), i - 1):
            prev = best[j]
            if prev is None or prev[0] >= MAX_PARTS:
                continue
            part = token[j:i]
            if not _known(part, words):
                continue
            cand = (prev[0] + 1, prev[1] - len(part) ** 2, [*prev[2], part])
            if best[i] is None or cand[:2] < best[i][:2]:
                best[i] = cand
    end = best[n]
    if end is None or end[0] < 2:
        return None
    parts = end[2]
    if not (alone or n >= GLUED_LONG or parts[-1] in GLUED_FORMS):
        return None
    # two letters are a word of a longer run ("kim jong un") or a legal form ending the name
    # ("gatewick ag"); "eduardas" is not "eduard as", nor "joaquina" "joaquin a"
    short = [i for i, p in enumerate(parts) if len(p) < PART_MIN_LEN and p not in _CONNECTORS]
    if len(short) > 1 or (len(parts) < 3 and any(
            i != len(parts) - 1 or parts[i] not in legal_form_words() for i in short)):
        return None
    return parts


def _join_split(tokens: list[str], words: Collection[str]) -> list[str]:
    """Neighbouring words that are one listed word when joined, and not both listed words
    themselves ("techno logies", "gate wick"), joined; legal forms and connectors stay apart
    ("S.A. de C.V." is not "sade")."""
    extra, legal = _extra_words(), legal_form_words()
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        if i + 1 < n:
            a, b = tokens[i], tokens[i + 1]
            joined = a + b
            if ((joined in words or joined in extra) and joined.isalpha()
                    and not (len(a) > 2 and len(b) > 2 and _known(a, words) and _known(b, words))
                    and a not in _CONNECTORS and b not in _CONNECTORS
                    and not (a in legal and b in legal)):
                out.append(joined)
                i += 2
                continue
        out.append(tokens[i])
        i += 1
    return out


def _digits_as_letters(token: str, words: Collection[str]) -> list[str]:
    """A word written with digits for letters ("t0t4l", "l1m1t3d"), read with letters; digits
    after letters are a number ("yu8660" is yu 8660)."""
    if m := _LETTERS_NUMBER.fullmatch(token):
        return [m[1], m[2]]
    if not _MIXED.fullmatch(token):
        return [token]
    as_i = token.translate(_DIGIT_LETTERS)
    as_l = as_i if "1" not in token else token.replace("1", "l").translate(_DIGIT_LETTERS)
    return [as_l if _known(as_l, words) and not _known(as_i, words) else as_i]


def respelt(text: str, words: Collection[str]) -> list[str] | None:
    """The words of a Latin name read as its writer may have disguised them, legal forms
    included (they are set aside afterwards), or None when no reading changes them."""
    tokens = fold_text(text).split()
    out = fold_text(_CAMEL.sub(" ", text)).split() if _CAMEL.search(text) else tokens
    out = _join_letter_runs(out)
    out = [w for t in out for w in _digits_as_letters(t, words)]
    out = _join_split(out, words)
    alone = len(out) == 1
    out = [w for t in out for w in (split_glued(t, words, alone=alone) or [t])]
    return out if out != tokens else None


def disguised_readings(name: str, forms: tuple[NameForm, ...], words: Collection[str],
                       person: bool | None) -> list[tuple[NameForm, str]]:
    """Other readings of the query ``name`` (whose ``forms`` are already read), each with a
    note of what was read otherwise: look-alike letters, spaced letters, digits, glued or split
    words."""
    out: list[tuple[NameForm, str]] = []
    seen = {f.tokens for f in forms}
    texts = [name] if forms and forms[0].script == "latin" else []
    if twin := lookalike_latin(name):
        texts.append(twin)
        for f in name_forms(twin, person):
            if f.tokens not in seen:
                seen.add(f.tokens)
                out.append((f, f"query read as {twin!r}: letters of another script read as "
                               "the Latin letters they look like"))
    for text in texts:
        words_read = respelt(text, words)
        if words_read is None:
            continue
        g = latin_form(" ".join(words_read), person=person)
        if g is None or not g.tokens or g.tokens in seen:
            continue
        seen.add(g.tokens)
        out.append((g, f"query read as {' '.join(words_read)!r}: "
                       + ("letters of another script read as Latin ones; " if text != name
                          else "") + "words spaced, glued, split or written with digits"))
    return out
