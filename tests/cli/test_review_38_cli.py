"""Review 38, command line: an audit export's format follows its file, a failed export leaves
the earlier file whole, rescreen prints list versions readably, a read-only command on a
database that does not exist says so and creates nothing, date options take the name the
other commands use, and screen-batch's help says how rows not screened are reported."""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import one_line_error

from exportcheck.screen.service import SAMPLES_DIR

Cli = Callable[[list[str]], tuple[int, str, str]]


@pytest.fixture
def demo_db(cli: Cli, tmp_path: Path) -> str:
    """A ledger with the Hong Kong demo's licences, shipments and audit entries."""
    db = f"sqlite:///{tmp_path / 'hk.db'}"
    code, _, err = cli(["licences", "demo", "--db", db])
    assert code == 0, err
    return db


# -- audit export: the file's suffix -------------------------------------------------------

def test_the_export_format_follows_the_files_suffix(cli: Cli, demo_db: str,
                                                    tmp_path: Path) -> None:
    """``audit export -o audit.csv`` wrote JSON into the .csv file (``--format`` defaulted to
    json whatever the file was called)."""
    out = tmp_path / "audit.csv"
    code, _, err = cli(["audit", "export", "--db", demo_db, "-o", str(out)])
    assert code == 0, err
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and {"seq", "kind", "actor"} <= set(rows[0]), rows[:1]
    as_json = tmp_path / "audit.json"
    assert cli(["audit", "export", "--db", demo_db, "-o", str(as_json)])[0] == 0
    assert len(json.loads(as_json.read_text(encoding="utf-8"))["entries"]) == len(rows)


def test_a_format_the_suffix_contradicts_is_refused_and_the_file_kept(
        cli: Cli, demo_db: str, tmp_path: Path) -> None:
    """``--format csv -o audit.json`` wrote CSV into a .json file without a word."""
    out = tmp_path / "audit.json"
    out.write_text('{"earlier": "export"}', encoding="utf-8")
    one_line_error(cli(["audit", "export", "--db", demo_db, "--format", "csv", "-o", str(out)]),
                   "--format csv", str(out), ".json")
    assert out.read_text(encoding="utf-8") == '{"earlier": "export"}'
    # the same format in another case agrees with the suffix; another suffix takes --format
    assert cli(["audit", "export", "--db", demo_db, "--format", "JSON", "-o", str(out)])[0] == 0
    txt = tmp_path / "audit.txt"
    assert cli(["audit", "export", "--db", demo_db, "--format", "csv", "-o", str(txt)])[0] == 0
    assert txt.read_text(encoding="utf-8").startswith("seq,")


