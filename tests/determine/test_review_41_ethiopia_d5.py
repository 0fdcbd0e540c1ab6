"""Review 41: Ethiopia is a Country Group D:5 destination from 1 Nov 2021.

State added Ethiopia to 22 CFR 126.1(n) from that day (86 FR 60165). The D:5 table of 740
Supp. 1 never printed it, but its note makes State's list controlling, as the rule base already
reads it for Russia (D:5 from its 126.1 date, 86 FR 14802). Until now the rule base only said
so in a caveat and answered as for a Country Group B destination: licence exceptions open to
600-series items, case-by-case review, no advanced-computing licence for 3A090.b."""

from __future__ import annotations

from datetime import date, timedelta

from exportcheck import determine
from exportcheck.models import Outcome
from exportcheck.rules import load_ruleset

BEFORE, FROM = date(2021, 10, 31), date(2021, 11, 1)


def test_the_membership_row_is_dated_by_the_126_1_listing() -> None:
    rows = [r for r in load_ruleset().rows("group_members") if r.code == "ET" and r.group == "D:5"]
    assert len(rows) == 1
    row, = rows
    assert row.effective_from == FROM and row.effective_to is None
    assert "86 FR 60165" in (row.start_citation or "") and "D:5" in row.citation


def test_600_series_review_turns_to_denial_and_exceptions_close() -> None:
    before = determine("9A610.a", "ET", BEFORE, value=5000)
    after = determine("9A610.a", "ET", FROM, value=5000)
    assert before.outcome is after.outcome is Outcome.LICENSE_REQUIRED
    assert "742.6(b)(1)" in before.review_policy and "denial" not in before.review_policy
    assert "policy of denial" in after.review_policy and "742.4(b)(1)(ii)" in after.review_policy
    barred = [s for s in after.trace if "740.2(a)(12)" in (s.detail or "")]
    assert barred and not [s for s in before.trace if "740.2(a)(12)" in (s.detail or "")]
    assert not any("126.1(n)" in c for c in after.caveats)  # modelled now, not a caveat


def test_advanced_computing_3a090b_needs_a_licence_to_ethiopia_not_to_kenya() -> None:
    on = date(2024, 1, 1)  # 3A090.b: 88 FR 73458, effective 17 Nov 2023
    et, ke = determine("3A090.b", "ET", on), determine("3A090.b", "KE", on)
    assert et.outcome is Outcome.LICENSE_REQUIRED and et.reasons == ["RS"]
    assert ke.outcome is Outcome.NLR


def _change_days(rows) -> list[date]:
    """Every day a 126.1 row or a D:5 membership starts or ends (the day after an end)."""
    days = {date(2019, 1, 1)}
    for r in rows:
        if r.start_date_known and r.start > date(2019, 1, 1):
            days.add(r.start)
        if r.effective_to is not None:
            days.add(r.effective_to + timedelta(days=1))
    return sorted(days)


def test_d5_is_the_126_1_list_on_every_day_but_where_a_caveat_says_otherwise() -> None:
    """The D:5 note makes State's 126.1 list controlling: a destination on one and not on the
    other is either modelled (Ethiopia, Russia) or flagged for its window (Cyprus 2022-24,
    Cambodia 2025-26), never silent."""
    rs = load_ruleset()
    proscribed = rs.rows("proscribed")
    d5 = [r for r in rs.rows("group_members") if r.group == "D:5"]
    gaps = rs.rows("history_gaps")
    for on in _change_days([*proscribed, *d5]):
        listed = {r.code for r in proscribed if r.in_force(on)}
        members = {r.code for r in d5 if r.in_force(on)}
        for code in listed ^ members:
            flagged = [g.id for g in gaps if code in g.countries and g.in_force(on)]
            assert flagged, (on, code, "on one list only, and no caveat says so")


def test_cyprus_window_is_flagged() -> None:
    def flagged(on: date) -> bool:
        return any("Cyprus's policy of denial" in c
                   for c in determine("9A610.a", "CY", on, value=5000).caveats)

    assert not flagged(date(2022, 9, 30)) and flagged(date(2022, 10, 1))
    assert flagged(date(2024, 5, 29)) and not flagged(date(2024, 5, 30))
