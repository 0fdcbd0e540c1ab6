"""The vectorised batch path gives the scalar path's answer, row for row."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.determine.caveats import AFTER_EDITION
from exportcheck.errors import ExportCheckError
from exportcheck.rules.schema import SOURCE_EDITION

CASES = list(csv.DictReader((Path(__file__).with_name("cases.csv")).open(encoding="utf-8")))


def _lines(n: int, seed: int = 7) -> pl.DataFrame:
    rnd = random.Random(seed)
    rows = []
    for _ in range(n):
        c = rnd.choice(CASES)
        value = rnd.choice([None, 0.0, 100.0, 499.0, 500.0, 1499.0, 1500.0, 1501.0, 4999.0, 9e4])
        rows.append(
            {
                "item": c["item"],
                "destination": c["destination"],
                "date": c["date"],
                "value": value,
                "end_user_type": c["end_user_type"] or "civil",
                "end_use": c["end_use"] or None,
            }
        )
    rows.append(
        {
            "item": "3A001.zz",
            "destination": "HK",
            "date": "2021-01-01",
            "value": 1.0,
            "end_user_type": "civil",
            "end_use": None,
        }
    )
    rows.append(
        {
            "item": "3A001",
            "destination": "HK",
            "date": "2021-13-01",
            "value": 1.0,
            "end_user_type": "civil",
            "end_use": None,
        }
    )
    return pl.DataFrame(rows)


def test_batch_equals_scalar_row_for_row() -> None:
    lines = _lines(600)
    out = determine_frame(lines)
    assert out.height == lines.height
    for row in out.iter_rows(named=True):
        try:
            d = determine(
                row["item"],
                row["destination"],
                date.fromisoformat(row["date"]),
                value=row["value"],
                end_user_type=row["end_user_type"],
                end_use=row["end_use"],
            )
        except (ExportCheckError, ValueError) as exc:
            assert row["outcome"] is None and row["error"], (row, exc)
            continue
        assert row["outcome"] == d.outcome.value, row
        assert row["reasons"] == ",".join(d.reasons), row
        assert row["license_exceptions"] == ",".join(e.symbol for e in d.license_exceptions), row
        assert row["review_policy"] == d.review_policy, row
        assert row["caveats"] == (" | ".join(d.caveats) or None), row


def test_batch_caveats_column() -> None:
    """Issue #12 point 1 for audited batch runs: a past line says what rests on today's text,
    a line on or after the eCFR edition says nothing; the column comes after the answer."""
    lines = pl.DataFrame(
        {
            "item": ["3A090.a", "3A090.a", "3A090.a"],
            "destination": ["AE", "AE", "AE"],
            "date": ["2024-03-01", SOURCE_EDITION.isoformat(), "2024-13-01"],
        }
    )
    out = determine_frame(lines)
    assert out.columns[-6:] == ["error", "caveats", "if_out_of_scope", "exception_conditions",
                               "facts_wanted", "party_hits"]
    past, today, bad = out["caveats"].to_list()
    assert past == " | ".join(determine("3A090.a", "AE", date(2024, 3, 1)).caveats)
    assert "Country Group memberships of AE" in past and "D:4" in past
    assert today is None and bad is None


def test_batch_keeps_order_and_input_columns() -> None:
    lines = _lines(50).with_columns(pl.Series("order_id", range(52)))
    out = determine_frame(lines)
    assert out["order_id"].to_list() == list(range(52))
    assert {"outcome", "agency", "reasons", "license_exceptions", "review_policy", "error"} <= set(
        out.columns
    )


def test_negative_value_is_a_row_error() -> None:
    out = determine_frame(
        pl.DataFrame(
            {"item": ["3A001.a.2"], "destination": ["DE"], "date": ["2024-01-01"], "value": [-1.0]}
        )
    )
    assert out["outcome"][0] is None and "non-negative" in out["error"][0]


def test_batch_names_a_reserved_paragraph_in_the_line_error() -> None:
    lines = pl.DataFrame({"item": ["5A001.i", "5A001.f.1"], "destination": ["DE", "DE"],
                          "date": ["2026-01-01", "2026-01-01"], "value": [100.0, 100.0]})
    out = determine_frame(lines)
    errors = out["error"].to_list()
    assert "[Reserved]" in (errors[0] or "") and not errors[1]


def test_memo_of_decided_keys_gives_the_same_answers() -> None:
    """A memo shared by two frames (as a Dask worker shares one between partitions): the
    second frame answers mostly from it, and both equal the frames decided without it."""
    first, second = _lines(300, seed=1), _lines(300, seed=2)
    memo: dict = {}
    assert determine_frame(first, memo=memo).equals(determine_frame(first))
    size = len(memo)
    assert size > 50
    assert determine_frame(second, memo=memo).equals(determine_frame(second))
    assert size < len(memo) < 2 * size  # the second frame shares keys with the first


def test_exception_conditions_as_the_scalar_path_gives_them() -> None:
    # a key is decided without the line's value: LVS's condition is the line's own
    on = date(2020, 6, 29)
    lines = pl.DataFrame({"item": ["9A610.x", "9A610.x", "5A002.a", "9A610.x"],
                          "destination": ["HK", "HK", "DE", "HK"], "date": [on.isoformat()] * 4,
                          "value": [None, 100.0, None, 99999.0]})
    got = determine_frame(lines).get_column("exception_conditions").to_list()
    want = [" | ".join(f"{e.symbol}: {e.conditions}" for e in determine(
                r["item"], r["destination"], on, value=r["value"]).license_exceptions) or None
            for r in lines.iter_rows(named=True)]
    assert got == want
    assert got[0] == "LVS: value not given: LVS limit $1,500 per shipment (9A610)"
    assert got[3] is None  # over the limit: a licence, no exception


def test_a_line_shorter_than_the_header_is_refused_by_name(tmp_path) -> None:
    # the reader would fill end_user with null: a listed party not screened, without a word
    from exportcheck.determine.batch_io import read_lines
    from exportcheck.errors import InvalidInput

    src = tmp_path / "orders.csv"
    src.write_text("item,destination,date,end_user\nEAR99,DE,2024-01-01,Acme\n\n"
                   "3A001.a.2,HK,2021-01-15\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"line 4 has 3 field\(s\) but the header has 4.*"
                                           r"end_user would be read as empty"):
        read_lines(src)
    # an empty last field written with its comma is a field
    src.write_text("item,destination,date,end_user\nEAR99,DE,2024-01-01,\n", encoding="utf-8")
    assert read_lines(src).height == 1


def test_caveats_by_the_side_of_the_edition_match_the_scalar_path() -> None:
    """The caveats are chosen per answer and side of the edition (not rewritten per line):
    the day before, the day of and a day after the eCFR edition, in one period, each as the
    scalar path says; a line in error after the edition keeps the one caveat of later rules."""
    days = [SOURCE_EDITION - timedelta(days=1), SOURCE_EDITION, SOURCE_EDITION + timedelta(30)]
    lines = pl.DataFrame({
        "item": ["3A090.a"] * 4, "destination": ["AE"] * 4,
        "date": [d.isoformat() for d in (*days, days[2])],
        "value": ["100", "100", "100", "lots"],
    })
    out = determine_frame(lines)["caveats"].to_list()
    for got, day in zip(out[:3], days, strict=True):
        assert got == (" | ".join(determine("3A090.a", "AE", day, value=100).caveats) or None)
    assert out[0] and out[1] is None and out[2] == AFTER_EDITION
    assert out[3] == AFTER_EDITION


def test_batch_keeps_an_end_user_type_a_rule_leaves_out() -> None:
    """746.3(a)(4) does not reach the Government of Iraq: a government end user stated with a
    military end use is NLR in the batch too, not collapsed into a civil end user."""
    lines = pl.DataFrame({"item": ["EAR99"] * 2, "destination": ["IQ"] * 2,
                          "date": ["2025-03-01"] * 2, "end_user_type": ["government", "civil"],
                          "end_use": ["military"] * 2})
    out = determine_frame(lines)
    for row in out.iter_rows(named=True):
        d = determine("EAR99", "IQ", date(2025, 3, 1), end_user_type=row["end_user_type"],
                      end_use="military")
        assert (row["outcome"], row["reasons"]) == (d.outcome.value, ",".join(d.reasons)), row
    assert out["outcome"].to_list() == ["NLR", "LICENSE_REQUIRED"]


def test_an_end_use_naming_no_part_744_one_keeps_its_own_caveats() -> None:
    """A stated end use that names none of Part 744's end uses ("civil aviation") is decided
    with the lines stating none, but its caveats are its own: a past line that states one has
    consulted the worldwide end-use rules of unknown start (744.2 ...), as the scalar path
    says; one stating none has not."""
    uses = [None, "", "civil aviation", "research", "military", "nuclear weapon"]
    days = ["2021-06-01", SOURCE_EDITION.isoformat(), "2026-10-01"]
    lines = pl.DataFrame(
        [{"item": item, "destination": dest, "date": day, "end_use": use, "value": 100.0}
         for item in ("5A002.a", "EAR99") for dest in ("DE", "CN") for day in days
         for use in uses])
    out = determine_frame(lines)
    for row in out.iter_rows(named=True):
        d = determine(row["item"], row["destination"], date.fromisoformat(row["date"]),
                      value=100.0, end_use=row["end_use"])
        assert row["caveats"] == (" | ".join(d.caveats) or None), row
        assert row["outcome"] == d.outcome.value, row
    past = out.filter(pl.col("date") == "2021-06-01", pl.col("destination") == "DE",
                      pl.col("item") == "EAR99")
    by_use = dict(zip(past["end_use"], past["caveats"], strict=True))
    assert "744.2 nuclear end use" in by_use["civil aviation"]
    assert "744.2 nuclear end use" not in (by_use[None] or "")


def test_the_answer_outside_the_scope_turns_on_the_value_too() -> None:
    """9A610 to Germany: the 9A610 lines applied conservatively leave no exception; outside
    their scope LVS ($1,500) is offered within the limit and not above it. The batch decided
    such a key at one value only (its answer offers no LVS) and gave every line the
    if_out_of_scope of a value within the limit."""
    values = [None, 100.0, 1500.0, 1501.0, 4999.0]
    lines = pl.DataFrame({"item": ["9A610"] * 5, "destination": ["DE"] * 5,
                          "date": ["2024-01-01"] * 5, "value": values})
    got = determine_frame(lines)["if_out_of_scope"].to_list()
    want = [(d.if_out_of_scope.outcome.value if d.if_out_of_scope else None)
            for d in (determine("9A610", "DE", date(2024, 1, 1), value=v) for v in values)]
    assert got == want
    assert got == ["EXCEPTION_AVAILABLE"] * 3 + ["LICENSE_REQUIRED"] * 2


def test_the_lvs_condition_names_the_eccn_as_the_scalar_path_does() -> None:
    # an item written in lower case is the same item: its LVS condition names 3A001, not 3a001
    lines = pl.DataFrame({"item": ["3a001.a.2"], "destination": ["LB"], "date": ["2023-11-18"],
                          "value": [2999.0]})
    got = determine_frame(lines)["exception_conditions"][0]
    d = determine("3a001.a.2", "LB", date(2023, 11, 18), value=2999.0)
    assert got == " | ".join(f"{e.symbol}: {e.conditions}" for e in d.license_exceptions)
    assert got.startswith("LVS: value $2,999 within LVS limit $5,000 per shipment (3A001)")


def test_a_government_end_user_is_not_decided_as_a_civil_one() -> None:
    """740.22(b)(2)(ii): ACE is not available to government end users in Country Groups
    D:1-D:5. No Part 744 rule names government end users, so the batch decided a government
    line to China as a civil one, and asked it for the facts ACE would rest on."""
    types = ["government", "civil"]
    lines = pl.DataFrame({"item": ["4D004.a"] * 2, "destination": ["CN"] * 2,
                          "date": ["2025-08-20"] * 2, "value": [100.0] * 2,
                          "end_user_type": types})
    out = determine_frame(lines)
    for row, utype in zip(out.iter_rows(named=True), types, strict=True):
        d = determine("4D004.a", "CN", date(2025, 8, 20), value=100.0, end_user_type=utype)
        got = {p.split(":")[0] for p in (row["facts_wanted"] or "").split(" | ") if p}
        assert got == {w.subject for w in d.facts_wanted}, row
    assert out["facts_wanted"].to_list() == [None, "ACE: conditions_met"]


def test_an_end_use_the_review_policies_read_as_military_keeps_its_text() -> None:
    """A review policy for military end uses (742.4(b)(7)) reads the stated end use itself
    (policies.is_military): "paramilitary police" names none of the Part 744 end uses but
    gets the military row, in the batch as in the scalar path."""
    uses = ["paramilitary police", None, "military"]
    lines = pl.DataFrame({"item": ["3A001"] * 3, "destination": ["VE"] * 3,
                          "date": ["2026-07-24"] * 3, "end_use": uses})
    out = determine_frame(lines)
    for row in out.iter_rows(named=True):
        d = determine("3A001", "VE", date(2026, 7, 24), end_use=row["end_use"])
        assert (row["review_policy"], row["caveats"]) == (
            d.review_policy, " | ".join(d.caveats) or None), row


def test_an_error_on_a_key_names_the_lines_own_date() -> None:
    """The key is decided on its period's first day; the line's error names the line's date,
    as `check` does (review 27)."""
    from datetime import date

    from exportcheck.errors import ExportCheckError

    lines = pl.DataFrame({"item": ["EAR99"] * 2, "destination": ["XX"] * 2,
                          "date": ["2024-01-01", "2024-03-05"]})
    out = determine_frame(lines)
    for day, got in zip(("2024-01-01", "2024-03-05"), out["error"], strict=True):
        try:
            determine("EAR99", "XX", date.fromisoformat(day))
        except ExportCheckError as exc:
            assert got == str(exc)
        else:
            raise AssertionError("XX is not a destination")


def test_a_line_with_a_unit_price_is_worth_quantity_times_price() -> None:
    """An ERP export gives quantity and unit price, not the line's value: the value is their
    product (in cents), so the LVS limit is read on it; a value given stands; a price that is
    not a number, or without a quantity, is the line's error, not a silent "no value"."""
    out = determine_frame(pl.DataFrame({
        "item": ["9A610.x"] * 3 + ["EAR99"] * 2,
        "destination": ["HK"] * 3 + ["DE"] * 2,
        "date": ["2020-06-01"] * 3 + ["2024-01-01"] * 2,
        "quantity": ["3", "3", "3", "", "2"],
        "Unit Price": ["500", "500.01", "500.01", "10", "abc"],
        "value": [None, None, "1400", None, None]}))
    assert out["value"].to_list()[:3] == ["1500.0", "1500.03", "1400"]
    # 9A610.x: LVS $1,500 (15 CFR 774 Supp. 1, ECCN 9A610; 740.3(a)(1)), to HK before 30 Jun 2020
    assert out["outcome"].to_list()[:3] == ["EXCEPTION_AVAILABLE", "LICENSE_REQUIRED",
                                            "EXCEPTION_AVAILABLE"]
    assert out["error"].to_list()[3:] == [
        "unit_price needs a quantity: the value is quantity x unit_price",
        "unit_price abc is not a number"]


