"""The columns of an order file, and reading and writing order files.

One rule names a column wherever order lines come in (``batch``, ``impact``, their Dask paths,
the web upload): case, spaces, underscores and hyphens do not count, so "END_USER",
"End User" and "end-user" are the end user. A column matched by one spelling but ignored under
another would drop a party from screening or a value from the LVS limit without a word. A
header that names a column twice under this rule, or that already holds answer columns (the
output of an earlier run), is refused: the output would otherwise hold two columns of one name
or old answers beside new ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import polars as pl

from exportcheck.csvsafe import safe_frame
from exportcheck.errors import InvalidInput

OUT_COLUMNS = [
    "outcome",
    "agency",
    "reasons",
    "license_exceptions",
    "review_policy",
    "hold",
    "if_confirmed",
    "error",
]
#: written after OUT_COLUMNS (impact analysis compares OUT_COLUMNS only): what a line before the
#: eCFR edition rests on that is only known from today's text (Determination.caveats, " | ")
CAVEATS = "caveats"
#: also after OUT_COLUMNS: the outcome if the item is outside the scope of the control lines
#: applied conservatively (Determination.if_out_of_scope; empty when it would be the same)
SCOPE = "if_out_of_scope"

DATE_ALIASES = ["date", "on", "ship_date"]
#: each order-line field and the column names that give it, in order of preference
ALIASES: dict[str, list[str]] = {
    "item": ["item", "eccn", "classification"],
    "destination": ["destination", "to", "country"],
    "date": DATE_ALIASES,
    **{f: [f] for f in ("value", "quantity", "currency", "end_user", "consignee",
                        "end_user_type", "end_use")},
}
#: the answer columns of impact's line table (impact/core.py NAMES, on both sides)
_IMPACT_NAMES = ("outcome", "agency", "reasons", "exceptions", "review_policy", "hold",
                 "if_confirmed", "error")
#: answers ``batch`` or ``impact`` write: an input holding one is an earlier run's output, and
#: its old answer would sit beside (or, joined, in place of) the new one
ANSWER_COLUMNS = frozenset((*OUT_COLUMNS, CAVEATS, SCOPE, "changed", "cause",
                            *(f"{side}_{n}" for side in ("old", "new") for n in _IMPACT_NAMES)))
#: what impact's line table adds besides the answers (its line number, the item's category and
#: the value as given in another currency)
IMPACT_COLUMNS = frozenset(("line", "category", "value_in_currency"))


def fold(name: str) -> str:
    """A column name as the readers compare it: lower case, and each run of spaces,
    underscores and hyphens one underscore ("End User" -> "end_user")."""
    return re.sub(r"[\s_-]+", "_", name.strip().lower())


def duplicated_column(names: Iterable[str]) -> tuple[str, str, str] | None:
    """The first column a header names twice under :func:`fold`, as ``(folded name, first
    spelling, second spelling)``, else None: readers would keep one and drop the other."""
    seen: dict[str, str] = {}
    for name in names:
        key = fold(name)
        if key and key in seen:
            return key, seen[key], name
        seen.setdefault(key, name)
    return None


def duplicate_message(dup: tuple[str, str, str]) -> str:
    key, first, second = dup
    return (f"the header names the column {key!r} twice ({first!r} and {second!r}; case, "
            "spaces and underscores do not count); keep one")


def canonical_names(columns: Iterable[str], *, dated: bool = True) -> dict[str, str]:
    """``{input column: field}`` for the columns that give an order-line field; refuses a
    header naming a column twice. ``dated=False``: date columns are not a field (impact)."""
    columns = list(columns)
    if dup := duplicated_column(columns):
        raise InvalidInput(f"order lines: {duplicate_message(dup)}")
    by_fold = {fold(c): c for c in columns}
    renames = {}
    for field, names in ALIASES.items():
        if field == "date" and not dated:
            continue
        src = next((by_fold[n] for n in names if n in by_fold), None)
        if src is not None:
            renames[src] = field
    return renames


def has_parties(columns: Iterable[str]) -> bool:
    """Whether the lines name an end user or a consignee (then they are screened)."""
    return bool({"end_user", "consignee"} & set(canonical_names(columns).values()))


def check_answer_columns(columns: Iterable[str], *, impact: bool = False,
                         what: str = "the order lines") -> None:
    """Refuse a header that names a column twice, or already holds columns ``batch`` (or,
    ``impact``, the impact table) writes, or exportcheck's working columns (names beginning
    with '_').

    Refused rather than dropped: the file is then usually an earlier run's output, and a
    compliance officer must see which answers are new; dropping columns of the same name
    could also lose data of their own (a "reasons" or "error" column)."""
    columns = list(columns)
    if dup := duplicated_column(columns):
        raise InvalidInput(f"{what}: {duplicate_message(dup)}")
    reserved = ANSWER_COLUMNS | IMPACT_COLUMNS if impact else ANSWER_COLUMNS
    found = [c for c in columns if fold(c) in reserved or fold(c).startswith("_")]
    if found:
        many = len(found) > 1
        raise InvalidInput(
            f"{what}: the column{'s' if many else ''} {', '.join(repr(c) for c in found)} "
            f"{'are' if many else 'is'} exportcheck {'impact' if impact else 'batch'}'s own "
            "output (is this file the result of an earlier batch or impact run?): remove or "
            f"rename {'them' if many else 'it'}, so that no old answer is read beside a new "
            "one")


def order_frame(df: pl.DataFrame, *, dated: bool = True) -> pl.DataFrame:
    """``df`` with its order-line columns under their field names (see :data:`ALIASES`)."""
    renames = {src: f for src, f in canonical_names(df.columns, dated=dated).items() if src != f}
    return df.rename(renames) if renames else df


def read_lines(path: str | Path) -> pl.DataFrame:
    """An order file, CSV (every column as text) or Parquet."""
    p = Path(path)
    if not p.exists():
        raise InvalidInput(f"input file {p} does not exist")
    try:
        if p.suffix.lower() == ".parquet":
            return pl.read_parquet(p)
        if p.suffix.lower() == ".csv":
            return pl.read_csv(p, infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidInput(f"cannot read {p}: {exc}") from None
    raise InvalidInput(f"unsupported input format {p.suffix!r}: use .csv or .parquet")


def check_output(path: str | Path) -> Path:
    """Refuse an output path that cannot be written, before any work is done."""
    p = Path(path)
    if p.suffix.lower() not in (".parquet", ".csv"):
        raise InvalidInput(f"unsupported output format {p.suffix!r}: use .csv or .parquet")
    if not p.parent.is_dir():
        raise InvalidInput(f"cannot write {p}: the folder {p.parent} does not exist")
    if p.is_dir():
        raise InvalidInput(f"cannot write {p}: it is a folder")
    return p


def write_results(df: pl.DataFrame, path: str | Path) -> None:
    """Parquet as is; CSV with text cells that a spreadsheet would run as a formula
    neutralised (:func:`exportcheck.csvsafe.safe_frame`)."""
    p = check_output(path)
    try:
        if p.suffix.lower() == ".parquet":
            df.write_parquet(p)
        else:
            safe_frame(df).write_csv(p)
    except OSError as exc:
        raise InvalidInput(f"cannot write {p}: {exc.strerror or exc}") from None
