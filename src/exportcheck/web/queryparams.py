"""Query parameters a REST route does not take are refused, as unknown body fields are.

FastAPI ignores a query parameter no route declares, so a misspelt filter answered as if it
had not been sent: ``GET /api/v1/shipments?licnce=X`` listed every shipment of the ledger,
``?agnecy=DDTC`` every licence, and a client read them as the shipments of licence X or the
DDTC licences. A body field spelt wrong is a 422 naming it (``extra="forbid"``); a query
parameter spelt wrong is now one too, naming it and the parameters the route takes.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

#: the routes checked: the REST API (yente's ``/match`` keeps yente's leniency, the browser
#: pages keep theirs: htmx and links may add parameters of their own)
API_PREFIX = "/api/"


def _names(dependant: Any) -> frozenset[str]:
    """The query parameter names a route's dependency tree declares (by alias: ``from``)."""
    names: set[str] = set()
    stack = [dependant]
    while stack:
        node = stack.pop()
        names.update(field.alias for field in node.query_params)
        stack.extend(node.dependencies)
    return frozenset(names)


def query_names(route: Any) -> frozenset[str] | None:
    """What ``route`` takes in its query string (cached on the route), or None for a route
    that is no FastAPI route (nothing to check against)."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    cached = getattr(route, "_exportcheck_query_names", None)
    if cached is None:
        cached = _names(dependant)
        route._exportcheck_query_names = cached
    return cached


def refuse_unknown_query(request: Request) -> None:
    """Raise a 422 (``query.<name>``) for each query parameter the API route does not take."""
    if not request.url.path.startswith(API_PREFIX) or not request.query_params:
        return
    known = query_names(request.scope.get("route"))
    if known is None:
        return
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in known]
    if not unknown:
        return
    takes = (f"this request takes {', '.join(sorted(known))}" if known
             else "this request takes no query parameters")
    raise RequestValidationError([
        {"loc": ("query", name), "type": "extra_forbidden", "input": request.query_params[name],
         "msg": f"unknown query parameter (misspelt?): {takes}"} for name in unknown])
