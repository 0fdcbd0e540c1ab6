"""``GET /docs``: the REST API's interactive documentation (Swagger UI).

FastAPI's own page loads Swagger UI from a CDN; a compliance service must work where only its
own host is reachable, and takes no front-end code from a CDN. The files come from the npm
registry at set-up time (``scripts/_vendor.sh``) into the package's static folder; without
them the page says so and links to the OpenAPI document itself.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
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
    return get_swagger_ui_html(
        openapi_url="/openapi.json", title="exportcheck REST API",
        swagger_js_url=f"/static/vendor/{BUNDLE}", swagger_css_url=f"/static/vendor/{STYLE}",
        swagger_favicon_url="data:,")  # no icon to fetch from elsewhere
