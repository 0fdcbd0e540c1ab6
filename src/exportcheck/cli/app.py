"""The ``exportcheck`` command: a thin layer over the Python API.

Each concern registers its commands from its own module; errors from the API become a one-line
message and exit code 2.
"""

from __future__ import annotations

import sys

import typer

from exportcheck.errors import ExportCheckError

app = typer.Typer(
    name="exportcheck",
    help="Export-control compliance: licence determination, screening, licence ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    # Import here so `exportcheck --help` stays quick and each module owns its commands.
    from exportcheck.cli import determine_cmds, ledger_cmds, rules_cmds, screen_cmds

    for module in (determine_cmds, rules_cmds, ledger_cmds, screen_cmds):
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except ExportCheckError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
