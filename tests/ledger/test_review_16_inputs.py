"""Review 16, ledger inputs: unknown countries and classifications, shipments that draw nothing,
a mistyped ``--db``, unreadable licence files, reversed audit periods and unwritable exports
(each used to be accepted, or to end in a traceback)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from cli_helpers import one_line_error
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.shipments import ShipmentRefused

Cli = Callable[[list[str]], tuple[int, str, str]]


# -- A: countries and classifications the rule base does not know ----------------------
@pytest.mark.parametrize(("field", "value", "named"), [
    ("destination", "XX", "'XX'"),
    ("classification", "banana", "'banana'"),
    ("classification", "XXII(a)", "'XXII(a)'"),  # USML has categories I to XXI
    ("classification", "3F001", "'3F001'"),  # product groups are A to E
])
def test_a_licence_naming_an_unknown_country_or_item_is_refused(
        ledger: Ledger, field: str, value: str, named: str) -> None:
    """A licence for 'XX' or 'banana' could never be shipped against or matched by a policy
    event; it is refused naming the bad value, and nothing is stored."""
    spec = dsp5("DSP5-BAD")
    if field == "destination":
        spec["destination"] = value
    else:
        spec["lines"][0]["classification"] = value
    with pytest.raises(InvalidInput, match=re.escape(named)):
        ledger.add_licence(spec)
    assert ledger.list_licences() == []


@pytest.mark.parametrize("classification", [
    "I(a)", "i(a)", "I (a)", "XI(a)(3)", "USML XI(a)(3)", "USML:XXI", "0A501.a", "3A001.a.2",
    "5A002", "EAR99"])
def test_the_ways_the_ledger_writes_items_still_load(ledger: Ledger, classification: str) -> None:
    """ECCNs, EAR99 and USML categories with or without the 'USML' prefix stay accepted."""
    spec = dsp5("DSP5-OK")
    spec["lines"][0]["classification"] = classification
    lic, created = ledger.add_licence(spec)
    assert created and lic.lines[0].classification == classification


def test_a_party_or_policy_with_an_unknown_country_is_refused(ledger: Ledger) -> None:
    """A policy event on 'ZZ' used to report '0 licences affected'."""
    spec = dsp5("DSP5-P")
    spec["parties"][1]["country"] = "QQ"
    with pytest.raises(InvalidInput, match="'QQ'"):
        ledger.add_licence(spec)
    event = {"key": "zz", "title": "ZZ", "action": "suspended", "effective": "2020-07-01",
             "citation": "notice", "filter": {"destinations": ["ZZ"]}}
    with pytest.raises(InvalidInput, match="'ZZ'"):
        ledger.apply_policy_event(event)


def test_a_policy_filtering_on_no_classification_is_refused(ledger: Ledger) -> None:
    """'banana' began no licence line's classification: '0 licences affected', exit 0."""
    event = {"key": "b", "title": "B", "action": "suspended", "effective": "2020-07-01",
             "citation": "notice", "filter": {"classification_prefixes": ["I(", "banana"]}}
    with pytest.raises(InvalidInput, match="'banana' begins no ECCN"):
        ledger.apply_policy_event(event)
    event["filter"] = {"classification_prefixes": ["I(", "0A501", "XI"]}
    assert ledger.apply_policy_event(event) is not None


# -- B: shipments that draw nothing -------------------------------------------------------
def test_a_zero_value_line_is_refused(ledger: Ledger) -> None:
    """'3A001.a.2=0@0' was recorded as a $0.00 shipment."""
    ledger.add_licence(dsp5())
    with pytest.raises(InvalidInput, match="value must be more than"):
        ledger.post_shipment(ship("K11", quantity=1, value="0"))
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_value == 0


@pytest.mark.parametrize("unit_basis", ["number", "measure"])
def test_no_quantity_on_a_line_counted_by_quantity_is_refused(ledger: Ledger,
                                                              unit_basis: str) -> None:
    """Value drawn against 0 units would leave the licensed quantity untouched."""
    ledger.add_licence(bis(unit_basis=unit_basis))
    spec = ship("K1", "D123456", quantity=0, value="1.00", date="2022-06-01",
                classification="0A501.a", destination="GB", consignee="UK Importer Ltd",
                end_user="UK Importer Ltd")
    with pytest.raises(ShipmentRefused, match="give the quantity shipped") as info:
        ledger.post_shipment(spec)
    assert info.value.rule == "quantity_missing"
    del spec["lines"][0]["quantity"]  # omitted: the same
    with pytest.raises(ShipmentRefused, match="give the quantity shipped"):
        ledger.post_shipment(spec)
    line = ledger.get_licence("D123456").lines[0]
    assert (line.shipped_value, line.shipped_quantity) == (0, 0)
    assert ledger.verify_audit().ok


def test_a_line_licensed_by_value_needs_no_quantity(ledger: Ledger) -> None:
    """The unit basis 'value' (15 CFR 750.11) counts dollars only."""
    ledger.add_licence(bis(unit_basis="value", quantity=None))
    spec = ship("K1", "D123456", quantity=0, value="250.00", date="2022-06-01",
                classification="0A501.a", destination="GB", consignee="UK Importer Ltd",
                end_user="UK Importer Ltd")
    assert ledger.post_shipment(spec).created
    assert ledger.get_licence("D123456").lines[0].shipped_value == 250


