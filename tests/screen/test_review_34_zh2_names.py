"""Source-checked Chinese names of Entity List institutes (review 34, table lines 295-497).

The CSSC 711th institute calls itself 上海船用柴油机研究所 (Shanghai Marine Diesel Engine
Research Institute); the table had 上海船舶柴油机研究所, a form no source uses, so a
counterparty written with the institute's real name was matched only through a glossary
reading, not as the listed party's own Chinese name.
"""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import chinese_names
from exportcheck.screen.entries import ListEntry, ParsedList

CSSC_711 = "China State Shipbuilding Corporation, Limited (CSSC) 711th Research Institute"


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


def test_cssc_711_table_name_is_the_institutes_own() -> None:
    names = chinese_names("EL", CSSC_711)
    assert "上海船用柴油机研究所" in names
    assert "上海船舶柴油机研究所" not in names
    assert "中国船舶集团有限公司第七一一研究所" in names


def test_cssc_711_own_name_is_an_exact_table_match() -> None:
    institute = ListEntry(list="EL", entry_id="711", name=CSSC_711, kind="entity")
    hit = _screener(institute).screen("上海船用柴油机研究所")[0]
    assert hit.entry_id == "711"
    assert (hit.match_kind, hit.matched_name) == ("exact", "上海船用柴油机研究所")
    note = next(line for line in hit.explanation if "curated table" in line)
    assert "verified against the source" in note
