"""``exportcheck impact``: what a rule or list change does to a portfolio of order lines."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape

from exportcheck.cli.common import (
    DASK_OPTION,
    OWNERS_OPTION,
    PARTITION_OPTION,
    SCHEDULER_OPTION,
    check_csv_header,
    configured_database_exists,
    console,
    dask_target,
    existing_database,
    parse_date,
    progress_bar,
)
from exportcheck.errors import InvalidInput

if TYPE_CHECKING:

    from exportcheck.impact import ImpactResult


def impact(
    orders: Path = typer.Argument(..., help="order lines, .csv or .parquet (item, destination...)"),
    out: Path = typer.Option(..., "-o", "--out", "--output",
                             help="output folder (created if missing)"),
    start: str | None = typer.Option(None, "--from", help="old rule date, YYYY-MM-DD"),
    end: str | None = typer.Option(None, "--to", help="new rule date, YYYY-MM-DD"),
    from_lists: str | None = typer.Option(
        None, "--from-lists", help="old list version(s), ids as `lists show --all` gives, e.g. 3,5"
    ),
    to_lists: str | None = typer.Option(None, "--to-lists", help="new list version(s)"),
    on: str | None = typer.Option(
        None, "--on", help="rule date when only lists are compared, YYYY-MM-DD"),
    rate: list[str] = typer.Option(
        [], "--rate", help="exchange rate CUR=USD per unit, e.g. EUR=1.08 (repeatable)"
    ),
    db: str | None = typer.Option(
        None, "--db", help="ledger database whose licences are checked (default: none)"
    ),
    no_screen: bool = typer.Option(False, "--no-screen", help="do not screen end users"),
    owners: Path | None = OWNERS_OPTION,
    use_dask: bool = DASK_OPTION,
    scheduler: str | None = SCHEDULER_OPTION,
    partition_rows: int | None = PARTITION_OPTION,
) -> None:
    """Determine every line on two dates (or against two list releases) and explain the changes.

    Writes lines.parquet, summary.json and report.html into the output folder.
    """
    from exportcheck.determine.batch_io import check_answer_columns, has_parties, read_lines
    from exportcheck.impact import impact as run_impact
    from exportcheck.impact.core import CLI_NAMES, check_dates, check_order_lines
    from exportcheck.impact.output import check_not_input, check_outdir
    from exportcheck.screen.reading import reading_screener

    d_old = parse_date(start, "--from date") if start else None
    d_new = parse_date(end, "--to date") if end else None
    d_on = parse_date(on, "--on date") if on else None
    if (from_lists is None) != (to_lists is None):
        raise InvalidInput("give both --from-lists and --to-lists")
    check_dates(d_old, d_new, d_on, from_lists is not None, CLI_NAMES)
    from exportcheck.impact.rates import parse_rates  # lazy: the CLI starts without polars

    rates = parse_rates(rate)
    db = existing_database(db)  # a mistyped --db must not report no licences affected
    if from_lists is not None:  # stored versions: with no database, none (and none created)
        from exportcheck.screen.store import parse_version_ids

        for versions in (from_lists, to_lists):  # "abc" is said before "no database"
            parse_version_ids(versions)  # type: ignore[arg-type]
        configured_database_exists("`exportcheck lists load FILES` (or `lists fetch`)")
    check_csv_header(orders, "order file", named=True)
    if owners is not None:
        check_csv_header(owners, "owners file")
    check_outdir(out)
    check_not_input(orders, out)
    target = dask_target(use_dask, scheduler, partition_rows)
    if target is not None:
        from exportcheck.scale import connect, workers
        from exportcheck.scale.batch import order_file_head
        from exportcheck.scale.impact import ROWS, impact_file

        _, head = order_file_head(orders, impact=True)
        check_order_lines(head, rates, present=[])  # before a cluster starts
        owners_spec = workers.owners_spec(owners)  # read once, here: the workers get the spec
        with connect(target) as client, progress_bar("partitions") as progress:
            result = impact_file(
                client, orders, out, d_old, d_new, on=d_on, from_lists=from_lists,
                to_lists=to_lists, rates=rates, database_url=db, screen=not no_screen,
                owners=owners_spec, rows_per_partition=partition_rows or ROWS,
                progress=progress)
        print_summary(result, out)
        return
    ownership = None
    if owners is not None:
        from exportcheck.screen.ownership import Ownership

        ownership = Ownership.from_file(owners)
    lines = read_lines(orders)
    check_answer_columns(lines.columns, impact=True, what=f"order file {orders}")
    check_order_lines(lines, rates)  # a missing column, a rate: before the lists load
    from_scr = to_scr = screener = None
    parties = None
    if from_lists is not None:
        from exportcheck.screen import store

        from_scr = store.screener_for_versions(from_lists)
        to_scr = store.screener_for_versions(to_lists)  # type: ignore[arg-type]
        parties = [(p.name, p.country) for p in store.list_parties()]
    elif not no_screen and has_parties(lines.columns):
        screener = reading_screener()
    with progress_bar("distinct lines, both sides") as progress:
        result = run_impact(
            lines,
            d_old,
            d_new,
            on=d_on,
            screener=screener,
            from_screener=from_scr,
            to_screener=to_scr,
            rates=rates,
            database_url=db,
            parties=parties,
            progress=progress,
            ownership=ownership,
        )
    result.write(str(out))
    print_summary(result, out)


def print_summary(result: ImpactResult, out: Path) -> None:
    import polars as pl

    s = result.summary
    t = s.totals
    # the versions in brackets, escaped: Rich would take "[ofac-sdn@...]" for a markup tag
    old = s.old.date.isoformat() + (escape(f" [{s.old.lists_version}]") if s.mode != "rules"
                                    else "")
    new = s.new.date.isoformat() + (escape(f" [{s.new.lists_version}]") if s.mode != "rules"
                                    else "")
    console.print(
        f"{t.lines:,} lines, {old} → {new}: [bold]{t.changed_lines:,} changed[/] "
        f"(${t.value_changed:,.2f} of ${t.value:,.2f}); {t.errors:,} with errors"
        + (f" (${t.value_errors:,.2f} not determined)" if t.value_errors else ""),
        soft_wrap=True,
    )
    if t.held_lines:
        console.print(
            f"[bold red]HOLD: {t.held_lines:,} line(s) held for review[/] "
            f"({t.held_old:,} on the old side, {t.held_new:,} on the new; "
            f"${t.value_held:,.2f}): a potential party match is not applied (column hold)",
            soft_wrap=True,
        )
    moves = (
        result.lines.filter(pl.col("changed"))
        .group_by("old_outcome", "new_outcome")
        .agg(pl.len().alias("n"), pl.col("value").fill_null(0).sum().alias("v"))
        .sort("v", descending=True)
    )
    for old_o, new_o, n, v in moves.iter_rows():
        what = (f"{old_o or 'ERROR'} → {new_o or 'ERROR'}" if old_o != new_o
                else f"{old_o or 'ERROR'}, other terms (reasons, policy, exceptions)")
        console.print(f"  {what}: {n:,} line{'' if n == 1 else 's'}, ${v:,.2f}", soft_wrap=True)
    if t.changed_without_value:
        n = t.changed_without_value
        console.print(f"  [bold]{n:,} changed line{'' if n == 1 else 's'} without a value[/]: "
                      "counted as $0.00 in the money above", soft_wrap=True)
    if s.licences is not None:
        console.print(
            f"  licences: {s.licences.hit} of {s.licences.licences} can no longer be used, "
            f"${s.licences.unusable_value:,.2f} unusable"
            + (f" (not counted: {s.licences.expired} whose validity ended between the dates, "
               f"${s.licences.expired_value:,.2f})" if s.licences.expired else ""),
            soft_wrap=True)
    if s.parties is not None:
        console.print(
            f"  stored parties: {s.parties.newly_hit} newly hit, {s.parties.cleared} cleared "
            f"(of {s.parties.parties})"
        )
    for warning in s.warnings:
        console.print(f"  [bold yellow]warning:[/] {escape(warning)}", soft_wrap=True)
    for note in s.notes:
        console.print(f"  note: {note}", soft_wrap=True)
    console.print(f"report: {(out / 'report.html').resolve()}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command()(impact)
