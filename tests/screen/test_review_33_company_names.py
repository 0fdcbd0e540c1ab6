"""Company names on the official lists, as an officer types them (session 33 review).

- The Entity List writes "Chinese Academy of Engineering Physics"; CAEP's own English name is
  "China Academy of Engineering Physics": the demonym and the country name are one word.
- A query written with its acronym in brackets, as lists write names, is also read without it.
- A group's name found inside the names of its listed institutes stays a potential match in
  China: what the institutes add is a number and "Research Institute", not a name of their own.
"""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold
CAEP = "Chinese Academy of Engineering Physics"


@pytest.mark.parametrize("query", ["China Academy of Engineering Physics",
                                   "China Academy of Engineering Physics (CAEP)"])
def test_caep_as_it_writes_its_name(full_screener: Screener, query: str) -> None:
    hits = full_screener.screen(query)
    assert hits and hits[0].list == "EL" and hits[0].score == 100, hits[:2]
    assert hits[0].matched_name == CAEP


def test_a_query_is_not_read_as_its_bracketed_acronym_alone(full_screener: Screener) -> None:
    """"Acme Precision Engineering (CAEP)" is not CAEP: the name beside the acronym says
    which party it is."""
    hits = full_screener.screen("Acme Precision Engineering (CAEP)")
    assert not [h for h in hits if h.matched_name in ("CAEP", CAEP)], hits[:3]


def test_a_group_inside_its_listed_institutes_stays_a_potential_match(
        full_screener: Screener) -> None:
    hits = full_screener.screen("China Electronics Technology Group Corporation", country="CN")
    institutes = [h for h in hits if h.list == "EL" and h.match_kind == "partial"]
    assert institutes and all(h.score >= THRESHOLD for h in institutes), hits[:4]
    assert all("corroborated by country" in " ".join(h.explanation) for h in institutes)


def test_places_and_trade_words_alone_find_no_listed_company(full_screener: Screener) -> None:
    """"Hong Kong Trading Ltd" in Hong Kong lacks what names each listed company (YAYANG,
    PRIME, KE.DO): none is an alert."""
    assert full_screener.screen("Hong Kong Trading Ltd", country="HK") == []


@pytest.mark.parametrize(("query", "listed"), [
    ("Hytera", "Hytera Communications Limited"),
    ("Megvii", "Megvii Technology"),
])
def test_a_company_named_alone_inside_its_listed_name_is_a_potential_match_in_china(
        full_screener: Screener, query: str, listed: str) -> None:
    """What the listed name adds only says its trade: those words weigh as the commonest
    words do, so the country of a determination to China makes it an alert. Still a partial
    match: on a name alone it is none ("Scott LLC" is whole in "Scott Technologies FZE")."""
    hit = next(h for h in full_screener.screen(query, country="CN", threshold=0)
               if h.matched_name == listed)
    assert hit.match_kind == "partial" and hit.score >= THRESHOLD, hit.explanation
    assert not [h for h in full_screener.screen(query) if h.matched_name == listed]


@pytest.mark.parametrize(("query", "listed"), [
    ("Rostec", "STATE CORPORATION ROSTEC"),
    ("Концерн Калашников", "Concern Kalashnikov"),
])
def test_russian_organisation_words_read_as_the_lists_write_them(
        full_screener: Screener, query: str, listed: str) -> None:
    """A state corporation is a Russian legal form (Federal Law No. 7-FZ art. 7.1), and
    Концерн is "Concern" where a transliteration writes "Kontsern"."""
    hits = full_screener.screen(query)
    assert listed in {h.matched_name for h in hits if h.score == 100}, hits[:3]


@pytest.mark.parametrize(("query", "listed"), [
    ("Foreign Trade Bank of the DPRK",
     "FOREIGN TRADE BANK OF THE DEMOCRATIC PEOPLE'S REPUBLIC OF KOREA"),
    ("سپاه پاسداران انقلاب اسلامی", "SEPAH-E PASDARAN-E ENQELAB-E ESLAMI"),
])
def test_a_countrys_name_and_a_persian_ezafe_as_lists_write_them(
        full_screener: Screener, query: str, listed: str) -> None:
    """The DPRK is the Democratic People's Republic of Korea; the Persian ezafe ("-e") that
    a romanised name writes is not written in Persian script (the IRGC in Persian)."""
    from exportcheck.screen.normalize import name_forms
    from exportcheck.screen.scorer import compare_forms

    hits = full_screener.screen(query)
    # the entry that writes the name so; its best alias may be another (a Persian
    # organisation name is also read in English: persian_orgs, review 34)
    assert any(listed in full_screener.entry(h.list, h.entry_id).all_names()
               for h in hits if h.score >= THRESHOLD), hits[:3]
    # and the romanised reading alone matches the name as listed
    assert max(compare_forms(q, c).score for q in name_forms(query)
               if q.script in ("latin", "abjad") for c in name_forms(listed)) >= THRESHOLD


def test_a_groups_branches_and_other_trades_stay_apart(full_screener: Screener) -> None:
    """A place names a branch (Shenzhen Huawei Technology Service), another trade another
    business (Huawei Tech. Investment): Huawei Technologies in China is none of them."""
    names = {h.matched_name for h in full_screener.screen("Huawei Technologies Co., Ltd.",
                                                          country="CN")}
    assert "Huawei Technologies Co., Ltd." in names
    assert not names & {"Shenzhen Huawei Technology Service", "Huawei Tech. Investment Co.",
                        "Huawei Digital Technologies (Suzhou) Co., Ltd."}, names


@pytest.mark.parametrize(("query", "listed"), [
    ("Arrow Electronics (HK) Co., Ltd.", "Arrow Electronics (Hong Kong) Co., Ltd."),
    ("Cloudminds (HK) Limited", "Cloudminds (Hong Kong) Limited"),
    ("HK Qisu Electronic Technology Co. Ltd.", "Hong Kong Qisu Electronic Technology Co. Ltd."),
    ("Kingstone Technology HK Limited", "Kingstone Technology Hong Kong Limited"),
])
def test_hk_is_hong_kong_in_a_company_name(full_screener: Screener, query: str,
                                           listed: str) -> None:
    """Hong Kong companies write their place both ways; the Entity List's "Arrow Electronics
    (Hong Kong) Co., Ltd." scored 49 against "(HK)"."""
    hits = full_screener.screen(query)
    assert listed in {h.matched_name for h in hits if h.score == 100}, hits[:3]
