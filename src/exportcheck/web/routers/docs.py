"""``GET /docs``: the REST API's interactive documentation (Swagger UI).

FastAPI's own page loads Swagger UI from a CDN; a compliance service must work where only its
own host is reachable, and takes no front-end code from a CDN. The files come from the npm
registry at set-up time (``scripts/_vendor.sh``) into the package's static folder; without
them the page says so and links to the OpenAPI document itself. The page starts Swagger UI
from ``static/swagger-init.js``, not FastAPI's inline script: the Content-Security-Policy
refuses inline scripts (``web/limits.py``).
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from exportcheck.web.ui import VENDOR_DIR

router = APIRouter(include_in_schema=False)

BUNDLE, STYLE = "swagger-ui-bundle.js", "swagger-ui.css"


@router.get("/docs", response_class=HTMLResponse)
def docs() -> HTMLResponse:
    if not ((VENDOR_DIR / BUNDLE).is_file() and (VENDOR_DIR / STYLE).is_file()):
        return HTMLResponse(
            "<!DOCTYPE html><html lang='en'><head><title>exportcheck REST API</title></head>"
            "<body><h1>exportcheck REST API</h1><p>Swagger UI is not installed here (the set-up "
            "fetches it from the npm registry: <code>scripts/_vendor.sh</code>). The API is "
            "described by its <a href='/openapi.json'>OpenAPI document</a>.</p></body></html>")
    return HTMLResponse(  # no icon to fetch from elsewhere: href="data:,"
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        "<title>exportcheck REST API</title><link rel='icon' href='data:,'>"
        f"<link rel='stylesheet' href='/static/vendor/{STYLE}'></head><body>"
        "<div id='swagger-ui' data-openapi='/openapi.json'></div>"
        f"<script src='/static/vendor/{BUNDLE}'></script>"
        "<script src='/static/swagger-init.js'></script></body></html>")
