"""Small parsed lists for the ownership tests (screen and determine): two SDN holding
companies, an Entity List and an MEU entry, all invented names."""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList

SDN_A = "Harbour Shadow Holdings Limited"
SDN_B = "Kestrel Peak Capital Limited"
EL_C = "Lumen Quartz Microsystems Company Limited"
MEU_D = "Orchid Aero Engine Institute"


def ownership_screener() -> Screener:
    entries = [
        ListEntry("SDN", "9001", SDN_A, kind="entity", countries=["HK"], programs=["HK-EO13936"]),
        ListEntry("SDN", "9002", SDN_B, kind="entity", countries=["HK"], programs=["HK-EO13936"]),
        ListEntry("EL", "el-1", EL_C, kind="entity", countries=["CN"],
                  license_requirement="For all items subject to the EAR",
                  license_policy="Presumption of denial", federal_register_notice="85 FR 1"),
        ListEntry("MEU", "meu-1", MEU_D, kind="entity", countries=["CN"]),
    ]
    return Screener([ParsedList("test", entries, len(entries), "test-lists")])
