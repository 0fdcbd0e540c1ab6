"""``screen-batch`` and ``batch`` on a Dask cluster: the single-process per-row functions, one
partition at a time, written in input order.

Screening runs :func:`exportcheck.screen.batch.screen_rows` on each partition; determination
runs :func:`exportcheck.determine.batch.determine_frame` on each partition (its answers depend
on the line alone, so a partition gives the rows the whole file would). Only the small specs of
:mod:`.workers` travel with the tasks.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from exportcheck.scale import frames, workers
from exportcheck.scale.cluster import worker_count
from exportcheck.scale.output import pack, run_parts, unpack, write_ordered

if TYPE_CHECKING:
    from distributed import Client

#: rows per partition: a screening partition takes seconds, a determination one about as long
SCREEN_ROWS = 5_000
DETERMINE_ROWS = 200_000


def window(client: Client) -> int:
    """Partitions in flight: enough to keep every worker busy while the client writes."""
    return 2 * worker_count(client) + 2


@dataclass
class ScreenRun:
    rows: int = 0
    hits: int = 0
    #: rows not screened for an error of their own (column ``error``)
    errors: int = 0
    lists_version: str = ""


def _screen_part(part: pl.DataFrame, spec: workers.ScreenerSpec, opts: dict,
                 columns: tuple[str, str | None, str | None]) -> pl.DataFrame:
    from exportcheck.screen.batch import results_frame, row_tuples, screen_rows

    df, first = frames.partition(part)
    rows = row_tuples(df, *columns, first_row=first + 1)
    with workers.screening(spec):
        return results_frame(screen_rows(rows, workers.screener(spec), opts))


def _lists_version(spec: workers.ScreenerSpec) -> str:
    return workers.screener(spec).version


def screen_file(
    client: Client,
    in_path: Path,
    out: Path,
    name_column: str,
    *,
    spec: workers.ScreenerSpec,
    country_column: str | None = None,
    dob_column: str | None = None,
    threshold: float | None = None,
    lists: list[str] | None = None,
    rows_per_partition: int = SCREEN_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> ScreenRun:
    """Screen ``in_path`` into ``out`` as :func:`exportcheck.screen.batch.screen_table` and the
    ``screen-batch`` command would."""
    from exportcheck.determine.batch_io import sniff_csv
    from exportcheck.screen.batch import check_options

    kind = frames.input_kind(in_path)
    if kind == "csv":
        sniff_csv(in_path)  # a workbook, UTF-16, ';'-separated: refused as in one process
    head = frames.empty(in_path, kind)
    name_column, country_column, dob_column = check_options(
        head.columns, name_column, country_column, dob_column, threshold, schema=head.schema)
    run = ScreenRun(lists_version=client.submit(_lists_version, spec).result())
    pieces = frames.read_parts(client, in_path, kind, rows_per_partition,
                              ahead=window(client))
    opts = {"threshold": threshold, "lists": lists}
    parts = run_parts(client, pieces, _screen_part, spec, opts,
                      (name_column, country_column, dob_column), window=window(client),
                      progress=progress)

    def counted() -> Iterator[pl.DataFrame]:
        for part in parts:
            run.hits += int((part["hit_count"] > 0).sum())
            run.errors += int((part["error"].fill_null("") != "").sum())
            yield part

    run.rows = write_ordered(counted(), out)
    return run


@dataclass
class DetermineRun:
    rows: int = 0
    outcomes: Counter = field(default_factory=Counter)
    held: int = 0


def _determine_part(part: pl.DataFrame, rules: workers.RulesSpec,
                    screener: workers.ScreenerSpec | None,
                    owners: workers.OwnersSpec | None) -> bytes:
    from exportcheck.determine.batch import determine_frame
    from exportcheck.determine.batch_io import with_line_numbers

    df, first = frames.partition(part)
    # workers=1: the Dask worker is the process; no pool inside it
    with workers.screening(screener):
        out = determine_frame(df, ruleset=workers.ruleset(rules),
                              screener=workers.screener(screener),
                              ownership=workers.ownership(owners), workers=1,
                              memo=workers.decided(rules, screener, owners),
                              signatures=workers.signatures(screener, owners))
    return pack(with_line_numbers(out, first + 1))


def order_file_head(in_path: Path, *, impact: bool = False) -> tuple[str, pl.DataFrame]:
    """The order file's kind and its columns (no rows), refused as one process refuses it (a
    missing file, UTF-16, ';'-separated, an earlier run's answers; ``impact``: those of an
    impact run's line table too): checked before a cluster starts or works."""
    from exportcheck.determine.batch_io import check_answer_columns, sniff_csv

    kind = frames.input_kind(in_path, csv_suffixes=(".csv",))
    if kind == "csv":
        sniff_csv(in_path)
    head = frames.empty(in_path, kind)
    check_answer_columns(head.columns, impact=impact, what=f"order file {in_path}")
    return kind, head


def check_order_file(in_path: Path) -> tuple[str, pl.DataFrame]:
    """:func:`order_file_head`, and a required column missing refused as ``batch`` refuses it."""
    from exportcheck.determine.batch import check_order_columns

    kind, head = order_file_head(in_path)
    check_order_columns(head)
    return kind, head


def determine_file(
    client: Client,
    in_path: Path,
    out: Path,
    *,
    screen: bool = True,
    owners: Path | workers.OwnersSpec | None = None,
    rows_per_partition: int = DETERMINE_ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> DetermineRun:
    """Determine every line of ``in_path`` into ``out`` as the ``batch`` command would
    (``owners``: a parties file, or the spec :func:`.workers.owners_spec` made of one)."""
    from exportcheck.determine.batch_io import check_output, has_parties

    check_output(out)
    owners_spec = workers.given_owners(owners)
    kind, head = check_order_file(in_path)
    spec = workers.default_screener_spec() if screen and has_parties(head.columns) else None
    rules = workers.rules_spec()
    pieces = frames.read_parts(client, in_path, kind, rows_per_partition,
                              ahead=window(client))
    parts = run_parts(client, pieces, _determine_part, rules, spec, owners_spec,
                      window=window(client), progress=progress)
    run = DetermineRun()

    def counted() -> Iterator[pl.DataFrame]:
        for packed in parts:
            part = unpack(packed)
            run.outcomes.update(part.get_column("outcome").to_list())
            run.held += int(part.get_column("hold").sum())
            yield part

    run.rows = write_ordered(counted(), out)
    return run


def outcome_counts(counts: Counter[Any]) -> list[tuple[str | None, int]]:
    """``(outcome, lines)`` sorted as ``group_by("outcome").len().sort("outcome")`` sorts
    them: errors (no outcome) first."""
    return sorted(counts.items(), key=lambda kv: (kv[0] is not None, kv[0] or ""))
