"""``exportcheck check``, ``batch`` and ``demo``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from exportcheck.cli.common import console, determination_table, parse_date, progress_bar


def check(
    item: str = typer.Option(
        ..., "--item", help="ECCN with paragraph (3A001.a.2), EAR99 or USML:XI"
    ),
    to: str = typer.Option(..., "--to", help="destination, ISO 3166 code (HK, CN, DE, UA-43)"),
    on: str = typer.Option(..., "--on", help="date of export, YYYY-MM-DD"),
    value: float | None = typer.Option(None, "--value", help="line value in USD"),
    quantity: float | None = typer.Option(None, "--quantity"),
    end_user: str | None = typer.Option(None, "--end-user", help="end-user name (screened)"),
    end_user_type: str = typer.Option("civil", "--end-user-type", help="civil|government|military"),
    end_use: str | None = typer.Option(None, "--end-use", help="end use, e.g. 'military'"),
    as_json: bool = typer.Option(False, "--json", help="print the determination as JSON"),
    no_screen: bool = typer.Option(False, "--no-screen", help="do not screen the end user"),
    record: bool = typer.Option(False, "--record", help="write the decision to the audit trail"),
    actor: str = typer.Option("exportcheck-cli", "--actor", help="who records it (with --record)"),
    db: str | None = typer.Option(None, "--db", help="database URL for --record"),
) -> None:
    """Determine whether one order line needs a licence, with the rules that decide it."""
    from exportcheck.api import default_screener, determine, record_determination

    d = determine(
        item,
        to,
        parse_date(on),
        value=value,
        quantity=quantity,
        end_user=end_user,
        end_user_type=end_user_type,
        end_use=end_use,
        screener=None if no_screen or not end_user else default_screener(),
    )
    seq = record_determination(d, actor=actor, database_url=db) if record else None
    if as_json:
        typer.echo(json.dumps(d.model_dump(mode="json"), indent=2, ensure_ascii=False))
    else:
        console.print(determination_table(d))
        if seq is not None:
            console.print(f"recorded in the audit trail as entry #{seq}")


def batch(
    infile: Path = typer.Argument(..., help="order lines, .csv or .parquet"),
    out: Path = typer.Option(..., "-o", "--out", help="results, .csv or .parquet"),
    no_screen: bool = typer.Option(False, "--no-screen", help="do not screen end users"),
) -> None:
    """Determine every line of a file of order lines (columns item, destination, date, ...)."""
    from exportcheck.api import default_screener
    from exportcheck.determine.batch import check_output, determine_frame, read_lines, write_results

    check_output(out)
    lines = read_lines(infile)
    wants_screening = not no_screen and "end_user" in {c.lower() for c in lines.columns}
    screener = default_screener() if wants_screening else None
    with progress_bar("distinct lines") as progress:
        result = determine_frame(
            lines, screener=screener, progress=progress
        )
    write_results(result, out)
    counts = result.group_by("outcome").len().sort("outcome")
    summary = ", ".join(
        f"{r['outcome'] or 'ERROR'}: {r['len']}" for r in counts.iter_rows(named=True)
    )
    console.print(f"{result.height} lines → {out} ({summary})")


def demo(
    database_url: str | None = typer.Option(
        None, "--database-url", help="ledger database (default: a fresh SQLite file)"
    ),
) -> None:
    """The Hong Kong 2020 story on the bundled rules and sample data."""
    from exportcheck.demo import run

    run(console, database_url=database_url)


def register(app: typer.Typer) -> None:
    app.command()(check)
    app.command()(batch)
    app.command()(demo)
