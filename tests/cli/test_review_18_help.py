"""Review 18 (CLI): placeholders that say what to give (none on a flag), help on every option
the QA pass found bare, error messages without internal class names, and no empty line before
an error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_helpers import one_line_error
from typer import _click as click

from exportcheck.cli.app import command

Cli = Callable[[list[str]], tuple[int, str, str]]


def _commands(cmd, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def _options(path: tuple[str, ...]) -> dict[str, object]:
    cmd = command()
    for name in path:
        cmd = cmd.commands[name]
    return {opt: p for p in cmd.params for opt in p.opts}


def test_no_option_shows_a_python_type(cli: Cli) -> None:
    """typer wrote ``<bool>``, ``<str>``, ``<list[str]>`` beside every option, flags too."""
    for path, cmd in _commands(command()):
        help_option = cmd.get_help_option(click.Context(cmd))
        for p in [*cmd.params, help_option]:
            if p.param_type_name != "option":
                continue
            where = (" ".join(path), p.opts)
            if p.is_flag:
                assert p.metavar == "", where
            else:
                assert p.metavar and "<" not in p.metavar and "[" not in p.metavar, where
    code, out, _ = cli(["--help"])
    assert code == 0 and "--version" in out and "<" not in out.split("Commands")[0]


@pytest.mark.parametrize(("path", "option", "metavar"), [
    ((), "--version", ""), (("check",), "--on", "DATE"), (("check",), "--to", "CC"),
    (("rules", "diff"), "--to", "DATE"), (("ship",), "--item", "CLASS=QTY@VALUE"),
    (("ship",), "--json", ""), (("batch",), "--out", "FILE"), (("impact",), "--out", "DIR"),
    (("audit", "export"), "--format", "json|csv"), (("impact",), "--rate", "CUR=RATE"),
])
def test_placeholders_say_what_to_give(path: tuple[str, ...], option: str, metavar: str) -> None:
    assert _options(path)[option].metavar == metavar


@pytest.mark.parametrize(("path", "option"), [
    (("ship",), "--agency"), (("ship",), "--consignee"), (("ship",), "--end-user"),
    (("screen-batch",), "--country-column"), (("screen-batch",), "--dob-column"),
    (("screen-batch",), "--threshold"), (("parties", "add"), "--country"),
    (("parties", "add"), "--dob"), (("parties", "add"), "--kind"),
])
def test_options_the_qa_pass_found_bare_have_help(path: tuple[str, ...], option: str) -> None:
    assert len(_options(path)[option].help or "") > 10


def test_licences_demo_help_names_no_issue(cli: Cli) -> None:
    code, out, _ = cli(["licences", "demo", "--help"])
    assert code == 0 and "Hong Kong 2019-2020" in out and "issue" not in out


def test_errors_name_the_input_not_the_class(cli: Cli, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'l.db'}"
    lic = tmp_path / "licence.yaml"
    lic.write_text("agency: BIS\nnumber: X1\nkind: BIS\ndestination: GB\n"
                   "valid_from: 2024-01-02\nlines:\n - classification: 0A501.a\n"
                   "   value: '100.00'\n")
    err = one_line_error(cli(["licences", "add", str(lic), "--db", db]), "invalid licence: ")
    assert "LicenceIn" not in err and "unit basis is 'value'" in err
    ship = tmp_path / "ship.yaml"
    ship.write_text("idempotency_key: K1\nlicence_number: X1\nship_date: 2024-01-05\n"
                    "destination: GB\nconsignee: A\nend_user: A\nlines: []\n")
    err = one_line_error(cli(["ship", "--file", str(ship), "--db", db]), "invalid shipment: ")
    assert "ShipmentIn" not in err


def test_no_empty_line_before_an_error(cli: Cli, tmp_path: Path) -> None:
    """``batch`` of a file without a date column printed an empty stdout line first."""
    src = tmp_path / "nodate.csv"
    src.write_text("item,destination\n3A001.a.2,HK\n")
    code, out, err = cli(["batch", str(src), "-o", str(tmp_path / "out.csv"), "--no-screen"])
    one_line_error((code, out, err), "'date' column")
    assert out == ""
