"""An item classified less far than the paragraph a control line names may be in it: the line
is applied conservatively, and the answer says what it would be outside (15 CFR 738.4 takes a
control to the paragraph it names; the classification decides)."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck import determine, determine_frame

ON = date(2024, 1, 1)


def _fired(d, start: str) -> list[str]:
    return [s.detail for s in d.trace if s.fired and s.rule.startswith(start)]


def test_a_parent_paragraph_gets_the_lines_of_its_sub_paragraphs() -> None:
    # MT applies to 3A001.a.1.a (among others); Germany has an X in MT1
    full = determine("3A001.a.1.a", "DE", ON)
    for item in ("3A001.a", "3A001.a.1"):
        d = determine(item, "DE", ON)
        assert (d.outcome.value, d.reasons) == (full.outcome.value, full.reasons) == (
            "LICENSE_REQUIRED", ["MT1"])
        assert any("not classified as far as" in t for t in _fired(d, "3A001 MT"))
        # ...and says what it would be if the item is none of them
        assert d.if_out_of_scope is not None and d.if_out_of_scope.outcome.value == "NLR"
        assert any(line.startswith("3A001 MT") for line in d.if_out_of_scope.lines)
    assert full.if_out_of_scope is None
    # a sibling the line does not name is outside it
    assert determine("3A001.c", "DE", ON).outcome.value == "NLR"


def test_an_exception_the_entry_denies_a_sub_paragraph_is_not_offered() -> None:
    # LVS is N/A for MT: 3A001.a may be MT-controlled; STA may not ship 3A001.b.2 or b.3
    lvs = determine("3A001.a", "HK", date(2020, 6, 29), value=1000)
    assert "LVS" not in [e.symbol for e in lvs.license_exceptions]
    assert lvs.if_out_of_scope is not None
    assert "LVS" in [e.symbol for e in determine("3A001.a.2", "HK", date(2020, 6, 29),
                                                  value=1000).license_exceptions]
    sta = determine("3A001.b", "DE", ON)
    assert "STA" not in [e.symbol for e in sta.license_exceptions]
    assert any("3A001.b is not classified as far as 3A001.b.2" in s.detail for s in sta.trace
               if s.rule == "License Exception STA")


def test_the_batch_answers_as_check() -> None:
    items = ["3A001.a", "3A001.a.1", "3A001.a.1.a", "3A001.c", "3A001.b", "3A001.b.2",
             "3A001", "9A515.e", "9A515.e.1"]
    frame = pl.DataFrame({"item": items, "destination": ["DE"] * len(items),
                          "date": [ON.isoformat()] * len(items)})
    out = determine_frame(frame)
    for row in out.iter_rows(named=True):
        d = determine(row["item"], "DE", ON)
        assert row["outcome"] == d.outcome.value, row["item"]
        assert row["reasons"] == ",".join(d.reasons), row["item"]
        assert bool(row["if_out_of_scope"]) == (d.if_out_of_scope is not None), row["item"]
