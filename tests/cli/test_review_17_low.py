"""Review 17, the low-severity findings of the order paths: one date spelling everywhere (L4),
CSV read errors that name the line and what to do, and a ``line`` column (L6), a folder named
as a file (L7), caveats in one order (L8), the end-user type (L9), ``--rate`` (L10), CLI
ergonomics (L13) and the value as given (L12). The Dask paths are in tests/scale/test_dask.py.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from cli_helpers import one_line_error

from exportcheck import determine, determine_frame
from exportcheck.determine.caveats import ASSUMED_CIVIL
from exportcheck.errors import InvalidInput
from exportcheck.impact import impact

Cli = Callable[[list[str]], tuple[int, str, str]]
IMPACT = ["--from", "2020-06-29", "--to", "2021-01-15"]


def _csv(path: Path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


def _batch(cli: Cli, tmp_path: Path, text: str, *args: str) -> pl.DataFrame:
    src = _csv(tmp_path / "in.csv", text)
    out = tmp_path / "out.csv"
    code, _, err = cli(["batch", src, "-o", str(out), "--no-screen", *args])
    assert code == 0, err
    return pl.read_csv(out, infer_schema_length=0)


# -- L4: one date parser -----------------------------------------------------------------
@pytest.mark.parametrize(("text", "why"), [
    ("2020-7-15", "use YYYY-MM-DD"),
    ("20200715", "use YYYY-MM-DD"),
    ("2020-W29-3", "use YYYY-MM-DD"),
    ("2020-02-30", "day is out of range for month"),
])
def test_check_and_batch_refuse_the_same_dates_with_the_same_message(
        cli: Cli, tmp_path: Path, text: str, why: str) -> None:
    """`check --on 20200715` was accepted and `2020-7-15` refused; batch the reverse."""
    expected = f"invalid date '{text}': {why}"
    err = one_line_error(cli(["check", "--item", "EAR99", "--to", "DE", "--on", text,
                              "--no-screen"]), expected)
    got = _batch(cli, tmp_path, f"item,destination,date\nEAR99,DE,{text}\n")
    assert got["error"].to_list() == [expected] == [err.removeprefix("error: ").strip()]
    assert got["outcome"].to_list() == [None]


def test_check_and_batch_accept_the_same_padded_iso_date(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli(["check", "--item", "EAR99", "--to", "DE", "--on", " 2020-07-15 ",
                          "--no-screen", "--json"])
    assert code == 0, err
    assert json.loads(out)["on"] == "2020-07-15"
    got = _batch(cli, tmp_path, "item,destination,date\nEAR99,DE, 2020-07-15 \n")
    assert got["outcome"].to_list() == ["NLR"] and got["error"].to_list() == [None]


def test_impact_dates_are_read_by_the_same_parser(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "o.csv", "item,destination\nEAR99,DE\n")
    one_line_error(cli(["impact", src, "--from", "20200629", "--to", "2021-01-15", "-o",
                        str(tmp_path / "imp")]), "invalid --from date '20200629': use YYYY-MM-DD")


# -- L6: read errors name the line and what to do; the line column --------------------------
@pytest.mark.parametrize(("content", "encoding", "needles"), [
    ("item,destination,date,value\nEAR99,DE,2024-01-01,1\n3A001.a.2,HK,2020-07-15,100,999\n",
     "utf-8", ["line 3 has 5 fields but the header has 4", "double quotes"]),
    ("item;destination;date;value\nEAR99;DE;2024-01-01;100\n3A001.a.2;HK;2020-07-15;100,50\n",
     "utf-8", ["looks ';'-separated", "with commas"]),
    ("item;destination;date\nEAR99;DE;2024-01-01\n", "utf-8", ["looks ';'-separated"]),
    ("item\tdestination\tdate\nEAR99\tDE\t2024-01-01\n", "utf-8", ["looks tab-separated"]),
    ("item,destination,date\nEAR99,DE,2024-01-01\n", "utf-16", ["UTF-16", "save it as UTF-8"]),
    ("item,destination,date,end_user\nEAR99,DE,2024-01-01,Acme\nEAR99,DE,2024-01-01,Müller\n",
     "latin-1", ["line 3 is not UTF-8", "save it as UTF-8"]),
])
@pytest.mark.parametrize("command", ["batch", "impact"])
def test_a_file_that_cannot_be_read_is_named_with_its_line_and_the_fix(
        cli: Cli, tmp_path: Path, content: str, encoding: str, needles: list[str],
        command: str) -> None:
    """These gave polars' "Consider setting 'truncate_ragged_lines=True'", "invalid utf-8
    sequence" or, for UTF-16 and ';', a garbled header in "needs an 'item' column"."""
    src = _csv(tmp_path / "bad.csv", content, encoding)
    args = (["batch", src, "-o", str(tmp_path / "o.csv")] if command == "batch"
            else ["impact", src, *IMPACT, "-o", str(tmp_path / "imp")])
    err = one_line_error(cli([*args, "--no-screen"]), f"cannot read {src}: ", *needles)
    assert "truncate_ragged_lines" not in err and "Consider" not in err


