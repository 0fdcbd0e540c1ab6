"""One spelling of a date everywhere: ``YYYY-MM-DD``.

``check --on``, ``batch``, ``impact``, the ledger's files, the REST API and the Python models
all read a date through :func:`parse_iso_date`, so no input means one day in one path and
another (or an error) in the other: ``2020-7-15``, ``20200715`` and a Unix timestamp are
refused everywhere (pydantic alone takes ``1610668800`` and date-times as dates).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo

from exportcheck.errors import InvalidInput

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_JSON_TYPES = {bool: "boolean", int: "number", float: "number", dict: "object", list: "array"}


def parse_iso_date(text: str, what: str = "date") -> dt.date:
    """A date written ``YYYY-MM-DD`` (spaces around it aside), or a clear error naming
    ``what``."""
    got = text.strip()
    if _ISO_DATE.fullmatch(got):
        try:
            return dt.date.fromisoformat(got)
        except ValueError as exc:  # 2020-02-30
            raise InvalidInput(f"invalid {what} {text!r}: {exc}") from None
    raise InvalidInput(f"invalid {what} {text!r}: use YYYY-MM-DD")


def as_day(value: object, what: str) -> dt.date:
    """A day given to the Python API: a date, a datetime's own calendar day (as written, in
    its own time zone if it has one; pandas' Timestamp too), or ``YYYY-MM-DD`` text; else an
    error naming ``what``. A missing one (None, pandas' NaT) is an error, never a comparison
    failing deep in the rules."""
    if isinstance(value, dt.datetime):
        if value != value:  # pandas' NaT is a datetime unequal to itself
            raise InvalidInput(f"{what} is missing (NaT): give a date")
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_iso_date(value, f"{what} date" if "date" not in what else what)
    raise InvalidInput(f"{what} must be a date (or 'YYYY-MM-DD'), got {type(value).__name__} "
                       f"{value!r}")


def _date_text(value: Any, info: ValidationInfo) -> str:
    """A date field's text: a string, or a date object from Python code; nothing else."""
    if isinstance(value, str):
        return value
    if type(value) is dt.date:
        return value.isoformat()
    name = info.field_name or "date"
    kind = _JSON_TYPES.get(type(value), type(value).__name__)
    raise ValueError(f"{name} must be a string YYYY-MM-DD, got {kind} {value!r}")


def _iso_date(value: Any, info: ValidationInfo) -> dt.date:
    name = info.field_name or "date"
    return parse_iso_date(_date_text(value, info), name if "date" in name else f"{name} date")


#: a date field of a model: a string YYYY-MM-DD (or a date object) and nothing else
IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]
#: a date kept as text, so that a bad one can be a batch line's error, not the request's
DateText = Annotated[str, BeforeValidator(_date_text), Field(json_schema_extra={"format": "date"})]
