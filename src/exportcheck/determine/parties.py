"""Step: the parties against the restricted-party lists (GP4, GP5, OFAC blocking)."""

from __future__ import annotations

import re
from typing import Protocol

from exportcheck.determine.context import Context, Requirement, Screening
from exportcheck.models import Agency, EndUserType, ScreeningHit

#: Names that are a national armed force, which 744.21(g) counts as a military end user whatever
#: end-user type an order line states. Only unambiguous forms: the words army, navy, air force
#: on their own also name shops, piers and clubs ("Old Navy"), so they only raise a review note
#: (:func:`military_sounding_name`), never change the answer.
_ARMED_FORCE = re.compile(
    r"people'?s liberation army|\bPLA (army|navy|air force|rocket force|ground force"
    r"|strategic support force)\b|people'?s armed police|\bministry of (national )?defen[cs]e\b"
    r"|\barmed forces of\b|解放[军軍]|国防部|國防部|武[装裝]警察",
    re.IGNORECASE,
)
_MILITARY_WORD = re.compile(
    r"\b(army|navy|air force|marine corps|coast guard|national guard|military|armed forces)\b"
    r"|\bPLA\b",
    re.IGNORECASE,
)


def armed_force_name(name: str | None) -> str | None:
    """The words of ``name`` that make it a national armed force, if any."""
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


#: where each list's consequence is written (also the citation of a held hit's if_confirmed)
CITATIONS = {
    "SDN": "31 CFR 501.801",
    "DPL": "15 CFR 736.2(b)(4); 15 CFR 764.3",
    "DTC": "22 CFR 127.7; 22 CFR 120.1(c)",
    "EL": "15 CFR 744.11; 15 CFR 744 Supp. 4",
    "MEU": "15 CFR 744 Supp. 7; 15 CFR 744.21(g)",
    "UVL": "15 CFR 744.15",
}
SCREENING_CITATION = "15 CFR 744.11; 15 CFR 764.3; 31 CFR 501"


def screen_parties(ctx: Context, screener: PartyScreener | None, ownership: object = None
                   ) -> Screening:
    """Screen the end user and the consignee; certain hits decide, the others are held."""
    from exportcheck.determine.holds import screen_party

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
        ctx.lists_version = screener.version
        screen_party(ctx, out, role, name, screener, ownership)
    return out


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
            citation=CITATIONS.get(hit.list, hit.list_name or hit.list),
        )


def _apply_hit(ctx: Context, hit: ScreeningHit, role: str = "end user") -> None:
    who = f"{hit.matched_name!r} ({hit.list} {hit.entry_id}, score {hit.score:.0f})"
    if hit.match_kind == "owned":
        who += f": {hit.explanation[0]}" if hit.explanation else ""
    ear_item = ctx.item.kind != "usml"
    if hit.list in OFAC_BLOCKING:
        ctx.require(
            Requirement(
                "SDN",
                Agency.OFAC,
                "blocked: dealings prohibited",
                "OFAC SDN",
                frozenset(),
                prohibited=True,
            )
        )
        ctx.note(
            "OFAC SDN list: blocked person",
            None,
            True,
            f"{role} matches {who}; US persons may not deal in property of a blocked person",
            citation="31 CFR 501.801; " + ", ".join(hit.programs or ("31 CFR 501",)),
        )
    elif hit.list in BIS_DENIED and ear_item:
        ctx.require(
            Requirement(
                "DPL",
                Agency.BIS,
                "denied: no dealing",
                "Denied Persons List",
                frozenset(),
                prohibited=True,
            )
        )
        ctx.note(
            "General Prohibition 4: Denied Persons List",
            None,
            True,
            f"{role} matches {who}",
            citation="15 CFR 736.2(b)(4); 15 CFR 764.3",
        )
    elif hit.list in STATE_DEBARRED and not ear_item:
        ctx.require(
            Requirement(
                "DEBARRED",
                Agency.DDTC,
                "debarred: no ITAR licence",
                "ITAR debarred party",
                frozenset(),
                prohibited=True,
            )
        )
        ctx.note(
            "ITAR statutory/administrative debarment",
            None,
            True,
            f"{role} matches {who}",
            citation="22 CFR 127.7; 22 CFR 120.1(c)",
        )
    elif hit.list == "EL" and ear_item:
        policy = hit.license_policy or "see the Entity List entry"
        requirement = hit.license_requirement or "all items subject to the EAR"
        ctx.require(Requirement("EL", Agency.BIS, policy, "Entity List", frozenset()))
        ctx.note(
            "General Prohibition 5: Entity List",
            None,
            True,
            f"{role} matches {who}; licence requirement: {requirement}; review policy: "
            f"{policy}; {hit.federal_register_notice or ''}".rstrip("; "),
            citation="15 CFR 744.11; 15 CFR 744 Supp. 4",
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
        )
    elif hit.list == "MEU" and ear_item:
        ctx.end_user_type = EndUserType.MILITARY
        ctx.note(
            "Military End-User List",
            None,
            True,
            f"{role} matches {who}: treated as a military end user under 744.21",
            citation="15 CFR 744 Supp. 7; 15 CFR 744.21(g)",
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
        )
    else:
        ctx.note(
            f"Screening hit on {hit.list}",
            None,
            True,
            f"{role} matches {who}: review before shipping",
            citation=hit.list_name or hit.list,
        )
