"""The impact REST route from the QA pass of review 33: a list release given as blank text on
one side is no release, so it is the one-sided request it is (422), not a run of the rules
alone that drops the release given on the other side."""

from __future__ import annotations

from tests.web.api_helpers import problem
from tests.web.conftest import Service


def test_a_blank_list_release_on_one_side_is_refused(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    body = {"from_date": "2024-06-01", "to_date": "2024-06-01",
            "lines": [{"id": "o-1", "item": "EAR99", "destination": "HK", "value": 100}]}
    for blank in ("", "  "):
        for old, new in ((blank, "1"), ("1", blank)):
            r = c.post("/api/v1/impact-runs", headers=h,
                       json=body | {"from_lists": old, "to_lists": new})
            assert "from_lists and to_lists together" in problem(r, 422)["detail"]
