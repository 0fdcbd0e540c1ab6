"""Vectorised determination over a table of order lines.

Lines that share item, destination, date, end user and end use share the answer except for the
value, which only matters against the LVS limit. So each distinct key is determined twice
(within and above the limit) and the value picks per row, in columns: the same answers as the
scalar path, row for row, at the cost of the distinct keys only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import polars as pl

from exportcheck.determine.engine import determine
from exportcheck.determine.exceptions import lvs_limit
from exportcheck.determine.items import parse_item
from exportcheck.determine.parties import PartyScreener
from exportcheck.errors import ExportCheckError, InvalidInput
from exportcheck.models import Determination
from exportcheck.rules.ruleset import RuleSet, load_ruleset

KEY = ["item", "destination", "date", "end_user", "end_user_type", "end_use"]
OUT_COLUMNS = ["outcome", "agency", "reasons", "license_exceptions", "review_policy", "error"]
_HUGE = 1e18


def _normalise(df: pl.DataFrame) -> pl.DataFrame:
    cols = {c.lower().strip(): c for c in df.columns}
    aliases = {"date": ["date", "on", "ship_date"], "destination": ["destination", "to", "country"],
               "item": ["item", "eccn", "classification"]}  # fmt: skip
    renames = {}
    for canon, names in aliases.items():
        src = next((cols[n] for n in names if n in cols), None)
        if src is None:
            raise InvalidInput(
                f"order lines need a {canon!r} column (or one of {names}); got {df.columns}"
            )
        renames[src] = canon
    df = df.rename(renames)
    for opt, default in (("value", None), ("quantity", None), ("end_user", None),
                         ("end_user_type", "civil"), ("end_use", None)):  # fmt: skip
        if opt not in df.columns:
            df = df.with_columns(pl.lit(default).alias(opt))
    return df.with_columns(
        pl.col("item").cast(pl.Utf8).str.strip_chars(),
        pl.col("destination").cast(pl.Utf8).str.strip_chars().str.to_uppercase(),
        pl.col("date").cast(pl.Utf8).str.strip_chars(),
        pl.col("value").cast(pl.Float64, strict=False),
        pl.col("end_user").cast(pl.Utf8),
        pl.col("end_user_type").cast(pl.Utf8).fill_null("civil"),
        pl.col("end_use").cast(pl.Utf8),
    )


def _summary(d: Determination) -> dict:
    return {
        "outcome": d.outcome.value,
        "agency": d.agency.value if d.agency else None,
        "reasons": ",".join(d.reasons),
        "license_exceptions": ",".join(e.symbol for e in d.license_exceptions),
        "review_policy": d.review_policy,
        "error": None,
    }


def _error(msg: str) -> dict:
    return dict.fromkeys(OUT_COLUMNS[:-1]) | {"error": msg}


def _decide_key(key: dict, rs: RuleSet, screener: PartyScreener | None) -> dict:
    try:
        on = date.fromisoformat(key["date"] or "")
    except ValueError:
        err = _error(f"invalid date {key['date']!r}: use YYYY-MM-DD")
        return {"lo": err, "hi": err, "limit": None}
    try:
        kw = dict(end_user=key["end_user"], end_user_type=key["end_user_type"],
                  end_use=key["end_use"], screener=screener, ruleset=rs)  # fmt: skip
        lo = determine(key["item"], key["destination"], on, value=0.0, **kw)
        hi = determine(key["item"], key["destination"], on, value=_HUGE, **kw)
        snap = rs.as_of(on)
        cls = parse_item(key["item"], snap)
        limit = None
        if cls.kind == "eccn":
            limit = lvs_limit(SimpleNamespace(item=cls), snap.ccl[cls.code])  # type: ignore[arg-type]
        return {"lo": _summary(lo), "hi": _summary(hi), "limit": limit}
    except ExportCheckError as exc:
        err = _error(str(exc))
        return {"lo": err, "hi": err, "limit": None}


def determine_frame(
    lines: pl.DataFrame,
    *,
    ruleset: RuleSet | None = None,
    screener: PartyScreener | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pl.DataFrame:
    """Determine every order line; returns the input columns plus the answer columns."""
    rs = ruleset or load_ruleset()
    df = _normalise(lines).with_row_index("_row")
    keys = df.select(KEY).unique(maintain_order=True)
    total = keys.height
    rows = []
    for i, key in enumerate(keys.iter_rows(named=True), start=1):
        got = _decide_key(key, rs, screener)
        rows.append({**key, "_limit": got["limit"],
                     **{f"_lo_{k}": v for k, v in got["lo"].items()},
                     **{f"_hi_{k}": v for k, v in got["hi"].items()}})  # fmt: skip
        if progress and (i % 256 == 0 or i == total):
            progress(i, total)
    schema = {**dict.fromkeys(KEY, pl.Utf8), "_limit": pl.Float64}
    schema |= {f"_{v}_{c}": pl.Utf8 for v in ("lo", "hi") for c in OUT_COLUMNS}
    answers = pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)
    joined = df.join(answers, on=KEY, how="left", nulls_equal=True)
    above = pl.col("_limit").is_not_null() & (pl.col("value") > pl.col("_limit"))
    bad_value = pl.col("value") < 0
    out = joined.with_columns(
        [pl.when(above).then(pl.col(f"_hi_{c}")).otherwise(pl.col(f"_lo_{c}")).alias(c)
         for c in OUT_COLUMNS]
    ).with_columns(
        *[pl.when(bad_value).then(None).otherwise(pl.col(c)).alias(c) for c in OUT_COLUMNS[:-1]],
        pl.when(bad_value).then(pl.lit("value must be a non-negative amount in USD"))
        .otherwise(pl.col("error")).alias("error"),
    )  # fmt: skip
    drop = [c for c in out.columns if c.startswith(("_lo_", "_hi_"))] + ["_limit"]
    return out.sort("_row").drop([*drop, "_row"])


def read_lines(path: str | Path) -> pl.DataFrame:
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


def write_results(df: pl.DataFrame, path: str | Path) -> None:
    p = Path(path)
    if p.suffix.lower() == ".parquet":
        df.write_parquet(p)
    elif p.suffix.lower() == ".csv":
        df.write_csv(p)
    else:
        raise InvalidInput(f"unsupported output format {p.suffix!r}: use .csv or .parquet")
