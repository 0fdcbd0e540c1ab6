"""``exportcheck rules show|diff|derive|history``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from exportcheck.cli.common import console, parse_date

if TYPE_CHECKING:
    from exportcheck.rules.describe import RuleChange

rules_app = typer.Typer(help="Inspect the effective-dated rule base.", no_args_is_help=True)


@rules_app.command("show")
def show(
    destination: str = typer.Argument(..., help="ISO 3166 code, e.g. HK"),
    on: str = typer.Option(..., "--on", help="the day the rules are read on, YYYY-MM-DD"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """The rules in force for a destination on a date, each with its citation."""
    from exportcheck.api import load_ruleset
    from exportcheck.rules.describe import destination_rules

    res = destination_rules(load_ruleset(), destination, parse_date(on))
    if as_json:
        typer.echo(json.dumps(res.model_dump(mode="json"), indent=2))
        return
    title = f"{res.code} on {res.on.isoformat()}"
    if res.ear_as != res.code:
        title += f" — determined as {res.ear_as} under the EAR"
    if res.itar_as != res.code:
        title += f", as {res.itar_as} under the ITAR"
    t = Table(title=title, title_justify="left")
    for col in ("rule", "citation", "in force"):
        t.add_column(col)
    for r in res.rows:
        since = (
            r.effective_from.isoformat() if r.start_date_known and r.effective_from
            else f"unknown, not before {r.not_before.isoformat()}" if r.not_before
            else "unknown"
        )
        until = r.effective_to.isoformat() if r.effective_to else ""
        cited = r.citation
        if r.start_citation and r.start_date_known and r.start_citation not in cited:
            cited += f"; from {r.start_citation}"
        t.add_row(escape(r.summary), escape(cited), f"{since} – {until}")
    console.print(t)


@rules_app.command("diff")
def diff(
    start: str = typer.Option(..., "--from", help="first day, YYYY-MM-DD"),
    end: str = typer.Option(..., "--to", help="last day, YYYY-MM-DD"),
    country: str | None = typer.Option(
        None, "--country", help="only rules naming this destination"
    ),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Which rules came into or went out of force between two dates, with citations."""
    from exportcheck.api import load_ruleset
    from exportcheck.errors import InvalidInput
    from exportcheck.rules.describe import rule_changes

    d1, d2 = parse_date(start, "--from date"), parse_date(end, "--to date")
    if d2 < d1:
        raise InvalidInput(f"--to {end} is before --from {start}")
    changes = rule_changes(load_ruleset(), d1, d2, country)
    if as_json:
        typer.echo(json.dumps([c.model_dump(mode="json") for c in changes], indent=2))
        return
    t = Table(
        title=f"Rule changes after {d1} up to {d2}" + (f" for {country}" if country else ""),
        title_justify="left",
    )
    for col in ("date", "change", "rule", "citation"):
        t.add_column(col)
    for c in changes:
        style = "green" if c.change == "added" else "red"
        t.add_row(c.on.isoformat(), f"[{style}]{c.change}[/]", escape(c.row.summary),
                  escape(_change_citation(c)))
    console.print(t if changes else "no rule changes in that period")


def _change_citation(c: RuleChange) -> str:
    """The row's citation and the rule that made the change (the Federal Register notice an
    auditor checks it against): for a row coming into force the one that dates it, for one
    going out the one that ended it; a day that only bounds a start not established is said
    to be one."""
    text = c.row.citation
    if c.change != "added":
        if c.row.end_citation and c.row.end_citation not in text:
            text += f"; ended by {c.row.end_citation}"
        return text
    if c.row.start_citation and c.row.start_citation not in text:
        text += f"; {c.row.start_citation}"
    if not c.row.start_date_known:
        text += "; start not established: applied from this day at the earliest"
    return text


@rules_app.command("derive")
def derive(
    destination: str = typer.Argument(..., help="ISO 3166 code, e.g. HK"),
    on: str = typer.Option(..., "--on", help="the day the rules are read on, YYYY-MM-DD"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """A destination's chart row next to what each column's Part 742 definition gives."""
    from exportcheck.api import load_ruleset
    from exportcheck.rules.describe import derived_row

    res = derived_row(load_ruleset(), destination, parse_date(on))
    if as_json:
        typer.echo(json.dumps(res.model_dump(mode="json") | {"agrees": res.agrees}, indent=2))
        return
    groups = ", ".join(res.groups) or "none"
    t = Table(
        title=f"{res.code} on {res.on.isoformat()} (Country Groups: {groups})", title_justify="left"
    )
    for col in ("column", "chart", "definition gives", "definition (basis)"):
        t.add_column(col)
    for c in res.columns:
        gives = "X" if c.derived else ("-" if c.printed else "")
        if c.printed != c.derived:
            gives = f"[bold red]{gives}[/]"
        t.add_row(c.column, "X" if c.printed else "", gives, escape(f"{c.definition} ({c.basis})"))
    console.print(t)
    if res.agrees:
        console.print("row agrees with the column definitions")
    elif res.embargoes:
        console.print(
            f"the chart row is not checked here: {escape(', '.join(res.embargoes))} decides "
            f"for {res.code} (Part 746), and its chart cells are not fully parsed"
        )
    else:
        console.print("[bold red]row differs from the column definitions[/]")


@rules_app.command("history")
def history(
    table: str | None = typer.Option(None, "--table", help="list this table's undated rows"),
    country: str | None = typer.Option(None, "--country",
                                       help="list the undated rows naming this destination"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Rows whose start date is established, rows applied to the past from today's text, and
    the changes known but not modelled."""
    from exportcheck.api import load_ruleset
    from exportcheck.rules.history import history_report

    res = history_report(load_ruleset(), table=table, country=country)
    if as_json:
        typer.echo(json.dumps(res.model_dump(mode="json"), indent=2))
        return
    edition = res.source_edition.isoformat()
    t = Table(title=f"Start dates of the rule rows ({res.rows:,} rows: {res.dated:,} dated, "
                    f"{res.undated:,} read from the eCFR of {edition} and applied to the past)",
              title_justify="left")
    for col in ("table", "rows", "dated", "start unknown"):
        t.add_column(col, justify="left" if col == "table" else "right")
    for row in res.tables:
        t.add_row(row.table, f"{row.rows:,}", f"{row.dated:,}", f"{row.undated:,}")
    console.print(t)
    if table is not None or country is not None:
        rows = Table(title="Undated rows" + (f" of {table}" if table else "")
                     + (f" naming {country.upper()}" if country else ""), title_justify="left")
        for col in ("rule", "citation", "start"):
            rows.add_column(col)
        for u in res.undated_rows:
            start = f"not before {u.not_before.isoformat()}" if u.not_before else "unknown"
            rows.add_row(escape(u.row.summary), escape(u.row.citation), start)
        console.print(rows if res.undated_rows else "no undated rows")
    gaps = Table(title="Known changes not modelled (caveats of the determinations they reach)",
                 title_justify="left")
    for col in ("id", "window", "citation"):
        gaps.add_column(col)
    for g in res.gaps:
        since = g.effective_from.isoformat() if g.effective_from else "before 2019"
        until = g.effective_to.isoformat() if g.effective_to else f"(not after {edition})"
        gaps.add_row(g.id, f"{since} – {until}", escape(g.citation))
    console.print(gaps)


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
