"""Request and response models of the REST API that are not already models of the library
(determinations, screening hits, licences and ledger reports are returned as they are)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Generic, Literal, TypeVar

from fastapi import Path, Query
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from exportcheck.accounts import TokenOut
from exportcheck.choices import ANY_CASE, EndUserTypeIn, any_case
from exportcheck.dates import DateText, IsoDate
from exportcheck.db.base import as_utc
from exportcheck.errors import NotFound
from exportcheck.ledger.schemas import LicenceOut
from exportcheck.models import EndUserType, ScreeningHit, TransactionFacts
from exportcheck.plaintext import PlainTextIn
from exportcheck.screen.dispositions import HELD_FLOOR
from exportcheck.screen.ownership import PERCENT_PATTERN, parse_percent
from exportcheck.settings import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, MIN_TOKEN_DAYS

T = TypeVar("T")
MAX_PAGE = 500

MAX_ROW_ID = 2**31 - 1


def _row_id(value: int) -> int:
    if not 1 <= value <= MAX_ROW_ID:
        shown = str(value) if len(str(value)) <= 24 else str(value)[:20] + "..."
        raise NotFound(f"nothing has the id {shown}: ids run from 1 to {MAX_ROW_ID:,}")
    return value


#: a row id in a path: ids are INTEGER keys, so a number out of their range names nothing:
#: 404 as for any unknown id (past 2**63 it overflowed the SQLite driver: a 500)
RowId = Annotated[int, Path(json_schema_extra={"minimum": 1, "maximum": MAX_ROW_ID}),
                  AfterValidator(_row_id)]


#: text in a path, bounded as the field it names is stored: a path segment of 100 kB was
#: looked up as given (and echoed back in the 404), where the spec gave no bound at all
LicenceNumberPath = Annotated[str, Path(min_length=1, max_length=64, description=(
    "the licence number as registered (may hold a \"/\"), at most 64 characters"))]
ShipmentKeyPath = Annotated[str, Path(min_length=1, max_length=128, description=(
    "the idempotency key the shipment was posted under (may hold a \"/\"), at most 128 "
    "characters"))]
UserNamePath = Annotated[str, Path(min_length=1, max_length=64,
                                   description="the user's name, at most 64 characters")]


#: a stored UTC time: SQLite hands timestamps back without their zone, and a date-time in
#: the API carries one (RFC 3339)
UtcDatetime = Annotated[dt.datetime, AfterValidator(as_utc)]

class Page(BaseModel, Generic[T]):
    """One page of a listing: ``items[offset : offset + limit]`` of ``total``."""

    items: list[T]
    total: int
    limit: int
    offset: int


class PageParams(BaseModel):
    limit: int
    offset: int

    def page(self, items: list[Any], total: int | None = None) -> dict[str, Any]:
        """A page from the whole list (or from one already cut when ``total`` is given)."""
        if total is None:
            total, items = len(items), items[self.offset:self.offset + self.limit]
        return {"items": items, "total": total, "limit": self.limit, "offset": self.offset}


#: the largest listing offset taken: beyond it the database's 64-bit integers overflow
MAX_OFFSET = 10**9


def page_params(limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
                offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> PageParams:
    return PageParams(limit=limit, offset=offset)


def choice_query(kind: Any, *, optional: bool = False, description: str = "") -> Any:
    """A query parameter taking one of ``kind``'s words (an enum or a ``Literal``) as a body
    field takes them: ``?order=Newest`` or ``?agency= bis `` read as the body's
    ``"agency": " bis "`` does, where FastAPI wanted the exact spelling. The spec keeps the
    words; an empty or unknown one is a 422 naming the parameter and the words.
    ``optional``: the parameter may be left out (None)."""
    text = f"{description}; {ANY_CASE}" if description else ANY_CASE
    return Annotated[kind | None if optional else kind, any_case(kind),
                     Query(description=text)]


#: the agencies whose licences the ledger holds (``ledger.licences.LEDGER_AGENCIES``)
LedgerAgency = Literal["BIS", "DDTC"]
#: ``?agency=`` of the ledger's listings: OFAC licences are not kept there, so an OFAC
#: filter would read as "no licences, nothing shipped" and is refused with the others
AgencyQuery = choice_query(LedgerAgency, optional=True,
                           description="the issuing agency (the ledger holds BIS and DDTC "
                                       "licences)")


def _not_a_bool(v: Any) -> Any:
    """JSON true/false is no amount: pydantic's lax mode reads true as 1 (a line "value": true
    was determined as $1)."""
    if isinstance(v, bool):
        raise ValueError("a number is needed here, not true or false")
    return v


#: a number given as a JSON number or numeric text, never as true/false
Number = Annotated[float, BeforeValidator(_not_a_bool)]
# The bounds of an optional number go on the float itself, before the check above: put on the
# ``X | None`` around it, pydantic wrote them into the spec as "ge"/"le", which are no JSON
# Schema words, so clients and validators built from /openapi.json saw no bounds at all.
#: an amount of an order line (USD or units): 0 to a trillion
Amount = Annotated[float, Field(ge=0, le=1e12), BeforeValidator(_not_a_bool)]
#: a screening threshold, 0-100
Threshold = Annotated[float, Field(ge=0, le=100), BeforeValidator(_not_a_bool)]


class _In(PlainTextIn):
    # NaN and Infinity parse as floats and then fail a bound in words that mislead ("Input
    # should be less than or equal to 100" for a threshold of NaN): refused as not finite
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


# -- determinations ----------------------------------------------------------------------
class OrderLine(_In):
    """The fields of ``exportcheck check``."""

    item: str = Field(min_length=1, max_length=48, examples=["3A001.a.2"],
                      description="ECCN with paragraph, EAR99 or USML:<category>")
    destination: str = Field(min_length=2, max_length=8, examples=["HK"],
                             description="ISO 3166 code (HK, CN, DE, UA-43)")
    date: IsoDate = Field(examples=["2021-01-15"], description="date of export, YYYY-MM-DD")
    value: Amount | None = Field(None, description="line value in USD")
    quantity: Amount | None = None
    end_user: str | None = Field(None, max_length=256, description="end-user name (screened)")
    end_user_type: EndUserTypeIn = Field(EndUserType.CIVIL, description=ANY_CASE)
    end_use: str | None = Field(None, max_length=1000, examples=["military"])
    consignee: str | None = Field(None, max_length=256,
                                  description="consignee name (screened like the end user)")


def _stake_percent(value: Any) -> float | str:
    """A stake read as an owners file reads it (:func:`parse_percent`); one written with its
    percent sign stays text, so the graph sees the sign: "0.6%" is no fraction, where a JSON
    number cannot say so and a list of stakes all at most 1 is refused as fractions."""
    pct, signed = parse_percent(_not_a_bool(value))  # its ValueError is the field's 422
    if not 0 < pct <= 100:
        raise ValueError(f"percent {pct:g} is outside 0-100 (more than 0, at most 100)")
    return value.strip() if signed else pct


#: a stake: a number (60 for 60%) or a string with the percent sign ("0.6%")
StakePercent = Annotated[
    Annotated[float, Field(gt=0, le=100)] | Annotated[str, Field(pattern=PERCENT_PATTERN)],
    BeforeValidator(_stake_percent)]


class OwnerStake(_In):
    """One row of a parties file: ``owner`` holds ``percent`` of ``owned``."""

    owner: str = Field(min_length=1, max_length=512)
    owned: str = Field(min_length=1, max_length=512)
    percent: StakePercent = Field(examples=[60, "0.6%"], description=(
        "the stake, a percentage: 60 for 60%, as a JSON number or a string with the percent "
        'sign ("60%"). Owners whose every stake is at most 1 are refused as written in '
        "fractions (0.6 meant as 60% would read as 0.6% and clear an entity 60% owned by a "
        'blocked party); stakes that really are all 1% or less are sent as strings with the '
        'sign: "0.6%"'))
    owner_country: str | None = Field(None, max_length=64)


Owners = Field(None, max_length=10_000, description=(
    "owners of the parties (OFAC 50 Percent Rule; BIS affiliates rule while in force): "
    "entities owned 50% or more by listed parties get derived hits"))


class DeterminationRequest(OrderLine):
    screen: bool = Field(True, description="screen the end user and consignee against the "
                                           "active lists")
    record: bool = Field(False, description="write the determination to the audit trail")
    owners: list[OwnerStake] | None = Owners
    facts: TransactionFacts | None = Field(
        None, description="facts some licence exceptions need (headquarters of the ultimate "
        "parent, a NAC notification, conditions the exporter confirms); none is assumed")


class BatchLine(OrderLine):
    date: DateText = Field(examples=["2021-01-15"], description=(
        "date of export, YYYY-MM-DD; a date that is not one is the line's error"))
    id: str | None = Field(None, max_length=128, description="your reference, echoed back")
    facts: TransactionFacts | None = Field(
        None, description="the line's facts for licence exceptions, as in a single "
        "determination; a bad one is the line's error")


class DeterminationBatchRequest(_In):
    lines: list[BatchLine] = Field(min_length=1, max_length=10_000)
    screen: bool = True
    owners: list[OwnerStake] | None = Owners


class BatchAnswer(BaseModel):
    line: int = Field(description="the line's number in the request: 1 = the first, as "
                                  "exportcheck batch numbers a file's lines")
    id: str | None = None
    outcome: str | None
    agency: str | None
    reasons: list[str]
    license_exceptions: list[str]
    review_policy: str | None
    hold: bool = Field(False, description="held for review: a potential party match is not "
                                          "applied to the outcome")
    if_confirmed: str | None = Field(None, description="the outcome if the match is confirmed")
    if_out_of_scope: str | None = Field(
        None, description="the outcome if the item is outside the scope of control lines the "
                          "rule base holds in words only (applied to the whole entry)")
    exception_conditions: list[str] = Field(
        default_factory=list, description="what each offered licence exception rests on "
                                          "(\"LVS: value not given: ...\")")
    caveats: list[str] = Field(
        default_factory=list, description="what the answer rests on that the rule base does "
                                          "not establish, and hits an officer cleared")
    facts_wanted: list[str] = Field(
        default_factory=list, description="per licence exception, the facts not given that "
        "it turns on (\"ACA: headquarters, conditions_met\")")
    party_hits: list[str] = Field(
        default_factory=list, description="the list entries the parties matched, with the "
        "party's role, the kind of match and its score (\"consignee: SDN 29249 'LAM CHENG, "
        "Carrie Yuet-ngor' (exact, 100)\"; an ownership hit with its chain)")
    error: str | None


class DeterminationBatchResponse(BaseModel):
    results: list[BatchAnswer]
    counts: dict[str, int]
    lists_version: str | None


# -- screening ---------------------------------------------------------------------------
Kind = Literal["person", "entity", "vessel", "aircraft"]
KindIn = Annotated[Kind, any_case(Kind)]


class ScreenQuery(_In):
    name: str = Field(min_length=1, max_length=512, examples=["陳大文"])
    country: str | None = Field(None, max_length=64, examples=["HK"])
    dob: str | None = Field(None, max_length=10, examples=["1960-05-01"])
    kind: KindIn | None = Field(None, description=ANY_CASE)
    id: str | None = Field(None, max_length=128, description="your reference, echoed back")


class ScreenRequest(ScreenQuery):
    threshold: Threshold | None = None
    lists: list[str] | None = Field(None, max_length=32, examples=[["SDN", "EL"]])
    limit: int = Field(20, ge=1, le=100)


_SUPPRESSED = Field(default_factory=list, description=(
    "hits at or above the threshold that a disposition cleared for this party (name, country "
    "and date of birth as given): not in hits; suppressed_by says who cleared each, when and "
    "why"))


class ScreenResponse(BaseModel):
    hits: list[ScreeningHit]
    suppressed: list[ScreeningHit] = _SUPPRESSED
    held: list[ScreeningHit] = Field(
        [], description="partial, nickname, acronym and weak-alias matches scored below the "
        f"threshold (at least {HELD_FLOOR:g}): not alerts on a name alone; a date of birth, "
        "country or id that agrees would lift them")
    lists_version: str
    threshold: float


class ScreenBatchRequest(_In):
    queries: list[ScreenQuery] = Field(min_length=1, max_length=1000)
    threshold: Threshold | None = None
    lists: list[str] | None = Field(None, max_length=32)
    limit: int = Field(10, ge=1, le=100)


class ScreenResult(BaseModel):
    id: str | None
    name: str
    hits: list[ScreeningHit]
    suppressed: list[ScreeningHit] = _SUPPRESSED


class ScreenBatchResponse(BaseModel):
    results: list[ScreenResult]
    lists_version: str
    threshold: float


Decision = Literal["cleared", "confirmed"]


class DispositionIn(_In):
    party: str = Field(min_length=1, max_length=512)
    list: str = Field(min_length=1, max_length=16, examples=["SDN"])
    entry_id: str = Field(min_length=1, max_length=64)
    reason: str = Field(min_length=1, max_length=2000)
    country: str | None = Field(None, max_length=64)
    dob: str | None = Field(None, max_length=10)
    decision: Annotated[Decision, any_case(Decision)] = Field(
        "cleared", description="cleared: not the listed party (screens suppress the hit); "
                               f"confirmed: it is (determinations apply the hit); {ANY_CASE}")


class DispositionOut(BaseModel):
    id: int
    party: str
    country: str | None
    dob: str | None
    list: str
    entry_id: str
    decision: str
    user: str
    reason: str
    decided_on: dt.date


# -- lists -------------------------------------------------------------------------------
class ListVersionOut(BaseModel):
    id: int
    source: str
    active: bool
    file_date: dt.date | None
    row_count: int
    entry_count: int
    by_list: dict[str, int]
    content_hash: str
    format: str
    loaded_at: UtcDatetime
    loaded_by: str
    previous_id: int | None
    forced: bool
    #: loaded on purpose although older than the version it replaced (``allow_older``)
    older_release: bool = False


class LoadResultOut(BaseModel):
    source: str
    version_id: int | None
    status: str
    row_count: int
    previous_rows: int | None
    by_list: dict[str, int]
    older_release: bool = Field(False, description="activated with allow_older although older "
                                "than the version it replaced")
    warnings: list[str] = Field(
        [], description="what the load probably left out: sdn.csv without alt.csv loads no "
        "SDN aliases")


class EntryChange(BaseModel):
    list: str
    entry_id: str
    name: str


class ListChanges(BaseModel):
    version_id: int
    previous_id: int | None
    added: int
    removed: int
    changed: int
    unchanged: int
    examples: dict[str, list[EntryChange]]


# -- ledger and audit --------------------------------------------------------------------
class LicenceAdded(BaseModel):
    licence: LicenceOut
    created: bool


NewStatus = Literal["suspended", "revoked", "reinstated", "expired", "returned_without_action",
                    "approved"]


class StatusChange(_In):
    status: Annotated[NewStatus, any_case(NewStatus)] = Field(description=ANY_CASE)
    effective: IsoDate
    reason: str = Field(min_length=1, max_length=2000)
    citation: str = Field(min_length=1, max_length=500)
    agency: str | None = None
    #: a reinstatement: the policy event whose suspension of this licence it lifts (none: the
    #: licence's own suspensions; suspensions stack)
    lifts: str | None = Field(default=None, max_length=96)


class AuditEntryOut(BaseModel):
    seq: int
    #: the text the entry's hash covers, kept verbatim (a re-parsed time would not re-verify)
    recorded_at: str = Field(json_schema_extra={"format": "date-time"}, description=(
        "when it was recorded, RFC 3339 in UTC with microseconds (2026-07-23T09:15:02.123456Z)"))
    actor: str
    kind: str
    payload: Any
    versions: Any
    prev_hash: str
    hash: str


class VerifyOut(BaseModel):
    ok: bool
    checked: int
    #: entries committed but not sealed into the chain yet (content hash checked only)
    unsealed: int = 0
    head_seq: int
    head_hash: str
    first_bad: int | None
    problem: str
    table: str | None
    row: str | None
    state_checked: bool
    state_mismatches: list[str]
    unverifiable: list[str]
    anchors_checked: list[str]


# -- accounts ----------------------------------------------------------------------------
Role = Literal["viewer", "officer", "admin"]
RoleIn = Annotated[Role, any_case(Role)]


class UserIn(_In):
    name: str = Field(min_length=1, max_length=64)
    role: RoleIn = Field(description=ANY_CASE)
    password: str = Field(min_length=12, max_length=1024)


class UserPatch(_In):
    role: RoleIn | None = Field(None, description=ANY_CASE)
    password: str | None = Field(None, min_length=12, max_length=1024)
    disabled: bool | None = None


#: a token's lifetime in whole days (bounds on the int itself, as for Amount above)
TokenDays = Annotated[int, Field(ge=MIN_TOKEN_DAYS, le=MAX_TOKEN_DAYS),
                      BeforeValidator(_not_a_bool)]


class TokenIn(_In):
    user: str = Field(min_length=1, max_length=64)
    label: str = Field("", max_length=120)
    days: TokenDays | None = Field(
        None, description=f"lifetime in days, {MIN_TOKEN_DAYS}-{MAX_TOKEN_DAYS}; default "
                          f"EXPORTCHECK_TOKEN_DAYS, else {DEFAULT_TOKEN_DAYS}")
    role: RoleIn | None = Field(
        None, description="the highest role the token acts with, at most the user's; default: "
                          "the user's role at each use. " + ANY_CASE)


class TokenCreated(BaseModel):
    token: TokenOut
    secret: str = Field(description="the token itself: shown once, store it now")


class Me(BaseModel):
    name: str
    role: str
    via: str


#: response header naming the list versions that answered a screen or /match (each worker
#: switches when it has indexed a newly activated version)
LISTS_VERSION_HEADER = "x-lists-version"


class ScreenerState(BaseModel):
    """The screening index of the worker that answered (each worker holds its own)."""

    lists_version: str | None = Field(description="the list versions it screens against")
    reloading: bool = Field(description="a newly activated list version is being indexed in "
                                        "the background; screens use lists_version meanwhile")
    reloads: int = Field(description="rebuilds since the worker started")
    last_reload_seconds: float | None = None
    last_error: str | None = Field(None, description="why the last rebuild failed, if it did")


class Health(BaseModel):
    status: str
    version: str
    database: str
    #: the active list versions in the database
    lists: list[str]
    screener: ScreenerState | None = None
