"""Review 40: Dask workers read the ``--owners`` file by its path, as the client gave it. A
worker on another machine may find another file there, or none: it used the other file's
stakes without a word (the spec named the file by path, modification time and size; a
worker's check read none of them). Now the client's spec carries the content's digest, the
worker parses the very bytes it checked, and a difference stops the run naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
from distributed import Client

from exportcheck.errors import InvalidInput
from exportcheck.scale import workers
from exportcheck.scale.batch import determine_file


def _owners(path: Path, owner: str) -> Path:
    path.write_text(f'owner,owned,percent\n"{owner}",Acme Holdings HK,60\n')
    return path


def _orders(tmp_path: Path) -> Path:
    path = tmp_path / "orders.csv"
    path.write_text("order_id,item,destination,date,end_user,value\n"
                    "SO-1,EAR99,HK,2021-01-15,Acme Holdings HK,10\n")
    return path


@pytest.fixture(autouse=True)
def _fresh_worker_cache() -> None:
    workers._cache.clear()


def test_a_worker_reads_the_stakes_the_client_checked(tmp_path: Path) -> None:
    spec = workers.owners_spec(_owners(tmp_path / "owners.csv", "Banco Nacional de Cuba"))
    assert spec is not None
    graph = workers.ownership(spec)
    assert [s.owner for s in graph.stakes] == ["Banco Nacional de Cuba"]


def test_another_file_at_the_path_on_a_worker_is_refused_naming_it(tmp_path: Path) -> None:
    path = _owners(tmp_path / "owners.csv", "Banco Nacional de Cuba")
    spec = workers.owners_spec(path)
    _owners(path, "Banco Nacional de Cubb")  # same size, another owner
    with pytest.raises(InvalidInput, match=r"owners file .*owners.csv on a Dask worker is not "
                                            r"the one the client read"):
        workers.ownership(spec)


def test_no_file_at_the_path_on_a_worker_is_refused_naming_it(tmp_path: Path) -> None:
    path = _owners(tmp_path / "owners.csv", "Banco Nacional de Cuba")
    spec = workers.owners_spec(path)
    path.unlink()
    with pytest.raises(InvalidInput, match=r"a Dask worker cannot read the owners file "
                                            r".*owners.csv the client read"):
        workers.ownership(spec)


def test_a_run_whose_owners_file_changed_stops_and_writes_nothing(
        threaded: Client, tmp_path: Path) -> None:
    path = _owners(tmp_path / "owners.csv", "Banco Nacional de Cuba")
    spec = workers.owners_spec(path)
    _owners(path, "Someone Else Entirely Ltd")
    out = tmp_path / "out.csv"
    with pytest.raises(InvalidInput, match="not the one the client read"):
        determine_file(threaded, _orders(tmp_path), out, owners=spec)
    assert not out.exists()
