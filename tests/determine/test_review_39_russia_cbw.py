"""Review 39: the CBW Act sanctions on Russia and its CB licence review policy.

The second round of CBW Act sanctions for the Skripal attack (State Dept. Public Notice 10855,
84 FR 44671, FR Doc 2019-18050, published 26 Aug 2019; DATES: "This determination is effective
on August 26, 2019", read at govinfo.gov FR-2019-08-26 2019-18050) changed the review of CB
licences to Russia: applications "to Russian state-owned or state-funded enterprises to be
reviewed under a policy of 'presumption of denial.' All other license applications for CB-items
will be reviewed on a case-by-case basis" (Baker McKenzie, internationaltradecomplianceupdate.com,
29 Aug 2019). The engine answered 26 Aug 2019 - 23 Feb 2020 with 742.2(b)'s general case-by-case
policy. The order line does not say whether the end user is state-owned, so the row reads as a
presumption of denial, as the NS row of the March 2021 round (86 FR 14689) does.
"""

from __future__ import annotations

from datetime import date

from exportcheck import determine
from exportcheck.models import Determination


def _policy_rows(d: Determination) -> set[str]:
    return {
        s.rule.rsplit("row ", 1)[1]
        for s in d.trace
        if s.rule.startswith("Licence review policy for") and "row " in s.rule
    }


def test_cb_to_russia_before_the_second_cbw_round_is_case_by_case() -> None:
    d = determine("1C350", "RU", date(2019, 8, 25))
    assert "cb-general" in _policy_rows(d) and "cb-ru-cbw-2019" not in _policy_rows(d)
    assert "case-by-case" in d.review_policy


def test_cb_to_russia_from_26_aug_2019_state_owned_presumption_of_denial() -> None:
    d = determine("1C350", "RU", date(2019, 8, 26))
    assert "cb-ru-cbw-2019" in _policy_rows(d)
    assert d.review_policy.startswith("presumption of denial for Russian state-owned")
    assert "84 FR 44671" in d.review_policy
    last = determine("1C350", "RU", date(2020, 2, 23))
    assert "cb-ru-cbw-2019" in _policy_rows(last)


def test_85_fr_10274_takes_over_on_24_feb_2020() -> None:
    d = determine("1C350", "RU", date(2020, 2, 24))
    assert "cb-ru-2020" in _policy_rows(d) and "cb-ru-cbw-2019" not in _policy_rows(d)
    assert "85 FR 10274" in d.review_policy


def test_the_cbw_row_is_russia_only() -> None:
    d = determine("1C350", "CN", date(2019, 9, 1))
    assert "cb-ru-cbw-2019" not in _policy_rows(d)
