"""Review 17, ledger: money with a comma, one item spelt two ways (duplicate lines, shipments,
policy prefixes), a --db that is no ledger, reinstating a revoked licence, exporting a
tampered trail, and audit CSV safe to open in a spreadsheet."""

from __future__ import annotations

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
from cli_helpers import one_line_error
from ledger_helpers import POLICE, bis, dsp5, ship

from exportcheck.errors import InvalidInput, LedgerError
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.audit import GENESIS_HASH, entry_hash
from exportcheck.ledger.shipments import ShipmentRefused

Cli = Callable[[list[str]], tuple[int, str, str]]


def _ship_args(db: Path, item: str, key: str) -> list[str]:
    return ["ship", "--db", f"sqlite:///{db}", "--exception", "LVS", "--date", "2024-06-01",
            "--to", "DE", "--consignee", "Berlin GmbH", "--end-user", "Berlin GmbH",
            "--item", item, "--key", key]


# -- M3: a decimal comma in ship --item -----------------------------------------------------
@pytest.mark.parametrize("item", ["3A001.a.2=1@12,50", "3A001.a.2=1@1,2,3,4",
                                  "3A001.a.2=1@1,250.00", "3A001.a.2=1,5@10"])
def test_a_comma_in_an_item_amount_is_refused(cli: Cli, tmp_path: Path, item: str) -> None:
    """'12,50' drew $1,250.00 (every comma was dropped)."""
    db = tmp_path / "l.db"
    one_line_error(cli(_ship_args(db, item, "comma")), "comma", "12.50")
    ok = cli(_ship_args(db, "3A001.a.2=1@12.50", "point"))
    assert ok[0] == 0 and "$12.50" in ok[1]


# -- M6 / M5: one item spelt two ways ------------------------------------------------------
@pytest.mark.parametrize(("first", "second"), [
    ("3A001.a.2", "3A001.a .2"), ("3A001.a.2", "3a001.A.2"), ("XI(a)(3)", "USML XI(a)(3)"),
    ("USML:XI(a)(3)", "USML XI (a)(3)"),
])
def test_two_lines_of_one_item_spelt_differently_are_refused(ledger: Ledger, first: str,
                                                              second: str) -> None:
    """Both were accepted, and every shipment drew on the second line, past the first's cap."""
    spec = dsp5("DUP-1")
    spec["lines"] = [{"classification": first, "quantity": 5, "value": "100.00"},
                     {"classification": second, "quantity": 5, "value": "5000.00"}]
    with pytest.raises(InvalidInput, match="same item") as info:
        ledger.add_licence(spec)
    assert repr(first) in str(info.value) and repr(second) in str(info.value)
    assert ledger.list_licences() == []


@pytest.mark.parametrize(("on_licence", "shipped"), [
    ("USML XI(a)(3)", "XI(a)(3)"), ("XI(a)(3)", "USML:XI(a)(3)"),
    ("USML:XI(a)(3)", "usml xi(a)(3)"),
])
def test_a_shipment_finds_its_line_in_any_usml_spelling(ledger: Ledger, on_licence: str,
                                                        shipped: str) -> None:
    spec = dsp5("DSP5-XI")
    spec["lines"][0]["classification"] = on_licence
    ledger.add_licence(spec)
    assert ledger.post_shipment(ship("K1", "DSP5-XI", classification=shipped)).created
    assert ledger.get_licence("DSP5-XI").lines[0].shipped_value == 1000
    assert ledger.verify_audit().ok


def test_an_item_not_on_the_licence_cites_the_item_scope(ledger: Ledger) -> None:
    """It cited 123.9 (destination, consignee and end user), which the shipment met."""
    ledger.add_licence(dsp5())
    with pytest.raises(ShipmentRefused, match=r"no line for III\(a\)") as info:
        ledger.post_shipment(ship("K1", classification="III(a)"))
    assert info.value.rule == "item_not_on_licence"
    assert "123.25" in str(info.value) and "I(a)" in str(info.value)
    assert "consignee" not in str(info.value)


