"""Issue #12 points 3-4: review-policy precedence, chart footnotes 2-4, AC history."""

from __future__ import annotations

import csv
import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from exportcheck import determine
from exportcheck.errors import UnknownItem
from exportcheck.models import Determination, TransactionFacts
from exportcheck.rules import schema as s
from exportcheck.rules.loader import BUNDLED
from exportcheck.rules.ruleset import load_ruleset

COUNTRY_CHART = Path(__file__).parents[3] / "shared/data/ear/ecfr_2026-07-23/country-chart.json"


def _steps(d: Determination, start: str) -> list:
    return [st for st in d.trace if st.rule.startswith(start)]


def _policy_rows(d: Determination) -> list[str]:
    return [st.rule.rsplit("row ", 1)[1] for st in _steps(d, "Licence review policy for")]


# --- precedence ----------------------------------------------------------------------------


def test_specificity_weights() -> None:
    """controls > item = country > group = military > chart column > reason default."""
    row = dict(id="x", policy="p", citation="15 CFR 742")
    assert s.ReviewPolicy(reason="NS", **row).specificity == 0
    assert s.ReviewPolicy(reason="RS2", **row).specificity == 1
    assert s.ReviewPolicy(reason="NS", groups=["D:1"], **row).specificity == 2
    assert s.ReviewPolicy(reason="NS", countries=["CN"], military=True, **row).specificity == 6
    assert s.ReviewPolicy(reason="RS", controls=["c"], **row).specificity == 8


def test_country_beats_group_beats_default() -> None:
    on = date(2021, 6, 1)
    assert set(_policy_rows(determine("3A001.b.2", "CN", on))) == {"ns-cn-ru-ve-2020", "rs-general"}
    assert "ns-d1" in _policy_rows(determine("3A001.b.2", "BY", date(2022, 3, 1)))
    assert "ns-general" in _policy_rows(determine("3A001.b.2", "PK", on))


def test_military_row_only_for_military_end_use_or_user() -> None:
    on = date(2021, 6, 1)
    civil = determine("3A001.b.2", "CN", on)
    by_user = determine("3A001.b.2", "CN", on, end_user_type="military")
    by_use = determine("3A001.b.2", "CN", on, end_use="military aircraft maintenance")
    assert "ns-cn-ru-ve-2020-military" not in _policy_rows(civil)
    assert "ns-cn-ru-ve-2020-military" in _policy_rows(by_user)
    assert "ns-cn-ru-ve-2020-military" in _policy_rows(by_use)
    assert "presumption of denial" in (by_user.review_policy or "")


def test_item_row_beats_country_row_600_series() -> None:
    d = determine("9A610.x", "CN", date(2024, 1, 1), value=500, end_user_type="military")
    assert set(_policy_rows(d)) == {"ns-600-d5", "rs-600-d5"}
    assert (d.review_policy or "").startswith("policy of denial")


def test_chart_column_row_beats_reason_row() -> None:
    d = determine("9A515.e.1", "IN", date(2024, 6, 1))
    assert _policy_rows(d) == ["rs-column-2"]


def test_control_row_follows_the_requirement() -> None:
    d = determine("3A090.a", "SA", date(2024, 1, 5))
    assert _policy_rows(d) == ["rs-ac-2023-other"]
    assert _policy_rows(determine("3A090.a", "CN", date(2024, 1, 5))) == ["rs-ac-2023-d5"]


