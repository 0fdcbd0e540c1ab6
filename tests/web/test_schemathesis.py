"""Schemathesis over the whole OpenAPI spec of the app, in-process (ASGI), as an admin.

Every operation gets schemathesis's examples, coverage (boundary values, missing and wrong
fields, unsupported methods) and fuzzing phases. The run must produce no response with a
status of 500 or more, and every response must be one the spec documents (status, media
type, headers, body schema). Reproducible: Hypothesis is derandomized and keeps no example
database.

Destructive operations stay in the run: ``DELETE /tokens/{id}`` and ``PATCH /users/{name}``
are among the likeliest to break, so they are fuzzed too. The fuzzer cannot lock itself out
for long: it authenticates as its own admin user (a random name it will not generate), and
``FuzzAdmin.headers`` checks before every request that the token still works, minting a new
one (and restoring the user's admin role) if a fuzzed request revoked or demoted it. The
other users' tokens may be revoked along the way; ``service`` is this module's own instance.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    missing_required_header,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from .conftest import Service

#: checks every response passes. Left out, and why:
#: - negative_data_rejection: pydantic's lax mode accepts 0/1 for booleans and a number of
#:   seconds for a date, which the schema calls invalid; converting them is deliberate.
#: - positive_data_acceptance: validators check what JSON Schema cannot say (ISO country
#:   codes, dates of birth, licence exceptions, a user name already taken...); a schema-valid
#:   request refused with 4xx and a reason is correct.
#: - allow_header_conformance: on a 405, Starlette lists the methods of the first route
#:   matching the path, not of every route on it (GET and POST /dispositions are two routes).
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, missing_required_header,
          unsupported_method]

MAX_EXAMPLES = 8


@dataclass
class FuzzAdmin:
    service: Service
    name: str
    secret: str = ""
    minted: int = 0
    calls: Counter[str] = field(default_factory=Counter)

    def headers(self) -> dict[str, str]:
        """Bearer headers with a token of this admin that works now."""
        acc = self.service.accounts
        principal = acc.token_principal(self.secret) if self.secret else None
        if principal is None or principal.role != "admin":
            user = acc.get_user(self.name)
            if user.disabled or user.role != "admin":
                acc.update_user(self.name, actor="test-setup", role="admin", disabled=False)
            if not self.secret or acc.token_principal(self.secret) is None:
                self.secret = acc.create_token(self.name, label="schemathesis",
                                               actor="test-setup")[1]
                self.minted += 1
        return {"Authorization": f"Bearer {self.secret}"}


@pytest.fixture(scope="module")
def fuzz_admin(service: Service) -> FuzzAdmin:
    name = f"fuzz-admin-{uuid.uuid4().hex}"
    service.accounts.add_user(name, "admin", "fuzz-admin-password", actor="test-setup")
    return FuzzAdmin(service, name)


@pytest.fixture(scope="module")
def loaded_schema(service: Service) -> Iterator[schemathesis.BaseSchema]:
    yield schemathesis.openapi.from_asgi("/openapi.json", service.app)


@pytest.fixture
def api_schema(loaded_schema: schemathesis.BaseSchema,
               request: pytest.FixtureRequest) -> schemathesis.BaseSchema:
    # schemathesis 4.x's lazy loader renames the test item through ``Item._nodeid``, which
    # pytest 9 no longer has
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return loaded_schema


schema = schemathesis.pytest.from_fixture("api_schema")


@settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
@schema.parametrize()
def test_api(case: schemathesis.Case, fuzz_admin: FuzzAdmin) -> None:
    label = f"{case.operation.method.upper()} {case.operation.path}"
    fuzz_admin.calls[label] += 1
    case.call_and_validate(headers=fuzz_admin.headers(), checks=CHECKS)


def test_the_fuzzer_reached_every_operation(service: Service, fuzz_admin: FuzzAdmin) -> None:
    """Runs after test_api (same module, file order): every operation of the spec was
    called, with more than a handful of cases each (an operation without parameters, like
    /healthz, has only a few distinct requests)."""
    if not fuzz_admin.calls:
        pytest.skip("test_api did not run in this session")
    spec = service.client.get("/openapi.json").json()
    operations = {f"{m.upper()} {p}" for p, ops in spec["paths"].items() for m in ops}
    assert operations == set(fuzz_admin.calls), operations ^ set(fuzz_admin.calls)
    assert min(fuzz_admin.calls.values()) >= 5, fuzz_admin.calls


def test_account_times_carry_their_zone(service: Service, fuzz_admin: FuzzAdmin) -> None:
    # the fuzz run may have revoked the fixture's tokens: the fuzzer's admin mends its own
    users = service.client.get("/api/v1/users", headers=fuzz_admin.headers())
    tokens = service.client.get("/api/v1/tokens", headers=fuzz_admin.headers())
    times = [u["created_at"] for u in users.json()["items"]]
    times += [t["created_at"] for t in tokens.json()["items"]]
    assert times and all(t.endswith(("Z", "+00:00")) for t in times), times


@pytest.mark.parametrize("path", ["/api/v1/lists", "/api/v1/impact-runs"])
def test_stored_times_carry_their_zone(service: Service, fuzz_admin: FuzzAdmin,
                                       path: str) -> None:
    made = service.client.post("/api/v1/impact-runs", headers=fuzz_admin.headers(), json={
        "from_date": "2020-06-29", "to_date": "2021-01-15", "sample": True})
    assert made.status_code == 201, made.text
    listing = service.client.get(path, headers=fuzz_admin.headers())
    assert listing.status_code == 200, listing.text
    times = [v.get("loaded_at") or v["created_at"] for v in listing.json()["items"]]
    assert times and all(t.endswith(("Z", "+00:00")) for t in times), times


@pytest.mark.parametrize("path", [
    "/api/v1/impact-runs/9223372036854775808", "/api/v1/impact-runs/9223372036854775808/lines",
    "/api/v1/impact-runs/9223372036854775808/report",
    "/api/v1/lists/9223372036854775808/changes", "/api/v1/impact-runs/0"])
def test_huge_ids_are_refused_not_a_server_error(service: Service, fuzz_admin: FuzzAdmin,
                                                 path: str) -> None:
    """An id out of the keys' range names nothing: 404, as an unknown id (review 17)."""
    response = service.client.get(path, headers=fuzz_admin.headers())
    assert response.status_code == 404, response.text


def test_huge_token_id_is_refused_not_a_server_error(service: Service,
                                                     fuzz_admin: FuzzAdmin) -> None:
    response = service.client.delete("/api/v1/tokens/99999999999999999999",
                                     headers=fuzz_admin.headers())
    assert response.status_code == 404, response.text
