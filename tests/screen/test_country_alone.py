"""A partial match that lacks half of the longer name or more is not made an alert by the
country alone ("Andrés López" in Mexico against "FAVELA LOPEZ, Victor Andres"); a date of birth
still corroborates it, and a match missing less (a middle name) is still lifted by the country.
Nor does the country alone lift a company name made only of places and trade words ("Hong Kong
Electronics") found inside a listed name whose own word is missing ("YLH ELECTRONICS HK")."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.evidence import COUNTRY_ALONE_MAX_MISSING
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


@pytest.fixture(scope="module")
def screener() -> Screener:
    entries = [
        ListEntry(list="SDN", entry_id="1", name="FAVELA LOPEZ, Victor Andres", kind="person",
                  source="ofac-sdn", countries=["MX"], dobs=["1971-03-02"]),
        ListEntry(list="SDN", entry_id="2", name="STEPHEN EDWARD SMITH", kind="person",
                  source="ofac-sdn", countries=["US"]),
        ListEntry(list="SDN", entry_id="3", name="YLH ELECTRONICS HK CO LIMITED",
                  kind="entity", source="ofac-sdn", countries=["HK"]),
        ListEntry(list="SDN", entry_id="4", name="ACME ELECTRONICS SHENZHEN CO LTD",
                  kind="entity", source="ofac-sdn", countries=["CN"]),
    ]
    return Screener([ParsedList("test", entries, len(entries), "test")])


def _hit(screener: Screener, name: str, entry_id: str, **kw):
    return next(h for h in screener.screen(name, threshold=0, **kw) if h.entry_id == entry_id)


def test_half_a_name_and_a_country_is_no_alert(screener: Screener) -> None:
    hit = _hit(screener, "Andrés López", "1", country="MX")
    assert hit.match_kind == "partial" and hit.score < THRESHOLD
    assert hit.corroborated_by == ("country",)
    line = next(x for x in hit.explanation if "not corroborated by the country alone" in x)
    assert "% of the longer name is missing" in line
    assert not [h for h in screener.screen("Andrés López", country="MX") if h.entry_id == "1"]


def test_a_date_of_birth_still_corroborates_it(screener: Screener) -> None:
    hit = _hit(screener, "Andrés López", "1", country="MX", dob="1971-03-02")
    assert hit.score >= THRESHOLD
    assert any(x.startswith("partial name corroborated by date of birth")
               for x in hit.explanation)


def test_a_missing_middle_name_is_still_lifted_by_the_country(screener: Screener) -> None:
    hit = _hit(screener, "Stephen Smith", "2", country="US")
    assert hit.match_kind == "partial"
    assert any(x.startswith("partial name corroborated by country") for x in hit.explanation)
    assert 0 < COUNTRY_ALONE_MAX_MISSING <= 1


@pytest.mark.parametrize("name", ["HK Electronics Co., Ltd.", "香港電子有限公司"])
def test_places_and_trade_words_and_a_country_are_no_alert(screener: Screener,
                                                          name: str) -> None:
    hit = _hit(screener, name, "3", country="HK")
    assert hit.match_kind == "partial" and hit.score < THRESHOLD
    line = next(x for x in hit.explanation if "not corroborated by the country alone" in x)
    assert "places and trade words" in line
    assert not [h for h in screener.screen(name, country="HK") if h.entry_id == "3"]


def test_a_distinctive_word_shared_is_still_lifted_by_the_country(screener: Screener) -> None:
    """"Acme Electronics" names a company: the country agreeing still makes it an alert."""
    hit = _hit(screener, "Acme Electronics Co Ltd", "4", country="CN")
    assert hit.match_kind == "partial" and hit.score >= THRESHOLD
    assert any(x.startswith("partial name corroborated by country") for x in hit.explanation)
