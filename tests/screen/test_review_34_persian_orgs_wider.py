"""The Persian glossary widened to the words of listed Iranian entities' English names
(هواپیماسازی Aircraft Manufacturing, دانشگاه University, پژوهشگاه Research Center, فضایی Space,
نیروی هوایی Air Force ...), and Iran's official long form "the Islamic Republic of Iran" read as
the one place it names, as "the Democratic People's Republic of Korea" is: a name that adds it
to a listed name is then a partial match that the party's country corroborates."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exportcheck.screen.normalize import fold_text, name_forms
from exportcheck.screen.persian_orgs import org_forms

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "persian_orgs.csv").open(
    encoding="utf-8", newline="")))


def _hit(screener, query: str, name: str, **kw):
    """The hit on the entry called ``name`` (SDN) at 85, or None."""
    for h in screener.screen(query, threshold=85, **kw):
        if h.list == "SDN" and fold_text(screener.entry(h.list, h.entry_id).name) == fold_text(
                name):
            return h
    return None


def test_labelled_set_covers_more_listed_iranian_entities():
    listed = {r["expected_name"] for r in ROWS if r["route"] != "negative"}
    negatives = [r for r in ROWS if r["route"] == "negative"]
    assert len(listed) >= 30  # 14 list names before this change, 16 more entities after
    assert len(negatives) >= 22 and all(r["source"].strip() for r in ROWS)


@pytest.mark.parametrize(("persian", "words"), [
    ("شرکت صنایع هواپیماسازی ایران", {"aircraft", "mfg", "iran"}),
    ("دانشگاه صنعتی مالک اشتر", {"univ", "tech"}),
    ("پژوهشگاه فضایی ایران", {"research", "center", "space"}),
    ("شرکت صنعتی دریایی ایران", {"industry", "marine"}),
    ("شرکت پشتیبانی و نوسازی هلیکوپترهای ایران", {"renewal", "helicopter"}),
    ("شرکت صنایع پتروشیمی خلیج فارس", {"persian", "gulf", "petrochemical"}),
])
def test_words_of_listed_names_are_read_in_english(persian, words):
    assert any(words <= set(f.tokens) for f in org_forms(persian)), org_forms(persian)


def test_an_air_force_is_an_organisation():
    # نیروی هوایی is the organisation word here: without it the name was not read at all
    assert org_forms("نیروی هوایی ارتش جمهوری اسلامی ایران") != []


@pytest.mark.parametrize(("persian", "listed"), [
    ("شرکت صنایع هواپیماسازی ایران", "IRAN AIRCRAFT MANUFACTURING INDUSTRIAL COMPANY"),
    ("پژوهشگاه فضایی ایران", "IRAN SPACE RESEARCH CENTER"),
    ("هواپیمایی کاسپین", "CASPIAN AIRLINES"),
    ("شرکت فولاد مبارکه اصفهان", "ESFAHAN'S MOBARAKEH STEEL COMPANY"),
    ("شرکت فناوری سانتریفیوژ ایران", "IRAN CENTRIFUGE TECHNOLOGY COMPANY"),
    # "The Airline of the Islamic Republic of Iran": Iran Air, the long form read as Iran
    ("هواپیمایی جمهوری اسلامی ایران", "IRAN AIR"),
])
def test_persian_name_finds_the_english_list_name(full_screener, persian, listed):
    assert _hit(full_screener, persian, listed) is not None


def test_islamic_republic_of_iran_is_one_place():
    forms = name_forms("Central Bank of the Islamic Republic of Iran")
    assert forms[0].tokens == ("central", "bank", "of", "the", "iran")
    assert name_forms("ISLAMIC REPUBLIC OF IRAN SHIPPING LINES")[0].tokens == (
        "iran", "shipping", "lines")


def test_long_form_added_to_a_listed_name_is_corroborated_by_the_country(full_screener):
    # before: "of the Islamic Republic of Iran" was three missing words (53% of the name), too
    # many for the country alone to corroborate; now it is the place Iran (5%)
    query = "Defense Industries Organization of the Islamic Republic of Iran"
    hit = _hit(full_screener, query, "DEFENSE INDUSTRIES ORGANIZATION", country="IR")
    assert hit is not None and hit.score >= 88
    assert any("corroborated by country" in n for n in hit.explanation)


@pytest.mark.parametrize("query", [
    "سازمان صنایع دفاع جمهوری اسلامی ایران",  # the listed name and "of the I. R. of Iran"
    "سازمان انرژی اتمی",  # the listed name without "of Iran"
])
def test_a_place_on_one_side_only_needs_the_country(full_screener, query):
    # a partial match, as "Huawei Technologies Chengdu" is: below the threshold on the name
    # alone, above it when the party's country agrees (as a determination screens)
    listed = ("DEFENSE INDUSTRIES ORGANIZATION" if "دفاع" in query
              else "ATOMIC ENERGY ORGANIZATION OF IRAN")
    assert _hit(full_screener, query, listed) is None
    assert _hit(full_screener, query, listed, country="IR") is not None
