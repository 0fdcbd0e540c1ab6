"""The ``exportcheck`` command: a thin layer over the Python API.

Each concern registers its commands from its own module; errors from the API become a one-line
message and exit code 2.
"""

from __future__ import annotations

import functools
import sys

import typer
from typer import _click as click
from typer._click import exceptions as click_exc

from exportcheck.errors import ExportCheckError

app = typer.Typer(
    name="exportcheck",
    help="Export-control compliance: licence determination, screening, licence ledger.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        from exportcheck import __version__

        typer.echo(f"exportcheck {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
) -> None:
    """Export-control compliance: licence determination, screening, licence ledger."""


@functools.cache
def command() -> typer.main.TyperGroup:
    """The command tree, built once per process: typer reads the signature of every command to
    build it (about a third of a second), and a second registration would add each command
    again."""
    _register()
    group = typer.main.get_command(app)
    _one_line_summaries(group)
    return group


def _one_line_summaries(cmd: click.Command) -> None:
    """A command's summary in its group's list is the first paragraph of its docstring: typer
    keeps that paragraph's line breaks, which leaves ragged lines in the table (``--help``)."""
    if cmd.short_help is None and cmd.help:
        cmd.short_help = " ".join(cmd.help.split("\n\n")[0].split())
    for sub in getattr(cmd, "commands", {}).values():
        _one_line_summaries(sub)


def _register() -> None:
    # Import here so `exportcheck --help` stays quick and each module owns its commands.
    from exportcheck.cli import (
        determine_cmds,
        impact_cmds,
        ledger_cmds,
        portfolio_cmds,
        rules_cmds,
        screen_cmds,
        web_cmds,
    )

    for module in (determine_cmds, rules_cmds, ledger_cmds, screen_cmds, impact_cmds,
                   portfolio_cmds, web_cmds):
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; every error is one line ``error: ...`` on stderr and exit code 2.

    Command-line mistakes (a value that is not a number, a missing option, an unknown flag) get
    the same treatment as bad input caught by the API, instead of Click's multi-line usage box.
    """
    try:
        code = command()(args=argv, standalone_mode=False)
    except click_exc.NoArgsIsHelpError:
        sys.exit(0)  # the help has been printed already
    except click_exc.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        _fail(exc.format_message() + hint)
    except (ExportCheckError, click_exc.ClickException) as exc:
        _fail(exc.format_message() if isinstance(exc, click_exc.ClickException) else str(exc))
    except typer.Abort:
        _fail("aborted")
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str) -> None:
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(2)