# -- F: a period that ends before it starts -------------------------------------------------
def test_an_audit_period_ending_before_it_starts_is_refused(ledger: Ledger) -> None:
    """It matched nothing, so an export looked like a quiet year."""
    import datetime as dt
    import io

    ledger.add_licence(dsp5())
    start, end = dt.date(2099, 12, 31), dt.date(2000, 1, 1)
    with pytest.raises(InvalidInput, match="2099-12-31 is after to 2000-01-01"):
        ledger.audit_entries(start=start, end=end)
    with pytest.raises(InvalidInput, match="is after"):
        ledger.export_audit(io.StringIO(), start=start, end=end)
    assert ledger.audit_entries(start=end, end=start)[1] == 1


# -- CLI: E, F -------------------------------------------------------------------------------
@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.db'}"


@pytest.mark.parametrize("args", [
    ["licences", "list"], ["licences", "report"], ["licences", "show", "L-1"],
    ["audit", "verify"], ["audit", "export"],
    ["licences", "suspend", "L-1", "--effective", "2020-01-01", "--reason", "r",
     "--citation", "c"],
    # a shipment drawn on a licence needs the ledger holding it
    ["ship", "--licence", "L-1", "--date", "2020-01-02", "--to", "HK", "--consignee", "C",
     "--end-user", "E", "--item", "I(a)=1@100", "--key", "K-typo"]])
def test_a_mistyped_db_is_an_error_and_creates_nothing(cli: Cli, tmp_path: Path,
                                                       args: list[str]) -> None:
    """It used to create an empty database and answer 'no licences' with exit 0."""
    missing = tmp_path / "typo" / "ledgr.db"
    err = one_line_error(cli([*args, "--db", f"sqlite:///{missing}"]), str(missing))
    assert "no database file" in err
    assert not missing.exists() and not missing.parent.exists()


def test_policy_on_a_mistyped_db_is_an_error(cli: Cli, tmp_path: Path) -> None:
    """'0 licences affected' on a database that was just created is a false all-clear."""
    ev = tmp_path / "ev.yaml"
    ev.write_text(yaml.safe_dump({"key": "hk", "title": "HK", "action": "revoked",
                                  "effective": "2020-07-15", "citation": "85 FR 43413",
                                  "filter": {"destinations": ["HK"]}}))
    missing = tmp_path / "nope.db"
    one_line_error(cli(["licences", "policy", str(ev), "--db", f"sqlite:///{missing}"]),
                    str(missing))
    assert not missing.exists()


def test_adding_a_licence_still_starts_a_new_ledger(cli: Cli, tmp_path: Path,
                                                    sqlite_url: str) -> None:
    """``licences add`` is how a ledger begins; later commands then find the file."""
    lic = tmp_path / "lic.json"
    lic.write_text(json.dumps(dsp5("L-1")))
    code, out, err = cli(["licences", "add", str(lic), "--db", sqlite_url])
    assert code == 0 and "added" in out, err
    code, out, err = cli(["licences", "list", "--db", sqlite_url])
    assert code == 0 and "L-1" in out, err


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_a_licence_file_that_is_not_utf8_isone_line_error(cli: Cli, tmp_path: Path,
                                                           sqlite_url: str,
                                                           encoding: str) -> None:
    """A Latin-1 or UTF-16 file ended in a UnicodeDecodeError traceback."""
    path = tmp_path / "lat.yaml"
    path.write_text(yaml.safe_dump(dsp5("L-1", provisos=["Café only"]), allow_unicode=True),
                    encoding=encoding)
    one_line_error(cli(["licences", "add", str(path), "--db", sqlite_url]),
                    str(path), "not UTF-8")
    one_line_error(cli(["ship", "--file", str(path), "--db", sqlite_url]), "not UTF-8")


@pytest.mark.parametrize("content", ["[]\n", "", "# nothing here\n"])
def test_a_licence_file_without_licences_is_an_error(cli: Cli, tmp_path: Path,
                                                     sqlite_url: str, content: str) -> None:
    """An empty list exited 0 saying nothing: the user believed the licences were added."""
    path = tmp_path / "none.yaml"
    path.write_text(content)
    one_line_error(cli(["licences", "add", str(path), "--db", sqlite_url]),
                    "no licence found", str(path))


def test_audit_export_to_a_folder_or_missing_folder_isone_line_error(
        cli: Cli, tmp_path: Path, sqlite_url: str) -> None:
    """IsADirectoryError / FileNotFoundError tracebacks before."""
    lic = tmp_path / "lic.json"
    lic.write_text(json.dumps(dsp5("L-1")))
    assert cli(["licences", "add", str(lic), "--db", sqlite_url])[0] == 0
    base = ["audit", "export", "--from", "2020-01-01", "--to", "2099-12-31", "--format", "csv",
            "--db", sqlite_url]
    one_line_error(cli([*base, "-o", str(tmp_path)]), f"cannot write {tmp_path}")
    missing = tmp_path / "no" / "such" / "a.csv"
    one_line_error(cli([*base, "-o", str(missing)]), f"cannot write {missing}")


def test_reversed_audit_export_keeps_the_earlier_file(cli: Cli, tmp_path: Path,
                                                      sqlite_url: str) -> None:
    """Refused like ``impact`` and ``rules diff``, before the output file is emptied."""
    lic = tmp_path / "lic.json"
    lic.write_text(json.dumps(dsp5("L-1")))
    assert cli(["licences", "add", str(lic), "--db", sqlite_url])[0] == 0
    out = tmp_path / "audit.csv"
    out.write_text("an earlier export\n")
    one_line_error(cli(["audit", "export", "--from", "2020-12-31", "--to", "2020-01-01",
                         "--format", "csv", "-o", str(out), "--db", sqlite_url]),
                    "2020-12-31 is after to 2020-01-01")
    assert out.read_text() == "an earlier export\n"