def test_a_timestamp_date_column_gives_the_day_it_falls_on(tmp_path) -> None:
    """pandas writes dates to Parquet as timestamps: each line was an "invalid date"."""
    from datetime import datetime

    path = tmp_path / "orders.parquet"
    pl.DataFrame({"item": ["3A001.a.2"] * 2, "destination": ["HK"] * 2,
                  "date": [datetime(2020, 6, 29), datetime(2021, 1, 15, 13, 5)]}
                 ).write_parquet(path)
    out = determine_frame(pl.read_parquet(path))
    assert out["error"].to_list() == [None, None]
    assert out["date"].to_list() == ["2020-06-29", "2021-01-15"]
    assert out["outcome"].to_list() == [determine("3A001.a.2", "HK", d).outcome.value
                                        for d in (date(2020, 6, 29), date(2021, 1, 15))]


def test_a_blank_line_is_said_to_be_blank(tmp_path) -> None:
    """A spreadsheet's empty rows and blank lines at the end of a file: named as such, not as
    a line whose item is missing."""
    from exportcheck.determine.batch import BLANK_LINE
    from exportcheck.determine.batch_io import read_lines

    path = tmp_path / "orders.csv"
    path.write_text("item,destination,date\n3A991,HK,2021-01-15\n\n,,\n3A991,CN,2021-01-15\n"
                    ",HK,2021-01-15\n\n")
    out = determine_frame(read_lines(path))
    assert out["error"].to_list() == [None, BLANK_LINE, BLANK_LINE, None,
                                      determine_frame(pl.DataFrame({
                                          "item": [""], "destination": ["HK"],
                                          "date": ["2021-01-15"]}))["error"][0], BLANK_LINE]
    assert out["error"][4].startswith("item classification is empty")
