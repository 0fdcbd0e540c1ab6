"""Review 37 of the Dask paths: what a worker kept from an earlier run, or read from its own
environment, against what the client running the batch has.

The module's cluster (``client`` in conftest) is reached through ``--scheduler``: its workers
were started before each test and live across runs, as a scheduler's workers do.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from distributed import Client

from exportcheck.rules.loader import BUNDLED, load_tables
from exportcheck.scale import workers
from exportcheck.screen.service import SAMPLES_DIR
from tests.scale.test_dask import Cli

#: scores 80 against the sample SDN entry BANCO NACIONAL DE CUBA: a hit at 75, none at 85
NEAR_MISS = "Banco Nacional Cubano"
NEW_ENTRY = (b'99999,"ZEBULON QUAXWORTHY TRADING",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
             b'-0- ,-0- \n')


def _hold(load: Callable[[object], object], spec: object) -> None:
    """Load ``spec`` into a worker's cache (what it loaded does not travel back)."""
    load(spec)


def test_a_list_file_changed_since_an_earlier_run_is_read_again(
        cli: Cli, dask_args: list[str], client: Client, tmp_path: Path) -> None:
    """``--lists-from`` with a scheduler: a worker kept the screener of the file as the first
    run read it, and screened the next run (after the file gained an entry) against the old
    list, with the old version in the output: no hit for the new entry."""
    lists = tmp_path / "sdn.csv"
    shutil.copy(SAMPLES_DIR / "sdn.csv", lists)
    names = tmp_path / "names.csv"
    pl.DataFrame({"name": ["Zebulon Quaxworthy Trading", "Anna Smith"]}).write_csv(names)
    base = ["screen-batch", str(names), "--name-column", "name", "--lists-from", str(lists)]
    code, _, err = cli([*base, "-o", str(tmp_path / "first.csv"), *dask_args])
    assert code == 0, err
    # every worker holds the file as it was, whichever partitions it screened
    client.run(_hold, workers.screener, workers.paths_screener_spec([lists]))

    lists.write_bytes(lists.read_bytes().rstrip(b"\x1a") + NEW_ENTRY)
    code, _, err = cli([*base, "-o", str(tmp_path / "one.csv")])
    assert code == 0, err
    code, _, err = cli([*base, "-o", str(tmp_path / "dask.csv"), *dask_args,
                        "--partition-rows", "1"])
    assert code == 0, err
    one = pl.read_csv(tmp_path / "one.csv")
    assert one["hit_count"].to_list() == [1, 0]
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()


def _near_miss_orders(path: Path) -> Path:
    pl.DataFrame({"item": ["EAR99", "EAR99"], "destination": ["DE", "DE"],
                  "date": ["2021-01-15", "2021-01-15"],
                  "end_user": [NEAR_MISS, "Anna Smith"]}).write_csv(path)
    return path


@pytest.mark.parametrize("command", ["screen-batch", "batch", "impact"])
def test_workers_screen_with_the_clients_threshold(
        cli: Cli, dask_args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        command: str) -> None:
    """``EXPORTCHECK_SCREENING_THRESHOLD`` was read by each worker from its own environment:
    a scheduler's workers (started without it) screened at 85 a batch the client ran at 75,
    and a near miss the one-process run holds came back clear."""
    monkeypatch.setenv("EXPORTCHECK_SCREENING_THRESHOLD", "75")  # the client's, not the workers'
    if command == "screen-batch":
        src = tmp_path / "names.csv"
        pl.DataFrame({"name": [NEAR_MISS, "Anna Smith"]}).write_csv(src)
        base = [command, str(src), "--name-column", "name"]
        outs = [tmp_path / "one.csv", tmp_path / "dask.csv"]
    else:
        src = _near_miss_orders(tmp_path / "orders.csv")
        base = [command, str(src)] + (["--from", "2020-06-29", "--to", "2021-01-15"]
                                      if command == "impact" else [])
        outs = ([tmp_path / "one", tmp_path / "dask"] if command == "impact"
                else [tmp_path / "one.csv", tmp_path / "dask.csv"])
    code, _, err = cli([*base, "-o", str(outs[0])])
    assert code == 0, err
    code, _, err = cli([*base, "-o", str(outs[1]), *dask_args, "--partition-rows", "1"])
    assert code == 0, err
    if command == "impact":
        one = pl.read_parquet(outs[0] / "lines.parquet")
        assert one.equals(pl.read_parquet(outs[1] / "lines.parquet"))
        # the near miss is a hit at 75: held, PROHIBITED if an officer confirms it
        assert one["new_if_confirmed"].to_list()[0] == "PROHIBITED"
        assert one["new_if_confirmed"].to_list()[1] is None
        return
    one_text = outs[0].read_text(encoding="utf-8")
    assert "BANCO NACIONAL DE CUBA" in one_text  # the near miss is a hit at 75
    assert outs[1].read_text(encoding="utf-8") == one_text


def test_a_worker_reads_rule_files_changed_since_an_earlier_run(
        cli: Cli, dask_args: list[str], client: Client, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``EXPORTCHECK_RULES_DIR`` edited between two runs on one scheduler (a proposed rule
    evaluated, then amended): the workers kept the rule base of the first run and the second
    stopped with "a Dask worker has rule base X, the client Y: run the same exportcheck and
    rule files on every worker" - of the very same files."""
    rules = tmp_path / "rules"
    (rules / "events").mkdir(parents=True)
    event = rules / "events" / "sudan_2021.yaml"
    shutil.copy(BUNDLED / "events" / "sudan_2021.yaml", event)
    monkeypatch.setenv("EXPORTCHECK_RULES_DIR", str(rules))
    # every worker holds the first version (read here without caching it in this process,
    # which stands for the first run's client)
    first = workers.RulesSpec(str(rules.resolve()), load_tables(rules)[1])
    client.run(_hold, workers.ruleset, first)

    event.write_text(event.read_text(encoding="utf-8") + "# amended\n", encoding="utf-8")
    src = _near_miss_orders(tmp_path / "orders.csv")
    code, _, err = cli(["batch", str(src), "-o", str(tmp_path / "one.csv"), "--no-screen"])
    assert code == 0, err
    code, _, err = cli(["batch", str(src), "-o", str(tmp_path / "dask.csv"), "--no-screen",
                        *dask_args, "--partition-rows", "1"])
    assert code == 0, err
    assert workers.rules_spec().version != first.version
    assert (tmp_path / "dask.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
