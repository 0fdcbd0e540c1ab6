"""Country names as the lists write them ("Korea, North", "Burma", "Region: Gaza") -> ISO alpha-2.

Secondary evidence compares countries, so every parser and the query side normalise through
:func:`to_iso2`. Unknown names give ``None`` rather than a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pycountry

_ALIASES = {
    "russia": "RU", "russian federation": "RU", "iran": "IR", "syria": "SY", "burma": "MM",
    "korea, north": "KP", "north korea": "KP", "dprk": "KP", "korea, south": "KR",
    "south korea": "KR", "korea": "KR", "hong kong": "HK", "macau": "MO", "macao": "MO",
    "china": "CN", "taiwan": "TW", "vietnam": "VN", "viet nam": "VN", "laos": "LA",
    "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ", "moldova": "MD", "turkey": "TR",
    "turkiye": "TR", "kosovo": "XK", "palestinian": "PS", "palestine": "PS", "west bank": "PS",
    "gaza": "PS", "region: gaza": "PS", "region: west bank": "PS", "cote d'ivoire": "CI",
    "ivory coast": "CI", "czech republic": "CZ", "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD", "congo, republic of the": "CG", "congo": "CG",
    "the former yugoslav republic of macedonia": "MK", "macedonia": "MK", "united kingdom": "GB",
    "uk": "GB", "great britain": "GB", "england": "GB", "united states": "US", "usa": "US",
    "u.s.a.": "US", "brunei": "BN", "cape verde": "CV", "swaziland": "SZ", "micronesia": "FM",
    "the gambia": "GM", "gambia": "GM", "the bahamas": "BS", "bahamas": "BS", "crimea": "UA",
    "region: crimea": "UA", "yemen": "YE", "libya": "LY", "netherlands antilles": "AN",
    "saint kitts and nevis": "KN", "st. kitts and nevis": "KN", "vatican": "VA",
    "curacao": "CW", "sint maarten": "SX", "east timor": "TL", "timor-leste": "TL",
    "iran (islamic republic of)": "IR", "syrian arab republic": "SY",
    "lao people's democratic republic": "LA", "democratic people's republic of korea": "KP",
    "republic of korea": "KR", "united republic of tanzania": "TZ",
    "bolivarian republic of venezuela": "VE", "state of palestine": "PS",
    # Hong Kong and Macao as their own governments, Excel's region list (CLDR: "Hong Kong SAR
    # China"), UN statistics ("China, Hong Kong SAR") and Chinese text write them: a HK
    # customer file saying "Hong Kong SAR" must not leave its rows unscreened
    **dict.fromkeys(("hong kong sar", "hksar", "hong kong sar china", "hong kong sar, china",
                     "china, hong kong sar", "hong kong, china",
                     "hong kong special administrative region", "香港", "中國香港", "中国香港"),
                    "HK"),
    **dict.fromkeys(("macao sar", "macau sar", "macao sar china", "macao sar, china",
                     "china, macao sar", "macao, china", "macau, china",
                     "macao special administrative region", "澳門", "澳门", "中國澳門", "中国澳门"),
                    "MO"),
}
_ALPHA2 = {c.alpha_2 for c in pycountry.countries} | {"XK", "AN"}


@lru_cache(maxsize=4096)
def to_iso2(value: str | None) -> str | None:
    """Return the ISO alpha-2 code for a country name or code, or ``None`` if unknown."""
    if not value:
        return None
    v = re.sub(r"\s+", " ", value.strip()).strip(".")
    if not v or v == "-0-":
        return None
    if len(v) == 2 and v.upper() in _ALPHA2:
        return v.upper()
    low = v.casefold()
    if low in _ALIASES:
        return _ALIASES[low]
    try:
        return pycountry.countries.lookup(v).alpha_2
    except LookupError:
        pass
    # "Iran (Islamic Republic of)", "Region: Crimea", "China (PRC)"
    base = re.sub(r"\(.*?\)|^region:\s*", "", low).strip(" ,")
    if base and base != low:
        return to_iso2(base)
    return None


#: words naming a region within a country: its country's code is not the region's destination
#: code (Crimea is UA-43 under 15 CFR 746.6, not UA), so no code is suggested for them
_REGION_WORDS = ("crimea", "sevastopol", "donetsk", "luhansk", "gaza", "west bank", "region")


def code_for_name(text: str | None) -> str | None:
    """The ISO alpha-2 code a country name or alpha-3 code typed instead of a code stands for
    ("Hong Kong" -> HK, "CHN" -> CN), for an error to suggest; ``None`` for a region, for a
    name not known, and for text that already is a code."""
    low = (text or "").strip().casefold()
    if not 2 < len(low) <= 64 or any(word in low for word in _REGION_WORDS):
        return None
    return to_iso2(low)


def code_hint(typed: str | None, known: Callable[[str], bool] | None = None) -> str | None:
    """``"'Hong Kong' is HK"``: the code a country typed by name stands for, for an error
    that refuses the name (None when there is none, or ``known`` says the code is not one)."""
    code = code_for_name(typed)
    if code is None or (known is not None and not known(code)):
        return None
    return f"{(typed or '').strip()!r} is {code}"


def same_jurisdiction(a: str, b: str) -> bool:
    """HK and Macau officials appear with CN nationality and vice versa: treat them as one."""
    greater_china = {"CN", "HK", "MO"}
    return a == b or (a in greater_china and b in greater_china)