def test_batch_output_begins_with_the_input_line_number(cli: Cli, tmp_path: Path) -> None:
    """A quoted newline made output rows and file lines differ, with nothing to tie them."""
    got = _batch(cli, tmp_path, 'item,destination,date,note\nEAR99,DE,2024-01-01,"two\nlines"\n'
                 "EAR99,XX,2024-01-01,\n3A991,HK,2021-01-15,x\n")
    assert got.columns[0] == "line"
    assert got["line"].to_list() == ["1", "2", "3"]
    assert got["note"][0] == "two\nlines" and "unknown destination" in got["error"][1]
    parquet = tmp_path / "out.parquet"
    assert cli(["batch", str(tmp_path / "in.csv"), "-o", str(parquet), "--no-screen"])[0] == 0
    assert pl.read_parquet(parquet)["line"].to_list() == [1, 2, 3]


# -- L7: a folder named as a file -----------------------------------------------------------
def test_a_folder_as_input_or_output_file_is_called_a_folder(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "o.csv", "item,destination,date\nEAR99,DE,2024-01-01\n")
    folder = tmp_path / "dir"
    folder.mkdir()
    for args, needle in (
        (["batch", str(folder), "-o", str(tmp_path / "x.csv")], f"input file {folder} is a folder"),
        (["batch", src, "-o", str(folder)], f"cannot write {folder}: it is a folder"),
        (["impact", str(folder), *IMPACT, "-o", str(tmp_path / "imp")],
         f"input file {folder} is a folder"),
    ):
        err = one_line_error(cli(args), needle)
        assert "unsupported" not in err


# -- L8: the caveats of batch and check in one order ---------------------------------------
@pytest.mark.parametrize(("item", "to", "on", "value", "utype"), [
    ("9A610", "VN", "2021-01-26", 55270.65, "government"),
    ("9A515", "MX", "2024-08-12", 15191.18, "civil"),
    ("9A610", "VN", "2021-01-26", 10.0, "government"),
])
def test_batch_caveats_equal_the_scalar_ones_whatever_the_value(
        item: str, to: str, on: str, value: float, utype: str) -> None:
    """Over the LVS limit the scalar path noted LVS before STA, the batch key (decided within
    the limit) after it: the same rules, listed in another order."""
    out = determine_frame(pl.DataFrame({"item": [item], "destination": [to], "date": [on],
                                        "value": [value], "end_user_type": [utype]}))
    scalar = determine(item, to, date.fromisoformat(on), value=value, end_user_type=utype)
    assert "License Exception LVS" in " ".join(scalar.caveats)
    assert out["caveats"][0] == " | ".join(scalar.caveats)


