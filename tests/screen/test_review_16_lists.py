"""OFAC's non-SDN lists as list filters (session 16 review): the CSL and OFAC's consolidated
file store them together as NONSDN, and a filter on SSI, CMIC or NS-MBS finds their entries."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList, sublist


def _nonsdn(entry_id: str, name: str, *, list_name: str = "", programs: tuple = ()) -> ListEntry:
    return ListEntry(list="NONSDN", entry_id=entry_id, name=name, kind="entity", source="t",
                     list_name=list_name, programs=list(programs))


ENTRIES = [
    _nonsdn("1", "Gamma Telecom Limited", list_name="Non-SDN Chinese Military-Industrial "
            "Complex Companies List (CMIC) - Treasury Department"),
    _nonsdn("2", "Gamma Telecom Holdings", programs=("CMIC-EO13959",)),  # OFAC's own file
    _nonsdn("3", "Gamma Telecom Bank", programs=("UKRAINE-EO13662", "RUSSIA-EO14024")),
    _nonsdn("4", "Gamma Telecom Police", programs=("HKAA",)),
    _nonsdn("5", "Gamma Telecom Evaders", programs=("FSE-SY",)),
]


@pytest.mark.parametrize(("entry", "code"), list(zip(
    ENTRIES, ["CMIC", "CMIC", "SSI", "NS-MBS", "FSE"], strict=True)))
def test_each_non_sdn_entry_knows_its_list(entry: ListEntry, code: str) -> None:
    assert sublist(entry) == code


def test_a_non_sdn_list_code_filters_screening() -> None:
    s = Screener([ParsedList("test", ENTRIES, len(ENTRIES), "test")])

    def found(*lists: str) -> set[str]:
        return {h.entry_id for h in s.screen("Gamma Telecom", threshold=0, lists=list(lists))}

    assert found("CMIC") == {"1", "2"}
    assert found("SSI") == {"3"}
    assert found("NS-MBS", "FSE") == {"4", "5"}
    assert found("NONSDN") == {"1", "2", "3", "4", "5"}
    assert found("SDN") == set()
