"""Inputs of the ledger's Python API read one way: a model from a dict, a date argument.

A dict that is not a valid licence, shipment ... is one :class:`InvalidInput` naming each bad
field; a date argument (``effective``, ``as_of``) is a date or ``YYYY-MM-DD`` text, as the
models' date fields are, never a bare ``TypeError`` from a comparison deep in a query.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, TypeVar, overload

from pydantic import BaseModel, ValidationError

from exportcheck.dates import parse_iso_date
from exportcheck.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: M | dict[str, Any]) -> M:
    """Validate API input, turning pydantic's errors into one readable :class:`InvalidInput`."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        what = _in_words(model)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or what}: "
            f"{err['msg'].removeprefix('Value error, ')}" for err in exc.errors())
        raise InvalidInput(f"invalid {what}: {problems}") from None


def _in_words(model: type) -> str:
    """An input model as its errors name it: ShipmentReversalIn -> "shipment reversal"."""
    name = model.__name__.removesuffix("In")
    return " ".join(w.lower() for w in re.findall(r"[A-Z][a-z]*", name)) or name


@overload
def day(value: object, what: str, *, required: Literal[True]) -> dt.date: ...
@overload
def day(value: object, what: str, *, required: bool = False) -> dt.date | None: ...
def day(value: object, what: str, *, required: bool = False) -> dt.date | None:
    """A date argument: a date, or ``YYYY-MM-DD`` text; None when not ``required``. A datetime
    is refused as the models' date fields refuse it: a ledger date is a calendar day, and
    which one a time of day in some zone falls on is the caller's to say (``.date()``)."""
    if value is None and not required:
        return None
    if isinstance(value, str):
        return parse_iso_date(value, what if "date" in what else f"{what} date")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    hint = ": pass its .date()" if isinstance(value, dt.datetime) else ""
    raise InvalidInput(f"{what} must be a date or a string YYYY-MM-DD, got "
                       f"{type(value).__name__} {value!r}{hint}")
