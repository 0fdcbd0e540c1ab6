"""A Dask client: to a running scheduler, or to a local cluster of this machine's cores.

Local workers are processes with one thread each: screening and determination are pure Python,
so threads would share one interpreter lock, and a process per core is what a scheduler on
other machines gives too.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from exportcheck.errors import ExportCheckError, InvalidInput

if TYPE_CHECKING:
    from distributed import Client

#: seconds to wait for a scheduler before saying it cannot be reached
CONNECT_TIMEOUT = 10


class SchedulerUnavailable(ExportCheckError):
    """The Dask scheduler named by ``--scheduler`` or ``EXPORTCHECK_DASK_SCHEDULER`` did not
    answer."""

    code = "scheduler_unavailable"


def resolve(use_dask: bool, scheduler: str | None) -> str | None:
    """What the options ask for: ``"local"``, a scheduler address, or None (single process).

    ``--scheduler`` wins over the environment; ``--dask`` with an explicit ``--scheduler`` is
    ambiguous and refused, while ``--dask`` overrides ``EXPORTCHECK_DASK_SCHEDULER``."""
    from exportcheck.settings import get_settings

    if use_dask and scheduler:
        raise InvalidInput("give --dask (a local cluster) or --scheduler ADDRESS, not both")
    if use_dask:
        return "local"
    if scheduler is not None:
        if not scheduler.strip():
            raise InvalidInput("--scheduler needs an address, e.g. tcp://10.0.0.5:8786")
        return scheduler.strip()
    return get_settings().dask_scheduler


@contextmanager
def connect(target: str, *, n_workers: int | None = None) -> Iterator[Client]:
    """A client for ``target`` (``"local"`` or an address), closed on exit.

    ``n_workers``: local cluster size (default: one worker process per core)."""
    from distributed import Client, LocalCluster

    if target != "local":
        try:
            client = Client(target, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as exc:
            raise SchedulerUnavailable(
                f"cannot reach the Dask scheduler at {target}: {exc or type(exc).__name__} "
                "(check the address, or unset EXPORTCHECK_DASK_SCHEDULER to run in one process)"
            ) from None
        try:
            with _cluster_failures(f"at {target}"):
                yield client
        finally:
            client.close()
        return
    cluster = LocalCluster(
        n_workers=n_workers or os.cpu_count() or 1,
        threads_per_worker=1,
        processes=True,
        # no dashboard, and its HTTP server on a free local port: with None it takes 8787,
        # and a second run on the machine (two nightly batches) printed Dask's "Port 8787 is
        # already in use. Perhaps you already have a cluster running?" warning
        dashboard_address="127.0.0.1:0",
        scheduler_kwargs={"dashboard": False},
        silence_logs=logging.ERROR,
    )
    client = Client(cluster)
    try:
        with _cluster_failures("of the local cluster"):
            yield client
    finally:
        client.close()
        cluster.close()


@contextmanager
def _cluster_failures(where: str) -> Iterator[None]:
    """The cluster (``where``: "at ADDRESS") failing under a run, as one ``error:`` line
    rather than Dask's traceback: the scheduler lost, or a worker that died on a partition as
    often as the scheduler allows (out of memory, killed). The outputs are written through
    temporary files, so none is left half-written and an earlier one stays as it was."""
    from distributed import KilledWorker
    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError

    try:
        yield
    except (FutureCancelledError, CommClosedError) as exc:
        why = getattr(exc, "reason", None) or str(exc).split("\n")[0] or type(exc).__name__
        raise SchedulerUnavailable(
            f"lost the Dask scheduler {where} during the run ({why}); nothing was written "
            "(an earlier output is left as it was): run it again"
        ) from None
    except KilledWorker:
        raise SchedulerUnavailable(
            f"a Dask worker {where} died on the same partition as often as the scheduler "
            "allows (out of memory, or killed?); nothing was written: give a smaller "
            "--partition-rows, or workers more memory, and run it again"
        ) from None


def worker_count(client: Client) -> int:
    """Workers connected now (at least 1, so window sizes stay positive)."""
    return max(1, len(client.nthreads()))
