"""The README's count of rule rows with and without an established start date is the rule
base's own (every table, event files included; a lower bound ``unknown; not before`` counts as
unknown)."""

from __future__ import annotations

import re
from pathlib import Path

from exportcheck.rules.loader import load_tables

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_start_date_counts_match_the_rule_base() -> None:
    tables, _ = load_tables()
    rows = [r for table in tables.values() for r in table]
    known = sum(1 for r in rows if getattr(r, "start_date_known", True))
    text = " ".join(README.read_text(encoding="utf-8").split())
    m = re.search(
        r"Of ([\d,]+) rule rows, ([\d,]+) still have no start date and ([\d,]+) have one", text
    )
    assert m, "README sentence with the counts not found"
    total, unknown, dated = (int(g.replace(",", "")) for g in m.groups())
    assert (total, unknown, dated) == (len(rows), len(rows) - known, known)
