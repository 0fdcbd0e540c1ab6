"""Officers' decisions about screening hits: a party is not a list entry (``cleared``) or it
is (``confirmed``), bound to the party's identity and to the entry's content.

OFAC numbers a party once across its lists: SDN 29249 and the non-SDN (NS-MBS) copy 29249 are
the same person, Carrie Lam. A decision recorded for one copy is the decision for the other
(:class:`Decisions`), so an analyst does not clear or confirm the same person twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from exportcheck.screen.evidence import parse_country, parse_dob
from exportcheck.screen.normalize import HAN_RE, fold_text

if TYPE_CHECKING:
    from exportcheck.models import ScreeningHit
    from exportcheck.screen.service import Screener

#: runs of Han characters (the capturing group keeps them in ``re.split``'s result)
_HAN_RUNS = re.compile(f"({HAN_RE.pattern}+)")
#: spaces between two Han characters: Chinese writes no word spaces, so 陳 大文 (surname and
#: given name typed apart) is 陳大文
_HAN_GAP = re.compile(rf"(?<={HAN_RE.pattern})\s+(?={HAN_RE.pattern})")

#: the OFAC lists that number one party alike: a decision for one copy holds for the other
_OFAC_TWIN = {"SDN": "NONSDN", "NONSDN": "SDN"}


def party_key(name: str) -> str:
    """Order-free key of a party name, so 'LAM, Carrie' and 'Carrie Lam' share dispositions.

    Han characters stay characters (in their simplified forms, so 鄧炳強 = 邓炳强, and
    without the spaces typed between them, so 陳 大文 = 陳大文): their toneless pinyin would
    make homophones one party, and a clearance of 金政恩, a namesake, would clear 金正恩, Kim
    Jong Un (SDN 20157), whose name reads the same."""
    name = unicodedata.normalize("NFKC", name)  # Kangxi radicals as the characters they are
    name = _HAN_GAP.sub("", name)
    words: list[str] = []
    for i, part in enumerate(_HAN_RUNS.split(name)):
        if i % 2:  # a run of Han characters
            from exportcheck.screen.chinese import simplified

            words.append(simplified(part))
        else:
            words += fold_text(part).split()
    return " ".join(sorted(words)) or name.strip()


def party_identity(name: str, country: str | None = None,
                   dob: str | None = None) -> tuple[str, str | None, str | None]:
    """The identity a disposition binds to: ``(party_key(name), country, dob)``.

    A clearance is a decision about one person or company, not about everyone with that name.
    The rule: a screen suppresses a cleared hit only when the query's normalised name, country
    (ISO-2) and date of birth are all *equal* to the ones recorded with the disposition, where a
    missing value only equals a missing value. So a disposition recorded with a date of birth
    does not apply to a query without that date of birth (nor with another one), and a
    disposition recorded for "Carrie Lam" with no country/dob applies only to queries that give
    neither. Dates compare as written after validation ("1990" and "1990-05-01" differ).
    """
    return party_key(name), parse_country(country), parse_dob(dob)


#: what an officer can decide about a hit: the party is not the entry, or it is
DECISIONS = ("cleared", "confirmed")


@dataclass(frozen=True, slots=True)
class Disposition:
    """A recorded decision about a party and a list entry: ``cleared`` (not the listed entry,
    a false positive: screens suppress the hit) or ``confirmed`` (it is the listed entry: a
    determination treats the hit as certain)."""

    party: str  # party_key of the cleared party's name
    list: str
    entry_id: str
    entry_hash: str
    user: str
    reason: str
    decided_on: str
    country: str | None = None
    dob: str | None = None
    #: ``(source, (entry_hash, ...))`` of every active copy when cleared; empty for records
    #: made before screening_0002, which only know ``entry_hash``
    entry_hashes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    decision: str = "cleared"

    def unchanged(self, copies: Iterable[tuple[str, str]]) -> bool:
        """True when every current copy ``(source, hash)`` is a copy the decision saw in that
        source: a changed copy, or a source that had no copy then, makes the entry changed."""
        if not self.entry_hashes:
            return all(h == self.entry_hash for _, h in copies)
        seen = dict(self.entry_hashes)
        return all(h in seen.get(src, ()) for src, h in copies)


class Decisions:
    """The latest decision per party identity and entry; an OFAC entry's decision also
    answers for its copy on the other OFAC list (the later of the two wins)."""

    def __init__(self, dispositions: Iterable[Disposition]) -> None:
        self.latest: dict[tuple, Disposition] = {
            (d.party, d.country, d.dob, d.list, d.entry_id): d for d in dispositions}

    def cleared(self) -> dict[tuple, Disposition]:
        return {k: d for k, d in self.latest.items() if d.decision == "cleared"}

    def find(self, identity: tuple[str, str | None, str | None], key: tuple[str, str],
             entries: Container[tuple[str, str]]) -> tuple[Disposition, tuple[str, str]] | None:
        """The decision for ``identity`` about entry ``key`` and the entry it was recorded
        for: ``key`` itself or, when ``entries`` holds it, the twin OFAC copy."""
        keys = [key]
        if key[0] in _OFAC_TWIN and (twin := (_OFAC_TWIN[key[0]], key[1])) in entries:
            keys.append(twin)
        found = [(d, k) for k in keys if (d := self.latest.get((*identity, *k))) is not None]
        return max(found, key=lambda t: t[0].decided_on) if found else None


def screen_split(screener: Screener, name: str, *, limit: int, **query: Any
                 ) -> tuple[list[ScreeningHit], list[ScreeningHit]]:
    """The open hits (at most ``limit``) and the hits a disposition cleared for this party,
    each with ``suppressed_by`` (who, when, why): a cleared hit is reported, not dropped, so a
    screen that passed says why it passed (REST ``suppressed``, CLI ``cleared:``)."""
    # every hit is scored before the limit applies: asking for all costs nothing more
    found = screener.screen(name, include_suppressed=True,
                            limit=max(limit, len(screener.entries)), **query)
    shown = [h for h in found if h.suppressed_by is None][:limit]
    return ([_confirmed(screener, name, h, query) for h in shown],
            [h for h in found if h.suppressed_by is not None])


#: the kinds of match scored below the threshold on a name alone, whatever their words share
HELD_KINDS = frozenset({"partial", "nickname", "acronym", "weak"})
#: how low a held match may score and still be shown (a partial match scores at most 80, less
#: the more of the longer name is missing)
HELD_FLOOR = 75.0


def held_below(screener: Screener, name: str, *, threshold: float, limit: int = 5,
               **query: Any) -> list[ScreeningHit]:
    """Partial, nickname, acronym and weak-alias matches the threshold held back (scored at
    least :data:`HELD_FLOOR`): not alerts on a name alone, but a screen of "Nicolas Maduro"
    that answers only "no hit" hides that SDN "MADURO MOROS, Nicolas" is one surname away.
    A date of birth, a country or an id that agrees lifts such a match over the threshold."""
    if threshold <= HELD_FLOOR:
        return []
    found = screener.screen(name, threshold=HELD_FLOOR, limit=len(screener.entries), **query)
    return [h for h in found if h.score < threshold and h.match_kind in HELD_KINDS][:limit]


def _confirmed(screener: Screener, name: str, hit: ScreeningHit,
               query: dict[str, Any]) -> ScreeningHit:
    """``hit`` with ``confirmed_by`` (who, when, why) when an officer confirmed this party is
    the entry: a confirmed hit stays open, and without it an ERP read it as undecided."""
    d = screener.recorded_decision(name, hit.list, hit.entry_id, country=query.get("country"),
                                   dob=query.get("dob"))
    if d is None or d.decision != "confirmed":
        return hit
    return hit.model_copy(update={
        "confirmed_by": f"confirmed by {d.user} on {d.decided_on}: {d.reason}"})
