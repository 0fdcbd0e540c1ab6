"""Licence exceptions whose conditions depend on facts an order line does not carry.

APP (740.7), NAC/ACA (740.8), ACE (740.22), IEC (740.24), HBM (740.25), AIA (740.27), ACM
(740.28) and LPP (740.29): their rows in ``rules/data/licence_exceptions.yaml`` (those with a
``section``) state, next to their citation, which destinations, headquarters, notification and
exporter's confirmations each needs.

Behaviour when a fact is missing (what a compliance officer expects): the engine never assumes
a fact in the exporter's favour. An exception whose checkable conditions hold (item, date,
destination, 740.2) but which needs a fact that was not given is reported in the trace as
"available if ...", naming the fact, the assumption made ("headquarters not stated - assumed
possibly in Macau or D:5") and the option that supplies it; it is not claimed, so the outcome
stays LICENSE_REQUIRED until the facts are given. A fact given that defeats the exception
(headquarters outside the AIA destinations, a NAC notification still inside BIS's period) makes
it plainly unavailable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from exportcheck.determine.context import Context
from exportcheck.determine.items import pattern_hit
from exportcheck.determine.places import in_set, named
from exportcheck.errors import InvalidInput
from exportcheck.models import EndUserType, TransactionFacts
from exportcheck.rules import schema as s
from exportcheck.rules.ruleset import Snapshot

_CODE = re.compile(r"^[A-Z]{2}$")


#: the facts of a line that gives none (the model is frozen: one instance serves every line)
_NO_FACTS = TransactionFacts()


def check_facts(facts: TransactionFacts | None, snap: Snapshot) -> TransactionFacts:
    """The facts, normalised (upper-case codes and symbols) and checked against the rule base:
    a typo in a headquarters code or a symbol must fail, not silently withhold an exception."""
    if facts is None:
        return _NO_FACTS
    if not isinstance(facts, TransactionFacts):  # a dict, as the REST request spells them
        raise InvalidInput(f"facts must be a TransactionFacts (exportcheck.models), got "
                           f"{type(facts).__name__}: TransactionFacts(**facts) reads a dict")
    hq = (facts.headquarters or "").strip().upper() or None
    if hq is not None and not (_CODE.match(hq) and (hq in snap.destinations or hq == "US")):
        from exportcheck.screen.countries import code_hint

        hint = (code_hint(facts.headquarters, snap.destinations.__contains__)
                or "such as GB, CN or US")
        raise InvalidInput(
            f"unknown headquarters country {facts.headquarters!r}: use an ISO 3166-1 alpha-2 "
            f"code ({hint})", field="headquarters",
        )
    symbols = frozenset(x.strip().upper() for x in facts.conditions_met if x.strip())
    # the fact-based ones, and STA, which a 740.2 restriction lets through on the exporter's
    # word (the UAE's approved entities, 740.2(a)(26)) on some dates
    known = {sym for sym, rows in snap.exception_history.items() if rows[0].section} | {"STA"}
    unknown = sorted(symbols - known)
    if unknown:
        raise InvalidInput(
            f"unknown licence exception(s) {', '.join(unknown)} in conditions met: use "
            f"{', '.join(sorted(known))}", field="conditions_met",
        )
    return TransactionFacts(
        headquarters=hq, nac_notified=facts.nac_notified, conditions_met=symbols
    )


def fact_based(d: s.LicenceExceptionDef) -> bool:
    """Rows evaluated here (the list-based LVS/GBS/TSR/STA/ENC and SPP have no section)."""
    return d.section is not None


# --- which exceptions the item can use ------------------------------------------------------


def candidates(ctx: Context) -> dict[str, tuple[s.LicenceExceptionDef, list[str]]]:
    """Exceptions in force that cover the item: symbol -> (row, extra conditions to confirm).

    An exception that would cover the item but is not in force on the date (the entry's 2026
    text names it) is said so in the trace, with the row that created or removed it."""
    out: dict[str, tuple[s.LicenceExceptionDef, list[str]]] = {}
    if ctx.item.kind != "eccn":
        return out
    snap = ctx.snapshot
    entry = snap.ccl[ctx.item.code]
    # which exceptions cover the item depends on the day's rules and the item only: kept per
    # snapshot (a batch asks the same thousands of times)
    key = ("ac_covering", ctx.item.label)
    covering = snap.memo(key, lambda: _covering(ctx, entry))
    for symbol, rows, extra in covering:
        d = snap.exceptions.get(symbol)
        if d is None:
            _not_in_force(ctx, symbol, rows, entry)
        else:
            out[symbol] = (d, list(extra))
    return out


def _covering(ctx: Context, entry: s.CclEntry
              ) -> tuple[tuple[str, list[s.LicenceExceptionDef], tuple[str, ...]], ...]:
    """(symbol, its rows, extra conditions) of the fact-based exceptions covering the item."""
    snap = ctx.snapshot
    out = []
    for symbol, rows in snap.exception_history.items():
        if not fact_based(rows[0]):
            continue
        d = snap.exceptions.get(symbol)
        covered, extra = _covers_item(ctx, entry, symbol, (d or rows[-1]).items)
        if covered:
            out.append((symbol, rows, tuple(extra)))
    return tuple(out)


def _covers_item(
    ctx: Context, entry: s.CclEntry, symbol: str, items: list[str]
) -> tuple[bool, list[str]]:
    """Whether the exception reaches the item: by its own ECCN list, or by the entry's grant."""
    if items:
        return pattern_hit(ctx.item.label, items), []
    grant = entry.exceptions.get(symbol)
    if grant is None or grant.eligible == "no":
        return False, []
    if grant.eligible == "yes":
        return True, []
    if not grant.scope.parsed:
        # the entry's words were not read into paragraphs: the user confirms them
        return True, [f"the item is within what {entry.eccn} grants: {grant.text!r}"]
    only, exclude = grant.scope.only, grant.scope.exclude
    if only and not (ctx.item.paragraph and ctx.item.covered_by(only)):
        return False, []
    return not (exclude and ctx.item.paragraph and ctx.item.covered_by(exclude)), []


