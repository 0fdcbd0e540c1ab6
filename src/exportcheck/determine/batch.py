"""Vectorised determination over a table of order lines.

Rules change on a few hundred days only, so every date maps to the first day of its period of
unchanged rules. Lines that share item, destination, period, end user and end use share the
answer except for the value, which only matters against the LVS limit: each distinct key is
determined once (twice when LVS is in play, within and above the limit) and the value picks per
row, in columns. The same answers as the scalar path, row for row, at the cost of the distinct
keys only.
"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_right
from collections.abc import Callable, Iterable
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import polars as pl

from exportcheck.determine import parties, sta
from exportcheck.determine.batch_io import (  # noqa: F401  (read_lines ...: this module's API)
    ALIASES,
    CAVEATS,
    CONDITIONS,
    DATE_ALIASES,
    FACT_COLUMNS,
    FACT_SEP,
    OUT_COLUMNS,
    SCOPE,
    check_answer_columns,
    check_output,
    duplicated_column,
    order_frame,
    parse_dates,
    price_error,
    read_lines,
    write_results,
)
from exportcheck.determine.batch_keys import (
    _ANSWER,
    _SUMMARY,
    IF_STATED,
    KEY,
    RULE_CAVEATS,
    decide_keys,
)
from exportcheck.determine.batch_parties import collapse_parties, listing_periods
from exportcheck.determine.batch_uses import collapse_uses as _collapse_uses
from exportcheck.determine.batch_uses import term_flags
from exportcheck.determine.caveats import AFTER_EDITION, ASSUMED_CIVIL
from exportcheck.determine.ear import not_classified_to, pattern_hit, scope_applies
from exportcheck.determine.engine import EMPTY_DESTINATION
from exportcheck.determine.exceptions import lvs_condition, lvs_limit
from exportcheck.determine.items import EMPTY_ITEM, Classification, may_be_among, paragraph_problem
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import InvalidInput
from exportcheck.rules.ruleset import RuleSet, load_ruleset
from exportcheck.rules.schema import RULEBASE_START, SOURCE_EDITION
from exportcheck.tables import polars_frame

if TYPE_CHECKING:
    from exportcheck.tables import Table


def _normalise(df: pl.DataFrame, *, dated: bool = True) -> pl.DataFrame:
    """Canonical column names and types; ``dated=False`` for lines that take their date from
    the caller (impact analysis), which then need no date column. Every field's column is
    found ignoring case and spaces (:func:`~exportcheck.determine.batch_io.order_frame`), and
    input that already holds answer columns is refused."""
    check_answer_columns(df.columns)
    df = order_frame(df, dated=dated)
    # a blank end-user type is taken as civil, the favourable reading: such lines say so
    # (determine_frame's caveats); a file without the column takes the documented default
    utype_blank = (pl.col("end_user_type").cast(pl.Utf8).str.strip_chars().fill_null("") == ""
                   if "end_user_type" in df.columns else pl.lit(False))
    # most order books state no facts: then no fact column is added and no key computed
    has_facts = any(c in df.columns for c in FACT_COLUMNS)
    facts = facts_key() if has_facts else pl.lit(None, pl.Utf8)
    for canon in ("item", "destination", "date") if dated else ("item", "destination"):
        if canon not in df.columns:
            article = "an" if canon[0] in "aeiou" else "a"
            raise InvalidInput(f"order lines need {article} {canon!r} column (or one of "
                               f"{ALIASES[canon]}); got {df.columns}")
    for opt, default in (
        ("value", None),
        ("quantity", None),
        ("end_user", None),
        ("consignee", None),
        ("end_user_type", "civil"),
        ("end_use", None),
        *((c, None) for c in (FACT_COLUMNS if has_facts else ())),
    ):
        if opt not in df.columns:
            df = df.with_columns(pl.lit(default).alias(opt))
    _check_text(df, ["item", "destination", *(["date"] if dated else []), "end_user",
                     "consignee", "end_user_type", "end_use",
                     *(c for c in FACT_COLUMNS if c in df.columns)])
    (value, bad_value), (qty, bad_qty) = (_number(df, c) for c in ("value", "quantity"))
    bad_price = price_error(df)
    return df.with_columns(
        pl.col("item").cast(pl.Utf8).str.strip_chars(),
        pl.col("destination").cast(pl.Utf8).str.strip_chars().str.to_uppercase(),
        *([_date_text(df)] if dated else []),
        value.alias("value"),
        # a value or quantity that is given but unusable is a row error, never a silent "none"
        # (the scalar path refuses the same inputs)
        pl.when(bad_value.is_not_null())
        .then(bad_value)
        .when(value.is_nan() | value.is_infinite())
        .then(pl.lit("value must be a finite amount in USD"))
        .when(bad_qty.is_not_null())
        .then(bad_qty)
        .when(bad_price.is_not_null())
        .then(bad_price)
        .when(qty.is_nan() | qty.is_infinite() | (qty < 0))
        .then(pl.lit("quantity must be a finite, non-negative number"))
        .otherwise(None)
        .alias("_number_error"),
        # a cell of spaces names no party, in either role, as determine() takes it
        pl.col("end_user").cast(pl.Utf8).str.strip_chars().replace("", None),
        pl.col("consignee").cast(pl.Utf8).str.strip_chars().replace("", None),
        # spaces around it do not count, as around the item and the destination
        pl.col("end_user_type").cast(pl.Utf8).str.strip_chars().replace("", None)
        .fill_null("civil"),
        utype_blank.alias("_utype_blank"),
        pl.col("end_use").cast(pl.Utf8),
        facts.alias("_facts"),
    )


def check_order_columns(lines: pl.DataFrame, *, dated: bool = True) -> None:
    """Refuse, on their columns alone, lines that :func:`determine_frame` would refuse (a
    required column missing, an earlier run's answers, a column of lists): a command says so
    before it loads the lists or starts a cluster, in the same words."""
    _normalise(lines.head(0), dated=dated)


def facts_key() -> pl.Expr:
    """The line's facts (:data:`FACT_COLUMNS`) as one key, headquarters, NAC date and symbols
    joined by :data:`FACT_SEP` (codes upper case, symbols sorted), or null when none is given:
    lines with the same facts share their answer. A fact is checked where it is used
    (batch_keys.line_facts): a bad one is the line's error."""
    def text(col: str) -> pl.Expr:
        # a control character in a cell cannot be a valid fact: shown as U+FFFD in the error,
        # it can never be taken for the separator
        return (pl.col(col).cast(pl.Utf8).str.replace_all(r"[\x00-\x1f]", "\ufffd")
                .str.strip_chars().fill_null(""))

    met = (text("conditions_met").str.to_uppercase().str.replace_all(r"[\s;]+", ",")
           .str.split(",").list.eval(pl.element().filter(pl.element() != ""))
           .list.unique().list.sort().list.join(","))
    hq, nac = text("headquarters").str.to_uppercase(), text("nac_notified")
    return (pl.when((hq == "") & (nac == "") & (met == "")).then(None)
            .otherwise(pl.concat_str([hq, nac, met], separator=FACT_SEP)))


#: a line that gives a NAC notification date: its answer turns on its own date (BIS's period to
#: object runs from the notification), not only on its period of unchanged rules
NAC_GIVEN = pl.col("_facts").str.contains(r"^[^\x1f]*\x1f[^\x1f]+\x1f").fill_null(False)


def nac_on_its_day(df: pl.DataFrame, epoch: str, day: pl.Expr) -> pl.DataFrame:
    """``epoch`` replaced by ``day`` on the lines with a NAC notification (:data:`NAC_GIVEN`);
    nothing computed for an order book stating no facts."""
    if df.get_column("_facts").null_count() == df.height:
        return df
    return df.with_columns(pl.when(NAC_GIVEN).then(day).otherwise(pl.col(epoch)).alias(epoch))


def _check_text(df: pl.DataFrame, columns: Iterable[str]) -> None:
    """Refuse, by name, a column read as text that holds lists or structs (a Parquet file
    exported by another tool): the cast to text would fail in a polars traceback."""
    for col in columns:
        dtype = df.schema[col]
        if dtype.is_nested() or dtype == pl.Object:
            raise InvalidInput(f"column {col!r} must hold text, not {dtype}")


def _date_text(df: pl.DataFrame) -> pl.Expr:
    """The date column as ``YYYY-MM-DD`` text. A timestamp column (pandas writes dates to
    Parquet as timestamps by default) gives the day it falls on: read as text it was
    "2020-07-15 00:00:00.000000", every line's error."""
    col = pl.col("date")
    if isinstance(df.schema["date"], pl.Datetime):
        col = col.dt.date()
    return col.cast(pl.Utf8).str.strip_chars()


def _number(df: pl.DataFrame, col: str) -> tuple[pl.Expr, pl.Expr]:
    """``col`` as Float64, and "<col> X is not a number" where text was given that is not one
    (numbers stored as text are read; a numeric column is taken as it is, at no cost)."""
    dtype = df.schema[col]
    if dtype.is_nested() or dtype == pl.Object:
        raise InvalidInput(f"column {col!r} must hold numbers, not {dtype}")
    if dtype.is_numeric() or dtype == pl.Null:
        return pl.col(col).cast(pl.Float64), pl.lit(None, pl.Utf8)
    raw = pl.col(col).cast(pl.Utf8).str.strip_chars()
    num = raw.cast(pl.Float64, strict=False)
    bad = pl.when(raw.is_not_null() & (raw != "") & num.is_null())
    return num, bad.then(pl.format(f"{col} {{}} is not a number", raw)).otherwise(None)


def dated_eccn(rs: RuleSet, items: pl.Series) -> pl.Series:
    """Each line's ECCN, on which its periods depend (:meth:`RuleSet.epochs_for`); null for
    EAR99, USML and anything else, whose periods are split by every rule naming no destination.
    Read once per distinct item (an order book repeats a catalogue)."""
    known = {r.eccn for r in rs.rows("ccl")}
    distinct = items.unique()
    eccns = [e if (e := (i or "").strip()[:5].upper()) in known else None
             for i in distinct.to_list()]
    return items.replace_strict(distinct, eccns, default=None, return_dtype=pl.Utf8)


def epoch_of(rs: RuleSet, destination: str | None, eccn: str | None, day: date, *,
             ownership: bool = True, caveats: bool = True, terms: bool = False) -> date | None:
    """The first day of the period of unchanged rules for that destination (and ECCN; and
    ownership rules when an ownership graph is given; see :meth:`RuleSet.epochs_for`)."""
    bounds = rs.epochs_for(destination, eccn, ownership=ownership,  # type: ignore[arg-type]
                           caveats=caveats, terms=terms)
    i = bisect_right(bounds, day)
    return bounds[i - 1] if i else None


#: what a line lacking a column is told: the scalar path's words where it has them
EMPTY = {"item": EMPTY_ITEM, "destination": EMPTY_DESTINATION,
         "date": "date is empty: give the day of export as YYYY-MM-DD"}


#: a line none of whose order-line fields is given: a spreadsheet's empty row or a blank line
#: at the end of the file, told apart from a line that only lacks its item
BLANK_LINE = ("the line gives no item, destination, date, value or party (a blank line?): "
              "fill it in or delete it")
#: the fields a blank line lacks, besides the required ones
_OPTIONAL = ("value", "quantity", "end_user", "consignee", "end_use")


def missing_error(columns: list[str]) -> pl.Expr:
    """The error for the first of ``columns`` that is null or empty (:data:`EMPTY`), or
    :data:`BLANK_LINE` when every field is."""
    def empty(c: str) -> pl.Expr:
        return pl.col(c).cast(pl.Utf8).str.strip_chars().fill_null("") == ""

    return pl.coalesce(
        pl.when(pl.all_horizontal([empty(c) for c in (*columns, *_OPTIONAL)]))
        .then(pl.lit(BLANK_LINE)),
        *(pl.when(pl.col(c).is_null() | (pl.col(c) == "")).then(pl.lit(EMPTY[c]))
          for c in columns),
    )


def row_error(first: str) -> pl.Expr:
    """A line's own error, which no key's answer can override: ``first`` (missing or bad
    fields), then a value or quantity that is not a number, then a negative value."""
    return pl.coalesce(
        pl.col(first),
        pl.col("_number_error"),
        pl.when(pl.col("value") < 0).then(pl.lit("value must be a non-negative amount in USD")),
    )


def _with_epochs(df: pl.DataFrame, rs: RuleSet, ownership: bool = True) -> pl.DataFrame:
    """Map each date to the first day of its period of unchanged rules for that line.

    Periods are per destination and ECCN (:meth:`RuleSet.epochs_for`), so a Russia rule does
    not split the German lines, nor an advanced-computing rule the lines of other items. Each
    line finds its period start by an as-of join on the periods of its (destination, ECCN).
    ``df`` must be in ``_row`` order (as :func:`_normalise` leaves it).
    """
    # the scalar path's parser (batch_io.parse_iso_date), once per distinct date
    day, bad = parse_dates(df.get_column("date"))
    df = df.with_columns(day.alias("_day"), bad.alias("_bad_date"),
                         dated_eccn(rs, df.get_column("item")).alias("_dated"),
                         term_flags(rs, df.get_column("end_use")).alias("_terms"))
    pairs = df.select("destination", "_dated", "_terms").unique().rows()
    starts = pl.DataFrame(
        [(d, e, t, b) for d, e, t in pairs
         for b in rs.epochs_for(d, e, ownership=ownership, terms=t)],
        schema={"destination": pl.Utf8, "_dated": pl.Utf8, "_terms": pl.Boolean,
                "_epoch": pl.Date},
        orient="row",
    )
    # as-of join groups by plain values: a stand-in for the nulls (no destination, no ECCN)
    by = [*(pl.col(c).fill_null("\\0").alias(f"{c}_by") for c in ("destination", "_dated")),
          pl.col("_terms").alias("_terms_by")]
    with warnings.catch_warnings():
        # both sides are sorted just below; polars cannot check it within "by" groups
        warnings.filterwarnings("ignore", "Sortedness of columns cannot be checked")
        epoch = (
            df.select("_row", "_day", *by)
            .sort("_day", nulls_last=True)
            .join_asof(
                starts.with_columns(by)
                .select("destination_by", "_dated_by", "_terms_by", "_epoch")
                .sort("_epoch"),
                left_on="_day",
                right_on="_epoch",
                by=["destination_by", "_dated_by", "_terms_by"],
                strategy="backward",
            )
            .sort("_row")
            .get_column("_epoch")
        )
    df = nac_on_its_day(df.with_columns(epoch), "_epoch", pl.col("_day"))
    early = pl.col("_day") < RULEBASE_START
    return df.drop("_dated", "_terms").with_columns(
        pl.coalesce(
            missing_error(["item", "destination", "date"]),
            pl.col("_bad_date"),
            pl.when(early).then(
                pl.format(
                    "date {} is before the rule base starts ({})",
                    pl.col("date"),
                    pl.lit(RULEBASE_START.isoformat()),
                )
            ),
        ).alias("_date_error"),
    ).drop("_bad_date")


def _item_signature(item: str, rs: RuleSet) -> tuple:
    """What of an ECCN paragraph the rules can see: which scopes cover it, in every version.

    Two paragraphs of one entry that every control line, value limit, exception scope and
    footnote treats alike get the same answer; anything unusual keeps its own key.
    """
    m = _ECCN_ITEM.match(item)
    if not m or not m.group(2):
        return (item,)
    code, para = m.group(1).upper(), m.group(2).lower()
    cls = Classification("eccn", code, para)
    probe = SimpleNamespace(item=cls)
    sig: list = [code]
    for entry in (e for e in rs.rows("ccl") if e.eccn == code):
        if paragraph_problem(entry, para):
            return (item,)  # its error message names the paragraph
        sig.append(tuple((scope_applies(probe, line.scope), not_classified_to(probe, line.scope))  # type: ignore[arg-type]
                         for line in entry.controls))
        sig.append(lvs_limit(probe, entry))  # type: ignore[arg-type]
        for symbol, grant in sorted(entry.exceptions.items()):
            only = grant.scope.only
            sig.append(
                (symbol, scope_applies(probe, grant.scope), cls.covered_by(only) if only else None)
            )  # type: ignore[arg-type]
            if symbol == "STA":  # the entry's STA paragraph names paragraphs in its words
                sig.append(sta.c1_excluded(code, para, grant.text))
                sig.append(sta.c2_excluded(code, para, grant.text))
    sig.extend(pattern_hit(cls.label, fn.eccns) for fn in rs.rows("chart_footnotes"))
    # review-policy rows and reach notes may name paragraphs too
    sig.extend(pattern_hit(cls.label, r.items) for r in rs.rows("review_policies") if r.items)
    sig.extend(pattern_hit(cls.label, r.items) for r in rs.rows("reach_notes") if r.items)
    sig.extend(may_be_among(cls.label, r.items)
               for r in rs.rows("exception_restrictions") if r.items)
    return tuple(sig)


def _collapse_items(df: pl.DataFrame, rs: RuleSet) -> pl.DataFrame:
    """One representative item per signature (see :func:`_item_signature`)."""
    items = df.get_column("item").unique().to_list()
    first: dict[tuple, str] = {}
    reps = [first.setdefault(_item_signature(i, rs), i) if i else i for i in items]
    mapping = pl.DataFrame(
        {"item": items, "_item": reps}, schema={"item": pl.Utf8, "_item": pl.Utf8}
    )
    return df.join(mapping, on="item", how="left", nulls_equal=True)


def _collapse_parties(
    df: pl.DataFrame, screener: PartyScreener | None, ownership: Any = None,
    signatures: dict | None = None,
) -> tuple[pl.DataFrame, PartyScreener | None]:
    """Replace end-user and consignee names by one representative per screening result
    (see :mod:`exportcheck.determine.batch_parties`)."""
    return collapse_parties(df, screener, ownership, signatures)


_ECCN_ITEM = re.compile(r"^\s*([0-9][A-Ea-e][0-9]{3})((?:\.[a-z0-9]{1,4})*)\s*$", re.IGNORECASE)
def determine_frame(
    lines: Table,
    *,
    ruleset: RuleSet | None = None,
    screener: PartyScreener | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    ownership: Any = None,
    memo: dict[tuple, tuple] | None = None,
    signatures: dict | None = None,
) -> pl.DataFrame:
    """Determine every order line; returns the input columns plus the answer columns.

    ``lines``: a polars frame, or a pandas one (read as polars: NaN and None are blank cells);
    the answer is a polars frame (``.to_pandas()`` for pandas). A file is read first:
    :func:`~exportcheck.determine.batch_io.read_lines` reads it as ``batch`` does.

    ``workers``: processes for the distinct keys (default: one per core when there are many).
    An optional ``consignee`` column is screened like ``end_user``; ``ownership`` (an
    :class:`~exportcheck.screen.ownership.Ownership`) adds the hits parties get through their
    owners. ``hold`` is true where a potential match was set aside (the outcome is the answer
    without it) and ``if_confirmed`` is the outcome if a candidate were confirmed (the strictest).
    ``memo``: see :func:`decide_keys`; ``signatures``: what parties screened to before, see
    :func:`~exportcheck.determine.batch_parties.collapse_parties`.

    ``value`` and ``quantity`` come back as given (text stays text: "1e3", or "1,200" beside
    its error), the numbers read from them being the engine's business; a line whose
    ``end_user_type`` is blank is taken as civil and its caveats say so first.
    """
    lines = polars_frame(lines)
    rs = ruleset or load_ruleset()
    df = _with_epochs(_normalise(lines).with_row_index("_row"), rs, ownership is not None)
    fields = order_frame(lines)
    given = fields.select(c for c in ("value", "quantity") if c in fields.columns)
    df, screener = _collapse_parties(df, screener, ownership, signatures)
    df = listing_periods(df, pl.col("_day"))
    df = _collapse_items(df, rs)
    # back in the lines' order now, while the rows are small: the answer joins keep it
    df = _collapse_uses(df, rs).sort("_row")
    # by destination and period: a worker then builds the per-snapshot caches (Snapshot.memo)
    # of fewer destinations than when the keys come in the lines' order
    keys = (df.filter(pl.col("_date_error").is_null()).select(KEY).unique()
            .sort("destination", "_epoch", "_item", nulls_last=True, maintain_order=True))
    answers = decide_keys(
        keys, rs, screener, progress=progress, workers=workers, ownership=ownership, memo=memo
    )
    # each line takes its key's answer within the LVS limit, or above it: one join on the key
    # for its number and limit, one on the number for the answer (the keys without a limit
    # have one answer only)
    answers = answers.with_row_index("_kid")
    bands = _by_edition(pl.concat([
        answers.select("_kid", pl.lit(False).alias("_above"),
                       *(pl.col(f"_lo_{c}").alias(c) for c in _SUMMARY)),
        answers.filter(pl.col("_limit").is_not_null()).select(
            "_kid", pl.lit(True).alias("_above"),
            *(pl.col(f"_hi_{c}").alias(c) for c in _SUMMARY)),
    ]))
    above = pl.col("_limit").is_not_null() & (pl.col("value") > pl.col("_limit"))
    out = (
        df.join(answers.select(*KEY, "_kid", "_limit"), on=KEY, how="left", nulls_equal=True,
                maintain_order="left")
        .with_columns(above.fill_null(False).alias("_above"), _EDITION_SIDE)
        .join(bands, on=["_kid", "_above", "_side"], how="left", maintain_order="left")
        .with_columns(pl.when(pl.col("_stated")).then(pl.col(IF_STATED))
                      .otherwise(pl.col(CAVEATS)).alias(CAVEATS))
        .with_columns(row_error("_date_error").alias("_row_error"))
        .with_columns(
            *[
                pl.when(pl.col("_row_error").is_not_null()).then(None).otherwise(pl.col(c)).alias(c)
                for c in _ANSWER
            ],
            # a key's error names its period's first day as "the line's date": the line's own
            pl.coalesce("_row_error", pl.col("error").str.replace_all(
                "the line's date",
                pl.col("_day").dt.to_string("%Y-%m-%d").fill_null("the line's date"),
                literal=True,
            )).alias("error"),
        )
        # a line in error after the edition has the caveat of later rules too
        .with_columns(
            pl.when(pl.col("_row_error").is_not_null() & (pl.col("_day") > SOURCE_EDITION))
            .then(pl.lit(AFTER_EDITION)).otherwise(pl.col(CAVEATS)).alias(CAVEATS),
            pl.col("hold").fill_null(False),
        )
    )
    out = _lvs_conditions(_assumed_civil(out)).with_columns(given.get_columns())
    # hits a disposition cleared: the answer rests on that decision, so the line says so, as
    # the scalar path's trace does (determine/cleared.py)
    out = out.with_columns(_first_in(CAVEATS, pl.col("_cleared"),
                                     pl.col("_cleared").is_not_null() & pl.col("error").is_null()))
    internal = ["_kid", "_limit", "_above", "_side", "_day", "_epoch", "_date_error",
                "_number_error", "_row_error", "_party", "_use", "_utype", "_item",
                "_utype_blank", "_cleared", "_facts", "_stated", IF_STATED, RULE_CAVEATS]
    return out.drop([*internal, "_row"])


#: a line's date against the eCFR edition the rule base was read from: before, on, after
_EDITION_SIDE = (pl.when(pl.col("_day") > SOURCE_EDITION).then(1)
                 .when(pl.col("_day") == SOURCE_EDITION).then(0).otherwise(-1)
                 .cast(pl.Int8).alias("_side"))


def _by_edition(bands: pl.DataFrame) -> pl.DataFrame:
    """Each answer in three, by the side of the edition a line's date is on (``_side``). The
    key is decided on the first day of its period: a line on the edition's day whose period
    began before it rests on the text in force, so has no caveat; a line after it has the one
    caveat of later rules (determine.caveats), and a key decided after it keeps its own, which
    begin with that one (a rule row applied that could not be verified adds its caveat). The
    caveats of the key's own facts (:data:`RULE_CAVEATS`: its parties' listing dates) stay on
    every side. Here per answer, not per line: a million lines would each copy their caveats'
    text."""
    def side(n: int) -> pl.Expr:
        return pl.lit(n, pl.Int8).alias("_side")

    def after(col: str) -> pl.Expr:
        later = pl.concat_str([pl.lit(AFTER_EDITION), pl.col(RULE_CAVEATS)], separator=" | ",
                              ignore_nulls=True)
        return (pl.when(pl.col(col).str.starts_with(AFTER_EDITION)).then(pl.col(col))
                .otherwise(later).alias(col))

    both = (CAVEATS, IF_STATED)  # the caveats, and those of lines stating an end use
    return pl.concat([
        bands.with_columns(side(-1)),
        bands.with_columns(side(0), *(pl.col(RULE_CAVEATS).alias(c) for c in both)),
        bands.with_columns(side(1), *(after(c) for c in both)),
    ])


def _lvs_conditions(out: pl.DataFrame) -> pl.DataFrame:
    """The LVS condition first in :data:`CONDITIONS` on each line offered LVS, in the words of
    the scalar path (:func:`~exportcheck.determine.exceptions.lvs_condition`) and with the
    line's own value: a key is decided without it ("value not given" is worth saying)."""
    lvs = pl.col("license_exceptions").str.split(",").list.contains("LVS").fill_null(False)
    combos = out.filter(lvs).select("value", "_limit", "_item").unique()
    if combos.height == 0:
        return out
    text = pl.DataFrame(
        # the ECCN as the engine reads it: an item given as "3a001.a.2" is 3A001
        [(v, lim, i, "LVS: " + lvs_condition(v, lim, i[:5].upper()))
         for v, lim, i in combos.rows()],
        schema={"value": pl.Float64, "_limit": pl.Float64, "_item": pl.Utf8, "_lvs": pl.Utf8},
        orient="row")
    return (out.join(text, on=["value", "_limit", "_item"], how="left", nulls_equal=True,
                     maintain_order="left")
            .with_columns(_first_in(CONDITIONS, pl.col("_lvs"), lvs))
            .drop("_lvs"))


def _first_in(column: str, text: pl.Expr, where: pl.Expr) -> pl.Expr:
    """``column`` with ``text`` put first (" | " between) on the rows ``where`` holds."""
    return (pl.when(where)
            .then(pl.concat_str([text, pl.col(column)], separator=" | ", ignore_nulls=True))
            .otherwise(pl.col(column)).alias(column))


def _assumed_civil(out: pl.DataFrame) -> pl.DataFrame:
    """The caveat :data:`~exportcheck.determine.caveats.ASSUMED_CIVIL` first on each decided
    line whose end-user type was blank (not on a named armed force: that is military), as
    ``check --end-user-type ""`` gives it."""
    blank = out.filter(pl.col("_utype_blank")).get_column("end_user").drop_nulls().unique()
    armed = [n for n in blank.to_list() if parties.armed_force_name(n)]
    assumed = (pl.col("_utype_blank") & pl.col("error").is_null()
               & ~pl.col("end_user").is_in(armed).fill_null(False))
    return out.with_columns(_first_in(CAVEATS, pl.lit(ASSUMED_CIVIL), assumed))
