"""Periods of unchanged rules per destination and ECCN (rules/relevance.py): a batch decides a
line on the first day of its period, so a rule wrongly judged not to concern an ECCN would
silently change past answers. These tests set the batch against the scalar path on every day a
rule starts or stops, for ECCNs whose periods the relevance rules shortened."""

from __future__ import annotations

import random
from bisect import bisect_right
from datetime import date, timedelta

import polars as pl

from exportcheck import determine, determine_frame
from exportcheck.errors import ExportCheckError
from exportcheck.impact import impact
from exportcheck.rules import load_ruleset
from exportcheck.rules.loader import load_tables
from exportcheck.rules.ruleset import RuleSet
from exportcheck.rules.schema import RULEBASE_START

DESTS = ["DE", "CN", "HK", "MO", "AE", "RU", "BY", "UA", "SD", "SY", "IN", "VN"]


def _eccns(rs) -> list[str]:
    """A sample of the ECCNs a dated rule naming no destination reaches by name, special control
    or reason (advanced computing, firearms, the UN arms embargo...), the ECCNs those rules name,
    and a sample of the others (reached only through the GBS, TSR and LVS their entries grant).
    """
    all_eccns = sorted({e.eccn for e in rs.rows("ccl")})
    rows = [(t, r) for t, r, named, _ in rs._dated_rows()
            if not named and t not in ("ccl", "ownership_rules")
            and not (t == "licence_exceptions" and not r.items)]
    reached = [e for e in all_eccns if any(rs._concerns(e)(t, r) for t, r in rows)]
    rest = [e for e in all_eccns if e not in reached]
    by_name = {p.lstrip("!").split(".")[0] for _, r in rows for p in getattr(r, "items", None)
               or getattr(r, "eccns", None) or ()} & set(all_eccns)
    rnd = random.Random(11)
    # the 744.23 end uses reach every item subject to the EAR (from 17 Nov 2023): few or no
    # ECCNs are left that no dated rule naming no destination reaches
    return sorted(by_name | set(rnd.sample(reached, 40))
                  | set(rnd.sample(rest, min(25, len(rest)))))


def _item(rs, eccn: str) -> str:
    entry = next(e for e in reversed(rs.rows("ccl")) if e.eccn == eccn)
    return eccn + (entry.paragraphs[0] if entry.paragraphs else "")


def test_relevance_shortens_periods_but_keeps_the_item_s_own_changes() -> None:
    rs = load_ruleset()
    everything = rs.epochs_for("DE", None, ownership=False)
    plain = rs.epochs_for("DE", "0A002", ownership=False)
    assert len(plain) < len(everything) // 2
    # the advanced-computing rules of 21 Oct 2022 and 17 Nov 2023 split 3A090's periods, not
    # those of nuclear propulsion equipment (0A002)
    assert {date(2022, 10, 21), date(2023, 11, 17)} <= set(rs.epochs_for("DE", "3A090"))
    assert date(2022, 10, 21) not in plain
    # GBS changed for Ukraine on 28 Dec 2020: an ECCN whose entry grants GBS keeps the day
    gbs = next(e.eccn for e in rs.rows("ccl") if "GBS" in e.exceptions)
    assert date(2020, 12, 28) in rs.epochs_for("DE", gbs)
    # ownership rules (the BIS affiliates rule of 29 Sep 2025) only with an ownership graph
    assert date(2025, 9, 29) in rs.epochs_for("DE", "0A002")
    assert date(2025, 9, 29) not in plain


