"""Lines an impact run could not determine (session 34 review): their money is counted apart,
and an error found on both dates says both, not the new date alone."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck.impact import impact

D0, D1 = date(2020, 6, 29), date(2020, 12, 24)


def _run():
    lines = pl.DataFrame({"item": ["3A001.a.2", "3A001.a.2", "EAR99", "3A001.a.2"],
                          "destination": ["HK", "XX", "CN", "CN"],
                          "value": [1000.0, 5000.0, 200.0, 700.0]})
    return impact(lines, D0, D1)


def test_the_value_of_lines_not_determined_is_counted_apart() -> None:
    t = _run().summary.totals
    assert t.errors == 1 and t.value == 6900.0
    assert t.value_errors == 5000.0
    assert t.value_changed <= t.value - t.value_errors


def test_an_error_on_both_sides_names_both_days() -> None:
    lines = _run().lines
    err = lines.filter(pl.col("destination") == "XX")["error"].item()
    assert "on 2020-06-29 and 2020-12-24" in err, err
    assert lines.filter(pl.col("destination") == "HK")["error"].item() is None


def test_the_report_card_says_the_value_not_determined(tmp_path) -> None:
    r = _run()
    r.write(tmp_path)
    assert "lines not determined ($5,000" in (tmp_path / "report.html").read_text("utf-8")