# -- L9: the end-user type -------------------------------------------------------------------
def test_batch_strips_the_end_user_type_and_says_when_civil_is_assumed(
        cli: Cli, tmp_path: Path) -> None:
    got = _batch(cli, tmp_path, "item,destination,date,end_user_type,end_user\n"
                 "3A991.b,HK,2021-01-15, Military ,\n"
                 "3A991.b,HK,2021-01-15,,\n"
                 "3A991.b,HK,2021-01-15,  ,\n"
                 "3A991.b,HK,2021-01-15,civil,\n"
                 "3A991.b,HK,2021-01-15,,People's Liberation Army\n"
                 "3A991.b,XX,2021-01-15,,\n")
    assert got["error"][0] is None and got["reasons"][0] == "MEU"
    caveats = got["caveats"].to_list()
    assert caveats[1].startswith(ASSUMED_CIVIL + " | ") and caveats[2] == caveats[1]
    assert got["outcome"][1] == "NLR"  # civil is still the documented default
    assert caveats[3] == caveats[1].removeprefix(ASSUMED_CIVIL + " | ")  # stated: no caveat
    assert ASSUMED_CIVIL not in (caveats[4] or "")  # a named armed force is military
    assert got["reasons"][4] == "MEU"
    assert caveats[5] is None and "unknown destination" in got["error"][5]


def test_a_file_without_an_end_user_type_column_takes_civil_without_a_caveat() -> None:
    out = determine_frame(pl.DataFrame({"item": ["3A991.b"], "destination": ["HK"],
                                        "date": ["2021-01-15"]}))
    assert ASSUMED_CIVIL not in out["caveats"][0]


def test_check_reads_the_end_user_type_as_batch_does(cli: Cli) -> None:
    base = ["check", "--item", "3A991.b", "--to", "HK", "--on", "2021-01-15", "--no-screen",
            "--json"]
    runs = {}
    for name, extra in (("padded", ["--end-user-type", " Military "]),
                        ("empty", ["--end-user-type", " "]), ("default", [])):
        code, out, err = cli([*base, *extra])
        assert code == 0, err
        runs[name] = json.loads(out)
    assert runs["padded"]["reasons"] == ["MEU"]
    assert runs["empty"]["outcome"] == "NLR" and runs["empty"]["caveats"][0] == ASSUMED_CIVIL
    assert runs["empty"]["caveats"][1:] == runs["default"]["caveats"]
    assert ASSUMED_CIVIL not in runs["default"]["caveats"]


# -- L10: --rate -------------------------------------------------------------------------------
def test_a_usd_rate_is_refused(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "o.csv", "item,destination,value,currency\n3A991.b,HK,100,USD\n")
    one_line_error(cli(["impact", src, *IMPACT, "-o", str(tmp_path / "imp"), "--rate",
                        "USD=2"]), "--rate 'USD=2'", "need no rate")
    assert not (tmp_path / "imp").exists()
    frame = pl.DataFrame({"item": ["3A991.b"], "destination": ["HK"], "value": [100.0]})
    with pytest.raises(InvalidInput, match="rate for USD must be 1"):
        impact(frame, date(2020, 6, 29), date(2021, 1, 15), rates={"usd": 2.0})


def test_two_rates_for_one_currency_are_refused() -> None:
    """The later rate would silently win, and with it every converted value and total."""
    frame = pl.DataFrame({"item": ["3A991.b"], "destination": ["HK"], "value": [100.0],
                          "currency": ["EUR"]})
    with pytest.raises(InvalidInput, match=r"two rates for EUR \(1.08 and 1.1\)"):
        impact(frame, date(2020, 6, 29), date(2021, 1, 15), rates={"EUR": 1.08, "eur ": 1.1})
    same = impact(frame, date(2020, 6, 29), date(2021, 1, 15), rates={"EUR": 1.08, "eur": 1.08})
    assert same.lines["value"].to_list() == [108.0]


def test_a_rate_for_a_currency_not_in_the_file_is_noted(cli: Cli, tmp_path: Path) -> None:
    src = _csv(tmp_path / "o.csv", "item,destination,value,Currency\n3A991.b,HK,1000,JPY\n")
    code, out, err = cli(["impact", src, *IMPACT, "-o", str(tmp_path / "imp"), "--rate",
                          "JPY=0.007", "--rate", "gbp=1.3", "--no-screen"])
    assert code == 0, err
    assert "note: no line is in GBP: the rate given for it was not used" in out
    summary = json.loads((tmp_path / "imp" / "summary.json").read_text())
    assert any("GBP" in n for n in summary["notes"])
    assert pl.read_parquet(tmp_path / "imp" / "lines.parquet")["value"].to_list() == [7.0]
    frame = pl.DataFrame({"item": ["3A991.b"], "destination": ["HK"], "value": [100.0]})
    r = impact(frame, date(2020, 6, 29), date(2021, 1, 15), rates={"EUR": 1.08})
    assert any("no line is in EUR" in n and "no currency column" in n
               for n in r.summary.notes)


