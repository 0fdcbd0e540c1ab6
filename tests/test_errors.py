"""The error family's ``field``: which input an error is about, kept across processes."""

import datetime as dt
import pickle

import pytest

from exportcheck.errors import DateOutOfRange, ExportCheckError, InvalidInput, RateLimited
from exportcheck.impact.core import check_dates
from exportcheck.ledger.snapshot import missing_licence


def test_an_error_names_its_input_and_keeps_it_through_pickling() -> None:
    # Dask workers and the service's worker processes send errors back pickled
    exc = pickle.loads(pickle.dumps(InvalidInput("the portfolio has no lines", field="orders")))
    assert (str(exc), exc.field, type(exc)) == ("the portfolio has no lines", "orders",
                                                 InvalidInput)
    assert ExportCheckError("x").field is None
    limited = pickle.loads(pickle.dumps(RateLimited("too many", retry_after=30)))
    assert (limited.retry_after, limited.field) == (30, None)


def test_a_date_before_the_rule_base_and_a_missing_licence_name_their_box() -> None:
    with pytest.raises(DateOutOfRange) as info:
        check_dates(dt.date(2018, 6, 1), dt.date(2021, 1, 15), None, False)
    assert info.value.field == "from_date"
    assert missing_licence("D123", None).field == "licence_number"
