"""Fields of a ledger record checked beyond their type: a licence number as the agency prints
it, and a date a licence, shipment or status change can plausibly bear."""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, ValidationInfo

from exportcheck.dates import IsoDate
from exportcheck.errors import InvalidInput

#: the range of dates the ledger records: outside it a date is a typo (0019 for 2019), and
#: 9999-12-31 overflowed the default end of a licence's validity (a traceback, not an error)
EARLIEST_DATE = dt.date(1950, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


def check_ledger_date(day: dt.date, what: str) -> dt.date:
    """``day``, or :class:`InvalidInput` naming ``what`` when it is outside the ledger's range."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise InvalidInput(f"{what} {day.isoformat()} is outside the dates the ledger records "
                           f"({EARLIEST_DATE.isoformat()} to {LATEST_DATE.isoformat()}): "
                           "check the year", field=what)
    return day


def _ledger_date(day: dt.date, info: ValidationInfo) -> dt.date:
    try:
        return check_ledger_date(day, info.field_name or "date")
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


def _licence_number(number: str) -> str:
    """BIS and DDTC print licence numbers in ASCII letters, digits and punctuation. A look-alike
    letter (Cyrillic 'Р' for 'P', full-width 'Ｄ', an invisible zero-width space) made a second
    licence that the duplicate check, which ignores only case and spaces, did not see: one
    licence's quantity and value could then be drawn down twice over."""
    for char in number:
        if not " " <= char <= "~":
            plain = unicodedata.normalize("NFKC", number)
            hint = (f"; did you mean {plain!r}?" if plain.isascii() and plain != number
                    else "")
            name = "NUL" if char == "\x00" else unicodedata.name(char, "a control character")
            raise ValueError(f"licence number {number!r} contains U+{ord(char):04X} ({name}): "
                             "a licence number is written in ASCII letters, digits and "
                             f"punctuation, as the agency prints it{hint}")
    return number


#: a date stored in the ledger (a licence's validity, a ship date, a policy event's effect)
LedgerDate = Annotated[IsoDate, AfterValidator(_ledger_date)]
#: a licence number as a new licence gives it
LicenceNumber = Annotated[str, Field(min_length=1, max_length=64),
                          AfterValidator(_licence_number)]
