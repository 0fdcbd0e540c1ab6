"""How the service serves a stored impact report (``GET /impact/runs/{id}/report``): the
Content-Security-Policy it is sent with, and the script that tells the run page its height.
Apart from :mod:`.report`, which renders the file the CLI writes as well."""

from __future__ import annotations

import base64
import hashlib
import re

__all__ = ["report_csp", "with_sizing"]

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
#: the chart options of reports stored before the charts used Vega's interpreter: Vega
#: compiles their expressions into functions, which needs 'unsafe-eval'
COMPILED_CHARTS = "const opts = {actions: false, renderer: 'svg'};"


#: what the report posts to the page that frames it (web/static/app.js, data-fit)
HEIGHT_MESSAGE = "exportcheck-report-height"
#: the report's sizing script. The service serves the report sandboxed (an opaque origin), so
#: the run's page cannot measure the frame's document: the report tells its height, on load and
#: whenever its body resizes (a section opened, the frame's width changed). The document's own
#: height, not its scrollHeight, which is never less than the frame: a frame once grown would
#: never shrink. Target "*": an opaque origin does not know its parent's, and the message
#: carries only a number. Opened in its own tab, it has no parent to tell.
SIZING = (
    "<script>\n(function(){\n"
    "if (window.parent === window) return;\n"
    "const tell = () => window.parent.postMessage({type: '" + HEIGHT_MESSAGE + "', height:\n"
    "  Math.ceil(document.documentElement.getBoundingClientRect().height)}, '*');\n"
    "if (window.ResizeObserver) new ResizeObserver(tell).observe(document.body);\n"
    "window.addEventListener('load', tell);\n"
    "tell();\n"
    "})();\n</script>"
)


def with_sizing(html: str) -> str:
    """The report as the service serves it: with ``SIZING`` before its ``</body>``, after its
    content (the last ``</main>``), where ``report_csp`` hashes it. Added when served, not
    stored, so a run stored before the report was sandboxed is sized too."""
    end, main = html.rfind("</body>"), html.rfind("</main>")
    if SIZING in html[max(main, 0):]:  # already there (where it runs)
        return html
    if end < main or end < 0:  # not a report as render_report makes them: at the very end
        return html + SIZING
    return html[:end] + SIZING + "\n" + html[end:]


def report_csp(html: str) -> str:
    """The Content-Security-Policy the service sends with a report: it is self-contained, so
    nothing is fetched; its own inline scripts run, and nothing else: no eval (the charts use
    Vega's expression interpreter, not its compiler; a run stored before keeps 'unsafe-eval',
    or its charts would no longer draw). Only the scripts after the content (the last
    ``</main>``, where ``render_report`` puts them) are hashed: a script that got into the
    content (a name the escaping missed, a stored report altered) is not, so it does not
    run. ``sandbox allow-scripts``: the report gets an opaque origin, in the run page's frame
    as in a tab of its own, so even a script that ran there could not read the service's
    cookies, pages or API as the signed-in user; it needs nothing more (no link, popup, form or
    download: ``with_sizing`` tells the frame's height by postMessage)."""
    end = html.rfind("</main>")
    bodies = _INLINE_SCRIPT.findall(html[end:] if end >= 0 else "")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in bodies)
    compiled = any(COMPILED_CHARTS in body for body in bodies)
    scripts = (f"{hashes} 'unsafe-eval'" if compiled else hashes) or "'none'"
    return (f"sandbox allow-scripts; default-src 'none'; script-src {scripts}; "
            "style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
            "base-uri 'none'; form-action 'none'")
