"""``exportcheck check``, ``batch`` and ``demo``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from exportcheck.cli.common import console, determination_table, parse_date, progress_bar

if TYPE_CHECKING:
    from exportcheck.screen.ownership import Ownership


def check(
    item: str = typer.Option(
        ..., "--item", help="ECCN with paragraph (3A001.a.2), EAR99 or USML:XI"
    ),
    to: str = typer.Option(..., "--to", help="destination, ISO 3166 code (HK, CN, DE, UA-43)"),
    on: str = typer.Option(..., "--on", help="date of export, YYYY-MM-DD"),
    value: float | None = typer.Option(None, "--value", help="line value in USD"),
    quantity: float | None = typer.Option(None, "--quantity"),
    end_user: str | None = typer.Option(None, "--end-user", help="end-user name (screened)"),
    consignee: str | None = typer.Option(
        None, "--consignee", help="consignee name (screened like the end user)"
    ),
    owners: Path | None = typer.Option(
        None, "--owners", help="parties file of owners (CSV/JSON: owner, owned, percent)"
    ),
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

    ownership = _ownership(owners)
    d = determine(
        item,
        to,
        parse_date(on),
        value=value,
        quantity=quantity,
        end_user=end_user,
        end_user_type=end_user_type,
        end_use=end_use,
        consignee=consignee,
        ownership=ownership,
        screener=None if no_screen or not (end_user or consignee) else default_screener(),
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
    owners: Path | None = typer.Option(
        None, "--owners", help="parties file of owners (CSV/JSON: owner, owned, percent)"
    ),
) -> None:
    """Determine every line of a file of order lines (columns item, destination, date, ...;
    optional end_user and consignee are screened)."""
    from exportcheck.api import default_screener
    from exportcheck.determine.batch import check_output, determine_frame, read_lines, write_results

    check_output(out)
    ownership = _ownership(owners)
    lines = read_lines(infile)
    party_cols = {"end_user", "consignee"} & {c.lower() for c in lines.columns}
    screener = default_screener() if not no_screen and party_cols else None
    with progress_bar("distinct lines") as progress:
        result = determine_frame(
            lines, screener=screener, progress=progress, ownership=ownership
        )
    write_results(result, out)
    counts = result.group_by("outcome").len().sort("outcome")
    summary = ", ".join(
        f"{r['outcome'] or 'ERROR'}: {r['len']}" for r in counts.iter_rows(named=True)
    )
    held = int(result.get_column("hold").sum())
    console.print(f"{result.height} lines → {out} ({summary})"
                  + (f"; [bold red]HOLD: {held} line(s) held for review[/] (column hold)"
                     if held else ""))


def _ownership(path: Path | None) -> Ownership | None:
    """The ``--owners`` file, read before any work so a bad file fails fast."""
    if path is None:
        return None
    from exportcheck.screen.ownership import Ownership

    return Ownership.from_file(path)


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
