"""A company with a legal form ("Green LLC") whose only word is inside a listed name that reads
as a person's ("TOBY GREEN", Denied Persons List, which does not say what its entries are) is
not made an alert by the country both share: the partial match stays below the threshold."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


@pytest.fixture(scope="module")
def screener() -> Screener:
    entries = [
        ListEntry(list="DPL", entry_id="1", name="TOBY GREEN", source="bis-dpl",
                  countries=["US"]),
        ListEntry(list="DPL", entry_id="2", name="GREEN VALLEY TRADING", source="bis-dpl",
                  countries=["US"]),
        ListEntry(list="SDN", entry_id="3", name="Toby Green", kind="person",
                  source="ofac-sdn", countries=["US"]),
    ]
    return Screener([ParsedList("test", entries, len(entries), "test")])


def test_a_company_is_not_corroborated_into_a_persons_name(screener: Screener) -> None:
    shown = {h.entry_id: h for h in screener.screen("Green LLC", country="US", threshold=50)}
    dpl = shown["1"]
    assert dpl.match_kind == "partial" and dpl.score < THRESHOLD
    assert dpl.corroborated_by == ("country",)
    assert any("not corroborated by country: the query is an organisation" in line
               for line in dpl.explanation)
    assert screener.screen("Green LLC", country="US") == []


def test_the_country_still_corroborates_a_person_query_or_an_organisations_name(
        screener: Screener) -> None:
    # without a legal form the query may be the person: the country corroborates, though one
    # word of a person's name stays below the threshold on a country alone (PARTIAL_MAX_WEAK)
    green = {h.entry_id: h for h in screener.screen("Green", country="US", threshold=50)}
    assert green["1"].corroborated_by == ("country",)
    assert any(line.startswith("partial name corroborated by country")
               for line in green["1"].explanation)
    assert "1" not in {h.entry_id for h in screener.screen("Green", country="US")}
    # a listed organisation's name reads as one ("Trading"): corroborated as before
    hit = next(h for h in screener.screen("Green Valley LLC", country="US", threshold=50)
               if h.entry_id == "2")
    assert hit.score >= THRESHOLD
