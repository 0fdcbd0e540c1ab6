"""Screening commands: screen, screen-batch, lists load/show, rescreen, parties, dispositions.

Parse the input, call :mod:`exportcheck.screen`, format the output (rich tables or ``--json``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from exportcheck.cli.common import (
    DASK_OPTION,
    PARTITION_OPTION,
    SCHEDULER_OPTION,
    check_csv_header,
    check_not_input,
    cli_actor,
    configured_database_exists,
    console,
    dask_target,
)
from exportcheck.errors import InvalidInput
from exportcheck.settings import default_threshold

if TYPE_CHECKING:
    from exportcheck.models import ScreeningHit
    from exportcheck.screen.rescreen import RescreenReport

#: how to create the database a list command reads
LISTS_FIRST = "`exportcheck lists load FILES` (or `lists fetch`)"
lists_app = typer.Typer(help="Restricted-party list versions.", no_args_is_help=True)
parties_app = typer.Typer(help="Counterparties kept for re-screening.", no_args_is_help=True)
disp_app = typer.Typer(help="Decisions on hits (cleared false positives).", no_args_is_help=True)


def _screener(list_files: list[Path] | None):
    """The ``--lists-from`` files, else the database's lists; the fallback to the bundled
    samples is announced on stderr by :class:`_StderrWarning`. With no database at the
    configured place, the samples without creating one
    (:func:`~exportcheck.screen.reading.reading_screener`)."""
    from exportcheck.screen import Screener
    from exportcheck.screen.reading import reading_screener

    if list_files:
        return Screener.from_paths(list_files)
    return reading_screener()


class _StderrWarning(logging.Handler):
    """Print ``warning: ...`` on the current stderr (one line, no logging boilerplate)."""

    def emit(self, record: logging.LogRecord) -> None:
        typer.echo(f"warning: {record.getMessage()}", err=True)


def _install_sample_warning() -> None:
    logger = logging.getLogger("exportcheck.screen.samples")
    if not any(isinstance(h, _StderrWarning) for h in logger.handlers):
        logger.addHandler(_StderrWarning(logging.WARNING))
    logger.propagate = False


def _check_threshold(threshold: float | None) -> None:
    """The threshold given, or the setting, checked before the lists load (a bad
    EXPORTCHECK_SCREENING_THRESHOLD is the one line of the error, not after a list warning)."""
    if threshold is None:
        default_threshold()
    elif not 0 <= threshold <= 100:
        raise InvalidInput(f"--threshold {threshold:g} outside 0-100")


def _check_output(out: Path) -> None:
    """Refuse an output path that cannot be written before spending minutes screening."""
    parent = out.parent if str(out.parent) else Path(".")
    if out.is_dir():
        raise InvalidInput(f"output {out} is a directory: give a file name")
    if out.suffix.lower() not in (".csv", ".parquet", ".pq"):
        raise InvalidInput(f"unsupported output format {out.suffix!r}: use .csv or .parquet")
    if not parent.is_dir():
        raise InvalidInput(f"output directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
        raise InvalidInput(f"cannot write {out}: permission denied")


def _list_cell(hit: ScreeningHit) -> str:
    """The hit's list code, and for OFAC's non-SDN lists (stored together as NONSDN) the one
    the entry is on: ``NONSDN (NS-MBS)``, as ``--list NS-MBS`` and the CSL's source name it."""
    from exportcheck.screen.entries import sublist

    sub = sublist(hit)
    return f"{hit.list} ({sub})" if sub else hit.list


def _hits_table(hits: list[ScreeningHit], explain: bool) -> Table:
    t = Table(show_lines=explain)
    for col in ("score", "list", "entry", "matched name", "programs / licence"):
        t.add_column(col)
    for h in hits:
        parts = [", ".join(h.programs)] if h.programs else []
        if h.license_requirement:
            parts += [h.license_requirement, f"policy: {h.license_policy or '-'}"]
        detail = "\n".join(parts)
        name = h.matched_name + ("\n" + "\n".join(h.explanation) if explain else "")
        t.add_row(f"{h.score:g}", _list_cell(h), h.entry_id, name, detail)
    return t


