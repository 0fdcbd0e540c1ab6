"""Query parameters a REST route does not take are refused, as unknown body fields are.

FastAPI ignores a query parameter no route declares, so a misspelt filter answered as if it
had not been sent: ``GET /api/v1/shipments?licnce=X`` listed every shipment of the ledger,
``?agnecy=DDTC`` every licence, and a client read them as the shipments of licence X or the
DDTC licences. A body field spelt wrong is a 422 naming it (``extra="forbid"``); a query
parameter spelt wrong is now one too, naming it and the parameters the route takes.

A parameter taking one value given twice (``?limit=5&limit=10``) was read as its last value,
so a client that appended a filter to a URL already carrying it got the second one without a
word; it is a 422 naming it too. Parameters taking a list (``?anchor=`` of
``/audit/verify``) stay repeatable.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from fastapi import Request
from fastapi.exceptions import RequestValidationError

#: the routes checked: the REST API (yente's ``/match`` keeps yente's leniency, the browser
#: pages keep theirs: htmx and links may add parameters of their own)
API_PREFIX = "/api/"


def _names(dependant: Any) -> dict[str, bool]:
    """The query parameter names a route's dependency tree declares (by alias: ``from``),
    each with whether it takes a list (repeatable), as FastAPI reads it."""
    names: dict[str, bool] = {}
    stack = [dependant]
    while stack:
        node = stack.pop()
        for field in node.query_params:
            names[field.alias] = _repeatable(field.field_info.annotation)
        stack.extend(node.dependencies)
    return names


def _repeatable(annotation: Any) -> bool:
    """Whether a query parameter's type takes a list (``list[str] | None``): FastAPI reads
    every value of such a parameter, and only the last of any other."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_repeatable(a) for a in get_args(annotation))
    return (origin or annotation) in (list, set, frozenset, tuple)


def query_names(route: Any) -> dict[str, bool] | None:
    """What ``route`` takes in its query string, name -> repeatable (cached on the route), or
    None for a route that is no FastAPI route (nothing to check against)."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    cached = getattr(route, "_exportcheck_query_names", None)
    if cached is None:
        cached = _names(dependant)
        route._exportcheck_query_names = cached
    return cached


def refuse_unknown_query(request: Request) -> None:
    """Raise a 422 (``query.<name>``) for each query parameter the API route does not take,
    and for each one taking a single value that is given more than once."""
    if not request.url.path.startswith(API_PREFIX) or not request.query_params:
        return
    known = query_names(request.scope.get("route"))
    if known is None:
        return
    params = request.query_params
    errors: list[dict[str, Any]] = []
    for name in dict.fromkeys(params.keys()):
        if name not in known:
            takes = (f"this request takes {', '.join(sorted(known))}" if known
                     else "this request takes no query parameters")
            errors.append({"loc": ("query", name), "type": "extra_forbidden",
                           "input": params[name],
                           "msg": f"unknown query parameter (misspelt?): {takes}"})
        elif not known[name] and len(values := params.getlist(name)) > 1:
            shown = ", ".join(repr(v if len(v) <= 40 else v[:37] + "...") for v in values[:5])
            shown += ", ..." if len(values) > 5 else ""
            errors.append({"loc": ("query", name), "type": "repeated_parameter",
                           "input": values,
                           "msg": f"given {len(values)} times ({shown}): it takes one "
                                  "value; send it once"})
    if errors:
        raise RequestValidationError(errors)
