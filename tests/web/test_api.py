"""REST API: determinations, screening, dispositions, impact runs and list versions."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections import Counter
from collections.abc import Callable

import pytest

from exportcheck.screen.service import SAMPLES_DIR
from tests.web.api_helpers import actor_of, audit_since, head_seq, problem
from tests.web.conftest import Service

CLI = Callable[[list[str]], tuple[int, str, str]]
CARRIE_LAM = ("SDN", "29249")  # OFAC SDN entry of the sample lists (HK-EO13936)


# -- determinations ------------------------------------------------------------------------
@pytest.mark.parametrize("day", ["2020-06-29", "2021-01-15"])
def test_determination_same_as_cli(service: Service, cli: CLI, day: str) -> None:
    code, out, err = cli(["check", "--item", "3A001.a.2", "--to", "HK", "--on", day, "--json",
                          "--no-screen"])
    assert code == 0, err
    expected = json.loads(out)
    r = service.client.post("/api/v1/determinations", headers=service.auth("officer"), json={
        "item": "3A001.a.2", "destination": "HK", "date": day, "screen": False})
    assert r.status_code == 200, r.text
    assert r.json() == expected
    assert expected["on"] == day and expected["trace"]


def test_determination_outcome_changes_across_hk_2020(service: Service) -> None:
    def outcome(day: str) -> str:
        r = service.client.post("/api/v1/determinations", headers=service.auth("officer"),
                                json={"item": "3A001.a.2", "destination": "HK", "date": day})
        assert r.status_code == 200, r.text
        return r.json()["outcome"]

    assert outcome("2020-06-29") == "EXCEPTION_AVAILABLE"
    assert outcome("2021-01-15") == "LICENSE_REQUIRED"


def test_determination_record_is_audited_under_the_officer(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    seq = head_seq(c, h)
    r = c.post("/api/v1/determinations", headers=h, json={
        "item": "3A001.a.2", "destination": "HK", "date": "2021-01-15", "value": 1200,
        "record": True})
    assert r.status_code == 200, r.text
    entries = audit_since(c, h, seq)
    assert [e["kind"] for e in entries] == ["determination"]
    assert entries[0]["actor"] == actor_of(c, h)
    assert entries[0]["actor"].startswith("officer")
    assert entries[0]["payload"]["outcome"] == r.json()["outcome"]
    assert entries[0]["versions"]["rule_base"] == r.json()["ruleset_version"]
    # without record nothing is written; a viewer may not determine
    c.post("/api/v1/determinations", headers=h,
           json={"item": "EAR99", "destination": "DE", "date": "2021-01-15"})
    assert head_seq(c, h) == entries[0]["seq"]
    problem(c.post("/api/v1/determinations", headers=service.auth("viewer"),
                   json={"item": "EAR99", "destination": "DE", "date": "2021-01-15"}), 403)


def test_determination_batch_in_order_with_line_errors(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    lines = [
        {"id": "a", "item": "3A001.a.2", "destination": "HK", "date": "2021-01-15"},
        {"id": "b", "item": "9Z999.q", "destination": "HK", "date": "2021-01-15"},
        {"id": "c", "item": "3A001.a.2", "destination": "HK", "date": "2020-06-29"},
        {"item": "EAR99", "destination": "DE", "date": "2021-01-15"},
    ]
    r = c.post("/api/v1/determinations/batch", headers=h, json={"lines": lines})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["line"] for x in results] == [1, 2, 3, 4]  # numbered as `exportcheck batch`
    assert [x["id"] for x in results] == ["a", "b", "c", None]
    assert results[1]["error"] and "9Z999" in results[1]["error"]
    assert results[1]["outcome"] is None
    for i in (0, 2, 3):
        one = c.post("/api/v1/determinations", headers=h,
                     json={k: v for k, v in lines[i].items() if k != "id"}).json()
        assert results[i]["error"] is None
        assert results[i]["outcome"] == one["outcome"], i
        assert results[i]["agency"] == one["agency"]
        assert results[i]["caveats"] == one["caveats"], i
        assert results[i]["exception_conditions"] == [
            f"{e['symbol']}: {e['conditions']}" for e in one["license_exceptions"]
            if e["conditions"]], i
    # 3A001.a.2 to HK on 29 Jun 2020: LVS, on a value not given
    assert results[2]["exception_conditions"][0].startswith("LVS: value not given")
    assert r.json()["counts"] == dict(Counter(x["outcome"] or "ERROR" for x in results))


def test_determination_batch_lines_carry_their_facts(service: Service) -> None:
    """A batch line's ``facts`` as in a single determination: ACA to Vietnam (June 2024) with
    and without them, and a mistyped headquarters as that line's error."""
    c, h = service.client, service.auth("officer")
    line = {"item": "3A090.a", "destination": "VN", "date": "2024-06-15"}
    facts = {"headquarters": "VN", "conditions_met": ["ACA"]}
    lines = [line, line | {"facts": facts}, line | {"facts": {"headquarters": "XX"}}]
    r = c.post("/api/v1/determinations/batch", headers=h, json={"lines": lines})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    for i in (0, 1):
        one = c.post("/api/v1/determinations", headers=h, json=lines[i]).json()
        assert results[i]["outcome"] == one["outcome"]
        assert results[i]["license_exceptions"] == [e["symbol"] for e in one["license_exceptions"]]
        by_exception: dict[str, list[str]] = {}
        for w in one["facts_wanted"]:
            by_exception.setdefault(w["subject"], []).append(w["fact"])
        assert results[i]["facts_wanted"] == [
            f"{sym}: {', '.join(dict.fromkeys(f))}" for sym, f in by_exception.items()]
    assert results[0]["outcome"] == "LICENSE_REQUIRED" and results[1]["license_exceptions"] == [
        "ACA"]
    assert "ACA: headquarters, conditions_met" in results[0]["facts_wanted"]
    assert "unknown headquarters country 'XX'" in results[2]["error"]


