"""Form errors by field, in plain words, so a page can show each one under its input.

The API validates with pydantic and answers its messages ("Input should be less than or equal
to 1000000000000"); a person at a form gets "value must be at most 1,000,000,000,000 USD"
under the Value box instead, and the rest of what they typed stays in the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from exportcheck import errors

M = TypeVar("M", bound=BaseModel)
#: the key of an error no field owns: shown at the top of the form
FORM = ""

#: what a field is called inside a sentence ("end user name is longer than 256 characters")
NOUNS = {
    "item": "item classification", "destination": "destination code",
    "date": "date of export", "compare": "compare-with date", "value": "value",
    "quantity": "quantity", "end_user": "end user name", "consignee": "consignee name",
    "end_user_type": "end-user type", "end_use": "end use", "owners": "owners",
    "headquarters": "headquarters country", "nac_notified": "NAC notification date",
    "conditions_met": "conditions met", "dob": "date of birth",
}
#: the fields the Check form shows as date pickers
DATE_BOXES = frozenset({"date", "compare", "nac_notified"})
#: the unit after a bound ("at most 1,000,000,000,000 USD")
UNITS = {"value": " USD"}
#: pydantic's "this is not a number" kinds: said as "value is not a number: abc"
PARSING = frozenset({"float_parsing", "int_parsing", "float_type", "int_type", "finite_number",
                     "decimal_parsing", "decimal_type"})


class FieldErrors(errors.InvalidInput):
    """Several fields wrong at once; ``fields`` maps each form field (or :data:`FORM`) to
    its message. ``str()`` joins them, for callers that show one line."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(self.fields.values()))


def _number(value: Any) -> str:
    """1e12 as 1,000,000,000,000; 0.5 as 0.5."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def plain(field: str, err: Mapping[str, Any]) -> str:
    """One pydantic error about ``field`` as a sentence a person can act on."""
    noun = NOUNS.get(field, field.replace("_", " "))
    kind, ctx = str(err.get("type", "")), err.get("ctx") or {}
    unit = UNITS.get(field, "")
    given = err.get("input")
    if kind == "missing":
        return f"{noun} is required"
    if kind == "string_too_long" and field == "destination":
        return _not_a_code(str(given))
    if kind == "string_too_long":
        return f"{noun} is longer than {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return f"{noun} is empty"
        return f"{noun} is too short: give at least {ctx.get('min_length')} characters"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"{noun} must be at most {_number(bound)}{unit}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0:
            return f"{noun} cannot be negative" if kind.endswith("equal") else \
                f"{noun} must be more than 0"
        return f"{noun} must be at least {_number(bound)}{unit}"
    if kind in PARSING:
        return f"{noun} is not a number: {given!s:.40}"
    if kind.startswith(("date", "datetime")):
        return f"{noun} is not a date ({given!s:.40}): use YYYY-MM-DD"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        return f"{noun} must be {expected}" if expected else f"{noun} is not one of the choices"
    if (kind == "value_error" and field in DATE_BOXES and "use YYYY-MM-DD" in str(err.get("msg"))
            and (long_year := picker_year(noun, str(given)))):
        return long_year
    if kind == "value_error":  # our own validators' words ("invalid date '2021-02-30': ...")
        return str(err.get("msg", "")).removeprefix("Value error, ")
    return f"{noun} is not valid: check it"


def picker_year(noun: str, given: str) -> str | None:
    """A date box's value with a year of more than 4 digits, in words for the officer: a date
    picker shows the officer's own order (06/30/2020), never YYYY-MM-DD, so what reaches the
    service so is a year typed into it as more than 4 digits ("30/06/2020": 62020)."""
    if not re.fullmatch(r"\d{5,}-\d\d-\d\d", given):
        return None
    return (f"{noun} {given:.40} is not a date: check the day, month and year in the box (a "
            "year has 4 digits)")


def _not_a_code(typed: str) -> str:
    """A country name in the Destination box ("Hong Kong"), refused with the code to give: the
    box once cut it to 8 characters, and the error quoted "Hong Kon", which nobody typed."""
    from exportcheck.screen.countries import code_hint

    hint = code_hint(typed) or "e.g. HK, CN, DE"
    return (f"destination {typed.strip()[:40]!r} is not a code: use an ISO 3166-1 alpha-2 code "
            f"({hint}) or a 3166-2 region (UA-43 for Crimea)")


def form_field(loc: tuple[Any, ...]) -> str:
    """The form field a model location belongs to: ``("facts", "nac_notified")`` is the
    NAC notified box, ``("owners", 3, "percent")`` the owners text."""
    names = [str(p) for p in loc if not isinstance(p, int)]
    if not names:
        return FORM
    if names[0] == "owners":  # a stake's field: the owners text is the box
        return "owners"
    return names[-1]


def validate(model: type[M], data: dict[str, Any],
             rename: Mapping[str, str] | None = None) -> M:
    """``data`` as ``model``, or :class:`FieldErrors` naming each field at fault in plain
    words; ``rename`` moves a model field to another form field (a second date is the
    ``date`` of a second request, typed in the ``compare`` box)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        found: dict[str, str] = {}
        for err in exc.errors():
            field = form_field(tuple(err.get("loc", ())))
            field = (rename or {}).get(field, field)
            found.setdefault(field, plain(field, err))
        raise FieldErrors(found) from None


def field_of(exc: errors.ExportCheckError, date_field: str = "date",
             name_field: str | None = None) -> str:
    """The form field a domain error from the engine is about, or :data:`FORM`: the engine
    names it where it raises the error (``exc.field``) or by the error's class.
    ``date_field``: the box whose date was being determined; ``name_field``: the box of the
    name a screener refuses ("name 'LLC' is only a legal form"), on a form that has one."""
    if exc.field == "name":  # the screener's word for its query, whatever the form calls it
        return name_field or FORM
    if exc.field:
        return exc.field
    if isinstance(exc, FieldErrors) and len(exc.fields) == 1:
        return next(iter(exc.fields))
    if isinstance(exc, errors.UnknownItem | errors.MalformedItem):
        return "item"
    if isinstance(exc, errors.UnknownDestination):
        return "destination"
    if isinstance(exc, errors.DateOutOfRange):
        return date_field
    return FORM
