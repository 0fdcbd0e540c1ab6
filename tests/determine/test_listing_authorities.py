"""Counsel's review of what the listing dates rest on (screen/listing.py): a programme tag
bounds an entry's designation only if OFAC never moved earlier designations to it, and a
Denied Persons order's date in the file is that of its latest renewal, not of the first."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from exportcheck import determine
from exportcheck.models import ScreeningHit
from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.listing import listing_of, program_starts, state_on
from exportcheck.screen.parsers import load_paths


def _sdn(ent_num: str, name: str, country: str, *programs: str) -> Screener:
    entry = ListEntry("SDN", ent_num, name, kind="entity", countries=[country],
                      programs=list(programs))
    return Screener([ParsedList("test", [entry], 1, "test-lists")])


def test_a_syria_designee_moved_to_eo_13894_was_listed_before_the_order() -> None:
    """EO 14312 (90 FR 29395) revoked the Syria orders from 1 Jul 2025; OFAC kept those also
    designated under EO 13894 as PAARSSR-EO13894 only: Bashar al-Assad (ent 12735) has been
    on the SDN list since May 2011, long before EO 13894 of 14 Oct 2019."""
    assad = ScreeningHit(list="SDN", entry_id="12735", matched_name="AL-ASSAD, Bashar",
                         score=100, programs=("PAARSSR-EO13894",))
    assert "PAARSSR-EO13894" not in program_starts()
    assert state_on(listing_of(assad), date(2015, 6, 1), date(2026, 7, 31)) == "undated"


def test_an_iran_oil_network_designee_of_2018_is_applied_in_2019() -> None:
    """Promsyrioimport was designated on 20 Nov 2018 (Syria, EO 13582); since the Syria orders
    ended it carries only IRAN-EO13902 (EO 13902 of 10 Jan 2020): a 2019 export to it was to
    a blocked person, so the hit must not be dropped as 'not yet listed'."""
    screener = _sdn("26118", "PROMSYRIOIMPORT", "RU", "IRAN-EO13902")
    d = determine("EAR99", "RU", date(2019, 6, 3), end_user="PROMSYRIOIMPORT",
                  screener=screener)
    assert d.outcome.value == "PROHIBITED"
    assert not any("not yet listed" in c for c in d.caveats)
    assert any("do not date their entries" in c for c in d.caveats)


def test_a_peesa_vessel_designated_before_eo_14039_is_bounded_by_the_act() -> None:
    """The vessel YURY TOPCHEV (ent 31794, now HERMES) is tagged PEESA in the SDN file of July
    2021, before EO 14039 (20 Aug 2021) and EO 14024 (15 Apr 2021): OFAC re-tagged it
    PEESA-EO14039, so its bound is the Act's enactment (Pub. L. 116-92, 20 Dec 2019)."""
    hermes = ScreeningHit(list="SDN", entry_id="31794", matched_name="HERMES", score=100,
                          programs=("PEESA-EO14039", "RUSSIA-EO14024"))
    listing = listing_of(hermes)
    assert listing.not_before == date(2019, 12, 20)
    assert state_on(listing, date(2021, 2, 1), date(2026, 7, 31)) == "unsure"


_DPL_HEAD = ('"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t'
             '"Effective_Date"\t"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t'
             '"FR_Citation"\n')
#: Al Naser Airlines: temporary denial order of May 2015 (80 FR 30435), renewed every
#: 180 days or year since (15 CFR 766.24); the file dates only the latest renewal
_AL_NASER = ["AL NASER AIRLINES", "KARRADA", "BAGHDAD", "", "IQ", "", "10/31/2023",
             "10/30/2024", "N", "2023-11-03", "F.R. NOTICE ADDED, TDO RENEWAL",
             "80 F.R. 30435 5/28/15, 80 F.R. 44930 7/28/15, 86 F.R. 28540 5/27/2021, "
             "88 F.R. 75548 11/3/2023"]


@pytest.fixture(scope="module")
def renewed(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    path: Path = tmp_path_factory.mktemp("dpl") / "dpl.txt"
    path.write_text(_DPL_HEAD + "\t".join(f'"{f}"' for f in _AL_NASER) + "\n",
                    encoding="utf-8")
    noon = datetime(2026, 7, 1, 12, tzinfo=UTC).timestamp()
    os.utime(path, (noon, noon))
    return Screener(load_paths([path]))


def test_a_renewed_denial_order_is_applied_before_its_latest_renewal(
        renewed: Screener) -> None:
    before = determine("EAR99", "IQ", date(2020, 1, 6), end_user="Al Naser Airlines",
                       screener=renewed)
    assert before.outcome.value == "PROHIBITED"
    said = [c for c in before.caveats if "Al Naser" in c.title() or "AL NASER" in c]
    assert said and all("2015-05-28" in c and "not established" in c for c in said)
    # from the renewal's own date the order is certain: no caveat
    during = determine("EAR99", "IQ", date(2024, 1, 8), end_user="Al Naser Airlines",
                       screener=renewed)
    assert during.outcome.value == "PROHIBITED"
    assert not any("listed" in c and "AL NASER" in c for c in during.caveats)


def test_an_order_published_after_it_took_effect_is_dated_by_the_file() -> None:
    """A standard denial order takes effect before its notice is published (effective
    24 Aug 2022, 87 FR 52741 of 29 Aug 2022): its file date is the start, as before."""
    hit = ScreeningHit(list="DPL", entry_id="x", matched_name="AARON ABRAHAM VILLA", score=100,
                       listed_on=date(2022, 8, 24), listed_until=date(2026, 1, 14),
                       federal_register_notice="87 F.R. 52741 8/29/2022")
    listing = listing_of(hit)
    assert listing.not_before == listing.since == date(2022, 8, 24)
    assert state_on(listing, date(2022, 8, 23), date(2026, 7, 1)) == "later"