def _not_in_force(
    ctx: Context, symbol: str, rows: list[s.LicenceExceptionDef], entry: s.CclEntry
) -> None:
    first, last = rows[0], rows[-1]
    if ctx.on < first.start:
        why = f"did not exist on {ctx.on.isoformat()}: in force from {first.start.isoformat()}"
        row = first
    else:
        end = last.effective_to.isoformat() if last.effective_to else "?"
        why = f"not in force on {ctx.on.isoformat()}: it ended on {end}"
        row = last
    ctx.note(
        f"License Exception {symbol} (named by {entry.eccn})",
        row,
        False,
        f"{why} ({row.citation}); the entry's text (eCFR 2026) names it",
    )


# --- the conditions -------------------------------------------------------------------------


def destination_ok(snap: Snapshot, d: s.LicenceExceptionDef, dest: str) -> tuple[bool, str]:
    """The exception's destination condition: in its groups/countries, not in the excluded."""
    if (d.groups or d.countries) and not in_set(snap, dest, d.countries, d.groups):
        return False, f"{dest} is not in {named(d.countries, d.groups)}"
    if dest in d.exclude_countries:
        return False, f"{dest} is excluded"
    bad = [g for g in d.exclude_groups if snap.in_group(dest, g)]
    if bad:
        return False, f"{dest} is in Country Group {', '.join(bad)}"
    return True, ""


@dataclass
class Findings:
    """What the conditions came to: ``bars`` make the exception unavailable; ``missing`` are
    facts not given (the exception is available only if they hold); ``relied`` is what the
    answer rests on, for the trace."""

    bars: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    relied: list[str] = field(default_factory=list)
    #: (TransactionFacts field, condition) for each of ``missing``: Determination.facts_wanted
    wanted: list[tuple[str, str]] = field(default_factory=list)

    def want(self, fact: str, condition: str, note: str) -> None:
        """A condition a fact not given would settle; ``note`` is the assumption made."""
        self.missing.append(f"{condition} ({note})")
        self.wanted.append((fact, condition))


def conditions(
    ctx: Context, d: s.LicenceExceptionDef, extra_needs: list[str]
) -> tuple[str, str, list[tuple[str, str]]]:
    """('ok' | 'if' | 'no', detail, facts wanted) for one exception whose item and 740.2
    checks passed; the facts wanted are (TransactionFacts field, condition) when 'if'."""
    snap, dest, facts = ctx.snapshot, ctx.ear_destination, ctx.facts
    f = Findings()
    notify_hq = (
        in_set(snap, facts.headquarters, d.notify_countries, d.notify_groups)
        if facts.headquarters
        else None
    )
    ok, why = destination_ok(snap, d, dest)
    if not ok and d.reaches_notify_hq_anywhere:
        if notify_hq:
            ok = True
            f.relied.append(f"headquarters {facts.headquarters} (as stated) is in "
                            f"{named(d.notify_countries, d.notify_groups)}, wherever located")
        elif notify_hq is None and dest not in d.exclude_countries:
            f.want("headquarters",
                   f"{why}; it would be reached if the end user or its ultimate parent is "
                   f"headquartered in {named(d.notify_countries, d.notify_groups)}",
                   "headquarters not stated")
            ok = True
    if not ok:
        f.bars.append(why)
    _headquarters(snap, d, facts, f)
    _government(ctx, d, f)
    _notification(ctx, d, notify_hq, f)
    _needs(ctx, d, extra_needs, f)
    if f.bars:
        return "no", "; ".join(f.bars), []
    relied = f"; relied on: {'; '.join(f.relied)}" if f.relied else ""
    if f.missing:
        return "if", f"available if: {'; '.join(f.missing)}{relied} ({d.conditions})", f.wanted
    return "ok", f"{d.conditions}{relied}", []


