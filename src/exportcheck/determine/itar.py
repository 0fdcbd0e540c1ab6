"""Step: ITAR for USML items (22 CFR 120-130)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from exportcheck.determine.context import Context, Requirement
from exportcheck.models import Agency

if TYPE_CHECKING:
    from exportcheck.rules.ruleset import Snapshot
    from exportcheck.rules.schema import ProscribedExemption


def itar(ctx: Context) -> None:
    snap = ctx.snapshot
    cat = snap.usml[ctx.item.code]
    ctx.note(
        f"USML Category {cat.category}: {cat.title}",
        cat,
        True,
        "defence article subject to the ITAR: a DDTC licence (DSP-5 for a permanent export) "
        "is required unless an ITAR exemption applies; the EAR steps do not apply",
    )
    review(ctx)


def review(ctx: Context) -> None:
    """22 CFR 126.1: how DDTC reviews a licence for the destination on the date."""
    snap = ctx.snapshot
    alias = snap.alias(ctx.destination, "itar")
    if alias is not None:
        ctx.note(
            f"{ctx.destination} determined as {alias.as_code} under the ITAR",
            alias,
            True,
            alias.note or "",
        )
    dest = ctx.itar_destination
    row = snap.proscribed.get(dest)
    if row is None:
        ctx.require(Requirement("ITAR", Agency.DDTC, "case-by-case", "22 CFR 123.1", frozenset(),
                                citation="22 CFR 123.1"))
        ctx.note(
            "22 CFR 126.1 proscribed destinations",
            None,
            False,
            f"{dest} is not a 126.1 destination on {ctx.on.isoformat()}: case-by-case review",
            citation="22 CFR 126.1",
        )
        _destination_exemptions(ctx, dest)
        return
    ctx.require(
        Requirement("ITAR", Agency.DDTC, row.review_policy, f"22 CFR {row.paragraph}", frozenset(),
                    citation=row.citation)
    )
    ctx.note(
        f"22 CFR {row.paragraph}: {dest}",
        row,
        True,
        f"{row.review_policy}; ITAR exemptions are not available (126.1(a)){_kept(ctx, dest)}",
    )


def _destination_exemptions(ctx: Context, dest: str) -> None:
    """The ITAR exemptions in force that serve ``dest`` only (126.5 Canada; 126.16, 126.17 and
    126.7 for Australia and the UK): named in the answer, so an exporter to Canada is not told
    a DSP-5 is all there is. Their other conditions (Canadian-registered or Approved Community
    recipients, the exclusions of Supplements No. 1 and 2 to part 126) are not checked, so
    the licence requirement stands until the exporter establishes one."""
    served = sorted((x for x in ctx.snapshot.itar_exemptions.values() if dest in x.destinations),
                    key=lambda x: tuple(int(n) for n in x.section.split(".")))
    if not served:
        return
    names = "; ".join(f"22 CFR {x.section} {x.title} ({x.citation})" for x in served)
    text = (f"ITAR exemptions that may serve {dest}: {names}. Their "
            "conditions are not checked here: a DDTC licence is required unless the exporter "
            "establishes that one applies")
    if text not in ctx.rule_caveats:
        ctx.rule_caveats.append(text)
    for x in served:
        ctx.note(f"22 CFR {x.section}: {x.title}", x, False,
                 f"may serve {dest}: {x.text}; its conditions are not checked")


def _kept(ctx: Context, dest: str) -> str:
    """The exemptions 126.1(a) still lets a proscribed destination use, each with its
    paragraph: "not available" alone would refuse a U.S. Government or FMS transfer too."""
    kept = [f"{x.paragraphs} ({x.text}; {x.citation})"
            for x in proscribed_exemptions(ctx.snapshot, dest)]
    return f", except {'; '.join(kept)}" if kept else ""


def proscribed_exemptions(snap: Snapshot, dest: str) -> list[ProscribedExemption]:
    """The rows of 22 CFR 126.1(a) in force that serve ``dest`` (as the ITAR sees it)."""
    return [x for x in snap.proscribed_exemptions if not x.destinations or dest in x.destinations]
