"""The README's count of rule rows with and without an established start date is the rule
base's own (every table, event files included; a lower bound ``unknown; not before`` counts as
unknown), as ``exportcheck rules history`` reports it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from exportcheck.rules import load_ruleset
from exportcheck.rules.history import history_report
from exportcheck.rules.loader import load_tables

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_start_date_counts_match_the_rule_base() -> None:
    tables, _ = load_tables()
    rows = [r for table in tables.values() for r in table]
    known = sum(1 for r in rows if getattr(r, "start_date_known", True))
    text = " ".join(README.read_text(encoding="utf-8").split())
    m = re.search(
        r"Of ([\d,]+) rule rows, ([\d,]+) still have no start date and ([\d,]+) have one", text
    )
    assert m, "README sentence with the counts not found"
    total, unknown, dated = (int(g.replace(",", "")) for g in m.groups())
    assert (total, unknown, dated) == (len(rows), len(rows) - known, known)
    report = history_report(load_ruleset())
    assert (report.rows, report.undated, report.dated) == (total, unknown, dated)


def test_history_lists_the_undated_rows_of_a_table_and_destination() -> None:
    report = history_report(load_ruleset(), table="group_members", country="AE")
    listed = {u.row.summary: u.not_before for u in report.undated_rows}
    # the UAE's A:5 listing is only bounded below; its ended D:4 membership has no start date
    assert listed["AE in Country Group A:5"] is not None
    assert "AE in Country Group D:4" in listed
    assert all(u.row.table == "group_members" and not u.row.start_date_known
               for u in report.undated_rows)
    assert {g.id for g in report.gaps} >= {"firearms-ifr-2024", "civ-until-2020"}
    groups = next(t for t in report.tables if t.table == "group_members")
    assert groups.rows == groups.dated + groups.undated and groups.dated >= 10


def test_cli_history(cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    code, out, _ = cli(["rules", "history", "--table", "chart_marks", "--country", "AT",
                        "--json"])
    assert code == 0
    res = json.loads(out)
    ended = [u["row"] for u in res["undated_rows"] if u["row"]["effective_to"] == "2023-12-07"]
    assert {r["summary"] for r in ended} == {"AT: X in Country Chart column CC1",
                                             "AT: X in Country Chart column CC3"}
    code, _, err = cli(["rules", "history", "--table", "nope"])
    assert code == 2 and "unknown table 'nope'" in err