def _headquarters(
    snap: Snapshot, d: s.LicenceExceptionDef, facts: TransactionFacts, f: Findings
) -> None:
    hq = facts.headquarters
    if d.hq_in_countries:
        where = "the destinations of paragraph (a) of Supp. 5 to part 740"
        if hq is None:
            f.want("headquarters",
                   f"the end user and its ultimate parent are headquartered in {where}",
                   "headquarters not stated - assumed outside")
        elif hq not in d.hq_in_countries:
            f.bars.append(f"headquarters {hq} is outside {where}")
        else:
            f.relied.append(f"headquarters {hq} (as stated)")
    if d.hq_not_in_countries or d.hq_not_in_groups:
        where = named(d.hq_not_in_countries, d.hq_not_in_groups)
        if hq is None:
            f.want("headquarters",
                   f"the end user and its ultimate parent are not headquartered in {where}",
                   "headquarters not stated - assumed possibly there")
        elif in_set(snap, hq, d.hq_not_in_countries, d.hq_not_in_groups):
            f.bars.append(f"headquarters {hq} is in {where}")
        else:
            f.relied.append(f"headquarters {hq} (as stated)")


def _government(ctx: Context, d: s.LicenceExceptionDef, f: Findings) -> None:
    if not d.no_government_groups:
        return
    groups = [g for g in d.no_government_groups if ctx.snapshot.in_group(ctx.ear_destination, g)]
    if groups and ctx.end_user_type is EndUserType.GOVERNMENT:
        f.bars.append(f"government end user in Country Group {', '.join(groups)} "
                      f"({d.citation})")
    elif groups:
        f.relied.append(f"end user type {ctx.end_user_type.value} (as given)")


def _notification(ctx: Context, d: s.LicenceExceptionDef, notify_hq: bool | None,
                  f: Findings) -> None:  # fmt: skip
    if not (d.notify_countries or d.notify_groups):
        return
    snap, dest, notified = ctx.snapshot, ctx.ear_destination, ctx.facts.nac_notified
    by_dest = in_set(snap, dest, d.notify_countries, d.notify_groups)
    if not by_dest and notify_hq is False:
        f.relied.append("no notification needed (destination and headquarters outside "
                        f"{named(d.notify_countries, d.notify_groups)})")
        return
    why = ("the destination is" if by_dest else
           "the headquarters is" if notify_hq else
           "headquarters not stated - assumed")  # fmt: skip
    where = named(d.notify_countries, d.notify_groups)
    section = d.section or "740"
    if notified is None:
        f.want("nac_notified",
               f"a notification was made to BIS ({section}(a)(2)) and BIS did not object "
               f"({why} in {where})", "notification not stated - assumed not made")
        return
    if notified > ctx.on:
        f.bars.append(f"the notification of {notified.isoformat()} is after the export date")
        return
    days = d.notify_days or 0
    earliest = notified + timedelta(days=days)
    if ctx.on < earliest:
        f.bars.append(f"BIS has {days} days to object to the notification of "
                      f"{notified.isoformat()}: not before {earliest.isoformat()}")
        return
    f.relied.append(f"notification to BIS of {notified.isoformat()} ({why} in {where}), "
                    f"{days} days passed without objection (as stated)")


def _needs(ctx: Context, d: s.LicenceExceptionDef, extra: list[str], f: Findings) -> None:
    applies = not d.needs_groups or any(
        ctx.snapshot.in_group(ctx.ear_destination, g) for g in d.needs_groups
    )
    needs = (list(d.needs) if applies else []) + extra
    if not needs:
        return
    listed = "; ".join(needs)
    if d.symbol in ctx.facts.conditions_met:
        f.relied.append(f"confirmed by the exporter (conditions met: {d.symbol}): {listed}")
    else:
        f.want("conditions_met", f"the exporter confirms: {listed}",
               "not confirmed - assumed not met")
