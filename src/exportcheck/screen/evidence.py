"""Secondary evidence: date of birth, country, entity type and ids move a name score.

A name alone cannot tell two Mohammed Alis apart; a different year of birth can. Each rule
returns points and a sentence for the explanation, so an officer sees why a hit ranks where it
does. Missing data on either side changes nothing.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from exportcheck.errors import InvalidInput
from exportcheck.screen.countries import same_jurisdiction, to_iso2
from exportcheck.screen.entries import ListEntry
from exportcheck.screen.normalize import NameForm
from exportcheck.screen.scorer import PARTIAL_MISSING_COST
from exportcheck.screen.weights import generic_only, generic_words, org_like

DOB_EXACT = 5.0
DOB_YEAR = 2.0
DOB_FAR = -20.0  # every listed year of birth more than 2 years away
COUNTRY_MATCH = 2.0
COUNTRY_MISMATCH = -4.0
KIND_MISMATCH = -16.0
ID_MATCH = 15.0
#: a partial-name match (scorer.PARTIAL_MAX) that other evidence agrees with gains this much more
PARTIAL_CORROBORATED = 8.0


def parse_dob(value: str | date | None) -> str | None:
    """Accept 'YYYY', 'YYYY-MM', 'YYYY-MM-DD' or a date; reject anything else clearly. A
    datetime (pandas' Timestamp) is its day: its isoformat, with the time, matched no listed
    date of birth, so the hit lost the exact date's points without a word; NaT is none."""
    if value is None or value == "" or value != value:  # NaT, NaN: a blank cell of a frame
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    v = str(value).strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?", v)
    if not m:
        raise InvalidInput(
            f"date of birth {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD", field="dob")
    year = int(m.group(1))
    if not 1850 <= year <= date.today().year:
        raise InvalidInput(
            f"date of birth {value!r}: year {year} out of range", field="dob")
    month, day = m.group(2), m.group(3)
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidInput(
            f"date of birth {value!r}: month {int(month)} does not exist", field="dob")
    if day is not None:
        try:
            date(year, int(month), int(day))
        except ValueError:
            raise InvalidInput(f"date of birth {value!r} is not a real date", field="dob") from None
    return "-".join([m.group(1)] + [f"{int(x):02d}" for x in (month, day) if x is not None])


def parse_country(value: str | None) -> str | None:
    if not value:
        return None
    cc = to_iso2(value)
    if cc is None:
        raise InvalidInput(f"unknown country {value!r}: use an ISO code (HK, CN, IR...) or name",
                           field="country")
    return cc


def assess(entry: ListEntry, *, dob: str | None, country: str | None, kind: str | None,
           ids: tuple[str, ...] = ()) -> tuple[float, list[str], list[str]]:
    """Points to add to the name score, one explanation line per rule that fired, and the
    evidence that agreed with the entry ("date of birth", "country", "identifier", "entity
    type")."""
    points = 0.0
    why: list[str] = []
    agreed: list[str] = []
    if dob and entry.dobs and entry.kind in (None, "person"):
        if dob in entry.dobs or (len(dob) >= 10 and any(d == dob for d in entry.dobs)):
            points += DOB_EXACT
            why.append(f"date of birth {dob} listed (+{DOB_EXACT:g})")
            agreed.append("date of birth")
        else:
            year = int(dob[:4])
            years = {int(d[:4]) for d in entry.dobs if d[:4].isdigit()}
            if year in years:
                points += DOB_YEAR
                why.append(f"year of birth {year} listed (+{DOB_YEAR:g})")
                agreed.append("date of birth")
            elif years and all(abs(year - y) > 2 for y in years):
                points += DOB_FAR
                listed = ", ".join(sorted({str(y) for y in years})[:4])
                why.append(f"year of birth {year} far from listed {listed} ({DOB_FAR:g})")
    if country and entry.countries:
        if any(same_jurisdiction(country, c) for c in entry.countries):
            points += COUNTRY_MATCH
            why.append(f"country {country} listed (+{COUNTRY_MATCH:g})")
            agreed.append("country")
        else:
            points += COUNTRY_MISMATCH
            why.append(f"country {country} not among listed {', '.join(entry.countries[:5])} "
                       f"({COUNTRY_MISMATCH:g})")
    if kind and entry.kind:
        if kind != entry.kind:
            points += KIND_MISMATCH
            why.append(f"query is {_a(kind)}, entry is {_a(entry.kind)} ({KIND_MISMATCH:g})")
        else:
            agreed.append("entity type")
    if ids and entry.ids:
        norm = {re.sub(r"[^A-Z0-9]", "", i.upper()) for i in entry.ids}
        same = [i for i in ids if re.sub(r"[^A-Z0-9]", "", i.upper()) in norm]
        if same:
            points += ID_MATCH
            why.append(f"identifier {same[0]} listed (+{ID_MATCH:g})")
            agreed.append("identifier")
    return points, why, agreed


def search_bounds(threshold: float, *, country: bool, dob: bool,
                  ids: bool) -> tuple[float, float, float]:
    """``(reach, min_share, min_rank)`` for a screen at ``threshold`` with the evidence given.

    ``reach``: the least name score that evidence can lift to the threshold (the most it adds,
    a partial match's bonus included). A candidate must share ``min_share`` of the query's
    words and ``min_rank`` of the longer name's to score ``reach``: a partial match scores
    100 less PARTIAL_MISSING_COST per unit of the longer name missing. So screening looks as
    wide as the evidence can lift, and a hit found at a lower threshold is not missed at a
    higher one; an identifier can lift a partial match a long way: then any share will do."""
    points = COUNTRY_MATCH * country + DOB_EXACT * dob + ID_MATCH * ids
    reach = threshold - (points + PARTIAL_CORROBORATED if points else 0.0)
    partial = (reach - (100 - PARTIAL_MISSING_COST)) / PARTIAL_MISSING_COST
    min_rank = 0.0 if ids else min(0.45, max(0.0, min((reach - 40) / 100, partial)))
    return reach, min(0.6, max(0.2, (reach - 25) / 100)), min_rank


def may_agree(entry: ListEntry, country: str | None, dob: str | None) -> bool:
    """Whether the country or date of birth given may agree with ``entry`` (:func:`assess`
    adds points only then): a candidate beyond the name-only search bounds is worth scoring
    only if so."""
    if country and any(same_jurisdiction(country, c) for c in entry.countries):
        return True
    return bool(dob and entry.kind in (None, "person")
                and any(d[:4] == dob[:4] for d in entry.dobs))


def _a(word: str) -> str:
    return ("an " if word[:1] in "aeiou" else "a ") + word


#: a partial match missing this share of the longer name or more is not corroborated by the
#: country alone: "Andrés López" in Mexico is half of "FAVELA LOPEZ, Victor Andres" (a second
#: given name and the second surname), and the country is that of millions of Andrés Lópezes
COUNTRY_ALONE_MAX_MISSING = 0.5


def generic_shared(query: NameForm, listed: NameForm, entry_kind: str | None
                   ) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The words a partial match of organisations shares and the other name's own words it
    lacks, when the shared ones are all places and trade words and the lacking ones name a
    company ("Hong Kong Electronics" in "YLH ELECTRONICS HK CO LIMITED": YLH): such a name
    says where a company is and what it does, not which company it is. A unit of a group
    lacking only its number or institute ("China Electronics Technology Group Corporation"
    in its "... 32nd Research Institute") is not this case."""
    if entry_kind == "person":
        return None
    shorter, longer = sorted((query.tokens, listed.tokens), key=len)
    if not generic_only(shorter):
        return None
    own = tuple(t for t in longer if t not in shorter and t not in generic_words()
                and not _unit_number(t))
    return (shorter, own) if own else None


#: ordinal and Roman numeral words that number a group's units ("Tenth Research Institute")
_ORDINALS = frozenset({"first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                       "eighth", "ninth", "tenth", "no", "i", "ii", "iii", "iv", "v", "vi"})


def _unit_number(token: str) -> bool:
    return token in _ORDINALS or any(ch.isdigit() for ch in token)


def corroborate_partial(agreed: list[str], doubt: str | None = None, missing: float = 0.0,
                        generic: tuple[tuple[str, ...], tuple[str, ...]] | None = None
                        ) -> tuple[float, str | None]:
    """Extra points for a partial-name match that evidence agrees with. The entity type alone
    does not count: stating "person" for a person says nothing about which one. ``doubt``
    (:func:`type_doubt`): why the two may not even be the same kind of party; then nothing
    corroborates. ``missing``: the share of the longer name the match lacks; from
    :data:`COUNTRY_ALONE_MAX_MISSING` on, a country alone does not corroborate it. Nor does it
    when the words shared are all places and trade words (``generic``, from
    :func:`generic_shared`): thousands of companies in Hong Kong are called so."""
    strong = [a for a in agreed if a != "entity type"]
    if not strong:
        return 0.0, None
    if doubt:
        return 0.0, f"partial name not corroborated by {' and '.join(strong)}: {doubt}"
    if strong == ["country"] and missing >= COUNTRY_ALONE_MAX_MISSING:
        return 0.0, (f"partial name not corroborated by the country alone: {missing:.0%} of "
                     "the longer name is missing (a date of birth or an identifier would)")
    if strong == ["country"] and generic:
        shared, own = generic
        return 0.0, (f"partial name not corroborated by the country alone: the words shared "
                     f"({' '.join(shared)}) are places and trade words that many companies "
                     f"carry, and the other name's own ({' '.join(own)}) is missing")
    return PARTIAL_CORROBORATED, (f"partial name corroborated by {' and '.join(strong)} "
                                  f"(+{PARTIAL_CORROBORATED:g})")


def type_doubt(query_kind: str | None, entry_kind: str | None, listed: NameForm) -> str | None:
    """Why a query known to be an organisation (it carries a legal form: "Green LLC") may not
    be the listed party of a list that does not say what its entries are (the Denied Persons
    List), when the listed name reads as a person's ("TOBY GREEN": two to four words, no legal
    form, no organisation word). The same country then says nothing: a US company and a
    denied US person share a surname."""
    if query_kind != "entity" or entry_kind is not None or listed.script != "latin":
        return None
    tokens = listed.tokens
    if listed.legal or not 2 <= len(tokens) <= 4 or org_like(tokens) or not all(
            t.isalpha() for t in tokens):
        return None
    return "the query is an organisation (a legal form) and the listed name reads as a person's"


def corroborate_match(agreed: list[str], missing: float, query: NameForm, listed: NameForm,
                      query_kind: str | None, entry_kind: str | None) -> tuple[float, str | None]:
    """:func:`corroborate_partial` for a partial match of ``query`` inside ``listed`` (or the
    reverse), with its doubts worked out from the two names."""
    return corroborate_partial(agreed, type_doubt(query_kind, entry_kind, listed), missing,
                               generic_shared(query, listed, entry_kind))
