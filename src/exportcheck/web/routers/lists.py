"""``/api/v1/lists``: stored list versions, what each changed, and loading new files (admin)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from exportcheck.dates import IsoDate
from exportcheck.errors import ExportCheckError, InvalidInput, ListDataError, NotFound
from exportcheck.web.deps import Admin, Viewer
from exportcheck.web.jsonbody import JsonBodyRoute
from exportcheck.web.openapi_meta import LISTS
from exportcheck.web.problems import AUTH_RESPONSES, BODY_RESPONSES, problem_responses
from exportcheck.web.schemas import (
    EntryChange,
    ListChanges,
    ListVersionOut,
    LoadResultOut,
    Page,
    PageParams,
    RowId,
    page_params,
)

router = APIRouter(prefix="/api/v1/lists", tags=[LISTS], responses=AUTH_RESPONSES,
                   route_class=JsonBodyRoute)
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
EXAMPLES = 20


def versions(active_only: bool) -> list[ListVersionOut]:
    from exportcheck.screen import store

    rows = store.list_versions(active_only=active_only)
    counts = store.counts_by_list([v.id for v in rows])
    return [ListVersionOut(
        id=v.id, source=v.source, active=v.active, file_date=v.file_date,
        row_count=v.row_count, entry_count=v.entry_count, by_list=counts[v.id],
        content_hash=v.content_hash, format=v.format, loaded_at=v.loaded_at,
        loaded_by=v.loaded_by, previous_id=v.previous_id, forced=v.forced,
        older_release=v.older_release) for v in rows]


@router.get("", operation_id="listListVersions",
            response_model=Page[ListVersionOut], summary="Stored list versions")
def list_versions(user: Viewer, page: Annotated[PageParams, Depends(page_params)],
                  all: bool = False) -> dict:
    """The active version of each source (``all=true``: every version ever loaded), with
    row counts per list and when and by whom it was loaded."""
    return page.page(versions(active_only=not all))


def changes(version_id: int) -> ListChanges:
    from exportcheck.screen import store

    try:
        c = store.version_changes(version_id)
    except NotFound:  # the store's message points at the CLI
        raise NotFound(f"no list version {version_id}: the Lists page, or GET /api/v1/lists?"
                       "all=true, shows every version loaded") from None
    return ListChanges(
        version_id=c.version_id, previous_id=c.previous_id, added=len(c.added),
        removed=len(c.removed), changed=len(c.changed), unchanged=c.unchanged,
        examples={k: [EntryChange(list=a, entry_id=b, name=n) for a, b, n in v[:EXAMPLES]]
                  for k, v in (("added", c.added), ("removed", c.removed),
                               ("changed", c.changed))})


@router.get("/{version_id}/changes", operation_id="getListVersionChanges",
            response_model=ListChanges,
            summary="What a version changed against the one it replaced",
            responses=problem_responses(404))
def version_changes(version_id: RowId, user: Viewer) -> ListChanges:
    return changes(version_id)


async def load_upload(files: list[UploadFile], *, force: bool, user: str,
                      published: dt.date | None = None,
                      allow_older: bool = False) -> list[LoadResultOut]:
    """Store uploaded list files in a scratch folder and load them (all or nothing)."""
    from exportcheck.screen import store
    from exportcheck.screen.parsers import alias_warnings

    if not files:
        raise InvalidInput("no files: upload one or more list files (OFAC, CSL, UN, BIS...)")
    folder = Path(tempfile.mkdtemp(prefix="exportcheck-upload-"))
    try:
        stored: list[Path] = []
        sent: dict[str, str] = {}  # stored name -> the name the client sent
        for i, f in enumerate(files):
            name = _SAFE_NAME.sub("_", Path(f.filename or f"upload-{i}").name).strip("._")
            name = name or f"upload-{i}"
            if name in sent:  # stored as one, the later file would silently replace the other
                raise ListDataError(f"two files named {name} ({sent[name]} and {f.filename}): "
                                    "load one release at a time")
            sent[name] = f.filename or name
            path = folder / name
            with path.open("wb") as out:
                shutil.copyfileobj(f.file, out)
            stored.append(path)
        # each file by name, not the folder: a folder's unrecognised files are skipped
        # silently, and a README uploaded beside the CSL, or a corrupt sdn.csv, must be named
        # and refuse the load, not pass as if that list had been updated
        results = await run_in_threadpool(store.load_lists, stored, force=force, user=user,
                                          published=published, allow_older=allow_older)
        gaps = alias_warnings(stored)
    except ExportCheckError as exc:  # name the upload, not the server's scratch folder
        exc.args = (str(exc).replace(f"{folder}/", "").replace(str(folder), "the upload")
                    .replace("Use --force if", "Tick 'accept a drop' (API: force=true) if")
                    .replace("use --allow-older if",
                             "tick 'load an older release on purpose' (API: allow_older=true) if"),)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return [LoadResultOut(source=r.source, version_id=r.version_id, status=r.status,
                          row_count=r.row_count, previous_rows=r.previous_rows,
                          by_list=r.by_list, older_release=r.older_release,
                          warnings=[gaps[r.source]] if r.source in gaps else [])
            for r in results]


@router.post("/load", operation_id="loadLists",
             response_model=list[LoadResultOut], summary="Load list files (admin)",
             responses=BODY_RESPONSES)
async def load(user: Admin, files: Annotated[list[UploadFile], File()],
               force: Annotated[bool, Form()] = False,
               published: Annotated[IsoDate | None, Form()] = None,
               allow_older: Annotated[bool, Form()] = False) -> list[LoadResultOut]:
    """Detect each file's format, store a new version of each source and activate it, all or
    nothing. A version with over 10% fewer rows than the active one is refused unless
    ``force`` (a truncated download is likelier than a real drop); an older release than the
    active one (files a later version replaced, or a UN file dated earlier) unless
    ``allow_older``. ``published``: the day the files were published, where they do not say
    (an upload's own date otherwise)."""
    return await load_upload(files, force=force, user=user.actor, published=published,
                             allow_older=allow_older)
