"""The web service: REST API under ``/api/v1``, yente's ``/match``, and the browser UI.

``create_app()`` builds it on the configured database (``EXPORTCHECK_DATABASE_URL``, default
SQLite in the data folder); ``exportcheck serve`` runs it with uvicorn.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from exportcheck import __version__
from exportcheck.accounts import Accounts
from exportcheck.settings import get_settings
from exportcheck.web import problems
from exportcheck.web.gate import CredentialsFirst
from exportcheck.web.limits import BodyLimit, SecurityHeaders
from exportcheck.web.openapi_meta import TAGS, unique_id

log = logging.getLogger(__name__)

DESCRIPTION = """\
Export-control compliance: licence determination over a dated, cited rule base, restricted-party
screening (any script), the licence ledger with its hash-chained audit trail, and the impact of
rule changes on a portfolio.

Machines authenticate with `Authorization: Bearer <token>` (`exportcheck tokens create USER`).
Roles: **viewer** reads; **officer** also checks, screens, records dispositions, registers
licences and ships; **admin** also manages users, tokens and lists. Errors are RFC 9457
`application/problem+json`.
"""


async def _follow_the_database() -> None:
    """Bring this worker's screener up to date with the database every recheck interval
    (``EXPORTCHECK_SCREENING_RECHECK_SECONDS``), whether or not requests come: checked only
    when a request screened, a worker idle since lists were loaded by the CLI or another
    worker answered its first screens and determinations from the lists it had before."""
    from exportcheck.screen import service
    from exportcheck.settings import screening_recheck_seconds

    while True:
        await run_in_threadpool(service.refresh_quietly)
        failed = service.screener_status()["last_error"] is not None
        await asyncio.sleep(service.RETRY_SECONDS if failed else
                            max(screening_recheck_seconds(service.RECHECK_SECONDS), 0.1))


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    from exportcheck.screen.service import background_reload

    # several workers (processes) share one database: a list activated through any of them,
    # or the CLI, is indexed by a background thread while the current index keeps answering
    background_reload(True)
    following: asyncio.Task[None] | None = None
    try:
        if app.state.warm:
            from exportcheck.api import default_screener
            from exportcheck.rules import load_ruleset

            # the rule base and the screening index load before the first request
            await run_in_threadpool(load_ruleset)
            screener = await run_in_threadpool(default_screener)
            # the Chinese readers (pinyin, Cantonese, OpenCC) load on the first Han name:
            # ~2 s that would otherwise stall the first requests of each worker
            await run_in_threadpool(screener.screen, "陳大文")
        following = asyncio.create_task(_follow_the_database())
        yield
    finally:
        from exportcheck.ledger.sealing import close_sealers

        if following is not None:
            following.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await following
        await run_in_threadpool(background_reload, False)
        close_sealers()  # a worker that was the ledger's sealer hands over at once


def create_app(*, database_url: str | None = None, warm: bool = True) -> FastAPI:
    """The ASGI application. ``database_url`` overrides the environment (tests)."""
    settings = get_settings()
    if database_url is not None:
        import os

        os.environ["EXPORTCHECK_DATABASE_URL"] = database_url
        settings = get_settings()
    app = FastAPI(title="exportcheck", version=__version__, description=DESCRIPTION,
                  lifespan=_lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", openapi_tags=TAGS,
                  generate_unique_id_function=unique_id)
    app.state.accounts = Accounts(settings.database_url)
    app.state.settings = settings
    app.state.warm = warm
    # the last added runs first: client address, headers, credentials, then the body limit
    app.add_middleware(BodyLimit, max_body=settings.max_body_bytes,
                       max_upload=settings.max_upload_bytes)
    app.add_middleware(CredentialsFirst)
    app.add_middleware(SecurityHeaders)
    if settings.forwarded_allow_ips:
        from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

        # behind a reverse proxy every connection comes from the proxy: take the client's
        # address from X-Forwarded-For, but only when the proxy itself sent it
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    problems.install(app)

    from exportcheck.web import ui
    from exportcheck.web.routers import (
        accounts,
        audit,
        determinations,
        docs,
        health,
        impact,
        ledger,
        lists,
        match,
        screening,
    )

    for module in (health, determinations, screening, match, ledger, audit, lists, impact,
                   accounts, docs):
        app.include_router(module.router)
    ui.install(app)
    return app