def screen_cmd(
    name: str = typer.Argument(..., help="Party name, any script."),
    country: str | None = typer.Option(None, "--country", help="ISO code or country name."),
    dob: str | None = typer.Option(None, "--dob", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    kind: str | None = typer.Option(None, "--kind", help="person, entity, vessel or aircraft."),
    lists: list[str] | None = typer.Option(None, "--list", help="Only these list codes."),
    threshold: float | None = typer.Option(None, "--threshold", help="0-100 (default 85)."),
    list_files: list[Path] | None = typer.Option(
        None, "--lists-from", help="Screen against these list files instead of the database."),
    explain: bool = typer.Option(False, "--explain", help="Show why each hit scored."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Screen one name against the restricted-party lists."""
    _check_threshold(threshold)
    s = _screener(list_files)
    from exportcheck.screen.dispositions import held_below, screen_split
    from exportcheck.screen.service import default_threshold

    # a hit an officer cleared is told, not dropped: a screen that passed says why it passed
    hits, cleared = screen_split(s, name, country=country, dob=dob, kind=kind, lists=lists,
                                 threshold=threshold, limit=20)
    held = held_below(s, name, country=country, dob=dob, kind=kind, lists=lists,
                      threshold=default_threshold() if threshold is None else threshold)
    if as_json:
        typer.echo(json.dumps({"query": name, "lists_version": s.version,
                               "sample_lists": s.is_samples,
                               "hits": [h.model_dump(mode="json") for h in hits],
                               "suppressed": [h.model_dump(mode="json") for h in cleared],
                               "held": [h.model_dump(mode="json") for h in held]},
                              ensure_ascii=False, indent=2))
        return
    if hits:
        console.print(_hits_table(hits, explain))
    else:
        console.print(f"no open hit for {name!r} (lists {s.version})" if cleared
                      else f"no hit for {name!r} (lists {s.version})")
    for h in cleared:
        console.print(f"cleared: {h.list} {h.entry_id} {escape(h.matched_name)} "
                      f"({h.score:g}): {escape(h.suppressed_by or '')}")
    if held:  # not alerts on a name alone, but not nothing either
        console.print("held below the threshold (not alerts on a name alone; a date of "
                      "birth, country or id that agrees can lift one):")
    for h in held:
        console.print(f"  {h.list} {h.entry_id} {escape(h.matched_name)} ({h.score:g}, "
                      f"{h.match_kind} match)")


def screen_batch_cmd(
    in_path: Path = typer.Argument(..., help="CSV or Parquet file."),
    name_column: str = typer.Option(..., "--name-column", help="Column holding the names."),
    out: Path = typer.Option(..., "-o", "--out", "--output", help="CSV or Parquet output."),
    country_column: str | None = typer.Option(
        None, "--country-column",
        help="Column holding each party's country (ISO code or name); default: a column named "
             "country or nationality, if any; '' for none."),
    dob_column: str | None = typer.Option(
        None, "--dob-column",
        help="Column holding dates of birth (YYYY, YYYY-MM or YYYY-MM-DD); default: a column "
             "named dob, date_of_birth or birth_date, if any; '' for none."),
    threshold: float | None = typer.Option(None, "--threshold", help="0-100 (default 85)."),
    workers: int | None = typer.Option(None, "--workers", help="Processes (default: cores)."),
    list_files: list[Path] | None = typer.Option(
        None, "--lists-from", help="Screen against these list files instead of the database's."),
    use_dask: bool = DASK_OPTION,
    scheduler: str | None = SCHEDULER_OPTION,
    partition_rows: int | None = PARTITION_OPTION,
    fail_on_unscreened: bool = typer.Option(
        False, "--fail-on-unscreened",
        help="Exit 1 (after writing the output) when any row could not be screened."),
) -> None:
    """Screen every row of a file; writes one row per input row (best hit or empty).

    Rows that could not be screened (an empty name, an unknown country, a date of birth that
    is none) are written with their error column and counted in the summary line ("ERROR: N
    row(s) not screened"); the exit code stays 0 for such a partial success, so a job checks
    that line or the error column, or passes ``--fail-on-unscreened`` to exit 1 then. Exit
    code 2: bad input, nothing written."""
    from exportcheck.screen.batch import check_options, read_table, screen_table

    _check_threshold(threshold)
    _check_output(out)
    check_not_input(in_path, out)
    if workers is not None and workers < 1:
        raise InvalidInput("--workers must be at least 1")
    target = dask_target(use_dask, scheduler, partition_rows)
    check_csv_header(in_path)
    if target is not None:
        if workers is not None:
            raise InvalidInput("--workers is for one machine: with --dask or --scheduler the "
                               "cluster's workers screen (size a local cluster by its cores)")
        errors = _screen_batch_dask(target, in_path, out, name_column, country_column,
                                    dob_column, threshold, list_files, partition_rows)
        _fail_if_unscreened(fail_on_unscreened, errors)
        return
    df = read_table(in_path)
    # a missing column fails before the lists load and the progress bar starts, as on Dask
    check_options(df.columns, name_column, country_column, dob_column, threshold,
                  schema=df.schema)
    _say_implied_columns(df.columns, country_column, dob_column)
    s = _screener(list_files)
    with Progress(console=Console(stderr=True)) as progress:
        task = progress.add_task("screening", total=df.height)
        result = screen_table(df, name_column, screener=s, country_column=country_column,
                              dob_column=dob_column, threshold=threshold, workers=workers,
                              progress=lambda n: progress.advance(task, n))
    from exportcheck.outfile import write_table

    write_table(result, out)  # whole or not at all; CSV: names from outside, never a formula
    hits = int((result["hit_count"] > 0).sum())
    errors = int((result["error"].fill_null("") != "").sum())
    console.print(_summary(df.height, hits, errors, out, s.version))
    _fail_if_unscreened(fail_on_unscreened, errors)


def _fail_if_unscreened(asked: bool, errors: int) -> None:
    """``--fail-on-unscreened``: a nightly job that must not pass over names never looked at
    fails, the output file written all the same (its error column says which rows)."""
    if asked and errors:
        raise typer.Exit(1)


def _say_implied_columns(columns: list[str], country_column: str | None,
                         dob_column: str | None) -> None:
    """One stderr line naming the columns read as the country and date of birth without an
    option: the analyst sees what evidence the file was screened with, and how to choose."""
    from exportcheck.screen.batch import implied_columns

    implied = implied_columns(columns, country_column, dob_column)
    what = {"country": "the country", "dob": "the date of birth"}
    if implied:
        said = " and ".join(f"{what[k]} in column {v!r}" for k, v in implied.items())
        typer.echo(f"note: screening with {said} (--country-column / --dob-column name "
                   "another column, '' none)", err=True)


def _summary(rows: int, hits: int, errors: int, out: Path, version: str) -> str:
    """The run's last line, the same on one machine as on Dask. A row with an error (an empty
    name, an unknown country, a date of birth that is none) was not screened at all: said
    apart, or a nightly log reads "all screened, no hit" of names never looked at."""
    unscreened = (f"; [bold red]ERROR: {errors} row(s) not screened[/] (column error)"
                  if errors else "")
    return f"{rows} rows screened, {hits} with a hit{unscreened} -> {out} (lists {version})"


def _screen_batch_dask(target: str, in_path: Path, out: Path, name_column: str,
                       country_column: str | None, dob_column: str | None,
                       threshold: float | None, list_files: list[Path] | None,
                       partition_rows: int | None) -> int:
    """``screen-batch`` on a Dask cluster: the same output file and the same summary line;
    returns the number of rows not screened."""
    from exportcheck.cli.common import progress_bar
    from exportcheck.determine.batch_io import sniff_csv
    from exportcheck.scale import connect, workers
    from exportcheck.scale.batch import SCREEN_ROWS, screen_file
    from exportcheck.scale.frames import empty, input_kind
    from exportcheck.screen.batch import check_options

    kind = input_kind(in_path)  # a missing file or column fails before a cluster starts
    if kind == "csv":
        sniff_csv(in_path)
    head = empty(in_path, kind)
    check_options(head.columns, name_column, country_column, dob_column, threshold,
                  schema=head.schema)
    _say_implied_columns(head.columns, country_column, dob_column)
    spec = (workers.paths_screener_spec(list_files) if list_files
            else workers.default_screener_spec())
    with connect(target) as client, progress_bar("partitions") as progress:
        run = screen_file(client, in_path, out, name_column, spec=spec,
                          country_column=country_column, dob_column=dob_column,
                          threshold=threshold, rows_per_partition=partition_rows or SCREEN_ROWS,
                          progress=progress)
    console.print(_summary(run.rows, run.hits, run.errors, out, run.lists_version))
    return run.errors


@lists_app.command("load")
def lists_load(
    paths: list[Path] = typer.Argument(..., help="List files or directories."),
    force: bool = typer.Option(False, "--force", help="Accept a >10% row-count drop."),
    allow_older: bool = typer.Option(
        False, "--allow-older", help="Load an older release than the active one on purpose "
        "(files a later version replaced, or a UN file dated earlier)."),
    user: str = typer.Option("", "--user", help="Who loads the lists (recorded; default "
                             "cli:<login name>)."),
    published: str | None = typer.Option(
        None, "--published", metavar="DATE",
        help="the day the files were published (YYYY-MM-DD), where they do not say: a past "
             "determination applies the entries they do not date with a caveat before it "
             "(default: each file's modification date; a file loaded before keeps its date)"),
) -> None:
    """Detect the format, store a new list version and activate it."""
    import warnings

    from exportcheck.dates import parse_iso_date
    from exportcheck.screen import store
    from exportcheck.screen.parsers import ListWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ListWarning)
        results = store.load_lists(
            paths, force=force, user=cli_actor(user or None), allow_older=allow_older,
            published=parse_iso_date(published, "--published date") if published else None)
    for w in caught:
        if issubclass(w.category, ListWarning):  # an OFAC file loaded without its aliases
            typer.echo(f"warning: {w.message}", err=True)
    t = Table("source", "status", "rows", "previous", "lists")
    for r in results:
        t.add_row(r.source, r.status + (" (older release)" if r.older_release else ""),
                  str(r.row_count), str(r.previous_rows or "-"),
                  ", ".join(f"{k} {v}" for k, v in sorted(r.by_list.items())))
    console.print(t)


@lists_app.command("fetch")
def lists_fetch(
    sources: list[str] | None = typer.Argument(None, help="ofac-sdn, ofac-cons, csl, un."),
    force: bool = typer.Option(False, "--force", help="Accept a >10% row-count drop."),
    user: str = typer.Option("", "--user", help="Who loads the lists (recorded)."),
) -> None:
    """Download the official files (needs a network) and load them."""
    from exportcheck.screen.fetch import fetch_official

    lists_load(fetch_official(sources or None), force=force, user=user, published=None,
               allow_older=False)


@lists_app.command("show")
def lists_show(
    all_versions: bool = typer.Option(False, "--all", help="Include inactive versions."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Show the stored list versions (active ones by default)."""
    from exportcheck.screen import store

    configured_database_exists(LISTS_FIRST)

    versions = store.list_versions(active_only=not all_versions)
    rows = [{"id": v.id, "source": v.source, "active": v.active, "file_date": str(v.file_date),
             "rows": v.row_count, "entries": v.entry_count, "hash": v.content_hash[:12],
             "loaded_at": v.loaded_at.isoformat(timespec="seconds"), "format": v.format,
             "forced": v.forced, "older_release": v.older_release}
            for v in versions]
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    for r in rows:  # the gates overridden, in one column: most versions have none
        r["loaded"] = ", ".join(w for w, on in (("forced", r.pop("forced")),
                                                ("older release", r.pop("older_release"))) if on)
    t = Table(*rows[0].keys()) if rows else Table("no list loaded: exportcheck lists load PATH")
    for r in rows:
        t.add_row(*(str(v) for v in r.values()))
    console.print(t)


lists_app.command("list", help="Same as `lists show`.")(lists_show)


def rescreen_cmd(
    threshold: float | None = typer.Option(None, "--threshold", help="0-100 (default 85)."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Screen stored parties against the entries changed since the last rescreen (the first
    one: since each source's previous version), and parties stored since then against every
    entry; each difference is reported once."""
    from exportcheck.screen import store

    _check_threshold(threshold)
    configured_database_exists(LISTS_FIRST)
    rep = store.rescreen(threshold=threshold)
    if as_json:
        typer.echo(json.dumps({
            "parties": rep.parties, "first_screened": rep.first_screened,
            "changed_entries": rep.changed_entries,
            "baseline_versions": rep.baseline, "list_versions": rep.versions,
            "new_hits": [{**p.as_json(), **h.model_dump(mode="json")} for p, h in rep.new_hits],
            "removed_hits": [{**p.as_json(), **h.model_dump(mode="json")}
                             for p, h in rep.removed_hits]}, ensure_ascii=False, indent=2))
        return
    console.print(f"{rep.parties} parties ({rep.first_screened} stored since the last "
                  "rescreen, screened against every entry); changed entries since the last "
                  "rescreen:" + ("".join(f"\n  {line}" for line in _version_lines(rep))
                                 or " none (no list loaded)"), markup=False)
    for title, items in (("new hits", rep.new_hits), ("removed hits", rep.removed_hits)):
        t = Table("party", "score", "list", "entry", "matched name", title=title)
        for p, h in items:
            t.add_row(p.label(), f"{h.score:g}", h.list, h.entry_id, h.matched_name)
        console.print(t)


def _version_lines(rep: RescreenReport) -> list[str]:
    """Per list source: the version compared from and to, and how many entries changed
    (``ofac-sdn: version 3 -> 5, 12 entries changed``); a source with no earlier version says
    "first version", one no longer active "no longer loaded"."""
    lines = []
    for src in sorted(rep.baseline.keys() | rep.versions.keys()):
        before, now = rep.baseline.get(src), rep.versions.get(src)
        n = rep.changed_entries.get(src, 0)
        lines.append(f"{src}: "
                     + ("first version" if before is None else f"version {before}")
                     + " -> " + ("no longer loaded" if now is None else f"version {now}")
                     + f", {n} {'entry' if n == 1 else 'entries'} changed")
    return lines


@parties_app.command("add")
def parties_add(
    name: str = typer.Argument(...),
    country: str | None = typer.Option(None, "--country", help="ISO code or country name."),
    dob: str | None = typer.Option(None, "--dob", help="YYYY, YYYY-MM or YYYY-MM-DD."),
    kind: str | None = typer.Option(None, "--kind",
                                    help="person, entity, vessel or aircraft."),
) -> None:
    """Keep a party for `exportcheck rescreen`."""
    from exportcheck.screen import store

    p = store.add_party(name, country=country, dob=dob, kind=kind)
    console.print(f"party {p.id}: {p.name}")


@parties_app.command("list")
def parties_list() -> None:
    """The parties kept for re-screening."""
    from exportcheck.screen import store

    configured_database_exists("`exportcheck parties add NAME`")

    t = Table("id", "name", "country", "dob", "kind")
    for p in store.list_parties():
        t.add_row(str(p.id), p.name, p.country or "", p.dob or "", p.kind or "")
    console.print(t)


@disp_app.command("add")
def dispositions_add(
    party: str = typer.Option(..., "--party", help="The screened party name."),
    list_code: str = typer.Option(..., "--list", help="List code of the hit (SDN, EL...)."),
    entry_id: str = typer.Option(..., "--entry", help="entry_id of the hit."),
    user: str = typer.Option(..., "--user", help="Who decided."),
    reason: str = typer.Option(..., "--reason", help="Why it is not the listed party."),
    country: str | None = typer.Option(
        None, "--country", help="The cleared party's country, as it will be screened."),
    dob: str | None = typer.Option(
        None, "--dob", help="The cleared party's date of birth, as it will be screened."),
    decision: str = typer.Option(
        "cleared", "--decision",
        help="cleared (not the listed party) or confirmed (it is: determinations apply it)"),
) -> None:
    """Clear a hit for this party (name + country + date of birth, as given): later screens
    with the same name, country and dob suppress it until that list entry changes. With
    --decision confirmed, record that it IS the listed party: a determination then applies the
    hit instead of holding the line. A determination screens with the destination as country."""
    from exportcheck.screen import store

    d = store.record_disposition(party, list_code, entry_id, user=user, reason=reason,
                                 country=country, dob=dob, decision=decision)
    who = ", ".join(x for x in (d.party_country, d.party_dob) if x)
    console.print(f"{d.party_name!r}{f' ({who})' if who else ''} {d.decision} against "
                  f"{d.list_code}/{d.entry_id} by {d.user} on {d.decided_on}: {d.reason}")


@disp_app.command("list")
def dispositions_list() -> None:
    """Every disposition recorded: party, entry, decision, who and when, and why."""
    from sqlalchemy import select

    from exportcheck.db import get_engine, session_factory, upgrade
    from exportcheck.screen.store import DispositionRow

    configured_database_exists("`exportcheck dispositions add ...`")
    engine = get_engine()
    upgrade(engine)
    t = Table("party", "country", "dob", "list", "entry", "decision", "user", "date", "reason")
    with session_factory(engine)() as s:
        for d in s.scalars(select(DispositionRow).order_by(DispositionRow.id)):
            t.add_row(d.party_name, d.party_country or "", d.party_dob or "", d.list_code,
                      d.entry_id, d.decision, d.user, str(d.decided_on), d.reason)
    console.print(t)


def register(app: typer.Typer) -> None:
    _install_sample_warning()
    app.command("screen")(screen_cmd)
    app.command("screen-batch")(screen_batch_cmd)
    app.command("rescreen")(rescreen_cmd)
    app.add_typer(lists_app, name="lists")
    app.add_typer(parties_app, name="parties")
    app.add_typer(disp_app, name="dispositions")
