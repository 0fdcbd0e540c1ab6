"""Policy-change impact: one portfolio of order lines determined on two sides, and the difference.

A side is a rule date and the list versions end users are screened against. Both sides share the
vectorised batch path's work: the input is normalised and collapsed to distinct keys once, each
side decides only its distinct keys, and one join brings both answers back to the lines. The
lines whose answer changed are explained from the rules' own traces, a few distinct cases at a
time, so the cause of a change is the rule that made it, with its citation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from exportcheck.dates import as_day
from exportcheck.determine import batch as vb
from exportcheck.determine.batch_io import check_answer_columns, fold, order_frame
from exportcheck.determine.batch_keys import _EXTRA as EXTRA_COLUMNS
from exportcheck.determine.batch_keys import IF_STATED, RULE_CAVEATS
from exportcheck.determine.batch_parties import listing_periods
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import DateOutOfRange, InvalidInput
from exportcheck.impact.causes import explain, list_causes
from exportcheck.impact.models import ImpactSummary, Side
from exportcheck.ledger.schemas import MAX_VALUE
from exportcheck.rules.ruleset import RuleSet, load_ruleset
from exportcheck.rules.schema import RULEBASE_START
from exportcheck.tables import polars_frame

if TYPE_CHECKING:
    from exportcheck.tables import Table

#: the answer columns of a side, as the batch path names them
ANSWER = vb.OUT_COLUMNS
#: their names in the impact table
NAMES = {
    "outcome": "outcome",
    "agency": "agency",
    "reasons": "reasons",
    "license_exceptions": "exceptions",
    "review_policy": "review_policy",
    "hold": "hold",
    "if_confirmed": "if_confirmed",
    "error": "error",
}
#: answer columns that say how sure an answer is, not what it is: not a change of answer
_REVIEW = {"hold", "if_confirmed"}
_INPUT = {
    "item",
    "destination",
    "value",
    "quantity",
    "end_user",
    "consignee",
    "end_user_type",
    "end_use",
}
_BASE = ["_item", "destination", "_utype", "_use", "_facts"]
#: the largest value a line may have, in USD: the ledger's own cap on an amount (its money is
#: integer cents), so a typo of twenty digits is a line's error, not a sum in the trillions
VALUE_CAP = float(MAX_VALUE)


def value_cap_error() -> pl.Expr:
    """The error of a line whose value (in USD) is above :data:`VALUE_CAP`, else null."""
    return pl.when(pl.col("value") > VALUE_CAP).then(pl.format(
        f"value {{}} USD is too large: at most {MAX_VALUE:,} USD (the largest amount the "
        "ledger accepts)", pl.col("value")))


@dataclass
class ImpactResult:
    """What an impact run returns: the line table, its summary and the ledger/party tables."""

    lines: pl.DataFrame
    summary: ImpactSummary
    licences: pl.DataFrame = field(default_factory=pl.DataFrame)
    parties: pl.DataFrame = field(default_factory=pl.DataFrame)

    def write(self, outdir: str | Path) -> None:
        """``lines.parquet``, ``summary.json`` and ``report.html`` into ``outdir``, all or none."""
        from exportcheck.impact.output import write_outdir

        write_outdir(self, outdir)


#: what the errors of :func:`check_dates` and :func:`sides` call the inputs: the parameters of
#: :func:`impact` (the CLI passes :data:`CLI_NAMES`)
API_NAMES = {"from": "from_date", "to": "to_date", "on": "on",
             "from_lists": "from_screener", "to_lists": "to_screener"}
CLI_NAMES = {"from": "--from", "to": "--to", "on": "--on",
             "from_lists": "--from-lists", "to_lists": "--to-lists"}


def check_dates(
    from_date: date | None, to_date: date | None, on: date | None, lists: bool,
    names: Mapping[str, str] = API_NAMES,
) -> tuple[date, date]:
    """The old and new rule dates, or a clear error (the CLI checks before loading anything)
    naming the inputs as the caller knows them (``names``: :data:`API_NAMES`, or
    :data:`CLI_NAMES` for the command's flags)."""
    f, t, o = names["from"], names["to"], names["on"]
    if (from_date is None) != (to_date is None):
        raise InvalidInput(f"give both dates ({f} and {t}), or neither")
    if from_date is None and not lists:
        raise InvalidInput(f"nothing to compare: give {f}/{t} dates, list versions, or both")
    if from_date is not None and to_date is not None and from_date > to_date:
        raise InvalidInput(
            f"{f} {from_date.isoformat()} is after {t} {to_date.isoformat()}: "
            "the old side comes first"
        )
    if from_date is None:
        if on is None:
            raise InvalidInput(f"comparing list versions needs the rule date: give {o} "
                               "(YYYY-MM-DD)")
        from_date = to_date = on
    elif on is not None:
        raise InvalidInput(f"{o} is for list comparisons alone; with {f}/{t}, drop {o}")
    for box, d in (("from_date", from_date), ("to_date", to_date)):
        if d < RULEBASE_START:
            raise DateOutOfRange(
                f"date {d.isoformat()} is before the rule base starts "
                f"({RULEBASE_START.isoformat()})", field=box
            )
    return from_date, to_date


def _with_currency(df: pl.DataFrame) -> pl.DataFrame | None:
    """``df`` with its fields' columns under their names (:func:`~exportcheck.determine.
    batch_io.order_frame`) and its ``currency`` normalised (USD when blank), or None without
    one."""
    df = order_frame(df, dated=False)
    if "currency" not in df.columns:
        return None
    cur = pl.col("currency").cast(pl.Utf8).str.strip_chars().str.to_uppercase()
    return df.with_columns(cur.fill_null("USD").replace("", "USD").alias("currency"))


def currencies(df: pl.DataFrame) -> list[str]:
    """The currencies the lines are in (a part of them, for a distributed run to combine)."""
    got = _with_currency(df)
    return [] if got is None else sorted(got.get_column("currency").unique().to_list())


def _currency(
    df: pl.DataFrame, rates: Mapping[str, float] | None, present: list[str] | None = None
) -> tuple[pl.DataFrame, list]:
    """Values in USD: a ``currency`` column other than USD needs a rate (USD per unit).

    ``present``: the currencies of the whole input when ``df`` is one part of it. The lines'
    columns come back under their field names (``Value`` as ``value``)."""
    df = order_frame(df, dated=False)
    given: dict[str, float] = {}
    for key, rate in (rates or {}).items():  # {"EUR": 1.08, "eur": 1.1}: which would count?
        code = key.strip().upper()
        if code in given and given[code] != rate:
            raise InvalidInput(f"two rates for {code} ({given[code]!r} and {rate!r}): give one")
        given[code] = rate
    for code, rate in given.items():
        if not (isinstance(rate, int | float) and math.isfinite(rate) and rate > 0):
            raise InvalidInput(f"rate for {code} must be a positive number of USD, got {rate!r}")
    if given.get("USD", 1.0) != 1.0:
        # it would be ignored: USD values are the unit everything is converted to
        raise InvalidInput(f"rate for USD must be 1 (values are compared in USD), got "
                           f"{given['USD']!r}: give rates for the other currencies only")
    rates = given | {"USD": 1.0}
    got = _with_currency(df)
    if got is not None:
        df = got
        present = sorted(present) if present is not None else currencies(df)
    else:
        present = ["USD"]
    missing = [c for c in present if c not in rates]
    if missing:
        raise InvalidInput(
            f"values are in {', '.join(present)} but no rate is given for {', '.join(missing)}: "
            f"give {missing[0]}'s rate in USD per {missing[0]} (e.g. {missing[0]}=1.08; values "
            "are compared in USD)", field="rates"
        )
    unused = [c for c in given if c not in present and c != "USD"]
    notes = [] if not unused else [
        f"no line is in {', '.join(unused)}: the rate{'s' if len(unused) > 1 else ''} given "
        f"for {'them' if len(unused) > 1 else 'it'} {'were' if len(unused) > 1 else 'was'} "
        "not used" + ("" if got is not None else " (the order file has no currency column: "
                      "every value is taken as USD)")]
    if present == ["USD"] or "value" not in df.columns:
        return df, notes
    raw = pl.col("value").cast(pl.Utf8).str.strip_chars()
    num = raw.cast(pl.Float64, strict=False)
    rate = pl.col("currency").replace_strict(rates, return_dtype=pl.Float64)
    # a value that is not a number stays as given, so the batch path reports it; a USD value
    # too, unrounded: it is compared (with an LVS limit) as it would be in a file of USD alone
    usd = (pl.when(num.is_null() | (pl.col("currency") == "USD")).then(raw)
           .otherwise((num * rate).round(2).cast(pl.Utf8)))
    df = df.with_columns(raw.alias("value_in_currency"), usd.alias("value"))
    used = ", ".join(f"1 {c} = {rates[c]} USD" for c in present if c != "USD")
    return df, [f"values converted to USD at {used}", *notes]


def _epochs(df: pl.DataFrame, rs: RuleSet, day: date, name: str, ownership: bool
            ) -> pl.DataFrame:
    """The first day of the line's period of unchanged rules containing ``day``: of the rules
    that can change what is compared (not the caveats, not the trace)."""
    df = df.with_columns(vb.dated_eccn(rs, df.get_column("item")).alias("_dated"),
                         vb.term_flags(rs, df.get_column("end_use")).alias("_terms"))
    pairs = df.select("destination", "_dated", "_terms").unique()
    epochs = [vb.epoch_of(rs, dest, ecc, day, ownership=ownership, caveats=False, terms=terms)
              for dest, ecc, terms in pairs.iter_rows()]
    table = pairs.with_columns(pl.Series(name, epochs, dtype=pl.Date))
    joined = df.join(table, on=["destination", "_dated", "_terms"], how="left",
                     nulls_equal=True)
    # a NAC notification is checked against the day itself
    return vb.nac_on_its_day(joined.drop("_dated", "_terms"), name, pl.lit(day))


def _keys(combos: pl.DataFrame, suffix: str) -> pl.DataFrame:
    return combos.select(
        *_BASE, pl.col(f"_party{suffix}").alias("_party"), pl.col(f"_epoch{suffix}").alias("_epoch")
    ).unique()


def _as_side(answers: pl.DataFrame, suffix: str) -> pl.DataFrame:
    # the caveats and the out-of-scope outcome are not compared: dropped before the joins (the
    # caveats are the longest strings of a batch, ~760 bytes a line)
    answers = answers.drop([f"_{v}_{c}" for v in ("lo", "hi")
                            for c in (*EXTRA_COLUMNS, IF_STATED, RULE_CAVEATS)])
    return answers.rename(
        {"_party": f"_party{suffix}", "_epoch": f"_epoch{suffix}"}
        | {c: f"{c}{suffix}" for c in answers.columns if c.startswith(("_lo_", "_hi_", "_limit"))}
    )


def _answers(
    combos: pl.DataFrame,
    rs: RuleSet,
    screeners: tuple[PartyScreener | None, PartyScreener | None],
    progress: Callable[[int, int], None] | None,
    workers: int | None,
    ownership: Any = None,
    memos: tuple[dict | None, dict | None] = (None, None),
) -> pl.DataFrame:
    """Both sides' answers joined to the distinct combinations of the two sides' keys.

    With one screener a key is one key whichever side asks: destinations whose rules did not
    change between the dates have the same period on both sides and are decided once.
    ``memos``: each side's keys decided before (:func:`~exportcheck.determine.batch.decide_keys`).
    """
    if screeners[0] is screeners[1]:
        keys = pl.concat([_keys(combos, "_o"), _keys(combos, "_n")]).unique()
        both = vb.decide_keys(
            keys, rs, screeners[0], progress=progress, workers=workers, ownership=ownership,
            memo=memos[0],
        )
        old, new = _as_side(both, "_o"), _as_side(both, "_n")
    else:
        done = [0, 0]

        def tick(side: int) -> Callable[[int, int], None] | None:
            def report(i: int, n: int) -> None:
                done[side] = n
                progress(i + (done[0] if side else 0), sum(done))  # type: ignore[misc]

            return report if progress else None

        old = _as_side(vb.decide_keys(_keys(combos, "_o"), rs, screeners[0], progress=tick(0),
                                      workers=workers, ownership=ownership, memo=memos[0]), "_o")
        new = _as_side(vb.decide_keys(_keys(combos, "_n"), rs, screeners[1], progress=tick(1),
                                      workers=workers, ownership=ownership, memo=memos[1]), "_n")
    return combos.join(old, on=[*_BASE, "_party_o", "_epoch_o"], how="left", nulls_equal=True
                       ).join(new, on=[*_BASE, "_party_n", "_epoch_n"], how="left",
                              nulls_equal=True)


def impact(
    lines: Table,
    from_date: date | str | None = None,
    to_date: date | str | None = None,
    *,
    on: date | str | None = None,
    screener: PartyScreener | None = None,
    from_screener: PartyScreener | None = None,
    to_screener: PartyScreener | None = None,
    rates: Mapping[str, float] | None = None,
    ruleset: RuleSet | None = None,
    database_url: str | None = None,
    parties: Iterable[tuple[str, str | None]] | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    ownership: Any = None,
) -> ImpactResult:
    """Determine every line on both sides and explain each difference.

    Sides: ``from_date``/``to_date`` (rule dates), and/or ``from_screener``/``to_screener``
    (two list releases; the rule date is ``on`` when no dates are given). Without list
    screeners, end users are screened with ``screener`` (the same on both sides) if given.
    ``database_url``: a ledger whose licences are checked between the dates. ``parties``:
    (name, country) pairs screened against both list releases. ``ownership``: an
    :class:`~exportcheck.screen.ownership.Ownership` whose derived hits count on both sides
    (each on the dates its rule is in force). ``old_hold``/``new_hold`` mark lines held for
    review on a side (a potential match set aside); ``hold`` is either.

        >>> import polars as pl
        >>> from datetime import date
        >>> r = impact(pl.DataFrame({"item": ["3A001.a.2"], "destination": ["HK"],
        ...                          "value": [1200]}), date(2020, 6, 29), date(2021, 1, 15))
        >>> r.lines.select("old_outcome", "new_outcome").row(0)
        ('EXCEPTION_AVAILABLE', 'LICENSE_REQUIRED')
    """
    lists = from_screener is not None or to_screener is not None
    # as determine() takes them: a datetime's day, 'YYYY-MM-DD' text (a bad one named)
    from_date, to_date, on = (None if d is None else as_day(d, name) for d, name in
                              ((from_date, "from_date"), (to_date, "to_date"), (on, "on")))
    lines = polars_frame(lines)
    d_old, d_new, mode = sides(from_date, to_date, on, from_screener, to_screener)
    rs = ruleset or load_ruleset()
    scr_old = from_screener if lists else screener
    scr_new = to_screener if lists else screener

    # an earlier run's answers (old_outcome, cause ...) must not sit beside the new ones
    check_answer_columns(lines.columns, impact=True)
    dropped, notes = date_columns(lines.columns, d_old, d_new)
    raw, money_notes = _currency(lines.drop(dropped), rates)
    notes += money_notes
    df, m_old, m_new = decide_lines(raw, rs, d_old, d_new, (scr_old, scr_new),
                                    progress=progress, workers=workers, ownership=ownership)
    causes = explain(df, rs, d_old, d_new, m_old, m_new, ownership)
    if lists:
        causes = list_causes(df, causes, m_old, m_new)
    out = finish_lines(df, causes, carried_columns(raw))
    from exportcheck.impact.summary import build_summary

    summary, licences, party_table = build_summary(
        out,
        rs,
        Side(date=d_old, lists_version=getattr(scr_old, "version", None)),
        Side(date=d_new, lists_version=getattr(scr_new, "version", None)),
        mode=mode,
        notes=notes,
        database_url=database_url,
        parties=parties if lists else None,
        screeners=(from_screener, to_screener),
    )
    return ImpactResult(out, summary, licences, party_table)


def check_order_lines(lines: pl.DataFrame, rates: Mapping[str, float] | None = None,
                      present: list[str] | None = None) -> None:
    """Refuse lines :func:`impact` would refuse before determining any (a currency without a
    rate, a required column missing), in its words, for a command to say so before it loads
    the lists or starts a cluster. ``present``: the currencies when ``lines`` holds the
    columns alone (``[]``: their rates are checked later, on the cluster)."""
    dropped = [c for c in lines.columns if fold(c) in vb.DATE_ALIASES]
    raw, _ = _currency(lines.drop(dropped), rates, present)
    vb.check_order_columns(raw, dated=False)


def sides(
    from_date: date | None, to_date: date | None, on: date | None, from_screener: Any,
    to_screener: Any, names: Mapping[str, str] = API_NAMES,
) -> tuple[date, date, str]:
    """The old and new rule dates and the mode (rules, lists or both), or a clear error
    (``names``: see :func:`check_dates`)."""
    lists = from_screener is not None or to_screener is not None
    if lists and (from_screener is None or to_screener is None):
        raise InvalidInput(f"give both list versions ({names['from_lists']} and "
                           f"{names['to_lists']})")
    d_old, d_new = check_dates(from_date, to_date, on, lists, names)
    mode = "rules+lists" if lists and from_date is not None else "lists" if lists else "rules"
    return d_old, d_new, mode


def date_columns(columns: list[str], d_old: date, d_new: date) -> tuple[list[str], list[str]]:
    """The input's date columns (dropped: both sides have their own date) and the note saying so."""
    dropped = [c for c in columns if fold(c) in vb.DATE_ALIASES]
    if not dropped:
        return [], []
    return dropped, [
        f"input column {', '.join(repr(c) for c in dropped)} ignored: every line is "
        f"determined on {d_old.isoformat()} and on {d_new.isoformat()}"
    ]


def carried_columns(raw: pl.DataFrame) -> list[str]:
    """Input columns that are not order-line fields (order ids, customers): kept as given."""
    return [c for c in raw.columns if fold(c) not in _INPUT]


def decide_lines(
    raw: pl.DataFrame,
    rs: RuleSet,
    d_old: date,
    d_new: date,
    screeners: tuple[PartyScreener | None, PartyScreener | None],
    *,
    first_row: int = 0,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    ownership: Any = None,
    memos: tuple[dict | None, dict | None] = (None, None),
    signatures: tuple[dict | None, dict | None] = (None, None),
) -> tuple[pl.DataFrame, PartyScreener | None, PartyScreener | None]:
    """Both sides' answers for every line of ``raw`` (values already in USD), and ``changed``.

    ``first_row``: the number of the first line when ``raw`` is one part of the input;
    ``memos``: each side's keys decided before, ``signatures`` what parties screened to (a Dask
    worker keeps both per screener: :func:`~exportcheck.determine.batch.determine_frame`). Returns
    the working frame and each side's (memoising) screener, for :func:`explain`."""
    scr_old, scr_new = screeners
    df = vb._normalise(raw, dated=False).with_row_index("_row", offset=first_row)
    if df.height == 0:
        raise InvalidInput("the order file has no lines")
    # (the hits dispositions cleared are the batch's caveats; impact compares answers)
    df, m_old = vb._collapse_parties(df, scr_old, ownership, signatures[0])
    df = df.rename({"_party": "_party_o", "_bounds": "_bounds_o"}).drop("_cleared")
    if scr_new is scr_old:
        m_new = m_old
        df = df.with_columns(pl.col("_party_o").alias("_party_n"),
                             pl.col("_bounds_o").alias("_bounds_n"))
    else:
        df, m_new = vb._collapse_parties(df, scr_new, ownership, signatures[1])
        df = df.rename({"_party": "_party_n", "_bounds": "_bounds_n"}).drop("_cleared")
    df = vb._collapse_uses(vb._collapse_items(df, rs), rs)
    owned = ownership is not None
    df = _epochs(_epochs(df, rs, d_old, "_epoch_o", owned), rs, d_new, "_epoch_n", owned)
    # a party listed (or delisted) between the two dates: each side on its own day's hits
    for s, day in (("_o", d_old), ("_n", d_new)):
        df = listing_periods(df, pl.lit(day), f"_epoch{s}", f"_bounds{s}")
    df = df.with_columns(vb.missing_error(["item", "destination"]).alias("_line_error"))

    combo_cols = [*_BASE, "_party_o", "_party_n", "_epoch_o", "_epoch_n"]
    combos = df.filter(pl.col("_line_error").is_null()).select(combo_cols).unique()
    combos = _answers(combos, rs, (m_old, m_new), progress, workers, ownership, memos)
    df = df.join(combos, on=combo_cols, how="left", nulls_equal=True)

    # after the batch path's own (missing fields, not a number, negative): above the cap
    df = df.with_columns(pl.coalesce(vb.row_error("_line_error"), value_cap_error())
                         .alias("_row_error"))
    picked = []
    for s, prefix, day in (("_o", "old_", d_old), ("_n", "new_", d_new)):
        above = pl.col(f"_limit{s}").is_not_null() & (pl.col("value") > pl.col(f"_limit{s}"))
        picked.append(above.fill_null(False).alias(f"_above{s}"))
        for c in ANSWER:
            got = pl.when(above).then(pl.col(f"_hi_{c}{s}")).otherwise(pl.col(f"_lo_{c}{s}"))
            if c == "error":
                got = pl.coalesce(
                    "_row_error", got.str.replace_all("the line's date", day.isoformat())
                )
            else:
                got = pl.when(pl.col("_row_error").is_not_null()).then(None).otherwise(got)
            if c == "hold":
                got = got.fill_null(False)
            picked.append(got.alias(prefix + NAMES[c]))
    df = df.with_columns(picked)
    # an error that only names each side's own date is the same error on both sides
    old_err = pl.col("old_error").str.replace_all(d_old.isoformat(), "", literal=True)
    same_error = old_err.eq_missing(
        pl.col("new_error").str.replace_all(d_new.isoformat(), "", literal=True)
    )
    changed = pl.any_horizontal(
        [
            pl.col(f"old_{n}").ne_missing(pl.col(f"new_{n}"))
            for n in NAMES.values()
            if n != "error" and n not in _REVIEW
        ]
        + [~same_error]
    )
    # the same error on both sides says both days ("unknown destination 'XX' on 2020-06-29 and
    # 2020-12-24"), not the new side's alone, as if the old side had been determined
    both = (pl.col("new_error").str.replace_all(d_new.isoformat(),
                                               f"{d_old.isoformat()} and {d_new.isoformat()}",
                                               literal=True)
            if d_old != d_new else pl.col("new_error"))
    df = df.with_columns(changed.alias("changed"), (pl.col("old_hold") | pl.col("new_hold"))
                         .alias("hold"),
                         pl.when(pl.col("old_error").is_not_null() & same_error).then(both)
                         .alias("_error_both"))
    return df, m_old, m_new


def finish_lines(df: pl.DataFrame, causes: pl.DataFrame, carried: list[str]) -> pl.DataFrame:
    """The line table: ``df`` (from :func:`decide_lines`) with its causes, in input order."""
    df = df.join(causes, on="_row", how="left").with_columns(pl.col("cause").fill_null(""))
    return _line_table(df.sort("_row"), carried)


def category(item: pl.Expr) -> pl.Expr:
    """ECCN category and product group (``3A``), ``USML XI``, or ``EAR99``."""
    up = item.str.to_uppercase().str.strip_chars()
    return (
        pl.when(up.str.starts_with("USML"))
        .then(pl.concat_str(pl.lit("USML "), up.str.extract(r"^USML\s*:?\s*([IVXL]+)", 1)))
        .when(up.str.starts_with("EAR99"))
        .then(pl.lit("EAR99"))
        .when(up.str.contains(r"^[0-9][A-E][0-9]{3}"))
        .then(up.str.slice(0, 2))
        .otherwise(pl.lit("other"))
    )


def _line_table(df: pl.DataFrame, carried: list[str]) -> pl.DataFrame:
    ids = [c for c in carried if c in df.columns and c not in ("currency", "value_in_currency")]
    money = [c for c in ("currency", "value_in_currency") if c in df.columns]
    return df.select(
        (pl.col("_row") + 1).cast(pl.Int64).alias("line"),
        *ids,
        "item",
        "destination",
        "end_user",
        "consignee",
        "end_user_type",
        "end_use",
        category(pl.col("item").fill_null("")).alias("category"),
        # a value the line is refused for (infinite, not a number, negative, above the cap)
        # is no money
        pl.when(pl.col("value").is_finite() & (pl.col("value") >= 0)
                & (pl.col("value") <= VALUE_CAP)).then(pl.col("value"))
        .alias("value"),
        *money,
        "old_outcome",
        "new_outcome",
        "changed",
        "old_agency",
        "new_agency",
        "old_reasons",
        "new_reasons",
        "old_exceptions",
        "new_exceptions",
        "old_review_policy",
        "new_review_policy",
        "hold",
        "old_hold",
        "new_hold",
        "old_if_confirmed",
        "new_if_confirmed",
        "cause",
        pl.coalesce("_error_both", "new_error", "old_error").alias("error"),
        "old_error",
        "new_error",
    )
