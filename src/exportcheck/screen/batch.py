"""Batch screening of a CSV or Parquet file: one output row per input row (best hit or empty).

Work is spread over processes (fork: the index is shared copy-on-write, not rebuilt), in
chunks so the progress bar moves and memory stays flat.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from exportcheck.errors import ExportCheckError, InvalidInput
from exportcheck.screen.service import Screener, default_screener
from exportcheck.settings import default_threshold
from exportcheck.tables import polars_frame

if TYPE_CHECKING:
    from exportcheck.tables import Table

#: ``match_kind`` and ``corroborated_by`` of the best hit tell a potential match (partial, a
#: nickname ...) from the exact name, and which evidence lifted it, as ``screen`` shows them
OUT_COLUMNS = ["row", "name", "score", "list", "entry_id", "matched_name", "list_name",
               "match_kind", "corroborated_by", "hit_count", "error", "lists_version"]
OUT_SCHEMA = {"row": pl.Int64, "name": pl.Utf8, "score": pl.Float64, "list": pl.Utf8,
              "entry_id": pl.Utf8, "matched_name": pl.Utf8, "list_name": pl.Utf8,
              "match_kind": pl.Utf8, "corroborated_by": pl.Utf8, "hit_count": pl.Int64,
              "error": pl.Utf8, "lists_version": pl.Utf8}
#: a pool process's screener and options, set by :func:`_start_worker` as the process starts
_worker: Screener | None = None
_worker_opts: dict = {}


def screen_rows(rows: Sequence[tuple[int, str, str | None, str | None]], screener: Screener,
                opts: dict) -> list[dict]:
    """One output record per ``(row, name, country, dob)``: the best hit, or an empty one.

    The per-row step of every batch path (local processes and Dask partitions alike)."""
    out = []
    for row, name, country, dob in rows:
        rec = {"row": row, "name": name, "score": None, "list": "", "entry_id": "",
               "matched_name": "", "list_name": "", "match_kind": "", "corroborated_by": "",
               "hit_count": 0, "error": "", "lists_version": screener.version}
        try:
            hits = screener.screen(name, country=country, dob=dob, **opts)
        except ExportCheckError as exc:
            rec["error"] = str(exc)
            hits = []
        if hits:
            h = hits[0]
            rec.update(score=h.score, list=h.list, entry_id=h.entry_id,
                       matched_name=h.matched_name, list_name=h.list_name,
                       match_kind=h.match_kind or "", corroborated_by=";".join(h.corroborated_by),
                       hit_count=len(hits))
        out.append(rec)
    return out


def _start_worker(screener: Screener, opts: dict) -> None:
    """A pool process's own screener and options (forked: handed over without pickling)."""
    global _worker, _worker_opts
    _worker, _worker_opts = screener, opts


def _screen_rows(rows: Sequence[tuple[int, str, str | None, str | None]]) -> list[dict]:
    assert _worker is not None
    return screen_rows(rows, _worker, _worker_opts)


#: the columns read as each party's country and date of birth when no column is named for
#: them, in order of preference (compared as ``batch`` compares column names)
COUNTRY_COLUMNS = ("country", "nationality")
DOB_COLUMNS = ("dob", "date_of_birth", "birth_date")


def implied_columns(columns: Sequence[str], country_column: str | None,
                    dob_column: str | None) -> dict[str, str]:
    """``{"country" | "dob": column}`` for each of the two not named (None) that the input
    has a usual column for. A file with a ``country`` column is screened with it: a country
    corroborates a partial match and rules out an entry of another one, and a file screened
    on its names alone would lose both without a word. An empty name ("") asks for none."""
    from exportcheck.determine.batch_io import fold

    by_fold = {fold(c): c for c in reversed(columns)}  # the first of two spellings
    implied = {}
    for what, given, usual in (("country", country_column, COUNTRY_COLUMNS),
                               ("dob", dob_column, DOB_COLUMNS)):
        found = [by_fold[u] for u in usual if u in by_fold]
        if given is None and found:
            implied[what] = found[0]
    return implied


def check_options(columns: Sequence[str], name_column: str, country_column: str | None,
                  dob_column: str | None, threshold: float | None, *,
                  schema: Mapping[str, pl.DataType] | None = None
                  ) -> tuple[str, str | None, str | None]:
    """Refuse a bad threshold or a missing column before any row is screened; the columns as
    the file names them. A column is found as ``batch`` finds order columns: ignoring case,
    spaces, hyphens and underscores ("--name-column name" reads "Name"). A country or date of
    birth column not named (None) is the input's usual one (:func:`implied_columns`), if any;
    "" is none. With the input's ``schema``, a column of lists or structs (a Parquet export)
    is refused by name: read as text, it would fail in a polars traceback."""
    from exportcheck.determine.batch_io import fold

    if threshold is not None and not 0 <= float(threshold) <= 100:
        raise InvalidInput(f"threshold {threshold:g} outside 0-100")
    implied = implied_columns(columns, country_column, dob_column)
    country_column = implied.get("country", country_column)
    dob_column = implied.get("dob", dob_column)

    def find(col: str | None) -> str | None:
        if not col or col in columns:
            return col or None
        found = [c for c in columns if fold(c) == fold(col)]
        if len(found) != 1:
            raise InvalidInput(f"column {col!r} not in input (columns: {', '.join(columns)})")
        return found[0]

    name = find(name_column)
    if name is None:
        raise InvalidInput(f"name_column: give the column holding the names to screen "
                           f"(columns: {', '.join(columns)})")
    found = name, find(country_column), find(dob_column)
    for col in found:
        dtype = schema.get(col) if schema is not None and col else None
        if dtype is not None and (dtype.is_nested() or dtype == pl.Object):
            raise InvalidInput(f"column {col!r} must hold text, not {dtype}")
    return found


