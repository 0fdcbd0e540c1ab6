"""Dask task keys and worker caches (review 38): a partition's key names the file's state, so
two runs on one path with different contents never share a partition on one scheduler; a
worker keeps at most two screeners (the old and new side of an impact run), not twelve."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
from distributed import Client

from exportcheck.scale import frames, workers
from exportcheck.screen.service import SAMPLES_DIR


def _orders(path: Path, customer: str) -> None:
    path.write_text("order_id,item,destination,end_user\n"
                    + "".join(f"SO-{i},EAR99,DE,{customer}\n" for i in range(6)))


def test_two_runs_on_one_path_with_other_contents_each_get_their_own_rows(
        threaded: Client, tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    _orders(path, "Acme GmbH")
    first = threaded.compute(frames.read_parts(threaded, path, "csv", 3))
    assert pl.concat(threaded.gather(first))["end_user"].unique().to_list() == ["Acme GmbH"]
    # the first run still holds its partitions; the file is rewritten, same size, by another
    _orders(path, "Bcme GmbH")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    second = threaded.compute(frames.read_parts(threaded, path, "csv", 3))
    got = pl.concat(threaded.gather(second))
    assert got["end_user"].unique().to_list() == ["Bcme GmbH"]
    assert got["_row"].to_list() == list(range(6))
    assert {f.key for f in first}.isdisjoint(f.key for f in second)
    # and the first run's answer is still its own
    assert pl.concat(threaded.gather(first))["end_user"].unique().to_list() == ["Acme GmbH"]


def test_a_worker_keeps_two_screeners_the_latest_used(tmp_path: Path) -> None:
    """Three list files in turn: the first is evicted, the two later ones kept; a new version
    of a file (changed since) is a new key and evicts the least recently used."""
    workers._cache.clear()
    specs = [workers.paths_screener_spec([shutil.copytree(SAMPLES_DIR, tmp_path / f"l{i}")])
             for i in range(3)]
    loaded = [workers.screener(s) for s in specs]
    assert workers.cached_kinds()["screener"] == 2
    assert workers.screener(specs[2]) is loaded[2] and workers.screener(specs[1]) is loaded[1]
    assert workers.screener(specs[0]) is not loaded[0]  # loaded again: it had been evicted
    assert workers.cached_kinds()["screener"] == 2
    assert workers.screener(specs[1]) is loaded[1]  # kept: used more recently than specs[2]
    # other kinds keep their own two
    rules = workers.rules_spec()
    workers.ruleset(rules)
    assert workers.cached_kinds() == {"screener": 2, "rules": 1}
    workers._cache.clear()
