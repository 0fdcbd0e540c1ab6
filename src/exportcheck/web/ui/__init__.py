"""The browser UI: server-rendered pages (Jinja2) enhanced with htmx, styled with Pico CSS.

htmx and Pico come from the npm registry at set-up time into ``web/static/vendor`` (git-ignored,
see ``scripts/_vendor.sh``); pages work without them, only plainer. Every form also works
without JavaScript and carries the session's CSRF token.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from exportcheck import __version__
from exportcheck.accounts import Principal
from exportcheck.dates import parse_iso_date
from exportcheck.errors import InvalidInput

HERE = Path(__file__).parent
STATIC_DIR = HERE.parent / "static"
VENDOR_DIR = STATIC_DIR / "vendor"
templates = Jinja2Templates(directory=HERE / "templates")
#: a run of right-to-left words (Arabic, Persian, Hebrew scripts), spaces between them included
_RTL_RUN = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff][^\s,;:'\"()]*"
                      r"(?: [\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff][^\s,;:'\"()]*)*")


def isolate_rtl(text: str) -> Markup:
    """``text`` escaped, each run of right-to-left words in a ``<bdi>``: in a left-to-right
    line ("tokens: صدام=صدام, حسين=حسين") the browser would otherwise reorder the runs and the
    punctuation between them."""
    out, last = [], 0
    for m in _RTL_RUN.finditer(text):
        out += [escape(text[last:m.start()]), Markup("<bdi>"), escape(m.group()),
                Markup("</bdi>")]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def date_box(value: object) -> str:
    """A date box's type: ``date`` (the picker), or ``text`` when what was typed is not a
    day, so that a refused entry stays on screen to be mended (a picker shows it empty)."""
    text = str(value or "").strip()
    if not text:
        return "date"
    try:
        parse_iso_date(text)
    except InvalidInput:
        return "text"
    return "date"


templates.env.filters["isolate_rtl"] = isolate_rtl
templates.env.filters["date_box"] = date_box
#: (path, label, role needed to use the page)
NAV = (("/check", "Check", "officer"), ("/screen", "Screen", "officer"),
       ("/licences", "Licences", "viewer"), ("/audit", "Audit", "viewer"),
       ("/lists", "Lists", "viewer"), ("/impact", "Impact", "viewer"))


def _assets() -> dict[str, bool]:
    return {"htmx": (VENDOR_DIR / "htmx.min.js").is_file(),
            "pico": (VENDOR_DIR / "pico.min.css").is_file()}


def _samples_in_use() -> str | None:
    """The samples banner: "samples" when no official list is loaded, "loading" when lists
    are loaded but this process still screens with the samples (its screener is rebuilt in the
    background, tens of seconds for the full lists), None otherwise."""
    from exportcheck.screen import store
    from exportcheck.screen.service import answering_from_samples

    try:
        loaded = store.has_active_lists()
    except Exception:
        return None
    if not loaded:
        return "samples"
    return "loading" if answering_from_samples() else None


def render(request: Request, template: str, user: Principal | None, *, title: str,
           status_code: int = 200, **context: Any) -> HTMLResponse:
    from exportcheck.rules import load_ruleset

    path = request.url.path
    active = next((href for href, _, _ in NAV if path.startswith(href)), None)
    nav = [(href, label) for href, label, role in NAV if user is not None and user.allows(role)]
    ctx = {"user": user, "nav": nav, "active": active, "assets": _assets(),
           "samples": _samples_in_use() if user is not None else None, "version": __version__,
           "ruleset_version": load_ruleset().version, "title": title, **context}
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)


def _way_back(request: Request, user: Principal | None) -> tuple[str, str] | None:
    """The page the failed request came from, by its section of the site (a form sent to
    ``/screen/disposition`` came from Screen): a signed-in person goes back to it."""
    path = request.url.path
    if user is None or path in ("/", ""):
        return None
    for href, label, role in NAV:
        if path.startswith(href) and user.allows(role):
            return href, label
    return None


def render_error(request: Request, status: int, title: str, detail: str) -> HTMLResponse:
    principal = getattr(request.state, "principal", None)
    user = principal if isinstance(principal, Principal) else None
    return render(request, "error.html", user, title=title, detail=detail, status_code=status,
                  back=_way_back(request, user))


def install(app: FastAPI) -> None:
    from exportcheck.web import problems
    from exportcheck.web.ui import admin_pages, ledger_pages, pages

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (pages, ledger_pages, admin_pages):
        app.include_router(module.router)
    problems.html_renderer = render_error