def row_tuples(df: pl.DataFrame, name_column: str, country_column: str | None = None,
               dob_column: str | None = None, first_row: int = 1
               ) -> list[tuple[int, str, str | None, str | None]]:
    """``(row, name, country, dob)`` per input row, numbered from ``first_row``."""
    names = df[name_column].cast(pl.Utf8).fill_null("").to_list()
    none = [None] * len(names)
    countries = df[country_column].cast(pl.Utf8).to_list() if country_column else none
    dobs = _days(df[dob_column]).to_list() if dob_column else none
    rows = range(first_row, first_row + len(names))
    return list(zip(rows, names, countries, dobs, strict=True))


def _days(column: pl.Series) -> pl.Series:
    """Dates of birth as text; timestamps as the day each falls on: pandas writes a date
    column as timestamps, and "1957-12-07 00:00:00.000000" is no date of birth, so every row
    of such a Parquet file would go unscreened."""
    if isinstance(column.dtype, pl.Datetime):
        column = column.dt.date()
    return column.cast(pl.Utf8)


def results_frame(results: list[dict]) -> pl.DataFrame:
    """The output table, with the same types whatever the rows (even none)."""
    return pl.DataFrame(results, schema=OUT_SCHEMA)


def read_table(path: Path) -> pl.DataFrame:
    """A names file, Parquet or else CSV (every column as text). A CSV file is checked as
    ``batch`` checks an order file, with the same messages as the Dask path: an Excel
    workbook, UTF-16 or ';' text is refused, and a line that is not UTF-8 or has too many
    fields is named."""
    from exportcheck.determine.batch_io import read_error, sniff_csv

    if not path.exists():
        raise InvalidInput(f"input file not found: {path}")
    parquet = path.suffix.lower() in (".parquet", ".pq")
    if not parquet:
        sniff_csv(path)
    try:
        if parquet:
            return pl.read_parquet(path)
        return pl.read_csv(path, infer_schema_length=0)
    except Exception as exc:  # polars raises many kinds
        raise InvalidInput(read_error(path, exc, csv_file=not parquet)) from None


def screen_table(df: Table, name_column: str, *, screener: Screener | None = None,
                 country_column: str | None = None, dob_column: str | None = None,
                 threshold: float | None = None, lists: Sequence[str] | None = None,
                 workers: int | None = None, chunk: int = 500,
                 progress: Callable[[int], None] | None = None) -> pl.DataFrame:
    """Screen every row; ``progress`` is called with the number of rows just finished.

    ``df``: a polars frame, or a pandas one (read as polars). Each output row carries
    ``lists_version`` (``samples:...`` for the bundled demo lists). Two threads may screen
    tables at once, each with its own screener and options."""
    df = polars_frame(df, "the parties table")
    name_column, country_column, dob_column = check_options(
        df.columns, name_column, country_column, dob_column, threshold, schema=df.schema)
    scr = screener or default_screener()
    # the default threshold read once, not from the environment on every row; this call's own
    # (a module global shared by threads would let one call screen with another's threshold)
    opts = {"threshold": default_threshold() if threshold is None else threshold,
            "lists": lists}
    rows = row_tuples(df, name_column, country_column, dob_column)
    chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
    workers = workers or min(os.cpu_count() or 1, 8)
    results: list[dict] = []
    if workers > 1 and len(chunks) > 1 and "fork" in mp.get_all_start_methods():
        # keep the collector off the index in the children: no scans, no copy-on-write
        gc.freeze()
        with mp.get_context("fork").Pool(workers, _start_worker, (scr, opts)) as pool:
            for part in pool.imap(_screen_rows, chunks):
                results.extend(part)
                if progress:
                    progress(len(part))
    else:
        for c in chunks:
            part = screen_rows(c, scr, opts)
            results.extend(part)
            if progress:
                progress(len(part))
    return results_frame(results)


def screen_file(in_path: str | Path, out_path: str | Path, name_column: str, **kwargs) -> int:
    """Screen ``in_path`` (CSV/Parquet) to ``out_path`` (CSV/Parquet by extension)."""
    in_path, out_path = Path(in_path), Path(out_path)
    result = screen_table(read_table(in_path), name_column, **kwargs)
    from exportcheck.outfile import write_table  # CSV: names from outside, no formulas

    write_table(result, out_path)
    return int((result["hit_count"] > 0).sum())
