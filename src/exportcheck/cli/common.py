"""Parsing and formatting helpers shared by the command modules."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from exportcheck.errors import InvalidInput

if TYPE_CHECKING:  # the models load pydantic: not needed for --help or a command's errors
    from exportcheck.models import Determination, TransactionFacts

# Piped or redirected output keeps each message on one line (no fold inside a file path),
# so scripts can grep it; a terminal still gets rich's wrapping.
console = Console(soft_wrap=not sys.stdout.isatty())

OUTCOME_STYLE = {
    "PROHIBITED": "bold white on red",
    "LICENSE_REQUIRED": "bold red",
    "EXCEPTION_AVAILABLE": "bold yellow",
    "NLR": "bold green",
}


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[[int, int], None]]:
    """A transient bar for long runs; yields the ``progress(done, total)`` callback. Off when
    the output is not a terminal: rich then shows no bar but ends with an empty line, which
    stood before an ``error:`` line or a command's output."""
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_interactive,
    ) as bar:
        task = bar.add_task(description, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


DASK_HELP = "Run on a local Dask cluster, one worker process per core."
SCHEDULER_HELP = ("Run on the Dask scheduler at ADDRESS, e.g. tcp://10.0.0.5:8786 "
                  "(default: EXPORTCHECK_DASK_SCHEDULER).")
PARTITION_HELP = "Rows per Dask partition (with --dask or --scheduler)."

# Options the batch commands share (one declaration, the same flag and help everywhere)
DASK_OPTION = typer.Option(False, "--dask", help=DASK_HELP)
SCHEDULER_OPTION = typer.Option(None, "--scheduler", metavar="ADDRESS", help=SCHEDULER_HELP)
PARTITION_OPTION = typer.Option(None, "--partition-rows", help=PARTITION_HELP)
OWNERS_OPTION = typer.Option(
    None, "--owners", help="parties file of owners (CSV/JSON: owner, owned, percent)")
# the facts some licence exceptions rest on (check, and ship under an exception)
HEADQUARTERS_OPTION = typer.Option(
    None, "--headquarters",
    help="country (ISO code) where the end user or its ultimate parent is headquartered; "
    "NAC/ACA, AIA, ACM, LPP, the advanced-computing reach and the Russia/Belarus exclusion of "
    "746.8(a)(12)(ii) depend on it (not given: not assumed favourably)")
NAC_NOTIFIED_OPTION = typer.Option(
    None, "--nac-notified",
    help="date (YYYY-MM-DD) of the License Exception NAC notification to BIS that BIS did "
    "not object to (740.8(a)(2))")
CONDITIONS_MET_OPTION = typer.Option(
    [], "--conditions-met",
    help="licence exception symbol(s) whose remaining conditions, as the trace lists them, "
    "you confirm are met (repeat or comma-separate: --conditions-met AIA,HBM)")

#: how to give each fact of Determination.facts_wanted on the command line
FACT_OPTION = {"headquarters": "--headquarters CC", "nac_notified": "--nac-notified DATE",
               "conditions_met": "--conditions-met {}"}


def transaction_facts(headquarters: str | None, nac_notified: str | None,
                      conditions_met: list[str]) -> TransactionFacts | None:
    """The three options as :class:`~exportcheck.models.TransactionFacts` (None if none
    given)."""
    from exportcheck.models import TransactionFacts

    symbols = frozenset(s.strip() for opt in conditions_met for s in opt.split(",") if s.strip())
    if headquarters is None and nac_notified is None and not symbols:
        return None
    return TransactionFacts(
        headquarters=headquarters, conditions_met=symbols,
        nac_notified=parse_date(nac_notified, "--nac-notified") if nac_notified else None)


def dask_target(use_dask: bool, scheduler: str | None, partition_rows: int | None) -> str | None:
    """``"local"``, a scheduler address, or None for the single-process path; refuses Dask
    options that cannot apply."""
    from exportcheck.scale.cluster import resolve

    target = resolve(use_dask, scheduler)
    if partition_rows is not None:
        if target is None:
            raise InvalidInput("--partition-rows needs --dask or --scheduler")
        if partition_rows < 1:
            raise InvalidInput("--partition-rows must be at least 1")
    return target


def parse_date(text: str, what: str = "date") -> date:
    """A date option, read as ``batch`` reads a date column (YYYY-MM-DD only)."""
    from exportcheck.dates import parse_iso_date

    return parse_iso_date(text, what)


def cli_actor(actor: str | None) -> str:
    """``--actor``, else ``cli:<login name>``: the actor the ledger commands and
    ``check --record`` write to the audit trail."""
    if actor:
        return actor
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no login name in some containers
        return "cli"


def _plain_path(db: str) -> None:
    """Refuse a ``--db`` that is a file path, not a URL, with the URL it probably means, and an
    in-memory SQLite database (``sqlite://``), whose licences and audit trail would be gone
    when the command ends."""
    if db.strip() in ("sqlite://", "sqlite:///", "sqlite:///:memory:", "sqlite://:memory:"):
        raise InvalidInput(f"--db {db}: an in-memory database keeps nothing once the command "
                           "ends; name a file: sqlite:///ledger.db")
    if "://" in db or db.startswith("sqlite:"):
        return
    raise InvalidInput(f"--db {db}: not a database URL; for a SQLite file write "
                       f"sqlite:///{db} (four slashes before an absolute path), for PostgreSQL "
                       "postgresql://user@host/dbname")


def _sqlite_file(db: str) -> Path | None:
    """The file a ``sqlite:///`` URL names (None for anything else, or an in-memory one)."""
    from exportcheck.db.engine import sqlite_file

    return sqlite_file(db)


def recording_database(db: str | None) -> str | None:
    """``--db`` for a command that may start a ledger (``licences add``, ``ship``, ``check
    --record``): a new or empty file, or an exportcheck database, but never another
    application's SQLite file, which the ledger's tables would be added to."""
    if db is None:
        return None
    _plain_path(db)
    path = _sqlite_file(db)
    if path is not None and path.is_file():
        tables = _sqlite_tables(db, path)
        if tables is not None and tables and "alembic_version" not in tables:
            raise InvalidInput(f"--db {db}: {path} is another application's database "
                               f"({_listed(tables)}); give a new file or an exportcheck "
                               "database. The file was not changed")
    return db


def existing_database(db: str | None) -> str | None:
    """``--db`` as given, refused when it names a SQLite file that does not exist, that is not
    a database, or that holds no exportcheck ledger: a mistyped path would otherwise be created
    as an empty database (or another file migrated) and report an all-clear (no licences,
    nothing affected). The file is only read. Commands that start a database (``licences
    add``, ``ship``, ``licences demo``, ``check --record``) call :func:`recording_database`."""
    if db is None:
        return None
    _plain_path(db)
    path = _sqlite_file(db)
    if path is None:
        return db
    if not path.is_file():
        raise InvalidInput(f"--db {db}: there is no database file {path} (check the path; "
                           "`exportcheck licences add` starts a new ledger)")
    tables = _sqlite_tables(db, path)
    if tables is not None and "audit_log" not in tables:
        # opening it as a ledger would add the ledger's tables to it and report an all-clear
        raise InvalidInput(f"--db {db}: {path} holds no exportcheck ledger ({_listed(tables)}); "
                           "check the path (`exportcheck licences add` starts a new ledger). "
                           "The file was not changed")
    return db


def configured_database_exists(how_to_start: str) -> None:
    """Refuse a read-only command when the configured database (EXPORTCHECK_DATABASE_URL, else
    ``exportcheck.db`` in the data directory) is a SQLite file that does not exist: opening it
    would create an empty database (and its folder) and answer as if it were an empty one.
    ``how_to_start`` names the command that creates it. Nothing is created here."""
    from exportcheck.db.engine import missing_configured_database  # the CLI starts without it
    from exportcheck.settings import get_settings

    path = missing_configured_database()
    if path is None:
        return
    where = ("EXPORTCHECK_DATABASE_URL" if get_settings().database_url
             else "the default database in the data directory, EXPORTCHECK_DATA_DIR")
    raise InvalidInput(f"there is no database {path} ({where}): nothing is stored yet. "
                       f"{how_to_start} creates it; nothing was created")


def _sqlite_tables(db: str, path: Path) -> list[str] | None:
    """The tables of a SQLite file, read without changing it; None when it cannot be opened
    read-only here (locked; the ledger then reports what is wrong)."""
    import sqlite3

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return sorted(r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"))
        finally:
            con.close()
    except sqlite3.OperationalError:
        return None
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"--db {db}: {path} is not a SQLite database ({exc}); check the "
                           "path") from None


def _listed(tables: list[str]) -> str:
    if not tables:
        return "it is empty"
    return f"its tables: {', '.join(tables[:8])}{', ...' if len(tables) > 8 else ''}"


def output_format(fmt: str | None, out: Path | None, by_suffix: dict[str, str],
                  default: str) -> str:
    """The format to write: ``--format`` if given, else the one the output file's suffix
    names (``by_suffix``), else ``default``. A ``--format`` the suffix contradicts
    (``--format csv -o audit.json``) is refused naming both, before the file is touched: an
    auditor opening ``audit.json`` would find CSV in it."""
    implied = by_suffix.get(out.suffix.lower()) if out is not None else None
    if fmt is None:
        return implied or default
    given = fmt.strip().lower()
    if implied is not None and given in by_suffix.values() and given != implied:
        raise InvalidInput(f"--format {fmt} but the output file {out} ends in "
                           f"{out.suffix}, which is {implied}: give a file ending in "
                           f"{_suffix_of(given, by_suffix)} or leave out --format")
    return fmt


def _suffix_of(fmt: str, by_suffix: dict[str, str]) -> str:
    return next(s for s, f in by_suffix.items() if f == fmt)


def check_not_input(infile: Path, out: Path) -> None:
    """Refuse an output that is the input file: it is written over the file being read, and
    the names, countries and other columns the output does not carry would be lost."""
    try:
        same = out.exists() and infile.exists() and out.samefile(infile)
    except OSError:
        same = False
    if same:
        raise InvalidInput(f"output {out} is the input file: give another file name (the "
                           "input would be overwritten)")


def check_csv_header(path: Path, what: str = "input file", *, named: bool = False) -> None:
    """Refuse a CSV file whose header names a column twice (ignoring case, spaces and
    underscores, as the readers match columns): readers would silently use one of them and
    rename or drop the other; and one with a line shorter than the header. ``named`` (order
    files): also one with several columns without a name, which the order readers cannot
    keep apart. Files that are not CSV, or cannot be read, are left to the reader to report."""
    if path.suffix.lower() in (".parquet", ".pq", ".json") or not path.is_file():
        return
    from exportcheck.determine.batch_io import header_problem, short_row

    if problem := header_problem(path, named=named):
        raise InvalidInput(f"{what} {path}: {problem}")
    # before any work, on one process or on Dask alike: a line cut short would be read with
    # empty fields (an end user not screened) without a word
    if problem := short_row(path):
        raise InvalidInput(f"cannot read {path}: {problem}")


def determination_table(d: Determination, *, full_trace: bool = True) -> Table:
    """The determination as a table. Every text from the input, the lists or the rule base is
    escaped: a bracketed part ("Pearl Holdings [owned 50% by ...]", a party named "ACME [hk]")
    would otherwise be read as console markup and vanish from the output."""
    title = f"{d.item} → {d.destination}"
    if d.evaluated_destination != d.destination:
        title += f" (determined as {d.evaluated_destination})"
    title += f" on {d.on.isoformat()}"
    t = Table(title=escape(title), show_header=False, title_justify="left")
    t.add_column("field", style="bold")
    t.add_column("value")
    if d.hold:
        t.add_row("[bold white on red]HOLD[/]",
                  "[bold red]HOLD FOR REVIEW: a potential restricted-party match is not applied; "
                  "do not ship until it is confirmed or cleared[/]")
        t.add_row("outcome (without the match)",
                  f"[{OUTCOME_STYLE[d.outcome]}]{d.outcome.value}[/]")
        if d.if_confirmed is not None:
            ic = d.if_confirmed
            extra = "; ".join(x for x in (ic.requirement, ic.citation) if x)
            t.add_row("if confirmed", f"[{OUTCOME_STYLE[ic.outcome]}]{ic.outcome.value}[/]"
                      + escape((f" ({extra})" if extra else "") + f"\n{ic.match}"))
        for m in d.party_matches:
            t.add_row("listed party, review" if m.certain else "potential match",
                      escape(f"{m.role} {m.party!r} ~ {m.list} {m.entry_id} {m.matched_name!r} "
                             f"(score {m.score:.0f}, {m.match_kind}): {m.why_held}"))
    else:
        t.add_row("outcome", f"[{OUTCOME_STYLE[d.outcome]}]{d.outcome.value}[/]")
    for role, party in (("end user", d.end_user), ("consignee", d.consignee)):
        if party:
            t.add_row(role, escape(party))
    t.add_row("agency", d.agency.value if d.agency else "—")
    t.add_row("reasons", escape(", ".join(d.reasons)) or "—")
    t.add_row("review policy", escape(d.review_policy or "—"))
    t.add_row(
        "licence exceptions",
        escape("\n".join(f"{e.symbol} ({e.citation}): {e.conditions}"
                          for e in d.license_exceptions)) or "—",
    )
    if (o := d.if_out_of_scope) is not None:
        t.add_row("[bold yellow]if out of scope[/]",
                  f"[{OUTCOME_STYLE[o.outcome]}]{o.outcome.value}[/]"
                  + escape((f" ({', '.join(o.reasons)})" if o.reasons else "")
                           + " if the item is outside the scope of: " + "; ".join(o.lines)))
    for w in d.facts_wanted:
        t.add_row("[bold yellow]fact wanted[/]",
                  escape(f"{w.subject}: give {FACT_OPTION[w.fact].format(w.exception)}: "
                         f"{w.condition}"))
    held = {(m.list, m.entry_id) for m in d.party_matches}
    for h in d.screening_hits:
        if (h.list, h.entry_id) not in held:
            t.add_row("screening hit", escape(
                f"{h.list} {h.entry_id} {h.matched_name} ({h.score:.0f})"
                + (f": {h.explanation[0]}" if h.match_kind == "owned" else "")))
    for c in d.caveats:
        t.add_row("[bold yellow]caveat[/]", f"[yellow]{escape(c)}[/]")
    if full_trace:
        t.add_row("trace", trace_text(d))
    return t


def trace_text(d: Determination, fired_only: bool = False) -> str:
    lines = []
    for s in d.trace:
        if fired_only and not s.fired:
            continue
        # a step with no rule row behind it (a conclusion, a screening note) has no start
        since = ("; in force from start date unknown" if not s.start_date_known
                 else f"; in force from {s.effective_from.isoformat()}" if s.effective_from
                 else "")
        mark = "[red]●[/]" if s.fired else "[dim]○[/]"
        lines.append(f"{mark} {escape(s.rule)} [dim]({escape(s.citation)}{since})[/]\n"
                     f"    {escape(s.detail)}")
    return "\n".join(lines)
