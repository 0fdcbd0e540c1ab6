"""``POST /match/{dataset}``: the matching API of yente (OpenSanctions), so that its clients
work unchanged against exportcheck's lists.

The shapes follow yente: a batch of example entities in FollowTheMoney form in, for each one a
list of scored entities out (``score`` 0-1, ``match`` when at or above ``threshold``). List
entries become FollowTheMoney entities: ``Person``, ``Organization``, ``Vessel``, ``Airplane``
or ``LegalEntity`` when the list does not say.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from exportcheck.api import default_screener
from exportcheck.errors import InvalidInput, NotFound
from exportcheck.models import ScreeningHit
from exportcheck.screen.entries import (
    BLOCKING_LISTS,
    FOREIGN_LISTS,
    LIST_CODES,
    ListEntry,
    sublist,
)
from exportcheck.settings import default_threshold
from exportcheck.web.deps import Officer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import MATCHING
from exportcheck.web.problems import AUTH_RESPONSES, problem_responses
from exportcheck.web.schemas import LISTS_VERSION_HEADER

router = APIRouter(tags=[MATCHING], responses=AUTH_RESPONSES,
                   route_class=JsonBodyRoute)

MAX_BATCH = 100
#: dataset names a client may ask for, and the list codes each covers (None: every list)
OFAC = ("SDN", "NONSDN", "SSI", "NS-MBS", "CMIC", "PLC", "FSE", "CAP")
DATASETS: dict[str, tuple[str, ...] | None] = {
    "default": None,
    "sanctions": (*OFAC, "UN"),
    "us": tuple(c for c in LIST_CODES if c not in FOREIGN_LISTS and c != "UN"),
    "export_controls": ("EL", "DPL", "UVL", "MEU", "DTC", "ISN"),
    **{code.lower(): (code,) for code in LIST_CODES},
}
SCHEMA_KIND = {"Person": "person", "Organization": "entity", "Company": "entity",
               "PublicBody": "entity", "Vessel": "vessel", "Airplane": "aircraft",
               "LegalEntity": None, "Thing": None}
KIND_SCHEMA = {"person": "Person", "entity": "Organization", "vessel": "Vessel",
               "aircraft": "Airplane", None: "LegalEntity"}
COUNTRY_PROPS = ("country", "nationality", "citizenship", "jurisdiction", "mainCountry",
                 "birthCountry", "flag")
ID_PROPS = ("idNumber", "registrationNumber", "taxNumber", "passportNumber", "imoNumber",
            "innCode", "ogrnCode", "leiCode", "swiftBic", "registrationNumber")


def _datasets(list_code: str, entry: ListEntry | None) -> list[str]:
    """The dataset names of a hit: its list, and for OFAC's non-SDN lists the one it is on
    ("nonsdn", "cmic"), so a client asking /match/cmic sees why the entry answered."""
    sub = sublist(entry) if entry is not None else None
    return [list_code.lower(), *([sub.lower()] if sub else [])]


class EntityExample(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str | None = None
    schema_: str = Field(alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(examples=[{"name": ["John Doe"]}])


class MatchRequest(BaseModel):
    weights: dict[str, float] = Field(default_factory=dict)
    config: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    queries: dict[str, EntityExample]


class FeatureResult(BaseModel):
    """One feature's subscore, as nomenklatura's ``FeatureResult`` (what yente returns)."""

    detail: str | None = Field(description="how the feature was scored")
    score: float
    query: str | None = Field(None, description="the query's value the feature compared")
    candidate: str | None = Field(None, description="the list entry's value it compared")


class ScoredEntity(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    caption: str
    schema_: str = Field(alias="schema")
    properties: dict[str, list[str]]
    datasets: list[str]
    referents: list[str] = []
    target: bool = True
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    score: float
    explanations: dict[str, FeatureResult]
    match: bool


class TotalSpec(BaseModel):
    value: int
    relation: str = "eq"


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntity]
    total: TotalSpec
    query: EntityExample


class MatchResponse(BaseModel):
    responses: dict[str, EntityMatches]
    limit: int


def _values(props: dict[str, str | list[Any]], name: str) -> list[str]:
    raw = props.get(name, [])
    return [str(v).strip() for v in ([raw] if isinstance(raw, str) else raw)
            if isinstance(v, str | int | float) and str(v).strip()]


def _topics(code: str) -> list[str]:
    if code in BLOCKING_LISTS or code == "UN" or code in OFAC:
        return ["sanction"]
    if code in FOREIGN_LISTS:
        return ["sanction.counter"]
    if code == "DPL":
        return ["debarment"]
    return ["export.control"]


def entity_of(entry: ListEntry) -> tuple[str, dict[str, list[str]]]:
    """A list entry as a FollowTheMoney schema and properties."""
    schema = KIND_SCHEMA.get(entry.kind, "LegalEntity")
    props: dict[str, list[str]] = {"name": [entry.name]}
    aliases = [a for a in (*entry.aliases, *entry.original_script) if a != entry.name]
    if aliases:
        props["alias"] = aliases
    if entry.countries:
        props["country"] = [c.lower() for c in entry.countries]
    if entry.dobs and schema == "Person":
        props["birthDate"] = list(entry.dobs)
    if entry.programs:
        props["program"] = [", ".join(entry.programs)]
    props["topics"] = _topics(entry.list)
    notes = [x for x in (entry.license_requirement, entry.license_policy,
                         entry.federal_register_notice, entry.remarks) if x]
    if notes:
        props["notes"] = notes
    return schema, props


def entity_id(list_code: str, entry_id: str) -> str:
    """A stable entity id: the entry id, prefixed with its list unless it already is."""
    prefix = f"{list_code.lower()}-"
    return entry_id if entry_id.lower().startswith(prefix) else prefix + entry_id


def scored(hit: ScreeningHit, entry: ListEntry | None, threshold: float) -> ScoredEntity:
    if entry is not None:
        schema, props = entity_of(entry)
    else:
        schema, props = KIND_SCHEMA.get(hit.kind, "LegalEntity"), {"name": [hit.matched_name]}
    score = round(hit.score / 100, 4)
    name_score = (hit.name_score if hit.name_score is not None else hit.score) / 100
    return ScoredEntity(
        id=entity_id(hit.list, hit.entry_id), caption=entry.name if entry else hit.matched_name,
        schema=schema, properties=props, datasets=_datasets(hit.list, entry), score=score,
        explanations={"name": FeatureResult(detail="; ".join(hit.explanation),
                                            score=round(name_score, 4), query=hit.query or None,
                                            candidate=hit.matched_name)},
        match=score >= threshold)


class Filters(BaseModel):
    """yente's result filters; each keeps a result only if it passes."""

    include_dataset: frozenset[str] = frozenset()
    exclude_dataset: frozenset[str] = frozenset()
    exclude_schema: frozenset[str] = frozenset()
    topics: frozenset[str] = frozenset()
    exclude_entity_ids: frozenset[str] = frozenset()

    def keep(self, result: ScoredEntity) -> bool:
        datasets = set(result.datasets)
        return ((not self.include_dataset or bool(datasets & self.include_dataset))
                and not datasets & self.exclude_dataset
                and result.schema_ not in self.exclude_schema
                and (not self.topics
                     or bool(self.topics & set(result.properties.get("topics", ()))))
                and result.id.lower() not in self.exclude_entity_ids)


