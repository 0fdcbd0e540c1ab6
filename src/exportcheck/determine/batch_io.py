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

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

import polars as pl

from exportcheck.dates import parse_iso_date
from exportcheck.errors import InvalidInput
from exportcheck.models import TransactionFacts
from exportcheck.outfile import write_table

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
#: also after OUT_COLUMNS: what each offered licence exception rests on ("LVS: value not
#: given: LVS limit $1,500 per shipment (9A610)", ENC's classification ...)
CONDITIONS = "exception_conditions"

#: also after OUT_COLUMNS: the facts not given that a licence exception turns on
#: (Determination.facts_wanted), "ACA: headquarters, conditions_met | NAC: nac_notified"
FACTS_WANTED = "facts_wanted"
#: also after OUT_COLUMNS: the list entries the parties matched, with the party's role, how
#: and how well ("consignee: SDN 29249 'LAM, Carrie' (exact, 100)"; an ownership hit gives its
#: chain): a line PROHIBITED for "SDN" names the entry that makes it so
PARTY_HITS = "party_hits"
#: the optional columns of the facts some licence exceptions rest on, as ``check`` takes them
#: (TransactionFacts: headquarters ISO code, NAC notification date, symbols confirmed)
FACT_COLUMNS = tuple(TransactionFacts.model_fields)


def fact_cells(facts: TransactionFacts | None) -> dict[str, str | None]:
    """A line's facts as the batch path's columns (:data:`FACT_COLUMNS`): a REST line's
    ``facts`` decide its line as a file's fact columns do."""
    if facts is None:
        return dict.fromkeys(FACT_COLUMNS)
    return {"headquarters": facts.headquarters,
            "nac_notified": facts.nac_notified.isoformat() if facts.nac_notified else None,
            "conditions_met": ",".join(sorted(facts.conditions_met)) or None}
#: what joins a line's facts into its key (no cell keeps a control character: batch.facts_key)
FACT_SEP = "\x1f"

DATE_ALIASES = ["date", "on", "ship_date"]
#: each order-line field and the column names that give it, in order of preference
ALIASES: dict[str, list[str]] = {
    "item": ["item", "eccn", "classification"],
    "destination": ["destination", "to", "country"],
    "date": DATE_ALIASES,
    **{f: [f] for f in ("value", "quantity", "unit_price", "currency", "end_user",
                        "consignee", "end_user_type", "end_use", *FACT_COLUMNS)},
}
#: the answer columns of impact's line table (impact/core.py NAMES, on both sides)
_IMPACT_NAMES = ("outcome", "agency", "reasons", "exceptions", "review_policy", "hold",
                 "if_confirmed", "error")
#: answers ``batch`` or ``impact`` write: an input holding one is an earlier run's output, and
#: its old answer would sit beside (or, joined, in place of) the new one
ANSWER_COLUMNS = frozenset((*OUT_COLUMNS, CAVEATS, SCOPE, CONDITIONS, FACTS_WANTED, "changed",
                            "cause",
                            *(f"{side}_{n}" for side in ("old", "new") for n in _IMPACT_NAMES)))
#: the line number ``batch`` and ``impact`` write first (1 = the first order line)
LINE = "line"
#: what impact's line table adds besides the answers (its line number, the item's category and
#: the value as given in another currency)
IMPACT_COLUMNS = frozenset((LINE, "category", "value_in_currency"))


