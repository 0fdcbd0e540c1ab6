"""A Chinese company's registered name starts with its place of registration; the Entity List
often lists it without ("Dahua Technology" for 浙江大华技术股份有限公司, Zhejiang Dahua Technology
Co., Ltd.). Typed in full, as on the company's invoices, the name is a potential match that the
country confirms; the place alone no longer makes most of the name "missing"."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold
DAHUA = "Zhejiang Dahua Technology Co., Ltd."


def _best(hits, listed: str):
    return next((h for h in hits if h.matched_name == listed), None)


def test_place_prefixed_name_is_a_potential_match_in_its_country(
        full_screener: Screener) -> None:
    hit = _best(full_screener.screen(DAHUA, country="CN"), "Dahua Technology")
    assert hit is not None and hit.list == "EL", "Zhejiang Dahua not found"
    assert hit.match_kind == "partial" and hit.score >= THRESHOLD, hit
    assert "country" in hit.corroborated_by


@pytest.mark.parametrize("country", [None, "US"])
def test_the_place_alone_is_not_the_whole_name(full_screener: Screener,
                                               country: str | None) -> None:
    """Without a country, or in another one, it stays below the threshold: the place may name
    another company of the same words."""
    hits = full_screener.screen(DAHUA, country=country)
    assert all(h.score < THRESHOLD for h in hits if h.matched_name == "Dahua Technology")


def test_a_listed_branch_is_not_read_the_other_way(full_screener: Screener) -> None:
    """The parent's name against a listed name that adds a place (a branch) keeps the whole
    weight of that place: Huawei Technologies is not held on every listed city branch."""
    from exportcheck.screen.normalize import name_forms
    from exportcheck.screen.scorer import compare_forms

    q = name_forms("Dahua Technology")[0]
    c = name_forms("Zhejiang Dahua Technology")[0]
    assert compare_forms(q, c).missing > compare_forms(c, q).missing


def test_a_place_and_trade_words_alone_are_not_raised(full_screener: Screener) -> None:
    """"Zhejiang Electronics" holds nothing of a listed name's own: no hit in China."""
    hits = full_screener.screen("Zhejiang Electronics Co., Ltd.", country="CN")
    assert all(h.score < THRESHOLD for h in hits), hits[:3]


def test_a_determination_to_china_holds_the_line(sample_screener: Screener) -> None:
    """The same name as an end user: held for review, saying the Entity List licence it
    would need if confirmed (the bundled sample lists carry Dahua Technology too)."""
    from datetime import date

    from exportcheck import determine

    d = determine("EAR99", "CN", date(2024, 6, 1), end_user=DAHUA, screener=sample_screener)
    assert d.hold is True
    assert d.outcome.value == "NLR" and "LICENSE_REQUIRED" in str(d.if_confirmed), d


@pytest.mark.parametrize(("query", "listed"), [("Shenzhen Opturn Co., Ltd.", "Opturn Co., Ltd."),
                                               ("Beijing Armyfly", "Armyfly")])
def test_a_place_does_not_crowd_out_the_listed_name(full_screener: Screener, query: str,
                                                    listed: str) -> None:
    """Hundreds of listed names start with "Shenzhen" or "Beijing": weighed in full in the
    search for candidates, they filled the list and the one entry sharing the company's own
    word was never compared."""
    hit = _best(full_screener.screen(query, country="CN"), listed)
    assert hit is not None and hit.score >= THRESHOLD and hit.match_kind == "partial"
