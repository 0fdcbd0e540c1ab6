"""Impact input checks from the QA pass after review 17: a value above the ledger's cap is the
line's error, and order ids that repeat are warned about (never an error)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl

from exportcheck.impact import impact

D0, D2 = date(2020, 6, 29), date(2021, 1, 15)
CAP = "999,999,999,999.99"


def _frame(values: list[str], **columns: list[str]) -> pl.DataFrame:
    n = len(values)
    return pl.DataFrame({**columns, "item": ["3A001.a.2"] * n, "destination": ["HK"] * n,
                         "value": values})


def test_a_value_above_the_ledgers_cap_is_the_lines_error() -> None:
    r = impact(_frame(["99999999999999999999", "999999999999.99", "1000000000000", "100"]),
               D0, D2)
    errors = r.lines["error"].to_list()
    assert errors[1] is None and errors[3] is None
    for error in (errors[0], errors[2]):
        assert error is not None and "too large" in error and f"at most {CAP} USD" in error
    assert "1e+20" in errors[0]
    assert r.lines["value"].to_list() == [None, 999999999999.99, None, 100.0]
    assert r.lines["old_outcome"][0] is None and r.lines["new_outcome"][0] is None
    totals = r.summary.totals
    assert totals.errors == 2 and totals.value == 1_000_000_000_099.99


def test_the_cap_is_on_the_value_in_usd() -> None:
    frame = _frame(["950000000000", "900000000000"], currency=["EUR", "USD"])
    r = impact(frame, D0, D2, rates={"EUR": 1.08})
    assert "too large" in r.lines["error"][0] and r.lines["error"][1] is None


def test_repeated_order_ids_are_a_warning_naming_them() -> None:
    ids = ["SO-1", "SO-2", "SO-1", "SO-3", "SO-2", "SO-1", None, None]
    r = impact(_frame(["10"] * len(ids), order_id=ids), D0, D2)
    assert r.lines["error"].null_count() == len(ids)  # not an error
    (warning,) = r.summary.warnings
    assert warning.startswith("2 order_id values appear on more than one line: "
                              "'SO-1' (lines 1, 3, 6); 'SO-2' (lines 2, 5)")
    assert "line_no" in warning  # what tells an order's lines apart
    assert "SO-3" not in warning
    assert r.summary.totals.value == 80.0  # counted as given


def test_an_order_of_several_lines_is_no_repeat() -> None:
    frame = _frame(["10", "20", "30"], order_id=["SO-1", "SO-1", "SO-2"],
                   line_no=["1", "2", "1"])
    assert impact(frame, D0, D2).summary.warnings == []
    frame = _frame(["10", "10"], order_id=["SO-1", "SO-1"], line_no=["1", "1"])
    (warning,) = impact(frame, D0, D2).summary.warnings
    assert "1 order_id / line_no value appears" in warning and "'SO-1' / '1'" in warning


def test_only_the_first_few_repeats_are_named() -> None:
    ids = [f"SO-{i}" for i in range(8)] * 2
    (warning,) = impact(_frame(["1"] * len(ids), order_id=ids), D0, D2).summary.warnings
    assert warning.startswith("8 order_id values") and "; and 3 more" in warning
    assert "'SO-4'" in warning and "'SO-5'" not in warning


def test_the_command_prints_the_warning_and_the_summary_keeps_it(
        tmp_path: Path, cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    orders = tmp_path / "orders.csv"
    _frame(["10", "20", "99999999999999999999"], order_id=["A", "A", "B"]).write_csv(orders)
    out = tmp_path / "impact"
    code, stdout, err = cli(["impact", str(orders), "--from", D0.isoformat(), "--to",
                             D2.isoformat(), "-o", str(out)])
    assert code == 0, err
    assert "warning: 1 order_id value appears on more than one line: 'A' (lines 1, 2)" \
        in " ".join(stdout.split())
    summary = json.loads((out / "summary.json").read_text())
    assert summary["warnings"][0].startswith("1 order_id value appears")
    assert summary["totals"]["errors"] == 1
    lines = pl.read_parquet(out / "lines.parquet")
    assert f"at most {CAP} USD" in lines["error"][2]
    assert "warning: 1 order_id value" in (out / "report.html").read_text()
