"""15 CFR 746.8(a)(12)(ii): 5A991 commodities, and 5A992.c / 5D992.c commodities and software
"classified in accordance with § 740.17", need no 746.8 licence to or within Russia or Belarus
for civil end users that are wholly owned subsidiaries, branches or sales offices (or joint
ventures) of U.S. companies or of companies headquartered in Country Group A:5 or A:6
((A)-(F)). The stated headquarters decides; none stated, the licence stays and the answer asks
for it. Government and military end users and other items get no exclusion."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck import determine, determine_frame
from exportcheck.models import Determination, TransactionFacts

ON = date(2025, 6, 1)


def _hq(code: str | None) -> TransactionFacts | None:
    return None if code is None else TransactionFacts(headquarters=code)


def _row_746_8(d: Determination) -> list[str]:
    return [r.citation for r in d.requirements if r.citation.startswith("15 CFR 746.8")]


def test_a_civil_end_user_headquartered_in_a5_a6_or_the_us_needs_no_746_8_licence() -> None:
    for item, dest, hq in (("5A992.c", "RU", "DE"), ("5D992.c", "RU", "US"),
                           ("5A991", "BY", "JP"), ("5A991.b", "RU", "SG"),
                           ("5A992.c", "BY", "DE")):
        d = determine(item, dest, ON, facts=_hq(hq))
        assert d.outcome.value == "NLR", (item, dest, hq, d.requirements)
        assert not _row_746_8(d)
        step = next(s for s in d.trace if s.rule.startswith("746.8"))
        assert not step.fired
        assert "746.8(a)(12)(ii)" in step.detail and f"headquarters {hq}" in step.detail
        # what the exporter must still confirm: the end user's form, and the 740.17 review
        assert "wholly owned" in step.detail, step.detail
        if item.startswith(("5A992", "5D992")):
            assert "740.17" in step.detail
        assert not [w for w in d.facts_wanted if w.subject == "licence requirement"]
        # the exclusion's start date is not established: the answer says what it rests on
        assert any("746.8(a)(12)(ii)" in c and "not established" in c for c in d.caveats)


def test_a_headquarters_outside_a5_a6_keeps_the_licence() -> None:
    d = determine("5A992.c", "RU", ON, facts=_hq("CN"))
    assert d.outcome.value == "LICENSE_REQUIRED" and _row_746_8(d)


def test_not_stated_the_licence_stays_and_the_answer_asks_for_the_headquarters() -> None:
    d = determine("5A992.c", "RU", ON)
    assert d.outcome.value == "LICENSE_REQUIRED" and _row_746_8(d)
    (wanted,) = [w for w in d.facts_wanted if w.subject == "licence requirement"]
    assert wanted.exception is None and wanted.fact == "headquarters"
    assert "746.8(a)(12)(ii)" in wanted.condition and "A:5" in wanted.condition


def test_government_and_military_end_users_get_no_exclusion() -> None:
    for utype in ("military", "government"):
        d = determine("5A992.c", "RU", ON, end_user_type=utype, facts=_hq("DE"))
        assert d.outcome.value == "LICENSE_REQUIRED" and _row_746_8(d), utype
        assert not [w for w in d.facts_wanted if w.subject == "licence requirement"]


def test_items_outside_the_exclusion_keep_the_licence() -> None:
    for item in ("5A002.a", "5D002.c.1", "5B991", "4A994"):
        d = determine(item, "RU", ON, facts=_hq("DE"))
        assert d.outcome.value == "LICENSE_REQUIRED" and _row_746_8(d), item
    # 5A992 given without its paragraph may be 5A992.c: applied conservatively, and said
    bare = determine("5A992", "RU", ON, facts=_hq("DE"))
    assert bare.outcome.value == "LICENSE_REQUIRED" and _row_746_8(bare)
    step = next(s for s in bare.trace if s.rule.startswith("746.8") and s.fired)
    assert "may be 5A992.c" in step.detail, step.detail


def test_the_batch_reads_the_headquarters_alike() -> None:
    hqs = ["DE", "", "CN", "US"]
    frame = pl.DataFrame({"item": ["5A992.c"] * 4, "destination": ["RU"] * 4,
                          "date": [ON.isoformat()] * 4, "headquarters": hqs})
    out = determine_frame(frame)
    for row, hq in zip(out.iter_rows(named=True), hqs, strict=True):
        d = determine("5A992.c", "RU", ON, facts=_hq(hq or None))
        assert row["outcome"] == d.outcome.value, hq
        assert ("licence requirement: headquarters" in (row["facts_wanted"] or "")) == (
            not hq), hq
    assert [r["outcome"] for r in out.iter_rows(named=True)] == [
        "NLR", "LICENSE_REQUIRED", "LICENSE_REQUIRED", "NLR"]


def test_before_1_november_2024_the_licence_stays_and_the_gap_is_said() -> None:
    """The exclusion is applied from 89 FR 87279 (1 Nov 2024), the edition its text was read
    in: before, a licence (or ENC, not modelled) was needed as far as the rule base knows, and
    the caveat says the exclusion may have begun earlier."""
    before = determine("5A992.c", "RU", date(2024, 10, 31),
                       facts=TransactionFacts(headquarters="DE"))
    assert before.outcome.value == "LICENSE_REQUIRED"
    assert any("746.8(a)(12)(ii)" in c and "ENC" in c for c in before.caveats)
    after = determine("5A992.c", "RU", date(2024, 11, 1),
                      facts=TransactionFacts(headquarters="DE"))
    assert after.outcome.value == "NLR"