def test_headquarters_row_applies_by_the_stated_headquarters() -> None:
    """742.6(b)(10): entities headquartered in Macau or D:5 get the presumption of denial
    wherever they are; not stated, the answer says the policy turns on it."""
    on = date(2024, 3, 1)
    unknown = determine("3A090.a", "AE", on)
    in_d5 = determine("3A090.a", "AE", on, facts=TransactionFacts(headquarters="CN"))
    outside = determine("3A090.a", "AE", on, facts=TransactionFacts(headquarters="GB"))
    assert _policy_rows(unknown) == _policy_rows(outside) == ["rs-ac-2023-other"]
    assert _policy_rows(in_d5) == ["rs-ac-2023-d5"]
    assert (in_d5.review_policy or "").startswith("presumption of denial")
    assert "headquarters CN as stated" in _steps(in_d5, "Licence review policy for")[0].detail
    wanted = [w for w in unknown.facts_wanted if w.exception is None]
    assert [(w.fact, w.subject) for w in wanted] == [("headquarters", "review policy")]
    assert "presumption of denial" in wanted[0].condition
    assert not [w for w in in_d5.facts_wanted + outside.facts_wanted if w.exception is None]
    # a D:5 destination has the row by its place: nothing turns on the headquarters
    cn = determine("3A090.a", "CN", on)
    assert _policy_rows(cn) == ["rs-ac-2023-d5"]
    assert not [w for w in cn.facts_wanted if w.exception is None]
    # before the 2023 rule the headquarters changed nothing
    old = determine("3A090.a", "AE", date(2023, 3, 1), facts=TransactionFacts(headquarters="CN"))
    assert "rs-ac-2023-d5" not in _policy_rows(old)


def test_headquarters_row_needs_a_place() -> None:
    with pytest.raises(ValidationError, match="headquarters needs countries or groups"):
        s.ReviewPolicy(id="x", reason="RS", policy="p", citation="15 CFR 742", headquarters=True)


def test_rows_change_on_their_dates() -> None:
    before = determine("3A001.b.2", "VE", date(2020, 10, 28))
    after = determine("3A001.b.2", "VE", date(2020, 10, 29))
    assert "ns-d1" in _policy_rows(before) and "ns-cn-ru-ve-2020" in _policy_rows(after)
    # Hong Kong reaches the China row only when it becomes China under the EAR
    assert "ns-general" in _policy_rows(determine("3A001.b.2", "HK", date(2020, 12, 22)))
    assert "ns-cn-ru-ve-2020" in _policy_rows(determine("3A001.b.2", "HK", date(2020, 12, 23)))


def test_trace_names_the_row_with_its_window_and_citation() -> None:
    d = determine("3A001.b.2", "CN", date(2021, 1, 5))
    step = _steps(d, "Licence review policy for 3A001 NS")[0]
    assert step.rule.endswith("row ns-cn-ru-ve-2020") and step.fired
    assert step.effective_from == date(2020, 10, 29) and step.start_date_known
    assert "85 FR 68448" in step.citation
    assert "(15 CFR 742.4(b)(7), as revised by 85 FR 68448" in (d.review_policy or "")


def test_unsure_rows_say_so_in_the_trace() -> None:
    d = determine("3A090.a", "SA", date(2024, 1, 5))
    assert "UNSURE" in _steps(d, "Licence review policy for")[0].detail


def test_tie_goes_to_the_later_row(tmp_path: Path) -> None:
    text = (BUNDLED / "review_policies.yaml").read_text(encoding="utf-8")
    extra = (
        '  - {id: tie-first, reason: NS, countries: [PK], policy: "first", citation: "test"}\n'
        '  - {id: tie-second, reason: NS, countries: [PK], policy: "second", citation: "test"}\n'
    )
    (tmp_path / "review_policies.yaml").write_text(text + extra, encoding="utf-8")
    rs = load_ruleset(tmp_path)
    d = determine("3A001.b.2", "PK", date(2024, 6, 1), ruleset=rs)
    assert set(_policy_rows(d)) >= {"tie-second"} and "tie-first" not in _policy_rows(d)


def test_every_row_has_an_id_a_citation_and_a_mark() -> None:
    rows = load_ruleset().rows("review_policies")
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids)) and len(rows) >= 30
    for r in rows:
        assert r.citation.startswith(("15 CFR", "BIS")), r.id
        if r.note:
            assert "[src" in r.note or "UNSURE" in r.note, r.id


