"""PostgreSQL: a post on a licence only this process draws on is one round trip, on the terms
its previous post left (``snapshot.TermsCache``); a stale cache never decides anything.

Each test makes the cache stale the way production does - another process (here: another
``Ledger``, with a cache of its own) draws, suspends or reuses a key in between - and checks
that the post then answers exactly as a post that read the terms under the lock would.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal

import pytest
from ledger_helpers import dsp5, ship
from sqlalchemy import text
from test_round_trips import _pg_trace

from exportcheck.ledger.api import Ledger
from exportcheck.ledger.audit import entry_hash
from exportcheck.ledger.shipments import ShipmentRefused
from exportcheck.ledger.snapshot import TermsCache

pytestmark = pytest.mark.postgres

HAN = "香港警务处"  # a consignee in Han script: the entry's content hash is completed on the server


@pytest.fixture
def pair(pg_server) -> tuple[Ledger, Ledger]:
    """Two ledgers on one database: two processes' caches."""
    url = pg_server.create_database(f"terms_cache_{uuid.uuid4().hex[:8]}")
    mine = Ledger(url, seal_interval=3600, terms_cache=TermsCache())
    other = Ledger(url, seal_interval=3600, terms_cache=TermsCache())
    mine.add_licence(dsp5(parties=[{"role": "applicant", "name": "Acme Arms"},
                                   {"role": "consignee", "name": HAN},
                                   {"role": "end_user", "name": HAN}]))
    return mine, other


def _ship(key: str, value: str = "1000.00", **kw: object) -> dict:
    return ship(key, value=value, consignee=HAN, end_user=HAN, **kw)


def _trips(ledger: Ledger, spec: dict) -> int:
    return _pg_trace(ledger, lambda: ledger.post_shipment(spec))[0]


def _assert_verified(ledger: Ledger) -> None:
    check = ledger.verify_audit()
    assert check.ok and not check.state_mismatches, check.problem


def _payload(ledger: Ledger, seq: int) -> dict:
    with ledger.engine.connect() as c:
        return json.loads(c.execute(text("SELECT payload FROM audit_log WHERE seq = :s"),
                                    {"s": seq}).scalar_one())


def test_a_quiet_licence_is_one_round_trip_and_its_entries_verify(pair):
    mine, _ = pair
    assert _trips(mine, _ship("a")) == 2  # nothing cached: lock and read, then write
    assert _trips(mine, _ship("b")) == 2  # read again: it is what "a" left, so quiet
    assert _trips(mine, _ship("c")) == 1  # BEGIN, lock, write, COMMIT in one flush
    out = mine.post_shipment(_ship("d", value="250.00"))
    assert out.created and out.total_value == Decimal("250.00")
    assert _payload(mine, out.audit_seq)["drawn"][0]["remaining_value"] == "96750.00"
    with mine.engine.connect() as c:  # the content hash the server completed is Python's
        row = c.execute(text("SELECT seq, recorded_at, actor, kind, payload, versions, hash "
                             "FROM audit_log WHERE seq = :s"), {"s": out.audit_seq}).one()
    assert entry_hash(*row[:6], "") == row[6]
    check = mine.verify_audit(seal=False)  # unsealed entries are checked on their own
    assert check.ok, check.problem
    _assert_verified(mine)


def test_a_draw_by_another_process_fails_the_cached_write_and_the_post_reads_again(pair):
    mine, other = pair
    for key in "abc":
        mine.post_shipment(_ship(key))
    other.post_shipment(_ship("theirs", value="5000.00"))
    # the cached write fails on the server (nothing committed), then lock+read, write
    assert _trips(mine, _ship("d")) == 3
    out = mine.post_shipment(_ship("e", value="100.00"))  # read again, now quiet
    assert _payload(mine, out.audit_seq)["drawn"][0]["remaining_value"] == \
        str(Decimal("100000.00") - 4 * Decimal("1000.00") - Decimal("5000.00")
            - Decimal("100.00"))
    line = mine.get_licence("DSP5-T-1").lines[0]
    assert line.shipped_value == Decimal("9100.00") and line.shipped_quantity == 6
    with mine.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM ledger_shipment")).scalar() == 6
    _assert_verified(mine)


def test_a_suspension_by_another_process_is_applied_not_the_cached_status(pair):
    mine, other = pair
    for key in "abc":
        mine.post_shipment(_ship(key))
    # the next post would be checked on the cached terms (status: approved): the statement
    # must refuse them, not the check in Python
    assert mine.terms_cache.quiet("DSP5-T-1", None) is not None
    other.set_status("DSP5-T-1", "suspended", effective=dt.date(2019, 5, 1),
                     reason="diversion inquiry", citation="22 CFR 126.7(a)")
    with pytest.raises(ShipmentRefused, match="suspended"):
        mine.post_shipment(_ship("d"))
    assert mine.get_licence("DSP5-T-1").lines[0].shipped_quantity == 3


