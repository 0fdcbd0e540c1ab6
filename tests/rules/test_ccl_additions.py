"""Entries the eCFR parse lacks, added whole by ``tools/ccl_overrides.yaml`` ``additions``: an
entry the parse glued into the one before it (2B352, 3E002, 3D006, 0D614, 8D001) and one removed
before the eCFR date with its effective window (3B090). Before the fix every one of them was
refused as "unknown ECCN"."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest
import yaml

from exportcheck import determine
from exportcheck.errors import UnknownItem
from exportcheck.models import Outcome
from exportcheck.rules import load_ruleset
from exportcheck.rules.schema import CclEntry

ROOT = Path(__file__).resolve().parents[2]
OVERRIDES = ROOT / "tools" / "ccl_overrides.yaml"
ADDED = {"2B352", "3E002", "3D006", "0D614", "8D001", "3B090"}


@cache
def entries() -> dict[str, CclEntry]:
    out: dict[str, CclEntry] = {}
    for path in sorted((ROOT / "src" / "exportcheck" / "rules" / "data" / "ccl").glob("cat*.yaml")):
        for row in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            out[row["eccn"]] = CclEntry.model_validate(row)
    return out


def test_additions_are_in_the_rule_base_and_cite_their_sources() -> None:
    additions = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8"))["additions"]
    assert set(additions) == ADDED
    for eccn in ADDED:
        entry = entries()[eccn]
        assert entry.note and "entry missing from the eCFR parse" in entry.note
        assert "[src" in entry.note or "[data" in entry.note
    # refused after review: not on the CCL (NRC), or controls not established
    for eccn in ("1C012", "3A004", "3B003", "3C007", "3C008", "3C009", "0A018"):
        assert eccn not in entries()


def test_glued_entries_give_back_what_was_not_theirs() -> None:
    assert entries()["3D005"].paragraphs == []  # .a/.b are 3D006's
    assert entries()["3D006"].paragraphs == [".a", ".b"]
    assert [(c.reason, c.column) for c in entries()["3D006"].controls] == [("NS", "NS2"),
                                                                          ("AT", "AT1")]
    assert [(c.reason, c.column) for c in entries()["2B352"].controls] == [("CB", "CB2"),
                                                                          ("AT", "AT1")]
    assert entries()["3E002"].exceptions["TSR"].eligible == "yes"


@pytest.mark.parametrize("eccn", sorted(ADDED - {"3B090"}))
def test_in_force_on_the_brief_date(eccn: str) -> None:
    d = determine(eccn, "CN", date(2024, 6, 1))
    assert d.outcome is Outcome.LICENSE_REQUIRED


@pytest.mark.parametrize(("eccn", "on"), [("3B090", date(2022, 10, 6)),
                                          ("3B090", date(2023, 11, 17)),
                                          ("3D006", date(2022, 10, 13))])
def test_outside_the_window_the_eccn_is_refused(eccn: str, on: date) -> None:
    with pytest.raises(UnknownItem, match=f"unknown ECCN {eccn}"):
        determine(eccn, "CN", on)


def test_3b090_window() -> None:
    rs = load_ruleset()
    assert "3B090" not in rs.as_of(date(2022, 10, 6)).ccl
    assert "3B090" in rs.as_of(date(2022, 10, 7)).ccl
    assert "3B090" in rs.as_of(date(2023, 11, 16)).ccl
    assert "3B090" not in rs.as_of(date(2023, 11, 17)).ccl
    assert determine("3B090", "CN", date(2023, 3, 1)).outcome is Outcome.LICENSE_REQUIRED
    assert determine("3B090", "CN", date(2022, 10, 7)).outcome is Outcome.LICENSE_REQUIRED
