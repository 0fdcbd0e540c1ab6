"""Impact analysis: exact changes and causes, agreement with determine(), money, lists, ledger."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import polars as pl
import pytest

from exportcheck import determine
from exportcheck.errors import ExportCheckError, InvalidInput
from exportcheck.impact import impact
from exportcheck.screen.parsers import load_paths
from exportcheck.screen.service import SAMPLES_DIR, Screener

D0, D1, D2 = date(2020, 6, 29), date(2020, 7, 15), date(2021, 1, 15)
LISTED = "Centre Bright Electronics Company Limited"


def hand_portfolio() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_id": ["A1", "A2", "A3", "A4", "A5", "A6", "A7"],
            "customer": ["Kowloon Avionics", "HK Aero", "PLA Garrison", "HK Police", "Shop",
                         "Munich GmbH", "Munich GmbH"],
            "item": ["3A001.a.2", "9A610.x", "3A991.b", "USML:XI", "EAR99", "3A001.a.2",
                     "USML:XI"],
            "destination": ["HK", "HK", "HK", "HK", "HK", "DE", "DE"],
            "value": [1200.0, 1500.0, 900.0, 100000.0, 50.0, 1200.0, 70000.0],
            "end_user_type": ["civil", "civil", "military", "government", "civil", "civil",
                              "government"],
        }
    )


def _causes(r) -> dict[str, str]:
    return dict(zip(r.lines["order_id"], r.lines["cause"], strict=True))


def test_hk_first_action_exact_changes_and_causes() -> None:
    """29 Jun → 15 Jul 2020: LVS/GBS suspended for HK (740.2(a)(23)), USML to 126.1(d)(1)."""
    r = impact(hand_portfolio(), D0, D1)
    lines = r.lines
    changed = set(lines.filter(pl.col("changed"))["order_id"])
    assert changed == {"A1", "A2", "A4"}
    causes = _causes(r)
    for oid in ("A1", "A2"):
        assert "no longer: License Exception LVS" in causes[oid]
        assert "15 CFR 740.2(a)(23), added by 85 FR 45998" in causes[oid]
    assert "HK determined as CN under the ITAR" in causes["A4"]
    assert "in force from 2020-06-30" in causes["A4"]
    assert "22 CFR 126.1(d)(1)" in causes["A4"]
    for oid in ("A3", "A5", "A6", "A7"):
        assert causes[oid] == ""
    row = lines.filter(pl.col("order_id") == "A1").row(0, named=True)
    assert (row["old_outcome"], row["new_outcome"]) == ("EXCEPTION_AVAILABLE", "LICENSE_REQUIRED")
    # STA too before 30 Jun 2020: Hong Kong was in Country Group A:6 (740.20(c)(2))
    assert (row["old_exceptions"], row["new_exceptions"]) == ("LVS,GBS,STA", "")
    a4 = lines.filter(pl.col("order_id") == "A4").row(0, named=True)
    assert (a4["old_review_policy"], a4["new_review_policy"]) == ("case-by-case",
                                                                 "policy of denial")


def test_hk_removal_exact_causes() -> None:
    """29 Jun 2020 → 15 Jan 2021: HK determined as CN (85 FR 83765), MEU rule reaches HK."""
    r = impact(hand_portfolio(), D0, D2)
    causes = _causes(r)
    assert set(r.lines.filter(pl.col("changed"))["order_id"]) == {"A1", "A2", "A3", "A4"}
    # A1 and A2 lost LVS (and GBS) on 30 Jun 2020 (740.2(a)(23)): that is their first change,
    # and 23 Dec 2020 (China's review policy) a later one, told after it
    for oid in ("A1", "A2"):
        assert causes[oid].startswith("no longer: License Exception ")
        assert "15 CFR 740.2(a)(23), added by 85 FR 45998" in causes[oid].split(" | then on ")[0]
        assert "then on 2020-12-23: now: HK determined as CN under the EAR (85 FR 83765" in (
            causes[oid])
    assert causes["A3"].startswith("now: HK determined as CN under the EAR (85 FR 83765")
    assert "in force from 2020-12-23" in causes["A3"]
    assert "744.21" in causes["A3"] and "end user is military" in causes["A3"]
    a3 = r.lines.filter(pl.col("order_id") == "A3").row(0, named=True)
    assert (a3["old_outcome"], a3["new_outcome"], a3["new_reasons"]) == (
        "NLR", "LICENSE_REQUIRED", "MEU")
    # the timeline names the events, and credits each changed line to its first change
    events = {(e.on, e.rule): e for e in r.summary.events}
    alias = events[(date(2020, 12, 23), "HK determined as CN (EAR)")]
    assert alias.citation.startswith("85 FR 83765") and alias.lines == 1
    assert alias.value == pytest.approx(900)
    suspended = [e for e in r.summary.events if e.citation.startswith("15 CFR 740.2(a)(23)")]
    assert [(e.on, e.change, e.lines) for e in suspended if e.lines] == [
        (date(2020, 6, 30), "added", 2)]
    assert all(e.on > D0 and e.on <= D2 for e in r.summary.events)
    assert not any("DE" in e.rule.split(":")[0] for e in r.summary.events)


def test_the_timeline_credits_only_the_events_that_changed_lines() -> None:
    """A rule sharing another's citation (742.4(b)(7)'s military row, for civil end users) or
    merely in force in a new version on the new date (GBS of 14 Jan 2021, while HK's lines lost
    GBS to 85 FR 83765) is credited with no line; 740.2(a)(23), the reason LVS is given as gone,
    is credited with the lines it changed."""
    r = impact(hand_portfolio(), D0, D2)
    credited = {e.rule: e.lines for e in r.summary.events if e.lines}
    assert not any("military" in rule for rule in credited), credited
    assert not any(rule.startswith("License Exception") for rule in credited), credited
    for oid, cause in _causes(r).items():
        if "no longer: License Exception GBS" in cause:
            assert "in force from 2021-01-14" not in cause, (oid, cause)
    first = {e.rule: e.lines for e in impact(hand_portfolio(), D0, D1).summary.events}
    assert first[next(k for k in first if k.startswith("740.2(a)(23)"))] == 2


def test_unchanged_when_the_dates_are_equal() -> None:
    r = impact(hand_portfolio(), D1, D1)
    assert not r.lines["changed"].any()
    assert (r.lines["cause"] == "").all()
    assert r.summary.events == [] and r.summary.totals.value_changed == 0


def _generated(n: int, seed: int) -> pl.DataFrame:
    from exportcheck.impact.portfolio import generate

    return generate(n, seed=seed)


@pytest.mark.parametrize(("d_old", "d_new"), [(D0, D2), (date(2023, 11, 1), date(2024, 6, 1))])
def test_row_for_row_equal_to_determine(d_old: date, d_new: date) -> None:
    """Each line's two outcomes equal the scalar determine() on each date, screening included."""
    frame = _generated(600, seed=7)
    screener = Screener.from_samples()
    r = impact(frame, d_old, d_new, screener=screener)
    assert r.lines.height == frame.height
    assert r.lines["line"].to_list() == list(range(1, frame.height + 1))
    assert r.lines["order_id"].to_list() == frame["order_id"].to_list()
    for src, got in zip(frame.iter_rows(named=True), r.lines.iter_rows(named=True), strict=True):
        for side, on in (("old", d_old), ("new", d_new)):
            try:
                d = determine(src["item"], src["destination"], on, value=src["value"],
                              quantity=src["quantity"], end_user=src["end_user"],
                              end_user_type=src["end_user_type"], end_use=src["end_use"],
                              screener=screener)
            except ExportCheckError:
                assert got[f"{side}_outcome"] is None and got[f"{side}_error"]
                continue
            assert got[f"{side}_outcome"] == d.outcome.value, (side, src)
            assert got[f"{side}_reasons"] == ",".join(d.reasons), (side, src)
            assert got[f"{side}_exceptions"] == ",".join(e.symbol for e in d.license_exceptions)
            assert got[f"{side}_review_policy"] == d.review_policy
        assert got["changed"] == (got["cause"] != "")


