"""The Dask cluster the tests of this package run on, and the options that reach it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from distributed import Client, LocalCluster


@contextmanager
def _serving(cluster: LocalCluster) -> Iterator[Client]:
    """A client of ``cluster``; both closed at the end."""
    c = Client(cluster)
    try:
        yield c
    finally:
        c.close()
        cluster.close()


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Client]:
    """Two worker processes, started once; their environment never points at a real data dir."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EXPORTCHECK_DATA_DIR", str(tmp_path_factory.mktemp("workers")))
        mp.delenv("EXPORTCHECK_DATABASE_URL", raising=False)
        mp.delenv("EXPORTCHECK_DASK_SCHEDULER", raising=False)
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                               dashboard_address=None)
    with _serving(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def threaded() -> Iterator[Client]:
    """One in-process worker: a function patched in this process is what its tasks call, and
    its caches are this process's."""
    with _serving(LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                               dashboard_address=None)) as c:
        yield c


@pytest.fixture
def dask_args(client: Client) -> list[str]:
    return ["--scheduler", client.scheduler.address]