def test_determination_batch_limit(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    kinds = [("3A001.a.2", "2021-01-15"), ("3A001.a.2", "2020-06-29"), ("EAR99", "2021-01-15")]
    lines = [{"id": str(i), "item": kinds[i % 3][0], "destination": "HK",
              "date": kinds[i % 3][1]} for i in range(10_000)]
    r = c.post("/api/v1/determinations/batch", headers=h, json={"lines": lines})
    assert r.status_code == 200, r.text[:500]
    results = r.json()["results"]
    assert len(results) == 10_000
    assert [x["id"] for x in results] == [str(i) for i in range(10_000)]
    assert [x["line"] for x in results] == list(range(1, 10_001))
    assert results[0]["outcome"] == "LICENSE_REQUIRED"
    assert results[1]["outcome"] == "EXCEPTION_AVAILABLE"
    assert all(x["outcome"] == results[i % 3]["outcome"] for i, x in enumerate(results))
    assert sum(r.json()["counts"].values()) == 10_000

    lines.append({"id": "10000", "item": "EAR99", "destination": "HK", "date": "2021-01-15"})
    body = problem(c.post("/api/v1/determinations/batch", headers=h, json={"lines": lines}), 422)
    assert "10000" in body["detail"].replace(",", "") and "lines" in body["detail"]
    assert body["errors"][0]["field"] == "body.lines"


# -- screening -----------------------------------------------------------------------------
def active_version_tags(service: Service) -> list[str]:
    r = service.client.get("/api/v1/lists", headers=service.auth("viewer"))
    assert r.status_code == 200, r.text
    return [f"{v['source']}@{v['content_hash'][:12]}" for v in r.json()["items"]]


@pytest.mark.parametrize("name", ["Carrie Lam", "林鄭月娥"])
def test_screen_finds_sample_entry(service: Service, name: str) -> None:
    r = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                            json={"name": name})
    assert r.status_code == 200, r.text
    body = r.json()
    hit = next(h for h in body["hits"] if (h["list"], h["entry_id"]) == CARRIE_LAM)
    assert hit["score"] >= body["threshold"] == 85
    assert "LAM" in hit["matched_name"].upper()
    assert hit["explanation"] and any("alias" in line for line in hit["explanation"])
    assert hit["query"] == name
    tags = active_version_tags(service)
    assert len(tags) >= 5 and set(body["lists_version"].split(";")) == set(tags)