# --- chart footnotes 2-4 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("item", "dest", "fn"),
    [("6A003.b.4.b", "AL", "fn. 2"), ("0A919", "DE", "fn. 3"), ("6A003.b.4.b", "AT", "fn. 4")],
)
def test_note_footnotes_explain_and_add_nothing(item: str, dest: str, fn: str) -> None:
    d = determine(item, dest, date(2024, 6, 1))
    steps = _steps(d, f"738 Supp. 1 {fn}")
    assert len(steps) == 1 and not steps[0].fired
    assert "adds no requirement" in steps[0].detail
    assert all(not r.startswith("738") for r in d.reasons)


def test_note_footnotes_stay_silent_for_other_items() -> None:
    d = determine("3A001.b.2", "DE", date(2024, 6, 1))
    assert not _steps(d, "738 Supp. 1 fn. 3")


def test_requirement_footnote_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        s.ChartFootnote(id="f", destinations=["GB"], eccns=["0A501"], text="t", citation="15 CFR")
    note = s.ChartFootnote(
        id="f", kind="note", destinations=["GB"], eccns=["0A501"], text="t", citation="15 CFR"
    )
    assert note.reason is None


@pytest.mark.skipif(not COUNTRY_CHART.exists(), reason="shared eCFR snapshot not present")
def test_footnote_rows_match_the_printed_chart() -> None:
    chart = json.loads(COUNTRY_CHART.read_text(encoding="utf-8"))["countries"]
    with (BUNDLED / "destinations.csv").open(encoding="utf-8") as fh:
        by_name = {r["chart_name"] or r["name"]: r["code"] for r in csv.DictReader(fh)}
    footnotes = {f.id: f for f in load_ruleset().rows("chart_footnotes")}
    for n in (2, 3, 4, 7, 10):
        printed = {by_name[name] for name, row in chart.items() if n in row["footnotes"]}
        assert set(footnotes[f"738 Supp. 1 fn. {n}"].destinations) == printed, n


# --- advanced-computing history --------------------------------------------------------------


def test_entries_and_paragraphs_start_on_their_effective_dates() -> None:
    with pytest.raises(UnknownItem):
        determine("4A090", "CN", date(2022, 10, 20))
    assert determine("4A090", "CN", date(2022, 10, 21)).reasons == ["RS"]
    with pytest.raises(UnknownItem, match="2024-12-02"):
        determine("3A090.c", "CN", date(2024, 12, 1))


def test_rs_control_windows_are_contiguous() -> None:
    for cid in ("rs_ai_worldwide", "rs_ai_uae_d1_d4_d5"):
        rows = sorted(
            (r for r in load_ruleset().rows("special_controls") if r.id == cid),
            key=lambda r: r.start,
        )
        for a, b in itertools.pairwise(rows):
            assert a.effective_to is not None and a.effective_to + timedelta(days=1) == b.start


def test_fdp_note_for_china_and_macau_only() -> None:
    cn = determine("3A090.a", "CN", date(2024, 1, 5))
    assert [st.rule for st in _steps(cn, "734.9(h)")] == [
        "734.9(h) advanced computing FDP (Macau, D:5) (foreign direct product rule)"
    ]
    first = determine("3A090.a", "CN", date(2022, 11, 1))
    assert _steps(first, "734.9(h) advanced computing FDP (China)")
    assert not _steps(determine("3A090.a", "SA", date(2024, 1, 5)), "734.9")


def test_ai_diffusion_non_enforcement_note_for_added_destinations_only() -> None:
    june = date(2025, 6, 1)
    assert _steps(determine("3A090.a", "DE", june), "AI diffusion rule not enforced")
    assert not _steps(determine("3A090.a", "VN", june), "AI diffusion rule not enforced")
    assert not _steps(determine("3A090.a", "CN", june), "AI diffusion rule not enforced")
    assert not _steps(determine("3A090.a", "DE", date(2025, 5, 12)), "AI diffusion rule")
    # the requirement stays as the CFR states it
    assert determine("3A090.a", "DE", june).outcome.value == "LICENSE_REQUIRED"
