"""Issue #12 point 1: a determination for a date before the eCFR edition the rule base was read
from names every row of unknown history it used (``caveats``), never answering silently from
today's text."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest

from exportcheck import determine
from exportcheck.rules import load_ruleset
from exportcheck.rules.schema import SOURCE_EDITION

CASES = list(csv.DictReader((Path(__file__).with_name("cases.csv")).open(encoding="utf-8")))
PAST = [c for c in CASES if date.fromisoformat(c["date"]) < SOURCE_EDITION]


def test_uae_groups_are_flagged_for_2024() -> None:
    """The UAE's D:4 listing (and its A:5 listing, applied from a lower bound only) have no
    start date: applied to 2024 the D:4 listing must be named, and the answer is the 88 FR 73458
    licence (the UAE was in D:4, not A:5)."""
    d = determine("3A090.a", "AE", date(2024, 3, 1))
    assert d.outcome.value == "LICENSE_REQUIRED"
    assert any("Country Group memberships of AE" in c and "D:4" in c for c in d.caveats)
    assert all(SOURCE_EDITION.isoformat() in c for c in d.caveats)


def test_uae_a5_named_with_its_lower_bound() -> None:
    d = determine("3A090.a", "AE", date(2026, 7, 1))
    assert any("A:5 not before 2026-06-21" in c for c in d.caveats)


def test_rows_dated_by_their_rule_leave_the_caveat() -> None:
    """Venezuela's D:1-D:4 listings are dated by 84 FR 24018 (24 May 2019): a 2019 answer no
    longer names them, while its D:5 listing, whose start is still unknown, is named."""
    d = determine("3A001.a.2", "VE", date(2019, 6, 1), value=1000)
    groups = next(c for c in d.caveats if "Country Group memberships of VE" in c)
    assert "(D:5)" in groups
    assert not any(g in groups for g in ("D:1", "D:2", "D:3", "D:4", "B,"))
    marks = next(c for c in d.caveats if "Country Chart marks for VE" in c)
    assert "NS2" in marks and "NP2" not in marks and "CB3" not in marks


def test_the_chart_caveat_says_removed_marks_are_unknown_too() -> None:
    """88 FR 85479 (8 Dec 2023) removed crime-control marks from Austria's row, and which
    columns is not established: an Austrian answer of 2022 must not read as if today's row,
    without those marks, were the row of the time."""
    d = determine("0A978", "AT", date(2022, 6, 1), value=1000)
    marks = next(c for c in d.caveats if "Country Chart marks for AT" in c)
    assert "marks removed since then are not known" in marks


def test_a_mark_removed_before_the_edition_is_not_said_to_be_in_it() -> None:
    """89 FR 28594 removed NS1, MT1 and RS1 from the United Kingdom's row on 19 Apr 2024, and
    86 FR 4929 Sudan's AT1 on 14 Jan 2021: the eCFR of 2026-07-23 prints none of them, so a
    caveat saying they 'are as in the eCFR of 2026-07-23' sent an auditor to a text without
    them. Those marks are the rows printed before their removal; the others are today's."""
    d = determine("9A610.a", "GB", date(2024, 1, 1), value=100)
    marks = next(c for c in d.caveats if "Country Chart marks for GB" in c)
    assert f"CB1 as in the eCFR of {SOURCE_EDITION.isoformat()}" in marks
    assert "MT1, NS1, RS1 as printed before their removal" in marks
    assert "marks removed since then are not known" in marks
    d = determine("5A992.c", "SD", date(2020, 6, 1))
    marks = next(c for c in d.caveats if "Country Chart marks for SD" in c)
    assert "AT1 as printed before its removal" in marks and "(AT1," not in marks


def test_hong_kong_derived_marks_are_named_as_derived() -> None:
    """Hong Kong's own row (until 22 Dec 2020) is in no eCFR edition read: its marks are
    derived from the Part 742 column definitions, as the trace says, and the caveat says so."""
    d = determine("3A001.a.2", "HK", date(2020, 6, 29), value=1000)
    marks = next(c for c in d.caveats if "Country Chart marks for HK" in c)
    assert "derived from their Part 742 column definitions" in marks
    assert f"as in the eCFR of {SOURCE_EDITION.isoformat()}" not in marks


def test_no_caveat_on_the_edition_and_one_after_it() -> None:
    """On the edition's day its text is in force; after it, rules published since are not in
    the rule base, and the answer says so (review L5: 2099 got no caveat)."""
    assert determine("3A090.a", "AE", SOURCE_EDITION).caveats == []
    for day in (date(2026, 11, 2), date(2099, 1, 1)):
        (only,) = determine("3A001.a.2", "HK", day).caveats
        assert "rule published after that edition is not applied" in only
        assert SOURCE_EDITION.isoformat() in only


@pytest.mark.parametrize("case", PAST, ids=[c["id"] for c in PAST])
def test_every_row_of_unknown_history_used_is_named(case: dict[str, str]) -> None:
    """Fails when a past determination uses, without a caveat, a trace rule, a Country Group
    membership, a chart mark or a CCL entry whose start date is unknown."""
    on = date.fromisoformat(case["date"])
    d = determine(case["item"], case["destination"], on,
                  value=float(case["value"]) if case["value"] else None,
                  end_user_type=case["end_user_type"] or "civil",
                  end_use=case["end_use"] or None)
    text = "\n".join(d.caveats)
    for step in d.trace:
        if not step.start_date_known:
            assert step.rule in text, (step.rule, d.caveats)
    if d.item.startswith("USML:"):
        return
    snap = load_ruleset().as_of(on)
    dest = d.evaluated_destination
    for g in snap.groups.get(dest, {}).values():
        if not g.start_date_known:
            assert f"Country Group memberships of {dest}" in text and g.group in text
    eccn = d.item.split(".")[0]
    entry = snap.ccl.get(eccn)
    if entry is not None:
        for m in snap.chart.get(dest, {}).values():
            if not m.start_date_known:
                assert f"Country Chart marks for {dest}" in text and m.column in text
        if not entry.start_date_known:
            assert f"CCL entry {eccn}" in text


def test_caveats_reach_the_cli_and_its_json(cli) -> None:
    args = ["check", "--item", "3A090.a", "--to", "AE", "--on", "2024-03-01", "--no-screen"]
    code, shown, _ = cli(args)
    assert code == 0
    assert "caveat" in shown and "D:4" in shown
    code, as_json, _ = cli([*args, "--json"])
    assert code == 0
    assert json.loads(as_json)["caveats"] == determine("3A090.a", "AE", date(2024, 3, 1)).caveats
