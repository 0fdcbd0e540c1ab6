"""QA pass on large batches (a data engineer on a scheduler, a compliance officer reading the
output): what the Dask path did differently from one process, or badly in both.

The module's cluster (``client`` in conftest) is reached through ``--scheduler``.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from distributed import LocalCluster

from exportcheck.scale import workers
from tests.scale.test_dask import Cli, _names_csv, _orders


def test_a_relative_input_path_is_read_by_workers_in_another_folder(
        cli: Cli, dask_args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A scheduler's workers run in their own folder: 'batch orders.csv' from the user's folder
    said "cannot read orders.csv: No such file or directory" of a file that is there."""
    monkeypatch.chdir(tmp_path)
    _orders(40).write_csv(tmp_path / "orders.csv")
    assert cli(["batch", "orders.csv", "-o", "one.csv"])[0] == 0
    code, _, err = cli(["batch", "orders.csv", "-o", "dask.csv", *dask_args,
                        "--partition-rows", "15"])
    assert code == 0, err
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "dask.csv").read_bytes()
    # a line that cannot be read is named in the file the user named, as in one process
    (tmp_path / "bad.csv").write_bytes("item,destination,date\nEAR99,DE,2024-01-01\n"
                                       "EAR99,DE,Müller\n".encode("latin-1"))
    one, many = (cli(["batch", "bad.csv", "-o", "o.csv", *extra])
                 for extra in ([], dask_args))
    assert one[0] == many[0] == 2
    assert one[2].splitlines()[-1] == many[2].splitlines()[-1]
    assert many[2].splitlines()[-1].startswith("error: cannot read bad.csv: line 3 is not UTF-8")


@pytest.mark.parametrize("command", ["batch", "screen-batch", "impact"])
def test_dask_output_files_get_the_permissions_of_the_one_process_output(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str) -> None:
    """The temporary file the Dask path writes through is created owner-only (mode 0600) and
    was moved into place as such: a results file the compliance officer (another account)
    could not open, where the one-process run gives the umask's 0644."""
    if command == "screen-batch":
        src = _names_csv(tmp_path / "names.csv", 20)
        base = [command, str(src), "--name-column", "name"]
    else:
        src = tmp_path / "orders.csv"
        _orders(20).write_csv(src)
        base = [command, str(src)] + (["--from", "2020-06-29", "--to", "2021-01-15"]
                                      if command == "impact" else [])
    outs = [tmp_path / "one", tmp_path / "dask"]
    if command != "impact":
        outs = [p.with_suffix(".csv") for p in outs]
    assert cli([*base, "-o", str(outs[0])])[0] == 0
    code, _, err = cli([*base, "-o", str(outs[1]), *dask_args, "--partition-rows", "8"])
    assert code == 0, err
    files = [o / "lines.parquet" if command == "impact" else o for o in outs]
    one, many = (f.stat().st_mode & 0o777 for f in files)
    assert many == one, f"{many:o} != {one:o}"


SCREEN_BAD_FILES = {
    "latin1": ("id,name\n" + "1,Acme\n" * 30 + "2,Müller GmbH\n", "latin-1",
               "line 32 is not UTF-8"),
    "ragged": ("id,name\n" + "1,Acme\n" * 30 + "2,Huawei,CN\n", "utf-8",
               "line 32 has 3 fields but the header has 2"),
    "utf16": ("id,name\n1,Carrie Lam\n", "utf-16", "the file is UTF-16"),
    "semicolon": ("id;name\n1;Carrie Lam\n", "utf-8", "looks ';'-separated"),
    "stray_quote": ("id,name\n" + "1,Acme\n" * 30 + '2,Acme 12" Pipes\n' + "3,Acme\n" * 30,
                    "utf-8", "line 32 has a double quote inside a value"),
}


