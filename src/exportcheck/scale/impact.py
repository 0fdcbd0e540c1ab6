"""``impact`` on a Dask cluster: the per-line work distributed, the summary kept a reduction.

Three steps, each the single-process code (:mod:`exportcheck.impact.core`) on a part:

1. every partition decides both sides of its lines (:func:`~exportcheck.impact.core.decide_lines`)
   and keeps the result on its worker; the client gathers only each partition's groups of
   changed lines (the first line of each group);
2. the groups are made global in input order (a group's cause is explained on its first line
   in the whole file, as in one process) and explained on the workers, a chunk per task;
3. every partition joins the causes and gives its part of the line table, which the client
   writes to ``lines.parquet`` in input order.

The summary and report are computed by the single-process code from the written line table,
which the client reads back (its columns, not the working frames): what must fit in the
client is the line table, not the determinations behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from exportcheck.errors import InvalidInput
from exportcheck.scale import frames, workers
from exportcheck.scale.batch import order_file_head, window
from exportcheck.scale.output import ordered, pack, unpack, write_ordered

if TYPE_CHECKING:
    from distributed import Client

    from exportcheck.impact import ImpactResult

ROWS = 200_000
#: changed-line groups explained per task
EXPLAIN_CHUNK = 200


@dataclass(frozen=True)
class ImpactJob:
    """Everything a task needs besides its partition; small, so sent with every task."""

    d_old: date
    d_new: date
    lists: bool
    rates: tuple[tuple[str, float], ...]
    present: tuple[str, ...] | None
    dropped: tuple[str, ...]
    rules: workers.RulesSpec
    old: workers.ScreenerSpec | None
    new: workers.ScreenerSpec | None
    owners: workers.OwnersSpec | None

    def screeners(self) -> tuple[Any, Any]:
        old = workers.screener(self.old)
        return old, old if self.new == self.old else workers.screener(self.new)

    def screening(self) -> AbstractContextManager[None]:
        """Screen with the client's default threshold (both sides were given the same)."""
        return workers.screening(self.old)


def _decide(part: pl.DataFrame, job: ImpactJob) -> pl.DataFrame:
    from exportcheck.impact.core import _currency, decide_lines

    df, first = frames.partition(part)
    present = list(job.present) if job.present is not None else None
    raw, _ = _currency(df.drop(list(job.dropped)), dict(job.rates), present)
    memos = (workers.decided(job.rules, job.old, job.owners),
             workers.decided(job.rules, job.new, job.owners))
    signatures = (workers.signatures(job.old, job.owners),
                  workers.signatures(job.new, job.owners))
    with job.screening():
        out, _, _ = decide_lines(raw, workers.ruleset(job.rules), job.d_old, job.d_new,
                                 job.screeners(), first_row=first, workers=1,
                                 ownership=workers.ownership(job.owners), memos=memos,
                                 signatures=signatures)
    return out


def _first_groups(df: pl.DataFrame) -> pl.DataFrame:
    from exportcheck.impact.causes import change_groups

    return change_groups(df).with_columns(pl.col("_row").list.first())


def _explain(groups: pl.DataFrame, job: ImpactJob) -> pl.DataFrame:
    from exportcheck.impact.causes import GROUP_COLUMNS, group_cause

    rs, own = workers.ruleset(job.rules), workers.ownership(job.owners)
    scr_old, scr_new = job.screeners()
    with job.screening():
        texts = [group_cause(g, rs, job.d_old, job.d_new, scr_old, scr_new, own)
                 for g in groups.iter_rows(named=True)]
    return groups.select(GROUP_COLUMNS).with_columns(pl.Series("cause", texts, pl.Utf8))


def _finish(df: pl.DataFrame, causes: pl.DataFrame, job: ImpactJob,
            carried: list[str]) -> bytes:
    """The partition's line table, packed for the trip to the client (:func:`output.pack`)."""
    from exportcheck.impact.causes import GROUP_COLUMNS, list_causes, moved
    from exportcheck.impact.core import finish_lines

    mine = (df.filter(moved()).select("_row", *GROUP_COLUMNS)
            .join(causes, on=list(GROUP_COLUMNS), how="left", nulls_equal=True)
            .select("_row", "cause"))
    if job.lists:
        with job.screening():
            mine = list_causes(df, mine, *job.screeners())
    return pack(finish_lines(df, mine, carried))


def _currencies(part: pl.DataFrame) -> list[str]:
    from exportcheck.impact.core import currencies

    return currencies(frames.partition(part)[0])


def _versions(job: ImpactJob) -> tuple[str | None, str | None]:
    old, new = job.screeners()
    return getattr(old, "version", None), getattr(new, "version", None)


def _newer_first(job: ImpactJob) -> list[str]:
    from exportcheck.impact.summary import newer_first

    with job.screening():
        return newer_first(*job.screeners())


def _party_impact(parties: list[tuple[str, str | None]], job: ImpactJob) -> Any:
    from exportcheck.impact.summary import party_impact

    with job.screening():
        return party_impact(parties, *job.screeners())


def _licence_party_impact(database_url: str, d_old: date, d_new: date, job: ImpactJob) -> Any:
    from exportcheck.impact.summary import licence_party_impact

    with job.screening():
        return licence_party_impact(database_url, d_old, d_new, *job.screeners())