def test_money_reconciles_with_the_input() -> None:
    frame = _generated(3000, seed=11)
    r = impact(frame, D0, D2)
    s = r.summary
    total = frame["value"].sum()
    assert s.totals.value == pytest.approx(total, abs=0.01)
    assert s.totals.lines == frame.height
    assert sum(t.value for t in s.totals.transitions) == pytest.approx(total, abs=0.05)
    assert sum(t.lines for t in s.totals.transitions) == frame.height
    changed_value = r.lines.filter(pl.col("changed"))["value"].sum()
    assert s.totals.value_changed == pytest.approx(changed_value, abs=0.01)
    assert s.totals.changed_lines > 0
    for table in (s.by_destination, s.by_category, s.by_agency, s.by_customer):
        assert sum(b.lines for b in table) == frame.height
        assert sum(b.value for b in table) == pytest.approx(total, abs=0.5)
        assert sum(b.value_changed for b in table) == pytest.approx(changed_value, abs=0.5)
    hk = next(b for b in s.by_destination if b.key == "HK")
    assert hk.changed_lines == r.lines.filter(
        (pl.col("destination") == "HK") & pl.col("changed")).height


def test_currency_conversion_and_date_column_ignored() -> None:
    frame = hand_portfolio().with_columns(
        pl.Series("currency", ["EUR", "USD", "usd", "EUR", None, "EUR", "USD"]),
        pl.lit("2019-05-05").alias("date"),
    )
    with pytest.raises(InvalidInput, match="no rate is given for EUR"):
        impact(frame, D0, D1)
    r = impact(frame, D0, D1, rates={"EUR": 5.0})
    # 1,200 EUR = 6,000 USD: above the 3A001 LVS limit of $5,000, so no LVS on the old date
    a1 = r.lines.filter(pl.col("order_id") == "A1").row(0, named=True)
    assert a1["value"] == 6000.0 and a1["value_in_currency"] == "1200.0"
    assert a1["old_exceptions"] == "GBS,STA"  # STA (c)(2): HK in A:6 then
    assert any("'date' ignored" in n for n in r.summary.notes)
    assert any("1 EUR = 5.0 USD" in n for n in r.summary.notes)


