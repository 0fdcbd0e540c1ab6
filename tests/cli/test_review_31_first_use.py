"""Review 31: a first-time user following the README top to bottom - its commands run as
written, and the mistakes a newcomer makes (a SQLite URL with two slashes, ...) are one
``error:`` line naming the problem, not a traceback or an answer that keeps nothing."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import one_line_error

from exportcheck.db import get_engine
from exportcheck.errors import InvalidInput

Cli = Callable[[list[str]], tuple[int, str, str]]

LICENCE = """agency: BIS
number: D123456
kind: BIS
destination: GB
valid_from: 2024-01-02
parties:
  - {role: applicant, name: Acme Inc.}
  - {role: consignee, name: UK Importer Ltd}
  - {role: end_user, name: UK Importer Ltd}
lines:
  - {classification: 0A501.a, quantity: 10, value: "10000.00"}
"""


@pytest.mark.parametrize("command", [["licences", "list"], ["audit", "verify"]])
def test_a_sqlite_url_with_two_slashes_names_the_url_it_means(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    """``--db sqlite://ledger.db`` (a host, for SQLite) ended in SQLAlchemy's traceback."""
    monkeypatch.chdir(tmp_path)
    one_line_error(cli([*command, "--db", "sqlite://ledger.db"]),
                   "'sqlite://ledger.db' names a host", "sqlite:///ledger.db")
    assert list(tmp_path.iterdir()) == []


def test_the_setting_with_two_slashes_is_named_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", "sqlite://ledger.db")
    with pytest.raises(InvalidInput, match=r"EXPORTCHECK_DATABASE_URL='sqlite://ledger\.db'"):
        get_engine()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_an_in_memory_ledger_is_refused_not_added_to_and_lost(
        cli: Cli, tmp_path: Path, url: str) -> None:
    """``licences add --db sqlite://`` answered "added" and kept nothing: the database was in
    memory and gone when the command ended."""
    src = tmp_path / "licence.yaml"
    src.write_text(LICENCE)
    one_line_error(cli(["licences", "add", str(src), "--db", url]), "in-memory",
                   "sqlite:///ledger.db")
    one_line_error(cli(["check", "--item", "EAR99", "--to", "DE", "--on", "2024-01-01",
                        "--no-screen", "--record", "--db", url]), "in-memory")


def test_a_licence_number_spelt_otherwise_is_named_as_stored(cli: Cli, tmp_path: Path) -> None:
    """``licences show dsp5-hk-2019-001`` and a shipment against it said only "no licence
    numbered ...", though the README says a licence number is one licence however it is spelt:
    the answer names the number the ledger has."""
    db = f"sqlite:///{tmp_path / 'hk.db'}"
    assert cli(["licences", "demo", "--db", db])[0] == 0
    stored = "the ledger has it as 'DSP5-HK-2019-001'"
    one_line_error(cli(["licences", "show", "dsp5-hk-2019-001", "--db", db]), stored)
    one_line_error(cli(["licences", "suspend", "DSP5-HK-2019-001 ".lower(), "--effective",
                        "2020-07-01", "--reason", "r", "--citation", "22 CFR 126.7",
                        "--db", db]), stored)
    one_line_error(cli(["ship", "--db", db, "--licence", "dsp5-hk-2019-001", "--date",
                        "2020-07-01", "--to", "HK", "--consignee", "Hong Kong Police Force",
                        "--end-user", "Hong Kong Police Force", "--item", "I(a)=1@1000.00",
                        "--key", "INV-1"]), stored)
    one_line_error(cli(["licences", "show", "D999", "--db", db]),
                   "no licence numbered 'D999' in the ledger")


def test_the_ledgers_public_methods_say_what_they_do() -> None:
    """The README sends Python users to ``Ledger``; get_licence, list_licences, report and
    apply_policy_event had no docstring (``as_of`` was documented nowhere in Python)."""
    from exportcheck.ledger import Ledger

    bare = [name for name, fn in inspect.getmembers(Ledger, inspect.isfunction)
            if not name.startswith("_") and not inspect.getdoc(fn)]
    assert bare == []
    assert "as_of" in (inspect.getdoc(Ledger.get_licence) or "")
