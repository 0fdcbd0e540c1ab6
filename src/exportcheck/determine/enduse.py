"""Step: end-use and end-user controls (Part 744)."""

from __future__ import annotations

from exportcheck.determine.context import Context, Requirement
from exportcheck.models import Agency


def end_use(ctx: Context) -> None:
    snap = ctx.snapshot
    use = ctx.end_use.lower()
    for rule in snap.end_use_rules:
        if rule.countries and ctx.ear_destination not in rule.countries:
            continue
        items_ok, why_items = _items_covered(ctx, rule.items)
        by_user = ctx.end_user_type.value in rule.end_user_types
        by_use = next((k for k in rule.end_use_keywords if k in use), None)
        fired = items_ok and (by_user or by_use is not None)
        if fired:
            ctx.require(
                Requirement(
                    rule.reason,
                    Agency.BIS,
                    rule.review_policy,
                    rule.id,
                    frozenset(rule.allowed_exceptions),
                )
            )
            trigger = f"end user is {ctx.end_user_type.value}" if by_user else f"end use {by_use!r}"
            detail = f"{rule.description}: {trigger}; {why_items}"
        elif not items_ok:
            detail = f"{rule.description}: {why_items}"
        elif not rule.countries and not use:
            continue  # worldwide end-use rules with no end use stated: nothing to say
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
