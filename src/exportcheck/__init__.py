"""exportcheck: export-control compliance — licence determination, screening, licence ledger.

>>> from datetime import date
>>> from exportcheck import determine
>>> determine("3A991", "HK", date(2021, 1, 15), end_user_type="military").reasons
['MEU']

The public names are imported on first use: ``exportcheck --version``, or a command that only
screens, does not load the determination engine and its rule schema (about 0.6 s).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_PUBLIC = {
    "Determination": "exportcheck.models",
    "LineItem": "exportcheck.models",
    "Outcome": "exportcheck.models",
    "Party": "exportcheck.models",
    "ScreeningHit": "exportcheck.models",
    "RuleSet": "exportcheck.rules",
    "default_screener": "exportcheck.api",
    "determine": "exportcheck.api",
    "determine_frame": "exportcheck.api",
    "load_ruleset": "exportcheck.api",
}

__all__ = [
    "Determination",
    "LineItem",
    "Outcome",
    "Party",
    "RuleSet",
    "ScreeningHit",
    "default_screener",
    "determine",
    "determine_frame",
    "load_ruleset",
]

if TYPE_CHECKING:
    from exportcheck.api import default_screener, determine, determine_frame, load_ruleset
    from exportcheck.models import Determination, LineItem, Outcome, Party, ScreeningHit
    from exportcheck.rules import RuleSet


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'exportcheck' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))


class _Package(types.ModuleType):
    """``exportcheck.determine`` is the function, as it was when this package imported it
    eagerly. The import system binds the subpackage of the same name to this attribute when
    the subpackage is first imported; that binding is ignored (the subpackage stays reachable
    as ``sys.modules["exportcheck.determine"]`` and by ``import exportcheck.determine.x``)."""

    @property
    def determine(self) -> Any:
        return importlib.import_module("exportcheck.api").determine

    @determine.setter
    def determine(self, value: Any) -> None:
        pass


sys.modules[__name__].__class__ = _Package