def parse_dates(texts: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each text as :func:`parse_iso_date` reads it: the dates, and the errors (null where the
    text is a date, or empty: a missing date is reported as such). Parsed once per distinct
    text."""
    days: dict[str, date] = {}
    errors: dict[str, str] = {}
    for text in texts.drop_nulls().unique().to_list():
        if not text:
            continue
        try:
            days[text] = parse_iso_date(text)
        except InvalidInput as exc:
            errors[text] = str(exc)
    texts = texts.cast(pl.Utf8)
    return (texts.replace_strict(days, default=None, return_dtype=pl.Date),
            texts.replace_strict(errors, default=None, return_dtype=pl.Utf8))


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


def unnamed_columns(names: Iterable[str]) -> str | None:
    """Why a header with several columns without a name (a spreadsheet's stray empty columns:
    "item,destination,date,,") cannot be read, or None. The reader renames the second one
    "_duplicated_0", which was then refused as one of exportcheck's working columns, as if the
    file were an earlier run's output."""
    blank = [str(i) for i, name in enumerate(names, 1) if not name.strip()]
    if len(blank) < 2:
        return None
    return (f"columns {', '.join(blank[:-1])} and {blank[-1]} of the header have no name (two "
            "unnamed columns cannot be told apart): name them, or delete them if they are "
            "empty")


def header_problem(path: Path, *, named: bool = False) -> str | None:
    """What is wrong with a CSV file's header, or None: a column named twice (readers would
    keep one and rename or drop the other) or, ``named`` (order files), several columns
    without a name. A file that cannot be read as UTF-8 is left to the reader to report."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    if dup := duplicated_column(header):
        return duplicate_message(dup)
    return unnamed_columns(header) if named else None


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
    """``df`` with its order-line columns under their field names (see :data:`ALIASES`), and
    a blank ``value`` worked out as quantity x unit price where a ``unit_price`` is given."""
    renames = {src: f for src, f in canonical_names(df.columns, dated=dated).items() if src != f}
    df = df.rename(renames) if renames else df
    return _priced(df) if UNIT_PRICE in df.columns else df


#: the column of a line's price per unit (in the line's currency): an ERP export often gives
#: it and the quantity, not the line's value, which LVS limits and impact's money are about
UNIT_PRICE = "unit_price"


def _text(df: pl.DataFrame, col: str) -> pl.Expr:
    if col not in df.columns:
        return pl.lit(None, pl.Utf8)
    return pl.col(col).cast(pl.Utf8).str.strip_chars().replace("", None)


def _priced(df: pl.DataFrame) -> pl.DataFrame:
    """A line with a unit price and a quantity but no value is worth their product, in cents
    as an invoice line is; a value given stands (it may carry a discount). What cannot be
    worked out stays blank, and :func:`price_error` says why."""
    value, qty, price = (_text(df, c) for c in ("value", "quantity", UNIT_PRICE))
    product = (qty.cast(pl.Float64, strict=False) * price.cast(pl.Float64, strict=False)).round(2)
    return df.with_columns(
        pl.when(value.is_null()).then(product.cast(pl.Utf8)).otherwise(value).alias("value"))


def price_error(df: pl.DataFrame) -> pl.Expr:
    """Why a line with a unit price has no value (:func:`_priced`): the price or the quantity
    is missing or not a number; null otherwise."""
    if UNIT_PRICE not in df.columns:
        return pl.lit(None, pl.Utf8)
    value, qty, price = (_text(df, c) for c in ("value", "quantity", UNIT_PRICE))
    return (pl.when(value.is_not_null() | price.is_null()).then(None)
            .when(price.cast(pl.Float64, strict=False).is_null())
            .then(pl.format("unit_price {} is not a number", price))
            .when(qty.is_null())
            .then(pl.lit("unit_price needs a quantity: the value is quantity x unit_price"))
            .otherwise(None))


def unsupported_format(suffix: str) -> InvalidInput:
    """The error for an input file of another kind; a workbook is told how to become one."""
    if suffix.lower() in (".xlsx", ".xls", ".xlsm", ".xlsb", ".ods"):
        return InvalidInput(f"unsupported input format {suffix!r}: a spreadsheet workbook is "
                            "not read: save the sheet as CSV UTF-8 (Comma delimited) or as "
                            "Parquet")
    return InvalidInput(f"unsupported input format {suffix!r}: use .csv or .parquet")


def read_lines(path: str | Path) -> pl.DataFrame:
    """An order file, CSV (every column as text) or Parquet."""
    p = Path(path)
    if not p.exists():
        raise InvalidInput(f"input file {p} does not exist")
    if p.is_dir():
        raise InvalidInput(f"input file {p} is a folder: give a .csv or .parquet file")
    suffix = p.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise unsupported_format(p.suffix)
    if suffix == ".csv":
        sniff_csv(p)
    try:
        if suffix == ".parquet":
            return pl.read_parquet(p)
        frame = pl.read_csv(p, infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidInput(read_error(p, exc, csv_file=suffix == ".csv")) from None
    if problem := short_row(p):
        raise InvalidInput(f"cannot read {p}: {problem}")
    return frame


#: bytes of a CSV file looked at before it is read
_SNIFF = 64 * 1024
_SAVE_UTF8 = "save it as UTF-8 (in Excel: CSV UTF-8)"


#: the first bytes of an Excel workbook: .xlsx (a zip file) and .xls (OLE2 compound file)
_WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")


def sniff_csv(path: Path) -> None:
    """Refuse the CSV files polars reads *without* an error but wrongly: an Excel workbook
    saved under a .csv name, UTF-16 text (column
    names come out as garbage) and a header separated by ';' or tabs (one column named
    "item;destination;..."), which would otherwise end in a puzzling "needs an 'item'
    column"."""
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF)
    except OSError:
        return  # the reader says what is wrong
    if head.startswith(_WORKBOOK_MAGIC):  # its bytes would read as "UTF-16" below
        raise InvalidInput(f"cannot read {path}: it is an Excel workbook, which is not read: "
                           "save the sheet as CSV UTF-8 (Comma delimited) or as Parquet")
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise InvalidInput(f"cannot read {path}: the file is UTF-16 (or another encoding with "
                           f"zero bytes), not UTF-8: {_SAVE_UTF8}")
    header = head.split(b"\n", 1)[0].removeprefix(b"\xef\xbb\xbf")
    if _bare_carriage_return(header.rstrip(b"\r")):
        raise InvalidInput(f"cannot read {path}: its lines end in a carriage return alone "
                           "(old Mac line ends), so the whole file reads as its header and "
                           "no line would be read: save it with Windows (CRLF) or Unix (LF) "
                           "line ends")
    text = header.decode("utf-8", errors="replace").strip()
    if "," not in text:
        for sep, name in ((";", "';'"), ("\t", "tab")):
            if sep in text:
                raise InvalidInput(f"cannot read {path}: the file looks {name}-separated "
                                   f"(header {text[:60]!r}): save it with commas between the "
                                   "columns")


