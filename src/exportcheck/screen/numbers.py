"""Numbers written as words or digits, and digits standing in for letters.

"Brigade Forty-Four" is "Brigade 44", "Three Percenters" is "3 Percenters" and "First
International Bank" is "1st International Bank": names carry numbers either way, and numbers
only match exactly (:func:`exportcheck.screen.tokens.token_sim`), so both are written as digits
before matching. A digit between two letters is a letter disguised ("Ig0r Sech1n"): read as the
letter it looks like. Digits elsewhere ("AHL1", "2007") stay numbers.
"""

from __future__ import annotations

import re

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen"]
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])}
_TENS["fourty"] = 40  # a common misspelling
_ORDINALS = {w: f"{i + 1}{'st' if i == 0 else 'nd' if i == 1 else 'rd' if i == 2 else 'th'}"
             for i, w in enumerate(["first", "second", "third", "fourth", "fifth", "sixth",
                                    "seventh", "eighth", "ninth", "tenth"])}
_NUMBER = {w: i for i, w in enumerate(_UNITS)}
_LEET = str.maketrans("01345789", "oieastbg")
_DISGUISED = re.compile(r"(?<=[a-z])[01345789](?=[a-z])")


def unleet(token: str) -> str:
    """``"sech1n"`` -> ``"sechin"``: only digits with a letter on both sides change."""
    if not _DISGUISED.search(token):
        return token
    return _DISGUISED.sub(lambda m: m.group(0).translate(_LEET), token)


def numbers_as_digits(tokens: list[str]) -> list[str]:
    """Number words to digits: ``["forty", "four"]`` -> ``["44"]``, ``["first"]`` ->
    ``["1st"]``, ``["forty", "4"]`` -> ``["44"]``; other tokens unchanged (after
    :func:`unleet`)."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        t = unleet(tokens[i])
        if t in _TENS:
            value = _TENS[t]
            nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
            unit = _NUMBER.get(nxt, int(nxt) if nxt.isdigit() and len(nxt) == 1 else None)
            if unit is not None and 0 < unit < 10:
                value += unit
                i += 1
            out.append(str(value))
        elif t in _NUMBER:
            out.append(str(_NUMBER[t]))
        elif t in _ORDINALS:
            out.append(_ORDINALS[t])
        else:
            out.append(t)
        i += 1
    return out
