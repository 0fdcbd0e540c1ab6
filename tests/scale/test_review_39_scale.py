"""Review 39, Dask: each CSV partition is parsed once (it was parsed by a first pass counting
its rows and again by the task using it; three times in ``impact`` with a currency column),
and a layered rules directory is stamped once per run (``impact`` stamped it again for its
report, and a worker thread of the client's process stamped it again)."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from distributed import Client

from exportcheck.errors import InvalidInput
from exportcheck.rules import ruleset as ruleset_module
from exportcheck.rules.loader import BUNDLED
from exportcheck.scale import frames, workers
from exportcheck.scale.batch import determine_file, screen_file
from exportcheck.scale.impact import impact_file

ROWS = 12
PER_PART = 4



@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> Counter[int]:
    """How many times each partition (by its first byte) was parsed."""
    counts: Counter[int] = Counter()
    read = frames.read_piece

    def counting(piece: frames.Piece) -> pl.DataFrame:
        counts[piece.start] += 1
        return read(piece)

    monkeypatch.setattr(frames, "read_piece", counting)
    return counts


def _orders(path: Path) -> Path:
    path.write_text("order_id,item,destination,end_user,currency,value,date\n" + "".join(
        f"SO-{i},EAR99,DE,Acme {i % 3} GmbH,EUR,{10 + i},2020-07-01\n" for i in range(ROWS)))
    return path


def _parts_of(path: Path) -> int:
    return len(frames.plan(path, "csv", PER_PART))


def test_batch_parses_each_csv_partition_once(threaded: Client, parsed: Counter[int],
                                              tmp_path: Path) -> None:
    orders = _orders(tmp_path / "orders.csv")
    run = determine_file(threaded, orders, tmp_path / "out.csv", rows_per_partition=PER_PART)
    assert _parts_of(orders) == 3
    assert len(parsed) == 3 and set(parsed.values()) == {1}
    out = pl.read_csv(tmp_path / "out.csv", infer_schema_length=0)
    assert run.rows == ROWS
    assert out["order_id"].to_list() == [f"SO-{i}" for i in range(ROWS)]
    assert out["line"].to_list() == [str(i) for i in range(1, ROWS + 1)]


def test_screen_batch_parses_each_csv_partition_once(threaded: Client, parsed: Counter[int],
                                                     tmp_path: Path) -> None:
    names = tmp_path / "names.csv"
    names.write_text("name\n" + "".join(f"Party {i}\n" for i in range(ROWS - 1))
                     + "Huawei Technologies\n")
    run = screen_file(threaded, names, tmp_path / "hits.csv", "name",
                      spec=workers.default_screener_spec(), rows_per_partition=PER_PART)
    assert len(parsed) == 3 and set(parsed.values()) == {1}
    out = pl.read_csv(tmp_path / "hits.csv", infer_schema_length=0)
    assert run.rows == ROWS and run.hits >= 1
    assert out["row"].to_list() == [str(i) for i in range(1, ROWS + 1)]
    assert out.filter(pl.col("hit_count") != "0")["row"].to_list() == [str(ROWS)]


def test_impact_parses_each_csv_partition_once(threaded: Client, parsed: Counter[int],
                                               tmp_path: Path) -> None:
    """With a currency column the partitions were parsed three times: counted, searched for
    currencies, decided."""
    orders = _orders(tmp_path / "orders.csv")
    result = impact_file(threaded, orders, tmp_path / "impact", date(2020, 6, 1),
                         date(2020, 7, 1), rows_per_partition=PER_PART, rates={"EUR": 1.1})
    assert len(parsed) == 3 and set(parsed.values()) == {1}
    assert result.lines.height == ROWS


def test_a_partition_that_cannot_be_read_is_still_named_by_its_file_line(
        threaded: Client, parsed: Counter[int], tmp_path: Path) -> None:
    """Read once, a bad partition past the first is still refused with the one-process
    message (the file as given, its line), and nothing is written."""
    orders = _orders(tmp_path / "orders.csv")
    with orders.open("a") as f:
        f.write("SO-X,EAR99,DE,Acme,EUR,1,2020-07-01,extra,fields\n")
    out = tmp_path / "out.csv"
    with pytest.raises(InvalidInput) as err:
        determine_file(threaded, orders, out, rows_per_partition=PER_PART)
    assert f"cannot read {orders}:" in str(err.value)
    assert "line 14" in str(err.value), err.value
    assert not out.exists()
    while any(threaded.processing().values()):  # the partitions before it, still running
        time.sleep(0.05)


@pytest.fixture
def stamps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """A layered rules directory, and each stamp taken of it."""
    layered = tmp_path / "rules"
    layered.mkdir()
    shutil.copy(BUNDLED / "country_groups.csv", layered / "country_groups.csv")
    monkeypatch.setenv("EXPORTCHECK_RULES_DIR", str(layered))
    taken: list[Path] = []
    stamp = ruleset_module.files_stamp

    def counting(rules_dir: Path) -> tuple:
        taken.append(Path(rules_dir))
        return stamp(rules_dir)

    monkeypatch.setattr(ruleset_module, "files_stamp", counting)
    workers._cache.clear()  # the worker must get the rule base, not find it from a test before
    return taken


def test_batch_stamps_the_rules_directory_once(threaded: Client, stamps: list[Path],
                                               tmp_path: Path) -> None:
    orders = _orders(tmp_path / "orders.csv")
    determine_file(threaded, orders, tmp_path / "out.csv", rows_per_partition=PER_PART)
    assert len(stamps) == 1
    assert ("rules", workers.rules_spec()) in workers._cache  # the worker used the layered one


def test_impact_stamps_the_rules_directory_once(threaded: Client, stamps: list[Path],
                                                tmp_path: Path) -> None:
    orders = _orders(tmp_path / "orders.csv")
    result = impact_file(threaded, orders, tmp_path / "impact", date(2020, 6, 1),
                         date(2020, 7, 1), rows_per_partition=PER_PART, rates={"EUR": 1.1})
    assert len(stamps) == 1
    assert result.summary.ruleset_version == workers.rules_spec().version
    workers._cache.clear()


def test_a_worker_without_the_clients_rule_base_still_reads_it(tmp_path: Path,
                                                               stamps: list[Path]) -> None:
    """Held rule bases are found by content hash; one not held is read from its files."""
    spec = workers.RulesSpec(str((tmp_path / "rules").resolve()), "0" * 16)
    with pytest.raises(Exception, match="a Dask worker has rule base"):
        workers.ruleset(spec)
    assert stamps  # it looked at its files
    workers._cache.clear()
