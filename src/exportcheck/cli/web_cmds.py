"""``exportcheck serve``, ``users ...`` and ``tokens ...``: the web service and its accounts."""

from __future__ import annotations

import getpass
import json
import sys

import typer
from rich.table import Table

from exportcheck.cli.common import cli_actor, console
from exportcheck.errors import InvalidInput

#: uvicorn's log levels (its ``LOG_LEVELS``, named here so ``--help`` need not import it)
LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")

users_app = typer.Typer(help="Accounts of the web service (roles: viewer, officer, admin).",
                        no_args_is_help=True)
tokens_app = typer.Typer(help="API tokens for machines (sent as 'Authorization: Bearer ...').",
                         no_args_is_help=True)
AS_JSON = typer.Option(False, "--json", help="print JSON")


def _accounts():
    from exportcheck.accounts import Accounts

    return Accounts()


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="address to listen on"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="port to listen on"),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="server processes"),
    log_level: str = typer.Option(
        "warning", "--log-level", help=f"server log detail: {' | '.join(LOG_LEVELS)}"),
) -> None:
    """Run the REST API and the web UI (http://HOST:PORT/, API docs at /docs)."""
    if log_level.lower() not in LOG_LEVELS:  # uvicorn's own check is a KeyError traceback
        raise InvalidInput(f"--log-level {log_level!r}: use one of {', '.join(LOG_LEVELS)}")
    import uvicorn

    from exportcheck.settings import get_settings

    if not _accounts().list_users():
        console.print("[yellow]no user yet:[/] create the first one with\n"
                      "  exportcheck users add NAME --role admin --password-stdin")
    console.print(f"exportcheck on http://{host}:{port}/ (API docs /docs; database "
                  f"{get_settings().effective_database_url.split('://')[0]}); Ctrl-C stops")
    uvicorn.run("exportcheck.web.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level=log_level, access_log=False,
                proxy_headers=False)


@users_app.command("add")
def users_add(
    name: str = typer.Argument(..., help="user name"),
    role: str = typer.Option(..., "--role", help="viewer | officer | admin"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="read the password from standard input"),
) -> None:
    """Create an account. The password is read from stdin (--password-stdin) or asked for."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("password: ")
        if getpass.getpass("again: ") != password:
            raise InvalidInput("the two passwords differ")
    else:
        raise InvalidInput("give --password-stdin to read the password from standard input")
    user = _accounts().add_user(name, role, password, actor=cli_actor(None))
    console.print(f"user {user.name} ({user.role}) created")


@users_app.command("list")
def users_list(as_json: bool = AS_JSON) -> None:
    """The accounts: name, role, whether disabled, when created."""
    users = _accounts().list_users()
    if as_json:
        typer.echo(json.dumps([u.model_dump(mode="json") for u in users], indent=2))
        return
    t = Table("id", "name", "role", "disabled", "created")
    for u in users:
        t.add_row(str(u.id), u.name, u.role, "yes" if u.disabled else "",
                  u.created_at.isoformat(timespec="seconds"))
    console.print(t)


@users_app.command("set")
def users_set(
    name: str = typer.Argument(...),
    role: str | None = typer.Option(None, "--role", help="new role: viewer | officer | admin"),
    disable: bool | None = typer.Option(
        None, "--disable/--enable", help="disable the account (or enable it again)"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="read a new password from the first line of stdin"),
) -> None:
    """Change a user's role or password, or disable them (ends their sessions and revokes
    their tokens: --enable does not bring them back). A new password keeps their tokens."""
    password = sys.stdin.readline().rstrip("\r\n") if password_stdin else None
    user = _accounts().update_user(name, actor=cli_actor(None), role=role, password=password,
                                   disabled=disable)
    console.print(f"user {user.name}: {user.role}{', disabled' if user.disabled else ''}")


@tokens_app.command("create")
def tokens_create(
    user: str = typer.Argument(..., help="the user the token acts as"),
    label: str = typer.Option("", "--label", help="what the token is for, e.g. 'ERP'"),
    days: str | None = typer.Option(
        None, "--days", help="lifetime in days, 1-366 (default: EXPORTCHECK_TOKEN_DAYS, else 90)",
        show_default=False),
    role: str | None = typer.Option(
        None, "--role", help="act with at most this role (viewer | officer | admin), never "
        "above the user's; default: the user's role at each use", show_default=False),
) -> None:
    """Create a token and print it once (only its hash is stored). It expires after --days."""
    from exportcheck.accounts.tokens import parse_days

    token, secret = _accounts().create_token(user, label=label, days=parse_days(days),
                                             role=role, actor=cli_actor(None))
    acts = f"acts as at most {token.role}" if token.role else "acts with the user's role"
    typer.echo(f"token #{token.id} for {token.user}, {acts}, expires "
               f"{token.expires_at.isoformat(timespec='seconds')} (store it now, it is not "
               "shown again):", err=True)
    typer.echo(secret)


@tokens_app.command("list")
def tokens_list(user: str | None = typer.Option(None, "--user", help="only this user's tokens"),
                as_json: bool = AS_JSON) -> None:
    """The API tokens (label and prefix, never the secret), of one user with --user: each
    with its status (active, expired, revoked), expiry and role limit."""
    tokens = _accounts().list_tokens(user)
    if as_json:
        typer.echo(json.dumps([t.model_dump(mode="json") for t in tokens], indent=2))
        return
    # dates only, so that the table fits 80 columns: --json gives the times (UTC)
    t = Table("id", "user", "label", "starts", "role", "status", "created", "expires")
    for tok in tokens:
        t.add_row(str(tok.id), tok.user, tok.label, tok.prefix + "…", tok.role or "user's",
                  tok.status, f"{tok.created_at:%Y-%m-%d}", f"{tok.expires_at:%Y-%m-%d}")
    console.print(t)


@tokens_app.command("revoke")
def tokens_revoke(token_id: int = typer.Argument(..., help="token id (see `tokens list`)")) -> None:
    """End a token: requests with it are refused from now on. One already revoked is left as
    it was (and says when it was revoked), as a retried suspension is "already recorded"."""
    tok, revoked_now = _accounts().revoke_token(token_id, actor=cli_actor(None))
    if revoked_now:
        console.print(f"token #{tok.id} of {tok.user} revoked")
    else:
        console.print(f"token #{tok.id} of {tok.user} was already revoked at "
                      f"{tok.revoked_at.isoformat(timespec='seconds')}; nothing changed")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
