"""Review 34 through the REST API, on SQLite and on PostgreSQL: a NUL byte in a licence
number, an idempotency key, a status reason or a token label was a 500 on PostgreSQL (its
driver refuses NUL in text) and stored as given on SQLite; a licence valid from 9999-12-31 was
a 500 on both; a look-alike licence number was registered as a second licence. Each is now a
422 naming the field, and nothing is written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web.api_helpers import head_seq, problem
from tests.web.conftest import Service, start_service, stop_service

POLICE = "Hong Kong Police Force"
LICENCE = {"agency": "DDTC", "number": "DSP5-R34-1", "kind": "DSP5", "destination": "HK",
           "valid_from": "2019-03-01",
           "parties": [{"role": "applicant", "name": "Acme Arms"},
                       {"role": "consignee", "name": POLICE}, {"role": "end_user", "name": POLICE}],
           "lines": [{"classification": "I(a)", "quantity": 10, "value": "1000.00"}]}
SHIPMENT = {"idempotency_key": "R34-1", "licence_number": "DSP5-HK-2019-001",
            "ship_date": "2019-07-15", "destination": "HK", "consignee": POLICE,
            "end_user": POLICE,
            "lines": [{"classification": "I(a)", "quantity": 1, "value": "1000.00"}]}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql",
                                                               marks=pytest.mark.postgres)])
def service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Service]:
    """The module's service (the web conftest points each test's environment at it), on
    SQLite and on PostgreSQL."""
    url = None
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_server").create_database("review34")
    started, mp = start_service(tmp_path_factory.mktemp("r34"), url)
    try:
        yield started
    finally:
        stop_service(started, mp)


def _refused(service: Service, path: str, body: dict, role: str, *words: str) -> None:
    c, viewer = service.client, service.auth("viewer")
    seq = head_seq(c, viewer)
    found = problem(c.post(path, headers=service.auth(role), json=body), 422)
    for word in words:
        assert word in found["detail"], found["detail"]
    assert head_seq(c, viewer) == seq
    assert c.post("/api/v1/audit/verify", headers=viewer).json()["ok"] is True


@pytest.mark.parametrize(("change", "words"), [
    ({"number": "DSP5\u0000R34"}, ("number", "U+0000 (NUL)")),
    ({"number": "DSP5-R34-\u0661"}, ("number", "ARABIC-INDIC DIGIT ONE")),
    ({"valid_from": "9999-12-31"}, ("valid_from", "9999-12-31")),
])
def test_a_licence_the_database_cannot_hold_or_a_look_alike_is_a_422(service, change, words):
    _refused(service, "/api/v1/licences", LICENCE | change, "officer", *words)
    assert service.client.get("/api/v1/licences/DSP5-R34-1",
                          headers=service.auth("viewer")).status_code == 404


def test_a_shipment_key_with_a_nul_byte_is_a_422_naming_it(service):
    _refused(service, "/api/v1/shipments", SHIPMENT | {"idempotency_key": "R34\u00001"}, "officer",
             "idempotency_key", "NUL")


def test_a_status_reason_with_a_nul_byte_is_a_422_naming_it(service):
    body = {"status": "suspended", "effective": "2020-01-01", "reason": "check\u0000pending",
            "citation": "22 CFR 126.7(a)(3)"}
    _refused(service, "/api/v1/licences/DSP5-HK-2019-001/status", body, "officer", "reason", "NUL")


def test_a_token_label_with_a_nul_byte_is_a_422_naming_it(service):
    c, admin = service.client, service.auth("admin")
    tokens = c.get("/api/v1/tokens", headers=admin).json()
    _refused(service, "/api/v1/tokens", {"user": "viewer", "label": "ci\u0000bot"}, "admin",
             "label", "NUL")
    assert c.get("/api/v1/tokens", headers=admin).json() == tokens
