"""How much each word of an organisation's name says about which organisation it is.

Learnt from the lists themselves, not from a hand list alone: a word carried by many listed
organisations ("trade", "hong", "kong", "tech", "electronic", "shenzhen") tells little about
which one is meant, a word carried by one or two ("huawei", "garrison") tells a lot. The factor
of a word is its inverse document frequency among listed organisations, relative to that of a
word carried by :data:`REF_SHARE` of them, floored at :data:`FLOOR`:

    factor(w) = clamp((log(N / df(w)) / log(1 / REF_SHARE)) ** 2, FLOOR, 1)

where N is the number of listed organisations (entities, vessels, aircraft; one count per
distinct primary name, so an entry copied in two files counts once) and df(w) how many of them
carry w in any of their names. The square makes common words fall off faster than a plain IDF:
"tech" (on ~4% of organisations) weighs 0.2 of a distinctive word, "hong" (~1%) 0.7. Only words
with a factor below 1 are stored.

The table is a reviewed data file (``data/org_word_weights.json``) rather than recomputed at each
list load, so that a pair of names scores the same whichever list version is loaded, and an
officer can look a word's weight up. ``scripts/learn-word-weights`` rebuilds it from the official
lists; a test checks that the file is what the learner gives on the shared list files.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from exportcheck.screen.entries import ListEntry

DATA_FILE = Path(__file__).with_name("data") / "org_word_weights.json"
#: a word carried by at most this share of listed organisations weighs in full
REF_SHARE = 0.002
#: no word weighs less than this (a company called "Trading Hong Kong" still has a name)
FLOOR = 0.2
#: words on fewer organisations than this are distinctive whatever N is
MIN_DF = 5


def learn(entries: Iterable[ListEntry]) -> dict:
    """The weight table for these list entries (organisations only), as stored in the file."""
    from exportcheck.screen.normalize import fold_text, name_forms

    df: Counter[str] = Counter()
    legal_df: Counter[str] = Counter()
    n = 0
    seen: set[str] = set()
    for e in entries:
        key = fold_text(e.name)
        if e.kind == "person" or key in seen:
            continue
        seen.add(key)
        tokens: set[str] = set()
        legal: set[str] = set()
        for alias in e.all_names():
            for form in name_forms(alias, False):
                if form.script in ("latin", "other"):
                    tokens.update(form.tokens)
                    legal.update(form.legal)
        if tokens:
            n += 1
            df.update(tokens)
            legal_df.update(legal)
    ref = math.log(1 / REF_SHARE)
    factors = {}
    for word, d in df.items():
        if d < MIN_DF or not word.isalpha():
            continue
        f = max(FLOOR, min(1.0, (math.log(n / d) / ref) ** 2))
        if f < 1.0:
            factors[word] = round(f, 3)
    return {"organisations": n, "ref_share": REF_SHARE, "floor": FLOOR, "min_df": MIN_DF,
            "factors": dict(sorted(factors.items(), key=lambda kv: (kv[1], kv[0]))),
            "legal_forms": sorted(w for w, d in legal_df.items() if d >= MIN_DF)}


def write(table: dict, sources: list[str], path: Path = DATA_FILE) -> None:
    doc = {"_about": "Organisation-name word weights learnt from the restricted-party lists by "
                     "exportcheck.screen.weights.learn (see its docstring); rebuild with "
                     "scripts/learn-word-weights.",
           "_sources": sources, **table}
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=0) + "\n", "utf-8")


@lru_cache(maxsize=1)
def org_factors() -> dict[str, float]:
    """word -> factor in [FLOOR, 1) for organisation names; words not in it weigh 1."""
    if not DATA_FILE.exists():
        return {}
    return json.loads(DATA_FILE.read_text("utf-8"))["factors"]


@lru_cache(maxsize=1)
def listed_legal_forms() -> frozenset[str]:
    """Legal-form words that at least :data:`MIN_DF` listed organisations carry ("ltd",
    "gmbh", "ooo"): typed alone, such a word is a legal form with the name left out. A rarer
    form of the table ("oppo", "htx") typed alone is more likely a company's own name."""
    if not DATA_FILE.exists():
        return frozenset()
    return frozenset(json.loads(DATA_FILE.read_text("utf-8")).get("legal_forms", ()))


