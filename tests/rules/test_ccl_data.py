"""The generated Commerce Control List files load under the schema and say what the rule says.

The fact checks pin entries a reviewer read against 15 CFR 774 Supp. 1 (eCFR 2026-07-23), so a
parser change that silently loses a scope or a column fails here. Tests marked as needing the
shared eCFR parse skip when ``../shared/data`` is absent; the others only read the YAML.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

from exportcheck.rules.schema import CclEntry, ControlLine, SpecialControl

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "exportcheck" / "rules" / "data"
SOURCE = ROOT.parent / "shared" / "data" / "ear" / "ecfr_2026-07-23" / "ccl.json"
#: entries whose source rows belong to another ECCN (parse defects fixed by override)
MERGED = {"3E001", "0D606"}
#: reasons named in the source's reasonForControl with no control row in the source itself
#: (the eCFR text has no line for them either, or the heading lists a reason the rows omit)
SOURCE_GAPS = {"3A232:RS", "4A001:NP"}  # 4A001 NP row is "N/A." (dropped); 6A992 RS: override


@cache
def entries() -> dict[str, CclEntry]:
    out: dict[str, CclEntry] = {}
    for path in sorted((DATA / "ccl").glob("cat*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            entry = CclEntry.model_validate(row)
            assert entry.eccn not in out, f"duplicate {entry.eccn}"
            out[entry.eccn] = entry
    return out


@cache
def specials() -> dict[str, SpecialControl]:
    """The version of each special control in force today (ids repeat across windows)."""
    rows = yaml.safe_load((DATA / "special_controls.yaml").read_text(encoding="utf-8"))
    current = (SpecialControl.model_validate(r) for r in rows["special_controls"])
    return {c.id: c for c in current if c.effective_to is None}


def lines(eccn: str, reason: str) -> list[ControlLine]:
    return [c for c in entries()[eccn].controls if c.reason == reason]


def test_all_entries_load_and_are_cited() -> None:
    assert len(entries()) == 639
    for eccn, entry in entries().items():
        assert entry.citation == f"15 CFR 774 Supp. 1, ECCN {eccn}"


def test_ten_category_files_with_header() -> None:
    for cat in range(10):
        head = (DATA / "ccl" / f"cat{cat}.yaml").read_text(encoding="utf-8")[:400]
        assert "GENERATED from the eCFR issue 2026-07-23" in head


def test_special_ids_exist_and_reasons_match() -> None:
    """Every id a line names has a row (today's, or one in force within an entry's window if
    the entry has ended: 3B090's rs_sme_cn_2022) with the line's reason."""
    rows = yaml.safe_load((DATA / "special_controls.yaml").read_text(encoding="utf-8"))
    every = [SpecialControl.model_validate(r) for r in rows["special_controls"]]
    for entry in entries().values():
        for line in entry.controls:
            if line.special:
                versions = [c for c in every if c.id == line.special]
                assert versions, f"{entry.eccn}: unknown special {line.special}"
                assert {c.reason for c in versions} == {line.reason}, (entry.eccn, line.special)
                if entry.effective_to is None:
                    assert line.special in specials(), (entry.eccn, line.special)


def test_special_destination_sets() -> None:
    s = specials()
    assert s["rs_ai_worldwide"].worldwide
    assert s["rs_ai_uae_d1_d4_d5"].countries == ["AE"]
    assert set(s["rs_ai_uae_d1_d4_d5"].exclude_groups) == {"A:5", "A:6"}
    assert set(s["rs_cn_ru_ve"].countries) == {"CN", "RU", "VE"}
    assert s["ei_encryption"].exclude_countries == ["CA"]
    assert s["ru_by_746_8_russia"].effective_from != s["ru_by_746_8_belarus"].effective_from


def test_generated_files_are_small() -> None:
    size = sum(p.stat().st_size for p in (DATA / "ccl").glob("cat*.yaml"))
    assert size < 3_000_000


def test_3a001() -> None:
    ns = {c.column: c.scope for c in lines("3A001", "NS")}
    assert ns["NS2"].only == [] and ns["NS2"].parsed
    assert ns["NS1"].only == [".b.2", ".b.3"]
    assert [c.scope.only for c in lines("3A001", "RS") if c.column == "RS1"] == [[".b.2", ".b.3"]]
    by_special = {c.special: c.scope.only for c in lines("3A001", "RS") if c.special}
    assert by_special["rs_ai_worldwide"] == [".z.1.a", ".z.2.a", ".z.3.a", ".z.4.a"]
    tiers = {v.usd: v.scope.only for v in entries()["3A001"].lvs}
    assert tiers[1500] == [".c"] and ".z" in tiers[None]


def test_0a501() -> None:
    for reason, column in (("NS", "NS1"), ("RS", "RS1"), ("FC", "FC1")):
        (line,) = lines("0A501", reason)
        assert line.column == column and line.scope.exclude == [".y"]
    assert [c.special for c in lines("0A501", "UN")] == ["un_arms_embargo"]
    (lvs,) = entries()["0A501"].lvs
    assert lvs.usd == 500 and lvs.scope.only == [".c", ".d", ".x"]


@pytest.mark.parametrize("eccn", ["3A991", "4A994", "7A994"])
def test_at_only_entries(eccn: str) -> None:
    assert [(c.reason, c.column) for c in entries()[eccn].controls] == [("AT", "AT1")]


def test_9a610() -> None:
    (y,) = [c for c in lines("9A610", "RS") if c.special]
    assert y.special == "rs_cn_ru_ve" and y.scope.only == [".y"]
    (rs1,) = [c for c in lines("9A610", "RS") if c.column]
    assert rs1.scope.exclude == [".b", ".y"]
    assert lines("9A610", "MT")[0].scope.only == [".t", ".u", ".v", ".w"]


def test_3a090_and_4a090() -> None:
    for eccn in ("3A090", "4A090"):
        specials_by_para = {c.scope.only[0]: c.special for c in lines(eccn, "RS")}
        assert specials_by_para[".a"] == "rs_ai_worldwide"
        assert specials_by_para[".b"] == "rs_ai_uae_d1_d4_d5"
        assert entries()[eccn].start_date_known
    assert {c.scope.only[0]: c.special for c in lines("3A090", "RS")}[".c"] == "rs_ai_macau_d5"


def test_5a002() -> None:
    assert [c.special for c in lines("5A002", "EI")] == ["ei_encryption"]
    components = [v for v in entries()["5A002"].lvs if v.usd == 500]
    assert components and not components[0].scope.parsed
    assert "ENC" in entries()["5A002"].exceptions


def test_all_destinations_entries() -> None:
    flagged = {e for e, entry in entries().items() if entry.all_destinations}
    assert flagged == {"0A983", "5A980", "5D980", "5E980"}
    (sl,) = lines("5A001", "SL")
    assert sl.special == "sl_all_destinations" and sl.scope.only == [".f.1"]


def test_merged_source_entries_fixed() -> None:
    assert "License Requirements" not in entries()["3E001"].heading
    assert {c.special for c in lines("3E001", "RS")} >= {"rs_ai_from_macau_d5", "rs_ai_macau_d5"}
    assert len(lines("3D005", "NS")) == 1
    assert len(lines("8C609", "NS")) == 1


def test_1c350_and_9e003() -> None:
    assert [c.special for c in lines("1C350", "CW")] == ["cw_non_states_parties"]
    (si,) = lines("9E003", "SI")
    assert si.special == "si_all_but_canada" and ".a.1" in si.scope.only


@cache
def source() -> dict[str, dict]:
    if not SOURCE.exists():
        pytest.skip(f"shared eCFR parse not found at {SOURCE} (../shared/data absent)")
    return {e["eccn"]: e for e in json.loads(SOURCE.read_text(encoding="utf-8"))["entries"]}


#: entries the parse lacks, added whole by the ``additions`` of tools/ccl_overrides.yaml
ADDED = {"2B352", "3E002", "3D006", "0D614", "8D001", "3B090"}


def test_same_eccns_as_source() -> None:
    assert set(source()) | ADDED == set(entries())
    assert not ADDED & set(source())


def test_every_source_reason_has_a_control() -> None:
    """Each reason named in reasonForControl appears in the controls, where the source has any."""
    missing = set()
    for eccn, row in source().items():
        if not row["countryChart"] or eccn in MERGED:
            continue
        got = {c.reason for c in entries()[eccn].controls}
        for reason in named_reasons(row["reasonForControl"] or ""):
            if reason not in got:
                missing.add(f"{eccn}:{reason}")
    assert missing == SOURCE_GAPS


def named_reasons(text: str) -> set[str]:
    reasons = set(re.findall(r"\b(NS|NP|MT|CB|CW|RS|FC|CC|AT|UN|EI|SL|SI|SS)", text))
    return reasons | ({"RU"} if "foreign policy" in text.lower() else set())


#: heading wording of the entries that place their items on the USML (the engine routes them to
#: the ITAR); 1C355's heading mentions the ITAR only to exclude chemicals, so it does not match
ITAR_ROUTED = re.compile(r"\((?:these items are|this entry is) “subject to the itar", re.I)


def test_every_empty_entry_is_itar_or_ended() -> None:
    """An entry without control lines is either ITAR-routed by its heading or ended (no items)."""
    from exportcheck.rules.schema import RULEBASE_START

    itar, ended = set(), set()
    for eccn, entry in entries().items():
        if entry.controls or entry.all_destinations:
            continue
        if ITAR_ROUTED.search(entry.heading):
            itar.add(eccn)
        else:
            assert entry.effective_to is not None, f"{eccn}: no control lines, not ITAR, not ended"
            assert entry.effective_to < RULEBASE_START, eccn
            assert entry.note and "reviewed override" in entry.note, eccn
            ended.add(eccn)
    assert len(itar) == 31
    assert ended == {
        "1C018", "2B018", "2D018", "8A018", "9A018", "9D018", "9E018",
        "4A611", "5A611", "6A611", "9A010", "9D005",
    }  # fmt: skip


def destinations(special_id: str, groups: dict[str, set[str]] | None = None) -> set[str] | str:
    """Destination set of a special control ('ALL-<excluded>' for worldwide rows)."""
    sc = specials()[special_id]
    if sc.worldwide:
        return "ALL-" + ",".join(sorted(sc.exclude_countries))
    return set(sc.countries) | {f"group {g}" for g in sc.groups}


@pytest.mark.parametrize("eccn", ["0A521", "0B521", "0C521", "0D521", "0E521"])
def test_0y521_all_but_canada(eccn: str) -> None:
    (line,) = entries()[eccn].controls
    assert line.reason == "RS" and destinations(line.special or "") == "ALL-CA"


@pytest.mark.parametrize("eccn", ["2A994", "2D994", "2E994"])
def test_x994_at_only_to_iran_and_north_korea(eccn: str) -> None:
    got = entries()[eccn].controls
    assert {c.reason for c in got} == {"AT"} and all(c.column is None for c in got)
    assert set().union(*(destinations(c.special or "") for c in got)) == {"IR", "KP"}


@pytest.mark.parametrize("eccn", ["0A999", "1A999", "1D999", "2A999"])
def test_x999_at_north_korea_only(eccn: str) -> None:
    assert [(c.reason, c.special) for c in entries()[eccn].controls] == [("AT", "at_north_korea")]


@pytest.mark.parametrize("eccn", ["0A980", "1C980", "1C982", "1C983", "1C984", "1C988"])
def test_short_supply_all_destinations_including_canada(eccn: str) -> None:
    (line,) = entries()[eccn].controls
    assert line.reason == "SS" and destinations(line.special or "") == "ALL-"


def test_1c355_and_1c395_are_ear_cw_at() -> None:
    assert not ITAR_ROUTED.search(entries()["1C355"].heading)
    for eccn in ("1C355", "1C395"):
        by_reason = {c.reason: c.special for c in entries()[eccn].controls if c.special}
        assert by_reason == {"CW": "cw_non_states_parties", "AT": "at_e1"}
    assert specials()["at_e1"].groups == ["E:1"]


def test_0e001_np_at() -> None:
    assert [(c.reason, c.column) for c in entries()["0E001"].controls] == [
        ("NP", "NP1"),
        ("AT", "AT1"),
    ]


def test_ended_entries_are_not_in_force() -> None:
    from datetime import date

    for eccn in ("1C018", "9A018", "4A611", "9D005"):
        assert not entries()[eccn].in_force(date(2026, 7, 23))
    assert entries()["1C018"].effective_to == date(2014, 6, 30)
