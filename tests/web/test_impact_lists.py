"""An impact run between two list releases, over REST (``from_lists``/``to_lists``) and on the
Impact page: the ledger's licences whose named parties a release bars are counted, with the
entry as cause. A module of its own: it loads another SDN release into its service's
database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from exportcheck.db import get_engine
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR
from tests.web.api_helpers import bis_licence, problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import page_csrf


@pytest.fixture(scope="module")
def releases(service: Service, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, int]:
    """The SDN release before Carrie Lam's designation loaded beside the bundled one, and a
    BIS licence to Hong Kong naming her: (old release id, bundled release id)."""
    engine = get_engine(service.database_url)
    (bundled,) = [v.id for v in store.list_versions(engine, active_only=True)
                  if v.source == "ofac-sdn"]
    old: Path = tmp_path_factory.mktemp("sdn-old")
    for name in ("sdn.csv", "alt.csv"):
        text = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        (old / name).write_text("".join(ln for ln in text.splitlines(keepends=True)
                                        if not ln.startswith("29249,")), encoding="utf-8")
    store.load_lists([old / "sdn.csv", old / "alt.csv"], engine=engine, user="test")
    (before,) = [v.id for v in store.list_versions(engine, active_only=True)
                 if v.source == "ofac-sdn"]
    assert before != bundled
    lic = bis_licence("D-IMP-CL")
    lic["destination"] = "HK"
    lic["parties"][1:] = [{"role": role, "name": "LAM, Carrie", "country": "HK"}
                          for role in ("consignee", "end_user")]
    r = service.client.post("/api/v1/licences", headers=service.auth("officer"), json=lic)
    assert r.status_code == 201, r.text
    return before, bundled


def test_an_impact_run_between_two_list_releases_hits_a_licensed_party(
        service: Service, releases: tuple[int, int]) -> None:
    before, bundled = releases
    c, h = service.client, service.auth("officer")
    body = {"from_date": "2024-06-01", "to_date": "2024-06-01", "from_lists": str(before),
            "to_lists": str(bundled),
            "lines": [{"id": "o-1", "item": "EAR99", "destination": "HK", "value": 100}]}
    r = c.post("/api/v1/impact-runs", headers=h, json=body)
    assert r.status_code == 201, r.text[:500]
    summary = r.json()["summary"]
    assert summary["mode"] == "lists"
    hit = [x for x in summary["licences"]["rows"] if x["number"] == "D-IMP-CL"]
    assert hit and hit[0]["cause"].startswith("party_blocked") and "SDN 29249" in hit[0][
        "cause"]

    one_side = {k: v for k, v in body.items() if k != "to_lists"}
    assert "from_lists and to_lists together" in problem(
        c.post("/api/v1/impact-runs", headers=h, json=one_side), 422)["detail"]
    unknown = {**body, "to_lists": "999999"}
    assert "unknown list version 999999" in problem(
        c.post("/api/v1/impact-runs", headers=h, json=unknown), 400)["detail"]


def test_the_impact_page_runs_two_list_releases(officer_page: TestClient,
                                                releases: tuple[int, int]) -> None:
    """Both releases chosen: a run of the lists alone on one day, its licence hit; one of
    the two only: the page says so and keeps the form."""
    before, bundled = releases
    page = officer_page.get("/impact", headers={"Accept": "text/html"}).text
    assert re.search(rf'name="to_lists" value="{bundled}"[^>]*> ofac-sdn #{bundled}', page)
    html = {"Accept": "text/html", "X-CSRF-Token": page_csrf(officer_page)}
    form = {"from_date": "2024-06-01", "to_date": "2024-06-01", "portfolio": "sample",
            "from_lists": str(before), "to_lists": str(bundled)}
    r = officer_page.post("/impact", headers=html, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    run_id = r.headers["location"].rsplit("/", 1)[1]
    report = officer_page.get(f"/api/v1/impact-runs/{run_id}/report").text
    assert "D-IMP-CL" in report and "SDN 29249" in report
    half = officer_page.post("/impact", headers=html, data={**form, "to_lists": ""})
    assert "choose both list releases (old and new), or neither" in half.text
    assert f'name="from_lists" value="{before}" checked' in half.text


def test_the_impact_page_takes_several_releases_a_side(
        service: Service, officer_page: TestClient, releases: tuple[int, int]) -> None:
    """One release per source on each side (a box a release, as the API's comma-separated
    ids): a second source at its active release changes nothing; two releases of one source on
    one side are refused by name, both kept selected."""
    before, bundled = releases
    (dpl,) = [v.id for v in store.list_versions(get_engine(service.database_url),
                                                active_only=True) if v.source == "bis-dpl"]
    page = officer_page.get("/impact", headers={"Accept": "text/html"}).text
    assert 'type="checkbox" name="from_lists"' in page
    html = {"Accept": "text/html", "X-CSRF-Token": page_csrf(officer_page)}
    form = {"from_date": "2024-06-01", "to_date": "2024-06-01", "portfolio": "sample",
            "from_lists": [str(before), str(dpl)], "to_lists": [str(bundled), str(dpl)]}
    r = officer_page.post("/impact", headers=html, data=form, follow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    run_id = r.headers["location"].rsplit("/", 1)[1]
    assert "D-IMP-CL" in officer_page.get(f"/api/v1/impact-runs/{run_id}/report").text
    same = officer_page.post("/impact", headers=html,
                             data={**form, "to_lists": [str(before), str(bundled)]})
    assert "are both ofac-sdn: give one version per source" in same.text
    assert f'name="to_lists" value="{before}" checked' in same.text
    assert same.text.count(f'value="{bundled}" checked') == 1
