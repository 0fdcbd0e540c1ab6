"""Review 18 (Python API): determine()'s date, value and quantity are checked where they come
in, each error naming the argument, instead of failing as a bare TypeError in the rules."""

from __future__ import annotations

from datetime import UTC, date, datetime

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.errors import InvalidInput


def test_a_datetime_is_its_day() -> None:
    """It raised TypeError: can't compare datetime.datetime to datetime.date."""
    d = determine("3A001.a.2", "HK", datetime(2020, 7, 15, 10), value=1200)
    assert d.on == date(2020, 7, 15) and d.outcome.value == "LICENSE_REQUIRED"
    aware = determine("3A001.a.2", "HK", datetime(2020, 6, 29, 23, tzinfo=UTC))
    assert aware.on == date(2020, 6, 29)
    # Hong Kong was in Country Group A:6 until 23 Dec 2020: STA under 740.20(c)(2) too
    assert [e.symbol for e in aware.license_exceptions] == ["LVS", "GBS", "STA"]


def test_a_yyyy_mm_dd_string_is_read_as_check_on_reads_it() -> None:
    """It raised TypeError: '<' not supported between instances of 'str' and 'date'."""
    d = determine("3A001.a.2", "HK", "2020-07-15", value=1200)
    assert d.on == date(2020, 7, 15)
    assert d.model_dump() == determine("3A001.a.2", "HK", date(2020, 7, 15),
                                       value=1200).model_dump()
    # the same answer as the frame path gives the same text, which refuses the same typo
    out = determine_frame(pl.DataFrame({"item": ["3A001.a.2"] * 2, "destination": ["HK"] * 2,
                                        "date": ["2020-07-15", "2020-7-15"],
                                        "value": [1200.0, 1200.0]}))
    assert out["outcome"].to_list() == [d.outcome.value, None]
    assert out["error"][1] == "invalid date '2020-7-15': use YYYY-MM-DD"


@pytest.mark.parametrize(("on", "message"), [
    (20200715, "on must be a date (or 'YYYY-MM-DD'), got int 20200715"),
    (None, "on must be a date (or 'YYYY-MM-DD'), got NoneType None"),
    (1594771200.0, "on must be a date (or 'YYYY-MM-DD'), got float 1594771200.0"),
    ("2020-7-15", "invalid on date '2020-7-15': use YYYY-MM-DD"),
    ("20200715", "invalid on date '20200715': use YYYY-MM-DD"),
    ("2020-02-30", "invalid on date '2020-02-30': day is out of range for month"),
])
def test_anything_else_is_invalid_input_naming_on(on: object, message: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        determine("3A001.a.2", "HK", on)  # type: ignore[arg-type]
    assert str(exc.value) == message


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"value": "1200"}, "value must be a number, got str '1200'"),
    ({"quantity": "3"}, "quantity must be a number, got str '3'"),
    ({"value": True}, "value must be a number, got bool True"),
    ({"quantity": [1]}, "quantity must be a number, got list [1]"),
])
def test_a_value_or_quantity_that_is_not_a_number_is_named(kwargs: dict, message: str) -> None:
    """value="1200" raised TypeError: must be real number, not str."""
    with pytest.raises(InvalidInput) as exc:
        determine("3A001.a.2", "HK", date(2020, 7, 15), **kwargs)
    assert str(exc.value) == message


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"end_user": 4711}, "end_user must be text, got int 4711"),
    ({"consignee": 12.5}, "consignee must be text, got float 12.5"),
    ({"end_use": ["military"]}, "end_use must be text, got list ['military']"),
    ({"facts": {"headquarters": "CN"}}, "facts must be a TransactionFacts (exportcheck.models), "
                                        "got dict: TransactionFacts(**facts) reads a dict"),
])
def test_a_party_end_use_or_facts_of_the_wrong_type_is_named(kwargs: dict, message: str) -> None:
    """end_user=4711 raised TypeError: expected string or bytes-like object, got 'int';
    facts={...} (as the REST request spells them) raised AttributeError: 'dict' object has no
    attribute 'headquarters'."""
    with pytest.raises(InvalidInput) as exc:
        determine("3A001.a.2", "HK", date(2020, 7, 15), **kwargs)
    assert str(exc.value) == message


@pytest.mark.parametrize("dest", ["US", "us", "PR", "GU", "VI", "US-CA"])
def test_the_united_states_is_not_an_export_destination(dest: str) -> None:
    """3A090.a "to US" answered LICENSE_REQUIRED and EAR99 to US for a nuclear end use needed a
    licence, as if the US were a foreign country; Puerto Rico was an unknown code."""
    with pytest.raises(InvalidInput) as exc:
        determine("3A090.a", dest, "2025-01-15")
    assert "is in the United States" in str(exc.value) and "not an export" in str(exc.value)


def test_united_states_refused_in_a_batch_line_only() -> None:
    frame = pl.DataFrame({"item": ["EAR99", "EAR99"], "destination": ["PR", "DE"],
                          "on": ["2025-01-15", "2025-01-15"]})
    out = determine_frame(frame)
    assert "not an export" in out["error"][0] and not out["error"][1]
    assert out["outcome"][1] == "NLR"
