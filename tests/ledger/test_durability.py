"""Fault injection: a writer process is SIGKILLed at random points, many times, on each backend.

The engine is :mod:`exportcheck.ledger.faults` (``benchmarks/faults.py --kills 1000`` runs it at
scale): each round a forked writer posts shipments, licences, status changes and audit events,
seals now and then, and journals each operation after its commit returned; it is killed after a
random delay, and the database must then hold every journaled operation, no half-applied
shipment or licence, balances equal to the sum of the shipments, and - after a final seal - a
chain that verifies with every entry in it exactly once.
"""

from __future__ import annotations

import os

import pytest

from exportcheck.ledger.faults import run_faults

KILLS = 30


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_sigkill_never_loses_or_half_applies(db_url, tmp_path):
    report = run_faults(db_url, KILLS, tmp_path / "journal", seed=5, verify_every=10)
    assert report.ok, report.problems
    assert report.kills == KILLS and report.full_verifications == KILLS // 10
    assert (report.lost, report.half_applied, report.balance_problems) == (0, 0, 0)
    assert report.chain_ok and report.shipments > 0  # the writers made real progress
    print(f"\n[{report.database}] kills={report.kills} (while sealing "
          f"{report.kills_while_sealing}, inside a write {report.kills_while_writing}) "
          f"shipments={report.shipments} entries={report.entries} lost=0 half_applied=0 "
          f"committed_before_ack={report.committed_unacked} {report.seconds:.1f}s")
