"""Review 40: a run on Dask that ends early cancels the parts it had submitted ahead.

``ordered`` keeps up to ``window`` parts submitted ahead of the one it gathers. When a part
failed, those went on computing on a scheduler that outlives the run (the traceback held their
futures), for results nobody would read; so did they when the caller stopped reading."""

from __future__ import annotations

import threading

import pytest
from distributed import Client, Future

from exportcheck.scale.output import ordered

#: the gates of this process, by name: the in-process worker runs its tasks here, and a task's
#: arguments are pickled (an Event cannot be)
_GATES: dict[str, threading.Event] = {}


def _part(i: int, gate: str) -> int:
    """Part 0 fails at once, part 1 answers at once; the others wait for ``gate`` (on the one
    thread of the in-process worker), so they are still queued or running when the run ends."""
    if i == 0:
        raise ValueError("part 0 is unreadable")
    if i > 1:
        _GATES[gate].wait(30)
    return i


def _submitting(client: Client, gate: str, futures: list[Future]):
    _GATES[gate] = threading.Event()

    def submit(i: int) -> Future:
        future = client.submit(_part, i, gate, pure=False)
        futures.append(future)
        return future

    return submit


def test_a_failed_part_cancels_the_parts_submitted_ahead(threaded: Client) -> None:
    gate, futures = "failed", []
    try:
        with pytest.raises(ValueError, match="part 0 is unreadable"):
            list(ordered(_submitting(threaded, gate, futures), 10, window=4))
        assert len(futures) == 4  # the window, not the whole run
        assert [f.status for f in futures[2:]] == ["cancelled"] * 2
    finally:
        _GATES.pop(gate).set()


def test_a_caller_that_stops_reading_cancels_the_rest(threaded: Client) -> None:
    gate, futures = "stopped", []
    submit = _submitting(threaded, gate, futures)
    try:
        run = ordered(lambda i: submit(i + 1), 10, window=3)  # no failing part
        assert next(run) == 1
        run.close()
        assert len(futures) == 3
        assert [f.status for f in futures[1:]] == ["cancelled"] * 2
    finally:
        _GATES.pop(gate).set()
