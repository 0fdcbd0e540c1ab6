"""``screen-batch`` and ``batch`` given their input file as output wrote
the results over it; ``screen-batch`` keeps only the names, so the other columns of the
customer file (countries, customer numbers) were gone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import one_line_error

Cli = Callable[[list[str]], tuple[int, str, str]]


@pytest.mark.parametrize("spelling", ["same", "dotted"])
def test_screen_batch_refuses_to_write_over_its_input(cli: Cli, tmp_path: Path,
                                                      spelling: str) -> None:
    names = tmp_path / "customers.csv"
    text = "customer_id,name,country\nC-1,Carrie Lam,HK\n"
    names.write_text(text)
    out = names if spelling == "same" else tmp_path / "." / "customers.csv"
    one_line_error(cli(["screen-batch", str(names), "--name-column", "name", "-o", str(out)]),
                   "is the input file")
    assert names.read_text() == text


def test_batch_refuses_to_write_over_its_input(cli: Cli, tmp_path: Path) -> None:
    orders = tmp_path / "orders.csv"
    text = "item,destination,date\n3A001.a.2,HK,2020-07-01\n"
    orders.write_text(text)
    one_line_error(cli(["batch", str(orders), "-o", str(orders), "--no-screen"]),
                   "is the input file")
    assert orders.read_text() == text


def test_screen_batch_to_another_file_still_runs(cli: Cli, tmp_path: Path) -> None:
    names = tmp_path / "customers.csv"
    names.write_text("name\nJohn Smith\n")
    out = tmp_path / "hits.csv"
    code, _, err = cli(["screen-batch", str(names), "--name-column", "name", "-o", str(out)])
    assert code == 0, err
    assert out.is_file()


def test_screen_batch_reads_columns_as_batch_does_and_refuses_an_unknown_format(
        cli: Cli, tmp_path: Path) -> None:
    """--name-column was case-sensitive where batch's columns are not, -o hits.txt wrote CSV
    without a word, and the output did not say which kind of match the best hit was."""
    import csv

    names = tmp_path / "customers.csv"
    names.write_text("Customer Name,Country\nCarrie Lam,HK\nJane Unlisted,DE\n")
    out = tmp_path / "hits.csv"
    code, _, err = cli(["screen-batch", str(names), "--name-column", "customer_name",
                        "--country-column", "country", "-o", str(out)])
    assert code == 0, err
    rows = list(csv.DictReader(out.open()))
    assert rows[0]["match_kind"] == "exact" and rows[0]["corroborated_by"] == "country"
    assert rows[1]["match_kind"] == "" and rows[1]["hit_count"] == "0"
    one_line_error(cli(["screen-batch", str(names), "--name-column", "customer name", "-o",
                        str(tmp_path / "hits.txt")]), "unsupported output format '.txt'")
