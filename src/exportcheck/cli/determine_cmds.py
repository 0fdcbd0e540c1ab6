"""``exportcheck check``, ``batch`` and ``demo``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from exportcheck.cli.common import (
    CONDITIONS_MET_OPTION,
    DASK_OPTION,
    HEADQUARTERS_OPTION,
    NAC_NOTIFIED_OPTION,
    OWNERS_OPTION,
    PARTITION_OPTION,
    SCHEDULER_OPTION,
    check_csv_header,
    check_not_input,
    cli_actor,
    console,
    dask_target,
    determination_table,
    parse_date,
    progress_bar,
    recording_database,
    transaction_facts,
)
from exportcheck.errors import InvalidInput

if TYPE_CHECKING:
    from exportcheck.scale.workers import OwnersSpec
    from exportcheck.screen.ownership import Ownership


def check(
    item: str = typer.Option(
        ..., "--item", help="ECCN with paragraph (3A001.a.2), EAR99 or USML:XI"
    ),
    to: str = typer.Option(..., "--to", help="destination, ISO 3166 code (HK, CN, DE, UA-43)"),
    on: str = typer.Option(..., "--on", "--date",
                           help="date of export, YYYY-MM-DD (--date: as `ship` names it)"),
    value: float | None = typer.Option(None, "--value", help="line value in USD"),
    quantity: float | None = typer.Option(
        None, "--quantity", help="line quantity (units as the licence or the entry counts them)"),
    end_user: str | None = typer.Option(None, "--end-user", help="end-user name (screened)"),
    consignee: str | None = typer.Option(
        None, "--consignee", help="consignee name (screened like the end user)"
    ),
    owners: Path | None = OWNERS_OPTION,
    end_user_type: str = typer.Option(
        "civil", "--end-user-type",
        help="civil|government|military (given empty: civil, with a caveat saying so)"),
    end_use: str | None = typer.Option(None, "--end-use", help="end use, e.g. 'military'"),
    headquarters: str | None = HEADQUARTERS_OPTION,
    nac_notified: str | None = NAC_NOTIFIED_OPTION,
    conditions_met: list[str] = CONDITIONS_MET_OPTION,
    as_json: bool = typer.Option(False, "--json", help="print the determination as JSON"),
    no_screen: bool = typer.Option(False, "--no-screen", help="do not screen the end user"),
    record: bool = typer.Option(False, "--record", help="write the decision to the audit trail"),
    actor: str | None = typer.Option(
        None, "--actor", help="who records it (with --record; default: cli:<login name>)"),
    db: str | None = typer.Option(None, "--db", help="database URL for --record"),
) -> None:
    """Determine whether one order line needs a licence, with the rules that decide it."""
    from exportcheck.api import determine, record_determination
    from exportcheck.determine.caveats import ASSUMED_CIVIL
    from exportcheck.determine.cleared import ClearedHits, party_roles
    from exportcheck.determine.parties import armed_force_name
    from exportcheck.screen.reading import reading_screener

    if not record and (given := [o for o, v in (("--db", db), ("--actor", actor)) if v]):
        # without --record nothing is written: the user would believe the decision recorded
        one = len(given) == 1
        raise InvalidInput(f"{' and '.join(given)} {'is' if one else 'are'} for --record, and "
                           "without it nothing is recorded: add --record, or leave "
                           f"{'it' if one else 'them'} out")
    ownership = _ownership(owners)
    facts = transaction_facts(headquarters, nac_notified, conditions_met)
    # a name of spaces alone names no party (determine() takes it so): no lists to load
    screener = (None if no_screen or not ((end_user or "").strip() or (consignee or "").strip())
                else ClearedHits(reading_screener()))
    d = determine(
        item,
        to,
        parse_date(on),
        value=value,
        quantity=quantity,
        end_user=end_user,
        # spaces around it do not count, and empty is civil, as in a batch file's column
        end_user_type=end_user_type.strip() or "civil",
        end_use=end_use,
        consignee=consignee,
        ownership=ownership,
        facts=facts,
        screener=screener,
    )
    if screener is not None:  # the record says which hit an officer cleared, not "no hit"
        d = screener.annotate(d, party_roles(end_user, consignee))
    if not end_user_type.strip() and not armed_force_name(end_user):
        d = d.model_copy(update={"caveats": [ASSUMED_CIVIL, *d.caveats]})
    seq = (record_determination(d, actor=cli_actor(actor), database_url=recording_database(db))
           if record else None)
    if as_json:
        typer.echo(json.dumps(d.model_dump(mode="json"), indent=2, ensure_ascii=False))
        if seq is not None:  # stdout stays the REST answer; the entry to cite goes beside it
            typer.echo(f"note: recorded in the audit trail as entry #{seq}", err=True)
    else:
        console.print(determination_table(d))
        if seq is not None:
            console.print(f"recorded in the audit trail as entry #{seq}")


def batch(
    infile: Path = typer.Argument(..., help="order lines, .csv or .parquet"),
    out: Path = typer.Option(..., "-o", "--out", "--output", help="results, .csv or .parquet"),
    no_screen: bool = typer.Option(False, "--no-screen", help="do not screen end users"),
    owners: Path | None = OWNERS_OPTION,
    use_dask: bool = DASK_OPTION,
    scheduler: str | None = SCHEDULER_OPTION,
    partition_rows: int | None = PARTITION_OPTION,
) -> None:
    """Determine every line of a file of order lines (columns item, destination, date, ...;
    optional end_user and consignee are screened). The results begin with 'line', the
    order line's number in the file."""
    from exportcheck.determine.batch import check_order_columns, determine_frame
    from exportcheck.determine.batch_io import (
        check_answer_columns,
        check_output,
        has_parties,
        read_lines,
        with_line_numbers,
        write_results,
    )
    from exportcheck.screen.reading import reading_screener

    target = dask_target(use_dask, scheduler, partition_rows)
    check_csv_header(infile, "order file", named=True)
    check_not_input(infile, out)
    if target is not None:
        _batch_dask(target, infile, out, not no_screen, owners, partition_rows)
        return
    check_output(out)
    ownership = _ownership(owners)
    lines = read_lines(infile)
    # before the screener loads and anything is written: answer columns of an earlier run, a
    # column named twice (END_USER and end_user)
    check_answer_columns(lines.columns, what=f"order file {infile}")
    check_order_columns(lines)  # a missing 'date' column: said before the lists load
    screener = reading_screener() if not no_screen and has_parties(lines.columns) else None
    with progress_bar("distinct lines") as progress:
        result = determine_frame(
            lines, screener=screener, progress=progress, ownership=ownership
        )
    write_results(with_line_numbers(result), out)
    counts = result.group_by("outcome").len().sort("outcome")
    summary = ", ".join(
        f"{r['outcome'] or 'ERROR'}: {r['len']}" for r in counts.iter_rows(named=True)
    )
    held = int(result.get_column("hold").sum())
    console.print(f"{result.height} lines → {out}" + (f" ({summary})" if summary else
                                                       ": the file has no order line")
                  + (f"; [bold red]HOLD: {held} line(s) held for review[/] (column hold)"
                     if held else ""))


