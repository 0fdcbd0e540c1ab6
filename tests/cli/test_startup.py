"""The package's public names load on first use: the CLI's help, version and argument errors
do not pay for the determination engine, and ``exportcheck.determine`` stays the function."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

_PROBE = """
import sys
from exportcheck.cli.app import command
command()
heavy = ["exportcheck.determine.engine", "exportcheck.models", "exportcheck.rules.schema",
         "exportcheck.screen.service", "polars", "sqlalchemy"]
print(",".join(m for m in heavy if m in sys.modules))
"""


def test_building_the_command_tree_loads_no_engine() -> None:
    r = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                       check=True)
    assert r.stdout.strip() == ""


def test_version_is_printed_without_the_engine() -> None:
    probe = ("import sys\nfrom exportcheck.cli.app import main\ntry:\n    main(['--version'])\n"
             "except SystemExit as e:\n    print(e.code, 'exportcheck.api' in sys.modules)")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.split("\n")[0].startswith("exportcheck ")
    assert r.stdout.split("\n")[1] == "0 False"


def test_determine_is_the_function_whatever_was_imported_first() -> None:
    probe = """
import exportcheck.determine.batch_keys
import exportcheck
from exportcheck import determine, determine_frame, Outcome
import exportcheck.determine.engine
print(callable(exportcheck.determine), exportcheck.determine is determine,
      determine.__module__, Outcome.NLR.value, "determine" in dir(exportcheck))
"""
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["True", "True", "exportcheck.determine.engine", "NLR", "True"]


def test_the_ledger_reads_a_classification_without_the_engine() -> None:
    """exportcheck.determine's names load on first use too: the ledger's schemas need only
    its item parser, not the engine and the screener behind it."""
    probe = ("import sys\nimport exportcheck.ledger.schemas\nfrom exportcheck.determine "
             "import parse_item\nprint(sorted(m for m in ('exportcheck.determine.engine', "
             "'exportcheck.screen.service') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"
    from exportcheck import determine as package_function
    from exportcheck.determine import determine

    assert determine is package_function


def test_an_unknown_public_name_is_an_attribute_error() -> None:
    import exportcheck

    with pytest.raises(AttributeError, match="no attribute 'no_such_name'"):
        exportcheck.no_such_name  # noqa: B018
    package = importlib.import_module("exportcheck.determine")  # the subpackage, not the function
    with pytest.raises(AttributeError, match=r"'exportcheck\.determine' has no attribute 'nope'"):
        package.nope  # noqa: B018


def test_every_command_has_a_one_line_summary_in_its_group() -> None:
    """The group lists show each command's first docstring paragraph on one line (typer keeps
    its line breaks otherwise), and no command is listed without one."""
    from exportcheck.cli.app import command

    def walk(cmd, path):
        for name, sub in getattr(cmd, "commands", {}).items():
            yield f"{path} {name}", sub
            yield from walk(sub, f"{path} {name}")

    missing = []
    for path, cmd in walk(command(), "exportcheck"):
        if not cmd.short_help:
            missing.append(path)
        else:
            assert "\n" not in cmd.short_help, path
    assert missing == []