def impact_file(
    client: Client,
    orders: Path,
    out: Path,
    from_date: date | None,
    to_date: date | None,
    *,
    on: date | None = None,
    from_lists: str | None = None,
    to_lists: str | None = None,
    rates: dict[str, float] | None = None,
    database_url: str | None = None,
    screen: bool = True,
    owners: Path | workers.OwnersSpec | None = None,
    rows_per_partition: int = ROWS,
    progress: Callable[[int, int], None] | None = None,
) -> ImpactResult:
    """Run ``exportcheck impact`` on the cluster and write the output folder ``out``
    (``owners``: a parties file, or the spec :func:`.workers.owners_spec` made of one)."""
    import dask

    from exportcheck.determine.batch import _normalise
    from exportcheck.determine.batch_io import (
        has_parties,
        order_frame,
    )
    from exportcheck.impact.core import (
        API_NAMES,
        ImpactResult,
        _currency,
        carried_columns,
        date_columns,
        sides,
    )
    from exportcheck.impact.models import Side
    from exportcheck.impact.output import check_outdir, write_outdir
    from exportcheck.impact.summary import build_summary

    check_outdir(out)
    owners_spec = workers.given_owners(owners)
    d_old, d_new, mode = sides(from_date, to_date, on, from_lists, to_lists,
                               {**API_NAMES, "from_lists": "from_lists", "to_lists": "to_lists"})
    kind, head = order_file_head(orders, impact=True)
    dropped, notes = date_columns(head.columns, d_old, d_new)
    # read once and kept: the currencies and the decisions both use each partition
    parts = frames.read_parts(client, orders, kind, rows_per_partition)
    present = None
    if "currency" in order_frame(head.drop(dropped), dated=False).columns:
        found = client.gather(client.compute([dask.delayed(_currencies)(p) for p in parts]))
        present = sorted({c for part in found for c in part})
    # the single-process checks, on the columns alone: rates, then missing columns
    raw_head, money_notes = _currency(head.drop(dropped), rates, present)
    notes += money_notes
    _normalise(raw_head, dated=False)
    if not frames.has_rows(orders, kind):
        # as one process says it; raised on a worker, it was also logged there as a failed
        # task, traceback and all, on the user's terminal
        raise InvalidInput("the order file has no lines")
    lists = from_lists is not None
    parties = None
    if lists:
        from exportcheck.screen import store

        old = workers.versions_screener_spec(from_lists)  # type: ignore[arg-type]
        new = workers.versions_screener_spec(to_lists)  # type: ignore[arg-type]
        parties = [(p.name, p.country) for p in store.list_parties()]
    elif screen and has_parties(head.columns):
        old = new = workers.default_screener_spec()
    else:
        old = new = None
    rules, rule_base = workers.client_rules()  # read once: the lines and report agree
    job = ImpactJob(d_old, d_new, lists, tuple(sorted((rates or {}).items())),
                    tuple(present) if present is not None else None, tuple(dropped),
                    rules, old, new, owners_spec)

    decided = [client.compute(dask.delayed(_decide)(p, job)) for p in parts]
    del parts  # each partition's frame is let go once its lines are decided
    firsts = client.gather([client.submit(_first_groups, f) for f in decided])
    groups = pl.concat(firsts, how="vertical_relaxed").unique(
        subset=_group_columns(), keep="first", maintain_order=True)
    chunks = [groups.slice(i, EXPLAIN_CHUNK) for i in range(0, groups.height, EXPLAIN_CHUNK)]
    explained = client.gather([client.submit(_explain, c, job) for c in chunks])
    none = groups.select(_group_columns()).with_columns(pl.lit(None, pl.Utf8).alias("cause"))
    causes = pl.concat(explained, how="vertical_relaxed") if explained else none
    causes_f = client.scatter(causes, broadcast=True)
    carried = carried_columns(raw_head)

    def submit(i: int) -> Any:
        return client.submit(_finish, decided[i], causes_f, job, carried)

    def parts_out() -> Any:
        for i, part in enumerate(ordered(submit, len(decided), window=window(client),
                                         progress=progress)):
            decided[i].release()
            yield unpack(part)

    lines_file = out.parent / f".{out.name}.lines.parquet" if not out.is_dir() else (
        out / ".lines.parquet")
    write_ordered(parts_out(), lines_file)
    try:
        versions = client.submit(_versions, job).result()
        release_order = client.submit(_newer_first, job).result()
        party_result = (client.submit(_party_impact, parties, job).result()
                        if parties is not None else None)
        # not pure: the key names the database, not the licences in it, which change
        licence_party_rows = (client.submit(_licence_party_impact,
                                            workers.worker_database_url(database_url),
                                            d_old, d_new, job, pure=False).result()
                              if parties is not None and database_url is not None else None)
        lines = pl.read_parquet(lines_file)
        summary, licences, party_table = build_summary(
            lines, rule_base, Side(date=d_old, lists_version=versions[0]),
            Side(date=d_new, lists_version=versions[1]), mode=mode, notes=notes,
            database_url=database_url, party_result=party_result,
            licence_party_rows=licence_party_rows, release_order=release_order)
        result = ImpactResult(lines, summary, licences, party_table)
        write_outdir(result, out, lines_file=lines_file)
    finally:
        lines_file.unlink(missing_ok=True)
    return result


def _group_columns() -> list[str]:
    from exportcheck.impact.causes import GROUP_COLUMNS

    return list(GROUP_COLUMNS)