def test_a_refusal_on_cached_terms_is_decided_on_terms_read_under_the_lock(pair):
    """The cache can only be behind; a refusal it suggests is checked on the read terms, and
    a shipment that fits the real balance is accepted."""
    mine, _ = pair
    for key in "abc":
        mine.post_shipment(_ship(key))
    with mine.engine.begin() as c:  # a correcting entry made outside this process
        c.execute(text("UPDATE ledger_licence_line SET shipped_value_cents = 0"))
    # cap 110,000 (22 CFR 123.23's 10%): 3,000 + 108,000 is over it, 108,000 alone is not
    assert mine.post_shipment(_ship("big", value="108000.00")).created
    with pytest.raises(ShipmentRefused, match="would exceed the remaining value"):
        mine.post_shipment(_ship("bigger", value="3000.00"))


def test_a_repeated_key_on_the_fast_path_is_answered_from_the_first_post(pair):
    mine, _ = pair
    for key in "abc":
        first = mine.post_shipment(_ship(key))
    again = mine.post_shipment(_ship("c"))
    assert not again.created and again.id == first.id and again.audit_seq == first.audit_seq
    with pytest.raises(Exception, match="already used for a different shipment"):
        mine.post_shipment(_ship("c", value="2.00"))
    assert mine.get_licence("DSP5-T-1").lines[0].shipped_quantity == 3


def test_a_post_under_a_licence_exception_is_one_round_trip_and_replays(pair):
    mine, _ = pair
    spec = {"idempotency_key": "enc-1", "licence_exception": "ENC", "ship_date": "2019-06-01",
            "destination": "GB", "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
            "lines": [{"classification": "5A002", "quantity": 1, "value": "10.00"}]}
    assert _trips(mine, spec) == 1
    first_id = mine.post_shipment(spec)
    assert not first_id.created  # the key's INSERT failed; the read found the first post


def test_threads_sharing_one_cache_never_overdraw(pair):
    """One Ledger (one cache) used by 8 threads on one licence: cached writes race and fail,
    posts fall back to reading under the lock; the licence is drawn exactly to its limit."""
    mine, _ = pair
    posts = [_ship(f"t-{i}", value="1500.00") for i in range(80)]  # 120,000 > 110,000

    def post(spec: dict) -> bool:
        try:
            return mine.post_shipment(spec).created
        except ShipmentRefused:
            return False

    with ThreadPoolExecutor(8) as pool:
        accepted = sum(pool.map(post, posts))
    line = mine.get_licence("DSP5-T-1").lines[0]
    assert line.shipped_value == Decimal("1500.00") * accepted <= Decimal("110000.00")
    assert accepted == 73  # every shipment that fits (10% over the licensed value) was taken
    _assert_verified(mine)


@pytest.mark.parametrize(("change", "refusal"), [
    # a licensed value lowered by hand: the cached caps are stale
    ("UPDATE ledger_licence_line SET value_cents = 300000", "would exceed the remaining value"),
    # a suspension written by other code (a rolling upgrade, a hand correction)
    ("INSERT INTO ledger_licence_status (licence_id, status, effective, reason, citation, "
     "recorded_at) SELECT id, 'suspended', DATE '2019-05-01', 'by hand', '22 CFR 126.7(a)', "
     "now() FROM ledger_licence", "suspended"),
    # the licence's end date moved before the ship date
    ("UPDATE ledger_licence SET valid_to = DATE '2019-05-31'", "expired|outside its validity"),
])
def test_a_change_made_outside_this_code_is_seen_by_a_post_on_cached_terms(pair, change,
                                                                          refusal):
    """Triggers bump the licence's terms_version on any change of its terms, whoever makes it,
    so a post checked on the cached terms cannot go through on the old ones."""
    mine, _ = pair
    for key in "abc":
        mine.post_shipment(_ship(key))
    assert mine.terms_cache.quiet("DSP5-T-1", None) is not None
    with mine.engine.begin() as c:
        c.execute(text(change))
    with pytest.raises(ShipmentRefused, match=refusal):
        mine.post_shipment(_ship("d"))
    assert mine.get_licence("DSP5-T-1").lines[0].shipped_quantity == 3


def test_ledgers_of_one_process_share_its_cache(pg_server):
    """The REST API makes a Ledger per request: posts through new Ledger objects on one
    database still reach the one-statement path (the cache is the process's, per engine)."""
    url = pg_server.create_database(f"terms_shared_{uuid.uuid4().hex[:8]}")
    first = Ledger(url, seal_interval=3600)
    first.add_licence(dsp5(parties=[{"role": "applicant", "name": "Acme Arms"},
                                    {"role": "consignee", "name": HAN},
                                    {"role": "end_user", "name": HAN}]))
    assert _trips(Ledger(url, seal_interval=3600), _ship("a")) == 2
    assert _trips(Ledger(url, seal_interval=3600), _ship("b")) == 2
    request = Ledger(url, seal_interval=3600)
    assert request.terms_cache is first.terms_cache
    assert _trips(request, _ship("c")) == 1
    _assert_verified(request)