@lru_cache(maxsize=1)
def _org_words() -> frozenset[str]:
    from exportcheck.screen.normalize import ORG_WORDS

    learnt = (w for w, f in org_factors().items() if f <= ORG_WORD_FACTOR and len(w) >= 5)
    return frozenset((*ORG_WORDS.values(), *learnt))


#: a word this common among listed organisations (and of 5 letters or more, so not "hong" or
#: "yuan", which are also given names) marks a name as an organisation's
ORG_WORD_FACTOR = 0.7


#: Han glossary kinds whose English renderings place an organisation or say its trade
_GENERIC_KINDS = frozenset({"place", "word", "institution", "org", "legal"})


@lru_cache(maxsize=1)
def _word_classes() -> tuple[frozenset[str], frozenset[str]]:
    """(generic words, places): see :func:`generic_words` and :func:`place_words`."""
    from exportcheck.screen.countries import _ALIASES
    from exportcheck.screen.han_orgs import glossary
    from exportcheck.screen.normalize import ORG_WORDS, name_forms

    factors = org_factors()
    words = set(ORG_WORDS.values())
    places = {k for k in _ALIASES if k.isalpha()}
    for entry in glossary().values():
        if entry.kind not in _GENERIC_KINDS:
            continue
        for english in entry.english:
            for form in name_forms(english, False)[:1]:
                one_word_place = entry.kind == "place" and len(form.tokens) == 1
                kept = {t for t in form.tokens if len(t) > 1 and (one_word_place
                                                                  or t in factors)}
                (places if entry.kind == "place" else words).update(kept)
    return frozenset(words | places), frozenset(places)


def generic_words() -> frozenset[str]:
    """Words that say where an organisation is and what it does, not which one it is: the
    Han glossary's one-word places ("Shenzhen", "HK") and the words of its longer ones that
    many listed organisations carry ("Hong Kong"; not "Sha Tin", whose words are also names),
    its trade and institution words that many listed organisations carry (a factor below 1:
    "electronic", "trade", "group"; not "panda" or "torch", which are names), the English
    organisation words, and one-word country names."""
    return _word_classes()[0]


def place_words() -> frozenset[str]:
    """The places of :func:`generic_words`: a branch or subsidiary is often named by its
    place alone (Shenzhen Huawei Technology Service, 成都华为)."""
    return _word_classes()[1]


def generic_only(tokens: tuple[str, ...]) -> bool:
    """Is every word of this name a place or a trade word ("Hong Kong Electronics")?"""
    words = generic_words()
    return bool(tokens) and all(t in words for t in tokens)


def org_like(tokens: tuple[str, ...]) -> bool:
    """Does a name without a legal form read as an organisation ("Wagner Group", "K Logistics
    Hong Kong")? Lists such as the Entity List mix people and companies without saying which."""
    words = _org_words()
    return any(t in words for t in tokens)


#: legal forms that only a company carries: "Ku", "Yu", "Ro", "Sa'd" are also in the legal-form
#: table but end people's names ("KU JA HYONG", "YU CHOL U")
COMPANY_FORMS = frozenset((
    "ltd", "limited", "llc", "inc", "incorporated", "corp", "corporation", "company", "gmbh",
    "plc", "llp", "sarl", "srl", "spa", "bv", "kg", "jsc", "ooo", "pte", "pty", "ojsc", "cjsc",
    "pjsc", "kft", "zao", "oao", "sas", "ug", "ohg", "gbr", "bhd", "tbk", "ltda", "wll", "fzco",
    "fze", "fzc", "ag", "nv", "oyj", "kgaa", "sro", "aps", "doo", "eood", "有限公司",
    "股份有限公司", "有限责任公司", "公司", "集团"))
