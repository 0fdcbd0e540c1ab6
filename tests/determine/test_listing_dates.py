"""A past date is screened against the lists as they stood that day, as far as the files tell:
a party listed later is not applied; one whose day of listing is not established, or whose
order has expired while the list still carries it, is applied, and the caveats say which
(screen/listing.py)."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.impact import impact
from exportcheck.models import ScreeningHit
from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.listing import boundaries, fr_rules, listing_of, state_on
from exportcheck.screen.parsers import load_paths

HUAWEI = "Huawei Technologies Co., Ltd."
#: 84 FR 22961 (FR Doc 2019-10616): published 21 May 2019, effective 16 May 2019
HUAWEI_LISTED = date(2019, 5, 16)

_DPL_HEAD = ('"Name"\t"Street_Address"\t"City"\t"State"\t"Country"\t"Postal_Code"\t'
             '"Effective_Date"\t"Expiration_Date"\t"Standard_Order"\t"Last_Update"\t"Action"\t'
             '"FR_Citation"\n')


def _dpl_row(name: str, effective: str, expires: str) -> str:
    fields = [name, "CALLE 5 DE MAYO 12", "CIUDAD JUAREZ", "CHIH", "MX", "32000", effective,
              expires, "Y", "2022-08-29", "F.R. NOTICE ADDED", "87 F.R. 52741 8/29/2022"]
    return "\t".join(f'"{f}"' for f in fields) + "\n"


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


@pytest.fixture(scope="module")
def denied(tmp_path_factory: pytest.TempPathFactory) -> Screener:
    """A Denied Persons List in the official format: one order that expires on 14 Jan 2026,
    and one person under two orders, the second open-ended."""
    path = tmp_path_factory.mktemp("dpl") / "dpl.txt"
    path.write_text(_DPL_HEAD + _dpl_row("AARON ABRAHAM VILLA", "08/24/2022", "01/14/2026")
                    + _dpl_row("WALTER BRUNO KESSLER", "03/01/2021", "03/01/2024")
                    + _dpl_row("WALTER BRUNO KESSLER", "02/01/2024", ""), encoding="utf-8")
    # the lists' own date: a file of 2026-07-01
    noon = datetime(2026, 7, 1, 12, tzinfo=UTC).timestamp()
    os.utime(path, (noon, noon))
    return Screener(load_paths([path]))


def test_huawei_is_on_the_entity_list_from_16_may_2019_not_before(samples: Screener) -> None:
    before = determine("5A002.a", "CN", HUAWEI_LISTED - timedelta(days=1), end_user=HUAWEI,
                       screener=samples)
    on = determine("5A002.a", "CN", HUAWEI_LISTED, end_user=HUAWEI, screener=samples)
    assert "EL" in on.reasons and on.outcome.value == "LICENSE_REQUIRED"
    assert "EL" not in before.reasons and not before.screening_hits
    assert before.outcome.value == "EXCEPTION_AVAILABLE"  # ENC, as for any Chinese buyer
    said = [c for c in before.caveats if "not yet listed" in c]
    assert said and all("84 FR 22963" in c and "2019-05-16" in c for c in said)
    assert not [c for c in on.caveats if "listed" in c and "matches" in c]


def test_a_listing_rule_not_in_the_table_still_gives_its_year() -> None:
    hit = ScreeningHit(list="EL", entry_id="x", matched_name="Acme", score=100,
                       federal_register_notice="88 FR 99999, 89 FR 100")
    assert (88, 99999) not in fr_rules()
    listing = listing_of(hit)
    # FR volume 88 is 2023; a rule may take effect on display, days before publication
    assert listing.not_before == date(2022, 12, 18)
    assert state_on(listing, date(2022, 12, 17), None) == "later"
    assert state_on(listing, date(2023, 6, 1), None) == "unsure"
    assert state_on(listing, date(2023, 6, 1), date(2023, 6, 1)) == "listed"
    # a rule may take effect after its year (a delayed effective date), not months after
    assert listing.since == date(2024, 3, 30)
    assert state_on(listing, date(2024, 3, 30), date(2026, 7, 1)) == "listed"
    assert boundaries(listing, date(2026, 7, 1)) == {date(2022, 12, 18), date(2024, 3, 30),
                                                     date(2026, 7, 1)}


def test_an_entry_the_files_do_not_date_is_applied_with_a_caveat(samples: Screener) -> None:
    # LIMMT (SDN, NPWMD and IFSR since 2006): OFAC's files carry no dates and its programmes
    # are older than the rule base, so it is applied on any past date, saying why
    name = "LIMMT Economic and Trade Company, Ltd."
    d = determine("EAR99", "CN", date(2020, 1, 6), end_user=name, screener=samples)
    assert d.outcome.value == "PROHIBITED"
    assert any("do not date their entries" in c and "LIMMT" in c for c in d.caveats)
    assert samples.lists_date is not None
    today = determine("EAR99", "CN", samples.lists_date, end_user=name, screener=samples)
    assert not any("do not date" in c for c in today.caveats)


def test_no_one_is_designated_under_an_order_before_it_was_signed() -> None:
    """An SDN entry under HK-EO13936 only, whose designation the reviewed table does not date
    (Carrie Lam's, 7 Aug 2020, it does: tests/determine/test_review_34_ofac_dates.py):
    Executive Order 13936 was signed on 14 Jul 2020, so on 6 Jan 2020 it was not listed."""
    officer = ListEntry("SDN", "99001", "KWOK, Example Officer", kind="person", countries=["HK"],
                        programs=["HK-EO13936"])
    screener = Screener([ParsedList("test", [officer], 1, "test-lists")])
    early = determine("EAR99", "HK", date(2020, 1, 6), end_user="KWOK, Example Officer",
                      screener=screener)
    assert early.outcome.value == "NLR"
    assert any("HK-EO13936" in c and "2020-07-14" in c and "not yet listed" in c
               for c in early.caveats)
    after = determine("EAR99", "HK", date(2020, 7, 14), end_user="KWOK, Example Officer",
                      screener=screener)
    assert after.outcome.value == "PROHIBITED"  # the day is not established: applied
    assert any("HK-EO13936" in c and "not established" in c for c in after.caveats)
    # an entry with a programme older than the table is not bounded by its newer ones
    older = ScreeningHit(list="SDN", entry_id="1", matched_name="x", score=100,
                         programs=("UKRAINE-EO13661", "RUSSIA-EO14024"))
    assert not listing_of(older).dated


def test_a_denial_order_applies_from_its_effective_date_to_its_expiry(denied: Screener) -> None:
    def outcome(day: date, who: str = "Aaron Abraham Villa") -> str:
        return determine("EAR99", "MX", day, end_user=who, screener=denied).outcome.value

    assert outcome(date(2022, 8, 23)) == "NLR"
    assert outcome(date(2022, 8, 24)) == "PROHIBITED"
    assert outcome(date(2026, 1, 14)) == "PROHIBITED"
    assert not any("expired" in c for c in determine(
        "EAR99", "MX", date(2026, 1, 14), end_user="Aaron Abraham Villa",
        screener=denied).caveats)
    # past its expiry, the order is still applied while the list carries it (the CSL of July
    # 2026 still lists every person whose 2023 order had expired): the caveat says so
    expired = determine("EAR99", "MX", date(2026, 1, 15), end_user="Aaron Abraham Villa",
                        screener=denied)
    assert expired.outcome.value == "PROHIBITED"
    assert any("has expired" in c and "until 2026-01-14" in c for c in expired.caveats)
    # two orders: from the first one's start, never ending (the second has no expiry)
    assert outcome(date(2021, 2, 28), "Walter Bruno Kessler") == "NLR"
    assert outcome(date(2030, 1, 1), "Walter Bruno Kessler") == "PROHIBITED"


def test_listing_dates_are_read_from_the_files_but_do_not_change_the_entry_hash(
        denied: Screener) -> None:
    entry = next(e for e in denied.entries if e.name == "WALTER BRUNO KESSLER")
    assert (entry.listed_on, entry.listed_until) == ("2021-03-01", None)
    undated = ListEntry.from_dict({**entry.to_dict(), "listed_on": None})
    # a disposition binds to the hash: a date learnt later must not reopen it
    assert undated.content_hash == entry.content_hash


def test_un_entries_carry_their_listed_on_date() -> None:
    from exportcheck.screen.service import SAMPLES_DIR

    un = next(pl for pl in load_paths([SAMPLES_DIR]) if pl.source == "un")
    assert all(e.listed_on and date.fromisoformat(e.listed_on) for e in un.entries)


@pytest.mark.parametrize("fixture", ["samples", "denied"])
def test_batch_answers_as_each_line_alone_around_every_listing_day(
        fixture: str, request: pytest.FixtureRequest) -> None:
    screener: Screener = request.getfixturevalue(fixture)
    if fixture == "samples":
        parties, dest, item = [HUAWEI, "LAM, Carrie"], "CN", "5A002.a"
        days = [HUAWEI_LISTED + timedelta(days=k) for k in (-30, -1, 0, 1, 40)]
        days += [screener.lists_date - timedelta(days=1), screener.lists_date]
    else:
        parties, dest, item = ["AARON ABRAHAM VILLA", "WALTER BRUNO KESSLER"], "MX", "EAR99"
        days = [date(2022, 8, 23), date(2022, 8, 24), date(2026, 1, 14), date(2026, 1, 15),
                date(2021, 2, 28), date(2021, 3, 1), date(2026, 6, 30), date(2026, 7, 1)]
    rows = [{"item": item, "destination": dest, "date": d.isoformat(), "end_user": p,
             "consignee": None} for d in days for p in parties]
    rows += [{**r, "end_user": None, "consignee": r["end_user"]} for r in rows]
    out = determine_frame(pl.DataFrame(rows), screener=screener)
    for row, got in zip(rows, out.iter_rows(named=True), strict=True):
        alone = determine(item, dest, date.fromisoformat(row["date"]), end_user=row["end_user"],
                          consignee=row["consignee"], screener=screener)
        assert got["outcome"] == alone.outcome.value, row
        assert got["caveats"] == " | ".join(alone.caveats), row


def test_impact_between_two_dates_shows_a_party_listed_between_them(
        samples: Screener, tmp_path: Path) -> None:
    orders = pl.DataFrame({"item": ["EAR99"], "destination": ["CN"], "value": [1000],
                           "end_user": [HUAWEI]})
    result = impact(orders, date(2019, 3, 1), date(2019, 6, 1), screener=samples)
    line = result.lines.row(0, named=True)
    assert (line["old_outcome"], line["new_outcome"]) == ("NLR", "LICENSE_REQUIRED")
    # the cause is the listing, dated: the trace step carries the day it took effect
    assert "Entity List" in line["cause"] and "in force from 2019-05-16" in line["cause"]
    # and the summary's events place it on its day, with the lines and money it moved
    (event,) = [e for e in result.summary.events if e.table == "restricted-party lists"]
    assert (event.on, event.change, event.lines, event.value) == (date(2019, 5, 16), "added",
                                                                   1, 1000.0)
    assert "Huawei" in event.rule and event.rule.startswith("General Prohibition 5")


def test_an_owner_listed_later_makes_no_affiliate_before_its_listing() -> None:
    """The affiliates rule (90 FR 47201) reaches a company 50% owned by an Entity List party
    only once that party is listed: an owner first cited in 2026 (91 FR) was not listed on
    15 Oct 2025, while the rule was in force."""
    from exportcheck.screen.entries import ParsedList
    from exportcheck.screen.ownership import Ownership

    owner = "Lumen Quartz Microsystems Company Limited"
    entry = ListEntry("EL", "el-9", owner, kind="entity", countries=["CN"],
                      license_requirement="For all items subject to the EAR",
                      license_policy="Presumption of denial", federal_register_notice="91 FR 100")
    screener = Screener([ParsedList("test", [entry], 1, "test-lists")])
    owners = Ownership.from_rows([{"owner": owner, "owned": "Violet Bay Semiconductor Ltd",
                                   "percent": 51, "owner_country": "CN"}])

    def decide(day: date):
        return determine("EAR99", "CN", day, end_user="Violet Bay Semiconductor Ltd",
                         screener=screener, ownership=owners)

    early = decide(date(2025, 10, 15))
    assert early.outcome.value == "NLR"
    assert any("an owner of the end user" in c and "not yet listed" in c for c in early.caveats)
    assert decide(date(2026, 11, 15)).outcome.value == "LICENSE_REQUIRED"
    days = [date(2025, 10, 15), date(2025, 11, 9), date(2025, 12, 17), date(2025, 12, 18),
            date(2026, 11, 10), date(2026, 11, 15)]
    lines = pl.DataFrame({"item": ["EAR99"] * len(days), "destination": ["CN"] * len(days),
                          "date": [d.isoformat() for d in days],
                          "end_user": ["Violet Bay Semiconductor Ltd"] * len(days)})
    out = determine_frame(lines, screener=screener, ownership=owners)
    for day, got in zip(days, out.iter_rows(named=True), strict=True):
        alone = decide(day)
        assert (got["outcome"], got["caveats"]) == (alone.outcome.value,
                                                    " | ".join(alone.caveats)), day


def test_every_row_of_the_listing_rule_table_is_sourced_and_in_its_volumes_year() -> None:
    import csv
    from importlib import resources

    from exportcheck.screen.listing import DEFERRAL_MARGIN, DISPLAY_MARGIN, fr_citations

    path = resources.files("exportcheck.screen") / "data" / "fr_listing_dates.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len({r["citation"] for r in rows}) == len(rows) >= 60
    for r in rows:
        ((volume, _),) = fr_citations(r["citation"])
        effective = date.fromisoformat(r["effective"])
        year = volume + 1935
        assert date(year, 1, 1) - DISPLAY_MARGIN <= effective, r["citation"]
        assert effective <= date(year, 12, 31) + DEFERRAL_MARGIN, r["citation"]
        if r["published"]:  # a rule takes effect on display at the earliest
            assert effective >= date.fromisoformat(r["published"]) - DISPLAY_MARGIN
        assert r["action"] in ("added", "unknown", "revised") and r["verified"] in (
            "yes", "partial") and r["source"].strip(), r["citation"]
    assert len(fr_rules()) == len(rows)


def test_every_programme_start_names_its_authority() -> None:
    import re

    from exportcheck.screen.listing import program_starts

    starts = program_starts()
    assert {"RUSSIA-EO14024", "HK-EO13936", "HKAA", "CMIC-EO13959"} <= set(starts)
    for tag, (began, authority) in starts.items():
        assert began >= date(2018, 11, 1), tag
        # the executive order a tag names is the one cited, and signed in the year given
        if m := re.search(r"EO(\d{5})", tag):
            assert f"Executive Order {m.group(1)} of" in authority, tag
        assert str(began.year) in authority, tag
