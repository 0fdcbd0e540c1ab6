"""From an external auditor's QA pass on the audit trail (SQLite and PostgreSQL): a mistyped
anchor is refused rather than reported as a rewritten log; entries and rows edited outside
exportcheck into values their columns cannot hold are named by ``audit verify`` and shown by
the export, the REST listing and the Audit page instead of crashing them."""

from __future__ import annotations

import io
import json

import pytest
import sqlalchemy as sa
from cli_helpers import run_cli
from ledger_helpers import dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.audit import parse_anchor


@pytest.fixture
def filled(ledger):
    ledger.add_licence(dsp5())
    for i in range(3):
        ledger.post_shipment(ship(f"s{i}", value="100.00"))
    assert ledger.verify_audit().ok
    return ledger


@pytest.mark.parametrize("anchor", [
    "4:" + "z" * 64,   # 64 characters, not hex: would read as "the log was rewritten"
    "0:" + "0" * 64,   # there is no entry #0: would read as "the log was truncated"
    "²:" + "a" * 64,   # str.isdigit() takes it, int() did not: a traceback
    "-4:" + "a" * 64,
])
def test_a_mistyped_anchor_is_refused_not_reported_as_tampering(anchor):
    with pytest.raises(InvalidInput, match="SEQ:SHA256HEX"):
        parse_anchor(anchor)


def test_anchor_accepts_what_verify_prints():
    digest = "059fcead42332d26f1eac79ce227628f2ab0bfa5d053c1b5f6627cd1c7222cf5"
    assert parse_anchor(f" 20 : {digest.upper()} ") == (20, digest)


def test_two_anchors_for_one_entry_that_disagree_are_refused(filled):
    head = filled.verify_audit()
    right, wrong = (head.head_seq, head.head_hash), (head.head_seq, "a" * 64)
    # the wrong one given first was silently replaced by the right one: "OK"
    with pytest.raises(InvalidInput, match=f"two anchors for entry #{head.head_seq}"):
        filled.verify_audit([wrong, right])
    assert filled.verify_audit([right, right]).ok
    assert filled.verify_audit([(head.head_seq, head.head_hash.upper())]).ok


def _tamper(ledger, *sql: str) -> None:
    """Act as someone with raw database access: drop the append-only triggers, then edit."""
    with ledger.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"))
        else:
            conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        for stmt in sql:
            conn.execute(sa.text(stmt))


def test_export_of_an_entry_edited_into_text_that_is_not_json_writes_it_as_stored(filled):
    _tamper(filled, "UPDATE audit_log SET payload = '{\"decision\": accepted' WHERE seq = 3")
    result = filled.verify_audit()
    assert (result.ok, result.first_bad) == (False, 3) and "edited" in result.problem
    out = io.StringIO()  # the JSON export parsed every payload: a traceback, half a file
    assert filled.export_audit(out, fmt="json") == 4
    doc = json.loads(out.getvalue())
    assert doc["chain"]["ok"] is False and doc["chain"]["first_bad"] == 3
    edited = doc["entries"][2]
    assert edited["payload"] == '{"decision": accepted' and edited["payload_parsed"] is None
    assert doc["entries"][1]["payload_parsed"]["decision"] == "accepted"


# -- values their columns cannot hold: SQLite stores what a raw statement gives it ----------


@pytest.mark.parametrize(("edit", "says"), [
    ("payload = payload || CAST(x'ff' AS TEXT)", "payload holds text that is not UTF-8"),
    ("payload = CAST(payload AS BLOB)", "payload holds blob"),
    ("recorded_at = CAST(x'c3' AS TEXT)", "recorded_at holds text that is not UTF-8"),
])
def test_verify_names_an_entry_edited_into_what_its_column_cannot_hold(on_sqlite, edit, says):
    _tamper(on_sqlite, f"UPDATE audit_log SET {edit} WHERE seq = 3")  # was a traceback
    result = on_sqlite.verify_audit(seal=False)
    assert (result.ok, result.first_bad, result.table) == (False, 3, None)
    assert "entry #3 cannot be read" in result.problem and says in result.problem


@pytest.mark.parametrize(("table", "edit", "says"), [
    ("ledger_shipment", "ship_date = '2024-13-45'", "ship_date holds text '2024-13-45'"),
    ("ledger_shipment", "recorded_at = 'yesterday'", "recorded_at holds text 'yesterday'"),
    ("ledger_shipment", "consignee = consignee || CAST(x'ff' AS TEXT)",
     "consignee holds text that is not UTF-8"),
    ("ledger_licence", "valid_to = 'soon'", "valid_to holds text 'soon', not a DATE"),
    ("ledger_licence_line", "description = CAST(x'c3' AS TEXT)",
     "description holds text that is not UTF-8"),
])
def test_verify_names_a_row_edited_into_what_its_column_cannot_hold(on_sqlite, table, edit,
                                                                     says):
    _tamper(on_sqlite, f"UPDATE {table} SET {edit} WHERE id = 1")  # was a traceback
    result = on_sqlite.verify_audit()
    assert (result.ok, result.table, result.row) == (False, table, "id=1")
    assert result.checked == 4 and says in result.problem, result.problem
    assert on_sqlite.balance_mismatches() == []  # the drawn totals alone still read


def test_verify_names_provisos_edited_into_text_that_is_not_json(filled):
    _tamper(filled, "UPDATE ledger_licence SET provisos = 'none' WHERE id = 1")
    result = filled.verify_audit()  # was a JSONDecodeError, on PostgreSQL too
    assert (result.ok, result.table, result.row) == (False, "ledger_licence", "id=1")
    assert "provisos holds 'none', which is not JSON" in result.problem


def test_cli_names_a_chain_it_cannot_read_without_an_entry_number(on_sqlite, capsys,
                                                                  tmp_path):
    _tamper(on_sqlite, "UPDATE audit_log SET seq = 'four' WHERE seq = 4")
    url = on_sqlite.engine.url.render_as_string(hide_password=False)
    code, out, _ = run_cli(capsys, "audit", "verify", "--no-seal", "--db", url)
    out = " ".join(out.split())
    assert code == 1
    assert out.startswith("BROKEN: the chain cannot be read: audit_log seq='four'"), out
    assert "#None" not in out
    # the export warns the same way (its warning read a balance mismatch there was not)
    code, _, err = run_cli(capsys, "audit", "export", "--db", url, "-o",
                           str(tmp_path / "trail.json"))
    assert code == 1 and "the audit trail does not verify (BROKEN: the chain cannot" in err


def test_a_deleted_chain_head_is_named_not_a_traceback(filled):
    _tamper(filled, "DELETE FROM audit_head")  # no trigger guards the head row
    result = filled.verify_audit()  # sealed first: NoResultFound, as did --no-seal
    assert (result.ok, result.first_bad) == (False, None)
    assert "chain head (audit_head row 1) is missing" in result.problem
    assert not filled.verify_audit(seal=False).ok
    out = io.StringIO()  # the export still writes the entries, saying the trail is broken
    assert filled.export_audit(out, fmt="json") == 4
    assert "is missing" in json.loads(out.getvalue())["chain"]["problem"]
    with pytest.raises(LedgerError, match="nothing can be sealed"):
        filled.seal()
