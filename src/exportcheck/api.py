"""The public Python API: what the CLI, the REST API and the batch path call."""

from __future__ import annotations

from exportcheck.determine import determine
from exportcheck.determine.batch import determine_frame
from exportcheck.determine.parties import PartyScreener
from exportcheck.models import Determination
from exportcheck.rules import RuleSet, load_ruleset


def default_screener() -> PartyScreener:
    """The screener used when none is given: the database's active lists, else bundled samples.

    Built once per process (index build is the expensive part).
    """
    from exportcheck.screen.service import default_screener as shared

    return shared()


def record_determination(
    determination: Determination, *, actor: str, database_url: str | None = None
) -> int:
    """Write a determination to the audit trail (15 CFR 762); returns its sequence number.

    The entry carries the inputs, the answer and its trace, and the rule-base and list versions
    used, so the decision can be shown years later exactly as it was made.
    """
    from exportcheck.ledger import Ledger

    versions = {"rule_base": determination.ruleset_version}
    if determination.lists_version:
        versions["lists"] = determination.lists_version
    return Ledger(database_url).append_event(
        kind="determination",
        actor=actor,
        payload=determination.model_dump(mode="json"),
        versions=versions,
    )


__all__ = [
    "RuleSet",
    "default_screener",
    "determine",
    "determine_frame",
    "load_ruleset",
    "record_determination",
]
