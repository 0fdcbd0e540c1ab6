"""Potential matches hold a line for review instead of deciding it (issue #11, points 3 and 7).

A screening hit at or above the threshold is a *candidate*. It decides the determination only
when it is certain (:mod:`exportcheck.screen.certainty`: the exact name corroborated by other
evidence, a chain of certain owners, or a ``confirmed`` disposition). Otherwise the outcome is
computed without it, the line is held (``hold``), the candidate is listed in
``party_matches``, and ``if_confirmed`` gives the answer the line would have if a candidate
were confirmed: the strictest over the candidates (the best-scored among equals). A
``cleared`` disposition removes the candidate (the screener suppresses it), a ``confirmed``
one makes it certain: either resolves the hold on the next determination.

Ownership-derived hits (:mod:`exportcheck.screen.ownership`) enter here too, each only on the
dates its rule (``rules/data/ownership_rules.yaml``) is in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from exportcheck.determine.context import Context, Requirement, Screening
from exportcheck.determine.parties import binding
from exportcheck.errors import InvalidInput
from exportcheck.models import IfConfirmed, PartyMatch, ScreeningHit
from exportcheck.screen.certainty import OWNED, assess
from exportcheck.screen.entries import hit_order
from exportcheck.screen.listing import LIST_LABELS, listing_of, state_on

_CITE = "15 CFR 744.11; 15 CFR 764.3; 31 CFR 501"
#: what an officer does about a listing applied without an established day
_ESTABLISH = ("find the day it was listed (the Federal Register notice or the list's published "
              "action) before relying on this answer")


def screen_party(ctx: Context, out: Screening, role: str, name: str, screener: Any,
                 ownership: Any) -> None:
    """Screen one party (and its owners) and sort its hits into ``out``."""
    try:
        found = screener.screen(name, country=ctx.destination)
    except InvalidInput as exc:
        if exc.field != "name":
            raise
        # the screener's "name 'LLC' is only a legal form" did not say which party's name:
        # said as the end user's or the consignee's, and marked as that box's (a form shows
        # it under the box, the REST API names body.end_user)
        raise type(exc)(f"{role} {exc}", field=role.replace(" ", "_")) from None
    hits = on_the_day(ctx, role, found, getattr(screener, "lists_date", None))
    if ownership is not None:
        hits += _owned_hits(ctx, role, name, screener, ownership)
    if not hits:
        n = len(found)
        later = (f" in force on {ctx.on.isoformat()} ({n} matching "
                 f"{'entry was' if n == 1 else 'entries were'} listed later: see the caveats)"
                 if n else "")
        ctx.note("Restricted-party screening", None, False,
                 f"{role} {name!r}: no hit{later} on lists {screener.version}", citation=_CITE)
        return
    held: list[tuple[str, ScreeningHit, PartyMatch]] = []
    ear_item = ctx.item.kind != "usml"
    # a certain hit that asks only for a review (a UN or non-SDN entry) holds the line as a
    # potential match does, unless confirmed, or unless a binding hit decides for the party
    reviews: list[tuple[ScreeningHit, PartyMatch]] = []
    binds = False
    for i, hit in enumerate(hits):
        a = assess(hit, name, country=ctx.destination, screener=screener)
        if not a.certain:
            held.append((role, hit, _match(role, name, hit, a.kind, a.corroborated_by, a.why)))
            continue
        confirmed = hit.match_kind != OWNED and "confirmed by" in a.why
        if confirmed:  # said at the hit too (REST screening_hits, the Check page's line)
            hit = hits[i] = hit.model_copy(update={"confirmed_by": a.why})
        decides = binding(hit, role, ear_item)
        if not (confirmed or decides):
            why = (f"{a.why}; {hit.list} sets no licence requirement of its own for this item: "
                   "review before shipping")
            reviews.append((hit, _match(role, name, hit, a.kind, a.corroborated_by, why,
                                        certain=True)))
            continue
        out.certain.append((role, hit))
        binds = binds or decides
        if confirmed:
            ctx.note(f"Screening hit confirmed ({role})", None, True,
                     f"{hit.list} {hit.entry_id} {hit.matched_name!r}: {a.why}",
                     citation=_CITE)
    for hit, match in reviews:
        if binds:
            out.certain.append((role, hit))  # its note stands beside the binding hit's
        else:
            held.append((role, hit, match))
    ctx.role_hits.extend((role, h) for h in hits)
    held.sort(key=lambda t: hit_order(t[1].score, t[1].list, t[1].entry_id))
    out.held.extend(held)
    out.held.sort(key=lambda t: hit_order(t[1].score, t[1].list, t[1].entry_id))
    ctx.party_matches = [m for _, _, m in out.held]


def on_the_day(ctx: Context, party: str, hits: Iterable[ScreeningHit],
               lists_date: date | None) -> list[ScreeningHit]:
    """The hits whose entries were on their lists on the line's date (:mod:`.listing`).

    An entry listed only later is left out and the caveats say so; one whose day of listing is
    not established, that its file does not date, or whose order has expired while the list
    still carries it is kept (the safe reading) and the caveats say that too. ``party`` is the
    line's role ("end user"), not its name: a batch decides the names that screen alike once,
    and each line's caveats must read as its own (an owner is named: "an owner of the end
    user 'Acme Holdings'")."""
    kept = []
    for hit in hits:
        listing = listing_of(hit)
        state = state_on(listing, ctx.on, lists_date)
        who = f"{party} matches {hit.matched_name!r} ({hit.list} {hit.entry_id})"
        if state == "later":
            _caveat(ctx, f"{who}, {listing.basis}: not yet listed on the date of this line, so "
                         "not applied")
            continue
        if state == "unsure":
            _caveat(ctx, f"{who}, {listing.basis}: whether it was listed on the date of this "
                         f"line is not established, so it is applied; {_ESTABLISH}")
        elif state == "expired":
            _caveat(ctx, f"{who}, {listing.basis}: the order has expired by the date of this "
                         "line, but the list still carries it (it may have been renewed), so it "
                         "is applied; check the list's current text")
        elif state == "undated":
            label = LIST_LABELS.get(hit.list, hit.list)
            before = (f", and this line is dated before the lists ({lists_date.isoformat()})"
                      if lists_date else "")
            _caveat(ctx, f"{who}: the files of the {label} do not date their entries{before}, "
                         f"so the entry is applied as if listed on the date of this line; "
                         f"{_ESTABLISH}")
        kept.append(hit)
    return kept