def test_screen_threshold_is_respected(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    low = c.post("/api/v1/screen", headers=h, json={"name": "Karrie Lamm", "threshold": 50})
    assert low.status_code == 200, low.text
    hit = next(x for x in low.json()["hits"] if (x["list"], x["entry_id"]) == CARRIE_LAM)
    assert 50 <= hit["score"] < 100
    assert all(x["score"] >= 50 for x in low.json()["hits"])
    at = c.post("/api/v1/screen", headers=h, json={"name": "Karrie Lamm",
                                                   "threshold": hit["score"]}).json()
    assert CARRIE_LAM in {(x["list"], x["entry_id"]) for x in at["hits"]}
    above = c.post("/api/v1/screen", headers=h, json={"name": "Karrie Lamm",
                                                      "threshold": hit["score"] + 0.5}).json()
    assert above["threshold"] == hit["score"] + 0.5
    assert CARRIE_LAM not in {(x["list"], x["entry_id"]) for x in above["hits"]}
    assert all(x["score"] >= above["threshold"] for x in above["hits"])
    problem(c.post("/api/v1/screen", headers=h, json={"name": "x", "threshold": 101}), 422)


@pytest.mark.parametrize(("field", "value"), [("country", "Narnia"), ("dob", "1957-13-45")])
def test_screen_bad_country_or_dob(service: Service, field: str, value: str) -> None:
    r = service.client.post("/api/v1/screen", headers=service.auth("officer"),
                            json={"name": "Carrie Lam", field: value})
    assert 400 <= r.status_code < 500
    body = problem(r, r.status_code)
    words = {"country": "country", "dob": "date of birth"}[field]
    assert words in body["detail"] and value in body["detail"], body


def test_screen_batch_limit(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    queries = [{"id": f"q{i}", "name": "Carrie Lam" if i % 100 == 0 else f"Person Number {i}"}
               for i in range(1000)]
    r = c.post("/api/v1/screen/batch", headers=h, json={"queries": queries})
    assert r.status_code == 200, r.text[:500]
    results = r.json()["results"]
    assert [x["id"] for x in results] == [q["id"] for q in queries]
    found = [x["id"] for x in results
             if CARRIE_LAM in {(hit["list"], hit["entry_id"]) for hit in x["hits"]}]
    assert found == [f"q{i}" for i in range(0, 1000, 100)]
    queries.append({"id": "q1000", "name": "One Too Many"})
    body = problem(c.post("/api/v1/screen/batch", headers=h, json={"queries": queries}), 422)
    assert "1000" in body["detail"].replace(",", "")
    assert body["errors"][0]["field"] == "body.queries"


# -- dispositions --------------------------------------------------------------------------
def test_disposition_clears_hit_for_that_party(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    actor = actor_of(c, h)
    party = {"name": "Carrie Lam", "country": "HK"}

    def hit_ids(query: dict) -> set[tuple[str, str]]:
        r = c.post("/api/v1/screen", headers=h, json=query)
        assert r.status_code == 200, r.text
        return {(x["list"], x["entry_id"]) for x in r.json()["hits"]}

    assert CARRIE_LAM in hit_ids(party)
    seq = head_seq(c, h)
    r = c.post("/api/v1/dispositions", headers=h, json={
        "party": "Carrie Lam", "country": "HK", "list": "SDN", "entry_id": "29249",
        "reason": "test: a different Carrie Lam, verified by passport"})
    assert r.status_code == 201, r.text
    disp = r.json()
    assert disp["user"] == actor and disp["decision"] == "cleared"
    assert (disp["list"], disp["entry_id"], disp["party"]) == ("SDN", "29249", "Carrie Lam")

    assert CARRIE_LAM not in hit_ids(party)
    assert CARRIE_LAM in hit_ids({"name": "Carrie Lam", "country": "GB"})  # another party

    entries = audit_since(c, h, seq)
    assert [(e["kind"], e["actor"]) for e in entries] == [("screening.disposition", actor)]
    assert entries[0]["payload"]["entry_id"] == "29249"

    listed = c.get("/api/v1/dispositions", headers=service.auth("viewer"),
                   params={"limit": 1}).json()
    assert set(listed) == {"items", "total", "limit", "offset"}
    assert (listed["limit"], listed["offset"]) == (1, 0) and listed["total"] >= 1
    assert listed["items"][0]["id"] == disp["id"]
    beyond = c.get("/api/v1/dispositions", headers=h,
                   params={"offset": listed["total"]}).json()
    assert beyond["items"] == [] and beyond["total"] == listed["total"]

    missing = c.post("/api/v1/dispositions", headers=h, json={
        "party": "Carrie Lam", "list": "SDN", "entry_id": "999999999", "reason": "x"})
    assert "999999999" in problem(missing, 404)["detail"]
    problem(c.post("/api/v1/dispositions", headers=service.auth("viewer"), json={
        "party": "Carrie Lam", "list": "SDN", "entry_id": "29249", "reason": "x"}), 403)


# -- impact runs ---------------------------------------------------------------------------
def test_impact_run_sample(service: Service) -> None:
    from exportcheck.api import default_screener
    from exportcheck.impact import impact
    from exportcheck.web.routers.impact import sample_frame

    c, h = service.client, service.auth("officer")
    r = c.post("/api/v1/impact-runs", headers=h, json={
        "sample": True, "from_date": "2020-06-29", "to_date": "2021-01-15"})
    assert r.status_code == 201, r.text[:500]
    run = r.json()
    expected = impact(sample_frame(), dt.date(2020, 6, 29), dt.date(2021, 1, 15),
                      screener=default_screener(), database_url=service.database_url,
                      workers=1).summary.totals
    assert (run["lines"], run["changed_lines"]) == (expected.lines, expected.changed_lines)
    # 17 change outcome; 7 more keep LICENSE_REQUIRED under a new review policy (HK as CN)
    assert (run["lines"], run["changed_lines"]) == (54, 24)
    assert run["value_changed"] == pytest.approx(expected.value_changed)
    assert run["created_by"] == actor_of(c, h)
    assert run["summary"]["totals"]["changed_lines"] == 24

    listed = c.get("/api/v1/impact-runs", headers=service.auth("viewer")).json()
    assert listed["items"][0]["id"] == run["id"] and listed["total"] >= 1
    got = c.get(f"/api/v1/impact-runs/{run['id']}", headers=service.auth("viewer")).json()
    assert got["summary"] == run["summary"]
    assert (got["from_date"], got["to_date"]) == ("2020-06-29", "2021-01-15")

    rep = c.get(f"/api/v1/impact-runs/{run['id']}/report", headers=service.auth("viewer"))
    assert rep.status_code == 200
    assert rep.headers["content-type"].startswith("text/html")
    kpis = dict(re.findall(r'data-kpi="(\w+)"><div class="kpi-label">[^<]*</div>'
                           r'<div class="kpi-value">([^<]*)<', rep.text))
    assert kpis["lines"] == "54" and kpis["changed"] == "24"
    assert kpis["value_changed"].replace("$", "").replace(",", "").startswith(
        str(int(run["value_changed"])))

    page = c.get(f"/api/v1/impact-runs/{run['id']}/lines", headers=h,
                 params={"changed_only": True, "limit": 10}).json()
    assert page["total"] == 24 and len(page["items"]) == 10
    assert all(x["changed"] for x in page["items"])
    rest = c.get(f"/api/v1/impact-runs/{run['id']}/lines", headers=h,
                 params={"changed_only": True, "limit": 10, "offset": 10}).json()
    assert len(rest["items"]) == 10
    every = c.get(f"/api/v1/impact-runs/{run['id']}/lines", headers=h,
                  params={"limit": 500}).json()
    assert every["total"] == 54 and sum(x["changed"] for x in every["items"]) == 24
    problem(c.get("/api/v1/impact-runs/999999", headers=h), 404)


def test_impact_run_lines_and_bad_requests(service: Service) -> None:
    c, h = service.client, service.auth("officer")
    dates = {"from_date": "2020-06-29", "to_date": "2021-01-15"}
    line = {"id": "o-1", "item": "3A001.a.2", "destination": "HK", "date": "2020-06-29",
            "value": 1200}
    r = c.post("/api/v1/impact-runs", headers=h, json={**dates, "lines": [line]})
    assert r.status_code == 201, r.text[:500]
    assert (r.json()["lines"], r.json()["changed_lines"]) == (1, 1)
    got = c.get(f"/api/v1/impact-runs/{r.json()['id']}/lines", headers=h).json()["items"]
    assert (got[0]["old_outcome"], got[0]["new_outcome"]) == (
        "EXCEPTION_AVAILABLE", "LICENSE_REQUIRED")

    both = c.post("/api/v1/impact-runs", headers=h, json={**dates, "lines": [line],
                                                          "sample": True})
    assert "either" in problem(both, 400)["detail"]
    neither = c.post("/api/v1/impact-runs", headers=h, json=dates)
    assert "either" in problem(neither, 400)["detail"]
    backwards = c.post("/api/v1/impact-runs", headers=h, json={
        "sample": True, "from_date": "2021-01-15", "to_date": "2020-06-29"})
    assert "after" in problem(backwards, 400)["detail"]


# -- lists ---------------------------------------------------------------------------------
def dpl_rows() -> tuple[list[str], list[list[str]]]:
    text = (SAMPLES_DIR / "dpl.txt").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text), delimiter="\t"))
    return rows[0], [r for r in rows[1:] if r]