def _check_config(config: dict[str, Any]) -> None:
    """As yente: a configuration key the algorithm does not know is an error, not ignored
    (exportcheck's one scorer takes none)."""
    if config:
        raise InvalidInput(f"Invalid configuration parameter: {', '.join(sorted(config))} for "
                           "algorithm best (exportcheck's scorer takes no configuration)")


def _example_query(key: str, example: EntityExample) -> dict[str, Any]:
    if example.schema_ not in SCHEMA_KIND:
        raise InvalidInput(f"query {key!r}: schema {example.schema_!r} cannot be matched; use "
                           f"one of {', '.join(SCHEMA_KIND)}")
    props = example.properties
    names = _values(props, "name") + _values(props, "alias")
    if not names:
        raise InvalidInput(f"query {key!r} has no name: give properties.name")
    countries = [c for p in COUNTRY_PROPS for c in _values(props, p)]
    dobs = _values(props, "birthDate") or _values(props, "incorporationDate")
    ids = [i for p in ID_PROPS for i in _values(props, p)]
    return {"names": names[:10], "country": countries[0] if countries else None,
            "dob": dobs[0][:10] if dobs else None, "ids": ids,
            "kind": SCHEMA_KIND[example.schema_]}


@router.post("/match/{dataset}", operation_id="matchEntities",
             response_model=MatchResponse, response_model_by_alias=True,
             summary="Query-by-example matching (yente-compatible)",
             responses=problem_responses(400, 404, 413))
