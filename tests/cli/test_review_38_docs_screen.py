"""``exportcheck screen`` names the non-SDN list a NONSDN hit is on, as the README says.

The README showed ``screen "李家超" --country HK`` finding "NONSDN 29250 John Ka-chiu Lee
(NS-MBS, HKAA)", but the table printed the list as ``NONSDN`` and the programmes as ``HKAA``
alone: nothing on screen said which of OFAC's non-SDN lists the entry is on, though
``--list NS-MBS`` filters by it and the CSL names it in its source column ("Non-SDN Menu-Based
Sanctions List (NS-MBS List)"; programme HKAA: ../shared/data/lists/csl_2026-07). NS-MBS is
the list, HKAA the programme: the table now shows ``NONSDN (NS-MBS)`` and the README says
which is which."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"

#: the CSL's header and its two NS-MBS rows for the Hong Kong officials, as in the July 2026 file
CSL = """\
_id,source,entity_number,type,programs,name,title,addresses,federal_register_notice,\
start_date,end_date,standard_order,license_requirement,license_policy,call_sign,vessel_type,\
gross_tonnage,gross_registered_tonnage,vessel_flag,vessel_owner,remarks,source_list_url,\
alt_names,citizenships,dates_of_birth,nationalities,places_of_birth,source_information_url,ids
csl-6040,Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department,29249,\
Individual,HKAA,Carrie Lam,,HK,,,,,,,,,,,,,,\
https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList,\
Yuet-ngor Lam Cheng; Carrie Yuet-ngor Lam Cheng,,,,,,
csl-6041,Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department,29250,\
Individual,HKAA,John Ka-chiu Lee,,HK,,,,,,,,,,,,,,\
https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList,John Lee; Ka Chiu Lee; Jiachao Li,\
,,,,,
"""


@pytest.fixture
def csl(tmp_path: Path) -> Path:
    path = tmp_path / "consolidated.csv"
    path.write_text(CSL, encoding="utf-8")
    return path


def test_the_table_names_the_non_sdn_list_beside_the_programme(
    csl: Path, cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    code, out, err = cli(["screen", "李家超", "--country", "HK", "--lists-from", str(csl)])
    assert code == 0, err
    (row,) = [ln for ln in out.splitlines() if "29250" in ln]
    cells = [c.strip() for c in re.split(r"[│|]", row) if c.strip()]
    assert cells[1:3] == ["NONSDN (NS-MBS)", "29250"]
    assert cells[-1] == "HKAA"  # the programme, not the list


def test_the_json_keeps_the_list_code_and_the_source_name(
    csl: Path, cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    import json

    code, out, err = cli(["screen", "李家超", "--country", "HK", "--lists-from", str(csl),
                          "--json"])
    assert code == 0, err
    (hit,) = [h for h in json.loads(out)["hits"] if h["entry_id"] == "29250"]
    assert (hit["list"], hit["programs"]) == ("NONSDN", ["HKAA"])
    assert "(NS-MBS List)" in hit["list_name"]


def test_the_readme_says_which_is_the_list_and_which_the_programme() -> None:
    text = README.read_text(encoding="utf-8")
    block = text.split('exportcheck screen "李家超" --country HK --explain\n')[1]
    comment = " ".join(ln.lstrip("# ") for ln in block.splitlines()[:3])
    assert "(NS-MBS, HKAA)" not in comment  # NS-MBS is no programme
    assert "NONSDN (NS-MBS) 29250" in comment and "(programme HKAA)" in comment
