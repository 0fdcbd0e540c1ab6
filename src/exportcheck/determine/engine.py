"""The licence determination: the order of checks of DETERMINATION.md, over one snapshot."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from functools import cache
from numbers import Real
from typing import TYPE_CHECKING, NamedTuple

from exportcheck.dates import as_day
from exportcheck.determine import ear, enduse, exceptions, holds, itar, parties, reach
from exportcheck.determine.caveats import caveats
from exportcheck.determine.context import Context, Requirement, Screening
from exportcheck.determine.exceptions_ac import check_facts
from exportcheck.determine.items import parse_item
from exportcheck.errors import InvalidInput, UnknownDestination
from exportcheck.models import (
    OUTCOME_RANK,
    Agency,
    Determination,
    EndUserType,
    ExceptionOption,
    IfOutOfScope,
    LicenceRequirement,
    Outcome,
    TransactionFacts,
)
from exportcheck.rules.ruleset import RuleSet, Snapshot, load_ruleset

if TYPE_CHECKING:
    from exportcheck.screen.ownership import Ownership

_POLICY_RANK = (
    ("blocked", 6),
    ("denied", 6),
    ("debarred", 6),
    ("policy of denial", 5),
    ("presumption of denial", 4),
    ("general policy of denial", 4),
    ("case-by-case", 2),
    ("approval", 1),
)

#: the error for an order line that names no destination (scalar and batch paths alike)
EMPTY_DESTINATION = "destination is empty: give an ISO 3166 code such as HK or DE"


#: ISO 3166-1 codes of the United States and its territories: 772.1 counts them all as the
#: United States, so none is an export destination
_UNITED_STATES = frozenset(("US", "PR", "GU", "VI", "AS", "MP", "UM"))


def _known(snapshot: Snapshot, code: str) -> bool:
    """Is ``code`` (upper case) a destination of the rule base on the snapshot's date?"""
    return (code in snapshot.destinations or snapshot.alias(code, "ear") is not None
            or (len(code) == 2 and code.isalpha() and code in {a[1] for a in snapshot.aliases}))


def _code_hint(snapshot: Snapshot, typed: str) -> str:
    """The code to give for a country typed by name or alpha-3 code ("'Hong Kong' is HK"),
    else examples: a name was refused with no word of the code it stands for."""
    from exportcheck.screen.countries import code_hint

    return code_hint(typed, lambda code: _known(snapshot, code)) or "e.g. HK, CN, DE"


#: ISO 3166-2 subdivisions that ISO 3166-1 also codes as countries: the rule base knows them
#: by those codes (Hong Kong's chart row until 2020 was not China's)
_OWN_ISO_CODE = {"CN-HK": "HK", "CN-MO": "MO", "CN-TW": "TW", "NL-AW": "AW", "NL-CW": "CW",
                 "NL-SX": "SX"}


def _region_refused(snapshot: Snapshot, typed: str, country: str) -> str:
    """Why a region of a known country is refused: only regions with rules of their own are
    destinations (746.6's covered regions); any other takes its country's, so the country's
    code is the answer (Kherson, UA-65, is Ukraine), not a guess made here."""
    head = f"unknown destination {typed!r} on {snapshot.on.isoformat()}"
    own_code = _OWN_ISO_CODE.get(typed.strip().upper())
    if own_code is not None and _known(snapshot, own_code):
        return f"{head}: give {own_code}, its own ISO 3166-1 code (its rules are not {country}'s)"
    own = sorted(c for c in snapshot.destinations if c.startswith(f"{country}-"))
    if not own:
        return f"{head}: no region of {country} has rules of its own: give {country}"
    return (f"{head}: the regions of {country} with rules of their own are {', '.join(own)}; "
            f"for any other, give {country}")


