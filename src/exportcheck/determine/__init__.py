"""Licence determination: rules at a date × item × destination × parties → outcome and trace.

The names below load on first use: a module that needs only :mod:`.items` (the ledger's
schemas, to read a classification) does not load the engine and the screener with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

#: public name -> the submodule that defines it
_PUBLIC = {
    "Classification": "items",
    "PartyScreener": "parties",
    "determine": "engine",
    "parse_item": "items",
    "resolve_destination": "engine",
}

__all__ = ["Classification", "PartyScreener", "determine", "parse_item", "resolve_destination"]

if TYPE_CHECKING:
    from exportcheck.determine.engine import determine, resolve_destination
    from exportcheck.determine.items import Classification, parse_item
    from exportcheck.determine.parties import PartyScreener


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'exportcheck.determine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_PUBLIC[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))
