"""OFAC's files carry no dates: the reviewed table ``screen/data/ofac_designation_dates.csv``
gives the day of each Hong Kong designation (and a lower bound for the non-SDN HKAA copies),
so a past date is not screened against a designation made after it (screen/listing.py)."""

from __future__ import annotations

import csv
from datetime import date
from importlib import resources
from pathlib import Path

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.models import ScreeningHit
from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.listing import listed_since, listing_of, program_starts, state_on

#: Treasury press release sm1088: Carrie Lam (SDN 29249) designated under EO 13936
LAM_DESIGNATED = date(2020, 8, 7)
#: the SDN file of 7 Jul 2021 (ofac_2021-07, SOURCES.md): designations after it are not in it
FILE_OF_JULY_2021 = date(2021, 7, 7)


def _table() -> list[dict[str, str]]:
    path = resources.files("exportcheck.screen") / "data" / "ofac_designation_dates.csv"
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


def test_carrie_lam_is_not_applied_the_day_before_her_designation(samples: Screener) -> None:
    before = determine("EAR99", "HK", date(2020, 8, 6), end_user="LAM, Carrie",
                       screener=samples)
    assert before.outcome.value == "NLR" and not before.screening_hits
    assert any("SDN 29249" in c and "designated on the SDN list on 2020-08-07" in c
               and "sm1088" in c and "not yet listed" in c for c in before.caveats)
    on = determine("EAR99", "HK", LAM_DESIGNATED, end_user="LAM, Carrie", screener=samples)
    assert on.outcome.value == "PROHIBITED"
    assert any(h.entry_id == "29249" for h in on.screening_hits)
    assert not any("29249" in c for c in on.caveats)  # no "not established" caveat
    (hit,) = [h for h in on.screening_hits if h.entry_id == "29249"]
    assert listed_since(hit) == LAM_DESIGNATED


def test_her_han_name_is_not_held_for_review_before_the_designation(samples: Screener) -> None:
    """林鄭月娥 is held for review, not applied; a candidate not yet listed is not held."""
    before = determine("3A001.a.2", "HK", date(2020, 8, 6), end_user="林鄭月娥",
                       screener=samples)
    assert not before.hold
    assert any("2020-08-07" in c and "not yet listed" in c for c in before.caveats)
    after = determine("3A001.a.2", "HK", LAM_DESIGNATED, end_user="林鄭月娥", screener=samples)
    assert after.hold
    assert not any("29249" in c for c in after.caveats)  # no listing-date caveat on the day


def test_a_batch_answers_as_each_line_alone_around_the_designation(samples: Screener) -> None:
    days = ["2020-07-14", "2020-08-06", "2020-08-07", "2021-03-01"]
    rows = [{"item": "EAR99", "destination": "HK", "date": d, "end_user": "LAM, Carrie"}
            for d in days]
    out = determine_frame(pl.DataFrame(rows), screener=samples)
    assert out["outcome"].to_list() == ["NLR", "NLR", "PROHIBITED", "PROHIBITED"]
    for day, got in zip(days, out.iter_rows(named=True), strict=True):
        alone = determine("EAR99", "HK", date.fromisoformat(day), end_user="LAM, Carrie",
                          screener=samples)
        assert got["caveats"] == " | ".join(alone.caveats), day


def test_the_non_sdn_hkaa_copy_is_bounded_by_the_report_or_its_sdn_copy() -> None:
    """NS-MBS 29249 (HKAA) cannot predate the State Department's HKAA report of 14 Oct 2020,
    but it is the same party as SDN 29249, blocked from 7 Aug 2020, and the CSL of July 2026
    carries only this copy: it is left out before 7 Aug 2020 and applied, with a caveat (the
    day OFAC put it on its non-SDN list is not established), from then on. NS-MBS 32471
    (Chen Dong), designated on 16 Jul 2021 and identified on 20 Dec 2021, likewise."""
    lists_date = date(2026, 7, 31)
    copy = ScreeningHit(list="NONSDN", entry_id="29249", matched_name="Carrie Lam", score=100,
                        programs=("HKAA",))
    listing = listing_of(copy)
    assert listing.not_before == LAM_DESIGNATED and listing.since is None
    assert "2020-10-14" in listing.basis and "2020-08-07" in listing.basis
    assert state_on(listing, date(2020, 8, 6), lists_date) == "later"
    assert state_on(listing, LAM_DESIGNATED, lists_date) == "unsure"
    chen = ScreeningHit(list="NONSDN", entry_id="32471", matched_name="Dong Chen", score=100,
                        programs=("HKAA",))
    assert listing_of(chen).not_before == date(2021, 7, 16)
    entry = ListEntry("NONSDN", "29249", "Carrie Lam", kind="person", countries=["HK"],
                      programs=["HKAA"])
    screener = Screener([ParsedList("test", [entry], 1, "test-lists")])
    d = determine("EAR99", "HK", date(2020, 8, 6), end_user="Carrie Lam", screener=screener)
    assert not d.screening_hits
    assert any("NONSDN 29249" in c and "not yet listed" in c for c in d.caveats)
    on = determine("EAR99", "HK", LAM_DESIGNATED, end_user="Carrie Lam", screener=screener)
    assert any(h.entry_id == "29249" for h in on.screening_hits)
    assert any("NONSDN 29249" in c and "not established" in c for c in on.caveats)
    # an SDN entry the table does not cover is still bounded by its programme only
    other = ScreeningHit(list="SDN", entry_id="99001", matched_name="x", score=100,
                         programs=("HK-EO13936",))
    assert listing_of(other).not_before == date(2020, 7, 14) and listing_of(other).since is None


