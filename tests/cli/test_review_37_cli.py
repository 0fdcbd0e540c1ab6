"""Review 37: the command line as a compliance officer scripts it - a damaged database is one
``error:`` line (not SQLAlchemy's traceback), a refused shipment has an exit code of its own
(and JSON with ``--json``), ``check --record --json`` says which audit entry it wrote, every
option is explained, and the output options answer to the same names in every command."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import one_line_error

Cli = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def damaged_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data directory's database replaced by bytes that are not SQLite."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    db = data / "exportcheck.db"
    db.write_bytes(b"this is not a SQLite database, but a damaged file " * 100)
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(data))
    return db


@pytest.mark.parametrize("command", [
    ["lists", "show"], ["rescreen"], ["dispositions", "list"], ["parties", "list"],
    ["parties", "add", "Acme"], ["users", "list"], ["tokens", "list"],
])
def test_a_damaged_database_is_one_line_naming_it_and_left_as_it_was(
        cli: Cli, damaged_db: Path, command: list[str]) -> None:
    """These commands ended in ``sqlalchemy.exc.DatabaseError`` and its traceback."""
    before = damaged_db.read_bytes()
    err = one_line_error(cli(command), str(damaged_db), "file is not a database",
                         "EXPORTCHECK_DATABASE_URL")
    assert "sqlalche.me" not in err and "Traceback" not in err
    assert damaged_db.read_bytes() == before


def test_the_database_named_is_the_db_option_when_given(tmp_path: Path) -> None:
    from exportcheck.cli.app import _database_message

    class DriverError(Exception):
        orig = "disk I/O error\nmore detail"

    given = f"sqlite:///{tmp_path / 'other.db'}"
    said = _database_message(DriverError(), ["licences", "list", "--db", given])
    assert said.startswith(f"cannot use the database {given}: disk I/O error (")
    said = _database_message(DriverError(), ["x", "--db=postgresql://u:secret@h/d"])
    assert "secret" not in said and "u:***@h/d" in said


def test_a_bug_still_shows_its_traceback() -> None:
    """Only the driver's errors are the user's setup: anything else escaping is a bug."""
    from exportcheck.cli.app import _database_error

    assert not _database_error(KeyError("x"))


def _ship_lvs_to_iran(db: str, key: str, *extra: str) -> list[str]:
    return ["ship", "--db", db, "--exception", "LVS", "--date", "2024-06-01", "--to", "IR",
            "--consignee", "C", "--end-user", "E", "--item", "3A001.a.2=1@100.00",
            "--key", key, *extra]


def test_a_refused_shipment_exits_3_bad_input_2(cli: Cli, tmp_path: Path) -> None:
    """A refusal exited 2, as a typo does: a script could not tell the ledger's "no" (audited,
    to escalate) from a mistake in its own call (to fix)."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    code, out, err = cli(_ship_lvs_to_iran(db, "k1"))
    assert code == 3 and out == ""
    assert err.splitlines()[-1].startswith("error: line 1 (3A001.a.2): LVS is not available")
    code, _, err = cli(_ship_lvs_to_iran(db, "k1", "--date", "2024-13-01"))
    assert code == 2 and "month must be in 1..12" in err
    code, _, err = cli(["reverse", "no-such", "--reason", "x", "--key", "r1", "--db", db])
    assert code == 3 and "no shipment with idempotency key 'no-such'" in err


def test_a_refused_shipment_with_json_is_json_on_stdout(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    code, out, err = cli(_ship_lvs_to_iran(db, "k1", "--json"))
    assert code == 3 and err.splitlines()[-1].startswith("error: line 1")
    refusal = json.loads(out)
    assert refusal["refused"] is True and refusal["rule"] == "exception_not_available"
    assert refusal["message"].startswith("line 1 (3A001.a.2): LVS is not available to IR")
    assert refusal["determination"][0]["outcome"] == "LICENSE_REQUIRED"
    code, out, _ = cli(["reverse", "no-such", "--reason", "x", "--key", "r1", "--db", db,
                        "--json"])
    assert code == 3 and json.loads(out)["refused"] is True


def test_check_record_json_names_the_audit_entry_on_stderr(cli: Cli, tmp_path: Path) -> None:
    """``check --record --json`` wrote an audit entry and said nowhere which one."""
    db = f"sqlite:///{tmp_path / 'l.db'}"
    args = ["check", "--item", "EAR99", "--to", "DE", "--on", "2024-01-01", "--no-screen",
            "--record", "--db", db, "--json"]
    code, out, err = cli(args)
    assert code == 0 and json.loads(out)["outcome"] == "NLR"
    assert err == "note: recorded in the audit trail as entry #1\n"
    code, out, err = cli(args)
    assert code == 0 and json.loads(out)["outcome"] == "NLR" and "entry #2" in err


def _options() -> list[tuple[str, str]]:
    from exportcheck.cli.app import command

    found: list[tuple[str, str]] = []

    def walk(cmd, path: str) -> None:
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())
        for param in getattr(cmd, "params", []):
            if param.param_type_name == "option":
                found.append((path, param.opts[-1]))
                if not param.help:
                    found.append((path, f"{param.opts[-1]}: no help"))

    walk(command(), "")
    return found


def test_every_option_says_what_it_does() -> None:
    """``rescreen --json``, ``serve --port``, ``licences report --as-of``, ``shipments list
    --limit``, ``users set --role``... were listed in ``--help`` with no word of explanation."""
    assert [o for o in _options() if o[1].endswith(": no help")] == []


@pytest.mark.parametrize("command", ["batch", "screen-batch", "impact", "portfolio generate",
                                     "audit export"])
def test_every_output_option_answers_to_o_out_and_output(command: str) -> None:
    """``batch -o/--out`` but ``screen-batch -o/--output``: ``--out`` is refused by one
    command and ``--output`` by the other, in the same script."""
    from exportcheck.cli.app import command as tree

    cmd = tree()
    for part in command.split():
        cmd = cmd.commands[part]
    (out,) = [p for p in cmd.params if "-o" in getattr(p, "opts", [])]
    assert {"-o", "--out", "--output"} <= set(out.opts)


def test_both_demos_take_db() -> None:
    """``licences demo --db`` but ``demo --database-url``: the top-level demo now takes --db
    as every other ledger command does."""
    from exportcheck.cli.app import command

    (opt,) = [p for p in command().commands["demo"].params if p.name == "database_url"]
    assert {"--db", "--database-url"} <= set(opt.opts)


def test_an_unknown_log_level_is_one_line(cli: Cli) -> None:
    """``serve --log-level bogus`` was uvicorn's KeyError traceback."""
    one_line_error(cli(["serve", "--log-level", "bogus"]), "--log-level 'bogus'", "debug")
