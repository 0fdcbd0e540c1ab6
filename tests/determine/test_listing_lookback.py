"""A lookback over 2019-2024 (a voluntary self-disclosure review): each line is screened
against the lists of its own day, and a batch says of each line what ``determine`` says of it
alone (screen/listing.py, determine/holds.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.parsers import load_paths

_ALL_ITEMS = "For all items subject to the EAR. (See §744.11 of the EAR)"
_SUPP_2 = "For any item subject to the EAR listed in supplement no. 2 to part 744."


def _screener(*entries: ListEntry) -> Screener:
    return Screener([ParsedList("test", list(entries), len(entries), "test-lists")])


def test_the_military_end_user_list_applies_from_23_december_2020_not_before() -> None:
    """85 FR 83793 (FR Doc 2020-28052) created the MEU List, effective 23 Dec 2020: its
    entries cite a page inside it (85 FR 83799); a Supplement No. 2 item to one of them
    needed no licence for the listing before that day (15 CFR 744.21(b), 744 Supp. 7)."""
    aecc = ListEntry("MEU", "meu-1", "AECC Aviation Power Co. Ltd.", kind="entity",
                     countries=["CN"], license_requirement=_SUPP_2,
                     license_policy="See 744.21(d) and (e)",
                     federal_register_notice="85 FR 83799")
    screener = _screener(aecc)

    def decide(day: date):
        return determine("3A991.a", "CN", day, end_user="AECC Aviation Power Co. Ltd.",
                         screener=screener)

    before = decide(date(2020, 7, 1))
    assert before.outcome.value == "NLR"
    assert any("85 FR 83799" in c and "2020-12-23" in c and "not yet listed" in c
               for c in before.caveats)
    assert decide(date(2020, 12, 22)).outcome.value == "NLR"
    assert decide(date(2020, 12, 23)).outcome.value == "LICENSE_REQUIRED"


def test_huawei_affiliates_of_august_2020_apply_from_the_17th() -> None:
    """85 FR 51596 added 38 Huawei affiliates (Huawei Cloud Beijing ...) effective 17 Aug 2020,
    published 20 Aug; their entries cite its page 51603 first."""
    cloud = ListEntry("EL", "el-1", "Huawei Cloud Beijing", kind="entity", countries=["CN"],
                      license_requirement=_ALL_ITEMS, license_policy="Presumption of denial",
                      federal_register_notice="85 FR 51603, 87 FR 6026; 87 FR 55250")
    screener = _screener(cloud)

    def outcome(day: date) -> str:
        return determine("EAR99", "CN", day, end_user="Huawei Cloud Beijing",
                         screener=screener).outcome.value

    assert outcome(date(2020, 8, 16)) == "NLR"
    assert outcome(date(2020, 8, 17)) == "LICENSE_REQUIRED"


def test_a_batch_line_caveats_are_its_own_when_names_screen_alike() -> None:
    """Spellings of one name that screen alike share one decided key in a batch: the caveats
    of each line must still be what ``determine`` says of that line alone."""
    screener = Screener.from_samples()
    names = ["Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO., LTD.",
             "Huawei Technologies Co Ltd"]
    rows = [{"item": "EAR99", "destination": "CN", "date": day, "end_user": name}
            for day in ("2019-05-10", "2019-05-20") for name in names]
    out = determine_frame(pl.DataFrame(rows), screener=screener)
    for row, got in zip(rows, out.iter_rows(named=True), strict=True):
        alone = determine("EAR99", "CN", date.fromisoformat(row["date"]),
                          end_user=row["end_user"], screener=screener)
        assert got["outcome"] == alone.outcome.value, row
        assert got["caveats"] == " | ".join(alone.caveats), row


#: a row of the CSL of July 2026 as it stands: Huawei's affiliates are listed under its entry,
#: with that entry's citations (84 FR 43493 put 19 affiliates under it on 19 Aug 2019)
_AFFILIATE_ROW = (
    'csl-5212,Entity List (EL) - Bureau of Industry and Security,,,,"Huawei Technologies Co., '
    'Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co., Ltd.",,CN,84 FR 22963; '
    "84 FR 43495; 85 FR 29853; 85 FR 36720;  85 FR 51603; 86 FR 71559; 87 FR 6026; "
    '87 FR 8182; 87 FR 21012; 87 FR 55250,,,,"For All Items Subject to the EAR (See §734.9(e)1, '
    'and §744.11 of the EAR)2.",Presumption of denial,,,,,,,,'
    "https://www.bis.gov/regulations/ear/744#supplement-4-744,"
    '"Huawei Marine; HMN Technologies; Huahai Zhihui Technology Co., Ltd.; HMN Tech",,,,,,\n')


@pytest.fixture
def affiliate(shared_data: Path, tmp_path: Path) -> Screener:
    csl = shared_data / "lists" / "csl_2026-07" / "consolidated.csv"
    header = csl.open(encoding="utf-8").readline()
    path = tmp_path / "consolidated.csv"
    path.write_text(header + _AFFILIATE_ROW, encoding="utf-8")
    return Screener(load_paths([path]))


def test_an_affiliate_listed_under_another_entry_is_screened_by_its_own_name(
        affiliate: Screener) -> None:
    hits = affiliate.screen("Huawei Marine Networks Co., Ltd.", country="CN")
    assert [h.score for h in hits] == [100]
    today = determine("EAR99", "CN", date(2026, 8, 3),
                      end_user="Huawei Marine Networks Co., Ltd.", screener=affiliate)
    assert today.outcome.value == "LICENSE_REQUIRED" and "EL" in today.reasons


def test_an_affiliate_is_not_said_to_be_added_by_its_entrys_first_rule(
        affiliate: Screener) -> None:
    """The first rule the row cites (84 FR 22963, 16 May 2019) added Huawei's entry; the
    affiliate may have come under it later, so its day is not established: applied, with a
    caveat that does not name that rule as the one that added it."""
    d = determine("EAR99", "CN", date(2019, 6, 1), end_user="Huawei Marine", screener=affiliate)
    assert d.outcome.value == "LICENSE_REQUIRED"
    said = [c for c in d.caveats if "EL " in c]
    assert said and all("added to the Entity List by" not in c for c in said)
    assert any("affiliate" in c and "not established" in c for c in said)
    early = determine("EAR99", "CN", date(2019, 5, 15), end_user="Huawei Marine",
                      screener=affiliate)
    assert early.outcome.value == "NLR"