def test_every_row_is_sourced_and_not_before_its_programme() -> None:
    rows = _table()
    assert len({(r["list"], r["entry_id"]) for r in rows}) == len(rows) >= 42
    starts = program_starts()
    for r in rows:
        key = (r["list"], r["entry_id"])
        assert r["list"] in ("SDN", "NONSDN"), key
        assert r["action"] in ("added", "not-before", "listed-by"), key
        assert r["verified"] in ("yes", "partial") and "http" in r["source"], key
        assert r["cite"].strip() and r["name"].strip(), key
        assert date.fromisoformat(r["designated"]) >= starts[r["program"]][0], key


def _sdn_file(path: Path) -> dict[str, tuple[str, str]]:
    """Entry number -> (name, programmes) of an OFAC legacy sdn.csv (no header, Latin-1)."""
    with path.open(encoding="latin-1", newline="") as fh:
        return {r[0].strip(): (r[1].strip(), r[3].strip()) for r in csv.reader(fh) if len(r) > 3}


def test_every_row_names_an_entry_of_the_shared_ofac_files(shared_data: Path) -> None:
    """Each row's entry is in the OFAC files with the programme and name the row gives; every
    HK-EO13936 entry of the SDN file of May 2024 is dated; and the SDN file of 7 Jul 2021
    holds exactly the rows designated before it."""
    lists = shared_data / "lists"
    sdn = _sdn_file(lists / "ofac" / "sdn.csv")
    july_2021 = _sdn_file(lists / "ofac_2021-07" / "sdn.csv")
    with (lists / "csl_2026-07" / "consolidated.csv").open(encoding="utf-8") as fh:
        non_sdn = {r["entity_number"]: (r["name"], r["programs"]) for r in csv.DictReader(fh)
                   if "Treasury" in r["source"] and "(SDN)" not in r["source"]}
    rows = _table()
    for r in rows:
        files = sdn if r["list"] == "SDN" else non_sdn
        assert r["entry_id"] in files, r["entry_id"]
        name, programs = files[r["entry_id"]]
        assert name == r["name"], r["entry_id"]
        assert r["program"] in programs.replace("] [", "; ").split("; "), r["entry_id"]
        if r["list"] == "SDN":
            designated = date.fromisoformat(r["designated"])
            assert (r["entry_id"] in july_2021) == (designated < FILE_OF_JULY_2021), r
    hk = {i for i, (_, programs) in sdn.items() if "HK-EO13936" in programs}
    assert hk == {r["entry_id"] for r in rows if r["list"] == "SDN"
                  and r["program"] == "HK-EO13936"}
    for programme in ("HKAA", "CMIC-EO13959"):  # every non-SDN entry under them is dated
        listed = {i for i, (_, programs) in non_sdn.items() if programs == programme}
        assert listed == {r["entry_id"] for r in rows if r["list"] == "NONSDN"
                          and r["program"] == programme}, programme


def test_cmic_annex_entries_are_listed_from_3_june_2021_and_bounded_before() -> None:
    """Huawei (NS-CMIC 30947) is one of the 59 of the EO 14032 Annex, on the NS-CMIC List from
    its creation on 3 Jun 2021; before that only EO 13959 (12 Nov 2020) bounds it (it may
    have been on the NS-CCMC List). SenseTime (33114) was added on 10 Dec 2021."""
    lists_date = date(2026, 7, 31)
    huawei = ScreeningHit(list="NONSDN", entry_id="30947", matched_name="HUAWEI TECHNOLOGIES CO.",
                          score=100, programs=("CMIC-EO13959",))
    listing = listing_of(huawei)
    assert (listing.since, listing.not_before) == (date(2021, 6, 3), date(2020, 11, 12))
    assert state_on(listing, date(2020, 11, 11), lists_date) == "later"
    assert state_on(listing, date(2021, 1, 15), lists_date) == "unsure"
    assert state_on(listing, date(2021, 6, 3), lists_date) == "listed"
    sense = ScreeningHit(list="NONSDN", entry_id="33114", matched_name="Sensetime Group Limited",
                         score=100, programs=("CMIC-EO13959",))
    assert state_on(listing_of(sense), date(2021, 12, 9), lists_date) == "later"
    assert state_on(listing_of(sense), date(2021, 12, 10), lists_date) == "listed"
    assert listed_since(sense) == date(2021, 12, 10)