class _Dated:
    """The screener as an owner's screening sees it on the line's date: listings that took
    effect later left out (:func:`on_the_day`), dispositions passed through."""

    def __init__(self, ctx: Context, role: str, inner: Any) -> None:
        self.ctx, self.role, self.inner = ctx, role, inner
        self.version = inner.version

    def screen(self, name: str, *, country: str | None = None) -> list[ScreeningHit]:
        return on_the_day(self.ctx, f"an owner of the {self.role} {name!r}",
                          self.inner.screen(name, country=country),
                          getattr(self.inner, "lists_date", None))

    def __getattr__(self, attr: str) -> Any:  # recorded_decision, entry ...
        return getattr(self.inner, attr)


def _caveat(ctx: Context, text: str) -> None:
    if text not in ctx.rule_caveats:
        ctx.rule_caveats.append(text)
    ctx.note("Restricted-party screening: listing dates", None, False, text,
             citation="15 CFR 744 Supp. 4; 15 CFR 764.3; 31 CFR 501")


def _match(role: str, party: str, hit: ScreeningHit, kind: str,
           corroborated_by: tuple[str, ...], why: str, certain: bool = False) -> PartyMatch:
    return PartyMatch(role=role, party=party, list=hit.list, entry_id=hit.entry_id,
                      matched_name=hit.matched_name, listed_name=hit.listed_name,
                      score=hit.score, match_kind=kind,
                      corroborated_by=corroborated_by, why_held=why,
                      explanation=hit.explanation, certain=certain)


