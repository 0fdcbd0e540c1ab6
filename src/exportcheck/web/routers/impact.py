"""``/api/v1/impact-runs``: a portfolio determined on two dates, what changed and why."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import polars as pl
from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from starlette.concurrency import run_in_threadpool

from exportcheck.determine.batch_io import fact_cells
from exportcheck.errors import InvalidInput
from exportcheck.impact.models import ImpactSummary
from exportcheck.settings import get_settings
from exportcheck.web.deps import Officer, Viewer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import IMPACT
from exportcheck.web.problems import AUTH_RESPONSES, BODY_RESPONSES, problem_responses
from exportcheck.web.schemas import (
    BatchLine,
    IsoDate,
    Number,
    Owners,
    OwnerStake,
    Page,
    PageParams,
    RowId,
    UtcDatetime,
    _In,
    page_params,
)

router = APIRouter(prefix="/api/v1/impact-runs", tags=[IMPACT], responses=AUTH_RESPONSES,
                   route_class=JsonBodyRoute)
MAX_LINES = 100_000
SAMPLE = "sample:hk_2020_portfolio.csv"


class ImpactLine(BatchLine):
    """An order line of a portfolio, as ``exportcheck impact`` reads one: its value may be in
    another currency (converted with the request's ``rates``), and a date is not needed (the
    run's two dates are the dates; one given is ignored, as the CLI ignores a date column)."""

    date: IsoDate | None = Field(None, description="ignored: the run's two dates apply")
    currency: str | None = Field(None, min_length=3, max_length=3, examples=["EUR"],
                                 description="ISO 4217 code of the value (USD if absent)")


class ImpactLineOut(BaseModel):
    """One order line of a run, its outcome on each side and why it changed. The columns
    ``impact`` always writes (older runs may lack the newer ones: null); any other member is
    an id the order file carried through (order number, customer...), as text."""

    model_config = ConfigDict(extra="allow")

    line: int = Field(description="1-based row of the portfolio")
    item: str | None = None
    destination: str | None = None
    end_user: str | None = None
    consignee: str | None = None
    end_user_type: str | None = None
    end_use: str | None = None
    category: str | None = Field(None, description="ECCN category and group (3A), USML XI, "
                                                   "EAR99 or other")
    value: float | None = Field(None, description="line value in USD (null: none or refused)")
    currency: str | None = Field(None, description="the currency the value was given in")
    value_in_currency: float | None = None
    old_outcome: str | None = None
    new_outcome: str | None = None
    changed: bool | None = Field(None, description="the answer differs between the two sides "
                                                   "(``?changed_only=true`` keeps these)")
    old_agency: str | None = None
    new_agency: str | None = None
    old_reasons: str | None = None
    new_reasons: str | None = None
    old_exceptions: str | None = Field(None, description="comma-separated: LVS,GBS,STA")
    new_exceptions: str | None = None
    old_review_policy: str | None = None
    new_review_policy: str | None = None
    hold: bool | None = None
    old_hold: bool | None = None
    new_hold: bool | None = None
    old_if_confirmed: str | None = None
    new_if_confirmed: str | None = None
    cause: str | None = Field(None, description="what changed and the notice that changed it")
    error: str | None = None
    old_error: str | None = None
    new_error: str | None = None


class ImpactRequest(_In):
    from_date: IsoDate = Field(examples=["2020-06-29"])
    to_date: IsoDate = Field(examples=["2021-01-15"])
    lines: list[ImpactLine] | None = Field(None, max_length=MAX_LINES)
    sample: bool = Field(False, description="use the bundled Hong Kong 2020 portfolio")
    screen: bool = Field(True, description="screen end users against the active lists")
    rates: dict[str, Number] = Field(default_factory=dict, examples=[{"EUR": 1.08}],
                                    description="USD per unit of each other currency")
    owners: list[OwnerStake] | None = Owners
    from_lists: str | None = Field(
        None, max_length=200, examples=["3"],
        description="list versions the old side screens with (ids of GET /api/v1/lists, "
                    "comma-separated, one per source; the other sources stay at their active "
                    "version); give to_lists too")
    to_lists: str | None = Field(None, max_length=200, examples=["7"],
                                 description="list versions the new side screens with")

    @field_validator("from_lists", "to_lists")
    @classmethod
    def _blank_is_none(cls, ids: str | None) -> str | None:
        """Blank text names no release (as an empty choice on the Impact page): one side given
        and the other blank is then refused, not run on the rules alone without saying so."""
        return ids if ids is None or ids.strip() else None

    @model_validator(mode="after")
    def _both_lists(self) -> ImpactRequest:
        if (self.from_lists is None) != (self.to_lists is None):
            raise ValueError("give from_lists and to_lists together (two list releases), or "
                             "neither")
        return self


class ImpactRunInfo(BaseModel):
    id: int
    created_at: UtcDatetime
    created_by: str
    source: str
    from_date: dt.date
    to_date: dt.date
    lines: int
    changed_lines: int
    value_changed: float = Field(description=(
        "US dollars of the lines whose answer changed, as a JSON number (impact figures "
        "are numbers; the ledger's exact amounts are decimal strings)"))


class ImpactRunOut(ImpactRunInfo):
    summary: ImpactSummary


def run(frame: pl.DataFrame, from_date: dt.date, to_date: dt.date, *, user: str, source: str,
        screen: bool = True, rates: dict[str, float] | None = None,
        owners: list[OwnerStake] | None = None,
        lists: tuple[str, str] | None = None) -> ImpactRunOut:
    """Run, store and return an impact run (shared with the web UI). ``lists``: two list
    releases (version ids) the sides screen with; the stored parties and the ledger's licences
    are screened against both."""
    from exportcheck.api import default_screener
    from exportcheck.impact import impact
    from exportcheck.impact.core import check_dates
    from exportcheck.impact.store import get_run, save_run

    if from_date > to_date:  # said here in the service's words (check_dates names CLI flags)
        raise InvalidInput(f"from_date {from_date.isoformat()} is after to_date "
                           f"{to_date.isoformat()}: the old rules' date comes first")
    check_dates(from_date, to_date, None, False)
    if frame.height == 0:
        raise InvalidInput("the portfolio has no lines", field="orders")
    if frame.height > MAX_LINES:
        raise InvalidInput(f"{frame.height:,} lines: at most {MAX_LINES:,} per run through the "
                           "service (use `exportcheck impact` for larger portfolios)",
                           field="orders")
    from exportcheck.web.routers.determinations import ownership_of

    ownership = ownership_of(owners)
    from exportcheck.determine.batch_io import has_parties

    # "End User" or END_USER are the end user, as in `exportcheck impact`
    wants = screen and has_parties(frame.columns)
    releases: dict[str, Any] = {}
    if lists is not None:
        from exportcheck.screen import store

        releases = {"from_screener": _screener_for(lists[0]),
                    "to_screener": _screener_for(lists[1]),
                    "parties": [(p.name, p.country) for p in store.list_parties()]}
    # two releases on one day compare the lists alone, as `exportcheck impact --on`
    dates = ({"on": from_date} if releases and from_date == to_date
             else {"from_date": from_date, "to_date": to_date})
    result = impact(frame, **dates,
                    screener=default_screener() if wants and not releases else None,
                    rates=rates or None, workers=1, ownership=ownership,
                    # the service's own ledger: its licences are part of the impact
                    database_url=get_settings().effective_database_url, **releases)
    info = save_run(result, user=user, source=source)
    return ImpactRunOut(**_fields(info), summary=get_run(info.id)[1])


#: how the store's messages point at the stored versions, and how the service's do
_CLI_HINT = "`exportcheck lists show --all` lists"
_SERVICE_HINT = "the Lists page (every version) or GET /api/v1/lists?all=true lists"


def _screener_for(ids: str) -> Any:
    """The store's screener for list versions ``ids``; an unknown or malformed id is named
    with where the service shows the versions (the store's message names a CLI command that
    a person at the Impact page, or an API client, does not have)."""
    from exportcheck.screen import store

    try:
        return store.screener_for_versions(ids)
    except InvalidInput as exc:
        exc.args = (str(exc).replace(_CLI_HINT, _SERVICE_HINT),)
        exc.field = exc.field or "lists"
        raise


def _fields(info: Any) -> dict[str, Any]:
    """The stored run's facts (``impact.store.RunInfo``), under the same names."""
    return ImpactRunInfo.model_validate(info, from_attributes=True).model_dump()


def sample_frame() -> pl.DataFrame:
    from exportcheck.demo import PORTFOLIO

    return pl.read_csv(PORTFOLIO, infer_schema_length=0)


@router.post("", operation_id="createImpactRun",
             response_model=ImpactRunOut, status_code=201,
             summary="Run an impact analysis between two dates", responses=BODY_RESPONSES)
async def create(req: ImpactRequest, user: Officer) -> ImpactRunOut:
    """Give ``lines`` (the columns of a batch) or ``sample: true``. The run is stored: its
    report and per-line table stay available under its id."""
    if (req.lines is None) == (not req.sample):
        raise InvalidInput("give either 'lines' or 'sample': true (not both, not neither)")
    if req.sample:
        frame, source = sample_frame(), SAMPLE
    else:
        assert req.lines is not None
        # fields not given are left out, as absent columns of a file are ("date", "currency");
        # a line's facts become the fact columns a file has (headquarters, ...), else they would
        # be carried through as an unknown column and the line decided without them
        frame = pl.DataFrame([ln.model_dump(mode="json", exclude_unset=True, exclude={"facts"})
                              | (fact_cells(ln.facts) if ln.facts is not None else {})
                              for ln in req.lines], infer_schema_length=None)
        frame = frame.rename({"id": "order_id"}) if "id" in frame.columns else frame
        source = f"api: {len(req.lines)} lines"
    lists = (req.from_lists, req.to_lists) if req.from_lists and req.to_lists else None
    return await run_in_threadpool(run, frame, req.from_date, req.to_date, user=user.actor,
                                   source=source, screen=req.screen, rates=req.rates,
                                   owners=req.owners, lists=lists)


@router.get("", operation_id="listImpactRuns",
            response_model=Page[ImpactRunInfo], summary="Impact runs, newest first")
def list_runs(user: Viewer, page: Annotated[PageParams, Depends(page_params)]) -> dict:
    from exportcheck.impact.store import list_runs as stored

    rows, total = stored(page.limit, page.offset)
    return page.page([ImpactRunInfo(**_fields(r)) for r in rows], total)


@router.get("/{run_id}", operation_id="getImpactRun",
            response_model=ImpactRunOut, summary="One impact run with its summary",
            responses=problem_responses(404))
def get(run_id: RowId, user: Viewer) -> ImpactRunOut:
    from exportcheck.impact.store import get_run

    info, summary = get_run(run_id)
    return ImpactRunOut(**_fields(info), summary=summary)


@router.get("/{run_id}/report", operation_id="getImpactRunReport",
            response_class=HTMLResponse,
            summary="The run's self-contained HTML report",
            responses={200: {"description": "the report", "content": {"text/html": {"schema": {
                "type": "string"}}}}, **problem_responses(404)})
def report(run_id: RowId, user: Viewer) -> HTMLResponse:
    from exportcheck.impact.served import report_csp, with_sizing
    from exportcheck.impact.store import get_report

    html = with_sizing(get_report(run_id))  # sandboxed, it tells the run's page its height
    return HTMLResponse(html, headers={"content-security-policy": report_csp(html)})


@router.get("/{run_id}/lines", operation_id="listImpactRunLines",
            response_model=Page[ImpactLineOut],
            summary="The run's order lines with old and new outcome and cause",
            responses=problem_responses(404))
def lines(run_id: RowId, user: Viewer, page: Annotated[PageParams, Depends(page_params)],
          changed_only: bool = False) -> dict:
    from exportcheck.impact.store import get_lines

    frame = get_lines(run_id)
    if changed_only:
        frame = frame.filter(pl.col("changed"))
    part = frame.slice(page.offset, page.limit)
    rows = [{k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()}
            for r in part.iter_rows(named=True)]
    return page.page(rows, frame.height)
