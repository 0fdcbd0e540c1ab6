"""The Python API as an ERP hook calls it: order lines in a pandas frame, numpy numbers and
pandas' missing values, answered as a polars frame gives them or refused naming the input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.errors import InvalidInput

ANSWER = ["outcome", "reasons", "license_exceptions", "error"]


def test_a_pandas_frame_is_determined_as_the_same_polars_frame() -> None:
    """NaN is a blank cell (the item's error), an int64 quantity and a NaN value are read as
    a polars frame reads them, a date column of timestamps is the day; the index is not a
    column."""
    lines = pd.DataFrame({
        "item": ["3A991", "3A991", np.nan, "3A001.a.2"],
        "destination": ["HK", "HK", "HK", "HK"],
        "date": pd.to_datetime(["2020-07-15", "2021-01-15", "2021-01-15", "2020-06-29"]),
        "end_user_type": ["military", "military", "civil", "civil"],
        "quantity": np.array([1, 2, 3, 4], dtype=np.int64),
        "value": [np.nan, 900.0, 100.0, 1200.0],
    }, index=[10, 20, 30, 40])
    out = determine_frame(lines)
    assert isinstance(out, pl.DataFrame) and "index" not in out.columns
    assert out["outcome"].to_list() == ["NLR", "LICENSE_REQUIRED", None, "EXCEPTION_AVAILABLE"]
    assert out["reasons"][1] == "MEU" and "empty" in out["error"][2]
    same = determine_frame(pl.from_pandas(lines))
    assert out.select(ANSWER).equals(same.select(ANSWER))


@pytest.mark.parametrize("given", ["orders.csv", Path("orders.csv"), [{"item": "3A991"}]])
def test_what_is_not_a_frame_is_refused_naming_it(given: object) -> None:
    with pytest.raises(InvalidInput, match=r"^lines must be a") as err:
        determine_frame(given)
    if not isinstance(given, list):
        assert "read_lines" in str(err.value)  # how to read a file as `batch` does


def test_a_missing_date_from_pandas_is_named_not_a_comparison_error() -> None:
    with pytest.raises(InvalidInput, match=r"on is missing \(NaT\)"):
        determine("3A991", "HK", pd.NaT)
    # a Timestamp is its day, as a datetime is
    assert determine("3A991", "HK", pd.Timestamp("2021-01-15"), end_user_type="military"
                     ).reasons == determine("3A991", "HK", date(2021, 1, 15),
                                            end_user_type="military").reasons == ["MEU"]
