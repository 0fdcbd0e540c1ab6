"""Is a screening hit certain enough to decide a determination, or only a potential match?

A hit reaching the threshold says "this may be the listed party". It decides the answer on
its own only when the name is the listed name word for word *and* other evidence agrees
(date of birth, country, an identifier), or when an officer has confirmed it (a ``confirmed``
disposition for the same party identity and entry). Everything else holds the line for
review: an officer confirms the match (the hit then decides) or clears it (the screener then
suppresses it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exportcheck.models import ScreeningHit
from exportcheck.screen.countries import same_jurisdiction

#: match kinds that can be certain on the name alone
EXACT = "exact"
#: a hit derived from ownership (exportcheck.screen.ownership): as certain as its chain
OWNED = "owned"


def match_kind(hit: ScreeningHit) -> str:
    """The hit's match kind; hits from before the scorer filled it in count as "exact" at a
    name score of 100 and as "full" below."""
    if hit.match_kind:
        return hit.match_kind
    name_score = hit.name_score if hit.name_score is not None else hit.score
    return EXACT if name_score >= 100 else "full"


def corroboration(hit: ScreeningHit, country: str | None = None) -> tuple[str, ...]:
    """The evidence that agreed with the entry. Hits from before the scorer recorded it
    (``match_kind`` unset) are credited with the country they were screened with when the
    entry lists it, the one piece of evidence such a hit can show."""
    if hit.corroborated_by or hit.match_kind:
        return tuple(hit.corroborated_by)
    if country and any(same_jurisdiction(country.upper(), c) for c in hit.countries):
        return ("country",)
    return ()


@dataclass(frozen=True, slots=True)
class Assessment:
    """Whether a hit decides the answer (``certain``) and why, in one sentence."""

    certain: bool
    why: str
    kind: str
    corroborated_by: tuple[str, ...]


def assess(hit: ScreeningHit, name: str, *, country: str | None = None,
           screener: Any = None) -> Assessment:
    """Certain or held, for party ``name`` screened with ``country``.

    ``screener`` (an :class:`~exportcheck.screen.service.Screener`, or anything with its
    ``recorded_decision``) supplies confirmed dispositions."""
    kind = match_kind(hit)
    evidence = corroboration(hit, country)
    lookup = getattr(screener, "recorded_decision", None)
    disp = None
    if lookup is not None and name:
        disp = lookup(name, hit.list, hit.entry_id, country=country)
    if disp is not None and disp.decision == "confirmed":
        return Assessment(True, f"confirmed by {disp.user} on {disp.decided_on}: {disp.reason}",
                          kind, evidence)
    if kind == OWNED:
        if evidence:
            return Assessment(True, "every owner in the chain is a certain match", kind, evidence)
        return Assessment(False, "the ownership rests on owner matches that are not certain",
                          kind, evidence)
    if kind == EXACT and evidence:
        return Assessment(True, f"exact name match, corroborated by {', '.join(evidence)}",
                          kind, evidence)
    if kind == EXACT:
        why = "exact name match but no other evidence (date of birth, country, identifier) agrees"
    elif evidence:
        why = f"{kind} name match (corroborated by {', '.join(evidence)}): not the exact name"
    else:
        why = f"{kind} name match and no other evidence agrees"
    return Assessment(False, why, kind, evidence)
