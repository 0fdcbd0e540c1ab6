"""Build the Country Chart, Country Groups and destination tables from an eCFR parse.

Run: ``python tools/build_chart.py ../shared/data/ear/ecfr_2026-07-23``

Writes ``src/exportcheck/rules/data/{destinations,country_chart,country_groups}.csv``: today's
law, one cited row per mark or membership. Start dates come from ``tools/chart_history.yaml``
(reviewed; later changes with their Federal Register citations), else ``unknown``. History that
is no longer in the regulation (Hong Kong's own row, Belarus in A:4, ...) lives in the event files
under ``rules/data/events/``, not here.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pycountry
import yaml

OUT = Path(__file__).resolve().parents[1] / "src" / "exportcheck" / "rules" / "data"
HISTORY = Path(__file__).with_name("chart_history.yaml")
EDITION = "eCFR 2026-07-23"
CHART_CITATION = "15 CFR 738 Supp. 1"
GROUPS_CITATION = "15 CFR 740 Supp. 1"

#: chart/group spellings pycountry does not resolve by itself
NAME_TO_ISO = {
    "Bahamas, The": "BS",
    "The Bahamas": "BS",
    "Bosnia & Herzegovina": "BA",
    "Saint Kitts & Nevis": "KN",
    "Sao Tome & Principe": "ST",
    "Trinidad & Tobago": "TT",
    "Bolivia": "BO",
    "Brunei": "BN",
    "Burma": "MM",
    "Cape Verde": "CV",
    "China": "CN",
    "China (PRC)": "CN",
    "Congo (Democratic Republic of the)": "CD",
    "Congo (Democratic Republic of)": "CD",
    "Congo (Republic of the)": "CG",
    "Cote d'Ivoire": "CI",
    "Cote d'lvoire": "CI",
    "Czech Republic": "CZ",
    "Gambia, The": "GM",
    "Iran": "IR",
    "Korea, North": "KP",
    "Korea, South": "KR",
    "Kosovo": "XK",
    "Laos": "LA",
    "Macau": "MO",
    "Micronesia (Federated State of)": "FM",
    "Moldova": "MD",
    "Russia": "RU",
    "Seycheles": "SC",
    "Sint Maarten (the Dutch two-fifths of the island of Saint Martin)": "SX",
    "South Sudan, Republic of": "SS",
    "St. Kitts and Nevis": "KN",
    "St. Lucia": "LC",
    "St. Vincent and the Grenadines": "VC",
    "Syria": "SY",
    "Taiwan": "TW",
    "Tanzania": "TZ",
    "Türkiye": "TR",
    "Vatican City": "VA",
    "Venezuela": "VE",
    "Vietnam": "VN",
    "Western Sahara": "EH",
    "United States": "US",
}


def iso(name: str) -> str:
    if name in NAME_TO_ISO:
        return NAME_TO_ISO[name]
    country = pycountry.countries.get(name=name) or pycountry.countries.get(common_name=name)
    if country is None:
        raise SystemExit(f"no ISO code for chart name {name!r}: add it to NAME_TO_ISO")
    return country.alpha_2


def _write(path: Path, header: list[str], rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {len(rows):5d} rows to {path.relative_to(OUT.parents[2])}")


def _dated(row: dict, history: dict, key: str) -> dict:
    change = history.get(key, {})
    row["effective_from"] = change.get("effective_from", "unknown")
    row["start_citation"] = change.get("start_citation", "")
    row["note"] = change.get(
        "note", f"in force in the {EDITION} edition; start date not established"
    )
    return row


def main(src: Path) -> None:
    chart = json.loads((src / "country-chart.json").read_text())
    groups = json.loads((src / "country-groups.json").read_text())
    history = yaml.safe_load(HISTORY.read_text()) or {}
    cols = ["code", "citation", "effective_from", "effective_to", "start_citation", "note"]

    dests: dict[str, dict] = {}
    for name in list(chart["countries"]) + list(chart["embargoed"]):
        code = iso(name)
        official = pycountry.countries.get(alpha_2=code)
        dests[code] = _dated(
            {
                "code": code,
                "name": official.name if official else name,
                "chart_name": name,
                "citation": CHART_CITATION,
                "effective_to": "",
            },
            history.get("destinations", {}),
            code,
        )
    dests.setdefault(
        "US",
        {
            "code": "US",
            "name": "United States",
            "chart_name": "",
            "citation": "15 CFR 740 Supp. 1",
            "effective_from": "unknown",
            "effective_to": "",
            "start_citation": "",
            "note": "origin country; in Country Groups only",
        },
    )
    _write(
        OUT / "destinations.csv",
        ["code", "name", "chart_name", *cols[1:]],
        sorted(dests.values(), key=lambda r: r["code"]),
    )

    marks = []
    for name, row in chart["countries"].items():
        code = iso(name)
        for col in row["marks"]:
            column = col.replace(" ", "")
            marks.append(
                _dated(
                    {
                        "code": code,
                        "column": column,
                        "citation": CHART_CITATION,
                        "effective_to": "",
                    },
                    history.get("marks", {}),
                    f"{code} {column}",
                )
            )
    _write(
        OUT / "country_chart.csv",
        ["code", "column", *cols[1:]],
        sorted(marks, key=lambda r: (r["code"], r["column"])),
    )

    members = []
    for group, names in groups["groups"].items():
        for name in names:
            code = iso(name)
            members.append(
                _dated(
                    {"code": code, "group": group, "citation": GROUPS_CITATION, "effective_to": ""},
                    history.get("groups", {}),
                    f"{code} {group}",
                )
            )
    _write(
        OUT / "country_groups.csv",
        ["code", "group", *cols[1:]],
        sorted(members, key=lambda r: (r["code"], r["group"])),
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/ear/ecfr_2026-07-23"))