def dpl_file(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [header, *rows])
    return out.getvalue().encode()


def norm(name: str) -> str:
    return " ".join(name.upper().split())


def test_list_versions_and_changes(service: Service) -> None:
    c, h = service.client, service.auth("viewer")
    body = c.get("/api/v1/lists", headers=h).json()
    by_source = {v["source"]: v for v in body["items"]}
    assert {"ofac-sdn", "csl", "bis-dpl", "un", "mofcom"} <= set(by_source)
    sdn = by_source["ofac-sdn"]
    assert sdn["active"] and sdn["by_list"]["SDN"] == sdn["entry_count"] > 0
    assert sum(by_source["csl"]["by_list"].values()) == by_source["csl"]["entry_count"]
    first = c.get(f"/api/v1/lists/{sdn['id']}/changes", headers=h).json()
    assert first["previous_id"] is None
    assert first["added"] == sdn["entry_count"] and first["removed"] == 0
    problem(c.get("/api/v1/lists/999999/changes", headers=h), 404)


def test_list_upload_changes_and_row_drop_gate(service: Service) -> None:
    c, h = service.client, service.auth("admin")
    header, rows = dpl_rows()
    names = Counter(norm(r[0]) for r in rows)
    single = [r for r in rows if names[norm(r[0])] == 1]
    dropped = single[-3:]  # under 10% of the rows: accepted without force
    kept = [r for r in rows if r not in dropped]
    assert len(kept) >= 0.9 * len(rows)

    problem(c.post("/api/v1/lists/load", headers=service.auth("officer"),
                   files={"files": ("dpl.txt", dpl_file(header, kept))}), 403)
    r = c.post("/api/v1/lists/load", headers=h,
               files={"files": ("dpl.txt", dpl_file(header, kept))})
    assert r.status_code == 200, r.text
    [res] = r.json()
    assert (res["source"], res["status"]) == ("bis-dpl", "activated")
    assert (res["row_count"], res["previous_rows"]) == (len(kept), len(rows))

    active = {v["source"]: v for v in c.get("/api/v1/lists", headers=h).json()["items"]}
    assert active["bis-dpl"]["id"] == res["version_id"]
    assert active["bis-dpl"]["loaded_by"] == actor_of(c, h)
    changes = c.get(f"/api/v1/lists/{res['version_id']}/changes", headers=h).json()
    assert (changes["removed"], changes["added"], changes["changed"]) == (3, 0, 0)
    assert {norm(x["name"]) for x in changes["examples"]["removed"]} == {
        norm(r[0]) for r in dropped}
    assert {x["list"] for x in changes["examples"]["removed"]} == {"DPL"}

    # a further drop of over 10% is refused unless forced, and nothing changes
    before = c.get("/api/v1/lists", headers=h, params={"all": True}).json()
    shorter = kept[: int(len(kept) * 0.8)]
    refused = c.post("/api/v1/lists/load", headers=h,
                     files={"files": ("dpl.txt", dpl_file(header, shorter))})
    body = problem(refused, 422)
    assert "bis-dpl" in body["detail"] and "force" in body["detail"].lower()
    assert c.get("/api/v1/lists", headers=h, params={"all": True}).json() == before

    forced = c.post("/api/v1/lists/load", headers=h, data={"force": "true"},
                    files={"files": ("dpl.txt", dpl_file(header, shorter))})
    assert forced.status_code == 200, forced.text
    assert forced.json()[0]["status"] == "activated"
    after = {v["source"]: v for v in c.get("/api/v1/lists", headers=h).json()["items"]}
    assert after["bis-dpl"]["id"] == forced.json()[0]["version_id"]
    assert after["bis-dpl"]["forced"] is True and after["bis-dpl"]["row_count"] == len(shorter)
    assert after["bis-dpl"]["previous_id"] == res["version_id"]


