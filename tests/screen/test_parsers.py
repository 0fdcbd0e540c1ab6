"""Parsers on the real official files: counts, joins, nulls and format quirks."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportcheck.errors import ListDataError
from exportcheck.screen.parsers import detect_format, load_paths


def _one(paths: list[Path]):
    (parsed,) = load_paths(paths)
    return parsed


def test_sdn_csv_counts_nulls_and_ctrl_z(lists_dir: Path) -> None:
    raw = (lists_dir / "ofac" / "sdn.csv").read_bytes()
    assert raw.rstrip(b"\r\n").endswith(b"\x1a")  # the file really ends with Ctrl-Z
    sdn = _one([lists_dir / "ofac" / "sdn.csv"])
    assert sdn.row_count == 14965 and len(sdn.entries) == 14965
    cuba = next(e for e in sdn.entries if e.entry_id == "36")
    assert cuba.name == "AEROCARIBBEAN AIRLINES"
    assert cuba.kind == "entity"  # "-0- " type means entity
    assert cuba.remarks is None and cuba.programs == ["CUBA"]
    # no null marker survives as a value ("CH-217-0-431" inside one remark is an id, not a null)
    assert not any(v.strip() == "-0-" for e in sdn.entries
                   for v in (e.name, e.remarks or "", *e.programs, e.kind or ""))


def test_sdn_aliases_joined_from_alt_and_remarks(lists_dir: Path) -> None:
    sdn = _one([lists_dir / "ofac" / "sdn.csv", lists_dir / "ofac_2025-12" / "alt.csv",
                lists_dir / "ofac_2025-12" / "add.csv"])
    lee = next(e for e in sdn.entries if e.entry_id == "29250")
    assert lee.name == "LEE, John Ka-chiu"
    assert "LEE, Ka Chiu" in lee.aliases  # from alt.csv
    assert "LI, Jiachao" in lee.aliases  # from the remarks' a.k.a.
    assert lee.dobs == ["1957-12-07"] and lee.programs == ["HK-EO13936"]
    lam = next(e for e in sdn.entries if e.entry_id == "29249")
    assert "HK" in lam.countries and "KJ0505670" in lam.ids


def test_remarks_overflow_from_comments_file(lists_dir: Path) -> None:
    sdn = _one([lists_dir / "ofac_2021-07"])
    assert sdn.row_count == 8976
    with_comments = [e for e in sdn.entries if e.remarks and len(e.remarks) > 1000]
    assert with_comments  # sdn_comments.csv continued some remarks


def test_consolidated_non_sdn(lists_dir: Path) -> None:
    cons = _one([lists_dir / "ofac_cons"])
    assert cons.source == "ofac-cons" and cons.row_count == 442
    assert {e.list for e in cons.entries} == {"NONSDN"}


def test_dpl_rows_merged_by_person(lists_dir: Path) -> None:
    dpl = _one([lists_dir / "bis" / "dpl.txt"])
    assert dpl.row_count == 665
    assert len(dpl.entries) < 665  # one entry per person, several orders/addresses
    ash = next(e for e in dpl.entries if e.name == "I. ASH")
    assert ash.countries == ["US"] and "68 F.R. 38290" in ash.federal_register_notice
    assert "71 F.R. 38843" in ash.federal_register_notice  # citations of all rows kept


def test_csl_full_file_with_licence_fields(lists_dir: Path) -> None:
    csl = _one([lists_dir / "csl_2026-07" / "consolidated.csv"])
    assert csl.row_count == 25921
    counts = csl.by_list()
    assert counts["SDN"] == 19181 and counts["MEU"] == 70 and counts["UVL"] == 222
    el = [e for e in csl.entries if e.list == "EL"]
    assert all(e.license_requirement for e in el)
    police = next(e for e in el if e.name == "Xinjiang Police College")
    assert "Case-by-case" in police.license_policy and police.federal_register_notice
    carrie = next(e for e in csl.entries if e.name == "Carrie Lam")
    assert carrie.entry_id == "29249"  # OFAC rows keep ent_num, so they meet sdn.csv hits


def test_csl_duplicate_header_row_skipped(lists_dir: Path) -> None:
    csl = _one([lists_dir / "csl" / "csl.csv"])
    assert csl.row_count == 4227  # 4,229 lines less the header and its duplicate on line 2
    assert not any(e.name == "name" for e in csl.entries)


def test_un_xml(lists_dir: Path) -> None:
    un = _one([lists_dir / "un" / "UN_consolidated.xml"])
    assert sum(e.kind == "person" for e in un.entries) == 730
    assert sum(e.kind == "entity" for e in un.entries) == 273
    assert str(un.file_date) == "2026-02-27"
    assert any(e.original_script for e in un.entries)


def test_mofcom_separate_jurisdiction(lists_dir: Path) -> None:
    cn = _one([lists_dir / "xyna_registry" / "cn.json"])
    assert cn.by_list() == {"CN-ATT": 40, "CN-UEL": 61, "CN-ECL": 139}
    rapid = next(e for e in cn.entries if e.name == "Rapid Flight LLC")
    assert "急速飞行公司" in rapid.original_script


def test_wrong_file_format_is_a_clear_error(lists_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ListDataError, match="unrecognised list format"):
        load_paths([lists_dir / "SOURCES.md"])
    with pytest.raises(ListDataError, match="not found"):
        load_paths([tmp_path / "missing.csv"])
    with pytest.raises(ListDataError, match="without their main file"):
        load_paths([lists_dir / "ofac_2025-12" / "alt.csv"])
    with pytest.raises(ListDataError, match="no list file"):
        load_paths([lists_dir])  # top level holds no list file, only folders


def test_corrupt_sdn_row_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "sdn.csv"
    bad.write_text('36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA"\r\n', encoding="latin-1")
    assert detect_format(bad) == "ofac:sdn:main"
    with pytest.raises(ListDataError, match="line 1"):
        load_paths([bad])


def test_bad_xml_and_json(tmp_path: Path) -> None:
    x = tmp_path / "un.xml"
    x.write_text("<CONSOLIDATED_LIST><INDIVIDUALS>", encoding="utf-8")
    with pytest.raises(ListDataError, match="invalid UN XML"):
        load_paths([x])
    j = tmp_path / "cn.json"
    j.write_text('[{"list_id": "cn-unreliable-entity-list", "entity_name": "X", ', "utf-8")
    with pytest.raises(ListDataError, match="invalid JSON"):
        load_paths([j])
