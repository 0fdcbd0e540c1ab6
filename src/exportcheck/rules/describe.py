"""What the rule base says about one destination on a date, and what changed between two dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from exportcheck.errors import UnknownDestination
from exportcheck.rules.ruleset import RuleSet


class RuleRow(BaseModel):
    table: str
    summary: str
    citation: str
    effective_from: date | None
    effective_to: date | None
    start_date_known: bool


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
        case "licence_exceptions":
            return f"License Exception {r.symbol}: {r.title}"
        case _:
            return str(getattr(r, "id", "") or getattr(r, "reason", "") or table)


def _row(table: str, r: Any) -> RuleRow:
    return RuleRow(
        table=table,
        summary=summarise(table, r),
        citation=r.citation,
        effective_from=r.effective_from,
        effective_to=r.effective_to,
        start_date_known=r.start_date_known,
    )


def _mentions(table: str, r: Any, codes: set[str]) -> bool:
    for attr in ("code", "as_code"):
        if getattr(r, attr, None) in codes:
            return True
    return any(codes & set(getattr(r, attr, []) or []) for attr in ("destinations", "countries"))


def destination_rules(rs: RuleSet, code: str, on: date) -> DestinationRules:
    """Every rule in force on ``on`` that names the destination (or what it is determined as)."""
    snap = rs.as_of(on)
    code = code.strip().upper()
    ear = snap.alias(code, "ear")
    itar = snap.alias(code, "itar")
    known = code in snap.destinations or ear or any(code == a[1] for a in snap.aliases)
    if not known and not any(code == r.code for r in rs.rows("destinations")):
        raise UnknownDestination(f"unknown destination {code!r}: use an ISO 3166 code such as HK")
    ear_codes = {code, ear.as_code if ear else code}
    itar_codes = {code, itar.as_code if itar else code}
    rows = [
        _row(t, r)
        for t, table_rows in rs.tables.items()
        if t not in ("ccl", "review_policies", "usml", "licence_exceptions")
        for r in table_rows
        if r.in_force(on)
        and (
            (t == "aliases" and r.code == code)
            or (t == "proscribed" and _mentions(t, r, itar_codes))
            or (t not in ("aliases", "proscribed") and _mentions(t, r, ear_codes))
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
    code = code.strip().upper()
    if code not in snap.destinations:
        raise UnknownDestination(
            f"{code!r} is not a Country Chart destination on {on.isoformat()}"
            + (f" (the EAR determines it as {a.as_code})" if (a := snap.alias(code, "ear")) else "")
        )
    derived = derive_row(snap, code)
    marks = snap.chart.get(code, {})
    return DerivedRow(
        code=code,
        on=on,
        groups=sorted(snap.groups.get(code, {})),
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
    codes = {country.strip().upper()} if country else None
    out = []
    for table, r, kind in rs.changes_between(start, end):
        if codes and not _mentions(table, r, codes):
            continue
        # the day the change takes effect: a rule ending on the 22nd is gone from the 23rd
        when = r.effective_from if kind == "added" else r.effective_to + timedelta(days=1)
        out.append(RuleChange(change=kind, on=when, row=_row(table, r)))
    return out
