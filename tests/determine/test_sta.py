"""License Exception STA (c)(1) and (c)(2): the entry's STA paragraph read as the exclusions
it states, and the authorizing paragraph that reaches the destination (740.20(c))."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.determine.sta import c1_excluded, c2_excluded
from exportcheck.models import Determination, TraceStep
from exportcheck.rules.loader import load_tables

_CCL = {e.eccn: e for e in load_tables()[0]["ccl"]}


def _text(eccn: str) -> str:
    return _CCL[eccn].exceptions["STA"].text


@pytest.mark.parametrize(
    ("eccn", "paragraph", "excluded"),
    [
        ("3A001", ".b.2", True),  # "3A001.b.2 or b.3 ... or 3A001.z" to A:5 or A:6
        ("3A001", ".b.3", True),
        ("3A001", ".z.1.a", True),
        ("3A001", ".b.1", False),
        ("3A001", "", True),  # paragraph not given: it may be .b.2
        ("3A901", ".a", True),  # "any item in this ECCN" to A:5 or A:6
        ("0A977", "", True),  # no destination named: everywhere
        ("4A005", ".a", True),
        ("3B001", ".q", True),
        ("3B001", ".c.1.c", True),
        ("3B001", ".a.1", False),
        ("1A002", ".a", False),  # A:6 only: (c)(1) untouched
        ("6A003", ".b.4", False),
        ("9A610", ".a", True),  # "(c)(1) may not be used for any item in 9A610.a"
        ("9A610", ".x", False),  # only (c)(2) for the rest
        ("9E619", ".c", True),  # "9E619.b. or .c."
        ("9E619", ".a", False),
        ("0A606", ".x", False),
        ("5A001", ".j", True),
        ("5A001", ".b.5", False),  # A:6 only
        ("3D001", "", True),  # software "for" 3A090.a/3B001.q: not known, not claimed
    ],
)
def test_sta_paragraph(eccn: str, paragraph: str, excluded: bool) -> None:
    assert (c1_excluded(eccn, paragraph, _text(eccn)) is not None) is excluded


def test_c2_only_paragraph_leaves_c1() -> None:
    text = ("STA: Paragraph (c)(2) of License Exception STA (§ 740.20(c)(2) of the EAR) may not be "
            "used for any item in 0A501.")
    assert c1_excluded("0A501", ".a", text) is None


@pytest.mark.parametrize(
    ("eccn", "paragraph", "excluded"),
    [
        ("3A001", ".b.1", False),  # names b.2, b.3 and .z only
        ("3A001", ".b.2", True),
        ("3A001", "", True),  # paragraph not given: it may be .b.2
        ("5A001", ".a.1", False),
        ("5A001", ".h", True),  # ".b.3, .b.5 or .h to ... A:6": (c)(1) keeps it, (c)(2) not
        ("5A001", ".j", True),
        ("1A002", ".a", True),  # "any item in this entry to ... A:6"
        ("6A003", ".b.4.b", True),
        ("6A003", ".a.1", False),
        ("9A610", ".x", True),  # "(2) Paragraph (c)(2) ... may not be used for any item in 9A610"
        ("3D611", ".a", True),  # "1. Paragraph (c)(2) ... any software in 3D611"
        ("6A004", ".c", True),  # "Paragraph (c)(2) ... 6A004.c or .d to ... A:6"
        ("6A004", ".a", False),
        ("0A977", "", True),  # no destination named: every paragraph of STA
        ("7D004", ".c", True),  # "software in 7D004.a to .d and .g to ... A:6": a range
        ("7D004", ".d", True),
        ("7D004", ".e", False),
        ("7D004", ".g", True),
    ],
)
def test_sta_c2_paragraph(eccn: str, paragraph: str, excluded: bool) -> None:
    """740.20(c)(2): only items "not designated in the STA paragraph" of their entry."""
    assert (c2_excluded(eccn, paragraph, _text(eccn)) is not None) is excluded


def _sta_step(d: Determination) -> TraceStep:
    return next(s for s in d.trace if s.rule == "License Exception STA")


def test_sta_c2_offered_to_a6_for_ns_only_items() -> None:
    """5A001.a.1 to Israel (A:6) needs an NS1 licence only: STA under 740.20(c)(2), with the
    conditions of 740.20(d) in the answer and the trace."""
    d = determine("5A001.a.1", "IL", date(2024, 1, 1))
    assert d.outcome.value == "EXCEPTION_AVAILABLE" and d.reasons == ["NS1"]
    (sta,) = d.license_exceptions
    assert sta.symbol == "STA" and sta.citation == "15 CFR 740.20(c)(2)"
    assert "destination in A:6" in sta.conditions and "740.20(d)(2)" in sta.conditions
    step = _sta_step(d)
    assert step.fired and step.citation == "15 CFR 740.20(c)(2)"


@pytest.mark.parametrize(
    ("item", "dest", "why"),
    [
        ("1C010.a", "IL", "for NS reasons only; here also NP1"),
        ("5A001.h", "IL", "740.20(c)(2) authorises only items it does not designate"),
        ("9A610.x", "IL", "STA may not be used for 9A610"),
        ("5A001.a.1", "CN", "CN is not in Country Group A:5 (15 CFR 740.20(c)(1)); CN is not in "
                            "Country Group A:6 (15 CFR 740.20(c)(2))"),
    ],
)
def test_sta_c2_refused_with_the_reason(item: str, dest: str, why: str) -> None:
    d = determine(item, dest, date(2024, 1, 1))
    assert "STA" not in [e.symbol for e in d.license_exceptions]
    step = _sta_step(d)
    assert not step.fired and why in step.detail, step.detail


def test_sta_c1_unchanged_for_a5() -> None:
    """A:5 keeps (c)(1): 5A001.h to Germany (its A:6-only clause leaves (c)(1))."""
    d = determine("5A001.h", "DE", date(2024, 1, 1))
    assert [e.citation for e in d.license_exceptions if e.symbol == "STA"] == [
        "15 CFR 740.20(c)(1)"]


def test_sta_c2_follows_the_a6_listing_of_mexico() -> None:
    """85 FR 84211 added Mexico to Country Group A:6 from 28 Dec 2020."""
    before = determine("5A001.a.1", "MX", date(2020, 12, 27))
    after = determine("5A001.a.1", "MX", date(2020, 12, 28))
    assert before.outcome.value == "LICENSE_REQUIRED"
    assert [e.symbol for e in after.license_exceptions] == ["STA"]


def test_batch_tells_c2_designated_paragraphs_apart() -> None:
    """The batch path keys an item by what the rules see of it: 5A001.h (designated in the
    STA paragraph, A:6 only) and 5A001.a.1 must not share an answer to Israel."""
    lines = pl.DataFrame({"item": ["5A001.a.1", "5A001.h"], "destination": ["IL", "IL"],
                          "date": ["2024-01-01", "2024-01-01"]})
    got = determine_frame(lines).get_column("license_exceptions").to_list()
    assert [g or "" for g in got] == ["STA", ""]


@pytest.mark.parametrize(
    ("item", "dest", "rule"),
    [
        ("6D003.c", "DE", "740.20(b)(2)(x)"),  # (c)(1) would reach Germany
        ("6D003", "DE", "740.20(b)(2)(x)"),  # not classified as far: it may be 6D003.c
        ("9D004.f", "DE", "740.20(b)(2)(viii)"),
        ("9D004.g", "IL", "740.20(b)(2)(viii)"),  # (c)(2) would reach Israel
    ],
)
def test_sta_b2_item_exclusions(item: str, dest: str, rule: str) -> None:
    """740.20(b)(2) bars STA for the items it names "notwithstanding the authorizations in
    paragraph (c)", whatever the entry's own STA paragraph says."""
    d = determine(item, dest, date(2024, 1, 1))
    assert d.outcome.value == "LICENSE_REQUIRED" and d.license_exceptions == []
    step = _sta_step(d)
    assert not step.fired and step.detail.startswith(rule), step.detail


def test_sta_b2_leaves_the_other_paragraphs() -> None:
    assert [e.symbol for e in determine("6D003.a", "DE", date(2024, 1, 1)).license_exceptions] \
        == ["STA"]
    assert [e.symbol for e in determine("9D004.e", "IL", date(2024, 1, 1)).license_exceptions] \
        == ["STA"]


def test_batch_tells_b2_excluded_paragraphs_apart() -> None:
    lines = pl.DataFrame({"item": ["9D004.e", "9D004.f"], "destination": ["DE", "DE"],
                          "date": ["2024-01-01", "2024-01-01"]})
    got = determine_frame(lines).get_column("license_exceptions").to_list()
    assert [g or "" for g in got] == ["STA", ""]
