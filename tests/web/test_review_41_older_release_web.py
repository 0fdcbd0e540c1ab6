"""Review 41: the API and the Lists page refuse an older list release (files a later version
replaced) unless asked to load it on purpose; the version then says so."""

from __future__ import annotations

from exportcheck.screen.parsers.common import sha256
from exportcheck.screen.service import SAMPLES_DIR
from tests.web.api_helpers import problem
from tests.web.conftest import Service
from tests.web.test_api import dpl_file, dpl_rows
from tests.web.test_api_accounts import browser, page_csrf, sign_in

DPL = (SAMPLES_DIR / "dpl.txt").read_bytes()  # the release the service loaded at start


def _dpl(c, h) -> dict:
    return next(v for v in c.get("/api/v1/lists", headers=h).json()["items"]
                if v["source"] == "bis-dpl")


def test_the_api_refuses_a_replaced_release_unless_allow_older(service: Service) -> None:
    c, h = service.client, service.auth("admin")
    header, rows = dpl_rows()
    r = c.post("/api/v1/lists/load", headers=h,
               files={"files": ("dpl.txt", dpl_file(header, rows[:-1]))})
    assert r.status_code == 200, r.text
    before = c.get("/api/v1/lists", headers=h, params={"all": True}).json()
    body = problem(c.post("/api/v1/lists/load", headers=h,
                          files={"files": ("dpl.txt", DPL)}), 422)
    # the latest version that held these bytes (the service's own at start, unless the other
    # test of this module ran first on this worker)
    held = max(v["id"] for v in before["items"]
               if v["source"] == "bis-dpl" and v["content_hash"] == sha256(DPL))
    assert f"release stored as version {held}" in body["detail"]
    assert "allow_older=true" in body["detail"] and "--allow-older" not in body["detail"]
    assert c.get("/api/v1/lists", headers=h, params={"all": True}).json() == before
    ok = c.post("/api/v1/lists/load", headers=h, data={"allow_older": "true"},
                files={"files": ("dpl.txt", DPL)})
    assert ok.status_code == 200, ok.text
    assert ok.json()[0]["older_release"] is True
    now = _dpl(c, h)
    assert (now["id"], now["older_release"], now["forced"]) == (
        ok.json()[0]["version_id"], True, False)
    assert now["content_hash"] == sha256(DPL)


def test_the_lists_page_says_why_keeps_the_box_and_marks_the_version(service: Service) -> None:
    header, rows = dpl_rows()
    newer = dpl_file(header, rows[:-2])
    older = dpl_file(header, rows[:-3])
    b = browser(service, "203.0.113.41")
    assert sign_in(b, "admin", service.password("admin")).status_code == 303
    token = page_csrf(b)
    for data in (older, newer):
        r = b.post("/lists/load", headers={"Accept": "text/html"},
                   data={"csrf_token": token}, files=[("files", ("dpl.txt", data))])
        assert r.status_code == 200 and "notice error" not in r.text, r.text[:500]
    refused = b.post("/lists/load", headers={"Accept": "text/html"},
                     data={"csrf_token": token, "force": "on"},
                     files=[("files", ("dpl.txt", older))])
    assert refused.status_code == 422
    assert "tick &#39;load an older release on purpose&#39;" in refused.text
    assert 'name="force" value="1" checked' in refused.text
    assert 'name="allow_older" value="1">' in refused.text  # not ticked for them
    loaded = b.post("/lists/load", headers={"Accept": "text/html"},
                    data={"csrf_token": token, "allow_older": "on"},
                    files=[("files", ("dpl.txt", older))])
    assert loaded.status_code == 200, loaded.text[:500]
    assert "an older release, loaded on purpose" in loaded.text
    assert "(an older release, loaded on purpose), " in loaded.text  # the flash says so too
    b.close()