@pytest.mark.parametrize("case", sorted(SCREEN_BAD_FILES))
def test_screen_batch_names_the_bad_line_in_both_paths(
        cli: Cli, dask_args: list[str], tmp_path: Path, case: str) -> None:
    """One process said "cannot read names.csv as .csv: invalid utf-8 sequence" (no line) and
    "found more fields than defined in 'Schema' Consider setting 'truncate_ragged_lines=True'"
    (an option the user cannot set) where Dask named the line; a UTF-16 or ';' file ended, in
    both, in "column 'name' not in input" with garbled or joined column names."""
    text, encoding, message = SCREEN_BAD_FILES[case]
    src = tmp_path / "names.csv"
    src.write_bytes(text.encode(encoding))
    args = ["screen-batch", str(src), "--name-column", "name", "-o", str(tmp_path / "o.csv")]
    one = cli(args)
    many = cli([*args, *dask_args, "--partition-rows", "7"])
    errors = [[ln for ln in err.splitlines() if not ln.startswith("warning: ")]
              for _, _, err in (one, many)]
    assert one[0] == many[0] == 2
    assert errors[0] == errors[1] and len(errors[0]) == 1, errors
    assert errors[0][0].startswith(f"error: cannot read {src}: ")
    assert message in errors[0][0]
    assert not (tmp_path / "o.csv").exists()


