"""``exportcheck portfolio generate``: a synthetic order book to try impact analysis on."""

from __future__ import annotations

from pathlib import Path

import typer

portfolio_app = typer.Typer(
    help="Synthetic order portfolios for policy-change impact analysis.", no_args_is_help=True
)


@portfolio_app.command("generate")
def generate(
    lines: int = typer.Option(..., "--lines", help="number of order lines (1 to 50,000,000)"),
    seed: int = typer.Option(2020, "--seed", help="the same seed gives the same portfolio"),
    out: Path = typer.Option(..., "-o", "--out", "--output", help="output file, .csv or .parquet"),
) -> None:
    """Write realistic, deterministic order lines (items, destinations, customers, values)."""
    from exportcheck.determine.batch import check_output, write_results
    from exportcheck.impact.portfolio import generate as make

    path = check_output(out)  # refuse a bad suffix or folder before any work
    df = make(lines, seed=seed)
    write_results(df, path)
    customers = df.get_column("customer").n_unique()
    destinations = df.get_column("destination").n_unique()
    total = float(df.get_column("value").sum())
    typer.echo(
        f"{df.height:,} lines → {path} ({customers:,} customers, {destinations} destinations, "
        f"${total:,.2f} total)"
    )


def register(app: typer.Typer) -> None:
    app.add_typer(portfolio_app, name="portfolio")
