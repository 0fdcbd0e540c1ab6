"""Source-checked Chinese names (review 34, table lines 217-294, 438-454 and the CMIC rows).

AVIC's Leihua institute (LETRI, MEU list) writes itself 中国航空工业集团公司雷华电子技术研究所:
that is its name as a patent applicant and the Han name Japan's METI End User List gives it.
The table had 中国航空工业集团有限公司雷华电子技术研究所 (the group's post-2017 company name
spliced in), a form no source uses, so the institute's own name was no exact table match.
"""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import chinese_names
from exportcheck.screen.entries import ListEntry, ParsedList

LETRI = "AVIC Leihua Electronic Technology Research Institute (LETRI)"
OWN_NAME = "中国航空工业集团公司雷华电子技术研究所"


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


def test_letri_table_name_is_the_institutes_own() -> None:
    names = chinese_names("MEU", LETRI)
    assert names == [OWN_NAME]
    assert "中国航空工业集团有限公司雷华电子技术研究所" not in names


def test_letri_own_name_is_an_exact_table_match_cited_as_verified() -> None:
    letri = ListEntry(list="MEU", entry_id="607", name=LETRI, kind="entity")
    other = ListEntry(list="MEU", entry_id="1", name="AVIC Aircraft Co. Ltd.", kind="entity")
    hit = _screener(letri, other).screen(OWN_NAME)[0]
    assert hit.entry_id == "607"
    assert (hit.match_kind, hit.matched_name) == ("exact", OWN_NAME)
    note = next(line for line in hit.explanation if "curated table" in line)
    assert "verified against the source" in note


def test_confirmed_cmic_row_is_cited_as_verified() -> None:
    """A row checked in this review (SMIC, CMIC) now says so in the hit's explanation."""
    smic = ListEntry(list="NONSDN", entry_id="981",
                     name="Semiconductor Manufacturing International Corporation",
                     kind="entity")
    hit = _screener(smic).screen("中芯国际集成电路制造有限公司")[0]
    assert hit.entry_id == "981"
    note = next(line for line in hit.explanation if "curated table" in line)
    assert "verified against the source" in note and "not re-verified" not in note
