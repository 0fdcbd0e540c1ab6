"""Review 31 through the REST API and the accounts CLI: a shipment dated in the future is a
422 naming ``ship_date``; a licence ``?as_of=`` a date lists the status changes up to it; a
reinstatement names the policy event it lifts (``lifts``); ``tokens revoke`` of a token
already revoked says so and audits nothing."""

from __future__ import annotations

import datetime as dt

from exportcheck.accounts import Accounts
from exportcheck.ledger.api import Ledger
from tests.web.api_helpers import head_seq, problem
from tests.web.conftest import Service

HK_EVENT = "us-ddtc-hk-2020-06-30"
POLICE = "Hong Kong Police Force"


def test_a_shipment_dated_in_the_future_is_a_422_naming_the_date(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    seq = head_seq(c, h)
    day = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    body = problem(c.post("/api/v1/shipments", headers=h, json={
        "idempotency_key": "INV-31-future", "licence_number": "DSP5-HK-2019-001",
        "ship_date": day, "destination": "HK", "consignee": POLICE, "end_user": POLICE,
        "lines": [{"classification": "I(a)", "quantity": 1, "value": "1000.00"}]}), 422)
    assert "ship_date" in body["detail"] and day in body["detail"], body
    assert head_seq(c, h) == seq


def test_a_licence_as_of_a_date_has_the_history_of_that_day(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    then = c.get("/api/v1/licences/DSP5-HK-2019-001", headers=h,
                 params={"as_of": "2020-06-01"}).json()
    assert [e["status"] for e in then["history"]] == ["approved"], then["history"]
    listed = c.get("/api/v1/licences", headers=h, params={"as_of": "2020-06-01"}).json()
    assert all(e["effective"] <= "2020-06-01" for lic in listed["items"]
               for e in lic["history"])
    now = c.get("/api/v1/licences/DSP5-HK-2019-001", headers=h).json()
    assert [e["status"] for e in now["history"]] == ["approved", "suspended"]


def test_a_reinstatement_names_the_policy_event_it_lifts(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    change = {"status": "reinstated", "effective": "2020-08-01", "reason": "DDTC letter",
              "citation": "22 CFR 126.7"}
    url = "/api/v1/licences/DSP5-HK-2019-002/status"
    body = problem(c.post(url, headers=h, json=change), 409)
    assert HK_EVENT in body["detail"] and "lifts" in body["detail"]
    unknown = problem(c.post(url, headers=h, json=change | {"lifts": "no-such-event"}), 400)
    assert "no policy event 'no-such-event'" in unknown["detail"]
    done = c.post(url, headers=h, json=change | {"lifts": HK_EVENT})
    assert done.status_code == 200, done.text
    assert done.json()["history"][-1]["status"] == "reinstated"


def test_revoking_a_revoked_token_says_when_and_audits_once(cli) -> None:
    acc = Accounts()
    acc.add_user("alice", "admin", "a long enough password", actor="test")
    token, _ = acc.create_token("alice", label="ERP", actor="test")
    code, out, err = cli(["tokens", "revoke", str(token.id)])
    assert code == 0 and f"token #{token.id} of alice revoked" in out, err
    code, out, err = cli(["tokens", "revoke", str(token.id)])
    assert code == 0, err
    assert "already revoked at" in out and "nothing changed" in out, out
    kinds = [e.kind for e in Ledger().audit_entries(limit=10, newest_first=False)[0]]
    assert kinds.count("account.token_revoked") == 1