def _bare_carriage_return(line: bytes) -> bool:
    """Whether ``line`` holds a carriage return outside double quotes: a file whose lines end
    in CR alone (classic Mac OS, some ERP exports) is one line to the reader, its rows read as
    extra header columns and none as an order line - an empty result without an error."""
    quoted = False
    for byte in line:
        if byte == 0x22:  # '"'
            quoted = not quoted
        elif byte == 0x0D and not quoted:  # '\r'
            return True
    return False


def read_error(path: Path, exc: Exception, *, csv_file: bool = True) -> str:
    """The message for a file the reader refused: where (the line) and what to do, found by
    reading the CSV file again line by line; else the reader's own first line, without its
    advice on reader options the user cannot set."""
    problem = csv_problem(path) if csv_file else None
    if problem is None:
        if isinstance(exc, OSError):
            problem = exc.strerror or str(exc)
        else:
            problem = str(exc).strip().split("\n", 1)[0]
    return f"cannot read {path}: {problem}"


class _NotUtf8(Exception):
    def __init__(self, line: int, data: bytes, at: int) -> None:
        super().__init__(line)
        self.line, self.data, self.at = line, data, at


def _utf8_lines(fh: IO[bytes]) -> Iterator[str]:
    for n, raw in enumerate(fh, 1):
        try:
            yield raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise _NotUtf8(n, raw, exc.start) from None


def _encoding_guess(line: bytes) -> str:
    """What a line that is not UTF-8 may be: Chinese text when it reads as Han characters in
    GBK or Big5 (a Hong Kong or mainland spreadsheet's default), else Western text. A guess
    for the message only: the same bytes are other names in GBK and in Big5, so the file is
    refused, never decoded."""
    chinese = []
    for codec, label in (("gb18030", "GBK"), ("big5hkscs", "Big5")):
        try:
            text = line.decode(codec)
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            chinese.append(label)
    if chinese:
        return f"{' or '.join(chinese)} Chinese text"
    return "Latin-1 or Windows-1252 text"


