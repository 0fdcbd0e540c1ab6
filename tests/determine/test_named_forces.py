"""An end user whose name is a national armed force is a military end user (744.21(g)), in
the scalar and the batch path alike, whatever end-user type the order line states."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine
from exportcheck.determine.batch import determine_frame
from exportcheck.determine.parties import armed_force_name
from exportcheck.models import Outcome

NAMES = {
    "People's Liberation Army": True,
    "PLA Rocket Force Unit 96711": True,
    "Ministry of National Defense": True,
    "Hong Kong Garrison Navy Depot": True,
    "Salvation Army Hong Kong": False,
    "Pla Plastics Co": False,  # the acronym counts only in capitals
    "Acme Trading Ltd": False,
}


@pytest.mark.parametrize(("name", "force"), NAMES.items())
def test_armed_force_names(name: str, force: bool) -> None:
    assert (armed_force_name(name) is not None) is force


def test_named_force_triggers_the_military_end_user_rule() -> None:
    # 3A991 is in Supp. 2 to Part 744 from 29 Jun 2020 (85 FR 23459); the line says "civil"
    d = determine("3A991", "CN", date(2020, 6, 29), end_user="People's Liberation Army")
    assert d.outcome is Outcome.LICENSE_REQUIRED and "MEU" in d.reasons
    step = next(s for s in d.trace if s.rule == "End-user type")
    assert "744.21(g)" in step.citation and "not civil as stated" in step.detail
    plain = determine("3A991", "CN", date(2020, 6, 29), end_user="Salvation Army Hong Kong")
    assert plain.outcome is Outcome.NLR


def test_batch_agrees_with_the_scalar_path() -> None:
    names = list(NAMES)
    df = pl.DataFrame(
        {
            "item": ["3A991"] * len(names),
            "destination": ["CN"] * len(names),
            "date": ["2020-06-29"] * len(names),
            "end_user": names,
        }
    )
    got = determine_frame(df, screener=None)["outcome"].to_list()
    want = [
        determine("3A991", "CN", date(2020, 6, 29), end_user=n, screener=None).outcome.value
        for n in names
    ]
    assert got == want
    assert got.count("LICENSE_REQUIRED") == sum(NAMES.values())
