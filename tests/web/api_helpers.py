"""Assertions shared by the REST API tests."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

PROBLEM = "application/problem+json"
#: the base URI the OpenAPI document is registered under, so a fragment's refs resolve
SPEC_URI = "urn:exportcheck:openapi"

T = TypeVar("T")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run`` on a thread of its own: a test process's Playwright (the session's
    browser) keeps an event loop running on the main thread, where ``asyncio.run`` refuses."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """The RFC 9457 body of an error response, after checking its status, media type and the
    members every problem carries."""
    assert response.status_code == status, (response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith(PROBLEM), response.headers
    body = response.json()
    for key in ("type", "title", "status", "detail"):
        assert body.get(key), (key, body)
    assert body["status"] == status
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10
    return body


def actor_of(client: httpx.Client, headers: dict[str, str]) -> str:
    """How the audit trail names writes made with ``headers`` (``name (token:N)``)."""
    me = client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    who = me.json()
    return f"{who['name']} ({who['via']})" if who["via"].startswith("token:") else who["name"]


def audit_since(client: httpx.Client, headers: dict[str, str], seq: int,
                **params: Any) -> list[dict[str, Any]]:
    """Audit entries recorded after entry ``seq``, oldest first."""
    r = client.get("/api/v1/audit", headers=headers,
                   params={"limit": 500, "order": "newest", **params})
    assert r.status_code == 200, r.text
    return sorted((e for e in r.json()["items"] if e["seq"] > seq), key=lambda e: e["seq"])


def head_seq(client: httpx.Client, headers: dict[str, str]) -> int:
    r = client.get("/api/v1/audit", headers=headers, params={"limit": 1})
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    return items[0]["seq"] if items else 0


def bis_licence(number: str, *, quantity: int = 100, value: str = "100000.00") -> dict[str, Any]:
    """A BIS licence request for 3A001.a.2 to India (one line), as the ledger tests post it."""
    return {
        "agency": "BIS", "number": number, "kind": "BIS", "destination": "IN",
        "valid_from": "2024-01-01",
        "parties": [{"role": "applicant", "name": "Example Exporter Inc.", "country": "US"},
                    {"role": "consignee", "name": "Bharat Optics Ltd", "country": "IN"},
                    {"role": "end_user", "name": "Bharat Optics Ltd", "country": "IN"}],
        "lines": [{"classification": "3A001.a.2", "description": "rad-hard ICs",
                   "quantity": quantity, "value": value}],
    }


def spec_validator(spec: dict[str, Any], schema: dict[str, Any], *,
                   formats: bool = False) -> Draft202012Validator:
    """A validator for ``schema`` (a fragment of the OpenAPI document ``spec``) that resolves
    the document's ``#/...`` refs; ``formats``: check ``format`` (date-time ...) too."""
    schema = copy.deepcopy(schema)

    def absolute(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
                node["$ref"] = SPEC_URI + node["$ref"]
            for value in node.values():
                absolute(value)
        elif isinstance(node, list):
            for value in node:
                absolute(value)

    absolute(schema)
    registry = Registry().with_resource(
        SPEC_URI, Resource.from_contents(spec, default_specification=DRAFT202012))
    return Draft202012Validator(
        schema, registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER if formats else None)