def csv_problem(path: Path) -> str | None:
    """The first thing in a CSV file the reader cannot take, named by its line (line 1 is the
    header): a line that is not UTF-8 or has more fields than the header. None when none is
    found (the reader's own message is all there is then)."""
    try:
        fh = path.open("rb")
    except OSError:
        return None
    raw: list[str] = []  # the text of the row being read, to tell a stray quote

    def kept(lines: Iterator[str]) -> Iterator[str]:
        for line in lines:
            raw.append(line)
            yield line

    with fh:
        reader = csv.reader(kept(_utf8_lines(fh)))
        try:
            header = next(reader, None)
            if header is None:
                return None
            end = reader.line_num
            raw.clear()
            for row in reader:
                start, end = end + 1, reader.line_num
                if len(row) > len(header):
                    return (f"line {start} has {len(row)} fields but the header has "
                            f"{len(header)} (line 1 is the header): a value with a comma "
                            "must be in double quotes; correct that line")
                if (value := _stray_quote("".join(raw))) is not None:
                    return (f"line {start} has a double quote inside a value that is not in "
                            f"double quotes ({value.strip()[:40]!r}): put that value in double "
                            'quotes and double its quote (12" pipe as "12"" pipe"); correct '
                            "that line")
                raw.clear()
        except _NotUtf8 as bad:
            seen = bad.data[max(0, bad.at - 20): bad.at + 1].decode("utf-8", errors="replace")
            return (f"line {bad.line} is not UTF-8 (byte 0x{bad.data[bad.at]:02x} after "
                    f"{seen[:-1]!r}; {_encoding_guess(bad.data)}?): {_SAVE_UTF8}")
        except csv.Error as exc:
            return f"line {reader.line_num}: {exc}"
    return None


def _stray_quote(text: str) -> str | None:
    """The first value of a CSV row's text with a double quote inside it that does not start
    with one (``12" pipe``): RFC 4180 wants it quoted, and the reader takes the quote as the
    start of a quoted value running on over the next lines (Python's csv module keeps it)."""
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':  # a quoted value: to its closing quote ("" is a quote inside it)
            i += 1
            while i < n and not (text[i] == '"' and text[i + 1 : i + 2] != '"'):
                i += 2 if text[i] == '"' else 1
            i += 1
        end = min((j for j in (text.find(",", i), text.find("\n", i)) if j != -1), default=n)
        if '"' in text[i:end]:
            return text[i:end]
        i = end + 1
    return None


def short_row(path: Path) -> str | None:
    """The first line with fewer fields than the header, named (line 1 is the header), or None.

    The reader fills the missing fields with nulls without a word, so a line cut short would
    lose its end user (not screened) or its value (no LVS check) silently. A blank line is
    skipped, as the reader does; a file that cannot be decoded is left to the reader."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if not header:
                return None
            end = reader.line_num
            for row in reader:
                start, end = end + 1, reader.line_num
                if 0 < len(row) < len(header) and row != [""]:
                    missing = ", ".join(header[len(row):])
                    return (f"line {start} has {len(row)} field(s) but the header has "
                            f"{len(header)} (line 1 is the header): {missing} would be read as "
                            "empty; add the missing values or commas on that line")
    except (OSError, UnicodeDecodeError, csv.Error):
        return None
    return None


def check_output(path: str | Path) -> Path:
    """Refuse an output path that cannot be written, before any work is done."""
    p = Path(path)
    if p.is_dir():
        raise InvalidInput(f"cannot write {p}: it is a folder; give a file name ending in "
                           ".csv or .parquet")
    if p.suffix.lower() not in (".parquet", ".csv"):
        raise InvalidInput(f"unsupported output format {p.suffix!r}: use .csv or .parquet")
    if not p.parent.is_dir():
        raise InvalidInput(f"cannot write {p}: the folder {p.parent} does not exist")
    return p


def with_line_numbers(df: pl.DataFrame, first_line: int = 1) -> pl.DataFrame:
    """``df`` with the ``line`` column first: each row's order line in the input (1 = the first
    line after the header, as in impact's line table), so an output row is tied to its input
    row even when quoted values span lines. An order book's own ``line`` column (its line
    numbers, kept as given) stands instead: ``batch`` refuses only its answers."""
    if any(fold(c) == LINE for c in df.columns):
        return df
    return df.select(
        pl.int_range(first_line, first_line + df.height, dtype=pl.Int64).alias(LINE), pl.all())


def write_results(df: pl.DataFrame, path: str | Path) -> None:
    """Parquet as is; CSV with text cells that a spreadsheet would run as a formula
    neutralised (:func:`exportcheck.csvsafe.safe_frame`); whole or not at all, so a failed
    write leaves an earlier output as it was (:func:`exportcheck.outfile.write_table`)."""
    write_table(df, check_output(path))
