"""Headers every response carries, API and pages alike."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("path", ["/healthz", "/login", "/api/v1/licences", "/static/app.css"])
def test_security_headers(service, path):
    r = service.client.get(path)
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "SAMEORIGIN"
    assert r.headers["referrer-policy"] == "same-origin"
    csp = {d.split()[0]: d.split()[1:] for d in r.headers["content-security-policy"].split("; ")}
    assert csp["frame-ancestors"] == csp["base-uri"] == csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


def test_scripts_only_from_the_services_files(service):
    """No inline script, handler or eval on the pages: an injected <script> or onerror= does
    not run (review 27)."""
    r = service.client.get("/login")
    csp = {d.split()[0]: d.split()[1:] for d in r.headers["content-security-policy"].split("; ")}
    assert csp["script-src"] == ["'self'"] and csp["default-src"] == ["'self'"]
    assert "<script>" not in r.text


def test_no_page_template_carries_an_inline_script_or_handler():
    import re

    from exportcheck.web.ui import HERE

    for path in (HERE / "templates").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\son[a-z]+\s*=", text), path.name
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), path.name


def test_the_impact_report_runs_its_own_scripts_only(service):
    import base64
    import hashlib
    import re

    from exportcheck.impact.served import SIZING

    run = service.client.post("/api/v1/impact-runs", headers=service.auth("officer"),
                              json={"sample": True, "from_date": "2020-06-29",
                                    "to_date": "2021-01-15"})
    assert run.status_code == 201, run.text
    r = service.client.get(f"/api/v1/impact-runs/{run.json()['id']}/report",
                           headers=service.auth("viewer"))
    csp = {d.split()[0]: d.split()[1:] for d in r.headers["content-security-policy"].split("; ")}
    scripts = re.findall(r"<script>(.*?)</script>", r.text, re.DOTALL)
    assert scripts
    assert csp["script-src"] == [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts]  # no 'unsafe-eval': the charts use Vega's expression interpreter
    assert csp["default-src"] == ["'none'"] and "'unsafe-inline'" not in csp["script-src"]
    # sandboxed (an opaque origin: no cookie, page or API of the service's), scripts only: no
    # popups, forms, downloads or same origin; it tells the run's page its height by message
    assert csp["sandbox"] == ["allow-scripts"]
    assert r.text.count(SIZING) == 1 and r.text.index(SIZING) > r.text.rindex("</main>")


def test_https_answers_tell_the_browser_to_keep_to_https(service):
    """Over HTTPS the browser is told to use HTTPS only (RFC 6797): a later http:// link or a
    downgrading network cannot expose the session cookie. Not over plain HTTP, where browsers
    ignore it; not for other subdomains."""
    from fastapi.testclient import TestClient

    r = service.client.get("/login")  # the test client speaks https://testserver
    assert r.headers["strict-transport-security"] == "max-age=31536000"
    with TestClient(service.app, base_url="http://testserver") as plain:
        assert "strict-transport-security" not in plain.get("/login").headers