def test_batch_equals_scalar_on_every_day_a_rule_changes() -> None:
    rs = load_ruleset()
    days = [d for d in rs.epochs if d >= RULEBASE_START]
    rows = []
    for eccn in _eccns(rs):
        item = _item(rs, eccn)
        for dest in DESTS:
            mine = rs.epochs_for(dest, eccn, ownership=False)
            for day in days:
                if day not in mine:  # decided on an earlier day than its own: the risky case
                    rows.append({"item": item, "destination": dest, "date": day.isoformat(),
                                 "value": 100.0, "end_user_type": "military"})
    lines = pl.DataFrame(rows)
    assert lines.height > 10_000
    out = determine_frame(lines, workers=1)
    checked = 0
    for row in out.iter_rows(named=True):
        on = date.fromisoformat(row["date"])
        try:
            d = determine(row["item"], row["destination"], on, value=100.0,
                          end_user_type="military")
        except ExportCheckError:
            assert row["outcome"] is None and row["error"], row
            continue
        expected = (d.outcome.value, ",".join(d.reasons),
                    ",".join(e.symbol for e in d.license_exceptions), d.review_policy,
                    " | ".join(d.caveats) or None,
                    d.if_out_of_scope.outcome.value if d.if_out_of_scope else None)
        got = (row["outcome"], row["reasons"], row["license_exceptions"], row["review_policy"],
               row["caveats"], row["if_out_of_scope"])
        assert got == expected, (row["item"], row["destination"], row["date"])
        checked += 1
    assert checked > 10_000


def _compared(item: str, dest: str, on: date) -> tuple:
    """What impact analysis compares of a determination (not its caveats or trace)."""
    try:
        d = determine(item, dest, on, value=100.0, end_user_type="military")
    except ExportCheckError as exc:
        return ("error", str(exc).replace(on.isoformat(), "<day>"))
    return (d.outcome.value, d.reasons, [e.symbol for e in d.license_exceptions],
            d.review_policy)


def test_answers_only_periods_merge_only_days_that_change_no_answer() -> None:
    """Impact analysis asks for periods of the compared answer only (``caveats=False``): a
    Country Group rule splits them for destinations it ever reached, on the days a version
    says something else of them (GBS for Ukraine on 28 Dec 2020 splits Ukraine's, not
    Germany's); notes and known gaps split nothing. Every day such a period merges away
    gives the answer of the period's first day."""
    rs = load_ruleset()
    gbs = next(e.eccn for e in rs.rows("ccl") if "GBS" in e.exceptions)
    assert date(2020, 12, 28) in rs.epochs_for("UA", gbs, ownership=False, caveats=False)
    assert date(2020, 12, 28) not in rs.epochs_for("DE", gbs, ownership=False, caveats=False)
    assert date(2020, 12, 28) in rs.epochs_for("DE", gbs, ownership=False)  # its caveats
    days = [d for d in rs.epochs if d >= RULEBASE_START]
    eccns = [e for e in _eccns(rs) if rs._reaching(e)]
    assert len(eccns) > 30
    checked = 0
    for eccn in random.Random(5).sample(eccns, 30):
        item = _item(rs, eccn)
        for dest in DESTS:
            full = set(rs.epochs_for(dest, eccn, ownership=False))
            merged = rs.epochs_for(dest, eccn, ownership=False, caveats=False)
            for day in days:
                if day in full and day not in merged:
                    start = merged[bisect_right(merged, day) - 1]
                    assert _compared(item, dest, day) == _compared(item, dest, start), (
                        item, dest, day, start)
                    checked += 1
    assert checked > 500


