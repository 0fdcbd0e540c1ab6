"""How the ledger's exact numbers cross the API: as decimal strings, which the schema says.

Money and quantities are :class:`~decimal.Decimal` (stored as integer cents / thousandths), and
pydantic writes a Decimal as a JSON string ("250000.00") so that no client's float rounds a
balance. The spec said only ``"type": "string"``, so a client generated from it could not
tell an amount from a name: these types add the pattern and say what the text is. The wire
format is unchanged (clients rely on it); impact figures, which are estimates, are numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

#: a plain decimal: digits, an optional fraction, no exponent, no thousands separator
DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"

#: US dollars and cents, as text: "250000.00"
DollarsText = Annotated[Decimal, Field(
    json_schema_extra={"pattern": DECIMAL_PATTERN, "examples": ["250000.00"]},
    description="US dollars as a decimal string with two decimal places (\"250000.00\"): "
                "exact, to be read with a decimal type, not a float")]
#: a quantity of units, as text: "40" or "12.5"
QuantityText = Annotated[Decimal, Field(
    json_schema_extra={"pattern": DECIMAL_PATTERN, "examples": ["40", "12.5"]},
    description="quantity in the line's unit as a decimal string (\"40\", \"12.5\"; at most "
                "3 decimal places): exact, to be read with a decimal type")]
#: a fraction, as text: "0.10" for 10%
FractionText = Annotated[Decimal, Field(
    json_schema_extra={"pattern": DECIMAL_PATTERN, "examples": ["0.10"]},
    description="a fraction as a decimal string (\"0.10\" for 10%)")]
