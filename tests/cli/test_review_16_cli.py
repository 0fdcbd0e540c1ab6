"""Review 16 on the command line: a CSV header naming a column twice, settings that are not
numbers, and ``impact`` on a mistyped ``--db`` (each was silent or a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import one_line_error

Cli = Callable[[list[str]], tuple[int, str, str]]


# -- G: duplicated CSV columns ----------------------------------------------------------------
@pytest.mark.parametrize("header", ["item,destination,destination,date",
                                    "item,Destination, destination ,date"])
def test_batch_refuses_an_order_file_naming_a_column_twice(cli: Cli, tmp_path: Path,
                                                           header: str) -> None:
    """The first 'destination' was used and the second became 'destination_duplicated_0'."""
    orders = tmp_path / "orders.csv"
    orders.write_text(f"{header}\n3A001.a.2,HK,CN,2020-07-01\n")
    out = tmp_path / "out.csv"
    one_line_error(cli(["batch", str(orders), "-o", str(out), "--no-screen"]),
                    str(orders), "'destination' twice")
    assert not out.exists()


def test_owners_file_naming_a_column_twice_is_refused(cli: Cli, tmp_path: Path) -> None:
    """With 'percent,percent' the last value was taken silently."""
    orders = tmp_path / "orders.csv"
    orders.write_text("item,destination,date\n3A001.a.2,HK,2020-07-01\n")
    owners = tmp_path / "owners.csv"
    owners.write_text("owner,owned,percent,percent\nParent Co,Child Co,10,60\n")
    args = ["--owners", str(owners)]
    one_line_error(cli(["batch", str(orders), "-o", str(tmp_path / "o.csv"), "--no-screen",
                         *args]), "owners file", "'percent' twice")
    one_line_error(cli(["check", "--item", "3A001.a.2", "--to", "HK", "--on", "2020-07-01",
                         "--no-screen", *args]), "'percent' twice")


def test_screen_batch_refuses_a_name_column_given_twice(cli: Cli, tmp_path: Path) -> None:
    """'name,name' screened the first column and ignored the second."""
    names = tmp_path / "names.csv"
    names.write_text("name,name\nCarrie Lam,Someone Else\n")
    out = tmp_path / "hits.csv"
    one_line_error(cli(["screen-batch", str(names), "--name-column", "name", "-o", str(out)]),
                    "'name' twice")
    assert not out.exists()


def test_a_file_with_distinct_columns_still_runs(cli: Cli, tmp_path: Path) -> None:
    """The check looks at the header only."""
    orders = tmp_path / "orders.csv"
    orders.write_text("\ufeffitem,destination,date\n3A001.a.2,HK,2020-07-01\n")
    out = tmp_path / "out.csv"
    code, _, err = cli(["batch", str(orders), "-o", str(out), "--no-screen"])
    assert code == 0, err
    assert out.read_text().count("\n") == 2


# -- F: settings that are not numbers ------------------------------------------------------
@pytest.mark.parametrize("value", ["abc", "150", "nan"])
def test_a_bad_screening_threshold_setting_isone_line_error(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    """EXPORTCHECK_SCREENING_THRESHOLD=abc ended in a ValueError traceback."""
    monkeypatch.setenv("EXPORTCHECK_SCREENING_THRESHOLD", value)
    one_line_error(cli(["screen", "Carrie Lam"]),
                    f"EXPORTCHECK_SCREENING_THRESHOLD={value!r}", "between 0 and 100")


@pytest.mark.parametrize(("name", "value"), [("MAX_BODY_BYTES", "abc"),
                                             ("MAX_UPLOAD_BYTES", "-1"),
                                             ("MAX_BODY_BYTES", "8MB")])
def test_a_bad_body_limit_setting_stops_serve_with_one_line(
        cli: Cli, monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    """``serve`` printed a traceback at start-up."""
    monkeypatch.setenv(f"EXPORTCHECK_{name}", value)
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: pytest.fail("the server started"))
    one_line_error(cli(["serve"]), f"EXPORTCHECK_{name}={value!r}", "whole number")


# -- E: impact on a mistyped --db ----------------------------------------------------------
def test_impact_on_a_mistyped_db_is_an_error_and_creates_nothing(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """It reported 'licences: 0 of 0' (exit 0) and created the missing database."""
    orders = tmp_path / "orders.csv"
    orders.write_text("item,destination\n3A001.a.2,HK\n")
    missing = tmp_path / "nowhere" / "x.db"
    out = tmp_path / "out"
    one_line_error(cli(["impact", str(orders), "--from", "2020-06-29", "--to", "2021-01-15",
                         "--no-screen", "--db", f"sqlite:///{missing}", "-o", str(out)]),
                    str(missing))
    assert not missing.parent.exists() and not out.exists()