def test_determination_gives_the_outcome_outside_a_scope_in_words(service: Service) -> None:
    """5E001 to Canada needs a licence only through SL, whose scope the rule base holds in
    words: the single and the batch answer both say it is NLR outside that scope."""
    c, h = service.client, service.auth("officer")
    line = {"item": "5E001.b.1", "destination": "CA", "date": "2026-07-01"}
    one = c.post("/api/v1/determinations", headers=h, json=line).json()
    assert one["outcome"] == "LICENSE_REQUIRED" and one["reasons"] == ["SL"]
    assert one["if_out_of_scope"]["outcome"] == "NLR"
    assert "5A001.f.1" in one["if_out_of_scope"]["lines"][0]
    batch = c.post("/api/v1/determinations/batch", headers=h, json={"lines": [line]}).json()
    assert batch["results"][0]["if_out_of_scope"] == "NLR"


def test_determination_batch_names_the_entries_the_parties_matched(service: Service) -> None:
    """A line PROHIBITED for "SDN" says which entry and which party: ``party_hits``, the same
    entries as the single determination's ``screening_hits``."""
    c, h = service.client, service.auth("officer")
    line = {"item": "EAR99", "destination": "HK", "date": "2024-01-15",
            "consignee": "John Lee Ka-chiu"}
    lines = [line, line | {"consignee": "Kowloon Bakery Ltd"}]
    r = c.post("/api/v1/determinations/batch", headers=h, json={"lines": lines})
    assert r.status_code == 200, r.text
    blocked, clean = r.json()["results"]
    one = c.post("/api/v1/determinations", headers=h, json=line).json()
    assert blocked["outcome"] == one["outcome"] == "PROHIBITED"
    assert [x.split(" (")[0] for x in blocked["party_hits"]] == [
        f"consignee: {x['list']} {x['entry_id']} {x['matched_name']!r}"
        for x in one["screening_hits"]]
    assert clean["party_hits"] == []


