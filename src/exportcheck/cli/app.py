"""The ``exportcheck`` command: a thin layer over the Python API.

Each concern registers its commands from its own module; errors from the API become a one-line
message and exit code 2 (3 when the ledger refused a request by a rule and audited it).
"""

from __future__ import annotations

import functools
import re
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
    _metavars(group)
    return group


def _one_line_summaries(cmd: click.Command) -> None:
    """A command's summary in its group's list is the first paragraph of its docstring: typer
    keeps that paragraph's line breaks, which leaves ragged lines in the table (``--help``)."""
    if cmd.short_help is None and cmd.help:
        cmd.short_help = " ".join(cmd.help.split("\n\n")[0].split())
    for sub in getattr(cmd, "commands", {}).values():
        _one_line_summaries(sub)


#: what an option's value is, by the option's name, where its type alone says too little
_METAVARS = {"item": "ITEM", "to": "CC", "destination": "CC", "country": "CC",
             "headquarters": "CC", "agency": "AGENCY", "value": "USD", "quantity": "QTY",
             "end_user": "NAME", "consignee": "NAME", "party": "NAME", "user": "NAME",
             "actor": "NAME", "db": "URL", "database_url": "URL", "threshold": "0-100",
             "dob": "DOB", "rate": "CUR=RATE", "anchor": "SEQ:HASH", "host": "ADDRESS",
             "port": "PORT", "list": "CODE", "entry": "ID", "licence": "NUMBER",
             "key": "KEY", "from_lists": "IDS", "to_lists": "IDS", "lists": "CODE",
             "list_files": "FILE", "conditions_met": "SYMBOL", "exception": "SYMBOL",
             "end_use": "TEXT"}
_DATE_NAMES = {"on", "date", "from_", "to", "start", "end", "as_of", "effective",
               "nac_notified"}
#: a help text that starts with the value's shape: "CLASS=QTY@VALUE", "json|csv"
_SHAPE = re.compile(r"([A-Z]+(?:[=@:][A-Z]+)+|[a-z]+(?: ?\| ?[a-z]+)+)\b")


def _metavar(opt: click.core.Option) -> str:
    """A placeholder that says what to give: typer writes the Python type (``<str>``,
    ``<list[str]>``, ``<bool>`` even on a flag), which tells a user nothing."""
    if opt.is_flag or opt.count:
        return ""  # a flag takes no value
    name = opt.name or ""
    help_text = (opt.help or "").lower()
    desc = getattr(opt, "type_descriptor", None)
    annotation = desc.annotation if desc is not None else str
    if name in _DATE_NAMES and ("date" in help_text or "yyyy" in help_text or name != "to"):
        return "DATE"
    if shape := _SHAPE.match(opt.help or ""):
        return shape.group(1).replace(" ", "")
    if name in _METAVARS:
        return _METAVARS[name]
    if desc is not None and desc.is_path:
        return "DIR" if "folder" in help_text or "directory" in help_text else "FILE"
    if annotation is int or "int" in str(annotation):
        return "N"
    if annotation is float:
        return "NUMBER"
    return name.removesuffix("_").rsplit("_", 1)[-1].upper()  # --name-column: COLUMN


def _metavars(cmd: click.Command) -> None:
    """Give every option of the tree a placeholder that says what to give (see
    :func:`_metavar`); an option's own ``metavar`` stays."""
    ctx = click.Context(cmd)
    help_option = cmd.get_help_option(ctx)  # made on demand: a flag like the others
    for param in [*cmd.params, *([help_option] if help_option is not None else [])]:
        if param.param_type_name == "option" and param.metavar is None:
            param.metavar = _metavar(param)
    for sub in getattr(cmd, "commands", {}).values():
        _metavars(sub)


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
    """Run the CLI; every error is one line ``error: ...`` on stderr and exit code 2, or 3
    for a refusal the ledger audited (:data:`exportcheck.errors.REFUSED`).

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
    except ExportCheckError as exc:
        _fail(str(exc), exc.exit_code)
    except click_exc.ClickException as exc:
        _fail(exc.format_message())
    except typer.Abort:
        _fail("aborted")
    except Exception as exc:
        if not _database_error(exc):
            raise  # a bug: its traceback is the report
        _fail(_database_message(exc, argv if argv is not None else sys.argv[1:]))
    sys.exit(code if isinstance(code, int) else 0)


def _database_error(exc: Exception) -> bool:
    """Whether the database driver raised ``exc`` (a file that is not a database, one that
    cannot be written, a server that refuses): the user's setup, not a bug. SQLAlchemy is not
    imported for this: a command that never opened a database cannot have raised its error."""
    sa_exc = sys.modules.get("sqlalchemy.exc")
    return sa_exc is not None and isinstance(exc, sa_exc.DBAPIError)


def _database_message(exc: Exception, argv: list[str]) -> str:
    """One line naming the database (password masked: ``--db`` when given, else the
    configured one) and the driver's own first line, without SQLAlchemy's SQL and web link."""
    from exportcheck.db.engine import masked_url

    given = None
    for i, arg in enumerate(argv):
        if arg in ("--db", "--database-url") and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith(("--db=", "--database-url=")):
            given = arg.split("=", 1)[1]
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    reason = lines[0] if lines else type(exc).__name__
    return (f"cannot use the database {masked_url(given)}: {reason} (check --db or "
            "EXPORTCHECK_DATABASE_URL)")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {' '.join(message.split())}", err=True)
    sys.exit(code)
