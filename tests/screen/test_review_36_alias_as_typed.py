"""A hit shows the entry's name as the query wrote it (session 36 review).

An entry's names that read alike once legal forms are set aside are indexed once, so typing
the former name 上海航天设备制造总厂 showed the registered 上海航天设备制造总厂有限公司 as the
matched name, and the explanation cited that row of the Chinese names table (a registered
name) instead of the former-name row the user typed."""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


SAEM = ListEntry(list="MEU", entry_id="saem", name="Shanghai Aerospace Equip. Man.",
                 kind="entity", countries=["CN"])


def test_a_former_chinese_name_typed_is_the_name_shown_and_cited() -> None:
    [hit] = _screener(SAEM).screen("上海航天设备制造总厂")
    assert hit.matched_name == "上海航天设备制造总厂" and hit.score == 100
    table = [line for line in hit.explanation if "curated table" in line]
    assert table and "former name" in table[0], hit.explanation
    # the name shown has no legal form: none is said to be set aside
    assert not any(line.startswith("legal forms set aside") for line in hit.explanation)


def test_the_registered_name_typed_is_still_the_registered_row() -> None:
    [hit] = _screener(SAEM).screen("上海航天设备制造总厂有限公司")
    assert hit.matched_name == "上海航天设备制造总厂有限公司"
    assert any("registered name" in line for line in hit.explanation), hit.explanation


def test_a_latin_alias_written_as_typed() -> None:
    firm = ListEntry(list="EL", entry_id="1", name="ACME TRADING CO., LTD.", kind="entity",
                     aliases=["Acme Trading Company Limited"])
    [hit] = _screener(firm).screen("acme trading company limited")
    assert hit.matched_name == "Acme Trading Company Limited"
    [hit] = _screener(firm).screen("Acme Trading Co Ltd")  # no name written so: the first
    assert hit.matched_name == "ACME TRADING CO., LTD."
