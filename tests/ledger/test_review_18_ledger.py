"""Ledger findings of the QA pass after review 17: a shipment's and a reversal's recorded time
is checked against the audit trail, an expired licence cannot be reinstated, and an
idempotency key reused for other content is an audited refusal.

Every test runs on SQLite and on PostgreSQL (the ``ledger`` fixture).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from ledger_helpers import bis, dsp5, ship
from sqlalchemy.orm import Session

from exportcheck.errors import LedgerError
from exportcheck.ledger import licences
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.audit import recorded_time
from exportcheck.ledger.models import AuditEntry, Shipment, ShipmentReversal
from exportcheck.ledger.shipments import KeyReused, ShipmentRefused

D = dt.date


def _raw(ledger: Ledger, sql: str, **params: object) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def _times(ledger: Ledger, table: str) -> list[tuple[str, dt.datetime, str]]:
    """(key, the row's recorded_at as UTC, its audit entry's recorded_at) for every row."""
    model = {"ledger_shipment": Shipment, "ledger_shipment_reversal": ShipmentReversal}[table]
    with Session(ledger.engine) as s:
        rows = s.execute(sa.select(model.idempotency_key, model.recorded_at,
                                   AuditEntry.recorded_at)
                         .join(AuditEntry, AuditEntry.seq == model.audit_seq)
                         .order_by(model.id)).all()
    return [(k, t.replace(tzinfo=dt.UTC) if t.tzinfo is None else t.astimezone(dt.UTC), a)
            for k, t, a in rows]


@pytest.fixture
def shipped(ledger: Ledger) -> Ledger:
    """Three posts on one licence (on PostgreSQL the later ones take the one-statement path)
    and a reversal."""
    ledger.add_licence(dsp5())
    for key in ("K1", "K2", "K3"):
        ledger.post_shipment(ship(key))
    ledger.reverse_shipment("K2", reason="keyed twice", idempotency_key="R2")
    assert ledger.verify_audit().ok
    return ledger


# -- C: recorded_at of a shipment and of a reversal ------------------------------------------
def test_a_shipment_and_its_reversal_store_their_audit_entrys_time(shipped: Ledger) -> None:
    for table in ("ledger_shipment", "ledger_shipment_reversal"):
        for key, row_time, entry_time in _times(shipped, table):
            assert row_time == recorded_time(entry_time), (table, key)


def test_an_edited_shipment_time_is_named(shipped: Ledger) -> None:
    _raw(shipped, "UPDATE ledger_shipment SET recorded_at = :t WHERE idempotency_key = 'K3'",
         t=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    result = shipped.verify_audit()
    assert not result.ok and result.table == "ledger_shipment" and "'K3'" in result.row
    assert "recorded_at is 2020-01-01 00:00:00+00:00" in result.problem
    assert "but the audit entry was recorded at" in result.problem
    assert shipped.get_shipment("K3").recorded_at.year == 2020  # what `shipments show` reads


def test_an_edited_reversal_time_is_named(shipped: Ledger) -> None:
    _raw(shipped, "UPDATE ledger_shipment_reversal SET recorded_at = :t",
         t=dt.datetime(2031, 5, 1, 9, 30, tzinfo=dt.UTC))
    result = shipped.verify_audit()
    assert not result.ok and result.table == "ledger_shipment_reversal"
    assert "'R2'" in result.row and "recorded_at is 2031-05-01 09:30:00+00:00" in result.problem


def test_rows_written_by_earlier_versions_still_verify(shipped: Ledger) -> None:
    """Earlier versions read the clock again for the row, a little after the entry's time."""
    for table in ("ledger_shipment", "ledger_shipment_reversal"):
        for key, _row, entry_time in _times(shipped, table):
            later = recorded_time(entry_time) + dt.timedelta(microseconds=1500)
            _raw(shipped, f"UPDATE {table} SET recorded_at = :t WHERE idempotency_key = :k",
                 t=later, k=key)
    assert shipped.verify_audit().ok


def test_a_time_in_another_zone_is_the_same_instant(shipped: Ledger) -> None:
    (key, row_time, _entry), *_ = _times(shipped, "ledger_shipment")
    if shipped.engine.dialect.name != "postgresql":
        pytest.skip("SQLite stores no time zone")
    with shipped.engine.begin() as conn:
        conn.execute(sa.text("SET TIME ZONE 'Asia/Hong_Kong'"))
        conn.execute(sa.text("UPDATE ledger_shipment SET recorded_at = :t WHERE "
                             "idempotency_key = :k"),
                     {"t": row_time.astimezone(dt.timezone(dt.timedelta(hours=8))), "k": key})
    assert shipped.verify_audit().ok


# -- D: an expired licence cannot be revived -------------------------------------------------
def _expire(ledger: Ledger, number: str, day: dt.date) -> None:
    ledger.set_status(number, "expired", effective=day, reason="expired early",
                      citation="15 CFR 750.7(g)")


def test_an_expired_licence_cannot_be_reinstated(ledger: Ledger) -> None:
    ledger.add_licence(bis())
    _expire(ledger, "D123456", D(2022, 8, 1))
    with pytest.raises(LedgerError, match=r"D123456 was recorded as expired with effect from "
                                          r"2022-08-01: an expired licence cannot be "
                                          r"reinstated \(15 CFR 750.7\(g\)"):
        ledger.set_status("D123456", "reinstated", effective=D(2022, 9, 1), reason="undo",
                          citation="x")
    spec = ship("K1", "D123456", date="2022-09-02", classification="0A501.a",
                destination="GB", consignee="UK Importer Ltd", end_user="UK Importer Ltd")
    with pytest.raises(ShipmentRefused, match="expired"):
        ledger.post_shipment(spec)
    assert [h.status for h in ledger.get_licence("D123456").history] == ["approved", "expired"]
    assert ledger.verify_audit().ok