def test_a_relative_ledger_path_is_the_clients_file_on_the_workers(
        cli: Cli, dask_args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--db sqlite:///ledger.db`` was opened by a worker in its own folder: a new, empty
    ledger made there, and no licence hit (an all-clear) where one process finds D-HK-CL."""
    from tests.impact.test_impact_cli import licence_naming, two_sdn_releases

    old, new = two_sdn_releases(tmp_path, cli)
    monkeypatch.chdir(tmp_path)
    licence_naming("sqlite:///ledger.db", "LAM, Carrie")
    pl.DataFrame({"item": ["EAR99"], "destination": ["HK"], "value": ["100"]}).write_csv(
        tmp_path / "orders.csv")
    code, _, err = cli(["impact", "orders.csv", "--from-lists", str(old), "--to-lists",
                        str(new), "--on", "2024-06-01", "--db", "sqlite:///ledger.db",
                        "-o", "many", *dask_args])
    assert code == 0, err
    summary = json.loads((tmp_path / "many" / "summary.json").read_text())
    assert [r["number"] for r in summary["licences"]["rows"]] == ["D-HK-CL"]


@pytest.mark.parametrize("command", ["batch", "impact"])
def test_a_stray_quote_is_named_by_its_line_in_both_paths(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str) -> None:
    """A value with a double quote that is not quoted (12" pipe) got polars' "CSV malformed:
    expected 150 rows, actual 300 rows, in chunk starting at row_offset 150" in one process and
    "expected 8 rows, actual 58 rows ..." on Dask: no line, no fix, and two messages."""
    src = tmp_path / "orders.csv"
    src.write_text("item,destination,date,note\n" + "EAR99,DE,2024-01-01,n\n" * 40
                   + 'EAR99,DE,2024-01-01,pipe 12" dia\n' + "EAR99,DE,2024-01-01,n\n" * 40,
                   encoding="utf-8")
    args = ([command, str(src), "-o", str(tmp_path / "o.csv")] if command == "batch"
            else [command, str(src), "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                  str(tmp_path / "imp")])
    one = cli([*args, "--no-screen"])
    many = cli([*args, "--no-screen", *dask_args, "--partition-rows", "7"])
    assert one[0] == many[0] == 2
    assert one[2] == many[2]
    assert ("line 42 has a double quote inside a value that is not in double quotes "
            "('pipe 12\" dia')") in " ".join(one[2].split())


def test_the_database_a_worker_opens_is_the_clients(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The lists' database too (EXPORTCHECK_DATABASE_URL=sqlite:///lists.db): a worker in its
    own folder read another file, and stopped the run saying the lists "changed since the run
    started"."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", "sqlite:///lists.db")
    from exportcheck.db import get_engine, upgrade

    upgrade(get_engine(f"sqlite:///{tmp_path / 'lists.db'}"))  # none: the samples, no url
    assert workers.default_screener_spec().url == f"sqlite:///{tmp_path / 'lists.db'}"
    for url in (f"sqlite:///{tmp_path / 'x.db'}", "sqlite://", "sqlite:///:memory:",
                "postgresql+psycopg://u:p@db.example:5432/ec"):
        assert workers.worker_database_url(url) == url


@pytest.mark.parametrize("command", ["batch", "impact"])
def test_an_order_file_format_one_process_refuses_is_refused_on_dask(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str) -> None:
    """'orders.pq' was determined on Dask and refused in one process ("unsupported input
    format '.pq': use .csv or .parquet", as the README says): the same file, two answers."""
    src = tmp_path / "orders.pq"
    pl.DataFrame({"item": ["EAR99"], "destination": ["DE"], "date": ["2024-01-01"]}
                 ).write_parquet(src)
    args = ([command, str(src), "-o", str(tmp_path / "o.csv")] if command == "batch"
            else [command, str(src), "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                  str(tmp_path / "imp")])
    one, many = cli(args), cli([*args, *dask_args])
    assert one[0] == many[0] == 2
    assert one[2] == many[2] and "unsupported input format '.pq'" in one[2]


@pytest.mark.parametrize("on_dask", [False, True])
def test_impact_refuses_to_write_over_its_order_file(
        cli: Cli, dask_args: list[str], tmp_path: Path, on_dask: bool) -> None:
    """An order book named lines.parquet in the output folder was replaced by the line table
    without a word (batch and screen-batch refuse their input as output)."""
    orders = tmp_path / "book" / "lines.parquet"
    orders.parent.mkdir()
    _orders(20).write_parquet(orders)
    before = orders.read_bytes()
    code, _, err = cli(["impact", str(orders), "--from", "2020-06-29", "--to", "2021-01-15",
                        "-o", str(orders.parent), *(dask_args if on_dask else [])])
    assert code == 2 and "is the input file" in " ".join(err.split()), err
    assert orders.read_bytes() == before
    assert sorted(p.name for p in orders.parent.iterdir()) == ["lines.parquet"]


@pytest.mark.parametrize(("command", "column"), [
    ("batch", "item"), ("batch", "end_user"), ("impact", "destination"),
    ("screen-batch", "name"), ("screen-batch", "country")])
def test_a_parquet_column_of_lists_is_refused_by_name_in_both_paths(
        cli: Cli, dask_args: list[str], tmp_path: Path, command: str, column: str) -> None:
    """A Parquet text column holding lists (an export from another tool) ended in polars'
    traceback "cannot cast List type (inner: 'String', to: 'String')", in one process and on
    Dask alike; a value column of that kind was already refused by name."""
    src = tmp_path / "in.parquet"
    frame: dict[str, list] = {"item": ["EAR99", "3A001.a.2"], "destination": ["DE", "HK"],
                              "date": ["2024-01-01"] * 2, "end_user": ["Acme", "LAM, Carrie"],
                              "name": ["Acme", "Carrie Lam"], "country": ["DE", "HK"]}
    frame[column] = [[v] for v in frame[column]]
    pl.DataFrame(frame).write_parquet(src)
    args = {"batch": ["-o", str(tmp_path / "o.csv")],
            "impact": ["--from", "2020-06-29", "--to", "2021-01-15", "-o", str(tmp_path / "i")],
            "screen-batch": ["--name-column", "name", "--country-column", "country", "-o",
                             str(tmp_path / "o.csv")]}[command]
    one = cli([command, str(src), *args])
    many = cli([command, str(src), *args, *dask_args])
    for code, _, err in (one, many):
        assert code == 2 and "Traceback" not in err, err
        assert err.splitlines()[-1] == (f"error: column {column!r} must hold text, not "
                                        "List(String)")


def test_a_scheduler_lost_mid_run_is_one_clear_error(tmp_path: Path) -> None:
    """The scheduler gone mid-run (stopped, its machine down) ended in a traceback
    (FutureCancelledError ... scheduler-connection-lost) instead of an ``error:`` line."""
    import time

    from exportcheck.scale import SchedulerUnavailable, connect

    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                           dashboard_address=None)
    address = cluster.scheduler_address
    with (pytest.raises(SchedulerUnavailable, match=f"lost the Dask scheduler at {address}"),
          connect(address) as c):
        running = c.submit(time.sleep, 5, pure=False)
        cluster.close()
        running.result()


def test_a_worker_that_keeps_dying_is_one_clear_error() -> None:
    """A partition that kills its worker (out of memory) as often as the scheduler allows
    ended in Dask's KilledWorker traceback."""
    import os

    import dask

    from exportcheck.scale import SchedulerUnavailable, connect

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    try:
        with (pytest.raises(SchedulerUnavailable, match="died on the same partition"),
              connect(cluster.scheduler_address) as c):
            c.submit(os._exit, 1, pure=False).result()
    finally:
        cluster.close()