def _owned_hits(ctx: Context, role: str, name: str, screener: Any,
                ownership: Any) -> list[ScreeningHit]:
    """The ownership rules' hits for ``name`` that apply on the context's date."""
    rules = list(ctx.snapshot.ownership_rules.values())
    citation = "; ".join(r.citation for r in rules) or _CITE
    if not ownership.owners_all(name):
        # a party the owners name otherwise ("Pearl" for "Pearl Ltd") must not read as "no
        # ownership hit"
        ctx.note("Ownership", None, False,
                 f"{role} {name!r}: no owner in the owners given leads to it (owned names are "
                 "matched ignoring case, word order, punctuation and the spelling of a legal "
                 "form, Ltd = Limited; other spellings are other entities): no ownership rule "
                 "checked",
                 citation=citation)
        return []
    names = ", ".join(s.owner for s in ownership.owners_of(name))
    ctx.note("Ownership", None, False,
             f"{role} {name!r}: owners screened ({names}); ownership rules on "
             f"{ctx.on.isoformat()}: "
             + (", ".join(f"{r.id} ({r.status.replace('_', ' ')})" for r in rules) or "none"),
             citation=citation)
    found = ownership.findings(name, _Dated(ctx, role, screener), rules=rules)
    for rule, short in found.short:
        if rule.status == "in_force":
            ctx.note(f"Ownership rule {rule.id} ({role})", rule, False,
                     short + (f"; {rule.below_threshold}" if rule.below_threshold else ""),
                     citation=rule.citation)
    kept = []
    for hit in found.hits:
        rule = ctx.snapshot.ownership_rule(hit.list)
        lookup = getattr(screener, "recorded_decision", None)
        disp = lookup(name, hit.list, hit.entry_id, country=ctx.destination) if lookup else None
        if disp is not None and disp.decision == "cleared":
            ctx.note(f"Ownership hit cleared ({role})", None, False,
                     f"{hit.explanation[0]}; cleared by {disp.user} on {disp.decided_on}: "
                     f"{disp.reason}", citation=rule.citation if rule else _CITE)
            continue
        if rule is None or rule.status != "in_force":
            what = (f"suspended ({rule.citation})" if rule is not None
                    else "not in force on this date")
            ctx.note(f"Ownership rule for {hit.list} owners ({role})", rule, False,
                     f"{hit.explanation[0].split(': ')[0]}: not applied, the rule is {what}",
                     citation=rule.citation if rule else _CITE)
            continue
        ctx.note(f"Ownership rule {rule.id} ({role})", rule, True,
                 hit.explanation[0], citation=rule.citation)
        if rule.caveat and rule.caveat not in ctx.rule_caveats:
            ctx.rule_caveats.append(rule.caveat)
        if rule.general_licence and rule.general_licence_to and ctx.on <= rule.general_licence_to:
            ctx.note("Temporary general licence (ownership rule)", rule, False,
                     f"{rule.general_licence} (valid until "
                     f"{rule.general_licence_to.isoformat()}); not applied automatically",
                     citation=rule.citation)
        kept.append(hit)
    return kept


def if_confirmed(ctx: Context, alt: Context, i: int = 0) -> IfConfirmed:
    """What ``alt`` (the same line with held candidate ``i`` confirmed) answers, and why."""
    from exportcheck.determine.engine import verdict
    from exportcheck.determine.parties import CITATIONS

    match = ctx.party_matches[i]
    v = verdict(alt)
    new: list[Requirement] = [r for r in alt.requirements if r not in ctx.requirements]
    decisive = next((r for r in new if r.prohibited), new[0] if new else None)
    citation = CITATIONS.get(match.list)
    if decisive is not None and decisive.reason == "SDN":  # its programmes' sections
        citation = decisive.citation
    if match.match_kind == OWNED and match.explanation[1:2]:
        citation = f"{citation}; {match.explanation[1].removeprefix('rule: ')}"
    listed = (f" listed as {match.listed_name!r}" if match.listed_name
              and match.listed_name != match.matched_name else "")
    return IfConfirmed(
        match=f"{match.list} {match.entry_id} {match.matched_name!r}{listed} ({match.role} "
              f"{match.party!r})",
        outcome=v.outcome, agency=v.agency, reasons=v.reasons, review_policy=v.review_policy,
        requirement=(f"{decisive.rule}: {decisive.review_policy}" if decisive else None),
        citation=citation,
    )