def test_a_list_upload_may_say_when_the_files_were_published(service: Service) -> None:
    """An upload's own date is no publication date: ``published`` sets the lists' date,
    before which a determination applies the entries the files do not date with a caveat
    (review 27); a date in the future is refused and loads nothing."""
    c, h = service.client, service.auth("admin")
    header, rows = dpl_rows()
    before = c.get("/api/v1/lists", headers=h, params={"all": True}).json()
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    body = problem(c.post("/api/v1/lists/load", headers=h, data={"published": future},
                          files={"files": ("dpl.txt", dpl_file(header, rows[:-1]))}), 400)
    assert "in the future" in body["detail"]
    problem(c.post("/api/v1/lists/load", headers=h, data={"published": "2026-7-1"},
                   files={"files": ("dpl.txt", dpl_file(header, rows[:-1]))}), 422)
    assert c.get("/api/v1/lists", headers=h, params={"all": True}).json() == before
    r = c.post("/api/v1/lists/load", headers=h, data={"published": "2026-07-01"},
               files={"files": ("dpl.txt", dpl_file(header, rows[:-1]))})
    assert r.status_code == 200, r.text
    active = {v["source"]: v for v in c.get("/api/v1/lists", headers=h).json()["items"]}
    assert active["bis-dpl"]["file_date"] == "2026-07-01"
