"""The facts a licence exception rests on, as columns of an order file (``batch``,
``impact``): the same answers as ``check --headquarters/--nac-notified/--conditions-met``."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.determine.batch_io import check_answer_columns
from exportcheck.errors import InvalidInput
from exportcheck.impact import impact
from exportcheck.models import TransactionFacts

# 3A090.a (advanced computing ICs) under the October 2023 rules: NAC to China needs a
# notification BIS did not object to within 25 days; ACA to Vietnam, a headquarters outside
# Macau and D:5 and the exporter's confirmation
LINES = pl.DataFrame({
    "item": ["3A090.a"] * 8,
    "destination": ["VN", "VN", "CN", "CN", "CN", "CN", "VN", "VN"],
    "date": ["2024-06-15", "2024-06-15", "2024-06-01", "2024-06-01", "2024-06-20",
             "2024-06-01", "2024-06-15", "2024-06-15"],
    "value": ["1000"] * 8,
    "Headquarters": [None, " vn ", None, None, None, None, "XX", None],
    "NAC notified": [None, None, "2024-04-01", "2024-05-20", "2024-05-20", "2024-02-30", None,
                     None],
    "conditions_met": [None, "aca", "NAC", "NAC", "NAC", "NAC", None, "ACA; FOO"],
})


def _facts(row: dict) -> TransactionFacts | None:
    hq, nac, met = row["Headquarters"], row["NAC notified"], row["conditions_met"]
    if not (hq or nac or met):
        return None
    return TransactionFacts(
        headquarters=hq.strip() if hq else None,
        nac_notified=date.fromisoformat(nac) if nac else None,
        conditions_met=frozenset(s.strip() for s in (met or "").replace(";", ",").split(",")
                                 if s.strip()))


def test_batch_with_facts_equals_check_row_for_row() -> None:
    out = determine_frame(LINES)
    # the fact columns found whatever their case and spacing, under their field names
    assert out.columns[4:7] == ["headquarters", "nac_notified", "conditions_met"]
    answers = []
    for row, got in zip(LINES.iter_rows(named=True), out.iter_rows(named=True), strict=True):
        try:
            d = determine(row["item"], row["destination"], date.fromisoformat(row["date"]),
                          value=1000.0, facts=_facts(row))
        except (InvalidInput, ValueError) as exc:
            assert got["outcome"] is None and got["error"], (row, got)
            answers.append(("ERROR", str(exc)[:20]))
            continue
        wanted = {w.subject for w in d.facts_wanted}
        assert got["outcome"] == d.outcome.value, (row, got)
        assert got["license_exceptions"] == ",".join(e.symbol for e in d.license_exceptions)
        assert {p.split(":")[0] for p in (got["facts_wanted"] or "").split(" | ") if p} == wanted
        answers.append((got["outcome"], got["license_exceptions"]))
    assert [a[0] for a in answers] == [
        "LICENSE_REQUIRED", "EXCEPTION_AVAILABLE",  # ACA: without, then with its facts
        "EXCEPTION_AVAILABLE", "LICENSE_REQUIRED",  # NAC: 61 days after the notification; 12
        "EXCEPTION_AVAILABLE",  # the same notification, 31 days on: same rules, other answer
        "ERROR", "ERROR", "ERROR"]


def test_the_facts_wanted_and_the_bad_facts_are_named() -> None:
    out = determine_frame(LINES).get_column
    assert out("facts_wanted")[0] == (
        "review policy: headquarters | NAC: headquarters, nac_notified, conditions_met | "
        "ACA: headquarters, conditions_met")
    errors = out("error").to_list()
    assert "invalid nac_notified date '2024-02-30'" in errors[5]
    assert "unknown headquarters country 'XX'" in errors[6]
    assert "unknown licence exception(s) FOO" in errors[7]


def test_odd_characters_in_a_fact_are_that_line_s_error_only() -> None:
    """A separator-like or control character in a cell is bad input of that line, not a
    crash of the file, and the other lines are answered."""
    lines = LINES.head(2).vstack(pl.DataFrame({
        "item": ["3A090.a"] * 3, "destination": ["VN"] * 3, "date": ["2024-06-15"] * 3,
        "value": ["1"] * 3, "Headquarters": ["V|N", "VN", None],
        "NAC notified": [None, "2024-04-01\x1f", None],
        "conditions_met": ["ACA", "ACA|NAC", "AC\x1fA"]}))
    out = determine_frame(lines)
    assert out.get_column("outcome").to_list()[:2] == ["LICENSE_REQUIRED", "EXCEPTION_AVAILABLE"]
    errors = out.get_column("error").to_list()[2:]
    assert "unknown headquarters country 'V|N'" in errors[0]
    assert "invalid nac_notified date '2024-04-01\ufffd'" in errors[1]
    assert "unknown licence exception(s) AC\ufffdA" in errors[2]


def test_an_output_with_facts_wanted_is_not_taken_as_input() -> None:
    with pytest.raises(InvalidInput, match="facts_wanted"):
        check_answer_columns(determine_frame(LINES.head(1)).columns)


def test_impact_takes_the_facts_on_each_side() -> None:
    """From before the October 2023 rules to June 2024: the confirmed NAC line stays open (as
    NAC), the unconfirmed one needs a licence; the notification of 20 May counts on 20 June."""
    lines = LINES.slice(2, 3).drop("date")
    r = impact(lines, date(2023, 1, 10), date(2024, 6, 20))
    new = r.lines.get_column("new_outcome").to_list()
    assert new == ["EXCEPTION_AVAILABLE", "EXCEPTION_AVAILABLE", "EXCEPTION_AVAILABLE"]
    early = impact(lines, date(2023, 1, 10), date(2024, 6, 1)).lines
    assert early.get_column("new_outcome").to_list() == [
        "EXCEPTION_AVAILABLE", "LICENSE_REQUIRED", "LICENSE_REQUIRED"]
