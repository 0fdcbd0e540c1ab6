"""Licence ledger and audit trail (issue #5).

``Ledger`` (in :mod:`exportcheck.ledger.api`) is the entry point: licences, shipments drawn down
against them, policy events, the balance report, and the hash-chained audit trail, on SQLite or
PostgreSQL. Other concerns record their decisions with
:func:`exportcheck.ledger.audit.append_event` in their own transaction.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Ledger"]


def __getattr__(name: str) -> Any:  # lazy: importing audit alone stays light
    if name == "Ledger":
        from exportcheck.ledger.api import Ledger

        return Ledger
    raise AttributeError(name)