def resolve_destination(snapshot: Snapshot, code: str) -> tuple[str, str, str]:
    """The destination as given, as the EAR sees it and as the ITAR sees it on the date."""
    raw = (code or "").strip().upper()
    if not raw:
        raise UnknownDestination(EMPTY_DESTINATION)
    if raw in _UNITED_STATES or raw.split("-")[0] == "US":
        raise UnknownDestination(
            f"destination {code!r} is in the United States (15 CFR 772.1: the States, DC, Puerto "
            "Rico and the US territories), so shipping there is not an export: give the country "
            "the item leaves the US for (for a release of technology to a foreign person in the "
            "US, a deemed export, that person's country)")
    if not _known(snapshot, raw):
        country, _, region = raw.partition("-")
        if region and _known(snapshot, country):
            raise UnknownDestination(_region_refused(snapshot, code, country))
        raise UnknownDestination(
            f"unknown destination {code!r} on {snapshot.on.isoformat()}: use an ISO 3166-1 "
            f"alpha-2 code ({_code_hint(snapshot, code)}) or a 3166-2 region (UA-43 for Crimea)")
    ear_alias = snapshot.alias(raw, "ear")
    itar_alias = snapshot.alias(raw, "itar")
    return raw, ear_alias.as_code if ear_alias else raw, itar_alias.as_code if itar_alias else raw


def determine(
    item: str,
    destination: str,
    on: date | str,
    *,
    value: float | None = None,
    quantity: float | None = None,
    end_user: str | None = None,
    end_user_type: EndUserType | str = EndUserType.CIVIL,
    end_use: str | None = None,
    screener: parties.PartyScreener | None = None,
    ruleset: RuleSet | None = None,
    consignee: str | None = None,
    ownership: Ownership | None = None,
    facts: TransactionFacts | None = None,
) -> Determination:
    """Decide whether ``item`` may go to ``destination`` on ``on``, and under which authority.

    >>> from datetime import date
    >>> determine("3A001.a.2", "HK", date(2021, 1, 15)).outcome.value
    'LICENSE_REQUIRED'
    """
    ctx = evaluate(
        item,
        destination,
        on,
        value=value,
        quantity=quantity,
        end_user=end_user,
        end_user_type=end_user_type,
        end_use=end_use,
        screener=screener,
        ruleset=ruleset,
        consignee=consignee,
        ownership=ownership,
        facts=facts,
    )
    return _answer(ctx)


