"""What the end-use rules can see of a batch line's end use and end-user type
(:mod:`exportcheck.determine.batch`): the columns ``_use``, ``_stated`` and ``_utype`` that
stand in for the stated end use and type in the keys, and the lines whose end use reads
otherwise with another period's terms (``_terms``)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from exportcheck.determine import parties
from exportcheck.determine.enduse import end_use_named, end_use_terms
from exportcheck.determine.policies import military_use
from exportcheck.errors import InvalidInput
from exportcheck.models import EndUserType
from exportcheck.rules import relevance
from exportcheck.rules.ruleset import RuleSet


def term_sensitive(rs: RuleSet, texts: Iterable[str | None]) -> set[str]:
    """The stated end uses that read otherwise with the end-use terms of another period
    (:meth:`RuleSet.term_sets`: "military intelligence" names military before 744.22 and not
    after): their lines keep their text and split their periods on the days the terms change."""
    sets = [*rs.term_sets(), end_use_terms(rs)]
    out = set()
    for text in texts:
        if not (text or "").strip():
            continue
        try:
            if len({tuple(end_use_named(text, terms)) for terms in sets}) > 1:
                out.add(text)  # type: ignore[arg-type]
        except InvalidInput:
            continue  # an error in every period: the line reports it
    return out


def term_flags(rs: RuleSet, uses: pl.Series) -> pl.Series:
    """Whether each line's end use is :func:`term_sensitive` (read once per distinct text)."""
    sensitive = sorted(term_sensitive(rs, uses.unique().to_list()))
    return uses.is_in(sensitive).fill_null(False)


def collapse_uses(df: pl.DataFrame, rs: RuleSet) -> pl.DataFrame:
    """Replace end use and end-user type by what the end-use rules can see of them.

    An end use is read for the Part 744 end uses it names (:func:`~exportcheck.determine.
    enduse.end_use_named`), once per distinct text: those stand in for the text. One that names
    none is decided as none stated, and ``_stated`` marks it: worldwide end-use rules are then
    consulted, and their rows of unknown start date reach its caveats (batch_keys.IF_STATED).
    A text that cannot be read is kept, so its lines report the error.
    """
    rules = rs.rows("end_use_rules")
    # the types a rule reaches, and those a rule leaves out (746.3(a)(4): not the Government of
    # Iraq), which matter only where that rule reaches: elsewhere they read as civil
    reached = {t for r in rules for t in r.end_user_types}
    exempt = {t for r in rules for t in r.exempt_end_user_types} - reached
    where = {c for r in rules if r.exempt_end_user_types for c in r.countries}
    anywhere = any(r.groups or not r.countries for r in rules if r.exempt_end_user_types)
    relevant = sorted(reached | exempt)
    valid = [t.value for t in EndUserType]

    known = end_use_terms(rs)
    texts = df.select(pl.col("end_use").unique())
    sensitive = term_sensitive(rs, texts.get_column("end_use").to_list())

    def terms(text: str | None) -> tuple[str, bool]:
        try:
            named = end_use_named(text, known)
        except InvalidInput:
            return text or "", False
        if military_use(text) != military_use(";".join(named)) or text in sensitive:
            # "paramilitary" (a review policy reads the text itself), or a text that reads
            # otherwise in another period: decided as written
            return text or "", False
        return ";".join(named), not named and bool((text or "").strip())

    read = [terms(t) for t in texts.get_column("end_use").to_list()]
    texts = texts.with_columns(pl.Series("_use", [u for u, _ in read], dtype=pl.Utf8),
                               pl.Series("_stated", [st for _, st in read], dtype=pl.Boolean))
    df = df.join(texts, on="end_use", how="left", nulls_equal=True)
    # the same Python test as the scalar path, once per distinct name
    # on the distinct (end user, type) pairs, joined back (a customer's type rarely varies)
    pairs = df.select("end_user", "end_user_type").unique()
    names = pairs.get_column("end_user").drop_nulls().unique().to_list()
    armed = [n for n in names if parties.armed_force_name(n)]
    forced = pl.col("end_user").is_in(armed)
    stated = pl.col("end_user_type").str.to_lowercase()
    # a named armed force is a military end user whatever the line states (as in the scalar path)
    utype = pl.when(forced & stated.is_in(valid)).then(pl.lit("military")).otherwise(stated)
    pairs = pairs.with_columns(
        pl.when(utype.is_in(relevant))
        .then(utype)
        .when(utype.is_in(valid))
        .then(pl.lit("civil"))
        .otherwise(pl.col("end_user_type"))
        .alias("_utype"),
    )
    df = df.join(pairs, on=["end_user", "end_user_type"], how="left", nulls_equal=True)
    if exempt and not anywhere:
        df = df.with_columns(
            pl.when(pl.col("_utype").is_in(sorted(exempt))
                    & ~pl.col("destination").str.to_uppercase().is_in(sorted(where)))
            .then(pl.lit("civil")).otherwise(pl.col("_utype")).alias("_utype"))
    return _government_where_barred(df, rs, ~forced.fill_null(False))


def _government_where_barred(df: pl.DataFrame, rs: RuleSet, unforced: pl.Expr) -> pl.DataFrame:
    """A government end user kept apart from a civil one where a licence exception barred to
    government end users (740.22 ACE in D:1-D:5) may be offered: at destinations ever in those
    groups, for items whose entry ever names it (or any item, where an embargo or end-use rule
    allows it)."""
    rows = [d for d in rs.rows("licence_exceptions") if d.no_government_groups]
    if not rows:
        return df
    groups = {str(g) for d in rows for g in d.no_government_groups}
    symbols = {d.symbol for d in rows}
    near = [d for d in df.get_column("destination").unique().drop_nulls().to_list()
            if rs.may_be_in(d, groups)]
    item = pl.lit(True)
    if not symbols & relevance.allowed_everywhere(rs.tables):
        named = sorted({e.eccn for e in rs.rows("ccl") if symbols & set(e.exceptions)}
                       | {p.split(".")[0] for d in rows for p in d.items})
        item = pl.col("_item").str.slice(0, 5).str.to_uppercase().is_in(named)
    return df.with_columns(
        pl.when((pl.col("_utype") == "civil") & unforced & item
                & (pl.col("end_user_type").str.to_lowercase() == "government")
                & pl.col("destination").is_in(near))
        .then(pl.lit("government")).otherwise(pl.col("_utype")).alias("_utype"))
