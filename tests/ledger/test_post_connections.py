"""PostgreSQL: shipment posts run on connections the process keeps (``pgpost.PostConnections``)
instead of a pool checkout per post. A kept connection must never carry anything from one post
into the next: whatever a post leaves open is rolled back (its licence lock released), and a
connection the server dropped is replaced, not reused.
"""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from ledger_helpers import dsp5, ship
from psycopg import pq
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from exportcheck.errors import LedgerError
from exportcheck.ledger import pgpost
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

pytestmark = pytest.mark.postgres
IDLE = pq.TransactionStatus.IDLE


@pytest.fixture
def ledger(pg_server) -> Ledger:
    led = Ledger(pg_server.create_database(f"kept_{uuid.uuid4().hex[:8]}"), seal_interval=3600)
    led.add_licence(dsp5())
    return led


def _kept(ledger: Ledger) -> list:
    return pgpost.connections(ledger.engine).idle()


def _licence_locked(ledger: Ledger) -> bool:
    """Whether some session still holds the licence's row lock."""
    with ledger.engine.connect() as c:
        try:
            c.execute(text("SELECT id FROM ledger_licence FOR UPDATE NOWAIT")).all()
            return False
        except OperationalError:
            return True
        finally:
            c.rollback()


def _assert_clean(ledger: Ledger) -> None:
    [raw] = _kept(ledger)
    assert raw.autocommit and raw.info.transaction_status == IDLE
    assert not _licence_locked(ledger)


def test_posts_reuse_one_kept_connection(ledger):
    ledger.post_shipment(ship("a"))
    [raw] = _kept(ledger)
    for key in "bcd":
        ledger.post_shipment(ship(key))
    assert _kept(ledger) == [raw]
    _assert_clean(ledger)
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_quantity == 4


def test_a_refusal_under_the_licence_lock_is_rolled_back_before_reuse(ledger):
    # nothing cached yet: the post locks and reads the licence, then is refused
    with pytest.raises(ShipmentRefused, match="would exceed the remaining value"):
        ledger.post_shipment(ship("big", value="999999.00"))
    _assert_clean(ledger)
    assert ledger.post_shipment(ship("after")).created
    _assert_clean(ledger)


def test_a_reused_key_for_another_shipment_is_rolled_back_before_reuse(ledger):
    ledger.post_shipment(ship("k"))
    with pytest.raises(LedgerError, match="already used for a different shipment"):
        ledger.post_shipment(ship("k", value="5.00"))
    _assert_clean(ledger)
    assert not ledger.post_shipment(ship("k")).created


def test_an_error_between_the_read_and_the_write_is_rolled_back_before_reuse(ledger,
                                                                               monkeypatch):
    def boom(*_args, **_kw):
        raise RuntimeError("boom")

    with monkeypatch.context() as m:
        m.setattr(pgpost, "write_and_commit", boom)
        with pytest.raises(RuntimeError, match="boom"):
            ledger.post_shipment(ship("x"))
    _assert_clean(ledger)
    assert ledger.post_shipment(ship("x")).created
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_quantity == 1
    assert ledger.verify_audit().ok


def _terminate(ledger: Ledger, pids: list[int]) -> None:
    with sa.create_engine(ledger.engine.url, poolclass=sa.pool.NullPool).connect() as admin:
        for pid in pids:
            admin.exec_driver_sql(f"SELECT pg_terminate_backend({pid})")


def test_a_connection_the_server_dropped_is_replaced_not_kept(ledger):
    ledger.post_shipment(ship("before"))
    [raw] = _kept(ledger)
    dead = raw.info.backend_pid
    _terminate(ledger, [dead])
    assert ledger.post_shipment(ship("after")).created  # retried on a new connection
    [new] = _kept(ledger)
    assert raw.closed and new is not raw and new.info.backend_pid != dead
    _assert_clean(ledger)


def test_a_connection_idle_for_the_ping_interval_is_pinged_first(ledger, monkeypatch):
    ledger.post_shipment(ship("before"))
    [raw] = _kept(ledger)
    _terminate(ledger, [raw.info.backend_pid])
    monkeypatch.setattr(pgpost, "PING_AFTER_IDLE_SECONDS", 0.0)
    # no retry at this level: the ping finds the dead connection and a new one is used
    with pgpost.connections(ledger.engine).cursor() as cur:
        assert cur.connection is not raw and cur.execute("SELECT 1").fetchone() == (1,)
    assert raw.closed


def test_disposing_the_engine_closes_the_kept_connections(ledger):
    ledger.post_shipment(ship("a"))
    [raw] = _kept(ledger)
    ledger.engine.dispose()
    assert raw.closed and _kept(ledger) == []
    assert ledger.post_shipment(ship("b")).created
