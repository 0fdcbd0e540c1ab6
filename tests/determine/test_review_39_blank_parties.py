"""Review 39: a party name of spaces alone is no name, in both roles and on every path.

The Python API refused a blank end user ("end user name is empty") but took a blank consignee
as none; the REST API strips its fields and the web form drops empty boxes, so there both were
"not given". Now every path answers as without the party: not screened, and the trace says so.
"""

from __future__ import annotations

import polars as pl
import pytest

from exportcheck import determine
from exportcheck.determine.batch import determine_frame
from exportcheck.screen.service import default_screener
from tests.web.conftest import Service, service  # noqa: F401  (the fixture)

BLANK = "   "
NOT_SCREENED = "no end-user name given: end user not screened"
LINE = {"item": "EAR99", "destination": "DE", "date": "2024-06-01"}


def _details(trace: list) -> list[str]:
    return [step["detail"] if isinstance(step, dict) else step.detail for step in trace]


@pytest.mark.parametrize("role", ["end_user", "consignee"])
def test_python_api_takes_a_blank_party_as_not_given(role: str) -> None:
    screener = default_screener()
    blank = determine("EAR99", "DE", "2024-06-01", screener=screener, **{role: BLANK})
    none = determine("EAR99", "DE", "2024-06-01", screener=screener)
    assert blank == none
    assert any(d.startswith(NOT_SCREENED) for d in _details(blank.trace))


def test_batch_takes_blank_party_cells_as_not_given() -> None:
    lines = pl.DataFrame({**{k: [v] * 3 for k, v in LINE.items()},
                          "end_user": [BLANK, None, None], "consignee": [None, BLANK, None]})
    result = determine_frame(lines, screener=default_screener())
    assert result.get_column("error").to_list() == [None, None, None]
    assert len(set(result.get_column("outcome").to_list())) == 1


@pytest.mark.parametrize("role", ["end_user", "consignee"])
def test_rest_api_answers_a_blank_party_as_the_python_api(service: Service,  # noqa: F811
                                                           role: str) -> None:
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                            json={**LINE, role: BLANK})
    assert r.status_code == 200, r.text
    python = determine("EAR99", "DE", "2024-06-01", screener=default_screener(),
                       **{role: BLANK})
    assert r.json() == python.model_dump(mode="json")
    assert any(d.startswith(NOT_SCREENED) for d in _details(r.json()["trace"]))
