"""``GET /healthz``: is the service up, and what is it serving."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from exportcheck import __version__
from exportcheck.db import get_engine
from exportcheck.web.openapi_meta import SERVICE
from exportcheck.web.schemas import Health, ScreenerState

router = APIRouter(tags=[SERVICE])


@router.get("/healthz", operation_id="getHealth",
            response_model=Health, summary="Liveness and what is loaded")
def healthz() -> Health:
    """No credentials needed. ``status`` is ``ok`` when the database answers; ``lists`` are
    the versions active in the database, ``screener`` what this worker screens with."""
    from exportcheck.screen import store
    from exportcheck.screen.service import screener_status

    engine = get_engine()
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        lists = [f"{v.source}@{v.content_hash[:12]}"
                 for v in store.list_versions(active_only=True)]
        status = "ok"
    except Exception as exc:
        lists, status = [], f"database unavailable: {type(exc).__name__}"
    return Health(status=status, version=__version__, database=engine.dialect.name,
                  lists=lists, screener=ScreenerState(**screener_status()))
