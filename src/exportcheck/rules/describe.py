"""What the rule base says about one destination on a date, and what changed between two dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from exportcheck.errors import DateOutOfRange, UnknownDestination
from exportcheck.rules.ruleset import RuleSet
from exportcheck.rules.schema import RULEBASE_START


class RuleRow(BaseModel):
    table: str
    summary: str
    citation: str
    effective_from: date | None
    effective_to: date | None
    start_date_known: bool
    #: the Federal Register rule (or other source) that dates the row, when it is not
    #: ``citation``: what an auditor checks a change against (85 FR 84211 for Ukraine's B)
    start_citation: str | None = None
    #: lower bound of a start that is not established (applied from this day)
    not_before: date | None = None
    #: the rule that ended the row, when established (85 FR 84211 for Ukraine's D:1)
    end_citation: str | None = None


class DestinationRules(BaseModel):
    code: str
    on: date
    ear_as: str
    itar_as: str
    rows: list[RuleRow]


class ColumnCheck(BaseModel):
    column: str
    printed: bool  # an X in the rule base's chart row
    derived: bool  # an X by the column's Part 742 definition
    basis: str  # text | list: how the definition is known
    definition: str  # its citation
    mark_citation: str | None  # the chart mark's own citation, when there is an X


class DerivedRow(BaseModel):
    code: str
    on: date
    groups: list[str]
    columns: list[ColumnCheck]
    #: Part 746 embargo rows that decide for this destination instead of the chart
    embargoes: list[str] = []

    @property
    def agrees(self) -> bool:
        return all(c.printed == c.derived for c in self.columns)


class RuleChange(BaseModel):
    change: str  # added | removed
    on: date  # the first day the change is in effect
    row: RuleRow


def summarise(table: str, r: Any) -> str:
    match table:
        case "chart_marks":
            basis = "" if r.basis == "chart" else f" ({r.basis})"
            return f"{r.code}: X in Country Chart column {r.column}{basis}"
        case "column_definitions":
            return f"Country Chart column {r.column} definition ({r.basis})"
        case "group_members":
            return f"{r.code} in Country Group {r.group}"
        case "aliases":
            return f"{r.code} determined as {r.as_code} ({r.scope.upper()})"
        case "destinations":
            return f"destination {r.code} ({r.name})"
        case "ccl":
            return f"ECCN {r.eccn}: {r.heading[:80]}"
        case "proscribed":
            return f"ITAR 22 CFR {r.paragraph}: {r.code}, {r.review_policy}"
        case "exception_restrictions" | "embargoes" | "end_use_rules" | "special_controls":
            return f"{r.id}: {getattr(r, 'description', '')}"
        case "chart_footnotes":
            return f"{r.id}: {r.text[:100]}"
        case "item_lists":
            return f"{r.id}: {len(r.eccns)} ECCNs"
        case "itar_exemptions":
            where = ", ".join(r.destinations)
            return f"ITAR exemption 22 CFR {r.section} ({r.title}): {where} only"
        case "proscribed_exemptions":
            where = ", ".join(r.destinations) or "any 126.1 destination"
            return f"ITAR exemption 22 CFR {r.paragraphs} usable for {where} ({r.text})"
        case "licence_exceptions":
            return f"License Exception {r.symbol}: {r.title}"
        case "ownership_rules":
            return f"{r.id} ({r.status.replace('_', ' ')}): {r.description[:100]}"
        case _:
            return str(getattr(r, "id", "") or getattr(r, "reason", "") or table)


def rule_row(table: str, r: Any) -> RuleRow:
    return RuleRow(
        table=table,
        summary=summarise(table, r),
        citation=r.citation,
        effective_from=r.effective_from,
        effective_to=r.effective_to,
        start_date_known=r.start_date_known,
        start_citation=r.start_citation,
        not_before=r.not_before,
        end_citation=r.end_citation,
    )


#: lists of destinations a row leaves out (GBS and TSR "except Sudan and Ukraine", 740.4, 740.6)
_EXCLUSIONS = ("exclude_countries", "exclude_destinations")


def mentions(table: str, r: Any, codes: set[str], *, exclusions: bool = False) -> bool:
    """Whether the row names one of ``codes`` (as its destination, alias or in a list); with
    ``exclusions``, also a row that names it to leave it out, since a change to such a row
    changes what applies to the destination (a diff)."""
    for attr in ("code", "as_code"):
        if getattr(r, attr, None) in codes:
            return True
    lists = ("destinations", "countries", *(_EXCLUSIONS if exclusions else ()))
    return any(codes & set(getattr(r, attr, []) or []) for attr in lists)


def known_destination(rs: RuleSet, code: str) -> str:
    """The normalised code, if the rule base knows it as a destination on any date."""
    norm = (code or "").strip().upper()
    if not norm:
        raise UnknownDestination("destination is empty: use an ISO 3166 code such as HK")
    if not any(norm == r.code for t in ("destinations", "aliases") for r in rs.rows(t)):
        raise UnknownDestination(f"unknown destination {norm!r}: use an ISO 3166 code such as HK")
    return norm


def destination_rules(rs: RuleSet, code: str, on: date) -> DestinationRules:
    """Every rule in force on ``on`` that names the destination (or what it is determined as)."""
    snap = rs.as_of(on)
    code = known_destination(rs, code)
    ear = snap.alias(code, "ear")
    itar = snap.alias(code, "itar")
    ear_codes = {code, ear.as_code if ear else code}
    itar_codes = {code, itar.as_code if itar else code}
    rows = [
        rule_row(t, r)
        for t, table_rows in rs.tables.items()
        if t not in ("ccl", "review_policies", "usml", "licence_exceptions")
        for r in table_rows
        if r.in_force(on)
        and (
            (t == "aliases" and r.code == code)
            or (t == "proscribed" and mentions(t, r, itar_codes))
            or (t not in ("aliases", "proscribed") and mentions(t, r, ear_codes))
        )
    ]
    return DestinationRules(
        code=code,
        on=on,
        ear_as=ear.as_code if ear else code,
        itar_as=itar.as_code if itar else code,
        rows=rows,
    )


def derived_row(rs: RuleSet, code: str, on: date) -> DerivedRow:
    """A destination's chart row next to what the Part 742 column definitions give for it."""
    from exportcheck.rules.columns import derive_row

    snap = rs.as_of(on)
    code = known_destination(rs, code)
    if code == "US" or "-" in code or code not in snap.destinations or snap.alias(code, "ear"):
        alias = snap.alias(code, "ear")
        why = (
            f"the EAR determines it as {alias.as_code}"
            if alias
            else "the exporting country"
            if code == "US"
            else "a special region without a chart row"
            if "-" in code
            else "not a destination then"
        )
        raise UnknownDestination(
            f"{code!r} has no Country Chart row of its own on {on.isoformat()} ({why})"
        )
    derived = derive_row(snap, code)
    marks = snap.chart.get(code, {})
    return DerivedRow(
        code=code,
        on=on,
        groups=sorted(snap.groups.get(code, {})),
        embargoes=[e.id for e in snap.embargoes.get(code, [])],
        columns=[
            ColumnCheck(
                column=col,
                printed=col in marks,
                derived=col in derived,
                basis=d.basis,
                definition=d.citation,
                mark_citation=marks[col].citation if col in marks else None,
            )
            for col, d in snap.column_definitions.items()
        ],
    )


def rule_changes(
    rs: RuleSet, start: date, end: date, country: str | None = None
) -> list[RuleChange]:
    """Rows that came into or went out of force after ``start`` up to and including ``end``."""
    if start < RULEBASE_START:
        raise DateOutOfRange(
            f"date {start.isoformat()} is before the rule base starts "
            f"({RULEBASE_START.isoformat()})"
        )
    codes = {known_destination(rs, country)} if country is not None else None
    out = []
    for table, r, kind in rs.changes_between(start, end):
        if codes and not mentions(table, r, codes, exclusions=True):
            continue
        # the day the change takes effect: a rule ending on the 22nd is gone from the 23rd
        when = r.start if kind == "added" else r.effective_to + timedelta(days=1)
        out.append(RuleChange(change=kind, on=when, row=rule_row(table, r)))
    return out