def evaluate(
    item: str,
    destination: str,
    on: date | str,
    *,
    value: float | None = None,
    quantity: float | None = None,
    end_user: str | None = None,
    end_user_type: EndUserType | str = EndUserType.CIVIL,
    end_use: str | None = None,
    screener: parties.PartyScreener | None = None,
    ruleset: RuleSet | None = None,
    trace: bool = True,
    consignee: str | None = None,
    ownership: Ownership | None = None,
    facts: TransactionFacts | None = None,
) -> Context:
    """Run the checks; the context holds the requirements, usable exceptions and trace.

    ``consignee`` is screened like the end user; ``ownership`` (an
    :class:`~exportcheck.screen.ownership.Ownership`) adds the hits the parties get through
    their owners. Potential matches hold the line (see :mod:`exportcheck.determine.holds`).
    ``facts`` are the facts some licence exceptions need (headquarters, a NAC notification,
    conditions the exporter confirms); none is assumed when absent."""
    # checked here, each naming the argument: past this point a string date, a datetime or
    # value="1200" fails as a bare TypeError deep in the rules (a batch calls this per key:
    # the common types are let through first, without the slower ABC checks)
    if type(on) is not date:
        on = _day(on)
    for name, amount in (("value", value), ("quantity", quantity)):
        if amount is not None and type(amount) not in (float, int) and (
                isinstance(amount, bool) or not isinstance(amount, Real | Decimal)):
            raise InvalidInput(
                f"{name} must be a number, got {type(amount).__name__} {amount!r}", field=name)
    if value is not None and not (math.isfinite(value) and value >= 0):
        raise InvalidInput(f"value must be a finite, non-negative amount in USD, got {value}",
                           field="value")
    if quantity is not None and not (math.isfinite(quantity) and quantity >= 0):
        raise InvalidInput(f"quantity must be a finite, non-negative number, got {quantity}",
                           field="quantity")
    for name, text in (("end_user", end_user), ("consignee", consignee), ("end_use", end_use)):
        if text is not None and not isinstance(text, str):
            # a number from a spreadsheet would otherwise fail as a bare TypeError in screening
            raise InvalidInput(f"{name} must be text, got {type(text).__name__} {text!r}",
                               field=name)
    try:
        eu_type = EndUserType(str(end_user_type).strip().lower())  # " Military " too
    except ValueError:
        raise InvalidInput(
            f"unknown end-user type {end_user_type!r}: use civil, government or military"
        ) from None
    # a name of spaces alone is no name, in either role: as the REST API (which strips its
    # fields) and the web form (which drops empty boxes) take it, the party is not screened
    # and the trace says so; a compliance officer sees one rule for both parties
    end_user = (end_user or "").strip() or None
    consignee = (consignee or "").strip() or None
    force = parties.armed_force_name(end_user)
    stated_type = eu_type
    if force and eu_type is not EndUserType.MILITARY:
        eu_type = EndUserType.MILITARY
    rs = ruleset or load_ruleset()
    enduse.checked_end_use(end_use, enduse.end_use_terms(rs))  # "non-military": an error
    snap = rs.as_of(on)
    cls = parse_item(item, snap)
    dest, ear_dest, itar_dest = resolve_destination(snap, destination)
    facts = check_facts(facts, snap)

    def fresh(tracing: bool) -> Context:
        return Context(
            snapshot=snap,
            item=cls,
            destination=dest,
            ear_destination=ear_dest,
            itar_destination=itar_dest,
            value=value,
            end_user_name=end_user,
            end_user_type=eu_type,
            end_use=end_use or "",
            tracing=tracing,
            consignee_name=consignee,
            facts=facts,
        )

    ctx = fresh(trace)
    if eu_type is not stated_type:
        ctx.note(
            "End-user type",
            None,
            True,
            f"end user {end_user!r} names an armed force ({force!r}): treated as a military end "
            f"user, not {stated_type.value} as stated",
            citation="15 CFR 744.21(g) (military end user: the national armed services, national "
            "guard, national police, government intelligence or reconnaissance organisations)",
        )
    elif eu_type is not EndUserType.MILITARY and (word := parties.military_sounding_name(end_user)):
        ctx.note(
            "End-user type",
            None,
            False,
            f"end user {end_user!r} contains {word!r}: if it is part of a national armed force it "
            f"is a military end user (744.21(g)); answered as {eu_type.value}, as stated",
            citation="15 CFR 744.21(g)",
        )
    screening = parties.screen_parties(ctx, screener, ownership)
    _run(ctx, screening)
    if screening.held:
        # the answer if a candidate is confirmed: the same line with that hit applied, for
        # each candidate; the strictest is reported (an SDN entry that ties with a NONSDN one
        # must not hide behind it), the best-scored on a tie
        worst = None
        for i in range(len(screening.held)):
            alt = fresh(False)
            _run(alt, screening.confirming(i))
            answer = holds.if_confirmed(ctx, alt, i)
            if worst is None or OUTCOME_RANK[answer.outcome] > OUTCOME_RANK[worst.outcome]:
                worst = answer
        ctx.if_confirmed = worst
        ctx.note(
            "HOLD: potential restricted-party match",
            None,
            True,
            f"{len(screening.held)} potential match(es) not applied (strictest if confirmed: "
            f"{ctx.if_confirmed.match}); if confirmed the outcome would be "
            f"{ctx.if_confirmed.outcome.value}"
            + (f" ({ctx.if_confirmed.requirement})" if ctx.if_confirmed.requirement else "")
            + "; record a disposition (confirmed or cleared) for the party and entry",
            citation=ctx.if_confirmed.citation or "15 CFR 744.11; 31 CFR 501",
        )
    if ctx.unread_applied:
        alt = fresh(False)
        alt.skip_unread = True
        _run(alt, screening)
        _out_of_scope(ctx, alt)
    return ctx


def _day(on: object) -> date:
    """``on`` as a date: a datetime's day, or 'YYYY-MM-DD' read as `check --on` reads it."""
    return as_day(on, "on")


