"""Which rule rows have an established start date, which are today's text applied to the past,
and which known changes the rule base does not model.

A row whose start is ``unknown`` (or only bounded, ``unknown; not before DATE``) is applied from
the start of the rule base although it was read from the eCFR of :data:`SOURCE_EDITION`: a
determination for an earlier date names it among its caveats. This module lists those rows, so
a compliance officer can see what an answer for 2019-2025 rests on, and counts them per table
(the README's figure is this count).

    >>> from exportcheck.rules import load_ruleset
    >>> report = history_report(load_ruleset())
    >>> report.rows == report.dated + report.undated
    True
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from exportcheck.errors import InvalidInput
from exportcheck.rules.describe import RuleRow, known_destination, mentions, rule_row
from exportcheck.rules.ruleset import RuleSet
from exportcheck.rules.schema import SOURCE_EDITION


class TableHistory(BaseModel):
    table: str
    rows: int
    dated: int  # an established start date
    undated: int  # start unknown or only bounded


class UndatedRow(BaseModel):
    row: RuleRow
    not_before: date | None  # the lower bound of its start, when one is known


class KnownGap(BaseModel):
    """A change known from its Federal Register rule but not modelled (history_gaps.yaml)."""

    id: str
    effective_from: date | None
    effective_to: date | None
    citation: str
    text: str


class HistoryReport(BaseModel):
    source_edition: date
    rows: int
    dated: int
    undated: int
    tables: list[TableHistory]
    #: the undated rows themselves (filtered by table / destination when asked)
    undated_rows: list[UndatedRow]
    gaps: list[KnownGap]


def history_report(rs: RuleSet, *, table: str | None = None,
                   country: str | None = None) -> HistoryReport:
    """Counts per table over the whole rule base; ``undated_rows`` only for ``table`` and
    the rows naming ``country`` when given (an unknown table or destination is an error)."""
    if table is not None and table not in rs.tables:
        raise InvalidInput(f"unknown table {table!r}: one of {', '.join(sorted(rs.tables))}")
    codes = {known_destination(rs, country)} if country is not None else None
    tables, undated = [], []
    for name in sorted(rs.tables):
        rows = rs.tables[name]
        known = [r for r in rows if r.start_date_known]
        tables.append(TableHistory(table=name, rows=len(rows), dated=len(known),
                                   undated=len(rows) - len(known)))
        if table not in (None, name):
            continue
        undated += [UndatedRow(row=rule_row(name, r), not_before=r.not_before) for r in rows
                    if not r.start_date_known and (codes is None or mentions(name, r, codes))]
    gaps = [KnownGap(id=g.id, effective_from=g.effective_from, effective_to=g.effective_to,
                     citation=g.citation, text=g.text) for g in rs.rows("history_gaps")]
    dated = sum(t.dated for t in tables)
    total = sum(t.rows for t in tables)
    return HistoryReport(source_edition=SOURCE_EDITION, rows=total, dated=dated,
                         undated=total - dated, tables=tables, undated_rows=undated, gaps=gaps)
