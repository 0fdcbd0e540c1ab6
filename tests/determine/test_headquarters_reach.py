"""From 17 Nov 2023 the advanced-computing licence requirement also reaches an entity
headquartered in Macau or Country Group D:5 (or whose ultimate parent is), wherever it is: a
Chinese group's Malaysian subsidiary needs the licence its parent would. The order line's
stated headquarters decides; none stated, the answer asks for it."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck import determine, determine_frame
from exportcheck.models import TransactionFacts

ON = date(2024, 3, 1)


def _hq(code: str | None) -> TransactionFacts | None:
    return None if code is None else TransactionFacts(headquarters=code)


def test_a_d5_headquarters_brings_the_licence_wherever_the_destination() -> None:
    parent_cn = determine("3A090.a", "MY", ON, facts=_hq("CN"))
    assert (parent_cn.outcome.value, parent_cn.reasons) == ("LICENSE_REQUIRED", ["RS"])
    assert (parent_cn.review_policy or "").startswith("presumption of denial")
    step = next(s for s in parent_cn.trace if s.fired and s.rule.startswith("3A090 RS ->"))
    assert "headquarters CN (as stated) is in Macau or Country Group D:5" in step.detail
    assert determine("3A090.a", "MY", ON, facts=_hq("MO")).outcome.value == "LICENSE_REQUIRED"
    for outside in ("GB", "US", "MY"):
        d = determine("3A090.a", "MY", ON, facts=_hq(outside))
        assert d.outcome.value == "NLR", outside
        assert not [w for w in d.facts_wanted if w.subject == "licence requirement"]


def test_not_stated_the_answer_asks_for_the_headquarters() -> None:
    d = determine("3A090.a", "MY", ON)
    assert d.outcome.value == "NLR"
    (wanted,) = [w for w in d.facts_wanted if w.subject == "licence requirement"]
    assert wanted.exception is None and wanted.fact == "headquarters"
    assert "headquartered in Macau or Country Group D:5, a licence is required" in (
        wanted.condition)
    # a destination the control covers anyway asks for nothing about the requirement
    ae = determine("3A090.a", "AE", ON)
    assert not [w for w in ae.facts_wanted if w.subject == "licence requirement"]


def test_not_before_17_november_2023() -> None:
    before = date(2023, 11, 16)
    d = determine("3A090.a", "MY", before, facts=_hq("CN"))
    assert d.outcome.value == "NLR"
    assert not [w for w in determine("3A090.a", "MY", before).facts_wanted
                if w.subject == "licence requirement"]


def test_the_batch_reads_the_headquarters_column_alike() -> None:
    hqs = ["CN", "", "GB", "MO"]
    frame = pl.DataFrame({"item": ["3A090.a"] * 4, "destination": ["MY"] * 4,
                          "date": [ON.isoformat()] * 4, "headquarters": hqs})
    out = determine_frame(frame)
    for row, hq in zip(out.iter_rows(named=True), hqs, strict=True):
        d = determine("3A090.a", "MY", ON, facts=_hq(hq or None))
        assert row["outcome"] == d.outcome.value, hq
        assert row["review_policy"] == d.review_policy, hq
        assert ("licence requirement: headquarters" in (row["facts_wanted"] or "")) == (
            not hq), hq
