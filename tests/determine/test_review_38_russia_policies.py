"""Review 38: Russia's (and Belarus's) licence review policies did not follow the rules that
changed them.

85 FR 10274 (FR Doc 2020-02941, effective 24 Feb 2020) moved Russia to D:2/D:4 and made its
CB, NP and MT licences a presumption of denial (742.2, 742.3, 742.5); the CBW Act sanctions
implemented by 86 FR 14689 (FR Doc 2021-05488, 18 Mar 2021) made its NS licences one too; and
87 FR 12226 (Russia, effective 24 Feb 2022) and 87 FR 13048 (Belarus, effective 2 Mar 2022)
made the NP and MT ones a policy of denial (742.3(b)(4), 742.5(b)(5)). The engine answered
each of these days with the general case-by-case policies of 742.2(b)-742.5(b) or 742.4(b)(7).
"""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine, load_ruleset
from exportcheck.models import Determination


def _policy_rows(d: Determination) -> set[str]:
    """The review-policy rows the trace names ("Licence review policy for ...: row <id>")."""
    return {
        s.rule.rsplit("row ", 1)[1]
        for s in d.trace
        if s.rule.startswith("Licence review policy for") and "row " in s.rule
    }


@pytest.mark.parametrize(
    ("item", "before_row", "row"),
    [
        # the day before 85 FR 10274, CB is under the CBW Act row of 84 FR 44671 (review 39)
        ("1C350", "cb-ru-cbw-2019", "cb-ru-2020"),
        ("9A101", "mt-general", "mt-ru-2020"),
    ],
)
def test_russia_cb_and_mt_presumption_of_denial_from_24_feb_2020(
    item: str, before_row: str, row: str
) -> None:
    before = determine(item, "RU", date(2020, 2, 23))
    on = determine(item, "RU", date(2020, 2, 24))
    assert before_row in _policy_rows(before) and row not in _policy_rows(before)
    assert "case-by-case" in before.review_policy
    assert row in _policy_rows(on)
    assert on.review_policy.startswith("presumption of denial")
    assert "85 FR 10274" in on.review_policy


def test_russia_np_licence_of_2020_then_policy_of_denial_from_24_feb_2022() -> None:
    # 2B001.a gained its NP1 licence to Russia on 24 Feb 2020 (Russia left A:4)
    on_2020 = determine("2B001.a", "RU", date(2020, 2, 24))
    assert "NP1" in on_2020.reasons and "np-ru-2020" in _policy_rows(on_2020)
    assert on_2020.review_policy.startswith("presumption of denial")
    last = determine("2B001.a", "RU", date(2022, 2, 23))
    assert "np-ru-2020" in _policy_rows(last)
    # Category 2 was not yet under 746.8 (8 Apr 2022): 742.3(b)(4) decides the policy
    on_2022 = determine("2B001.a", "RU", date(2022, 2, 24))
    assert "np-ru-2022" in _policy_rows(on_2022) and "np-ru-2020" not in _policy_rows(on_2022)
    assert on_2022.review_policy.startswith("policy of denial")
    assert "87 FR 12226" in on_2022.review_policy


def test_russia_ns_presumption_of_denial_under_the_cbw_act_sanctions() -> None:
    before = determine("3A001.a.2", "RU", date(2021, 3, 17), value=1000)
    on = determine("3A001.a.2", "RU", date(2021, 3, 18), value=1000)
    # the day before, the first CBW Act round (83 FR 43723, 27 Aug 2018) decides (review 41)
    assert "ns-ru-cbw-2018" in _policy_rows(before)
    assert "ns-ru-cbw-2021" not in _policy_rows(before)
    assert "ns-ru-cbw-2021" in _policy_rows(on)
    assert on.review_policy.startswith("presumption of denial")
    assert "86 FR 14689" in on.review_policy
    # the notification left ENC available for NS items to Russia
    assert [e.symbol for e in determine("5A002.a", "RU", date(2021, 3, 18)).license_exceptions] \
        == ["ENC"]


def test_china_keeps_the_742_4_b_7_policy() -> None:
    d = determine("3A001.a.2", "CN", date(2021, 3, 18), value=1000)
    assert "ns-ru-cbw-2021" not in _policy_rows(d)
    assert "general policy of approval" in d.review_policy


def test_belarus_np_and_mt_rows_start_on_2_mar_2022() -> None:
    rules = load_ruleset()
    rows = {p.id: p for ps in rules.as_of(date(2022, 3, 2)).review_policies.values() for p in ps}
    before = {p.id for ps in rules.as_of(date(2022, 3, 1)).review_policies.values() for p in ps}
    for rid in ("np-by-2022", "mt-by-2022"):
        assert rid in rows and rid not in before
        assert rows[rid].countries == ["BY"]
        assert rows[rid].policy.startswith("policy of denial")
        assert "87 FR 13048" in rows[rid].citation
