"""``/match/{dataset}`` as yente's clients use it.

The requests are shaped like those of nomenklatura's ``YenteEnricher`` (the client OpenSanctions
and its users run against yente): ``POST /match/<dataset>`` with the query string
``algorithm=best&fuzzy=False`` (Python values through ``urlencode``, keys sorted, ``cutoff``
only when configured), ``Authorization: ApiKey <key>``, and a body ``{"queries": {"entity":
{"schema": ..., "properties": {...}}}}``. The client reads
``response["responses"]["entity"]["results"]`` and builds a FollowTheMoney entity from each
result's ``id``, ``schema`` and ``properties``, so those must be valid FollowTheMoney.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest

from exportcheck.screen.service import Screener
from exportcheck.web.problems import MEDIA_TYPE

from .conftest import Service

DEFAULT_THRESHOLD = 0.85  # exportcheck's screening threshold (yente's own default is 0.7)
DEFAULT_LIMIT = 5  # yente's MATCH_PAGE

CARRIE_LAM = {"schema": "Person", "properties": {
    "name": ["Carrie Lam"], "birthDate": ["1957-05-13"], "nationality": ["hk"]}}
CARRIE_LAM_ID = "sdn-29249"

# FollowTheMoney 4 properties (followthemoney/schema/*.yaml) a list entry can carry, by the
# schema that defines them; a result may only use those of its schema and its parents
THING = {"name", "alias", "previousName", "weakAlias", "country", "notes", "topics", "program",
         "programId", "address", "summary", "description", "sourceUrl", "keywords"}
LEGAL_ENTITY = {"idNumber", "registrationNumber", "taxNumber", "innCode", "ogrnCode",
                "leiCode", "swiftBic", "jurisdiction", "mainCountry", "incorporationDate",
                "legalForm", "email", "phone", "website", "status", "sector"}
PERSON = {"birthDate", "birthPlace", "birthCountry", "nationality", "citizenship",
          "passportNumber", "gender", "position", "title", "firstName", "lastName"}
VEHICLE = {"registrationNumber", "type", "model", "buildDate", "owner", "operator"}
FTM_PROPERTIES: dict[str, set[str]] = {
    "LegalEntity": THING | LEGAL_ENTITY,
    "Organization": THING | LEGAL_ENTITY | {"imoNumber"},
    "Company": THING | LEGAL_ENTITY | {"imoNumber"},
    "PublicBody": THING | LEGAL_ENTITY | {"imoNumber"},
    "Person": THING | LEGAL_ENTITY | PERSON,
    "Vessel": THING | VEHICLE | {"imoNumber", "flag", "callSign", "mmsi", "tonnage"},
    "Airplane": THING | VEHICLE | {"serialNumber", "icaoCode", "manufacturer"},
}
#: the schema a client should get for each kind of list entry
KIND_SCHEMA = {"person": "Person", "entity": "Organization", "vessel": "Vessel",
               "aircraft": "Airplane", None: "LegalEntity"}


def enricher_url(dataset: str, *, cutoff: float | None = None, **extra: Any) -> str:
    """The URL the enricher builds (``rigour.urls.build_url``: sorted ``urlencode``)."""
    params: dict[str, Any] = {"fuzzy": False, "algorithm": "best", **extra}
    if cutoff is not None:
        params["cutoff"] = cutoff
    return f"/match/{dataset}?{urlencode(sorted(params.items()))}"


def post_match(service: Service, url: str, queries: dict[str, Any], *,
               role: str = "officer") -> httpx.Response:
    return service.client.post(url, json={"queries": queries},
                               headers={"Authorization": f"ApiKey {service.tokens[role]}"})


def results(response: httpx.Response, key: str = "entity") -> list[dict[str, Any]]:
    """What the enricher iterates over."""
    assert response.status_code == 200, response.text  # it calls raise_for_status()
    return response.json().get("responses", {}).get(key, {}).get("results", [])


def check_result(result: dict[str, Any], *, threshold: float = DEFAULT_THRESHOLD,
                 cutoff: float | None = None) -> None:
    """Every field a yente client reads, with the type it expects."""
    assert isinstance(result["id"], str) and result["id"]
    assert isinstance(result["caption"], str) and result["caption"]
    schema = result["schema"]
    assert schema in FTM_PROPERTIES, schema
    props = result["properties"]
    assert isinstance(props, dict) and props["name"]
    for prop, values in props.items():
        assert prop in FTM_PROPERTIES[schema], f"{prop!r} is not a property of {schema}"
        assert isinstance(values, list) and values, prop
        assert all(isinstance(v, str) and v for v in values), (prop, values)
    assert result["caption"] in props["name"] + props.get("alias", [])
    score = result["score"]
    assert isinstance(score, float | int) and not isinstance(score, bool)
    assert 0.0 <= score <= 1.0
    assert score >= min(threshold if cutoff is None else cutoff, threshold)
    assert isinstance(result["match"], bool)
    assert result["match"] == (score >= threshold)
    assert isinstance(result["datasets"], list) and result["datasets"]
    assert all(isinstance(d, str) for d in result["datasets"])
    assert isinstance(result["referents"], list)
    assert isinstance(result["target"], bool)
    for stamp in ("first_seen", "last_seen", "last_change"):
        assert result.get(stamp) is None or isinstance(result[stamp], str)
    assert isinstance(result["explanations"], dict)
    for feature in result["explanations"].values():
        # nomenklatura's FeatureResult, as yente returns it: "detail" (required, nullable)
        assert 0.0 <= feature["score"] <= 1.0 and isinstance(feature["detail"], str)


def check_response(response: httpx.Response, key: str, example: dict[str, Any], *,
                   limit: int = DEFAULT_LIMIT, threshold: float = DEFAULT_THRESHOLD,
                   cutoff: float | None = None) -> list[dict[str, Any]]:
    body = response.json()
    assert body["limit"] == limit
    entity = body["responses"][key]
    assert entity["status"] == 200
    assert entity["query"]["schema"] == example["schema"]
    assert entity["query"].get("id") == example.get("id")
    assert entity["query"]["properties"] == example["properties"]
    found = entity["results"]
    assert len(found) <= limit
    # yente's total: how many candidates are matches (before the limit cuts the results)
    total, matches = entity["total"]["value"], sum(r["match"] is True for r in found)
    assert isinstance(total, int) and entity["total"]["relation"] == "eq"
    assert total == matches if len(found) < limit else total >= matches
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)
    assert len({r["id"] for r in found}) == len(found)
    for r in found:
        check_result(r, threshold=threshold, cutoff=cutoff)
    return found


def assert_problem(response: httpx.Response, status: int | tuple[int, ...]) -> str:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    body = response.json()
    assert body["status"] == response.status_code
    return body["detail"]


# -- one query, as the enricher sends it ---------------------------------------------------
@pytest.mark.parametrize("cutoff", [None, 0.5], ids=["no-cutoff", "cutoff"])
def test_enricher_query(service: Service, cutoff: float | None) -> None:
    url = enricher_url("default", cutoff=cutoff)
    assert "fuzzy=False" in url and "algorithm=best" in url
    response = post_match(service, url, {"entity": CARRIE_LAM})
    found = results(response)
    check_response(response, "entity", CARRIE_LAM, cutoff=cutoff)
    assert response.headers["x-batch-size"] == "1"
    top = found[0]
    assert top["id"] == CARRIE_LAM_ID
    assert top["schema"] == "Person" and top["match"] is True and top["score"] == 1.0
    assert top["datasets"] == ["sdn"]
    assert top["properties"]["birthDate"] == ["1957-05-13"]
    assert "hk" in top["properties"]["country"]
    assert "LAM CHENG, Yuet-ngor" in top["properties"]["alias"]


@pytest.mark.parametrize("query", [
    "fuzzy=false&algorithm=best", "fuzzy=true&algorithm=logic-v2", "", "algorithm=best&fuzzy=0"])
def test_other_query_strings_are_accepted(service: Service, query: str) -> None:
    response = post_match(service, f"/match/default?{query}", {"entity": CARRIE_LAM})
    assert results(response)[0]["id"] == CARRIE_LAM_ID


def test_limit_and_threshold_params(service: Service) -> None:
    example = {"schema": "Organization", "properties": {"name": ["Lockheed Martin"]}}
    wide = post_match(service, enricher_url("default", cutoff=0.3, limit=50),
                      {"entity": example})
    everything = check_response(wide, "entity", example, limit=50, cutoff=0.3)
    assert len(everything) >= 3

    assert len(everything) < 50
    matches = sum(r["match"] for r in everything)
    assert 0 < matches < len(everything)  # near misses between cutoff and threshold too
    assert wide.json()["responses"]["entity"]["total"]["value"] == matches

    one = post_match(service, enricher_url("default", cutoff=0.3, limit=1), {"entity": example})
    [top] = check_response(one, "entity", example, limit=1, cutoff=0.3)
    assert top == everything[0]
    assert one.json()["responses"]["entity"]["total"]["value"] == matches


def test_results_below_threshold_are_not_matches(service: Service) -> None:
    """With ``cutoff`` under ``threshold`` the results in between come back with ``match:
    false`` (yente's way of showing near misses)."""
    example = {"schema": "Organization", "properties": {"name": ["Lockheed Martin"]}}
    response = post_match(service, enricher_url("default", cutoff=0.5, threshold=0.95,
                                                limit=50), {"entity": example})
    found = check_response(response, "entity", example, limit=50, threshold=0.95, cutoff=0.5)
    assert any(r["match"] for r in found)
    near = [r for r in found if not r["match"]]
    assert near and all(0.5 <= r["score"] < 0.95 for r in near)


def test_cutoff_above_threshold_is_the_threshold(service: Service) -> None:
    # yente: cutoff = min(cutoff, threshold), so everything that is a match is returned
    example = {"schema": "Organization", "properties": {"name": ["Lockheed Martin"]}}
    response = post_match(service, enricher_url("default", cutoff=0.99, threshold=0.6,
                                                limit=50), {"entity": example})
    found = check_response(response, "entity", example, limit=50, threshold=0.6, cutoff=0.99)
    assert any(r["score"] < 0.99 for r in found)
    assert all(r["match"] for r in found)


# -- batches -------------------------------------------------------------------------------
BATCH: dict[str, dict[str, Any]] = {
    "client-1": CARRIE_LAM,
    # Carrie Lam's Chinese name: read as Cantonese, it is the SDN alias LAM CHENG, Yuet-ngor
    "client-2": {"schema": "Person", "properties": {"name": ["林鄭月娥"]}},
    # Raytheon Missiles & Defense on MOFCOM's Unreliable Entity List, by its Chinese name
    "client-3": {"schema": "Company", "properties": {"name": ["雷神导弹与防务公司"],
                                                     "jurisdiction": ["us"]}},
    # with the client's own id, echoed back in the query; a bare string as the value
    "client-4": {"id": "bank-ref-7", "schema": "Organization",
                 "properties": {"name": "Banco Nacional de Cuba"}},
    "client-5": {"schema": "LegalEntity", "properties": {"name": ["Zqxv Plorbington"]}},
}


def test_batch_of_queries_keyed_by_client_ids(service: Service) -> None:
    response = post_match(service, enricher_url("default"), BATCH)
    assert response.status_code == 200, response.text
    assert response.headers["x-batch-size"] == str(len(BATCH))
    assert set(response.json()["responses"]) == set(BATCH)
    found = {key: check_response(response, key, example) for key, example in BATCH.items()}

    assert found["client-1"][0]["id"] == CARRIE_LAM_ID
    assert found["client-2"][0]["id"] == CARRIE_LAM_ID
    raytheon = found["client-3"][0]
    assert raytheon["caption"] == "Raytheon Missiles & Defense"
    assert raytheon["schema"] == "Organization" and raytheon["datasets"] == ["cn-uel"]
    assert "雷神导弹与防务公司" in raytheon["properties"]["alias"]
    assert found["client-4"][0]["caption"] == "BANCO NACIONAL DE CUBA"
    assert found["client-4"][0]["schema"] == "Organization"
    assert found["client-5"] == []


def test_no_match_is_an_empty_result(service: Service) -> None:
    example = {"schema": "Person", "properties": {"name": ["Zqxv Plorbington"]}}
    response = post_match(service, enricher_url("default"), {"entity": example})
    assert results(response) == []
    assert response.json()["responses"]["entity"]["total"] == {"value": 0, "relation": "eq"}
    check_response(response, "entity", example)


def _sample_entries() -> tuple[list[Any], set[tuple[str, str]]]:
    """The entries of the bundled lists, and the (list, id) keys that more than one entry
    uses (see ``test_entries_sharing_an_id_are_told_apart``)."""
    entries = Screener.from_samples().entries
    counts = Counter(e.key for e in entries)
    return entries, {k for k, n in counts.items() if n > 1}


def test_every_list_entry_is_found_by_its_name(service: Service) -> None:
    """Each entry of the sample lists, queried by its name with the schema of its kind, is
    among its own results, with a valid FollowTheMoney shape (all schemas the lists give)."""
    entries, shared = _sample_entries()
    entries = [e for e in entries if e.key not in shared]
    assert len(entries) > 300
    seen_schemas = set()
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        queries = {f"{e.list}/{e.entry_id}": {"schema": KIND_SCHEMA[e.kind],
                                              "properties": {"name": [e.name]}}
                   for e in chunk}
        response = post_match(service, enricher_url("default", limit=20), queries)
        assert response.status_code == 200, response.text
        for e in chunk:
            key = f"{e.list}/{e.entry_id}"
            found = check_response(response, key, queries[key], limit=20)
            # (an OFAC non-SDN entry also names its list: ["nonsdn", "cmic"])
            mine = [r for r in found if r["datasets"][0] == e.list.lower()
                    and r["caption"] == e.name]
            assert mine, f"{key} {e.name!r} not found by its own name: {found}"
            assert mine[0]["schema"] == KIND_SCHEMA[e.kind]
            assert mine[0]["match"] is True
            seen_schemas.add(mine[0]["schema"])
    assert {"Person", "Organization", "LegalEntity"} <= seen_schemas


def test_entries_sharing_an_id_are_told_apart(service: Service) -> None:
    """The MOFCOM registry gives two parties each of the ids cn-uel-20240520-1 and -2: they
    must stay four entries, each found under its own name."""
    entries, shared = _sample_entries()
    assert not shared
    split = [e for e in entries if e.entry_id.startswith(("cn-uel-20240520-1~",
                                                           "cn-uel-20240520-2~"))]
    assert len(split) == 4
    for e in split:
        example = {"schema": KIND_SCHEMA[e.kind], "properties": {"name": [e.name]}}
        found = results(post_match(service, enricher_url("default"), {"entity": example}))
        assert e.name in [r["caption"] for r in found], (e.key, e.name, found)


# -- datasets ------------------------------------------------------------------------------
def test_list_dataset_returns_only_that_list(service: Service) -> None:
    # "Korea" names entries of several lists
    example = {"schema": "LegalEntity", "properties": {"name": ["Korea"]}}
    everywhere = results(post_match(service, enricher_url("default", cutoff=0.3, limit=500),
                                    {"entity": example}))
    datasets = {d for r in everywhere for d in r["datasets"]}
    assert "sdn" in datasets and len(datasets) > 1, datasets

    response = post_match(service, enricher_url("sdn", cutoff=0.3, limit=500),
                          {"entity": example})
    sdn = check_response(response, "entity", example, limit=500, cutoff=0.3)
    assert sdn and all(r["datasets"] == ["sdn"] for r in sdn)
    assert all(r["id"].startswith("sdn-") for r in sdn)
    assert {r["id"] for r in sdn} == {r["id"] for r in everywhere if r["datasets"] == ["sdn"]}


def test_unknown_dataset_is_404(service: Service) -> None:
    response = post_match(service, enricher_url("no_such_dataset"), {"entity": CARRIE_LAM})
    assert "no_such_dataset" in assert_problem(response, 404)


# -- refused queries -----------------------------------------------------------------------
@pytest.mark.parametrize("schema", ["Spaceship", "Ownership", "person"])
def test_unknown_schema_names_the_query(service: Service, schema: str) -> None:
    queries = {"good-one": CARRIE_LAM,
               "bad-key-42": {"schema": schema, "properties": {"name": ["Carrie Lam"]}}}
    detail = assert_problem(post_match(service, enricher_url("default"), queries), (400, 422))
    assert "bad-key-42" in detail and schema in detail


def test_query_without_name_names_the_query(service: Service) -> None:
    queries = {"nameless": {"schema": "Person", "properties": {"birthDate": ["1957-05-13"]}}}
    detail = assert_problem(post_match(service, enricher_url("default"), queries), (400, 422))
    assert "nameless" in detail


def test_at_most_100_queries(service: Service) -> None:
    queries = {f"q{i}": {"schema": "Person", "properties": {"name": [f"Person Number {i}"]}}
               for i in range(101)}
    detail = assert_problem(post_match(service, enricher_url("default"), queries), 400)
    assert "101" in detail and "100" in detail

    del queries["q100"]
    response = post_match(service, enricher_url("default"), queries)
    assert response.status_code == 200, response.text
    assert len(response.json()["responses"]) == 100


def test_empty_queries_is_400(service: Service) -> None:
    assert_problem(post_match(service, enricher_url("default"), {}), 400)


def test_malformed_body_is_422(service: Service) -> None:
    response = service.client.post(enricher_url("default"), json={"entity": CARRIE_LAM},
                                    headers={"Authorization":
                                             f"ApiKey {service.tokens['officer']}"})
    assert "queries" in assert_problem(response, 422)


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("viewer", 403)])
def test_key_refused_as_the_enricher_sees_it(service: Service, role: str | None,
                                             status: int) -> None:
    # the enricher aborts on 401/403 (EnrichmentAbort) rather than retrying
    headers = {"Authorization": f"ApiKey {service.tokens[role]}"} if role else {}
    response = service.client.post(enricher_url("default"), json={"queries": {
        "entity": CARRIE_LAM}}, headers=headers)
    assert_problem(response, status)


@pytest.mark.parametrize(("dataset", "name"), [
    ("cmic", "China Mobile Limited"),
    ("nonsdn", "China Mobile Limited"),
])
def test_an_ofac_non_sdn_list_is_a_dataset_of_its_own(service: Service, dataset: str,
                                                      name: str) -> None:
    """OFAC's non-SDN lists (SSI, NS-MBS, CMIC ...) are stored together as NONSDN; asking for
    one of them finds its entries, and each result names the list it is on."""
    example = {"schema": "Company", "properties": {"name": [name]}}
    found = results(post_match(service, enricher_url(dataset), {"entity": example}))
    assert found and name in [r["caption"] for r in found]
    assert all(r["datasets"] == ["nonsdn", "cmic"] for r in found)
    # ... and a list it is not on answers nothing
    assert results(post_match(service, enricher_url("ssi"), {"entity": example})) == []
