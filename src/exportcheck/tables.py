"""A table handed to the Python API: a polars frame, or a pandas one read as polars.

An ERP hook in Python most often holds its order lines or parties in pandas; the batch paths
work in polars. A pandas frame is converted here (its index dropped, NaN and None read as
missing cells, as a blank CSV cell is), so ``determine_frame``, ``impact`` and
``screen_table`` take it as they take a polars frame. Anything else is refused naming what it
got, never a bare ``AttributeError`` from deep in the batch path. A numpy number taken from
such a frame (a quantity as ``numpy.int64``) is read as the Python number it holds.
"""

from __future__ import annotations

from decimal import Decimal
from numbers import Integral, Real
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, TypeAlias

import polars as pl
from pydantic import BeforeValidator

from exportcheck.errors import InvalidInput

if TYPE_CHECKING:
    import pandas

    #: what the batch paths of the Python API take
    Table: TypeAlias = pl.DataFrame | pl.LazyFrame | pandas.DataFrame


def polars_frame(table: Any, what: str = "lines") -> pl.DataFrame:
    """``table`` as a polars DataFrame: itself, a LazyFrame collected, or a pandas DataFrame
    converted; ``what`` names the argument in the error for anything else."""
    if isinstance(table, pl.DataFrame):
        return table
    if isinstance(table, pl.LazyFrame):
        return table.collect()
    if type(table).__module__.partition(".")[0] == "pandas" and hasattr(table, "columns"):
        try:
            return pl.from_pandas(table)
        except Exception as exc:  # pyarrow's and polars' errors: an object column of mixed types
            raise InvalidInput(f"{what}: cannot read this pandas frame as a table: {exc} "
                               "(give each column one type)") from None
    if isinstance(table, str | PurePath):
        raise InvalidInput(f"{what} must be a data frame, got the path {str(table)!r}: read the "
                           "file first (exportcheck.determine.batch.read_lines reads an order "
                           "file as `batch` does; pl.read_csv / pl.read_parquet)")
    raise InvalidInput(f"{what} must be a polars or pandas DataFrame, got "
                       f"{type(table).__name__}")


def plain_number(value: object) -> object:
    """A numpy or pandas number (``numpy.int64`` from a frame's integer column) as the Python
    int or float it holds, anything else as it is: pydantic's Decimal takes Python numbers
    alone, and said of an int64 quantity only "Decimal input should be an integer, float,
    string or Decimal object"."""
    if isinstance(value, bool | int | float | Decimal | str) or not isinstance(value, Real):
        return value
    return int(value) if isinstance(value, Integral) else float(value)


#: a model field's validator that reads a numpy or pandas number as :func:`plain_number` does
PLAIN_NUMBER = BeforeValidator(plain_number)