def match(
    dataset: Annotated[str, Path(min_length=1, max_length=64)], req: MatchRequest,
    response: Response, user: Officer,
    limit: Annotated[int, Query(ge=1, le=500)] = 5,
    threshold: Annotated[float | None, Query(ge=0, le=1)] = None,
    cutoff: Annotated[float | None, Query(ge=0, le=1, deprecated=True)] = None,
    algorithm: Annotated[str, Query(max_length=64)] = "best",
    fuzzy: Annotated[bool, Query()] = False,
    include_dataset: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    exclude_dataset: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    exclude_schema: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    topics: Annotated[list[str], Query(max_length=50)] = [],  # noqa: B006
    exclude_entity_ids: Annotated[list[str], Query(
        max_length=50, description="entity ids left out of the results, e.g. false positives "
        "a person decided on")] = [],  # noqa: B006
    changed_since: Annotated[str | None, Query(
        max_length=32, description="not supported: refused with 400")] = None,
) -> MatchResponse:
    """yente's ``/match`` over exportcheck's lists. ``dataset`` is ``default`` (every list),
    ``sanctions``, ``us``, ``export_controls`` or one list code in lower case (``sdn``,
    ``el``, ``meu``, ``un``, ``cn-uel`` ...). Results below ``cutoff`` (default: the
    threshold) are left out; ``algorithm`` and ``fuzzy`` are accepted and ignored (there is
    one scorer), and any ``config`` key is refused (400) as yente refuses keys its algorithm
    does not take. yente's filters ``include_dataset``, ``exclude_dataset`` (a result's
    ``datasets``), ``exclude_schema``, ``topics`` and ``exclude_entity_ids`` are applied
    before ``limit`` and ``total``; ``changed_since`` is refused (entries carry no change
    dates). ``threshold`` defaults to exportcheck's screening threshold (0.85 unless
    ``EXPORTCHECK_SCREENING_THRESHOLD`` says otherwise), not yente's 0.7: a partial-name
    match scores at most 0.80 and is a near miss, not a match, unless other evidence agrees.
    The ``X-Lists-Version`` header names the list versions that answered. Runs in a worker
    thread: a batch of 100 queries takes a second or more of CPU."""
    if threshold is None:
        threshold = default_threshold() / 100
    if dataset not in DATASETS:
        raise NotFound(f"no dataset {dataset!r}: use one of {', '.join(DATASETS)}")
    if changed_since is not None:
        raise InvalidInput("changed_since is not supported: list entries carry no change "
                           "dates (GET /api/v1/lists/{id}/changes says what a version changed)")
    _check_config(req.config)
    if not req.queries:
        raise InvalidInput("no queries: give at least one entity under 'queries'")
    if len(req.queries) > MAX_BATCH:
        raise InvalidInput(f"too many queries in one batch ({len(req.queries)}; at most "
                           f"{MAX_BATCH})")
    filters = Filters(include_dataset={d.lower() for d in include_dataset},
                      exclude_dataset={d.lower() for d in exclude_dataset},
                      exclude_schema=set(exclude_schema), topics=set(topics),
                      exclude_entity_ids={e.lower() for e in exclude_entity_ids})
    parsed = {key: _example_query(key, ex) for key, ex in req.queries.items()}
    lists = DATASETS[dataset]
    floor = min(threshold if cutoff is None else cutoff, threshold) * 100
    s = default_screener()
    responses = {}
    for key, q in parsed.items():
        best: dict[tuple[str, str], ScreeningHit] = {}
        for name in q["names"]:
            # every hit above the floor, not only the first `limit`: `total` counts them all
            try:
                found = s.screen(name, country=q["country"], dob=q["dob"], kind=q["kind"],
                                 ids=q["ids"], lists=lists, threshold=floor,
                                 limit=len(s.entries))
            except InvalidInput as exc:  # a country or date of birth: say which query's
                raise InvalidInput(f"query {key!r}: {exc}") from None
            for h in found:
                if (h.list, h.entry_id) not in best or h.score > best[h.list, h.entry_id].score:
                    best[h.list, h.entry_id] = h
        hits = sorted(best.values(), key=lambda h: (-h.score, h.list, h.entry_id))
        kept: list[ScoredEntity] = []
        matches = 0  # as yente's: the matches (at or above threshold) before the limit
        for h in hits:
            if len(kept) >= limit and round(h.score / 100, 4) < threshold:
                continue  # neither shown nor counted: not worth building
            r = scored(h, s.entry(h.list, h.entry_id), threshold)
            if filters.keep(r):
                matches += r.match
                if len(kept) < limit:
                    kept.append(r)
        example = req.queries[key]
        responses[key] = EntityMatches(results=kept, total=TotalSpec(value=matches),
                                       query=EntityExample(id=example.id,
                                                           schema=example.schema_,
                                                           properties=example.properties))
    response.headers["x-batch-size"] = str(len(responses))
    response.headers[LISTS_VERSION_HEADER] = s.version
    return MatchResponse(responses=responses, limit=limit)
