"""From an external auditor's QA pass on the audit trail, through the web service.

1. ``POST /audit/verify`` took no anchor: entries deleted from the end with the chain head
   rewritten to match verified as sound, and nothing in the API could tell (the CLI's
   ``audit verify --anchor`` could); a mistyped anchor is a 400 naming the form.
2. An entry edited outside exportcheck into a payload that is not JSON made ``GET /audit``
   answer 500 and the Audit page show a bare "Expecting value: line 1 column 14" and no
   entries at all; both now show it as stored, while ``POST /audit/verify`` names it.

Each test tampers with a service database of its own.
"""

from __future__ import annotations

import html

import sqlalchemy as sa

from exportcheck.db import get_engine
from tests.web.api_helpers import problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import browser, sign_in

EDITED = '{"decision": accepted'




def _raw(service: Service, *sql: str, **params: object) -> None:
    """Someone with raw database access (the append-only triggers dropped first)."""
    with get_engine(service.database_url).begin() as conn:
        for name in ("audit_log_no_update", "audit_log_no_delete", "audit_seal_no_delete"):
            conn.execute(sa.text(f"DROP TRIGGER IF EXISTS {name}"))
        for stmt in sql:
            conn.execute(sa.text(stmt), params)


def test_verify_takes_anchors_and_one_catches_a_truncated_tail(own: Service) -> None:
    c, h = own.client, own.auth("viewer")
    head = c.post("/api/v1/audit/verify", headers=h).json()
    assert head["ok"] and head["unsealed"] == 0
    anchor = f"{head['head_seq']}:{head['head_hash']}"
    r = c.post("/api/v1/audit/verify", headers=h, params={"anchor": anchor})
    assert r.status_code == 200 and r.json()["ok"], r.text
    assert r.json()["anchors_checked"] == [anchor]

    last = head["head_seq"]  # the newest entry goes, and the head is set back to match
    _raw(own, "DELETE FROM audit_log WHERE seq = :s", "DELETE FROM audit_seal WHERE seq = :s",
         "UPDATE audit_head SET seq = :p, hash = (SELECT hash FROM audit_seal WHERE seq = :p)",
         s=last, p=last - 1)
    assert c.post("/api/v1/audit/verify", headers=h).json()["ok"]  # by design: no anchor
    caught = c.post("/api/v1/audit/verify", headers=h, params={"anchor": anchor}).json()
    assert (caught["ok"], caught["first_bad"]) == (False, last)
    assert "truncated" in caught["problem"]

    for bad in (f"0:{head['head_hash']}", f"{last}:{'z' * 64}"):
        r = c.post("/api/v1/audit/verify", headers=h, params={"anchor": bad})
        assert "SEQ:SHA256HEX" in problem(r, 400)["detail"]


def test_an_entry_that_is_not_json_is_listed_as_stored_and_named_by_verify(
        own: Service) -> None:
    c, h = own.client, own.auth("viewer")
    params = {"kind": "shipment.posted", "order": "oldest"}
    first, second = c.get("/api/v1/audit", headers=h, params=params).json()["items"][:2]
    _raw(own, "UPDATE audit_log SET payload = :p WHERE seq = :s", p=EDITED, s=first["seq"])
    r = c.get("/api/v1/audit", headers=h, params=params)
    assert r.status_code == 200, r.text
    items = {e["seq"]: e for e in r.json()["items"]}
    # the stored text, where a sound entry has an object
    assert items[first["seq"]]["payload"] == EDITED
    assert items[second["seq"]]["payload"] == second["payload"]
    v = c.post("/api/v1/audit/verify", headers=h).json()
    assert (v["ok"], v["first_bad"]) == (False, first["seq"]) and "edited" in v["problem"]

    b = browser(own, "203.0.113.125")
    assert sign_in(b, "viewer", own.password("viewer")).status_code == 303
    page = b.get("/audit", params={"offset": 0}, headers={"Accept": "text/html"})
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "Expecting value" not in text
    assert f"not JSON (edited?): {EDITED}" in text
    b.close()
