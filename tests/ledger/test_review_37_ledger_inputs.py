"""Ledger findings of a compliance officer's year and an auditor's QA pass (review 37): a licence
line counted by number accepted a fraction of a unit that no shipment could ever draw, and a
licence, shipment or policy file naming a key twice was read as its last value without a word.

The Python API tests run on SQLite and on PostgreSQL (the ``ledger`` fixture).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from cli_helpers import one_line_error
from ledger_helpers import bis, dsp5, ship

from exportcheck.errors import InvalidInput
from exportcheck.ledger.api import Ledger

Cli = Callable[[list[str]], tuple[int, str, str]]


def _entries(ledger: Ledger) -> int:
    return ledger.audit_entries(limit=1)[1]


# -- a licence line counted by number licenses whole units -------------------------------------
@pytest.mark.parametrize("spec", [bis(quantity="10.5"), dsp5(quantity="2.25")],
                         ids=["BIS", "DSP5"])
def test_a_fraction_of_a_unit_on_a_line_counted_by_number_is_refused(ledger: Ledger,
                                                                      spec: dict) -> None:
    ledger.add_licence(dsp5("DSP5-OTHER"))
    before = _entries(ledger)
    with pytest.raises(InvalidInput, match=r"quantity \d+\.\d+ is not a whole number of units"):
        ledger.add_licence(spec)
    assert [lic.number for lic in ledger.list_licences()] == ["DSP5-OTHER"]
    assert _entries(ledger) == before and ledger.verify_audit().ok


def test_whole_units_written_with_decimals_are_still_accepted(ledger: Ledger) -> None:
    lic, created = ledger.add_licence(bis(quantity="10.000"))
    assert created and lic.lines[0].quantity == Decimal(10)


def test_a_line_counted_by_measure_draws_to_exactly_nothing_left(ledger: Ledger) -> None:
    """0.1 kg + 0.2 kg is 0.3 kg exactly: no float drift leaves a crumb or refuses the last."""
    ledger.add_licence(bis(lines=[{"classification": "1C010.a", "unit_basis": "measure",
                                         "unit": "kg", "quantity": "0.3", "value": "1000.00"}]))

    def draw(key: str, kg: str) -> None:
        order = ship(key, "D123456", date="2022-01-03", classification="1C010.a",
                     destination="GB", consignee="UK Importer Ltd", end_user="UK Importer Ltd",
                     value="1.00")
        order["lines"][0]["quantity"] = kg
        ledger.post_shipment(order)

    draw("kg-1", "0.1")
    draw("kg-2", "0.2")
    line = ledger.get_licence("D123456").lines[0]
    assert (line.shipped_quantity, line.remaining_quantity) == (Decimal("0.3"), Decimal(0))


# -- a file naming a key twice is refused, naming the key ---------------------------------------
_LICENCE_YAML = """\
agency: BIS
number: D999
kind: BIS
destination: GB
valid_from: 2024-01-02
parties:
  - {role: applicant, name: Acme Inc.}
  - {role: consignee, name: UK Importer Ltd}
  - {role: end_user, name: UK Importer Ltd}
lines:
  - classification: 0A501.a
    quantity: 10
    value: "10000.00"
    value: "100000.00"
"""


def _stored(db: Path) -> tuple[int, int]:
    """(licences, audit entries) in the SQLite file, (0, 0) when none was created."""
    if not db.exists():
        return 0, 0
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        return (conn.execute(sa.text("SELECT count(*) FROM ledger_licence")).scalar_one(),
                conn.execute(sa.text("SELECT count(*) FROM audit_log")).scalar_one())


def test_a_licence_file_repeating_a_key_is_refused_and_nothing_stored(cli: Cli,
                                                                       tmp_path: Path) -> None:
    db, path = tmp_path / "l.db", tmp_path / "lic.yaml"
    path.write_text(_LICENCE_YAML, encoding="utf-8")
    one_line_error(cli(["licences", "add", str(path), "--db", f"sqlite:///{db}"]),
                   "lic.yaml", "'value' is given more than once", "line 14")
    assert _stored(db) == (0, 0)


def test_a_json_licence_file_repeating_a_key_is_refused(cli: Cli, tmp_path: Path) -> None:
    db, path = tmp_path / "l.db", tmp_path / "lic.json"
    spec = json.dumps(bis())
    path.write_text(spec.replace('"number": "D123456"', '"number": "D1", "number": "D2"'),
                    encoding="utf-8")
    one_line_error(cli(["licences", "add", str(path), "--db", f"sqlite:///{db}"]),
                   "lic.json", "'number' is given more than once")
    assert _stored(db) == (0, 0)


def test_a_shipment_file_repeating_a_key_draws_nothing(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "l.db"
    ledger = Ledger(f"sqlite:///{db}")
    ledger.add_licence(dsp5())
    before = _stored(db)
    path = tmp_path / "ship.yaml"
    path.write_text("idempotency_key: INV-1\nlicence_number: DSP5-T-1\nship_date: 2019-06-01\n"
                    "destination: HK\nconsignee: Hong Kong Police Force\n"
                    "end_user: Hong Kong Police Force\n"
                    "lines:\n  - {classification: I(a), quantity: 1, quantity: 90, "
                    "value: '1000.00'}\n", encoding="utf-8")
    one_line_error(cli(["ship", "--file", str(path), "--db", f"sqlite:///{db}"]),
                   "'quantity' is given more than once")
    assert _stored(db) == before
    assert ledger.get_licence("DSP5-T-1").lines[0].shipped_quantity == 0


def test_a_licence_file_using_a_yaml_merge_key_still_loads(cli: Cli, tmp_path: Path) -> None:
    """A merge (``<<``) overridden by the mapping's own key is YAML's meaning, not a repeat."""
    db, path = tmp_path / "l.db", tmp_path / "lic.yaml"
    path.write_text(_LICENCE_YAML.replace('    value: "100000.00"\n', "").replace(
        "parties:\n  - {role: applicant, name: Acme Inc.}\n",
        "parties:\n  - &importer {role: applicant, name: Acme Inc.}\n").replace(
        "  - {role: consignee, name: UK Importer Ltd}\n",
        "  - {<<: *importer, role: consignee, name: UK Importer Ltd}\n"), encoding="utf-8")
    code, _, err = cli(["licences", "add", str(path), "--db", f"sqlite:///{db}"])
    assert code == 0, err
    lic = Ledger(f"sqlite:///{db}").get_licence("D999")
    assert lic.lines[0].value == Decimal("10000.00")
    assert [(p.role, p.name) for p in lic.parties][:2] == [
        ("applicant", "Acme Inc."), ("consignee", "UK Importer Ltd")]
