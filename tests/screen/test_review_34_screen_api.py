"""Screening from Python as an ERP hook calls it: a pandas table, a date of birth from a
frame (a Timestamp), one list code as a string, and screen_table calls that overlap."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import polars as pl
import pytest

from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.batch import screen_table


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


def test_a_date_of_birth_with_a_time_is_its_day(samples: Screener) -> None:
    """LEE, Ka Chiu (SDN 29250) was born on 7 Dec 1957: a Timestamp or datetime of that day
    agrees with the listed date as the date does, not with its year alone."""
    on_the_day = samples.screen("Lee Ka", country="HK", dob=date(1957, 12, 7))[0]
    assert "date of birth 1957-12-07 listed (+5)" in on_the_day.explanation
    for dob in (pd.Timestamp("1957-12-07"), datetime(1957, 12, 7, 0, 0)):
        hit = samples.screen("Lee Ka", country="HK", dob=dob)[0]
        assert (hit.entry_id, hit.score, hit.explanation) == (
            on_the_day.entry_id, on_the_day.score, on_the_day.explanation)
    # a blank cell of a frame is no date of birth
    assert samples.screen("Lee Ka", country="HK", dob=pd.NaT) == samples.screen(
        "Lee Ka", country="HK")


def test_one_list_code_as_a_string_is_that_list(samples: Screener) -> None:
    hits = samples.screen("Carrie Lam", country="HK", lists="SDN")
    assert hits and {h.list for h in hits} == {"SDN"}
    assert samples.screen("Carrie Lam", country="HK", lists="SDN, NONSDN") == samples.screen(
        "Carrie Lam", country="HK", lists=["SDN", "NONSDN"])


def test_a_pandas_table_of_parties_is_screened_as_the_polars_one(samples: Screener) -> None:
    parties = pl.DataFrame({"name": ["Carrie Lam", "李家超", None], "country": ["HK", "HK", None]})
    out = screen_table(parties.to_pandas(), "name", screener=samples, workers=1)
    assert out.equals(screen_table(parties, "name", screener=samples, workers=1))
    assert out["entry_id"].to_list()[:2] == ["29249", "29250"]


def test_an_overlapping_screen_table_keeps_its_own_threshold(samples: Screener) -> None:
    """Another screen_table started while one runs (another thread, or here its progress
    callback) must not change the first one's screener or threshold."""
    names = pl.DataFrame({"name": ["Carrie Lim"] * 4, "country": ["HK"] * 4})
    alone = screen_table(names, "name", screener=samples, threshold=100, workers=1)
    loose = screen_table(names, "name", screener=samples, threshold=50, workers=1)
    assert alone["hit_count"].to_list() == [0] * 4 and loose["hit_count"].min() > 0

    def meanwhile(_done: int) -> None:
        screen_table(names.head(1), "name", screener=samples, threshold=50, workers=1)

    strict = screen_table(names, "name", screener=samples, threshold=100, workers=1, chunk=1,
                          progress=meanwhile)
    assert strict.equals(alone)


@pytest.mark.parametrize("column", [None, ""])
def test_no_name_column_is_named_not_an_assertion(column) -> None:
    with pytest.raises(InvalidInput, match="name_column: give the column"):
        screen_table(pl.DataFrame({"name": ["a"]}), column, screener=Screener.from_samples())
