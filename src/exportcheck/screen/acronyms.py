"""Acronyms of listed organisations: "PLA" for "People's Liberation Army", "HIT" for "Harbin
Institute of Technology", "HUST" for "Huazhong University of Science and Technology".

Why: Chinese universities, institutes and state groups sign and are written about by their
initials, and the lists give those as aliases for some entries only (the Entity List has
"NUDT" and "BUAA" but not "HIT" or "HUST"). A party written "HIT" was found by nothing.

An acronym stands for many names ("HIT" is also a brand and a dozen companies), so a match
through one is never certain on the name alone: it is scored as a partial match
(:data:`~exportcheck.screen.scorer.PARTIAL_MAX`) and reaches the threshold only when other
evidence agrees, the party's country most often. Only an organisation's listed names get
acronyms, never a person's ("John Fitzgerald Kennedy" is not "JFK" on any list), and only a
query of one word matches one.
"""

from __future__ import annotations

from exportcheck.screen.normalize import NameForm

#: the script of a derived acronym form (:class:`~exportcheck.screen.normalize.NameForm`)
ACRONYM = "acronym"
#: words acronyms skip: "Harbin Institute *of* Technology" is HIT
_SKIPPED = frozenset(("of", "and", "for", "the", "in", "on", "at", "to", "und", "et", "y",
                      "de", "des", "du", "del", "la", "le", "fur"))
MIN_LETTERS = 3
MAX_LETTERS = 8
#: words of the institutions and forces known by three initials (HIT, NUDT's peers, PLA). A
#: company's three initials are not derived: one in twenty of all three-letter strings is the
#: initials of some listed Chinese organisation, so "CCB" (China Construction Bank) found
#: "Cheil Credit Bank" and "ZTE" "Zhejiang Tianlu Energy" whenever the country was China
INSTITUTION_WORDS = frozenset(("univ", "universities", "inst", "institutes", "academy",
                               "academies", "college", "colleges", "school", "lab", "army",
                               "navy", "force", "corps", "guards"))


def acronyms(form: NameForm) -> tuple[str, ...]:
    """The acronyms of a Latin organisation-name form: its words' initials, and those followed
    by the initial of a one-word legal form ("Semiconductor Manufacturing International
    Corporation": SMIC); three letters only for an institution or a force
    (:data:`INSTITUTION_WORDS`)."""
    if form.script != "latin":
        return ()
    words = [t for t in form.tokens if t not in _SKIPPED]
    if len(words) < 2 or not all(t.isascii() and t.isalpha() and len(t) > 1 for t in words):
        return ()  # numbers and lone initials: "Unit 61398", "A. B. Trading"
    base = "".join(t[0] for t in words)
    least = MIN_LETTERS if INSTITUTION_WORDS.intersection(words) else MIN_LETTERS + 1
    out = [base] if least <= len(base) <= MAX_LETTERS else []
    if len(form.legal) == 1 and least <= len(base) + 1 <= MAX_LETTERS:
        out.append(base + form.legal[0][0])
    return tuple(out)


def acronym_forms(form: NameForm) -> tuple[NameForm, ...]:
    """:func:`acronyms` as name forms of their own, for the index."""
    return tuple(NameForm((a,), (), ACRONYM) for a in acronyms(form))


def acronym_match(query: NameForm, listed: NameForm) -> str | None:
    """The acronym when ``query`` is one Latin word that is ``listed``'s derived acronym."""
    if listed.script != ACRONYM or query.script != "latin" or len(query.tokens) != 1:
        return None
    return query.tokens[0] if query.tokens == listed.tokens else None