def _batch_dask(target: str, infile: Path, out: Path, screen: bool, owners: Path | None,
                partition_rows: int | None) -> None:
    """``batch`` on a Dask cluster: the same output file and the same one-line summary."""
    from exportcheck.determine.batch_io import check_output
    from exportcheck.scale import connect
    from exportcheck.scale.batch import (
        DETERMINE_ROWS,
        check_order_file,
        determine_file,
        outcome_counts,
    )

    # what can fail without a cluster fails before one starts
    check_output(out)
    owners_spec = _owners_for_workers(owners)
    check_order_file(infile)
    with connect(target) as client, progress_bar("partitions") as progress:
        run = determine_file(client, infile, out, screen=screen, owners=owners_spec,
                             rows_per_partition=partition_rows or DETERMINE_ROWS,
                             progress=progress)
    summary = ", ".join(f"{o or 'ERROR'}: {n}" for o, n in outcome_counts(run.outcomes))
    console.print(f"{run.rows} lines → {out}" + (f" ({summary})" if summary else
                                                 ": the file has no order line")
                  + (f"; [bold red]HOLD: {run.held} line(s) held for review[/] (column hold)"
                     if run.held else ""))


def _ownership(path: Path | None) -> Ownership | None:
    """The ``--owners`` file, read before any work so a bad file fails fast."""
    if path is None:
        return None
    from exportcheck.screen.ownership import Ownership

    check_csv_header(path, "owners file")
    return Ownership.from_file(path)


def _owners_for_workers(path: Path | None) -> OwnersSpec | None:
    """The ``--owners`` file for a Dask run, checked and read here once, before a cluster
    starts (the workers are handed the spec, not the path to read again)."""
    if path is None:
        return None
    from exportcheck.scale.workers import owners_spec

    check_csv_header(path, "owners file")
    return owners_spec(path)


def demo(
    database_url: str | None = typer.Option(
        None, "--db", "--database-url", help="ledger database (default: a fresh SQLite file)"
    ),
) -> None:
    """The Hong Kong 2020 story on the bundled rules and sample data."""
    from exportcheck.demo import run

    run(console, database_url=database_url)


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command()(batch)
    app.command()(demo)
