"""impact() takes its dates and order lines as determine() and determine_frame() do: 'YYYY-MM-DD'
text, a datetime's day, a pandas frame; a bad one is named, not a TypeError from a comparison."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import polars as pl
import pytest

from exportcheck.errors import InvalidInput
from exportcheck.impact import impact

ORDERS = pl.DataFrame({
    "order_id": ["SO-1", "SO-2"],
    "item": ["3A001.a.2", "3A991.b"],
    "destination": ["HK", "HK"],
    "value": [1200.0, 900.0],
    "end_user_type": ["civil", "military"],
})


def _answer(result: object) -> list[tuple]:
    return result.lines.select("order_id", "old_outcome", "new_outcome", "cause").rows()


def test_dates_as_text_datetimes_and_a_pandas_frame_give_the_same_impact() -> None:
    expected = _answer(impact(ORDERS, date(2020, 6, 29), date(2021, 1, 15)))
    assert [row[1:3] for row in expected] == [("EXCEPTION_AVAILABLE", "LICENSE_REQUIRED"),
                                              ("NLR", "LICENSE_REQUIRED")]
    assert _answer(impact(ORDERS, "2020-06-29", "2021-01-15")) == expected
    assert _answer(impact(ORDERS, datetime(2020, 6, 29, 9), pd.Timestamp("2021-01-15"))) \
        == expected
    assert _answer(impact(ORDERS.to_pandas(), date(2020, 6, 29), date(2021, 1, 15))) == expected


def test_a_date_in_another_format_is_named() -> None:
    with pytest.raises(InvalidInput, match=r"invalid from_date '29/06/2020': use YYYY-MM-DD"):
        impact(ORDERS, "29/06/2020", "2021-01-15")
    with pytest.raises(InvalidInput, match=r"to_date must be a date"):
        impact(ORDERS, date(2020, 6, 29), 20210115)
