"""Review 37: an export to the Government of Venezuela answered NLR.

EO 13884 (84 FR 38843, effective 5 Aug 2019) blocks the property of the Government of
Venezuela, its agencies and instrumentalities included, and forbids US persons to provide it
goods or services unless OFAC authorises it. An EAR99 line to a Venezuelan government end user
answered NLR (and a defence article ITAR's licence only). Such lines are now PROHIBITED (OFAC)
from that day; a civil end user in Venezuela is not reached (EO 13884 is not an embargo of the
country), nor a "military" one, which may be a private firm (744.21(g)).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine, determine_frame

RULE = "EO 13884 Government of Venezuela (OFAC)"
IN_FORCE = date(2024, 1, 1)


@pytest.mark.parametrize("item", ["EAR99", "5A992.c", "3A001.a.2", "USML XI"])
def test_government_of_venezuela_is_blocked(item: str) -> None:
    d = determine(item, "VE", IN_FORCE, end_user_type="government")
    assert d.outcome.value == "PROHIBITED"
    assert d.agency.value == "OFAC"
    blocked = [r for r in d.requirements if r.rule == RULE]
    assert blocked and blocked[0].prohibited
    assert "84 FR 38843" in blocked[0].citation
    assert any(s.fired and s.rule == RULE for s in d.trace)


def test_a_civil_end_user_in_venezuela_is_not_reached() -> None:
    d = determine("EAR99", "VE", IN_FORCE, end_user_type="civil")
    assert d.outcome.value == "NLR"
    assert not any(s.fired and s.rule == RULE for s in d.trace)


def test_a_military_end_user_keeps_the_744_21_licence() -> None:
    """'Military' also covers private firms supporting military end uses (744.21(g)), which
    EO 13884 does not block by itself: 744.21's licence, not the blocking."""
    d = determine("5A992.c", "VE", IN_FORCE, end_user_type="military")
    assert d.outcome.value == "LICENSE_REQUIRED" and d.reasons == ["MEU"]


def test_the_order_applies_from_5_august_2019_not_the_day_before() -> None:
    before = determine("EAR99", "VE", date(2019, 8, 4), end_user_type="government")
    on = determine("EAR99", "VE", date(2019, 8, 5), end_user_type="government")
    assert before.outcome.value == "NLR"
    assert on.outcome.value == "PROHIBITED"


def test_another_government_is_not_reached() -> None:
    d = determine("EAR99", "CO", IN_FORCE, end_user_type="government")
    assert d.outcome.value == "NLR"


def test_the_batch_gives_the_same_answer() -> None:
    lines = pl.DataFrame({"item": ["EAR99", "EAR99"], "destination": ["VE", "VE"],
                          "date": [IN_FORCE.isoformat()] * 2,
                          "end_user_type": ["government", "civil"]})
    out = determine_frame(lines)
    assert out["outcome"].to_list() == ["PROHIBITED", "NLR"]
