"""sdn.csv loaded without alt.csv loads no SDN alias (OFAC keeps the a.k.a. names apart): the
load goes through, and the API answer and the Lists page say what was left out."""

from __future__ import annotations

from exportcheck.screen.parsers import alias_warnings
from exportcheck.screen.service import SAMPLES_DIR
from tests.web.conftest import Service
from tests.web.test_api_accounts import browser, page_csrf, sign_in

SDN = (SAMPLES_DIR / "sdn.csv").read_bytes()


def test_alias_warnings_by_source(tmp_path) -> None:
    (tmp_path / "sdn.csv").write_bytes(SDN)
    assert list(alias_warnings([tmp_path / "sdn.csv"])) == ["ofac-sdn"]
    assert alias_warnings([SAMPLES_DIR / "sdn.csv", SAMPLES_DIR / "alt.csv"]) == {}


def test_the_api_and_the_lists_page_warn(service: Service) -> None:
    c, h = service.client, service.auth("admin")
    r = c.post("/api/v1/lists/load", headers=h, files=[("files", ("sdn.csv", SDN, "text/csv"))])
    assert r.status_code == 200, r.text
    [res] = r.json()
    assert res["source"] == "ofac-sdn" and res["status"] == "activated"
    assert res["warnings"] == ["sdn.csv loaded without alt.csv: the SDN aliases (a.k.a.) are "
                               "missing; load alt.csv, add.csv and sdn_comments.csv with it"]
    both = c.post("/api/v1/lists/load", headers=h, data={"force": "true"}, files=[
        ("files", ("sdn.csv", SDN, "text/csv")),
        ("files", ("alt.csv", (SAMPLES_DIR / "alt.csv").read_bytes(), "text/csv"))])
    assert both.status_code == 200, both.text
    assert both.json()[0]["warnings"] == []
    b = browser(service, "203.0.113.77")
    assert sign_in(b, "admin", service.password("admin")).status_code == 303
    page = b.post("/lists/load", headers={"Accept": "text/html"},
                  data={"csrf_token": page_csrf(b), "force": "on", "allow_older": "on"},
                  files=[("files", ("sdn.csv", SDN, "text/csv"))])
    assert page.status_code == 200
    assert "Warning:</strong> sdn.csv loaded without alt.csv" in page.text
    b.close()
