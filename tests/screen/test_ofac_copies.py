"""One OFAC party on two lists: the SDN copy and a non-SDN copy (NS-MBS) share OFAC's entry
number, and each may carry aliases the other lacks. A name found through either copy finds
the SDN entry, and equally scored hits put the stricter list first."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from exportcheck import determine
from exportcheck.screen import Screener
from exportcheck.screen.service import SAMPLES_DIR

#: John Lee's NS-MBS copy as the CSL of July 2026 writes it (entity number = SDN 29250)
NS_MBS = ("csl-6041,Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department,"
          "29250,Individual,HKAA,John Ka-chiu Lee,,HK,,,,,,,,,,,,,,"
          "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList,"
          "John Lee; Ka Chiu Lee; Jiachao Li,,,,,,\n")


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """The sample lists with the NS-MBS copy, and without alt.csv: the SDN copy then lacks
    the a.k.a. "LEE, Ka Chiu" that the NS-MBS copy has (as "Ka Chiu Lee")."""
    lists = tmp_path_factory.mktemp("lists")
    for f in Path(SAMPLES_DIR).iterdir():
        if f.name != "alt.csv" and f.is_file():
            shutil.copy(f, lists / f.name)
    with (lists / "consolidated.csv").open("a", encoding="utf-8") as fh:
        fh.write(NS_MBS)
    return Screener.from_paths([lists])


def test_an_alias_of_the_non_sdn_copy_finds_the_sdn_entry(screener: Screener) -> None:
    hits = screener.screen("Ka Chiu Lee")
    assert [(h.list, h.entry_id) for h in hits[:2]] == [("SDN", "29250"), ("NONSDN", "29250")]
    sdn = hits[0]
    assert sdn.score == hits[1].score == 100
    assert any("on the SDN list too" in line and "'Ka Chiu Lee'" in line
               for line in sdn.explanation)
    # and the order line is decided by the blocking listing
    d = determine("EAR99", "HK", date(2024, 1, 15), end_user="Ka Chiu Lee", screener=screener)
    assert d.outcome.value == "PROHIBITED" and d.reasons == ["SDN"]


def test_a_filter_on_the_non_sdn_lists_adds_no_sdn_hit(screener: Screener) -> None:
    hits = screener.screen("Ka Chiu Lee", lists=["NS-MBS"])
    assert {h.list for h in hits} == {"NONSDN"}


def test_equal_scores_put_the_stricter_list_first(screener: Screener) -> None:
    # the exact SDN name: both copies score the same, SDN (blocked) comes before NS-MBS
    hits = screener.screen("John Ka-chiu Lee")
    top = [h for h in hits if h.score == hits[0].score]
    assert [h.list for h in top][:2] == ["SDN", "NONSDN"]
