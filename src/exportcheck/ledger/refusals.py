"""The refusals a posting answers: the licence does not cover the shipment, or its idempotency
key was used for another request. Both are audited, and the CLI exits with
:data:`~exportcheck.errors.REFUSED` for them, so a script tells a refusal from a typo."""

from __future__ import annotations

from typing import Any

from exportcheck.errors import REFUSED, LedgerError


class ShipmentRefused(LedgerError):
    """A shipment the licence does not cover; ``rule`` is a short machine-readable reason;
    ``determination``: what the determination of each line refused said (recorded with the
    audited refusal), when one was made."""

    code = "shipment_refused"
    exit_code = REFUSED

    def __init__(self, message: str, rule: str,
                 determination: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.rule = rule
        self.determination = determination or []

    @classmethod
    def first_of(cls, refusals: list[tuple[str, str]], determination: list[dict[str, Any]],
                 note: str = "") -> ShipmentRefused:
        """The first of several ``(message, rule)`` refusals, saying how many more lines were
        refused (and ``note``)."""
        message, rule = refusals[0]
        if len(refusals) > 1:
            message += f" (and {len(refusals) - 1} more line(s) refused)"
        return cls(message + note, rule, determination)


class KeyReused(LedgerError):
    """An idempotency key already used for a different request (a shipment, or a reversal
    in :mod:`~exportcheck.ledger.reversals`): nothing is written but the audited refusal,
    as for every other refusal. Not a :class:`ShipmentRefused`: no override can post it."""

    rule = "idempotency_key_reused"
    exit_code = REFUSED

    def __init__(self, message: str, first_seq: int | None = None) -> None:
        super().__init__(message)
        #: the audit entry of the key's first use (its request, as first spelt)
        self.first_seq = first_seq
