"""An impact run between two list releases over REST (``from_lists``/``to_lists``): the
ledger's licences whose named parties a release bars are counted, with the entry as cause.
A module of its own: it loads another SDN release into its service's database."""

from __future__ import annotations

from exportcheck.db import get_engine
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR
from tests.web.api_helpers import bis_licence, problem
from tests.web.conftest import Service


def test_an_impact_run_between_two_list_releases_hits_a_licensed_party(
        service: Service, tmp_path) -> None:
    engine = get_engine(service.database_url)
    (bundled,) = [v.id for v in store.list_versions(engine, active_only=True)
                  if v.source == "ofac-sdn"]
    old = tmp_path / "old"
    old.mkdir()
    for name in ("sdn.csv", "alt.csv"):  # the release before Carrie Lam's designation
        text = (SAMPLES_DIR / name).read_text(encoding="utf-8")
        (old / name).write_text("".join(ln for ln in text.splitlines(keepends=True)
                                        if not ln.startswith("29249,")), encoding="utf-8")
    store.load_lists([old / "sdn.csv", old / "alt.csv"], engine=engine, user="test")
    (before,) = [v.id for v in store.list_versions(engine, active_only=True)
                 if v.source == "ofac-sdn"]
    assert before != bundled

    c, h = service.client, service.auth("officer")
    lic = bis_licence("D-IMP-CL")
    lic["destination"] = "HK"
    lic["parties"][1:] = [{"role": role, "name": "LAM, Carrie", "country": "HK"}
                          for role in ("consignee", "end_user")]
    assert c.post("/api/v1/licences", headers=h, json=lic).status_code == 201
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
