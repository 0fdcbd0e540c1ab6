"""Review 41: the screen API and the Screen page list the matches held below the threshold."""

from __future__ import annotations

from tests.web.conftest import Service
from tests.web.test_review_28b_forms import officer  # noqa: F401
from tests.web.test_ui_forms_review import HTML


def test_the_api_answers_held_matches_apart(service: Service) -> None:
    r = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                            json={"name": "Adel Cherri"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["hits"] == []
    held, = body["held"]
    assert held["matched_name"] == "CHERRI, Adel Mohamad" and held["match_kind"] == "partial"
    assert held["score"] < body["threshold"]
    full = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                               json={"name": "Adel Mohamad Cherri"}).json()
    assert full["hits"] and full["held"] == []


def test_the_screen_page_shows_them_under_their_own_heading(officer) -> None:  # noqa: F811
    b, _ = officer
    page = b.get("/screen?name=Adel+Cherri", headers=HTML).text
    assert "No list entry scores at or above the threshold." in page
    assert 'id="held">Held below the threshold' in page
    held = page.split('<ul class="held">')[1].split("</ul>")[0]
    assert "CHERRI, Adel Mohamad" in held and "(partial)" in held
    assert "Held below the threshold" not in b.get("/screen?name=Zzyzx+Qwerty",
                                                    headers=HTML).text
