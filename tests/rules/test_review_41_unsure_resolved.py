"""Review 41: UNSURE items of the EAR rule base that can change an answer.

The first round of CBW Act sanctions on Russia (Skripal attack; State Dept. Public Notice 10519,
83 FR 43723, FR Doc 2018-18503, published and effective 27 Aug 2018) partially waived the
prohibition on exports of national security-sensitive goods and technology, keeping the
restriction for "Russian government entities, as well as state-owned and state-funded
enterprises" (Dechert) under a "presumption of denial" (Wilmarth), with the pre-sanction policy
for wholly-owned U.S. subsidiaries, deemed exports, flight safety, space flight and commercial
end uses (Arent Fox). The engine answered NS licences to Russia from 1 Jan 2019 to 17 Mar 2021
with 742.4(b)(7)'s case-by-case policies. The order line does not say whether the end user is
state-owned, so the row reads as a presumption of denial, as the second round's CB row
(cb-ru-cbw-2019, 84 FR 44671) does; the 2021 round (86 FR 14689, ns-ru-cbw-2021) takes over on
18 Mar 2021.

The 1 Sep 2021 end of the commercial space launch waiver was that notification's, for NS items
(and the ITAR's): the NP and MT carve-outs of 742.3(b)(4)/742.5(b)(5) stay until 87 FR 12226
(24 Feb 2022) replaced them.
"""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine, load_ruleset
from tests.determine.test_review_38_russia_policies import _policy_rows

NOT_ESTABLISHED = "whose start dates are not established"


@pytest.mark.parametrize(
    "on",
    [date(2019, 1, 1), date(2019, 6, 1), date(2020, 10, 28), date(2020, 10, 29),
     date(2021, 3, 17)],
)
def test_ns_to_russia_under_the_first_cbw_round(on: date) -> None:
    """Both editions of 742.4(b)(7) (before and from 85 FR 68448, 29 Oct 2020) gave a
    case-by-case answer to a civil end user; the 2018 round makes it a presumption of denial."""
    d = determine("3A001.a.2", "RU", on, value=1000)
    assert d.outcome == "LICENSE_REQUIRED" and "NS2" in d.reasons
    rows = _policy_rows(d)
    assert "ns-ru-cbw-2018" in rows
    assert not rows & {"ns-cn-ru-2019", "ns-cn-ru-ve-2020", "ns-ru-cbw-2021"}
    assert d.review_policy is not None
    assert d.review_policy.startswith(
        "presumption of denial for Russian government entities and state-owned or state-funded"
    )
    assert "83 FR 43723" in d.review_policy
    assert "general policy of approval" not in d.review_policy
    # a dated row: the policy is not among the rules whose start dates are not established
    step = next(s for s in d.trace if s.rule.endswith("row ns-ru-cbw-2018"))
    assert step.fired and step.start_date_known and step.effective_from == date(2018, 8, 27)
    assert "ns-ru-cbw-2018" not in " ".join(c for c in d.caveats if NOT_ESTABLISHED in c)


def test_the_2021_round_takes_over_on_18_mar_2021() -> None:
    d = determine("3A001.a.2", "RU", date(2021, 3, 18), value=1000)
    assert "ns-ru-cbw-2021" in _policy_rows(d) and "ns-ru-cbw-2018" not in _policy_rows(d)
    assert "86 FR 14689" in (d.review_policy or "")


def test_military_end_users_keep_the_742_4_b_7_military_rows() -> None:
    d = determine("3A001.b.2", "RU", date(2019, 3, 1), end_user_type="military")
    assert "ns-cn-ru-2019-military" in _policy_rows(d)
    assert "ns-ru-cbw-2018" not in _policy_rows(d)
    d = determine("3A001.b.2", "RU", date(2021, 1, 5), end_user_type="military")
    assert "ns-cn-ru-ve-2020-military" in _policy_rows(d)


def test_the_first_round_is_russia_and_ns_only() -> None:
    cn = determine("3A001.a.2", "CN", date(2019, 6, 1), value=1000)
    assert "ns-ru-cbw-2018" not in _policy_rows(cn)
    assert "military potential of China or Russia" in (cn.review_policy or "")
    # CB to Russia before the second round (26 Aug 2019) stays 742.2(b)'s case-by-case
    cb = determine("1C350", "RU", date(2019, 6, 1))
    assert "ns-ru-cbw-2018" not in _policy_rows(cb) and "cb-general" in _policy_rows(cb)


def test_the_row_cites_the_notice_and_its_end() -> None:
    rules = load_ruleset()
    row = next(p for ps in rules.as_of(date(2020, 1, 1)).review_policies.values() for p in ps
               if p.id == "ns-ru-cbw-2018")
    assert row.countries == ["RU"] and row.reason == "NS"
    assert (row.effective_from, row.effective_to) == (date(2018, 8, 27), date(2021, 3, 17))
    assert "FR Doc 2018-18503" in row.citation
    assert "86 FR 14689" in (row.end_citation or "")
    assert "[src:" in (row.note or "") and "UNSURE" in (row.note or "")
    assert all(p.id != "ns-ru-cbw-2018"
               for ps in rules.as_of(date(2021, 3, 18)).review_policies.values() for p in ps)


@pytest.mark.parametrize(("item", "row"), [("2B001.a", "np-ru-2020"), ("9A101", "mt-ru-2020")])
def test_np_and_mt_space_launch_carve_out_outlasts_1_sep_2021(item: str, row: str) -> None:
    """Not a change of answer: pins that the CBW waiver's expiry is not read into 742.3/742.5."""
    d = determine(item, "RU", date(2021, 10, 1))
    assert row in _policy_rows(d)
    assert any("commercial space launches" in s.detail for s in d.trace
               if s.rule.endswith(f"row {row}"))