# -- L13: CLI ergonomics ---------------------------------------------------------------------
def test_version(cli: Cli) -> None:
    from exportcheck import __version__

    assert cli(["--version"]) == (0, f"exportcheck {__version__}\n", "")


@pytest.mark.parametrize("command", ["check", "impact", "licences"])
def test_a_plain_path_as_db_suggests_the_sqlite_url(cli: Cli, tmp_path: Path,
                                                     command: str) -> None:
    db = tmp_path / "l.db"
    src = _csv(tmp_path / "o.csv", "item,destination\nEAR99,DE\n")
    args = {
        "check": ["check", "--item", "EAR99", "--to", "DE", "--on", "2024-01-01", "--record"],
        "impact": ["impact", src, *IMPACT, "-o", str(tmp_path / "imp")],
        "licences": ["licences", "list"],
    }[command]
    one_line_error(cli([*args, "--db", str(db)]), "not a database URL",
                   f"sqlite:///{db}", "sqlite:////")
    assert not db.exists()


def test_check_record_names_the_login_as_the_ledger_commands_do(cli: Cli,
                                                                tmp_path: Path) -> None:
    from exportcheck.cli.common import cli_actor

    db = tmp_path / "l.db"
    code, _, err = cli(["check", "--item", "EAR99", "--to", "DE", "--on", "2024-01-01",
                        "--no-screen", "--record", "--db", f"sqlite:///{db}"])
    assert code == 0, err
    con = sqlite3.connect(db)
    try:
        actors = [r[0] for r in con.execute("SELECT actor FROM audit_log WHERE kind = ?",
                                            ("determination",))]
    finally:
        con.close()
    assert actors == [cli_actor(None)]
    assert actors[0] in {f"cli:{getpass.getuser()}", "cli"}


# -- L12: the value as given -----------------------------------------------------------------
def test_batch_writes_the_value_and_quantity_as_given(cli: Cli, tmp_path: Path) -> None:
    """`100` came back `100.0`, `1e3` `1000.0`, and a bad value as an empty cell."""
    got = _batch(cli, tmp_path, "item,destination,date,value,quantity\n"
                 "EAR99,DE,2024-01-01,100,2\n"
                 "3A001.a.2,HK,2020-06-29,1e3,\n"
                 'EAR99,DE,2024-01-01,"1,200",x\n'
                 "EAR99,DE,20240101,lots,1\n")
    assert got["value"].to_list() == ["100", "1e3", "1,200", "lots"]
    assert got["quantity"].to_list() == ["2", None, "x", "1"]
    # 1e3 is read as 1,000 (LVS limit); STA: Hong Kong was in A:6 then (740.20(c)(2))
    assert got["license_exceptions"][1] == "LVS,GBS,STA"
    assert got["error"][2] == "value 1,200 is not a number"
    assert got["error"][3].startswith("invalid date '20240101'")  # the value is kept anyway
    numbers = determine_frame(pl.DataFrame({"item": ["EAR99"], "destination": ["DE"],
                                            "date": ["2024-01-01"], "Value": [100]}))
    assert numbers["value"].dtype == pl.Int64 and numbers["value"].to_list() == [100]


def test_a_mistyped_exception_fact_is_an_error_before_a_database_is_made(
        cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    args = ["ship", "--exception", "ACA", "--date", "2024-06-15", "--to", "VN",
            "--consignee", "A", "--end-user", "A", "--item", "3A090.a=1@10", "--key", "k1",
            "--db", f"sqlite:///{db}"]
    one_line_error(cli([*args, "--conditions-met", "XYZ"]), "unknown licence exception(s) XYZ")
    one_line_error(cli([*args, "--headquarters", "XX"]), "unknown headquarters country 'XX'")
    assert not db.exists()
