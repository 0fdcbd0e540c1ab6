"""Choice fields of requests (an enum or a set of words) read as the CLI reads them.

``check --end-user-type " Military "`` is military; the API answered ``"end_user_type":
" Military "`` with a 422, though it strips every text field (``str_strip_whitespace`` does not
reach enums and literals). A field typed ``Annotated[EndUserType, any_case(EndUserType)]``
takes each value in any letter case with spaces around it, and says so in the spec; an empty
value stays an error, in words that list the choices.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, get_args

from pydantic import BeforeValidator

from exportcheck.models import Agency, EndUserType

#: what the spec says of every such field
ANY_CASE = "any letter case; spaces around the value are ignored"


def _values(kind: Any) -> tuple[str, ...]:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return tuple(str(m.value) for m in kind)
    return tuple(str(v) for v in get_args(kind))  # a Literal


def any_case(kind: Any) -> BeforeValidator:
    """A validator that turns " Military " into the value "military" of ``kind`` (an enum or
    a ``Literal`` of words); an unknown word is left for the field's own error to name."""
    values = _values(kind)
    by_key = {v.casefold(): v for v in values}
    shown = ", ".join(values)

    def canonical(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        text = value.strip()
        if not text:
            raise ValueError(f"empty: give one of {shown}")
        return by_key.get(text.casefold(), text)

    return BeforeValidator(canonical)


#: the enums of the library as requests take them
AgencyIn = Annotated[Agency, any_case(Agency)]
EndUserTypeIn = Annotated[EndUserType, any_case(EndUserType)]