def test_a_licence_past_its_validity_cannot_be_reinstated(ledger: Ledger) -> None:
    ledger.add_licence(dsp5(valid_from="2019-03-01", valid_to="2021-02-28"))
    ledger.set_status("DSP5-T-1", "suspended", effective=D(2020, 6, 30), reason="HK",
                      citation="22 CFR 126.7")
    with pytest.raises(LedgerError, match=r"expired on 2021-02-28.*22 CFR 123.21"):
        ledger.set_status("DSP5-T-1", "reinstated", effective=D(2021, 3, 1), reason="lifted",
                          citation="x")
    # up to the end of its validity a suspension is still lifted
    ledger.set_status("DSP5-T-1", "reinstated", effective=D(2021, 2, 28), reason="lifted",
                      citation="x")


def test_a_licence_returned_without_action_cannot_be_reinstated(ledger: Ledger) -> None:
    ledger.add_licence(bis())
    ledger.set_status("D123456", "returned_without_action", effective=D(2021, 1, 4),
                      reason="RWA", citation="BIS letter")
    with pytest.raises(LedgerError, match=r"returned without action.*new licence"):
        ledger.set_status("D123456", "reinstated", effective=D(2021, 2, 1), reason="r",
                          citation="x")


def test_a_reinstatement_dated_before_a_recorded_expiry_lifts_only_the_suspension(
        ledger: Ledger) -> None:
    ledger.add_licence(bis())
    ledger.set_status("D123456", "suspended", effective=D(2022, 1, 1), reason="s",
                      citation="15 CFR 750.8")
    _expire(ledger, "D123456", D(2022, 8, 1))
    ledger.set_status("D123456", "reinstated", effective=D(2022, 3, 1), reason="lifted",
                      citation="15 CFR 750.8")
    assert ledger.get_licence("D123456", as_of=D(2022, 4, 1)).status == "reinstated"
    assert ledger.get_licence("D123456", as_of=D(2022, 9, 1)).status == "expired"


def test_a_reinstatement_an_earlier_version_recorded_after_an_expiry_does_not_revive_it(
        ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ledger written before the refusal may hold one: the licence stays expired, nothing
    can be shipped on it, and the ledger still verifies."""
    ledger.add_licence(bis())
    _expire(ledger, "D123456", D(2022, 8, 1))
    with monkeypatch.context() as m:  # as earlier versions recorded it
        m.setattr(licences, "_check_revival", lambda *args: None, raising=False)
        ledger.set_status("D123456", "reinstated", effective=D(2022, 9, 1), reason="undo",
                          citation="x")
    assert ledger.get_licence("D123456", as_of=D(2022, 9, 2)).status == "expired"
    spec = ship("K1", "D123456", date="2022-09-02", classification="0A501.a",
                destination="GB", consignee="UK Importer Ltd", end_user="UK Importer Ltd")
    with pytest.raises(ShipmentRefused, match="recorded as expired"):
        ledger.post_shipment(spec)
    assert ledger.verify_audit().ok


# -- E: a key reused for other content is an audited refusal ---------------------------------
def _refusals(ledger: Ledger, kind: str) -> list[dict]:
    entries, _ = ledger.audit_entries(kind=kind, newest_first=False)
    return [json.loads(e.payload) for e in entries]


def test_a_shipment_key_reused_for_another_shipment_is_an_audited_refusal(
        ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    first = ledger.post_shipment(ship("K1", value="100.00"))
    with pytest.raises(KeyReused, match="'K1' was already used for a different shipment") as no:
        ledger.post_shipment(ship("K1", value="200.00"), actor="clerk")
    refused = _refusals(ledger, "shipment.refused")
    assert [(p["rule"], p["request"]["lines"][0]["value"]) for p in refused] == [
        ("idempotency_key_reused", "200.00")]
    assert refused[0]["reason"] == str(no.value)
    assert f"(audit entry #{first.audit_seq})" in str(no.value)  # where the first use is
    entries, _ = ledger.audit_entries(kind="shipment.refused")
    assert entries[0].actor == "clerk"
    # the same content is still a replay, not a refusal
    assert not ledger.post_shipment(ship("K1", value="100.00")).created
    assert len(_refusals(ledger, "shipment.refused")) == 1
    assert ledger.verify_audit().ok
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_value == 100


def test_a_reversal_key_reused_for_another_reversal_is_an_audited_refusal(
        ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("K1"))
    ledger.post_shipment(ship("K2"))
    ledger.reverse_shipment("K1", reason="keyed twice", idempotency_key="R1")
    with pytest.raises(KeyReused, match="'R1' was already used for a different reversal"):
        ledger.reverse_shipment("K2", reason="keyed twice", idempotency_key="R1")
    refused = _refusals(ledger, "shipment.reversal_refused")
    assert [(p["rule"], p["request"]["shipment_key"]) for p in refused] == [
        ("idempotency_key_reused", "K2")]
    assert not ledger.get_shipment("K2").reversed
    assert ledger.verify_audit().ok
