"""Text a stored record can hold: no NUL or other control character in what a write stores.

PostgreSQL refuses a NUL byte in any text column (psycopg raised a ``DataError`` deep in the
driver: a 500 from the REST API, a traceback from the CLI) while SQLite stored it, so one input
was kept on one backend and crashed the other; the other control characters print as nothing,
so a licence number or idempotency key holding one looks like another already stored. Every
model that writes to the database refuses them up front, naming the field. Tab, line feed and
carriage return are text (a reason may span lines) and stay allowed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic import BaseModel, ValidationInfo, field_validator

from exportcheck.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character(text: str) -> str | None:
    """The first control character in ``text`` described for an error message, or None."""
    m = _CONTROL.search(text)
    if m is None:
        return None
    char = m.group()
    name = "NUL" if char == "\x00" else unicodedata.name(char, "a control character")
    return f"U+{ord(char):04X} ({name}) at character {m.start() + 1}"


def refuse_control(text: str, what: str, limit: int | None = None) -> str:
    """``text`` unchanged, or :class:`InvalidInput` naming ``what`` and the character; with
    ``limit``, also one longer than its column (SQLite stored a longer text as given,
    PostgreSQL refused it in the driver)."""
    found = control_character(text)
    if found is not None:
        raise InvalidInput(f"{what} contains the control character {found}: remove it "
                           "(it cannot be stored or would not be seen)", field=what)
    if limit is not None and len(text) > limit:
        raise InvalidInput(f"{what} is {len(text):,} characters long: at most {limit:,}",
                           field=what)
    return text


def _walk(value: Any, info: ValidationInfo) -> None:
    if isinstance(value, str):
        found = control_character(value)
        if found is not None:
            raise ValueError(f"{info.field_name} contains the control character {found}: "
                             "remove it (it cannot be stored or would not be seen)")
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _walk(item, info)
    elif isinstance(value, dict):
        for key, item in value.items():
            _walk(key, info)
            _walk(item, info)


class PlainTextIn(BaseModel):
    """Base of the request models that are written to the database: every text field (and
    text in a list or mapping field) is refused with a control character in it. A field named
    ``password`` is exempt: it is hashed, never stored as given."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if info.field_name != "password":
            _walk(value, info)
        return value
