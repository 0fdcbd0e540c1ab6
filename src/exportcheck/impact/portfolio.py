"""Synthetic order portfolios: realistic, deterministic order books for impact analysis.

Why: the impact of a policy change (Hong Kong in 2020, say) is measured on an order book, and
real order books are confidential. :func:`generate` makes one that looks like a US exporter's:
EAR99 the largest share, a Zipf-like tail over the whole Commerce Control List, a few USML
lines, destinations weighted like real US exports with Hong Kong and China prominent, log-normal
values, and customers named in their own language (Faker), a few of them real listed parties so
that screening has something to find. Every item and destination is one the rule base answers
for on 29 Jun 2020 and 23 Jul 2026. The same seed gives the same frame (for a given Faker
version: the names come from its word lists).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from numbers import Integral

import numpy as np
import polars as pl
from faker import Faker

from exportcheck.determine import determine
from exportcheck.errors import ExportCheckError, InvalidInput
from exportcheck.rules.ruleset import RuleSet, load_ruleset

COLUMNS = [
    "order_id",
    "customer",
    "item",
    "destination",
    "value",
    "quantity",
    "currency",
    "end_user",
    "end_user_type",
    "end_use",
]
SCHEMA: dict[str, pl.DataType] = {
    "order_id": pl.Utf8(),
    "customer": pl.Utf8(),
    "item": pl.Utf8(),
    "destination": pl.Utf8(),
    "value": pl.Float64(),
    "quantity": pl.Int64(),
    "currency": pl.Utf8(),
    "end_user": pl.Utf8(),
    "end_user_type": pl.Utf8(),
    "end_use": pl.Utf8(),
}
MAX_LINES = 50_000_000
#: every catalogue item and destination must determine without error on these dates
CHECK_DATES = (date(2020, 6, 29), date(2026, 7, 23))

EAR99_SHARE = 0.40
USML_SHARE = 0.025
MAX_CUSTOMERS = 2_000
#: share of the customer pool that are real listed parties (at least 3 from 200 customers)
LISTED_SHARE = 0.005

#: ECCNs that fill most export declarations, most common first (the head of the Zipf curve)
COMMON_ITEMS = (
    "5A992.c",
    "5D992.c",
    "4A994",
    "3A991.b",
    "5A002.a",
    "4D994",
    "3A001.a.2",
    "2B999",
    "9A991.d",
    "1C350",
    "7A994",
    "6A003.b.4",
    "5A991.b",
    "3A991.a",
    "4A994.b",
    "9A991",
    "5A992",
    "3A001.b",
    "2B001",
    "6A005",
    "8A992",
    "3A002.a",
    "5D002.c",
    "9A610.x",
    "0A501.a",
    "1A995",
)
#: USML categories in the form the engine accepts, most common first
USML_ITEMS = (
    "USML:XI",
    "USML:XII",
    "USML:I(a)",
    "USML:VIII(h)",
    "USML:XI(a)(3)",
    "USML:III(a)",
    "USML:IV(h)",
    "USML:XV(e)",
    "USML:XIII",
    "USML:II(j)",
    "USML:XII(c)",
    "USML:X",
    "USML:V",
    "USML:XIV",
)

#: percent of lines by destination, after US export statistics, with HK and CN weighted up
PARTNERS: dict[str, float] = {
    "CA": 13.0, "MX": 11.5, "CN": 9.5, "HK": 7.5, "JP": 4.5, "DE": 4.0, "GB": 4.0, "KR": 3.3,
    "NL": 2.8, "TW": 2.4, "SG": 2.3, "IN": 2.0, "FR": 2.0, "BR": 1.9, "CH": 1.5, "BE": 1.5,
    "AU": 1.5, "IT": 1.2, "AE": 1.1, "IL": 1.0, "MY": 0.9, "VN": 0.8, "TH": 0.8, "ES": 0.7,
    "IE": 0.7, "SA": 0.6, "SE": 0.5, "PH": 0.5, "ID": 0.5, "TR": 0.5, "CL": 0.5, "CO": 0.5,
    "AR": 0.4, "PL": 0.4, "DK": 0.3, "AT": 0.3, "NO": 0.3, "NZ": 0.3, "ZA": 0.3, "PE": 0.3,
    "FI": 0.2, "EG": 0.2, "QA": 0.2, "KW": 0.2, "CZ": 0.2, "HU": 0.15, "PT": 0.15, "GR": 0.15,
    "RO": 0.15, "PK": 0.15, "NG": 0.15, "MO": 0.1, "UA": 0.1, "KZ": 0.1, "BD": 0.1,
}  # fmt: skip
#: sanctioned or embargoed destinations: rare, but an order book is never quite clean
SANCTIONED: dict[str, float] = {
    "RU": 0.05, "BY": 0.02, "VE": 0.02, "IR": 0.01, "CU": 0.01, "SY": 0.005,
}  # fmt: skip
#: every other destination the rule base knows
TAIL_WEIGHT = 0.02
NOT_EXPORT_DESTINATIONS = frozenset({"US", "KP"})

#: Faker locale(s) for a customer's country; others get generic English names
LOCALES: dict[str, tuple[str, ...]] = {
    "CN": ("zh_CN",), "HK": ("zh_TW", "en_HK"), "TW": ("zh_TW",), "JP": ("ja_JP",),
    "KR": ("ko_KR",), "DE": ("de_DE",), "AT": ("de_AT",), "CH": ("de_CH", "fr_CH"),
    "FR": ("fr_FR",), "BE": ("nl_BE", "fr_BE"), "NL": ("nl_NL",), "GB": ("en_GB",),
    "IE": ("en_IE",), "CA": ("en_CA", "fr_CA"), "MX": ("es_MX",), "ES": ("es_ES",),
    "AR": ("es_AR",), "CL": ("es_CL",), "CO": ("es_CO",), "BR": ("pt_BR",), "PT": ("pt_PT",),
    "IT": ("it_IT",), "IN": ("en_IN",), "IL": ("he_IL",), "TH": ("th_TH",), "VN": ("vi_VN",),
    "ID": ("id_ID",), "PH": ("en_PH",), "TR": ("tr_TR",), "RU": ("ru_RU",), "IR": ("fa_IR",),
    "UA": ("uk_UA",), "PL": ("pl_PL",), "CZ": ("cs_CZ",), "SE": ("sv_SE",), "DK": ("da_DK",),
    "NO": ("no_NO",), "FI": ("fi_FI",), "GR": ("el_GR",), "RO": ("ro_RO",), "HU": ("hu_HU",),
    "AU": ("en_AU",), "NZ": ("en_NZ",), "SA": ("ar_SA",),
}  # fmt: skip
DEFAULT_LOCALE = "en_US"
#: Hong Kong companies written in English: romanised Cantonese trade names
_HK_WORDS = (
    "Wing", "Tat", "Fung", "Kwong", "Wah", "Hing", "Shing", "Fat", "Chun", "Po", "Lung", "Yick",
    "Cheung", "Kin", "Sun", "Hop", "Lee", "Tai", "Yuen", "Fook", "Man", "On", "Keung", "Hang",
)  # fmt: skip
_HK_TRADES = (
    "Electronics", "Trading", "Engineering", "Technology", "Industrial", "Components",
    "Telecom", "Aviation Services", "Instruments", "Data Systems", "Logistics", "Precision",
)  # fmt: skip
_HK_SUFFIX = ("Limited", "Company Limited", "(Hong Kong) Limited", "(HK) Co., Ltd.")
_DISPLAY_LOCALE = {"en_HK": "en_GB"}  # en_HK is ours: Faker has no such locale
_PROVIDERS = ["faker.providers.company", "faker.providers.person"]

END_USER_TYPES = ("civil", "government", "military")
_TYPE_P = (0.90, 0.07, 0.03)
#: typical end use of an end user, by type (None: the order does not say)
_END_USES: dict[str, tuple[tuple[str | None, ...], tuple[float, ...]]] = {
    "civil": (
        (None, "civil aviation", "research", "telecommunications"),
        (0.74, 0.07, 0.09, 0.10),
    ),
    "government": (
        (None, "law enforcement", "research", "telecommunications"),
        (0.40, 0.35, 0.15, 0.10),
    ),
    "military": ((None, "military"), (0.45, 0.55)),
}
#: share of lines whose end user is not the customer (a distributor's client)
OTHER_END_USER_SHARE = 0.12

_ORG = re.compile(
    r"\b(co\.?|corp\w*|company|ltd\.?|limited|group|holdings?|technolog\w*|electronic\w*|"
    r"industr\w*|trading|logistics|express|bureau|academy|institute|college|international|"
    r"engineering|hub|components?)\b",
    re.IGNORECASE,
)
#: listed banks, hotels and jewellers do not buy from an exporter of controlled goods
_NOT_A_BUYER = re.compile(r"bank|financ|hotel|jewel|gems", re.IGNORECASE)
_GOVERNMENT = re.compile(r"bureau|police|government|public security|ministry", re.IGNORECASE)
_RESEARCH = re.compile(r"academy|institute|college|university|research", re.IGNORECASE)


def generate(lines: int, *, seed: int = 2020, ruleset: RuleSet | None = None) -> pl.DataFrame:
    """``lines`` synthetic order lines, the same for the same ``seed``.

    Columns (in order): order_id, customer, item, destination, value (USD), quantity,
    currency, end_user, end_user_type, end_use. See the module docstring for the mix.
    """
    if isinstance(lines, bool) or not isinstance(lines, Integral):
        raise InvalidInput(f"lines must be a whole number, got {lines!r}")
    if not 1 <= lines <= MAX_LINES:
        raise InvalidInput(
            f"lines must be a positive number of order lines (1 to {MAX_LINES:,}), got {lines}"
        )
    if isinstance(seed, bool) or not isinstance(seed, Integral) or seed < 0:
        raise InvalidInput(f"seed must be a non-negative whole number, got {seed!r}")
    n, seed = int(lines), int(seed)
    rs = ruleset or load_ruleset()
    items, item_p, item_scale = _catalogue(rs, seed)
    pool = _customers(rs, seed, _pool_size(n))

    rng = np.random.default_rng([seed, 3])
    cust = rng.choice(len(pool.share), size=n, p=pool.share)
    other = rng.random(n) < OTHER_END_USER_SHARE
    # end users: the customer itself at 2*i, its usual other end user at 2*i + 1
    eu = 2 * cust + other
    item = rng.choice(len(items), size=n, p=item_p)
    value = np.round(rng.lognormal(np.log(2_500.0), 1.7, n) * item_scale[item], 2)
    value = np.maximum(value, 0.01)
    quantity = rng.geometric(0.35, n)

    idx = pl.DataFrame(
        {"_c": cust, "_e": eu, "_i": item, "value": value, "quantity": quantity},
        schema={"_c": pl.Int64, "_e": pl.Int64, "_i": pl.Int64, "value": pl.Float64,
                "quantity": pl.Int64},
    )  # fmt: skip
    number = pl.int_range(1, n + 1, dtype=pl.Int64)
    return idx.select(
        pl.format("SO-{}", number.cast(pl.Utf8).str.zfill(7)).alias("order_id"),
        pool.name.gather(idx["_c"]).alias("customer"),
        items.gather(idx["_i"]).alias("item"),
        pool.country.gather(idx["_c"]).alias("destination"),
        pl.col("value"),
        pl.col("quantity"),
        pl.lit("USD").alias("currency"),
        pool.end_user.gather(idx["_e"]).alias("end_user"),
        pool.end_user_type.gather(idx["_e"]).alias("end_user_type"),
        pool.end_use.gather(idx["_e"]).alias("end_use"),
    )


def _pool_size(lines: int) -> int:
    return max(5, min(MAX_CUSTOMERS, lines // 20))


# --- the catalogue: what is sold ---------------------------------------------------------------


def _answers(rs: RuleSet, item: str, destination: str) -> bool:
    try:
        for on in CHECK_DATES:
            determine(item, destination, on, ruleset=rs)
    except ExportCheckError:
        return False
    return True


_Candidates = tuple[str, ...]


@lru_cache(maxsize=4)
def _known_items(rs: RuleSet) -> tuple[tuple[str, ...], tuple[_Candidates, ...], tuple[str, ...]]:
    """(common items, per-ECCN candidate items, USML items) that determine on both dates.

    The per-ECCN candidates are the bare ECCN and its listed paragraphs down to two levels
    (3A001.a.2), as the rule base writes them.
    """
    snaps = [rs.as_of(on) for on in CHECK_DATES]
    eccns = sorted(set(snaps[0].ccl) | set(snaps[1].ccl))
    per_eccn = []
    for eccn in eccns:
        entry = snaps[1].ccl.get(eccn) or snaps[0].ccl[eccn]
        paras = [p for p in entry.paragraphs if p.count(".") <= 2]
        cands = tuple(c for c in (eccn, *(eccn + p for p in paras)) if _answers(rs, c, "DE"))
        if cands:
            per_eccn.append(cands)
    common = tuple(i for i in COMMON_ITEMS if _answers(rs, i, "DE"))
    usml = tuple(i for i in USML_ITEMS if _answers(rs, i, "DE"))
    return common, tuple(per_eccn), usml


@lru_cache(maxsize=8)
def _catalogue(rs: RuleSet, seed: int) -> tuple[pl.Series, np.ndarray, np.ndarray]:
    """Items, their probabilities and value scale: EAR99, a Zipf curve over ECCNs, USML."""
    common, per_eccn, usml = _known_items(rs)
    rng = np.random.default_rng([seed, 1])
    tail: list[str] = []
    for cands in per_eccn:
        # the bare ECCN, or one paragraph of it where the entry lists paragraphs
        bare = len(cands) == 1 or rng.random() < 0.3
        pick = cands[0] if bare else cands[rng.integers(1, len(cands))]
        if pick not in common:
            tail.append(pick)
    tail = [tail[i] for i in rng.permutation(len(tail))]
    eccn_items = [*common, *tail]
    eccn_w = _zipf(len(eccn_items), 1.05, offset=2.0)
    usml_w = _zipf(len(usml), 1.0, offset=1.0)
    items = ["EAR99", *eccn_items, *usml]
    p = np.concatenate(
        [[EAR99_SHARE], eccn_w * (1 - EAR99_SHARE - USML_SHARE), usml_w * USML_SHARE]
    )
    # defence articles are sold in bigger lots; EAR99 is mostly cheap general goods
    scale = np.concatenate([[0.6], np.ones(len(eccn_items)), np.full(len(usml), 6.0)])
    return pl.Series("item", items, dtype=pl.Utf8), p / p.sum(), scale


def _zipf(n: int, s: float, offset: float) -> np.ndarray:
    w = 1.0 / (np.arange(1, n + 1) + offset) ** s
    return w / w.sum()


# --- the customers: who buys, where --------------------------------------------------------------


@lru_cache(maxsize=4)
def _destinations(rs: RuleSet) -> tuple[tuple[str, ...], np.ndarray]:
    """Destinations the rule base answers for on both dates, and their share of lines."""
    snaps = [rs.as_of(on) for on in CHECK_DATES]
    known = (set(snaps[0].destinations) | set(snaps[1].destinations) | {"HK"}) - set(
        NOT_EXPORT_DESTINATIONS
    )
    weights = {c: TAIL_WEIGHT for c in known if len(c) == 2}  # no ISO 3166-2 regions
    weights |= {c: w for c, w in (PARTNERS | SANCTIONED).items() if c in weights}
    codes = tuple(sorted(c for c in weights if _answers(rs, "EAR99", c)))
    w = np.array([weights[c] for c in codes])
    return codes, w / w.sum()


@lru_cache(maxsize=1)
def _listed_parties() -> tuple[tuple[str, str, str, str | None], ...]:
    """(name, country, type, end use) of listed organisations in Hong Kong or China.

    From the bundled sample lists (Entity List, MEU list, SDN, ...), so that screening against
    them finds these customers.
    """
    from exportcheck.screen.parsers import load_paths
    from exportcheck.screen.service import SAMPLES_DIR

    found: dict[str, tuple[str, str, str, str | None]] = {}
    for parsed in load_paths([SAMPLES_DIR]):
        for e in parsed.entries:
            where = [c for c in e.countries if c in ("HK", "CN")]
            if not e.countries or e.countries[0] not in ("HK", "CN") or len(e.countries) > 3:
                continue
            name = " ".join(e.name.split())
            if e.kind == "person" or len(name) > 60 or "Affiliated Entity" in name:
                continue
            if not _ORG.search(name) or _NOT_A_BUYER.search(name):
                continue
            country = "HK" if "HK" in where else "CN"
            if e.list == "MEU":
                kind, use = "military", None
            elif _GOVERNMENT.search(name):
                kind, use = "government", "law enforcement"
            elif _RESEARCH.search(name):
                kind, use = "civil", "research"
            else:
                kind, use = "civil", None
            found.setdefault(name.casefold(), (name, country, kind, use))
    return tuple(sorted(found.values()))


@lru_cache(maxsize=64)
def _faker(locale: str) -> Faker:
    # only the providers company names need: loading all of a locale's takes 10-25 ms
    return Faker(_DISPLAY_LOCALE.get(locale, locale), providers=_PROVIDERS, use_weighting=False)


def _company(locale: str, fake: Faker) -> str:
    if locale != "en_HK":
        return fake.company()
    if fake.random.random() < 0.25:  # a trading house's or a multinational's local company
        return f"{fake.last_name()} & {fake.last_name()} (Hong Kong) Limited"
    words = fake.random_elements(_HK_WORDS, length=2, unique=True)
    trade = fake.random_element(_HK_TRADES)
    return f"{' '.join(words)} {trade} {fake.random_element(_HK_SUFFIX)}"


@dataclass(frozen=True)
class _Pool:
    """Customer ``i`` has share ``share[i]`` of the lines; its end users are ``2*i`` (itself)
    and ``2*i + 1`` (the other end user of its orders)."""

    share: np.ndarray
    name: pl.Series
    country: pl.Series
    end_user: pl.Series
    end_user_type: pl.Series
    end_use: pl.Series


@lru_cache(maxsize=8)
def _customers(rs: RuleSet, seed: int, size: int) -> _Pool:
    """The customer pool: names, countries and line shares, plus each one's end users.

    Customers have a Zipf-like share of the lines (big customers order a lot). Countries are
    dealt out largest customer first, each to a destination whose target share still has room,
    so the share of lines per destination follows the target weights.
    """
    rng = np.random.default_rng([seed, 2])
    codes, target = _destinations(rs)
    share = _zipf(size, 0.95, offset=0.0)
    # a listed party is a mid-sized customer (never the biggest, never too rare to show up)
    listed = _listed_parties()
    k = min(len(listed), max(round(size * LISTED_SHARE), 3 if size >= 200 else int(size >= 20)))
    picks = [listed[i] for i in rng.choice(len(listed), size=k, replace=False)] if k else []
    lo, hi = max(1, size // 20), max(2, size // 2)
    listed_ranks = dict(
        zip(rng.choice(np.arange(lo, hi), size=k, replace=False).tolist(), picks, strict=True)
    ) if k else {}  # fmt: skip

    remaining = target.copy()
    index = {c: i for i, c in enumerate(codes)}
    for rank, party in listed_ranks.items():
        remaining[index[party[1]]] -= share[rank]
    country = np.empty(size, dtype=np.int64)
    for rank in range(size):
        if rank in listed_ranks:
            country[rank] = index[listed_ranks[rank][1]]
            continue
        room = np.where(remaining >= share[rank], remaining, 0.0)
        if room.sum() <= 0:
            pick = int(np.argmax(remaining))
        else:
            pick = int(rng.choice(len(codes), p=room / room.sum()))
        country[rank] = pick
        remaining[pick] -= share[rank]

    kinds = rng.choice(len(END_USER_TYPES), size=2 * size, p=_TYPE_P)
    # the largest accounts (distributors, OEMs) and their clients are civil: government and
    # military buyers are many small accounts, so their share of lines stays small
    kinds[: 2 * max(1, size // 50)] = 0
    fakes: dict[str, Faker] = {}
    seen: set[str] = {p[0].casefold() for p in picks}
    eu_name: list[str] = []
    eu_type: list[str] = []
    eu_use: list[str | None] = []
    for i in range(2 * size):
        rank, own = divmod(i, 2)
        cc = codes[country[rank]]
        if own == 0 and rank in listed_ranks:
            name, _, kind, use = listed_ranks[rank]
        else:
            choices = LOCALES.get(cc, (DEFAULT_LOCALE,))
            locale = choices[int(rng.integers(len(choices)))]
            if locale not in fakes:
                fakes[locale] = _faker(locale)
                fakes[locale].seed_instance(seed * 7919 + sum(map(ord, locale)))
            name = _unique(locale, fakes[locale], seen)
            kind = END_USER_TYPES[kinds[i]]
            uses, p = _END_USES[kind]
            use = uses[int(rng.choice(len(uses), p=p))]
        eu_name.append(name)
        eu_type.append(kind)
        eu_use.append(use)
    return _Pool(
        share=share,
        name=pl.Series("customer", eu_name[::2], dtype=pl.Utf8),
        country=pl.Series("destination", [codes[c] for c in country], dtype=pl.Utf8),
        end_user=pl.Series("end_user", eu_name, dtype=pl.Utf8),
        end_user_type=pl.Series("end_user_type", eu_type, dtype=pl.Utf8),
        end_use=pl.Series("end_use", eu_use, dtype=pl.Utf8),
    )


def _unique(locale: str, fake: Faker, seen: set[str]) -> str:
    for _ in range(8):
        name = _company(locale, fake)
        if name.casefold() not in seen:
            break
    else:
        name = f"{name} {fake.random_int(2, 99)}"
    seen.add(name.casefold())
    return name
