"""Ledger findings of a compliance officer's QA pass (review 28): a licence for an ECCN the
CCL does not have, a retried request spelt differently answered 409, a retried status change
recorded twice, and an audit export that crashed on bytes that are not UTF-8.

Every test but the SQLite-only ones runs on SQLite and on PostgreSQL (the ``ledger`` fixture).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from cli_helpers import one_line_error, run_cli
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import KeyReused

Cli = Callable[[list[str]], tuple[int, str, str]]
D = dt.date


def _entries(ledger: Ledger) -> int:
    return ledger.audit_entries(limit=1)[1]


# -- a licence names ECCNs of the CCL ---------------------------------------------------------
@pytest.mark.parametrize("item", ["5A999", "5A999.a", "3a998.b.1", "9E999"])
def test_a_licence_for_an_eccn_not_on_the_ccl_is_refused_and_nothing_stored(
        ledger: Ledger, item: str) -> None:
    """'5A999' is well-formed, so it was recorded: a line no determination, policy event or
    classification could ever concern."""
    before = _entries(ledger)
    spec = bis(lines=[{"classification": item, "quantity": 1, "value": "100.00"}])
    with pytest.raises(InvalidInput, match=rf"line '{item}'.*{item[:5].upper()} is not on the "
                                           r"Commerce Control List \(15 CFR 774 Supp\. 1\)"):
        ledger.add_licence(spec)
    assert ledger.list_licences() == [] and _entries(ledger) == before


@pytest.mark.parametrize(("agency_spec", "item"), [
    (bis, "EAR99"), (bis, "9A515.a"), (bis, "0A501.x"), (bis, "3a001.a.2"),
    (dsp5, "XI(a)(3)"), (dsp5, "9A515.a"),  # DDTC licences may list EAR items (22 CFR 120.5(b))
])
def test_legitimate_items_are_still_accepted(ledger: Ledger, agency_spec: Callable,
                                             item: str) -> None:
    spec = agency_spec(lines=[{"classification": item, "quantity": 1, "value": "100.00"}])
    assert ledger.add_licence(spec)[1] is True


def test_an_eccn_removed_from_the_ccl_since_the_licence_was_issued_is_accepted(
        ledger: Ledger) -> None:
    """1C018 ends on 30 Jun 2014 in the rule base (its items moved to 1C608): a licence
    issued before then names 1C018, and recording it is a fact, not an error."""
    spec = bis(valid_from="2013-01-02", valid_to="2016-12-31",
               lines=[{"classification": "1C018.b", "quantity": 1, "value": "100.00"}])
    assert ledger.add_licence(spec)[1] is True


def test_an_eccn_the_ccl_names_but_the_rule_base_cannot_itemise_is_accepted(
        ledger: Ledger) -> None:
    """3C007 is a real entry (3E001's RS Column 2 line names it) whose text the rule base
    lacks: a licence for it is real, and refusing it would keep the officer from recording
    it. Shipments draw on it as on any line."""
    spec = bis(lines=[{"classification": "3C007", "quantity": 10, "value": "1000.00"}])
    assert ledger.add_licence(spec)[1] is True
    posted = ledger.post_shipment(ship("k-3c007", "D123456", classification="3C007",
                                       quantity=2, value="200.00", date="2022-03-01",
                                       destination="GB", consignee="UK Importer Ltd",
                                       end_user="UK Importer Ltd"))
    assert posted.created and posted.total_value == 200


def test_cli_refuses_the_licence_file_naming_the_eccn(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    path = tmp_path / "lic.yaml"
    path.write_text(yaml.safe_dump(bis(lines=[{"classification": "5A999", "quantity": 1,
                                               "value": "100.00"}])), encoding="utf-8")
    one_line_error(cli(["licences", "add", str(path), "--db", f"sqlite:///{db}"]),
                   "'5A999'", "not on the Commerce Control List")
    if db.exists():
        with sa.create_engine(f"sqlite:///{db}").connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM ledger_licence")).scalar() == 0
            assert conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar() == 0


# -- a retry spelt differently is the same request ---------------------------------------------
@pytest.mark.parametrize("change", [
    {"destination": "hk"},
    {"consignee": "hong kong  POLICE force", "end_user": " Hong Kong Police Force "},
    {"lines": [{"classification": "i(A)", "quantity": 1, "value": "1000"}]},
    {"lines": [{"classification": "USML I(a)", "quantity": "1.000", "value": "1000.0"}]},
])
def test_a_shipment_retried_in_another_spelling_answers_the_first_post(
        ledger: Ledger, change: dict) -> None:
    ledger.add_licence(dsp5())
    first = ledger.post_shipment(ship("INV-1"))
    before = _entries(ledger)
    again = ledger.post_shipment(ship("INV-1") | change)  # was KeyReused (409 over REST)
    assert (again.id, again.created, again.audit_seq) == (first.id, False, first.audit_seq)
    assert _entries(ledger) == before
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_value == 1000


def test_a_different_shipment_under_the_same_key_is_still_refused(ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    first = ledger.post_shipment(ship("INV-1"))
    with pytest.raises(KeyReused, match=rf"'INV-1'.*audit entry #{first.audit_seq}"):
        ledger.post_shipment(ship("INV-1", value="1001.00"))
    with pytest.raises(KeyReused, match="'INV-1'"):
        ledger.post_shipment(ship("INV-1", consignee="Hong Kong Customs"))
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_value == 1000


def test_a_licence_re_added_in_another_spelling_is_the_same_licence(ledger: Ledger) -> None:
    ledger.add_licence(bis())
    before = _entries(ledger)
    spec = bis(destination="gb")
    spec["lines"][0]["classification"] = "0a501.A"
    spec["lines"][0]["value"] = "10000"
    spec["parties"][1]["name"] = "UK  importer LTD"  # was "already ... with different terms"
    lic, created = ledger.add_licence(spec)
    assert created is False and lic.lines[0].classification == "0A501.a"
    assert _entries(ledger) == before
    other = copy.deepcopy(spec)
    other["lines"][0]["value"] = "10001"
    with pytest.raises(LedgerError, match="different terms"):
        ledger.add_licence(other)


# -- a retried status change is recorded once --------------------------------------------------
def _status(ledger: Ledger, status: str, day: str = "2019-07-01", reason: str = "notice"):
    return ledger.set_status("DSP5-T-1", status, effective=D.fromisoformat(day),
                             reason=reason, citation="22 CFR 126.7")


def test_a_retried_suspension_is_recorded_once_and_answered_as_the_first(
        ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    ledger.post_shipment(ship("INV-1", date="2019-08-01"))
    first = _status(ledger, "suspended")
    assert first.created is True
    before = _entries(ledger)
    again = _status(ledger, "suspended")  # was a second history row and audit entry
    assert again.created is False and _entries(ledger) == before
    assert again.model_dump(exclude={"created"}) == first.model_dump(exclude={"created"})
    assert [h.status for h in again.history] == ["approved", "suspended"]
    assert [s.idempotency_key for s in again.shipments_to_review] == ["INV-1"]


def test_a_retried_reinstatement_answers_instead_of_refusing(ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    _status(ledger, "suspended")
    assert _status(ledger, "reinstated", "2019-09-01").created is True
    before = _entries(ledger)
    again = _status(ledger, "reinstated", "2019-09-01")  # was "is not suspended on ..."
    assert again.created is False and _entries(ledger) == before
    assert [h.status for h in again.history] == ["approved", "suspended", "reinstated"]
    assert ledger.verify_audit().ok


def test_a_different_status_change_is_still_recorded(ledger: Ledger) -> None:
    ledger.add_licence(dsp5())
    _status(ledger, "suspended")
    assert _status(ledger, "suspended", reason="a second notice").created is True
    assert _status(ledger, "revoked").created is True
    with pytest.raises(LedgerError, match="revocation is final"):
        _status(ledger, "reinstated", "2019-09-01")
    history = [h.status for h in ledger.get_licence("DSP5-T-1").history]
    assert history == ["approved", "suspended", "suspended", "revoked"]


def test_cli_says_a_retried_suspension_was_already_recorded(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    Ledger(db).add_licence(dsp5())
    args = ["licences", "suspend", "DSP5-T-1", "--effective", "2019-07-01", "--reason",
            "notice", "--citation", "22 CFR 126.7", "--db", db]
    code, out, err = cli(args)
    assert code == 0 and "already recorded" not in out, err
    before = _entries(Ledger(db))
    code, out, err = cli(args)
    assert code == 0 and "already recorded" in " ".join(out.split()), (out, err)
    assert _entries(Ledger(db)) == before


# -- an audit entry holding bytes that are not UTF-8 (SQLite keeps what it is given) ----------


def _tamper(ledger: Ledger, edit: str) -> bytes:
    """Drop the append-only trigger, edit entry #3; returns the stored row, as bytes."""
    with ledger.engine.begin() as conn:
        conn.execute(sa.text("DROP TRIGGER IF EXISTS audit_log_no_update"))
        conn.execute(sa.text(f"UPDATE audit_log SET {edit} WHERE seq = 3"))
    return _stored(ledger)


def _stored(ledger: Ledger) -> bytes:
    with sqlite3.connect(ledger.engine.url.database) as conn:
        return b"|".join(bytes(v) for v in conn.execute(
            "SELECT CAST(actor AS BLOB), CAST(payload AS BLOB) FROM audit_log WHERE seq = 3"
        ).fetchone())


EDITS = [
    ("payload = payload || CAST(x'ff' AS TEXT)", "payload", "not UTF-8"),
    ("payload = CAST(x'7bff7d' AS BLOB)", "payload", "blob"),
    ("actor = CAST(x'61c3' AS TEXT)", "actor", "not UTF-8"),
]


@pytest.mark.parametrize(("edit", "column", "says"), EDITS)
def test_export_writes_a_tampered_entry_escaped_and_names_it(on_sqlite: Ledger, edit: str,
                                                             column: str, says: str) -> None:
    stored = _tamper(on_sqlite, edit)
    out = io.StringIO()  # was OperationalError "Could not decode to UTF-8" / bytes not JSON
    assert on_sqlite.export_audit(out, fmt="json") == 4
    doc = json.loads(out.getvalue())
    assert (doc["chain"]["ok"], doc["chain"]["first_bad"]) == (False, 3)
    assert "entry #3 cannot be read" in doc["chain"]["problem"]
    bad = doc["entries"][2]
    assert bad["seq"] == 3 and "\\x" in bad[column]
    assert (bad["payload_parsed"] is None) == (column == "payload")
    assert says in bad["unreadable"][column]
    assert "unreadable" not in doc["entries"][1]
    rows = list(csv.DictReader(io.StringIO(_csv(on_sqlite))))
    assert len(rows) == 4 and "\\x" in rows[2][column] and not rows[2][column].startswith("b'")
    assert on_sqlite.verify_audit().first_bad == 3
    assert _stored(on_sqlite) == stored  # the evidence is left as it is


def _csv(ledger: Ledger) -> str:
    out = io.StringIO()
    ledger.export_audit(out, fmt="csv")
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_cli_export_of_a_tampered_entry_warns_and_exits_1(on_sqlite: Ledger, capsys,
                                                          tmp_path: Path, fmt: str) -> None:
    stored = _tamper(on_sqlite, EDITS[0][0])
    url = on_sqlite.engine.url.render_as_string(hide_password=False)
    target = tmp_path / f"trail.{fmt}"
    code, _, err = run_cli(capsys, "audit", "export", "--db", url, "--format", fmt,
                           "-o", str(target))
    assert code == 1 and "Traceback" not in err, err
    assert "does not verify (BROKEN at entry #3" in " ".join(err.split())
    assert target.read_text(encoding="utf-8").count("\\xff") == 1
    code, out, _ = run_cli(capsys, "audit", "verify", "--db", url)
    assert code == 1 and "entry #3" in out
    assert _stored(on_sqlite) == stored