def test_a_new_version_that_excludes_a_destination_splits_its_periods_only() -> None:
    """A licence exception row replaced by one that excludes Brazil (a made-up 2022 change):
    Brazil's answer-only periods split on that day, Thailand's do not, and impact analysis
    across the day finds Brazil's line changed and Thailand's not, as the scalar path does."""
    tables, version = load_tables(None)
    tables = {k: list(v) for k, v in tables.items()}
    day = date(2022, 1, 3)
    old = next(r for r in tables["licence_exceptions"] if r.symbol == "GBS" and not r.effective_to)
    tables["licence_exceptions"].remove(old)
    tables["licence_exceptions"] += [
        old.model_copy(update={"effective_to": day - timedelta(days=1)}),
        old.model_copy(update={"effective_from": day, "citation": "made-up test row",
                               "exclude_countries": [*old.exclude_countries, "BR"]}),
    ]
    rs = RuleSet(tables, version + "-test")
    assert day in rs.epochs_for("BR", "3B002", ownership=False, caveats=False)
    assert day not in rs.epochs_for("TH", "3B002", ownership=False, caveats=False)
    lines = pl.DataFrame({"item": ["3B002", "3B002"], "destination": ["BR", "TH"],
                          "value": [100_000.0, 100_000.0]})
    r = impact(lines, day - timedelta(days=1), day, ruleset=rs)
    assert r.lines["changed"].to_list() == [True, False]
    for row in r.lines.iter_rows(named=True):
        for side, on in (("old", day - timedelta(days=1)), ("new", day)):
            d = determine(row["item"], row["destination"], on, value=100_000.0, ruleset=rs)
            assert row[f"{side}_exceptions"] == ",".join(e.symbol for e in d.license_exceptions)
            assert row[f"{side}_outcome"] == d.outcome.value
    assert r.lines["old_exceptions"].to_list() == ["GBS", "GBS"]
    assert r.lines["new_exceptions"].to_list() == ["", "GBS"]


def test_rows_that_only_write_notes_split_the_periods_of_destinations_they_reach() -> None:
    """A batch decides untraced, so a row that only writes the trace does not split a period:
    the AI diffusion enforcement note (known start, 13 May 2025) splits no destination's; a
    known gap splits the periods of the destinations it can reach only (CIV until 28 Jun 2020:
    Country Group D:1, Russia and not Germany). On the days merged away the batch gives the
    scalar path's answer, caveats included."""
    rs = load_ruleset()
    assert date(2025, 5, 13) not in rs.epochs_for("DE", "3A001", ownership=False)
    assert date(2020, 6, 29) not in rs.epochs_for("DE", "5A002", ownership=False)
    assert date(2020, 6, 29) in rs.epochs_for("RU", "5A002", ownership=False)
    lines = pl.DataFrame([
        {"item": item, "destination": dest, "date": day.isoformat(), "value": 100.0}
        for item, dest, days in (("3A001.z", "DE", (date(2025, 5, 12), date(2025, 5, 13))),
                                 ("5A002.a", "DE", (date(2020, 6, 28), date(2020, 6, 29))),
                                 ("5A002.a", "RU", (date(2020, 6, 28), date(2020, 6, 29))))
        for day in days])
    for row in determine_frame(lines, workers=1).iter_rows(named=True):
        d = determine(row["item"], row["destination"], date.fromisoformat(row["date"]),
                      value=100.0)
        assert row["caveats"] == (" | ".join(d.caveats) or None), row
        assert (row["outcome"], row["reasons"]) == (d.outcome.value, ",".join(d.reasons)), row


def test_a_new_end_use_term_splits_the_periods_of_lines_that_read_otherwise() -> None:
    """A stated end use is read with the terms of the end-use rules in force, the longest
    first: "military intelligence" names military before 744.22 came into force (16 Mar 2021)
    and not after, so the Iraq military end-use rule (746.3) reached it then only, though
    744.22 names other destinations. Such a line's periods split on that day; the periods of
    lines whose end use reads the same in every period do not."""
    rs = load_ruleset()
    assert date(2021, 3, 16) in rs.epochs_for("IQ", "3D201", ownership=False, terms=True)
    assert date(2021, 3, 16) not in rs.epochs_for("IQ", "3D201", ownership=False)
    days = [date(2021, 3, 15), date(2021, 3, 16), date(2023, 11, 2)]
    lines = pl.DataFrame({"item": ["3D201"] * 3, "destination": ["IQ"] * 3,
                          "date": [d.isoformat() for d in days],
                          "end_use": ["military intelligence"] * 3})
    out = determine_frame(lines, workers=1)
    want = [",".join(determine("3D201", "IQ", d, end_use="military intelligence").reasons)
            for d in days]
    assert out["reasons"].to_list() == want == ["NP1,MEU", "NP1", "NP1"]
