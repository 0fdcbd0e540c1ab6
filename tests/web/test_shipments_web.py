"""Posted shipments over REST (``GET /api/v1/shipments``, ``/shipments/{key}``) and on the
Licences page, where an officer reverses one from its row with a recorded reason."""

from __future__ import annotations

import html
import re
from decimal import Decimal

from fastapi.testclient import TestClient

from tests.web.api_helpers import bis_licence, problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import browser, sign_in


def _shipment(key: str, number: str, value: str, date: str) -> dict:
    return {"idempotency_key": key, "licence_number": number, "ship_date": date,
            "destination": "IN", "consignee": "Bharat Optics Ltd",
            "end_user": "Bharat Optics Ltd",
            "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": value}]}


def test_shipments_over_rest(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D-SHP-1")).status_code == 201
    for key, value, date in (("shp-1", "100", "2025-03-01"), ("shp-2", "200", "2025-04-01")):
        r = c.post("/api/v1/shipments", headers=h, json=_shipment(key, "D-SHP-1", value, date))
        assert r.status_code == 201, r.text
    r = c.post("/api/v1/shipments/shp-1/reversal", headers=h,
               json={"idempotency_key": "shp-1-undo", "reason": "wrong order"})
    assert r.status_code == 201, r.text

    v = service.auth("viewer")
    listing = c.get("/api/v1/shipments", headers=v, params={"licence": "D-SHP-1"})
    assert listing.status_code == 200, listing.text
    body = listing.json()
    assert body["total"] == 2 and [s["idempotency_key"] for s in body["items"]] == [
        "shp-2", "shp-1"]
    first = body["items"][1]
    assert first["reversed"] and first["reversal"]["reason"] == "wrong order"
    assert first["reversal"]["actor"].startswith("officer") and first["recorded_at"].endswith(
        ("Z", "+00:00"))
    assert Decimal(first["lines"][0]["value"]) == Decimal("100")
    standing = c.get("/api/v1/shipments", headers=v,
                     params={"licence": "D-SHP-1", "reversed": "false"}).json()
    assert [s["idempotency_key"] for s in standing["items"]] == ["shp-2"]
    dated = c.get("/api/v1/shipments", headers=v,
                  params={"from": "2025-03-15", "to": "2025-04-01"}).json()
    assert "shp-2" in {s["idempotency_key"] for s in dated["items"]}
    assert "shp-1" not in {s["idempotency_key"] for s in dated["items"]}

    one = c.get("/api/v1/shipments/shp-2", headers=v)
    assert one.status_code == 200 and one.json()["licence_number"] == "D-SHP-1"
    assert "no shipment with idempotency key 'nope'" in problem(
        c.get("/api/v1/shipments/nope", headers=v), 404)["detail"]
    assert "no licence 'D-NONE'" in problem(
        c.get("/api/v1/shipments", headers=v, params={"licence": "D-NONE"}), 404)["detail"]
    assert "after it ends" in problem(c.get("/api/v1/shipments", headers=v, params={
        "from": "2025-05-01", "to": "2025-04-01"}), 400)["detail"]
    # a replay of the reversed shipment's post says it is reversed and draws nothing
    again = c.post("/api/v1/shipments", headers=h,
                   json=_shipment("shp-1", "D-SHP-1", "100", "2025-03-01"))
    assert again.status_code == 200 and again.json()["reversed"] is True


def _hidden(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', page))


def test_an_officer_reverses_a_shipment_from_the_licences_page(service: Service,
                                                               officer_page: TestClient) -> None:
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D-SHP-UI")).status_code == 201
    posted = c.post("/api/v1/shipments", headers=h,
                    json=_shipment("shp-ui-1", "D-SHP-UI", "300", "2025-03-01")).json()
    page = officer_page.get("/licences", params={"licence": "D-SHP-UI"})
    assert page.status_code == 200 and "shp-ui-1" in page.text
    link = "/licences/shipments/reverse?key=shp-ui-1"
    assert f'href="{link}"' in page.text
    # the confirmation page shows what the shipment drew before anything is reversed
    confirm = officer_page.get(link)
    assert confirm.status_code == 200 and f"Reverse shipment #{posted['id']}" in confirm.text
    assert "licence BIS D-SHP-UI" in confirm.text and "$300.00" in confirm.text
    hidden = _hidden(confirm.text)
    assert set(hidden) == {"csrf_token", "shipment_key", "idempotency_key"}
    assert hidden["shipment_key"] == "shp-ui-1"

    # no reason: refused and audited, nothing given back; the page says so
    r = officer_page.post("/licences/shipments/reverse", data=hidden | {"reason": "  "})
    # refused with the API's 409 (review 28b), said at the Reason box
    assert r.status_code == 409 and "refused: give a reason" in r.text
    line = c.get("/api/v1/licences/D-SHP-UI", headers=h).json()["lines"][0]
    assert Decimal(line["shipped_value"]) == Decimal("300")

    form = hidden | {"reason": "posted twice", "reference": "CN-9"}
    r = officer_page.post("/licences/shipments/reverse", data=form)
    assert r.status_code == 200, r.text
    assert f"shipment #{posted['id']} reversed: $300.00 given back to D-SHP-UI" in r.text
    line = c.get("/api/v1/licences/D-SHP-UI", headers=h).json()["lines"][0]
    assert Decimal(line["shipped_value"]) == 0
    # the same form sent again reverses nothing twice
    r = officer_page.post("/licences/shipments/reverse", data=form)
    assert "nothing given back twice" in r.text
    page = officer_page.get("/licences", params={"licence": "D-SHP-UI"}).text
    assert "posted twice" in page and f'href="{link}"' not in page
    assert "Already reversed" in officer_page.get(link).text
    # a form without its CSRF token changes nothing; an unknown key is named
    r = officer_page.post("/licences/shipments/reverse",
                          data={k: v for k, v in form.items() if k != "csrf_token"})
    assert r.status_code == 403
    r = officer_page.get("/licences/shipments/reverse?key=no-such")
    assert r.status_code == 404 and "no shipment with idempotency key" in r.text


def test_a_viewer_sees_shipments_but_cannot_reverse(service: Service) -> None:
    b = browser(service, "203.0.113.41")
    assert sign_in(b, "viewer", service.password("viewer")).status_code == 303
    page = b.get("/licences")
    assert page.status_code == 200 and "<h2>Shipments</h2>" in page.text
    assert "/licences/shipments/reverse" not in page.text
    assert b.get("/licences/shipments/reverse?key=x").status_code == 403
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf, "the viewer's page carries the session's CSRF token"
    r = b.post("/licences/shipments/reverse", data={
        "csrf_token": csrf.group(1), "shipment_key": "x", "reason": "r", "idempotency_key": "k"})
    assert r.status_code == 403
    b.close()


def test_an_officer_posts_under_a_licence_exception_and_overrides_a_refusal(
        service: Service, officer_page: TestClient) -> None:
    """The Licences page posts under a licence exception too: checked against the
    determination, refused with the line named, and posted with a recorded override reason."""
    page = officer_page.get("/licences").text
    form = {**_hidden(page.split('action="/licences/ship"')[1]), "licence_number": "",
            "licence_exception": "LVS", "ship_date": "2024-06-01", "destination": "IR",
            "classification": "3A001.a.2", "quantity": "1", "value": "100",
            "consignee": "Tehran Trading", "end_user": "Tehran Trading"}
    r = officer_page.post("/licences/ship", data=form)
    assert r.status_code == 409 and "Shipment refused" in r.text  # the API's (review 28b)
    assert "LVS is not available to IR" in r.text and "give it as the override reason" in r.text
    assert '<details class="wide override" open>' in r.text
    assert 'value="LVS"' in r.text  # the form keeps what was typed

    again = {**form, **_hidden(r.text.split('action="/licences/ship"')[1]),
             "override_reason": "BIS advisory opinion 2024-17"}
    r = officer_page.post("/licences/ship", data=again)
    assert r.status_code == 200 and "posted under licence exception LVS: $100.00" in r.text
    assert "line 1 (3A001.a.2): LICENSE_REQUIRED" in r.text
    assert "overridden: BIS advisory opinion 2024-17" in r.text
    c, h = service.client, service.auth("viewer")
    posted = c.get("/api/v1/shipments", headers=h, params={"destination": "IR"}).json()
    assert [s["licence_exception"] for s in posted["items"]] == ["LVS"]

    # neither a licence nor an exception: the error names what is missing, nothing posted
    r = officer_page.post("/licences/ship", data={**form, "licence_exception": ""})
    assert r.status_code == 422 and "choose a licence, or give the licence exception" in r.text
    assert c.get("/api/v1/shipments", headers=h,
                 params={"destination": "IR"}).json()["total"] == 1


def test_an_exception_shipment_states_the_facts_it_rests_on(officer_page: TestClient) -> None:
    """The ship form's folded facts: ACA for 3A090.a to Vietnam posts with them."""
    page = officer_page.get("/licences").text
    assert "Facts a licence exception rests on" in page
    form = {**_hidden(page.split('action="/licences/ship"')[1]), "licence_number": "",
            "licence_exception": "ACA", "ship_date": "2024-06-15", "destination": "VN",
            "classification": "3A090.a", "quantity": "2", "value": "40000",
            "consignee": "Compute JSC", "end_user": "Compute JSC"}
    r = officer_page.post("/licences/ship", data=form)
    assert "Shipment refused" in r.text and "headquarters not stated" in r.text
    # the facts it wants are named, and the folded facts form opens to take them
    assert "facts not given: headquarters, conditions met ACA" in html.unescape(r.text)
    assert '<details class="wide exception-facts" open>' in r.text
    again = {**form, **_hidden(r.text.split('action="/licences/ship"')[1]),
             "headquarters": "VN", "conditions_met": "ACA"}
    r = officer_page.post("/licences/ship", data=again)
    assert "posted under licence exception ACA: $40,000.00" in r.text, r.text[-3000:]


def test_a_licence_has_a_page_of_its_own(service: Service) -> None:
    """Lines with what is shipped and left, the status history with citations, and the
    licence's own shipments; linked from the Licences table."""
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D-SHP-PAGE")).status_code == 201
    assert c.post("/api/v1/shipments", headers=h, json=_shipment(
        "shp-page-1", "D-SHP-PAGE", "2500", "2025-03-01")).status_code == 201
    assert c.post("/api/v1/licences/D-SHP-PAGE/status", headers=h, json={
        "status": "suspended", "effective": "2025-04-01", "reason": "test suspension",
        "citation": "15 CFR 750.8"}).status_code == 200
    b = browser(service, "203.0.113.42")
    assert sign_in(b, "viewer", service.password("viewer")).status_code == 303
    listing = b.get("/licences").text
    link = "/licences/view?number=D-SHP-PAGE&amp;agency=BIS"
    assert f'href="{link}"' in listing
    page = b.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    text = page.text
    assert "<h1>D-SHP-PAGE</h1>" in text and "3A001.a.2" in text
    assert "$2,500.00" in text  # shipped on the line, and the shipment's value
    assert "test suspension" in text and "15 CFR 750.8" in text
    assert "shp-page-1" in text and "Reverse…" not in text  # a viewer reverses nothing
    assert b.get("/licences/view?number=NO-SUCH").status_code == 404
    b.close()


def test_a_key_holding_a_slash_names_its_shipment(service: Service) -> None:
    """Invoice numbers such as INV/2025/0042 are common idempotency keys: the shipment is read
    and reversed under them, the slash written as it is or encoded."""
    c, h = service.client, service.auth("officer")
    assert c.post("/api/v1/licences", headers=h, json=bis_licence("D-SHP-SLASH")).status_code == 201
    key = "INV/2025/0042"
    assert c.post("/api/v1/shipments", headers=h, json=_shipment(
        key, "D-SHP-SLASH", "700", "2025-03-01")).status_code == 201
    for path in (key, "INV%2F2025%2F0042"):
        r = c.get(f"/api/v1/shipments/{path}", headers=h)
        assert r.status_code == 200 and r.json()["idempotency_key"] == key, r.text
    r = c.post(f"/api/v1/shipments/{key}/reversal", headers=h,
               json={"idempotency_key": "REV/2025/0042", "reason": "wrong order"})
    assert r.status_code == 201 and r.json()["shipment_key"] == key, r.text
    assert c.get(f"/api/v1/shipments/{key}", headers=h).json()["reversed"] is True
    spec = c.get("/openapi.json").json()["paths"]
    assert "/api/v1/shipments/{key}" in spec and "/api/v1/shipments/{key}/reversal" in spec


def test_a_potential_match_holds_an_exception_shipment_and_links_to_its_review(
        service: Service, officer_page: TestClient) -> None:
    """The web service screens the parties of a shipment under a licence exception (here
    against the bundled samples: no list is loaded): a potential match refuses it with the
    entry named, and the page links to the Screen page, which shows the hit to clear."""
    held = "ACTeam Logistics Hong Kong Ltd"  # partly the Entity List's ACTeam (HK)
    body = {"idempotency_key": "held-1", "licence_exception": "LVS", "ship_date": "2020-06-29",
            "destination": "HK", "consignee": "Kowloon Forwarding Ltd", "end_user": held,
            "lines": [{"classification": "9A610.x", "quantity": 1, "value": "100"}]}
    c, h = service.client, service.auth("officer")
    refused = problem(c.post("/api/v1/shipments", headers=h, json=body), 409)
    assert refused["rule"] == "party_held" and f"end user {held!r} may be EL " in refused[
        "detail"]

    page = officer_page.get("/licences").text
    form = {**_hidden(page.split('action="/licences/ship"')[1]), "licence_number": "",
            "licence_exception": "LVS", "ship_date": "2020-06-29", "destination": "HK",
            "classification": "9A610.x", "quantity": "1", "value": "100",
            "consignee": "Kowloon Forwarding Ltd", "end_user": held}
    r = officer_page.post("/licences/ship", data=form)
    assert r.status_code == 409 and "held for review" in r.text  # the API's (review 28b)
    link = re.search(r'<a href="(/screen\?[^"]+)"([^>]*)>Review the potential match of '
                     r'([^<]+)</a>', r.text)
    assert link is not None and link.group(3) == held
    assert 'target="_blank"' in link.group(2)  # the shipment form stays in its tab
    review = officer_page.get(link.group(1).replace("&amp;", "&"))
    assert review.status_code == 200 and "entry f04aff3fcb77" in review.text  # the hit...
    assert f'value="{held}"' in review.text  # ...and the form filled in for the disposition


def test_the_ship_form_states_the_end_use_a_licence_exception_is_checked_with(
        service: Service, officer_page: TestClient) -> None:
    page = officer_page.get("/licences").text
    assert '<select name="end_user_type"' in page and 'name="end_use"' in page
    form = {**_hidden(page.split('action="/licences/ship"')[1]), "licence_number": "",
            "licence_exception": "NLR", "ship_date": "2024-06-01", "destination": "CN",
            "classification": "3A991", "quantity": "1", "value": "100",
            "consignee": "Shenzhen Trading Ltd", "end_user": "Shenzhen Trading Ltd",
            "end_user_type": "military", "end_use": ""}
    r = officer_page.post("/licences/ship", data=form)
    assert r.status_code == 409 and "NLR claimed but a licence is required" in r.text
    assert '<option value="military" selected>' in r.text  # the form keeps what was stated
    again = {**form, **_hidden(r.text.split('action="/licences/ship"')[1]),
             "end_user_type": "civil"}
    r = officer_page.post("/licences/ship", data=again)
    assert "posted under licence exception NLR" in r.text


def test_a_licensed_shipment_to_a_party_blocked_since_is_refused_over_rest(
        service: Service) -> None:
    """The licence names the party; the party is on the SDN list (here the bundled samples'
    Carrie Lam, Hong Kong): 409 ``party_blocked``, nothing drawn."""
    c, h = service.client, service.auth("officer")
    lic = bis_licence("D-SDN-1")
    lic["destination"] = "HK"
    lic["parties"][1:] = [{"role": role, "name": "LAM, Carrie", "country": "HK"}
                          for role in ("consignee", "end_user")]
    assert c.post("/api/v1/licences", headers=h, json=lic).status_code == 201
    body = {**_shipment("sdn-1", "D-SDN-1", "100", "2024-06-01"), "destination": "HK",
            "consignee": "LAM, Carrie", "end_user": "LAM, Carrie"}
    refused = problem(c.post("/api/v1/shipments", headers=h, json=body), 409)
    assert refused["rule"] == "party_blocked" and "SDN 29249" in refused["detail"]
    assert c.get("/api/v1/shipments", headers=h,
                 params={"licence": "D-SDN-1"}).json()["total"] == 0


def test_a_licensed_shipment_held_for_a_potential_match_links_to_its_review(
        service: Service, officer_page: TestClient) -> None:
    held = "ACTeam Logistics Hong Kong Ltd"
    c, h = service.client, service.auth("officer")
    lic = bis_licence("D-HELD-1")
    lic["destination"] = "HK"
    lic["parties"][1:] = [{"role": role, "name": held, "country": "HK"}
                          for role in ("consignee", "end_user")]
    assert c.post("/api/v1/licences", headers=h, json=lic).status_code == 201
    page = officer_page.get("/licences").text
    form = {**_hidden(page.split('action="/licences/ship"')[1]), "licence_number": "D-HELD-1",
            "licence_exception": "", "ship_date": "2024-06-01", "destination": "HK",
            "classification": "3A001.a.2", "quantity": "1", "value": "100",
            "consignee": held, "end_user": held}
    r = officer_page.post("/licences/ship", data=form)
    assert r.status_code == 409 and "held for review" in r.text and "party_held" in r.text
    assert f"Review the potential match of {held}</a>" in r.text
    assert "give it as the override reason" not in r.text  # a licence has no override