# -- M4: policy prefixes -----------------------------------------------------------------
def _usml_licences(ledger: Ledger) -> None:
    for number, cls in (("P-1", "USML XI(a)(3)"), ("P-2", "XI(a)(3)"), ("P-3", "III(a)"),
                        ("P-4", "USML:XI(a)(3)"), ("P-5", "I(a)"), ("P-6", "II(b)")):
        spec = dsp5(number)
        spec["lines"][0]["classification"] = cls
        ledger.add_licence(spec)


@pytest.mark.parametrize(("prefix", "hit"), [
    ("XI(", ["P-1", "P-2", "P-4"]),
    ("USML XI", ["P-1", "P-2", "P-4"]),
    ("USML:XI(a)", ["P-1", "P-2", "P-4"]),
    ("I", ["P-5"]),  # Category I only: not II, III or XI
    ("I(", ["P-5"]),
    ("II", ["P-6"]),
])
def test_a_policy_prefix_matches_whole_usml_categories_in_any_spelling(
        ledger: Ledger, prefix: str, hit: list[str]) -> None:
    _usml_licences(ledger)
    event = {"key": "ev", "title": "test", "action": "revoked", "effective": "2020-08-30",
             "citation": "notice", "filter": {"agency": "DDTC",
                                              "classification_prefixes": [prefix]}}
    result = ledger.apply_policy_event(event)
    assert result.affected == [f"DDTC {n}" for n in hit]


def test_an_eccn_prefix_ends_at_a_paragraph(ledger: Ledger) -> None:
    for number, cls in (("B-1", "3A001.a.1"), ("B-2", "3A001.a.10"), ("B-3", "3A001.a.1.b")):
        spec = bis(number)
        spec["lines"][0]["classification"] = cls
        ledger.add_licence(spec)
    event = {"key": "ev", "title": "t", "action": "suspended", "effective": "2022-01-01",
             "citation": "n", "filter": {"classification_prefixes": ["3A001.a.1"]}}
    assert ledger.apply_policy_event(event).affected == ["BIS B-1", "BIS B-3"]


# -- M7: a --db that holds no ledger -------------------------------------------------------
@pytest.mark.parametrize("args", [["audit", "verify"], ["licences", "list"],
                                  ["audit", "export", "--format", "csv"]])
def test_a_database_that_holds_no_ledger_is_refused_and_left_alone(
        cli: Cli, tmp_path: Path, args: list[str]) -> None:
    """It got 21 exportcheck tables and the answer 'OK: 0 entries verify'."""
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE customers (id INT, name TEXT)")
    before = other.read_bytes()
    one_line_error(cli([*args, "--db", f"sqlite:///{other}"]), "holds no exportcheck ledger",
                   "customers")
    assert other.read_bytes() == before
    with sqlite3.connect(other) as con:
        assert [r[0] for r in con.execute("SELECT name FROM sqlite_master")] == ["customers"]


@pytest.mark.parametrize("args", [["audit", "verify"], ["licences", "list"]])
def test_a_file_that_is_no_database_is_a_one_line_error(cli: Cli, tmp_path: Path,
                                                        args: list[str]) -> None:
    """It printed a DatabaseError traceback."""
    bad = tmp_path / "notdb.db"
    bad.write_text("hello\n")
    one_line_error(cli([*args, "--db", f"sqlite:///{bad}"]), "not a SQLite database")
    assert bad.read_text() == "hello\n"


