"""The ownership graph's key of an entity: the rows of an owners file that name one company
in different spellings must meet in one node, or its owners' stakes split between two and a
50% aggregate is missed.

On top of :func:`~exportcheck.screen.dispositions.party_key` (case, word order and
punctuation aside), :func:`entity_key` writes each legal form one way (Ltd = Limited,
有限责任公司 = 有限公司) and reads a Han name without the spaces typed inside it: Chinese
and Japanese have no word spaces, so 中国电子科技集团 有限公司 is 中国电子科技集团有限公司.
Latin words keep their boundaries ("AB C" is not "ABC"). Stored parties and dispositions keep
:func:`party_key`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from exportcheck.screen.dispositions import party_key
from exportcheck.screen.normalize import HAN_RE, fold_text

#: legal forms written more than one way, each as its one spelling (folded words). Forms not
#: here (GmbH, plc, Co Ltd against Ltd) are kept as written: two forms are two entities.
_LATIN_FORMS = {"limited liability company": "llc", "limited liability partnership": "llp",
                "public limited company": "plc", "limited": "ltd", "company": "co",
                "corporation": "corp", "incorporated": "inc"}
_LATIN_FORM_RE = re.compile(r"\b(?:" + "|".join(sorted(_LATIN_FORMS, key=len, reverse=True))
                            + r")\b")
#: PRC Company Law (2018) art. 8: a limited liability company's name carries 有限责任公司 or
#: 有限公司, a joint stock company's 股份有限公司 or 股份公司
_HAN_FORMS = {"有限责任公司": "有限公司", "股份公司": "股份有限公司"}
_HAN_RUN = re.compile(f"({HAN_RE.pattern}+)")
#: what people type between the characters of one Han name, after NFKC (which makes the
#: ideographic space U+3000 and the full-width forms ASCII): spaces, and the middle dots that
#: part the words of a transliterated name (U+00B7, katakana U+30FB, hyphenation U+2027)
_HAN_GAP = re.compile(f"(?<={HAN_RE.pattern})[\\s\u00b7\u30fb\u2027]+(?={HAN_RE.pattern})")


@lru_cache(maxsize=65536)
def entity_key(name: str) -> str:
    """The ownership graph's key of an entity: :func:`party_key` with each legal form written
    one way and a Han name read without its inner spaces, so rows spelling one company two
    ways ("Beta Trading Ltd", "Beta Trading Limited"; "中国电子科技集团 有限公司",
    "中国电子科技集团有限公司") chain through it rather than silently breaking the chain."""
    text = _HAN_GAP.sub("", unicodedata.normalize("NFKC", name))
    return party_key(" ".join(
        _han_entity(part) if i % 2 else
        _LATIN_FORM_RE.sub(lambda m: _LATIN_FORMS[m.group(0)], fold_text(part))
        for i, part in enumerate(_HAN_RUN.split(text))))


def spelling_key(name: str) -> str:
    """How a row wrote a name, case and word order aside (:func:`party_key`), but with the
    spaces typed inside a Han name kept, which :func:`party_key` drops: an ownership chain
    shows 中国电子科技集团 有限公司 as another spelling of the entity it took as one."""
    parts = _HAN_GAP.split(unicodedata.normalize("NFKC", name))
    return " | ".join(party_key(part) for part in parts)


@lru_cache(maxsize=1)
def _han_legal_forms() -> tuple[str, ...]:
    """The legal forms of the screening glossaries (simplified), longest first."""
    from exportcheck.screen.chinese import simplified
    from exportcheck.screen.han_orgs import glossary
    from exportcheck.screen.normalize import name_data

    forms = {w.written for w in glossary().values() if w.kind == "legal"}
    forms |= {simplified(f) for f in name_data()["han_legal_forms"]}
    return tuple(sorted(forms, key=len, reverse=True))


def _han_entity(run: str) -> str:
    """A Han name with its legal form as a word of its own, in one spelling: 株式会社東芝 =
    東芝株式会社, 华为技术有限责任公司 = 华为技术有限公司 (:data:`_HAN_FORMS`)."""
    from exportcheck.screen.chinese import simplified

    simp = simplified(run)
    forms = _han_legal_forms()
    if simp in forms:  # the form alone, written apart from a Latin name ("Acme 有限公司")
        return _one_han_form(simp)
    for form in forms:
        if len(simp) <= len(form):
            continue
        if simp.endswith(form):
            return f"{simp[: -len(form)]} {_one_han_form(form)}"
        if len(form) >= 4 and simp.startswith(form):  # 株式会社東芝: only the long forms
            return f"{simp[len(form):]} {_one_han_form(form)}"
    return simp


def _one_han_form(form: str) -> str:
    for long, short in _HAN_FORMS.items():
        if form.endswith(long):
            return form[: -len(long)] + short
    return form
