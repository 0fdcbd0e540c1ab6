"""The CLI: readable and JSON output, and a one-line error with exit code 2 for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest


def test_check_json_has_the_contract_keys(cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    code, out, _ = cli(
        [
            "check",
            "--item",
            "3A001.a.2",
            "--to",
            "HK",
            "--on",
            "2020-07-15",
            "--value",
            "1200",
            "--quantity",
            "3",
            "--json",
            "--no-screen",
        ])
    assert code == 0
    d = json.loads(out)
    assert {
        "outcome",
        "agency",
        "reasons",
        "license_exceptions",
        "review_policy",
        "trace",
    } <= d.keys()
    assert d["outcome"] == "LICENSE_REQUIRED" and d["agency"] == "BIS" and d["reasons"] == ["NS2"]
    assert all({"rule", "citation", "effective_from"} <= t.keys() for t in d["trace"])
    assert any("740.2(a)(23)" in t["detail"] for t in d["trace"])


def test_check_table(cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    code, out, _ = cli(
        [
            "check",
            "--item",
            "3A991",
            "--to",
            "HK",
            "--on",
            "2021-01-15",
            "--end-user-type",
            "military",
            "--no-screen",
        ])
    assert code == 0
    assert "LICENSE_REQUIRED" in out and "MEU" in out and "85 FR 83765" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--item", "3A999X", "--to", "HK", "--on", "2021-01-01"], "malformed ECCN"),
        (["--item", "3A001..a", "--to", "HK", "--on", "2021-01-01"], "malformed ECCN paragraph"),
        (["--item", "3A001.q", "--to", "HK", "--on", "2021-01-01"], "no paragraph"),
        (["--item", "9Z999", "--to", "HK", "--on", "2021-01-01"], "product group"),
        (["--item", "rifle", "--to", "HK", "--on", "2021-01-01"], "unrecognised item"),
        (["--item", "3A998", "--to", "HK", "--on", "2021-01-01"], "unknown ECCN 3A998"),
        (["--item", "3A090.a", "--to", "CN", "--on", "2021-01-01"], "unknown ECCN 3A090"),
        (["--item", "USML:XXV", "--to", "HK", "--on", "2021-01-01"], "unknown USML category"),
        (["--item", "USML:11", "--to", "HK", "--on", "2021-01-01"], "malformed USML"),
        (["--item", "3A001", "--to", "XX", "--on", "2021-01-01"], "unknown destination"),
        # a region without rules of its own: its country's code, not a hint at any 3166-2 code
        (["--item", "3A001", "--to", "UA-65", "--on", "2024-01-01"],
         "regions of UA with rules of their own are UA-09, UA-14, UA-40, UA-43; for any other, "
         "give UA"),
        (["--item", "3A001", "--to", "CN-HK", "--on", "2020-01-01"],
         "give HK, its own ISO 3166-1 code"),
        (["--item", "3A001", "--to", "DE-BY", "--on", "2021-01-01"],
         "no region of DE has rules of its own: give DE"),
        (["--item", "3A001", "--to", "HK", "--on", "2018-12-31"], "before the rule base starts"),
        (["--item", "3A001", "--to", "HK", "--on", "15/07/2020"], "invalid date"),
        (["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--value", "-5"], "non-negative"),
        (
            ["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--quantity", "-1"],
            "non-negative",
        ),
        (
            ["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--end-user-type", "pirate"],
            "unknown end-user type",
        ),
        # command-line mistakes: one line too, not a usage box
        (["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--value", "abc"], "'--value'"),
        (["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--value", "inf"], "finite"),
        (["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--quantity", "x"], "quantity"),
        (["--item", "3A001", "--to", "HK"], "Missing option '--on'"),
        (["--item", "3A001", "--to", "HK", "--on", "2021-01-01", "--bogus"], "No such option"),
        (["--item", "USML:XI(a)(zz)", "--to", "HK", "--on", "2021-01-01"], "USML paragraph"),
        (["--item", "3A001.z.1.a", "--to", "DE", "--on", "2019-06-01"], "88 FR 73458"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    args: list[str], needle: str, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    code, _, err = cli(["check", *args])
    assert code == 2
    assert needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_hong_kong_is_not_a_destination_after_2020_for_rules_show(
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    code, out, _ = cli(["rules", "show", "HK", "--on", "2021-01-15", "--json"])
    assert code == 0
    res = json.loads(out)
    assert res["ear_as"] == "CN" and res["itar_as"] == "CN"
    assert any("85 FR 83765" in r["citation"] for r in res["rows"])
    assert any(r["summary"].startswith("CN in Country Group D:5") for r in res["rows"])
    code, out, _ = cli(["rules", "show", "HK", "--on", "2020-06-29", "--json"])
    before = json.loads(out)
    assert before["ear_as"] == "HK"
    assert any(r["summary"] == "HK in Country Group B" for r in before["rows"])


def test_rules_diff_lists_the_2020_changes_with_citations(
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    code, out, _ = cli(
        [
            "rules",
            "diff",
            "--from",
            "2020-06-29",
            "--to",
            "2020-12-23",
            "--country",
            "HK",
            "--json",
        ])
    assert code == 0
    changes = json.loads(out)
    cites = " ".join(c["row"]["citation"] for c in changes)
    assert "85 FR 45998" in cites and "85 FR 83765" in cites
    kinds = {(c["change"], c["row"]["table"]) for c in changes}
    assert ("removed", "chart_marks") in kinds and ("added", "aliases") in kinds
    code, _, err = cli(["rules", "diff", "--from", "2021-01-01", "--to", "2020-01-01"])
    assert code == 2 and "before --from" in err


def test_rules_diff_names_the_notice_of_a_country_group_move(
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    """An auditor checks each change against the notice that made it: Ukraine's move into
    Country Group B on 28 Dec 2020 cites 85 FR 84211 (the row's start_citation), not only
    '15 CFR 740 Supp. 1'; the UAE's A:5 listing, applied from 21 Jun 2026 at the earliest,
    is listed and said to be a bound; Cambodia's removal from D:5 cites FR Doc 2026-02262."""
    args = ["rules", "diff", "--from", "2020-12-27", "--to", "2020-12-28", "--country", "UA"]
    code, out, _ = cli(args)
    assert code == 0 and "84211" in out
    code, out, _ = cli([*args, "--json"])
    into_b = next(c for c in json.loads(out) if c["row"]["summary"] == "UA in Country Group B")
    assert "85 FR 84211" in into_b["row"]["start_citation"]
    code, out, _ = cli(["rules", "diff", "--from", "2026-06-20", "--to", "2026-06-21",
                        "--country", "AE", "--json"])
    a5 = next(c for c in json.loads(out) if c["row"]["summary"] == "AE in Country Group A:5")
    assert (a5["on"], a5["change"], a5["row"]["not_before"]) == ("2026-06-21", "added",
                                                                 "2026-06-21")
    code, out, _ = cli(["rules", "show", "AE", "--on", "2026-07-01"])
    assert "not before" in out
    # a dated row shows the notice that dates it: Russia's D:5 listing, 86 FR 14802
    code, out, _ = cli(["rules", "show", "RU", "--on", "2021-03-18"])
    assert code == 0 and "14802" in out
    # a removal cites the notice that ended the row, not the one that had made it
    code, out, _ = cli(["rules", "diff", "--from", "2026-02-02", "--to", "2026-02-03",
                        "--country", "KH"])
    assert code == 0 and "2026-02262" in out


def test_batch_round_trip(tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    src = tmp_path / "lines.csv"
    src.write_text(
        "item,destination,date,value,end_user_type\n"
        "3A001.a.2,HK,2020-06-29,1000,civil\n"
        "3A001.a.2,HK,2020-07-15,1000,civil\n"
        "3A991,HK,2021-01-15,10,military\n"
        "bogus,HK,2021-01-15,10,civil\n"
    )
    out = tmp_path / ("a-long-folder-name-" * 6) / "out.parquet"
    out.parent.mkdir()
    code, stdout, _ = cli(["batch", str(src), "-o", str(out), "--no-screen"])
    # Piped output is not folded: the summary is one line and the path is whole.
    assert code == 0 and f"4 lines → {out} (" in stdout and len(stdout.strip().splitlines()) == 1
    res = pl.read_parquet(out)
    assert res["outcome"].to_list() == [
        "EXCEPTION_AVAILABLE",
        "LICENSE_REQUIRED",
        "LICENSE_REQUIRED",
        None,
    ]
    assert "unrecognised item" in res["error"][3]


def test_batch_bad_file(tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    bad = tmp_path / "lines.txt"
    bad.write_text("hello")
    code, _, err = cli(["batch", str(bad), "-o", str(tmp_path / "o.csv")])
    assert code == 2 and "unsupported input format" in err
    missing = tmp_path / "nocol.csv"
    missing.write_text("foo,bar\n1,2\n")
    code, _, err = cli(["batch", str(missing), "-o", str(tmp_path / "o.csv")])
    assert code == 2 and "column" in err and "['foo', 'bar']" in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["rules", "show", "XX", "--on", "2020-01-01"], "unknown destination 'XX'"),
        (["rules", "show", "HK", "--on", "2018-01-01"], "before the rule base starts"),
        (["rules", "diff", "--from", "2018-06-29", "--to", "2020-01-01"], "before the rule base"),
        (["rules", "diff", "--from", "2021-01-01", "--to", "2020-01-01"], "is before --from"),
        (["rules", "diff", "--from", "2020-06-29", "--to", "2020-12-23", "--country", "XX"],
         "unknown destination 'XX'"),
        (["rules", "diff", "--from", "2020-06-29", "--to", "2020-12-23", "--country", ""],
         "destination is empty"),
        (["rules", "derive", "LI", "--on", "2024-01-01"], "determines it as CH"),
        (["rules", "derive", "UA-43", "--on", "2024-01-01"], "special region"),
        (["rules", "derive", "US", "--on", "2024-01-01"], "exporting country"),
        (["rules", "show"], "Missing"),
    ],
)
def test_rules_bad_input_is_one_line_exit_2(
    args: list[str], needle: str, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    code, _, err = cli(args)
    assert code == 2 and needle in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_help_still_prints_help(cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    code, out, _ = cli(["check", "--help"])
    assert code == 0 and "--item" in out
    code, out, _ = cli([])
    assert code == 0 and "rules" in out and out.count("Usage:") == 1
    code, out, _ = cli(["rules"])
    assert code == 0 and "derive" in out and out.count("Usage:") == 1


def test_batch_bad_lines_are_row_errors_and_bad_output_is_refused(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    src = tmp_path / "lines.csv"
    src.write_text(
        "item,destination,date,value,quantity\n"
        "3A001.a.2,HK,,,\n"
        "3A001.a.2,HK,2020-06-29,abc,\n"
        "3A001.a.2,HK,2020-06-29,inf,\n"
        ",HK,2020-06-29,,\n"
        "3A001.a.2,,2020-06-29,,\n"
        "3A001.a.2,HK,2020-06-29,100,-1\n"
        "3A001.a.2,HK,2020-06-29,100,\n"
    )
    out = tmp_path / "out.csv"
    code, _, err = cli(["batch", str(src), "-o", str(out)])
    assert code == 0, err
    res = pl.read_csv(out, infer_schema_length=0)
    assert res["error"].to_list()[:6] == [
        "date is empty: give the day of export as YYYY-MM-DD",
        "value abc is not a number",
        "value must be a finite amount in USD",
        # the scalar path's words (determine/items.py, determine/engine.py)
        "item classification is empty: give an ECCN, EAR99 or USML:<category>",
        "destination is empty: give an ISO 3166 code such as HK or DE",
        "quantity must be a finite, non-negative number",
    ]
    for args, line in ((["--item", "", "--to", "HK"], 3), (["--item", "EAR99", "--to", ""], 4)):
        code, _, err = cli(["check", *args, "--on", "2020-06-29"])
        assert code == 2 and err.strip() == f"error: {res['error'][line]}"
    assert res["outcome"].to_list() == [None] * 6 + ["EXCEPTION_AVAILABLE"]
    nested = tmp_path / "nested.parquet"
    pl.DataFrame({"item": ["3A001"], "destination": ["HK"], "date": ["2020-06-29"],
                  "value": [[1.0, 2.0]]}).write_parquet(nested)
    code, _, err = cli(["batch", str(nested), "-o", str(out)])
    assert code == 2 and "'value' must hold numbers" in err
    code, _, err = cli(["batch", str(src), "-o", str(tmp_path / "no" / "dir" / "o.csv")])
    assert code == 2 and "does not exist" in err and err.count("\n") == 1


def test_console_script_runs() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "exportcheck",
            "check",
            "--item",
            "EAR99",
            "--to",
            "CU",
            "--on",
            "2024-01-01",
            "--json",
            "--no-screen",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outcome"] == "LICENSE_REQUIRED"


def test_recorded_determination_is_in_the_audit_trail(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    from exportcheck.ledger import Ledger

    url = f"sqlite:///{tmp_path / 'audit.db'}"
    code, out, _ = cli(["check", "--item", "3A991", "--to", "HK", "--on", "2021-01-15",
                        "--end-user-type", "military", "--no-screen", "--record",
                        "--actor", "officer.lee", "--db", url])  # fmt: skip
    assert code == 0 and "recorded in the audit trail" in out
    ledger = Ledger(url)
    assert ledger.verify_audit().ok
    buf = __import__("io").StringIO()
    ledger.export_audit(buf, fmt="json")
    entries = json.loads(buf.getvalue())["entries"]
    entry = next(e for e in entries if e["kind"] == "determination")
    assert entry["actor"] == "officer.lee"
    assert entry["payload_parsed"]["outcome"] == "LICENSE_REQUIRED"
    versions = json.loads(entry["versions"])
    assert versions["rule_base"] == entry["payload_parsed"]["ruleset_version"]


def test_db_or_actor_without_record_is_refused_not_ignored(
    tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]
) -> None:
    """``--db`` and ``--actor`` say where and by whom ``--record`` writes: given alone they
    were ignored, and the user believed the decision recorded."""
    from cli_helpers import one_line_error

    db = tmp_path / "audit.db"
    base = ["check", "--item", "3A991", "--to", "HK", "--on", "2021-01-15", "--no-screen"]
    one_line_error(cli([*base, "--db", f"sqlite:///{db}"]), "--db is for --record",
                   "add --record")
    one_line_error(cli([*base, "--actor", "officer.lee"]), "--actor is for --record")
    assert not db.exists()


def test_rules_show_keeps_ear_and_itar_apart(
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    # 15 Jul 2020: the ITAR already treats Hong Kong as China (126.1(d)(1)); the EAR does not yet
    code, out, _ = cli(["rules", "show", "HK", "--on", "2020-07-15", "--json"])
    res = json.loads(out)
    assert code == 0 and res["ear_as"] == "HK" and res["itar_as"] == "CN"
    summaries = [r["summary"] for r in res["rows"]]
    assert not any(s.startswith("CN: X in Country Chart") for s in summaries)
    assert any(s.startswith("HK: X in Country Chart column NS2") for s in summaries)
    assert any("126.1(d)(1): CN" in s for s in summaries)


def test_rules_derive_shows_where_the_hong_kong_row_comes_from(
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    code, out, _ = cli(["rules", "derive", "HK", "--on", "2020-06-29", "--json"])
    assert code == 0
    doc = json.loads(out)
    assert doc["agrees"] is True and doc["groups"] == ["A:6", "B"]
    cols = {c["column"]: c for c in doc["columns"]}
    assert cols["CB2"]["derived"] and "A:3" in cols["CB2"]["definition"]
    assert not cols["NP2"]["derived"] and not cols["NP2"]["printed"]
    code, out, _ = cli(["rules", "derive", "HK", "--on", "2020-06-29"])
    assert code == 0 and "row agrees with the column definitions" in out
    code, _, err = cli(["rules", "derive", "HK", "--on", "2021-01-15"])
    assert code == 2 and "determines it as CN" in err and "Traceback" not in err


def test_batch_of_a_header_alone_says_there_is_no_line(
        tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    """Review 41: it printed "0 lines → out.csv ()", an empty pair of brackets."""
    src = tmp_path / "lines.csv"
    src.write_text("item,destination,date\n")
    code, stdout, _ = cli(["batch", str(src), "-o", str(tmp_path / "out.csv"), "--no-screen"])
    assert code == 0 and "0 lines → " in stdout and ": the file has no order line" in stdout
    assert "()" not in stdout
    assert pl.read_csv(tmp_path / "out.csv").height == 0
