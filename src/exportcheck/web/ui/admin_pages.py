"""Lists and Impact pages."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from pathlib import Path
from typing import Annotated

import polars as pl
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from exportcheck.accounts import Principal
from exportcheck.dates import parse_iso_date
from exportcheck.errors import ExportCheckError, InvalidInput
from exportcheck.web.problems import INTERNAL_ERROR, status_of
from exportcheck.web.routers import lists as lists_api
from exportcheck.web.schemas import RowId
from exportcheck.web.ui import render
from exportcheck.web.ui.forms import FIELD_INVALID, page_user

log = logging.getLogger(__name__)
router = APIRouter(include_in_schema=False)
Admin = Annotated[Principal, Depends(page_user("admin"))]
Officer = Annotated[Principal, Depends(page_user("officer"))]
Viewer = Annotated[Principal, Depends(page_user("viewer"))]


def _lists_page(request: Request, user: Principal, *, all: bool = False, **context) -> Response:
    from exportcheck.screen.listing import SOURCE_LABELS

    return render(request, "lists.html", user, title="Lists", labels=SOURCE_LABELS,
                  versions=lists_api.versions(active_only=not all), **context)


@router.get("/lists", response_class=HTMLResponse)
def lists(request: Request, user: Viewer, all: bool = False) -> Response:
    return _lists_page(request, user, all=all)


@router.get("/lists/{version_id}", response_class=HTMLResponse)
def list_changes(request: Request, version_id: RowId, user: Viewer) -> Response:
    from exportcheck.screen import store
    from exportcheck.screen.listing import SOURCE_LABELS

    changes = lists_api.changes(version_id)
    source = next((v.source for v in store.list_versions() if v.id == version_id), "")
    return render(request, "list_changes.html", user, title="List changes", changes=changes,
                  label=SOURCE_LABELS.get(source, source))


@router.post("/lists/load", response_class=HTMLResponse)
async def load(request: Request, user: Admin) -> Response:
    """Load the files; refused, the form again with the error under its box (the published
    date, else the files) and what was typed kept (a file cannot be kept)."""
    form = await request.form()
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    published = str(form.get("published") or "").strip()
    kept = {"published": published, "force": bool(form.get("force")),
            "allow_older": bool(form.get("allow_older"))}
    try:
        day = parse_iso_date(published, "published date") if published else None
    except InvalidInput as exc:
        return _lists_page(request, user, errors={"published": str(exc)},
                           status_code=FIELD_INVALID, **kept)
    try:
        loaded = await lists_api.load_upload(files, force=kept["force"], user=user.actor,
                                             published=day, allow_older=kept["allow_older"])
    except ExportCheckError as exc:  # a future day is the store's to refuse
        field = "published" if str(exc).startswith("published date") else "files"
        return _lists_page(request, user, errors={field: str(exc)},
                           status_code=status_of(exc), **kept)
    return _lists_page(request, user, loaded=loaded)


def _impact_page(request: Request, user: Principal, form: dict, **context) -> Response:
    from exportcheck.impact.store import list_runs
    from exportcheck.screen import store

    runs, _ = list_runs(50, 0)
    form = {"from_date": "2020-06-29", "to_date": "2021-01-15", "portfolio": "sample",
            "from_lists": "", "to_lists": "", "rates": ""} | form
    # what tells two releases apart first, as a reader scans a box's label
    versions = [{"id": v.id, "label": f"{v.source} #{v.id}" + (" (active)" if v.active else "")
                          + f": {v.entry_count:,} entries"
                          + (f", file of {v.file_date}" if v.file_date else "")
                          + f", loaded {v.loaded_at:%Y-%m-%d}"}
                for v in store.list_versions()]
    return render(request, "impact.html", user, title="Impact", runs=runs, form=form,
                  list_versions=versions, **context)


@router.get("/impact", response_class=HTMLResponse)
def impact(request: Request, user: Viewer) -> Response:
    return _impact_page(request, user, {})


def _read_orders(upload: UploadFile | None) -> tuple[pl.DataFrame, str]:
    """The uploaded order file, read and checked as ``exportcheck impact`` reads a file (UTF-16,
    ';'-separated, CR-only line ends, a line shorter than the header, a column named twice or
    several unnamed are refused), its messages naming the file as the officer chose it."""
    from exportcheck.determine.batch_io import header_problem, read_lines

    if upload is None or not upload.filename:
        raise InvalidInput("choose an order file, or the bundled portfolio")
    name = upload.filename
    suffix = Path(name).suffix.lower()
    if suffix not in (".csv", ".parquet"):
        raise InvalidInput(f"{name}: use a .csv or .parquet order file")
    with tempfile.TemporaryDirectory(prefix="exportcheck-upload-") as folder:
        path = Path(folder) / f"orders{suffix}"
        path.write_bytes(upload.file.read())
        try:
            if suffix == ".csv" and (problem := header_problem(path, named=True)):
                raise InvalidInput(f"{path}: {problem}")
            frame = read_lines(path)
        except InvalidInput as exc:
            raise InvalidInput(str(exc).replace(str(path), name), field="orders") from None
    return frame, f"upload: {name}"


def _dates(fields: dict[str, str]) -> tuple[dt.date, dt.date] | dict[str, str]:
    """The two dates, or the message for each box at fault."""
    got: dict[str, dt.date] = {}
    errors: dict[str, str] = {}
    for name, label in (("from_date", "From (old rules)"), ("to_date", "To (new rules)")):
        text = fields.get(name, "").strip()
        try:
            got[name] = dt.date.fromisoformat(text)
        except ValueError:
            errors[name] = (f"{label}: give a date as YYYY-MM-DD" if text else
                            f"{label}: give a date")
    if not errors and got["from_date"] > got["to_date"]:
        errors["to_date"] = (f"From (old rules) {got['from_date'].isoformat()} is after To "
                             f"(new rules) {got['to_date'].isoformat()}: the old rules' date "
                             "comes first")
    return errors or (got["from_date"], got["to_date"])


#: the boxes of the Impact form an error of the run itself may be about (``exc.field``)
_RUN_FIELDS = frozenset(("from_date", "to_date", "lists", "orders", "rates"))


def _run_field(exc: ExportCheckError) -> str:
    """The box an error of the run itself is about: a date before the rule base, the list
    releases, the portfolio; "" (the top of the page) for any other."""
    return exc.field if exc.field in _RUN_FIELDS else ""


@router.post("/impact", response_class=HTMLResponse)
async def run_impact(request: Request, user: Officer) -> Response:
    from starlette.concurrency import run_in_threadpool

    from exportcheck.impact.rates import rates_box
    from exportcheck.web.routers.impact import run, sample_frame

    form = await request.form()
    fields = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    # several releases a side (one per source), as the API's comma-separated ids
    for side in ("from_lists", "to_lists"):
        fields[side] = ",".join(v for v in form.getlist(side) if isinstance(v, str) and v)
    # a date at fault is marked at its box (aria-invalid, the message under it, the focus)
    dates = _dates(fields)
    if isinstance(dates, dict):
        return _impact_page(request, user, fields, errors=dates, focus=next(iter(dates)),
                            status_code=FIELD_INVALID)
    start, end = dates
    at = "orders"  # the box an error is about, as the run gets further
    try:
        upload = form.get("orders")
        chosen = isinstance(upload, UploadFile) and bool(upload.filename)
        # a file chosen runs, whichever option is ticked: an officer who picked a file and
        # left "the bundled portfolio" ticked did not mean to run the sample
        if chosen or fields.get("portfolio") == "upload":
            frame, source = _read_orders(upload if isinstance(upload, UploadFile) else None)
            fields["portfolio"] = "upload"
        else:
            from exportcheck.web.routers.impact import SAMPLE

            frame, source = sample_frame(), SAMPLE
        at = "rates"
        rates = rates_box(fields.get("rates", ""))
        at = "lists"
        old, new = fields.get("from_lists", ""), fields.get("to_lists", "")
        if bool(old) != bool(new):
            raise InvalidInput("choose both list releases (old and new), or neither")
        at = ""
        out = await run_in_threadpool(run, frame, start, end, user=user.actor, source=source,
                                      lists=(old, new) if old else None, rates=rates)
    except ExportCheckError as exc:  # under its box, focused; else at the top
        at = at or _run_field(exc)
        shown = {"errors": {at: str(exc)}, "focus": at} if at else {"error": str(exc)}
        return _impact_page(request, user, fields, status_code=status_of(exc), **shown)
    except Exception:  # a bug: logged, and the officer keeps the form (dates, releases)
        log.exception("impact run failed on %s", request.url.path)
        return _impact_page(request, user, fields, error=INTERNAL_ERROR, status_code=500)
    return RedirectResponse(f"/impact/{out.id}", status_code=303)


@router.get("/impact/{run_id}", response_class=HTMLResponse)
def impact_run(request: Request, run_id: RowId, user: Viewer) -> Response:
    from exportcheck.impact.store import get_run

    info, _ = get_run(run_id)
    return render(request, "impact_run.html", user, title=f"Impact run {run_id}", run=info)