def _out_of_scope(ctx: Context, alt: Context) -> None:
    """Say what the line answers if the item is outside the scope of the control lines read
    conservatively (``alt``, run without them), when that answer differs."""
    v, w = verdict(ctx), verdict(alt)
    if (w.outcome, w.reasons, w.review_policy) == (v.outcome, v.reasons, v.review_policy):
        return
    ctx.if_out_of_scope = IfOutOfScope(lines=ctx.unread_applied, outcome=w.outcome,
                                       agency=w.agency, reasons=w.reasons,
                                       review_policy=w.review_policy)
    ctx.note(
        "SCOPE: control lines applied to the whole entry",
        None,
        True,
        f"{len(ctx.unread_applied)} control line(s) were applied to {ctx.item.label} "
        f"conservatively ({'; '.join(ctx.unread_applied)}): they state their scope in words "
        "the rule base does not read, or name paragraphs the item is not classified as far "
        "as. If the item is outside their scope the outcome would be "
        f"{w.outcome.value}" + (f" ({', '.join(w.reasons)})" if w.reasons else "")
        + ": check what the item is (its full paragraph, or, for software and technology, "
        "what it is for)",
        citation="15 CFR 774 Supp. 1 (the entry's License Requirements)",
    )


def _paragraph_unchecked(ctx: Context) -> None:
    """Say so when the item's paragraph could not be checked: the CCL copy the rule base was
    read from itemises the paragraphs of 160 of 639 entries only (0A501.q is taken as given)."""
    entry = ctx.snapshot.ccl[ctx.item.code]
    if ctx.item.paragraph and not entry.paragraphs:
        ctx.note(
            # the entry, not the paragraph, names the rule: the caveat it makes is then the
            # same for every paragraph of the entry, and a batch decides them as one key
            f"{entry.eccn}: paragraph not checked",
            entry,
            False,
            f"the CCL text the rule base holds does not itemise {entry.eccn}'s paragraphs: "
            f"check that {ctx.item.paragraph} exists in the entry's List of Items",
            citation="15 CFR 774 Supp. 1",
        )


def _run(ctx: Context, screening: Screening) -> None:
    parties.apply_screening(ctx, screening)
    if ctx.item.kind == "usml":
        itar.itar(ctx)
        _ofac_only(ctx)
        return
    snap, code = ctx.snapshot, ctx.item.code
    if ctx.item.kind == "eccn" and snap.memo(("itar_routed", code),
                                             lambda: ear.itar_routed(snap.ccl[code])):
        ear.itar_entry(ctx, snap.ccl[code])
        _ofac_only(ctx)
        return
    alias = ctx.snapshot.alias(ctx.destination, "ear")
    if alias is not None:
        ctx.note(
            f"{ctx.destination} determined as {alias.as_code} under the EAR",
            alias,
            True,
            alias.note or "",
        )
    ear.embargoes(ctx)
    if ctx.item.kind == "eccn":
        _paragraph_unchecked(ctx)
        ear.country_chart(ctx)
        reach.reach_notes(ctx)
    else:
        ctx.note(
            "EAR99",
            None,
            False,
            "EAR99: subject to the EAR but not on the CCL; no Country Chart requirement",
            citation="15 CFR 734.3(c); 15 CFR 732.3(b)(3)",
        )
    enduse.end_use(ctx)
    exceptions.licence_exceptions(ctx)


def _ofac_only(ctx: Context) -> None:
    for e in ctx.snapshot.embargoes.get(ctx.itar_destination, []):
        if e.agency == "OFAC" and e.ccl != "chart":
            ctx.require(Requirement("EMBARGO", Agency.OFAC, e.review_policy, e.id, frozenset(),
                                    citation=e.citation))
            ctx.note(e.id, e, True, e.description)
    enduse.end_use(ctx, agency="OFAC")  # a blocked end user (EO 13884), whatever the item


def _strictest(policies: list[str]) -> str | None:
    return max(policies, key=_policy_rank) if policies else None


