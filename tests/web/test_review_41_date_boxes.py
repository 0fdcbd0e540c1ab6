"""Review 41: a refused date that is not a day stays on screen to be mended.

A date picker given a value that is not a day (2021-02-30, a year of five digits) shows an
empty box, so the officer saw the message under a blank picker and had to type it all again;
the box is now a text box holding what was sent, and a picker again once it is a day. The
Ship form's NAC date is refused in the box's own words, not the batch column's.
"""

from __future__ import annotations

import html

from tests.web.test_review_24_web import box
from tests.web.test_review_28b_forms import officer, post, under  # noqa: F401
from tests.web.test_ui_forms_review import HTML

ACA_VN = {"licence_exception": "ACA", "ship_date": "2024-06-15", "destination": "VN",
          "classification": "3A090.a", "quantity": "1", "value": "40000",
          "consignee": "Compute JSC", "end_user": "Compute JSC"}


def test_check_keeps_a_day_that_does_not_exist_in_a_text_box(officer) -> None:  # noqa: F811
    r = post(officer, "/check", item="3A001.a.2", destination="HK", date="2021-02-30")
    assert r.status_code == 422
    tag = box(r.text, "date")
    assert 'type="text"' in tag and 'value="2021-02-30"' in tag
    assert "aria-invalid" in tag and "2021-02-30" in under(r.text, "date")
    ok = post(officer, "/check", item="3A001.a.2", destination="HK", date="2021-02-28")
    assert ok.status_code == 200 and 'type="date"' in box(ok.text, "date")
    assert 'type="date"' in box(ok.text, "compare")  # an empty box stays a picker


def test_audit_filter_and_ship_nac_date_are_kept_and_named(officer) -> None:  # noqa: F811
    b, _ = officer
    r = b.get("/audit?to=2020-13-01", headers=HTML)
    assert r.status_code == 422
    assert 'type="text"' in box(r.text, "to") and 'value="2020-13-01"' in box(r.text, "to")
    assert 'type="date"' in box(r.text, "from")
    ship = post(officer, "/licences/ship", **ACA_VN, nac_notified="2024-13-01")
    assert ship.status_code == 422
    tag = box(ship.text, "nac_notified")
    assert 'type="text"' in tag and 'value="2024-13-01"' in tag and "aria-invalid" in tag
    words = html.unescape(ship.text)
    assert "invalid NAC notification date '2024-13-01': month must be in 1..12" in words
    assert "nac_notified date" not in words
