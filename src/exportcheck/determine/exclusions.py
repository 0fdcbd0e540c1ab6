"""A Part 746 row's exclusions from its own licence requirement for some end users
(746.8(a)(12)(ii): 5A991, 5A992.c and 5D992.c for civil end users of U.S. and Country Group
A:5 / A:6 companies in Russia or Belarus).

The stated headquarters of the end user (or its ultimate parent) decides; none stated, the
licence stays and the answer asks for it (``facts_wanted``), as for the headquarters reach of
742.6(a)(6). An item classified less far than the exclusion names ("5A992" for "5A992.c") is
not excluded on a guess: the trace says what its paragraph would change. The order line cannot
show the end user's form (a wholly owned subsidiary, branch or joint venture) nor a 740.17
classification: the trace names them for a person to confirm."""

from __future__ import annotations

from exportcheck.determine.context import Context
from exportcheck.determine.items import may_be_among, pattern_hit
from exportcheck.determine.places import in_set, named
from exportcheck.rules.embargo_schema import Embargo, EmbargoExclusion


def excluded(ctx: Context, row: Embargo) -> tuple[EmbargoExclusion | None, str]:
    """The exclusion of ``row`` that lifts its licence requirement for the line, if any, and
    the words the trace adds ("" when not tracing): why it does, or why it does not."""
    label = ctx.item.label
    words: list[str] = []
    for x in row.exclusions:
        if not pattern_hit(label, x.items):
            if ctx.tracing and may_be_among(label, x.items):
                maybe = ", ".join(p for p in x.items if p.startswith(label + "."))
                words.append(f"; {label} may be {maybe}, which {x.citation} excludes for "
                             f"some {_users(x)} end users: not applied to an item not "
                             "classified that far (conservative; give the paragraph)")
            continue
        if ctx.end_user_type not in x.end_user_types:
            if ctx.tracing:
                words.append(f"; {x.citation} excludes {label} only for {_users(x)} end "
                             f"users, not a {ctx.end_user_type} one")
            continue
        where = named(x.headquarters_countries, x.headquarters_groups)
        hq = ctx.facts.headquarters
        if hq is None:
            ctx.want_fact(None, "headquarters",
                          f"if the {_users(x)} end user is a wholly owned subsidiary, branch or "
                          f"sales office, or a joint venture, of companies headquartered in "
                          f"{where}, {label} needs no licence under {row.id} ({x.citation}); "
                          "headquarters not stated", subject="licence requirement")
            if ctx.tracing:
                words.append(f"; {x.citation} excludes {label} for {_users(x)} end users of "
                             f"companies headquartered in {where}: headquarters not stated")
            continue
        if in_set(ctx.snapshot, hq, x.headquarters_countries, x.headquarters_groups):
            if x.caveat and x.caveat not in ctx.rule_caveats:
                ctx.rule_caveats.append(x.caveat)
            return x, (f"; not required here: {x.citation} excludes {label} for "
                          f"{_users(x)} end users of companies headquartered in {where}, and "
                          f"the end user's headquarters {hq} (as stated) is there. "
                          f"{x.conditions}" if ctx.tracing else "")
        if ctx.tracing:
            words.append(f"; the headquarters {hq} (as stated) is outside {where}: the "
                         f"exclusion of {x.citation} does not apply")
    return None, "".join(words)


def _users(x: EmbargoExclusion) -> str:
    return "/".join(x.end_user_types)
