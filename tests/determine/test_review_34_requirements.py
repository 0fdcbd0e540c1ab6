"""Review 34: two hits on one list gave the same requirement twice.

"Huawei Technologies" matches two Entity List entries of the bundled sample (Huawei Technology,
and Huawei Technologies Co., Ltd.); each imposed 744.11's requirement, and the answer's
``requirements`` carried two identical EL rows, which the Check page listed as two reasons for
control. Each requirement is now given once; the two entries stay in the screening hits and
the trace, and the batch columns say what they said.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine, determine_frame
from exportcheck.screen import Screener

ON = date(2024, 3, 1)
HUAWEI = "Huawei Technologies"


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener.from_samples()


def _keys(d) -> list[tuple]:
    return [tuple(r.model_dump().values()) for r in d.requirements]


def test_two_entity_list_entries_give_one_requirement_and_stay_two_hits(
        screener: Screener) -> None:
    d = determine("EAR99", "CN", ON, end_user=HUAWEI, screener=screener)
    entries = {h.entry_id for h in d.screening_hits if h.list == "EL"}
    assert len(entries) == 2  # the premise: two entries of one list
    assert d.outcome.value == "LICENSE_REQUIRED" and d.reasons == ["EL"]
    assert [(r.reason, r.rule) for r in d.requirements] == [("EL", "Entity List")]
    fired = [s.detail for s in d.trace if s.fired and "Entity List" in s.rule]
    assert all(any(e in detail for detail in fired) for e in entries)  # both entries in the trace


def test_distinct_requirements_are_all_kept_once(screener: Screener) -> None:
    """A controlled item to the same end user: the Country Chart's requirement and the
    Entity List's both stay, each once, in the order the rules applied them."""
    d = determine("3A001.a.2", "CN", ON, end_user=HUAWEI, screener=screener)
    keys = _keys(d)
    assert len(keys) == len(set(keys))
    reasons = [r.reason for r in d.requirements]
    assert reasons.count("EL") == 1 and len(set(reasons)) >= 2
    assert list(dict.fromkeys(reasons)) == d.reasons


def test_the_batch_answer_is_unchanged(screener: Screener) -> None:
    lines = pl.DataFrame({"item": ["EAR99", "3A001.a.2"], "destination": ["CN", "CN"],
                          "date": [ON.isoformat()] * 2, "end_user": [HUAWEI, HUAWEI]})
    out = determine_frame(lines, screener=screener)
    for row in out.iter_rows(named=True):
        d = determine(row["item"], "CN", ON, end_user=HUAWEI, screener=screener)
        assert row["outcome"] == d.outcome.value
        assert row["reasons"] == ",".join(d.reasons)
        assert row["review_policy"] == d.review_policy
