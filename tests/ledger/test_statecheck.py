"""`audit verify` checks the state tables against the chain, not only the log itself.

Someone with raw database access who leaves ``audit_log`` alone but edits the ledger tables
(a licence line's value x100, a deleted suspension, an edited shipment line, a shipment inserted
without an audit entry) is caught, naming the table, the row and the audit entry contradicted.
"""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
import typer
from ledger_helpers import POLICE, dsp5, ship
from typer.testing import CliRunner

from exportcheck.cli import ledger_cmds


@pytest.fixture
def busy(ledger):
    """Licences, shipments, a suspension, a policy event, a back-filled licence, a refusal and
    a shipment under a licence exception: every kind of state change."""
    ledger.add_licence(dsp5())                                      # entry 1
    ledger.add_licence(dsp5("DSP5-T-2", value="5000.00"))           # entry 2
    ledger.post_shipment(ship("s1", value="1000.00", quantity=2))   # entry 3
    ledger.post_shipment(ship("s2", value="250.50"))                # entry 4
    ledger.set_status("DSP5-T-2", "suspended", effective=dt.date(2020, 6, 30),
                      reason="HK", citation="22 CFR 126.7")         # entry 5
    ledger.post_shipment({"idempotency_key": "lvs-1", "licence_exception": "LVS",
                          "ship_date": "2022-05-01", "destination": "GB",
                          "consignee": "UK Importer Ltd", "end_user": "UK Importer Ltd",
                          "lines": [{"classification": "0A501.x", "quantity": 1,
                                     "value": "450.00"}]})          # entry 6 (LVS: $500)
    ledger.apply_policy_event({"key": "hk", "title": "HK policy of denial", "action": "revoked",
                               "effective": "2020-07-15", "citation": "85 FR 43413",
                               "filter": {"destinations": ["HK"]}})  # entry 7
    ledger.add_licence(dsp5("DSP5-T-3", valid_from="2019-05-01"))   # entries 8, 9 (back-filled)
    with pytest.raises(Exception, match="revoked"):
        ledger.post_shipment(ship("late", date="2020-08-01"))       # entry 10 (refusal)
    result = ledger.verify_audit()
    assert result.ok and result.state_checked, result.problem
    assert result.unverifiable == [] and result.checked == 10
    return ledger


def _raw(ledger, sql: str, **params) -> None:
    with ledger.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def _scalar(ledger, sql: str, **params):
    with ledger.engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar()


def test_edited_licence_value_is_named(busy):
    line_id = _scalar(busy, "SELECT l.id FROM ledger_licence_line l JOIN ledger_licence c "
                            "ON c.id = l.licence_id WHERE c.number = 'DSP5-T-1'")
    _raw(busy, "UPDATE ledger_licence_line SET value_cents = value_cents * 100 WHERE id = :i",
         i=line_id)
    result = busy.verify_audit()
    assert not result.ok and result.first_bad == 1
    assert result.table == "ledger_licence_line" and f"id={line_id}" in result.row
    assert "value_cents is 1000000000" in result.problem and "#1" in result.problem
    assert busy.verify_audit(state=False).ok  # the log itself is intact


def test_deleted_status_row_is_named(busy):
    _raw(busy, "DELETE FROM ledger_licence_status WHERE status = 'suspended'")
    result = busy.verify_audit()
    assert not result.ok and result.first_bad == 5
    assert result.table == "ledger_licence_status" and "DSP5-T-2" in result.row
    assert "suspended" in result.problem and "missing" in result.problem


def test_deleted_policy_status_row_is_named(busy):
    _raw(busy, "DELETE FROM ledger_licence_status WHERE status = 'revoked' AND licence_id = "
               "(SELECT id FROM ledger_licence WHERE number = 'DSP5-T-1')")
    result = busy.verify_audit()
    assert (result.ok, result.first_bad, result.table) == (False, 7, "ledger_licence_status")


def test_edited_shipment_line_is_named(busy):
    line_id = _scalar(busy, "SELECT l.id FROM ledger_shipment_line l JOIN ledger_shipment s "
                            "ON s.id = l.shipment_id WHERE s.idempotency_key = 's2'")
    _raw(busy, "UPDATE ledger_shipment_line SET value_cents = 5 WHERE id = :i", i=line_id)
    result = busy.verify_audit()
    assert not result.ok and result.first_bad == 4
    assert result.table == "ledger_shipment_line" and f"id={line_id}" in result.row
    assert "value_cents is 5" in result.problem and "25050" in result.problem
    # ...and the licence line's drawn total no longer equals its shipment lines either
    assert busy.balance_mismatches()


def test_inserted_shipment_without_audit_entry_is_named(busy):
    lic_id = _scalar(busy, "SELECT id FROM ledger_licence WHERE number = 'DSP5-T-1'")
    _raw(busy, "INSERT INTO ledger_shipment (idempotency_key, request_hash, licence_id, "
               "ship_date, destination, consignee, end_user, reference, actor, recorded_at, "
               "audit_seq) VALUES ('ghost', 'x', :l, '2019-07-01', 'HK', :p, :p, '', "
               "'mallory', '2026-01-01 00:00:00+00', 4)", l=lic_id, p=POLICE)
    result = busy.verify_audit()
    assert not result.ok and result.first_bad is None
    assert result.table == "ledger_shipment" and "'ghost'" in result.row
    assert "no shipment.posted entry" in result.problem


def test_deleted_shipment_and_edited_licence_fields(busy):
    _raw(busy, "UPDATE ledger_licence SET valid_to = '2030-01-01', destination = 'GB' "
               "WHERE number = 'DSP5-T-3'")
    result = busy.verify_audit()
    assert (result.first_bad, result.table) == (8, "ledger_licence")
    assert "valid_to" in " ".join(result.state_mismatches)
    assert "destination" in " ".join(result.state_mismatches)


def test_edited_party_is_named(busy):
    _raw(busy, "UPDATE ledger_licence_party SET name = 'Someone Else' WHERE role = 'end_user' "
               "AND licence_id = (SELECT id FROM ledger_licence WHERE number = 'DSP5-T-2')")
    result = busy.verify_audit()
    assert (result.first_bad, result.table) == (2, "ledger_licence_party")


def test_cli_names_table_row_and_entry(busy, db_url):
    _raw(busy, "DELETE FROM ledger_licence_status WHERE status = 'suspended'")
    app = typer.Typer()
    ledger_cmds.register(app)
    out = CliRunner().invoke(app, ["audit", "verify", "--db", db_url])
    assert out.exit_code == 1
    text = " ".join(out.output.split())
    assert "TAMPERED" in text and "ledger_licence_status licence DDTC DSP5-T-2" in text
    assert "audit entry #5" in text


def test_unreplayable_entry_is_reported_not_fatal(ledger):
    ledger.add_licence(dsp5())
    ledger.append_event(kind="licence.status", actor="someone", payload={"odd": True})
    result = ledger.verify_audit()
    assert result.ok and result.unverifiable and result.unverifiable[0].startswith("#2")
