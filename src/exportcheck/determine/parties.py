"""Step: the parties against the restricted-party lists (GP4, GP5, OFAC blocking)."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import resources
from typing import Protocol

from exportcheck.determine.context import Context, Requirement, Screening
from exportcheck.models import Agency, EndUserType, ScreeningHit
from exportcheck.screen.listing import listed_since

#: Names of organisations that 744.21(g) makes a military end user whatever end-user type an
#: order line states: "the national armed services (army, navy, marine, air force, or coast
#: guard), as well as the national guard and national police, government intelligence or
#: reconnaissance organizations". Only unambiguous forms, each a whole organisation's name in
#: English, Chinese, Russian or Spanish: the words army, navy, air force or police on their own
#: also name shops, piers and clubs ("Old Navy"), and "PLA" is also a 3D-printing filament, so
#: those only raise a review note (:func:`military_sounding_name`), never change the answer.
_FORCE_PATTERNS = (
    # China: the PLA, its services and formations ("PLA Hong Kong Garrison", "PLA Unit 61398"),
    # the Central Military Commission above it, the People's Armed Police and the China Coast
    # Guard under it, the Ministry of Public Security (national police) and the Ministry of
    # State Security (intelligence). Chinese writes no spaces, so a Chinese name is matched
    # whole or at its start ("上海公安部件", Shanghai public-security parts, is no ministry)
    r"people'?s liberation army|\bPLA\b(?:\s+[\w'-]+){0,2}?\s+(?:army|navy|air force"
    r"|rocket force|ground force|strategic support force|aerospace force|cyberspace force"
    r"|information support force|joint logistics? support force|garrison"
    r"|theat(?:er|re) command|military (?:region|district)|unit\s*\d{5})\b"
    r"|central military commission|people'?s armed police|china coast guard"
    # the services' own abbreviations (PLA Air Force, Rocket Force, Ground Force, Strategic
    # Support Force; not PLAN, also the word "plan") and a garrison named alone, as the PLA's
    # in Hong Kong and Macau are ("Hong Kong Garrison Navy Depot" stays a note)
    r"|\bPLA(?:AF|RF|GF|SSF)\b|^\s*(?:the\s+)?(?:hong\s*kong|maca[ou])\s+garrison\s*$"
    r"|\bministry of (?:public|state) security\b"
    r"|解放[军軍]|[驻駐][港澳]部[队隊]|\d{5}部[队隊]|中央[军軍]委|[军軍]事委[员員]会|^[军軍]委"
    r"|武[装裝]警察|武警部[队隊]|^武警|中[国國]海警|海警局|^海警"
    r"|(?:^|中[国國]|中[华華]人民共和[国國])(?:公安部|[国國]家安全部)",
    # any country: a defence ministry or a state's armed forces
    r"\bministry of (?:national )?defen[cs]e\b|\barmed forces of\b|[国國]防部",
    # Russia: defence ministry, armed forces, national guard, FSB (the GRU is left to the lists:
    # 744.22(f)(2) makes it a military-intelligence end user, which 744.21(g) excludes)
    r"министерств\w* обороны|вооруж[её]нн\w* сил|росгварди\w*|\bФСБ\b"
    r"|федеральн\w* служб\w* безопасности|\brosgvardi[ay]\b|\bnational guard of russia\b"
    r"|\bfederal security service\b",
    # Venezuela: the Bolivarian armed forces, national guard and police, and SEBIN
    r"fuerza armada nacional|guardia nacional bolivariana|polic[ií]a nacional bolivariana"
    r"|servicio bolivariano de inteligencia|\bSEBIN\b",
    # Burma: the armed forces by their own name
    r"\btatmadaw\b",
)
_ARMED_FORCE = re.compile("|".join(_FORCE_PATTERNS), re.IGNORECASE)
_MILITARY_WORD = re.compile(
    r"\b(army|navy|air force|marine corps|coast guard|national guard|military|armed forces"
    r"|police|intelligence|gendarmerie)\b|(?-i:\bPLA\b)"
    r"|部[队隊]|[军軍][队隊]|[军軍]区|[军軍]事|[军軍]委|警察|公安|海警|武警",
    re.IGNORECASE,
)


def armed_force_name(name: str | None) -> str | None:
    """The words of ``name`` that make it a military end user under 744.21(g) (an armed
    force, national guard or police, an intelligence service), if any."""
    m = _ARMED_FORCE.search(name) if name else None
    return m.group(0) if m else None


def military_sounding_name(name: str | None) -> str | None:
    """A military word in ``name`` that is not enough on its own to decide (see above)."""
    m = _MILITARY_WORD.search(name) if name else None
    return m.group(0) if m else None


OFAC_BLOCKING = {"SDN"}
BIS_DENIED = {"DPL"}
STATE_DEBARRED = {"DTC"}


class PartyScreener(Protocol):
    """Anything that screens a name (``exportcheck.screen.Screener`` does)."""

    version: str

    def screen(self, name: str, *, country: str | None = None) -> list[ScreeningHit]: ...


#: where each list's consequence is written (also the citation of a held hit's if_confirmed;
#: an SDN hit cites its programmes' sections, :func:`blocking_citation`)
CITATIONS = {
    "SDN": "31 CFR chapter V, the part for the entry's programme",
    "DPL": "15 CFR 736.2(b)(4); 15 CFR 764.3",
    "DTC": "22 CFR 127.7; 22 CFR 120.1(c)",
    "EL": "15 CFR 744.11; 15 CFR 744 Supp. 4",
    "MEU": "15 CFR 744 Supp. 7; 15 CFR 744.21(g)",
    "UVL": "15 CFR 744.15",
}
SCREENING_CITATION = "15 CFR 744.11; 15 CFR 764.3; 31 CFR 501"
#: OFAC's licensing procedure: where a specific licence to deal with a blocked person is sought
OFAC_LICENSING = "31 CFR 501.801"


@cache
def _blocking_sections() -> dict[str, str]:
    """Programme tag -> the section of 31 CFR chapter V that blocks its designees, from the
    reviewed table ``screen/data/program_blocking.csv`` (each row names its source)."""
    path = resources.files("exportcheck.screen") / "data" / "program_blocking.csv"
    with path.open(encoding="utf-8") as fh:
        return {row["program"]: row["citation"] for row in csv.DictReader(fh)}


def blocking_citation(programs: tuple[str, ...]) -> str:
    """What forbids dealing with an SDN entry: the blocking section of each of its programme
    tags' parts ("31 CFR 585.201 (HK-EO13936)"), tags sharing one grouped. 31 CFR 501.801 is
    only the licensing procedure; a tag the table does not hold is named, not guessed."""
    sections = _blocking_sections()
    cited: dict[str, list[str]] = {}
    for program in programs:
        if program in sections:
            cited.setdefault(sections[program], []).append(program)
    named = [f"{section} ({', '.join(tags)})" for section, tags in cited.items()]
    named += [f"31 CFR chapter V, the part for programme {program}"
              for program in programs if program not in sections]
    return "; ".join(named) or "31 CFR chapter V (the entry names no programme)"


def screen_parties(ctx: Context, screener: PartyScreener | None, ownership: object = None
                   ) -> Screening:
    """Screen the end user and the consignee; certain hits decide, the others are held."""
    out = Screening()
    for role, name in (("end user", ctx.end_user_name), ("consignee", ctx.consignee_name)):
        if not name:
            if role == "end user":
                ctx.note("Restricted-party screening", None, False,
                         "no end-user name given: end user not screened"
                         + ("" if ctx.consignee_name else " (nor a consignee)"),
                         citation=SCREENING_CITATION)
            continue
        if screener is None:
            ctx.note("Restricted-party screening", None, False,
                     f"{role} {name!r} not screened: no screener configured",
                     citation=SCREENING_CITATION)
            continue
        from exportcheck.determine.holds import screen_party

        ctx.lists_version = screener.version
        screen_party(ctx, out, role, name, screener, ownership)
    return out


def binding(hit: ScreeningHit, role: str, ear_item: bool) -> bool:
    """Whether a certain hit changes the answer by itself (:func:`_apply_hit`): a blocked,
    denied or debarred party, an Entity List, MEU or UVL entry for an EAR item. A hit on any
    other list (UN, ISN, the OFAC non-SDN lists, MOFCOM) or on a list that does not reach the
    item only asks for a review before shipping."""
    return (hit.list in OFAC_BLOCKING or (hit.list in BIS_DENIED and ear_item)
            or (hit.list in STATE_DEBARRED and not ear_item)
            or (ear_item and (hit.list in ("EL", "UVL") or (hit.list == "MEU"
                                                              and role == "end user"))))


def apply_screening(ctx: Context, screening: Screening) -> None:
    """Certain hits impose their requirements; held ones only go in the trace."""
    for role, hit in screening.certain:
        _apply_hit(ctx, hit, role)
    for role, hit, match in screening.held:
        ctx.note(
            f"Potential match held for review ({role})",
            None,
            False,
            f"{role} {match.party!r} may be {hit.matched_name!r} ({hit.list} {hit.entry_id}, "
            f"score {hit.score:.0f}, {match.match_kind}): not applied, {match.why_held}; "
            "confirm or clear it with a disposition for this party and entry",
            citation=(blocking_citation(hit.programs) if hit.list in OFAC_BLOCKING
                      else CITATIONS.get(hit.list, hit.list_name or hit.list)),
        )


def _apply_hit(ctx: Context, hit: ScreeningHit, role: str = "end user") -> None:
    who = f"{hit.matched_name!r} ({hit.list} {hit.entry_id}, score {hit.score:.0f})"
    since = listed_since(hit)  # the trace (and an impact's cause) dates the listing
    if hit.match_kind == "owned":
        who += f": {hit.explanation[0]}" if hit.explanation else ""
    ear_item = ctx.item.kind != "usml"
    if hit.list in OFAC_BLOCKING:
        cite = blocking_citation(hit.programs)
        ctx.require(Requirement("SDN", Agency.OFAC, "blocked: dealings prohibited", "OFAC SDN",
                                frozenset(), prohibited=True, citation=cite))
        ctx.note(
            "OFAC SDN list: blocked person",
            None,
            True,
            f"{role} matches {who}; US persons may not deal in property of a blocked person "
            f"unless OFAC licenses it (a specific licence is applied for under {OFAC_LICENSING})",
            citation=cite,
            effective_from=since,
        )
    elif hit.list in BIS_DENIED and ear_item:
        ctx.require(Requirement("DPL", Agency.BIS, "denied: no dealing", "Denied Persons List",
                                frozenset(), prohibited=True, citation=CITATIONS["DPL"]))
        ctx.note(
            "General Prohibition 4: Denied Persons List",
            None,
            True,
            f"{role} matches {who}",
            citation=CITATIONS["DPL"],
            effective_from=since,
        )
    elif hit.list in STATE_DEBARRED and not ear_item:
        ctx.require(Requirement("DEBARRED", Agency.DDTC, "debarred: no ITAR licence",
                                "ITAR debarred party", frozenset(), prohibited=True,
                                citation=CITATIONS["DTC"]))
        ctx.note(
            "ITAR statutory/administrative debarment",
            None,
            True,
            f"{role} matches {who}",
            citation=CITATIONS["DTC"],
            effective_from=since,
        )
    elif hit.list == "EL" and ear_item:
        policy = hit.license_policy or "see the Entity List entry"
        requirement = hit.license_requirement or "all items subject to the EAR"
        ctx.require(Requirement("EL", Agency.BIS, policy, "Entity List", frozenset(),
                                citation=CITATIONS["EL"]))
        ctx.note(
            "General Prohibition 5: Entity List",
            None,
            True,
            f"{role} matches {who}; licence requirement: {requirement}; review policy: "
            f"{policy}; {hit.federal_register_notice or ''}".rstrip("; "),
            citation=CITATIONS["EL"],
            effective_from=since,
        )
        ctx.no_exceptions.append(
            "Entity List (744.11(a): no licence exceptions unless the entry says so)"
        )
    elif hit.list == "MEU" and ear_item and role != "end user":
        ctx.note(
            "Military End-User List",
            None,
            True,
            f"{role} matches {who}: the MEU licence requirement (744.21) turns on the end user; "
            "review whether this party is a military end user of the items",
            citation="15 CFR 744 Supp. 7; 15 CFR 744.21",
            effective_from=since,
        )
    elif hit.list == "MEU" and ear_item:
        ctx.end_user_type = EndUserType.MILITARY
        ctx.note(
            "Military End-User List",
            None,
            True,
            f"{role} matches {who}: treated as a military end user under 744.21",
            citation="15 CFR 744 Supp. 7; 15 CFR 744.21(g)",
            effective_from=since,
        )
    elif hit.list == "UVL" and ear_item:
        ctx.no_exceptions.append("Unverified List (744.15(a): no licence exceptions)")
        ctx.note(
            "Unverified List",
            None,
            True,
            f"{role} matches {who}: no licence exceptions; a UVL statement is required "
            "before any NLR export",
            citation="15 CFR 744.15",
            effective_from=since,
        )
    else:
        ctx.note(
            f"Screening hit on {hit.list}",
            None,
            True,
            f"{role} matches {who}: no licence requirement of its own for this item; review "
            "before shipping",
            citation=hit.list_name or hit.list,
            effective_from=since,
        )
