"""Trace notes on how far the EAR reaches: foreign direct product rules and BIS enforcement.

A determination answers for an item the user says is subject to the EAR. Two things an auditor
also needs to see, which change no outcome: (1) a foreign direct product (FDP) rule of 734.9
(advanced computing 734.9(h), Entity List footnotes 734.9(e)) makes the same kind of item
subject to the EAR when it is made abroad, so a foreign-made chip bound for China needs the
same licence; (2) BIS has said it will not enforce a requirement still in the CFR (the AI
diffusion rule from 13 May 2025). Rows: ``rules/data/reach_notes.yaml``.
"""

from __future__ import annotations

import re

from exportcheck.determine.context import Context
from exportcheck.determine.ear import special_destinations
from exportcheck.determine.items import pattern_hit
from exportcheck.rules import schema as s


def _item_hit(ctx: Context, row: s.ReachNote) -> bool:
    if row.item_regex and re.match(row.item_regex, ctx.item.code):
        return True
    if pattern_hit(ctx.item.label, row.items):
        return True
    # an order line without a paragraph may be any paragraph of the entry
    return not ctx.item.paragraph and ctx.item.code in {
        p.split(".")[0] for p in row.items if not p.startswith("!")
    }


def _destination_hit(ctx: Context, row: s.ReachNote) -> bool:
    snap, dest = ctx.snapshot, ctx.ear_destination
    if dest in row.exclude_countries:
        return False
    if not (
        row.worldwide or dest in row.countries or any(snap.in_group(dest, g) for g in row.groups)
    ):
        return False
    control = snap.special.get(row.outside_special or "")
    return control is None or dest not in special_destinations(snap, control)


def reach_notes(ctx: Context) -> None:
    """Write the FDP and enforcement notes that reach this item and destination on the date."""
    if ctx.item.kind != "eccn":
        return
    for row in ctx.snapshot.reach_notes:
        if not ctx.tracing and row.start_date_known:
            continue  # its note would only write the trace (a batch decides untraced)
        if _item_hit(ctx, row) and _destination_hit(ctx, row):
            what = "foreign direct product rule" if row.kind == "fdp" else "BIS enforcement"
            ctx.note(f"{row.id} ({what})", row, row.kind == "fdp", row.text)
