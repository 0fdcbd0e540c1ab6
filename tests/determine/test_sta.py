"""License Exception STA (c)(1): the entry's STA paragraph read as the exclusions it states."""

from __future__ import annotations

import pytest

from exportcheck.determine.sta import c1_excluded
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