def test_bad_lines_get_an_error_column() -> None:
    frame = pl.DataFrame({"item": ["3A001.a.2", "", "9Z999", "3A991"],
                          "destination": ["HK", "HK", "HK", None],
                          "value": ["10", "5", "1", "abc"]})
    r = impact(frame, D0, D2)
    errors = r.lines["error"].to_list()
    assert errors[0] is None
    assert errors[1].startswith("item classification is empty")
    assert "9Z999" in errors[2]
    assert errors[3].startswith("destination is empty")
    assert r.summary.totals.errors == 3
    assert r.lines["changed"].to_list() == [True, False, False, False]


def test_a_refused_value_is_no_money() -> None:
    """An infinite, not-a-number or negative value is the line's error and adds nothing to the
    totals (a value of 1e400 made every total NaN and the web page fail)."""
    frame = pl.DataFrame({"item": ["3A001.a.2"] * 5, "destination": ["HK"] * 5,
                          "value": ["1e400", "100", "inf", "-5", "nan"]})
    r = impact(frame, D0, D2)
    assert [e is not None for e in r.lines["error"].to_list()] == [True, False, True, True, True]
    assert r.lines["value"].to_list() == [None, 100.0, None, None, None]
    totals = r.summary.totals
    assert totals.value == 100.0 and totals.errors == 4
    assert all(math.isfinite(t.value) for t in totals.transitions)
    assert "NaN" not in r.summary.model_dump_json()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        # review 17 L16: the API's own parameter names, not the CLI's flags
        ({"from_date": D2, "to_date": D0},
         f"^from_date {D2.isoformat()} is after to_date {D0.isoformat()}"),
        ({"from_date": date(2018, 12, 31), "to_date": D0}, "before the rule base starts"),
        ({"from_date": D0}, r"give both dates \(from_date and to_date\)"),
        ({}, "nothing to compare: give from_date/to_date"),
        ({"from_date": D0, "to_date": D1, "on": D1}, "^on is for list comparisons alone"),
        ({"from_screener": object()}, r"\(from_screener and to_screener\)"),
    ],
)
def test_bad_arguments(kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as err:
        impact(hand_portfolio(), **kwargs)
    assert "--" not in str(err.value)


def test_missing_item_column() -> None:
    with pytest.raises(InvalidInput, match="'item' column"):
        impact(hand_portfolio().drop("item"), D0, D1)


def _without(listed: str) -> Screener:
    lists = [dataclasses.replace(pl_, entries=[e for e in pl_.entries if e.name != listed],
                                 content_hash=pl_.content_hash + "-old")
             for pl_ in load_paths([SAMPLES_DIR])]
    return Screener(lists)


def test_list_release_change_names_the_entry() -> None:
    old, new = _without(LISTED), Screener.from_samples()
    frame = pl.DataFrame({"order_id": ["L1", "L2"], "item": ["EAR99", "EAR99"],
                          "destination": ["HK", "HK"], "value": [900.0, 100.0],
                          "end_user": [LISTED, "Harbour Florists Ltd"]})
    r = impact(frame, on=D2, from_screener=old, to_screener=new,
               parties=[(LISTED, "HK"), ("Harbour Florists Ltd", "HK")])
    assert r.summary.mode == "lists"
    assert r.summary.old.lists_version != r.summary.new.lists_version
    l1, l2 = r.lines.iter_rows(named=True)
    assert (l1["old_outcome"], l1["new_outcome"]) == ("NLR", "LICENSE_REQUIRED")
    assert l1["cause"].startswith("list entry now matched: EL entry")
    assert LISTED in l1["cause"]
    assert not l2["changed"]
    p = r.summary.parties
    assert p is not None and p.parties == 2 and p.newly_hit == 1 and p.cleared == 0
    assert p.rows[0].party == LISTED and p.rows[0].list == "EL"


def test_licences_made_unusable(tmp_path) -> None:
    from exportcheck.ledger import Ledger, seed

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    seed.seed(Ledger(url))
    r = impact(hand_portfolio(), D0, D2, database_url=url)
    lic = r.summary.licences
    assert lic is not None and lic.hit >= 1
    assert lic.unusable_value == pytest.approx(1_000_000, abs=0.01)
    assert all(x.status_new == "suspended" and x.cause.startswith("suspended from 2020-06-30")
               for x in lic.rows)
    assert math.isclose(sum(x.remaining_value for x in lic.rows), lic.unusable_value)


def test_rules_and_lists_together() -> None:
    frame = pl.DataFrame({"order_id": ["B1", "B2"], "item": ["EAR99", "3A001.a.2"],
                          "destination": ["HK", "HK"], "value": [900.0, 1200.0],
                          "end_user": [LISTED, "Kowloon Avionics Ltd"]})
    r = impact(frame, D0, D2, from_screener=_without(LISTED), to_screener=Screener.from_samples())
    assert r.summary.mode == "rules+lists"
    b1, b2 = r.lines.iter_rows(named=True)
    assert b1["new_reasons"] == "EL" and "list entry now matched: EL entry" in b1["cause"]
    assert "85 FR 83765" in b2["cause"] and "list entry" not in b2["cause"]


def test_a_change_that_turns_on_a_stated_fact_has_its_cause() -> None:
    """3A090.a to Malaysia for an end user headquartered in China needs a licence from 17 Nov
    2023: the cause is found with the line's stated headquarters (not re-determined without
    it, which changed nothing and left the cause blank), and is credited to the rule event."""
    lines = pl.DataFrame({"item": ["3A090.a"] * 2, "destination": ["MY"] * 2,
                          "value": [1000.0, 1000.0], "headquarters": ["CN", "MY"]})
    r = impact(lines, date(2023, 11, 1), date(2023, 11, 20))
    assert r.lines["changed"].to_list() == [True, False]
    cause = r.lines["cause"][0]
    assert "headquarters CN" in cause and "in force from 2023-11-17" in cause
    assert any(e.lines == 1 and "88 FR 73458" in e.citation for e in r.summary.events)


def test_a_line_newly_held_by_a_list_release_names_the_entry() -> None:
    """A near spelling of a newly listed name is a potential match: the answer does not change
    (the line is held, counted apart), but its cause names the entry that holds it."""
    old, new = _without(LISTED), Screener.from_samples()
    frame = pl.DataFrame({"item": ["EAR99"], "destination": ["HK"], "value": [700.0],
                          "end_user": ["Center Bright Electronics Company Limited"]})
    r = impact(frame, on=D2, from_screener=old, to_screener=new)
    row = r.lines.row(0, named=True)
    assert (row["changed"], row["old_hold"], row["new_hold"]) == (False, False, True)
    assert row["cause"].startswith("list entry now matched: EL entry")
    assert r.summary.totals.held_new == 1 and r.summary.totals.value_held == 700.0


def test_the_list_entries_that_made_a_difference_are_summarised() -> None:
    """summary.json's ``list_changes`` (and the report's table of them) name each entry with
    the lines and money it reached: it was always empty."""
    old, new = _without(LISTED), Screener.from_samples()
    frame = pl.DataFrame({"item": ["EAR99"] * 3, "destination": ["HK"] * 3,
                          "value": [900.0, 700.0, 100.0],
                          "end_user": [LISTED, "Center Bright Electronics Company Limited",
                                       "Harbour Florists Ltd"]})
    r = impact(frame, on=D2, from_screener=old, to_screener=new)
    (change,) = r.summary.list_changes
    assert (change.list, change.change, change.matched_name) == ("EL", "added", LISTED)
    assert (change.lines, change.value) == (2, 1600.0)  # the listed line and the held one
    assert impact(frame, D0, D2).summary.list_changes == []


def test_changed_lines_without_a_value_are_counted_apart() -> None:
    """A changed line with no value adds $0 to the money changed: the totals say how many such
    lines the money leaves out, so $1,200 is not read as the whole of the change."""
    lines = pl.DataFrame({"item": ["3A001.a.2", "USML:XI", "3A001.a.2"],
                          "destination": ["HK", "HK", "DE"], "value": [1200.0, None, None]})
    t = impact(lines, D0, D2).summary.totals
    assert (t.changed_lines, t.value_changed, t.changed_without_value) == (2, 1200.0, 1)


def test_a_usd_line_is_not_rounded_because_another_line_is_in_another_currency() -> None:
    """A USD value is compared as given: $1,500.004 of 9A610.x is above its LVS limit of
    $1,500 a shipment (15 CFR 740.3(a)(1), the ECCN's LVS paragraph), so LVS is not offered.
    When another line of the file was in EUR, every line (USD ones at a rate of 1) was rounded
    to cents, $1,500.004 became $1,500.00 and the same USD line got LVS: a line's answer and
    money depended on the currency of another line."""
    lines = {"item": ["9A610.x", "EAR99"], "destination": ["HK", "DE"],
             "value": ["1500.004", "10"]}
    alone = impact(pl.DataFrame(lines | {"currency": ["USD", "USD"]}), date(2020, 6, 1), D0)
    mixed = impact(pl.DataFrame(lines | {"currency": ["USD", "EUR"]}), date(2020, 6, 1), D0,
                   rates={"EUR": 1.1})
    for r in (alone, mixed):
        row = r.lines.row(0, named=True)
        assert row["value"] == 1500.004
        assert (row["old_outcome"], row["old_exceptions"]) == ("LICENSE_REQUIRED", "")
    assert mixed.lines["value"][1] == 11.0  # the EUR line converted (to cents)


def test_two_identical_sides_are_warned_of() -> None:
    """The same date on both sides and the same lists: nothing can change, so "0 changed" says
    nothing of the rule change an officer meant to measure (30 Jun 2020 typed as both --from
    and --to, or one list version on both sides). The run stands (a same-day run is allowed)
    but its summary, console and report say why nothing changed."""
    r = impact(hand_portfolio(), D1, D1)
    assert not r.lines["changed"].any()
    assert any("both sides are the same" in w and "2020-07-15" in w
               for w in r.summary.warnings), r.summary.warnings
    assert not any("both sides are the same" in w
                   for w in impact(hand_portfolio(), D0, D1).summary.warnings)


def test_the_outcome_transitions_are_in_the_same_order_on_every_run() -> None:
    """Transitions are ordered by lines, then money, then outcome: ties of lines (one line each)
    came out in the hash order of a group-by, so the same portfolio stored twice gave two
    different ``summary.json`` (and run summaries through the service): a stored run could not
    be reproduced byte for byte."""
    lines = pl.DataFrame({"item": ["3A001.a.2", "9A610.x", "3A991.b", "3A090.a"],
                          "destination": ["HK", "HK", "MO", "CN"],
                          "value": [1200.5, 1500.0, 10.0, 1000.0]})
    orders = {tuple((t.old_outcome, t.new_outcome, t.lines, t.value)
                    for t in impact(lines, D0, D2).summary.totals.transitions)
              for _ in range(12)}
    assert orders == {(("EXCEPTION_AVAILABLE", "LICENSE_REQUIRED", 2, 2700.5),
                       (None, None, 1, 1000.0), ("NLR", "NLR", 1, 10.0))}


def test_a_unit_price_in_another_currency_is_converted_as_the_line_value() -> None:
    frame = pl.DataFrame({"item": ["3A001.a.2", "EAR99"], "destination": ["HK", "HK"],
                          "quantity": ["10", "5"], "unit_price": ["120", "100"],
                          "currency": ["EUR", None]})
    r = impact(frame, D0, D2, rates={"EUR": 5.0})
    # 10 x 120 EUR = 1,200 EUR = 6,000 USD, the money of a line whose value was given so
    assert r.lines["value"].to_list() == [6000.0, 500.0]
    assert r.summary.totals.value == 6500.0
