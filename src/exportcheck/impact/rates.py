"""Exchange rates as an officer writes them: ``EUR=1.08`` (USD per unit of the currency).

The CLI takes them as repeated ``--rate`` options and the Impact page as one box
(``EUR=1.08, GBP=1.27``); both read them here, so a mistake gets the same message. The REST
API takes a JSON object (``"rates": {"EUR": 1.08}``) and the same checks in
:func:`exportcheck.impact.core` apply to all three.
"""

from __future__ import annotations

import re

from exportcheck.errors import InvalidInput

_SEPARATORS = re.compile(r"[,;\s]+")


def parse_rates(pairs: list[str], label: str = "--rate") -> dict[str, float]:
    """``["EUR=1.08", ...]`` as ``{"EUR": 1.08}``. A USD rate is refused (it would do nothing:
    values are compared in USD), and so are two different rates for one currency (the later
    would silently win, and the money totals with it). ``label`` names the option or box in
    the messages."""
    rates: dict[str, float] = {}
    for pair in pairs:
        code, sep, num = pair.partition("=")
        try:
            rate = float(num)
        except ValueError:
            rate = None
        if not sep or not code.strip() or rate is None:
            raise InvalidInput(f"{label} {pair!r}: write CURRENCY=USD_PER_UNIT, e.g. EUR=1.08",
                               field="rates")
        code = code.strip().upper()
        if code == "USD":
            raise InvalidInput(f"{label} {pair!r}: values in USD need no rate (values are "
                               "compared in USD); give rates for the other currencies only",
                               field="rates")
        if code in rates and rates[code] != rate:
            raise InvalidInput(f"{label}: two rates for {code} ({rates[code]:g} and {rate:g}): "
                               "give one", field="rates")
        rates[code] = rate
    return rates


def rates_box(text: str, label: str = "Exchange rates") -> dict[str, float]:
    """The Impact page's box: pairs separated by commas, semicolons or spaces."""
    return parse_rates([p for p in _SEPARATORS.split(text.strip()) if p], label)
