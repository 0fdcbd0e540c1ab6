"""Step: end-use and end-user controls (Part 744)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

from exportcheck.determine.context import Context, Requirement
from exportcheck.determine.places import in_set
from exportcheck.errors import InvalidInput
from exportcheck.models import Agency
from exportcheck.rules.ruleset import RuleSet

#: words that make a stated end use say what the goods are not for
_NEGATION = re.compile(r"\b(?:non|not|no|without|excluding|except|other than)\b")


@cache
def end_use_terms(rs: RuleSet) -> tuple[str, ...]:
    """The end uses the rule base's Part 744 rules name, on any date ("military", "nuclear
    explosive", "missile" ...)."""
    return tuple(sorted({k for r in rs.rows("end_use_rules") for k in r.end_use_keywords}))


def _words(text: str) -> str:
    return " ".join(text.lower().replace("-", " ").split())


@cache
def _pattern(term: str) -> re.Pattern:
    return re.compile(rf"\b{re.escape(_words(term))}\b")


def checked_end_use(text: str | None, terms: Iterable[str]) -> str:
    """The stated end use's words, lower-cased (hyphens as spaces). An end use stated by what
    the goods are not for ("non-military", "not for nuclear weapons") is an error: the rules
    need what they are for; ``terms`` are named in the message."""
    words = _words(text or "")
    if _NEGATION.search(words):
        named = dict.fromkeys(_words(t) for t in terms)
        raise InvalidInput(f"end use {text!r} says what the goods are not for: state what they "
                           f"are for (e.g. 'civil aviation', or one of {', '.join(named)})",
                           field="end_use")
    return words


def end_use_named(text: str | None, terms: Iterable[str]) -> list[str]:
    """The end uses among ``terms`` that a stated end use names, as whole words ("military
    aircraft maintenance" names military; "paramilitary" does not), the longest first
    ("military intelligence" is that, not also "military": 744.21(g) leaves 744.22's
    intelligence end users out); :func:`checked_end_use` refuses negations."""
    return list(_named(text, tuple(terms)))


@lru_cache(maxsize=4096)
def _named(text: str | None, terms: tuple[str, ...]) -> tuple[str, ...]:
    """:func:`end_use_named`, once per text (a batch asks it for every key)."""
    words = checked_end_use(text, terms)
    named = []
    for t in sorted(terms, key=lambda t: -len(t)):  # "military intelligence" before "military"
        words, n = _pattern(t).subn("|", words) if words else (words, 0)
        if n:
            named.append(t)
    return tuple(named)


def end_use(ctx: Context, agency: str | None = None) -> None:
    """Apply the end-use and end-user rules in force (only ``agency``'s, when given: a
    defence article still meets OFAC's blocking of an end user, not Part 744)."""
    snap = ctx.snapshot
    stated = ctx.end_use.strip()
    # the terms of the rules in force that day
    terms = snap.memo("end_use_terms", lambda: tuple(dict.fromkeys(
        k for r in snap.end_use_rules for k in r.end_use_keywords)))
    uses = end_use_named(stated, terms) if stated else []
    dest = ctx.ear_destination
    # the rules that reach the destination that day
    rules = snap.memo(("end_use_rules_at", dest), lambda: [
        r for r in snap.end_use_rules
        if not (r.countries or r.groups) or in_set(snap, dest, r.countries, r.groups)])
    utype = ctx.end_user_type.value
    for rule in rules:
        if agency is not None and rule.agency != agency:
            continue
        by_user = utype in rule.end_user_types
        by_use = next((k for k in rule.end_use_keywords if k in uses), None) if uses else None
        if not (by_user or by_use is not None or ctx.tracing or not rule.start_date_known):
            continue  # cannot fire, and the note would only write the trace
        items_ok, why_items = _items_covered(ctx, rule.items)
        exempt = utype in rule.exempt_end_user_types
        fired = items_ok and not exempt and (by_user or by_use is not None)
        if fired:
            ctx.require(
                Requirement(
                    rule.reason,
                    Agency(rule.agency),
                    rule.review_policy,
                    rule.id,
                    frozenset(rule.allowed_exceptions),
                    prohibited=rule.prohibited,
                    citation=rule.citation,
                )
            )
            trigger = f"end user is {utype}" if by_user else f"end use {by_use!r}"
            detail = f"{rule.description}: {trigger}; {why_items}"
        elif not ctx.tracing and rule.start_date_known:
            continue  # the note would only write the trace (a batch decides untraced)
        elif not items_ok:
            detail = f"{rule.description}: {why_items}"
        elif exempt:
            detail = (f"{rule.description}: does not reach a {ctx.end_user_type.value} end user "
                      f"({rule.citation})")
        elif not (rule.countries or rule.groups) and not stated:
            # worldwide end-use rules with no end use stated: nothing to say
            if not rule.start_date_known:
                ctx.unknown_if_stated.setdefault(rule.id, rule.citation)
            continue
        elif stated:
            said = f"the end use stated ({stated!r}) names " + (
                ", ".join(uses) if uses else "none of the Part 744 end uses")
            detail = (f"{rule.description}: {said}, not one it names "
                      f"({', '.join(rule.end_use_keywords) or 'none'}); end user "
                      f"{ctx.end_user_type.value}")
        else:
            detail = f"{rule.description}: no military/prohibited end use or end user stated"
        ctx.note(rule.id, rule, fired, detail)


def _items_covered(ctx: Context, items: str) -> tuple[bool, str]:
    if items == "all":
        return True, "applies to all items subject to the EAR"
    if items == "ccl":
        ok = ctx.item.kind == "eccn"
        return ok, "applies to CCL items" + ("" if ok else f"; {ctx.item.label} is EAR99")
    eccns = ctx.snapshot.item_lists[items]
    ok = ctx.item.kind == "eccn" and ctx.item.code in eccns
    where = f"{ctx.item.code} {'is' if ok else 'is not'} in {items}"
    return ok, where