def test_recording_into_a_file_that_is_no_database_is_a_one_line_error(
        cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "notdb.db"
    bad.write_text("hello\n")
    one_line_error(cli(_ship_args(bad, "3A001.a.2=1@1", "k")), "not a database")


def test_a_new_ledger_is_not_started_inside_another_applications_database(
        cli: Cli, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as con:
        con.execute("CREATE TABLE customers (id INT, name TEXT)")
    before = other.read_bytes()
    lic = tmp_path / "lic.yaml"
    lic.write_text(yaml.safe_dump(bis()))
    one_line_error(cli(["licences", "add", str(lic), "--db", f"sqlite:///{other}"]),
                   "another application's database", "customers")
    one_line_error(cli(_ship_args(other, "3A001.a.2=1@1", "k")), "another application's")
    assert other.read_bytes() == before
    # an empty file still starts one
    empty = tmp_path / "empty.db"
    empty.touch()
    assert cli(["licences", "add", str(lic), "--db", f"sqlite:///{empty}"])[0] == 0


def test_a_ledger_database_still_verifies(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    assert cli(_ship_args(db, "3A001.a.2=1@1", "k"))[0] == 0
    code, out, err = cli(["audit", "verify", "--db", f"sqlite:///{db}"])
    assert code == 0 and "OK: 1 entries verify" in out, err


# -- M10: revocation is final -----------------------------------------------------------
def test_a_revoked_licence_cannot_be_reinstated(ledger: Ledger) -> None:
    ledger.add_licence(bis())
    ledger.set_status("D123456", "revoked", effective=dt.date(2022, 8, 1), reason="test",
                      citation="15 CFR 750.8")
    with pytest.raises(LedgerError, match=r"D123456 was revoked with effect from 2022-08-01"):
        ledger.set_status("D123456", "reinstated", effective=dt.date(2022, 9, 1),
                          reason="undo", citation="x")
    spec = ship("K1", "D123456", date="2022-09-02", classification="0A501.a",
                destination="GB", consignee="UK Importer Ltd", end_user="UK Importer Ltd")
    with pytest.raises(ShipmentRefused, match="revoked"):
        ledger.post_shipment(spec)
    assert [h.status for h in ledger.get_licence("D123456").history] == ["approved", "revoked"]
    # a suspension is still lifted by a reinstatement
    ledger.add_licence(bis("D2"))
    ledger.set_status("D2", "suspended", effective=dt.date(2022, 8, 1), reason="t", citation="c")
    ledger.set_status("D2", "reinstated", effective=dt.date(2022, 9, 1), reason="t", citation="c")
    assert ledger.get_licence("D2", as_of=dt.date(2022, 9, 2)).status == "reinstated"


def test_reinstating_a_revoked_licence_on_the_command_line_is_a_one_line_error(
        cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    lic = tmp_path / "lic.yaml"
    lic.write_text(yaml.safe_dump(bis()))
    assert cli(["licences", "add", str(lic), "--db", db])[0] == 0
    assert cli(["licences", "revoke", "D123456", "--effective", "2022-08-01", "--reason", "t",
                "--citation", "15 CFR 750.8", "--db", db])[0] == 0
    one_line_error(cli(["licences", "status", "D123456", "reinstated", "--effective",
                        "2022-09-01", "--reason", "undo", "--citation", "x", "--db", db]),
                   "D123456", "revoked with effect from 2022-08-01", "final")


# -- M11: exporting a trail that does not verify ---------------------------------------------
def _tampered(tmp_path: Path, cli: Cli, what: str) -> str:
    db = tmp_path / "t.db"
    lic = tmp_path / "lic.yaml"
    lic.write_text(yaml.safe_dump(dsp5()))
    url = f"sqlite:///{db}"
    assert cli(["licences", "add", str(lic), "--db", url])[0] == 0
    spec = tmp_path / "ship.json"
    spec.write_text(json.dumps(ship("K1")))
    assert cli(["ship", "--file", str(spec), "--db", url])[0] == 0
    engine = sa.create_engine(url)
    with engine.begin() as c:
        if what == "entry":
            c.execute(sa.text("DROP TRIGGER audit_log_no_update"))
            c.execute(sa.text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1"))
        else:
            c.execute(sa.text("UPDATE ledger_shipment_line SET value_cents = value_cents + 1"))
    engine.dispose()
    return url


@pytest.mark.parametrize(("what", "said"), [("entry", "BROKEN at entry #1"),
                                            ("table", "TAMPERED")])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exporting_a_tampered_trail_warns_and_fails(cli: Cli, tmp_path: Path, what: str,
                                                     said: str, fmt: str) -> None:
    """It exited 0 without a word; the CSV carries no status and the JSON checked the chain
    only (an edited table row exported as "ok": true)."""
    url = _tampered(tmp_path, cli, what)
    out = tmp_path / f"e.{fmt}"
    code, stdout, err = cli(["audit", "export", "--format", fmt, "-o", str(out), "--db", url])
    assert code == 1
    assert err.startswith("warning: the audit trail does not verify") and said in err, err
    assert "2 audit entries" in stdout and out.exists()  # written: the evidence as stored
    if fmt == "json":
        chain = json.loads(out.read_text())["chain"]
        assert chain["ok"] is False and chain["state_checked"] is (what == "table")


def test_exporting_a_sound_trail_exits_0(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    assert cli(_ship_args(db, "3A001.a.2=1@1", "k"))[0] == 0
    code, _, err = cli(["audit", "export", "--db", f"sqlite:///{db}"])
    assert code == 0 and err == ""


# -- M2: the audit CSV in a spreadsheet ------------------------------------------------------
def test_audit_csv_neutralises_formulas_and_still_reverifies(ledger: Ledger) -> None:
    """An actor '=HYPERLINK(...)' was written as is; removing the added quote gives back the
    stored value, so the chain re-verifies from the file."""
    from exportcheck.csvsafe import unsafe_cell

    spec = dsp5()
    ledger.add_licence(spec, actor='=HYPERLINK("http://evil")')
    ledger.post_shipment(ship("K1"), actor="@cmd")
    ledger.post_shipment(ship("K2"), actor="'quoted")
    buf = io.StringIO()
    assert ledger.export_audit(buf, fmt="csv") == 3
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert [r["actor"] for r in rows] == ["'=HYPERLINK(\"http://evil\")", "'@cmd", "''quoted"]
    prev = GENESIS_HASH
    for row in rows:
        row = {k: unsafe_cell(v) for k, v in row.items()}
        assert entry_hash(int(row["seq"]), row["recorded_at"], row["actor"], row["kind"],
                          row["payload"], row["versions"], row["prev_hash"]) == row["hash"]
        prev = row["hash"]
    assert prev == ledger.verify_audit().head_hash
    assert POLICE in rows[1]["payload"]


@pytest.mark.parametrize(("exception", "item", "regime"), [
    ("LVS", "I(a)", "USML item"),
    ("NLR", "USML XI(a)(3)", "USML item"),
    ("22 CFR 126.4", "3A001.a.2", "subject to the EAR"),
    ("22 CFR 123.17", "EAR99", "subject to the EAR"),
])
def test_an_exception_of_the_other_regime_is_refused(exception: str, item: str,
                                                    regime: str) -> None:
    """An EAR licence exception cannot authorise a USML item, nor an ITAR exemption an item
    subject to the EAR (review M9: LVS was recorded for USML I(a) to North Korea)."""
    from pydantic import ValidationError

    from exportcheck.ledger.schemas import ShipmentIn

    with pytest.raises(ValidationError, match=regime):
        ShipmentIn(idempotency_key="k", licence_exception=exception,
                   ship_date=dt.date(2024, 6, 1), destination="GB", consignee="c",
                   end_user="u", lines=[{"classification": item, "value": "100"}])
    ok = ShipmentIn(idempotency_key="k", licence_exception="LVS" if regime != "USML item"
                    else "22 CFR 126.4", ship_date=dt.date(2024, 6, 1), destination="GB",
                    consignee="c", end_user="u",
                    lines=[{"classification": item, "value": "100"}])
    assert ok.lines[0].classification == item
