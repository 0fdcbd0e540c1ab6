"""A one-word company name that a table of legal forms also holds ("OPPO", "HTX") was refused as
"only a legal form", in a screen and in every row of a batch; only the legal forms listed
organisations really carry ("LLC", "GmbH", "OOO") are refused when typed alone."""

from __future__ import annotations

import polars as pl
import pytest

from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.batch import screen_table
from exportcheck.screen.weights import listed_legal_forms


@pytest.mark.parametrize("name", ["OPPO", "HTX", "Oppo", "asc pty ltd"])
def test_a_rare_legal_form_typed_alone_is_a_name(sample_screener: Screener, name: str) -> None:
    assert name.split()[0].casefold() not in listed_legal_forms()
    assert sample_screener.screen(name) == []  # screened, nobody of that name on the samples


@pytest.mark.parametrize("name", ["LLC", "GmbH", "OOO", "Co., Ltd.", "Ltd"])
def test_a_common_legal_form_typed_alone_is_refused(sample_screener: Screener,
                                                    name: str) -> None:
    with pytest.raises(InvalidInput, match="only a legal form"):
        sample_screener.screen(name)


def test_the_learnt_forms_are_the_common_ones() -> None:
    forms = listed_legal_forms()
    assert {"llc", "ltd", "gmbh", "ooo", "jsc"} <= forms
    assert not {"oppo", "htx"} & forms


def test_a_batch_screens_such_a_row(sample_screener: Screener) -> None:
    out = screen_table(pl.DataFrame({"name": ["OPPO", "LLC"]}), "name",
                       screener=sample_screener, country_column="", dob_column="")
    errors = out["error"].to_list()
    assert errors[0] in (None, ""), errors
    assert "legal form" in errors[1]
