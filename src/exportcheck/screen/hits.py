"""A screening hit as the screener reports it: built with its explanation, and the same entry
from two files (sdn.csv and the CSL) reported once."""

from __future__ import annotations

from dataclasses import replace

from exportcheck.models import ScreeningHit
from exportcheck.screen.entries import LIST_CODES, ListEntry, listed_under, written_variants


def make_hit(entry: ListEntry, entry_hash: str, query: str, score: float, nscore: float, m,
             qf, iname, why: list[str], suppressed: str | None,
             agreed: tuple[str, ...] = ()) -> ScreeningHit:
    """The hit of ``entry`` through its alias ``iname`` (an IndexedName), query form ``qf``
    and match ``m``, explained: the alias, how the query was read, the match, the evidence."""
    listed_legal = iname.form.legal
    if (typed := _alias_as_typed(entry, query, iname.alias)) is not None:
        iname, listed_legal = replace(iname, alias=typed), ()  # its legal forms are the query's
    explanation = [f"name {nscore:g}: alias {iname.alias!r}"
                   + ("" if iname.alias == entry.name else f" of {entry.name!r}")]
    if (written := _written_as(entry, iname.alias)) is not None:
        explanation.append(f"the list writes it {written!r}")
    from exportcheck.screen.han_orgs import hit_notes  # Han company names (issue #11.4)

    explanation += hit_notes(entry, iname.alias, qf, query)
    from exportcheck.screen.persian_orgs import hit_note  # Persian company names

    if (note := hit_note(query, qf)) is not None:
        explanation.append(note)
    if qf.script in ("pinyin", "jyutping", "han", "korean"):
        label = {"pinyin": "Mandarin pinyin", "jyutping": "HK Cantonese romanisation",
                 "han": "Han characters", "korean": "Korean (North Korean names)"}[qf.script]
        explanation.append(f"query read as {label}: {' '.join(qf.tokens)}")
    elif qf.script in _ROMANISED:
        explanation.append(f"query read as {_ROMANISED[qf.script]}: {' '.join(qf.tokens)}")
    elif iname.form.script in ("pinyin", "jyutping"):
        explanation.append(f"list name romanised ({iname.form.script}): "
                           f"{' '.join(iname.form.tokens)}")
    explanation += m.explain()
    if listed_legal or qf.legal:
        explanation.append("legal forms set aside: "
                           + " ".join(dict.fromkeys(qf.legal + listed_legal)))
    explanation += why
    return ScreeningHit(
        list=entry.list, entry_id=entry.entry_id, matched_name=iname.alias, score=score,
        query=query, list_name=entry.list_name or LIST_CODES.get(entry.list, entry.list),
        programs=tuple(entry.programs), license_requirement=entry.license_requirement,
        license_policy=entry.license_policy,
        federal_register_notice=entry.federal_register_notice,
        explanation=tuple(explanation), kind=entry.kind, countries=tuple(entry.countries),
        dobs=tuple(entry.dobs), name_score=nscore, entry_hash=entry_hash,
        suppressed_by=suppressed, match_kind=m.kind, corroborated_by=agreed,
        listed_on=entry.listed_on, listed_until=entry.listed_until,
        listed_under=(under[0] if (under := listed_under(entry.name)) else None),
        listed_name=entry.name,
    )


#: how a name written in another script was romanised (:mod:`exportcheck.screen.scripts`):
#: a hit said "query read as Han characters: ..." but only token pairs for these, so an
#: officer could not tell what the query had been compared as
_ROMANISED = {
    "abjad": "Arabic script, romanised as lists spell it (short vowels guessed: compared by "
             "consonants)",
    "cyrillic": "Cyrillic, romanised as lists spell it",
    "hangul": "Korean (Hangul), romanised as lists spell it",
}


def dedupe(hits: list[ScreeningHit]) -> list[ScreeningHit]:
    """The same entry from two files (sdn.csv and the CSL): keep the best-scoring one."""
    seen: set[tuple[str, str]] = set()
    out = []
    for h in hits:
        if (h.list, h.entry_id) not in seen:
            seen.add((h.list, h.entry_id))
            out.append(h)
    return out


def _alias_as_typed(entry: ListEntry, query: str, shown: str) -> str | None:
    """The entry's name written as the query, when the index kept another one of the same
    words: an entry's names that read alike are indexed once, so the former name
    上海航天设备制造总厂 typed would show as the registered 上海航天设备制造总厂有限公司 and
    cite that row of the Chinese names table."""
    if shown.casefold() == query.casefold():
        return None
    typed = query.strip().casefold()
    return next((n for n in entry.all_names() if n.casefold() == typed), None)



def _written_as(entry: ListEntry, alias: str) -> str | None:
    """The alias as the list writes it, when the index read ``alias`` out of it ("7TH OF TIR
    INDUSTRIES OF ESFAHAN" out of "... ISFAHAN/ESFAHAN") and the hit's first line does not
    show it already (the entry's primary name)."""
    written = (*entry.aliases, *entry.original_script)
    if alias == entry.name or alias in written:
        return None
    return next((n for n in written if alias in written_variants(n)[1:]), None)
