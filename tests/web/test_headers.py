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
