"""What the OpenAPI document says about the API as a whole: its tags, one per concern, each
with a line a reader of the docs page (or a generated client's module docstring) starts from.

Every operation also carries a short ``operation_id`` of its own (``createDetermination``,
``listShipments``), set on its route: FastAPI's generated ones
(``determine_line_api_v1_determinations_post``) became the method names of generated clients
and changed whenever a function or path was renamed.
"""

from __future__ import annotations

from fastapi.routing import APIRoute
from fastapi.utils import generate_unique_id

SERVICE = "Service"
DETERMINATIONS = "Determinations"
SCREENING = "Screening"
MATCHING = "Matching (yente-compatible)"
LICENCES = "Licences"
SHIPMENTS = "Shipments"
AUDIT = "Audit trail"
IMPACT = "Impact"
LISTS = "Lists"
ACCOUNTS = "Accounts"

#: ``openapi_tags``: the order the docs page shows them in
TAGS: list[dict[str, str]] = [
    {"name": SERVICE, "description": "Liveness and what the service has loaded."},
    {"name": DETERMINATIONS,
     "description": "Licence determination of order lines over the dated, cited rule base."},
    {"name": SCREENING, "description": "Restricted-party screening of names (any script) and "
                                       "the dispositions that clear or confirm a hit."},
    {"name": MATCHING, "description": "yente's query-by-example matching, so an existing yente "
                                      "client works by changing its URL."},
    {"name": LICENCES, "description": "The ledger's BIS and DDTC licences, their status "
                                      "changes and balances."},
    {"name": SHIPMENTS, "description": "Shipments drawn down against licences (or recorded "
                                       "under a licence exception) and their reversals."},
    {"name": AUDIT, "description": "The hash-chained audit trail: browse, verify, export."},
    {"name": IMPACT, "description": "A portfolio determined on two dates or list releases: "
                                    "what changed and why."},
    {"name": LISTS, "description": "Stored restricted-party list versions, what each changed, "
                                   "and uploads (admin)."},
    {"name": ACCOUNTS, "description": "Users, API tokens and who the caller is."},
]


def unique_id(route: APIRoute) -> str:
    """A route's id for the spec: its ``operation_id`` where it has one, so the names FastAPI
    derives from the id (a multipart body's schema, ``Body_loadLists``) are as short and
    stable; FastAPI's own otherwise (the browser pages, which the spec leaves out)."""
    return route.operation_id or generate_unique_id(route)