def test_a_failed_export_leaves_the_earlier_file_whole(
        cli: Cli, demo_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export was written straight into the file: a disk that filled half way through
    left a truncated audit file in place of the earlier one."""
    from exportcheck.ledger.api import Ledger

    real = Ledger.export_audit

    def disk_full(self: Ledger, out, **kw):
        real(self, out, **kw)  # the entries reach the file, then the disk is full
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Ledger, "export_audit", disk_full)
    out = tmp_path / "audit.json"
    out.write_text('{"earlier": "export"}', encoding="utf-8")
    one_line_error(cli(["audit", "export", "--db", demo_db, "-o", str(out)]),
                   f"cannot write {out}", "No space left")
    assert out.read_text(encoding="utf-8") == '{"earlier": "export"}'
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".audit.json")]


# -- rescreen: list versions as words ------------------------------------------------------

def test_rescreen_names_each_lists_versions_readably(cli: Cli) -> None:
    """``rescreen`` printed ``(list versions {'ofac-sdn': None} -> {'ofac-sdn': 1})``."""
    assert cli(["lists", "load", str(SAMPLES_DIR)])[0] == 0
    code, out, err = cli(["rescreen"])
    assert code == 0, err
    text = " ".join(out.split())
    assert "{" not in out and "None" not in out, out
    assert "ofac-sdn: first version -> version " in text, text
    assert "entries changed" in text


# -- read-only commands on a database that does not exist ----------------------------------

@pytest.mark.parametrize("command", [
    ["lists", "show"], ["lists", "list"], ["licences", "list"], ["licences", "show", "D1"],
    ["licences", "report"], ["audit", "verify"], ["audit", "export"], ["shipments", "list"],
    ["parties", "list"], ["dispositions", "list"], ["rescreen"]])
def test_a_read_only_command_does_not_create_the_database(
        cli: Cli, tmp_path: Path, command: list[str]) -> None:
    """Each of them created the data directory and an empty database, then answered as if it
    were one ("0 licences", audit "OK: 0 entries"): a mistyped EXPORTCHECK_DATA_DIR read as an
    all-clear."""
    data = Path(os.environ["EXPORTCHECK_DATA_DIR"])
    err = one_line_error(cli(command), f"there is no database {data / 'exportcheck.db'}",
                         "creates it")
    assert "`exportcheck " in err
    assert not data.exists()


def test_the_setting_is_named_when_it_names_a_missing_file(
        cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "nowhere" / "ledger.db"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", f"sqlite:///{db}")
    one_line_error(cli(["licences", "list"]), str(db), "EXPORTCHECK_DATABASE_URL")
    assert not db.parent.exists()


def test_commands_that_write_still_start_the_database(cli: Cli, tmp_path: Path) -> None:
    """First use is unchanged: loading lists (or adding a party) creates the database, and
    the read-only commands then answer from it."""
    data = Path(os.environ["EXPORTCHECK_DATA_DIR"])
    assert cli(["parties", "add", "Acme Trading", "--country", "GB"])[0] == 0
    assert (data / "exportcheck.db").is_file()
    code, out, err = cli(["parties", "list"])
    assert code == 0 and "Acme Trading" in out, err
    code, out, err = cli(["licences", "list"])
    assert code == 0 and "0 licences" in out, err


# -- date options: one meaning, both names, the format in the help -------------------------

def test_the_export_date_takes_either_name(cli: Cli, demo_db: str) -> None:
    """``check --on`` and ``ship --date`` are both the date of export (a batch file's column
    is ``date`` or ``on``); each command now takes the other's name too."""
    args = ["check", "--item", "3A001.a.2", "--to", "HK", "--no-screen", "--json"]
    by_on, by_date = cli([*args, "--on", "2021-01-15"]), cli([*args, "--date", "2021-01-15"])
    assert by_on[0] == by_date[0] == 0, (by_on[2], by_date[2])
    assert json.loads(by_on[1])["outcome"] == json.loads(by_date[1])["outcome"]
    code, _, err = cli(["ship", "--db", demo_db, "--licence", "DSP5-HK-2019-001", "--on",
                        "2020-07-01", "--to", "HK", "--consignee", "Hong Kong Police Force",
                        "--end-user", "Hong Kong Police Force", "--item", "I(a)=1@1000.00",
                        "--key", "INV-38"])
    assert code == 3 and "2020-06-30" in err, err  # read as the ship date: after suspension


def test_as_of_takes_on_as_rules_show_does(cli: Cli, demo_db: str) -> None:
    by_as_of = cli(["licences", "report", "--db", demo_db, "--as-of", "2020-01-01", "--json"])
    by_on = cli(["licences", "report", "--db", demo_db, "--on", "2020-01-01", "--json"])
    assert by_as_of[0] == by_on[0] == 0, by_on[2]
    assert json.loads(by_as_of[1]) == json.loads(by_on[1])
    assert json.loads(by_on[1]) != json.loads(cli(["licences", "report", "--db", demo_db,
                                                   "--json"])[1])


def _options(cmd, path: str = "exportcheck"):
    for param in cmd.params:
        if param.param_type_name == "option":
            yield path, param
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _options(sub, f"{path} {name}")


def test_every_date_option_says_its_format() -> None:
    """``licences show --as-of``, ``shipments list --from/--to`` and ``impact --on`` did not
    say which format they take."""
    from exportcheck.cli.app import command

    dates = [(path, p) for path, p in _options(command())
             if p.metavar == "DATE" or {"--as-of", "--effective", "--published"} & set(p.opts)]
    assert len(dates) >= 15
    unsaid = [f"{path} {p.opts[0]}" for path, p in dates if "YYYY-MM-DD" not in (p.help or "")]
    assert unsaid == []


# -- screen-batch: rows not screened ---------------------------------------------------------

def test_screen_batch_help_says_what_rows_not_screened_exit_with(cli: Cli,
                                                                  tmp_path: Path) -> None:
    """A row with no name or an unknown country is never screened and the run exits 0 (a
    partial success, as README says): the help did not say so, nor how a job notices."""
    code, out, _ = cli(["screen-batch", "--help"])
    help_text = " ".join(out.split())
    assert code == 0 and "exit code stays 0" in help_text and "ERROR: N row(s) not screened" \
        in help_text, help_text
    src, out_file = tmp_path / "names.csv", tmp_path / "hits.csv"
    src.write_text("name,country\nAcme Trading,GB\n,HK\n", encoding="utf-8")
    code, stdout, err = cli(["screen-batch", str(src), "--name-column", "name", "--lists-from",
                             str(SAMPLES_DIR), "-o", str(out_file)])
    assert code == 0, err
    assert "ERROR: 1 row(s) not screened" in " ".join(stdout.split())
