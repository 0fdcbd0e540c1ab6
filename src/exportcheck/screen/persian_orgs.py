"""Persian-script company and institution names read as the English names the lists carry.

The lists write most Iranian entities by their English names ("NATIONAL IRANIAN OIL COMPANY",
"DEFENSE INDUSTRIES ORGANIZATION"), while Iranian contracts, invoices and bank forms write
شرکت ملی نفت ایران. The romaniser (:mod:`.arabic`) reads that as "sherkat melli naft iran",
which finds the lists' transliterations ("BANK MELLI IRAN") but not their English names. So a
Persian organisation name is also read word by word through a cited glossary
(``data/persian_glossary.csv``), as :mod:`.han_orgs` does for Chinese:

* words are looked up with their letter variants folded (ی/ي, ک/ك, ة/ه) and the zero-width
  non-joiner dropped (نفت‌کش = نفتکش), longest run of words first (جمهوری اسلامی = "Islamic
  Republic"); the ezafe, unwritten, needs nothing, and where it is written as a ی after a vowel
  (توسعه‌ی, نیروهای) the word without it is looked up;
* a word the glossary does not know is a proper name, spelt as the romaniser spells it;
* the English words are folded and their legal form set aside as list names are, and the
  scorer compares words, not strings: Persian puts the head first (شرکت ... = "... Company").

Only names carrying an organisation word of the glossary (شرکت, بانک, سازمان ...) are read,
and only as queries (script ``fa-en``): listed names keep to their own script.
"""

from __future__ import annotations

import csv
import itertools
import re
from functools import lru_cache
from pathlib import Path

from exportcheck.screen.arabic import ARABIC_RE, arabic_key, word_spellings
from exportcheck.screen.normalize import GlossaryWord, NameForm, fold_parts, fold_text

GLOSSARY_PATH = Path(__file__).with_name("data") / "persian_glossary.csv"
#: script of the forms built here (compared like Latin names, word by word)
SCRIPT = "fa-en"
#: forms per name: the first renderings, then each ambiguous word's others
MAX_FORMS = 16
_MAX_COMBOS = 4096
#: glossary kinds that make a name an organisation's
_ORG_KINDS = frozenset({"legal", "org"})
_ZWNJ = "\u200c"
_TOKEN = re.compile(r"[^\s\-‐-―_/,;:.()\[\]{}«»\"'،؛]+")
#: a written ezafe after a vowel: توسعه‌ی, نیروهای (ی), توسعهٔ (hamza, folded away by arabic_key)
_EZAFE_AFTER = ("ه", "ا", "و")


def word_key(word: str) -> str:
    """A Persian word as the glossary is keyed: letter variants folded, no ZWNJ, no marks, and
    ئ before ی as ی (هواپیمائی = هواپیمایی, two spellings of one word)."""
    return arabic_key(word.replace(_ZWNJ, "").replace("ئی", "یی"))


@lru_cache(maxsize=1)
def glossary() -> dict[tuple[str, ...], GlossaryWord]:
    """Keys of the glossary's words (one tuple per entry, several words for a phrase) ->
    :class:`GlossaryWord`."""
    words: dict[tuple[str, ...], GlossaryWord] = {}
    with GLOSSARY_PATH.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            persian = row["persian"].strip()
            eng = tuple(e.strip() for e in row["english"].split("|") if e.strip())
            kind, source = row["kind"].strip(), row["source"].strip()
            if not persian or not eng or not source:
                raise ValueError(f"persian_glossary.csv: incomplete row for {persian!r}")
            key = tuple(word_key(w) for w in persian.split())
            words[key] = GlossaryWord(persian, eng, kind, source)
    return words


@lru_cache(maxsize=1)
def _longest() -> int:
    return max(len(k) for k in glossary())


def _key(word: str) -> str:
    """The glossary key of a written word: the word without a written ezafe when only that
    is in the glossary (نیروهای -> نیروها)."""
    key = word_key(word)
    known = {k[0] for k in glossary()}
    if key not in known and len(key) > 2 and key[-1] == "ي" and key[-2] in _EZAFE_AFTER and (
            key[:-1] in known):
        return key[:-1]
    return key


def segment(name: str) -> list[tuple[str, GlossaryWord | None]]:
    """A name cut into (written word or phrase, glossary entry or None), longest phrase first."""
    words = _TOKEN.findall(name)
    keys = [_key(w) for w in words]
    gloss = glossary()
    out: list[tuple[str, GlossaryWord | None]] = []
    i = 0
    while i < len(words):
        for size in range(min(_longest(), len(words) - i), 0, -1):
            entry = gloss.get(tuple(keys[i : i + size]))
            if entry is not None:
                out.append((" ".join(words[i : i + size]), entry))
                i += size
                break
        else:
            out.append((words[i], None))
            i += 1
    return out


def is_org_name(name: str) -> bool:
    """Whether a Persian-script name carries an organisation word of the glossary."""
    return bool(ARABIC_RE.search(name)) and any(
        w is not None and w.kind in _ORG_KINDS for _, w in segment(name))


def _proper(word: str) -> tuple[str, ...]:
    """A word the glossary does not know, as the romaniser spells it (Persian values)."""
    if not ARABIC_RE.search(word):
        folded = fold_text(word)
        return (folded,) if folded else ()
    spellings = word_spellings(word.replace(_ZWNJ, ""), True)
    return tuple(dict.fromkeys(s for s in spellings[:3] if s))[:2]


def org_forms(name: str) -> list[NameForm]:
    """English-word forms of a Persian organisation name (module doc); [] for other names."""
    if not is_org_name(name):
        return []
    segs = segment(name)
    # English writes the legal form last ("... Company"), Persian first (شرکت ...)
    segs = [s for s in segs if not (s[1] and s[1].kind == "legal")] + [
        s for s in segs if s[1] and s[1].kind == "legal"]
    slots: list[tuple[tuple[str, bool], ...]] = []
    for text, word in segs:
        if word is not None:
            slots.append(tuple((e, False) for e in word.english))
        elif alts := _proper(text):
            slots.append(tuple((a, True) for a in alts))
    while slots and _size(slots) > _MAX_COMBOS:
        widest = max(range(len(slots)), key=lambda k: len(slots[k]))
        slots[widest] = slots[widest][:-1]
    combos = sorted(itertools.product(*(range(len(s)) for s in slots)), key=lambda c: (sum(c), c))
    forms: dict[tuple[str, ...], NameForm] = {}
    for combo in combos:
        form = fold_parts([slots[k][c] for k, c in enumerate(combo)], SCRIPT,
                          split_proper=False)
        if form is not None and form.tokens not in forms:
            forms[form.tokens] = form
            if len(forms) >= MAX_FORMS:
                break
    return list(forms.values())


def _size(slots: list[tuple[tuple[str, bool], ...]]) -> int:
    size = 1
    for s in slots:
        size *= len(s)
    return size


def hit_note(query: str, form: NameForm) -> str | None:
    """The explanation of a hit found through the glossary reading (script ``fa-en``)."""
    if form.script != SCRIPT:
        return None
    used = [f"{w.written}={'|'.join(w.english)}" for _, w in segment(query) if w is not None]
    return (f"query read through the Persian glossary (persian_glossary.csv): "
            f"{' '.join(form.tokens)}" + (f" [{', '.join(used)}]" if used else ""))