@cache
def _policy_rank(policy: str) -> int:
    low = policy.lower()
    return max((r for k, r in _POLICY_RANK if k in low), default=0)


def _agency(reqs: list[Requirement]) -> Agency:
    """The licensing agency: DDTC for defence articles; OFAC where its licence also serves as
    the EAR authorisation (Iran, 746.7(a)(2)); otherwise BIS."""
    agencies = {r.agency for r in reqs}
    return next(a for a in (Agency.DDTC, Agency.OFAC, Agency.BIS) if a in agencies)


class Verdict(NamedTuple):
    outcome: Outcome
    agency: Agency | None
    reasons: list[str]
    exceptions: list[str]
    review_policy: str | None
    active: list[Requirement]


def verdict(ctx: Context) -> Verdict:
    """The answer without the trace (what the batch path writes)."""
    reqs = ctx.requirements
    prohibited = [r for r in reqs if r.prohibited]
    if prohibited:
        outcome, agency, active = Outcome.PROHIBITED, _agency(prohibited), prohibited
    elif reqs and exceptions.all_overcome(ctx):
        outcome, agency, active = Outcome.EXCEPTION_AVAILABLE, _agency(reqs), reqs
    elif reqs:
        outcome, agency, active = Outcome.LICENSE_REQUIRED, _agency(reqs), reqs
    else:
        outcome, agency, active = Outcome.NLR, None, []
    reasons = list(dict.fromkeys(r.reason for r in active))
    symbols = list(ctx.exceptions) if outcome == Outcome.EXCEPTION_AVAILABLE else []
    policy = _strictest([r.review_policy for r in active if r.review_policy])
    return Verdict(outcome, agency, reasons, symbols, policy if outcome != Outcome.NLR else None,
                   active)


def _distinct(active: list[Requirement]) -> list[LicenceRequirement]:
    """Each requirement once: two hits on one list (Huawei's two Entity List entries) impose
    the same requirement twice, which read as two reasons; the entries stay apart in the
    screening hits and the trace."""
    seen: dict[tuple, LicenceRequirement] = {}
    for r in active:
        key = (r.reason, r.agency, r.rule, r.citation, r.review_policy, r.prohibited)
        if key not in seen:
            seen[key] = LicenceRequirement(reason=r.reason, agency=r.agency, rule=r.rule,
                                           citation=r.citation, review_policy=r.review_policy,
                                           prohibited=r.prohibited)
    return list(seen.values())


def _answer(ctx: Context) -> Determination:
    outcome, agency, reasons, symbols, policy, active = verdict(ctx)
    options = [
        ExceptionOption(
            symbol=sym, citation=ctx.exceptions[sym][0], conditions=ctx.exceptions[sym][1]
        )
        for sym in symbols
    ]
    if outcome == Outcome.NLR:
        ctx.note(
            "Conclusion: no licence required (NLR)",
            None,
            False,
            "no rule above requires a licence; NLR holds only if General Prohibitions 4-10 "
            "do not apply on facts not given here (e.g. knowledge of a prohibited end use)",
            citation="15 CFR 738.4(a)(2)(ii)(B); 15 CFR 736.2(b)",
        )
    return Determination(
        outcome=outcome,
        agency=agency,
        reasons=reasons,
        license_exceptions=options,
        review_policy=policy,
        trace=ctx.trace,
        requirements=_distinct(active),
        item=ctx.item.label,
        destination=ctx.destination,
        evaluated_destination=ctx.itar_destination
        if ctx.item.kind == "usml"
        else ctx.ear_destination,
        on=ctx.on,
        ruleset_version=ctx.snapshot.version,
        lists_version=ctx.lists_version,
        screening_hits=[h for _, h in ctx.role_hits],
        end_user=ctx.end_user_name,
        consignee=ctx.consignee_name,
        hold=ctx.hold,
        party_matches=ctx.party_matches,
        if_confirmed=ctx.if_confirmed,
        if_out_of_scope=ctx.if_out_of_scope,
        caveats=caveats(ctx),
        facts_wanted=ctx.facts_wanted,
    )
