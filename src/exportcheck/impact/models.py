"""The tables and summary an impact run returns (pydantic, so they serialise as JSON as is)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class Side(BaseModel):
    """One side of the comparison: the rule date and the list versions screened against."""

    date: date
    #: list versions (``Screener.version``) the end users were screened against; None: none
    lists_version: str | None = None


class Transition(BaseModel):
    """Lines that went from one outcome to another (None: the line is an error on that side)."""

    old_outcome: str | None
    new_outcome: str | None
    lines: int
    value: float


class Breakdown(BaseModel):
    """Lines and money of one destination, category, agency, reason or customer."""

    key: str
    lines: int
    changed_lines: int
    value: float
    value_changed: float


class RuleEvent(BaseModel):
    """A rule that came into or went out of force between the two dates."""

    on: date
    change: str  # added | removed
    rule: str
    citation: str
    table: str
    #: changed lines whose cause names this rule, and their value (table "review holds": the
    #: lines this entry holds, or no longer holds, for review without a changed answer)
    lines: int = 0
    value: float = 0.0


class ListChange(BaseModel):
    """A list entry that an end user matched on one side only."""

    list: str
    entry_id: str
    matched_name: str
    change: str  # added | removed (the end user matches it only on the new / old side)
    lines: int = 0
    value: float = 0.0


class Totals(BaseModel):
    lines: int
    errors: int
    changed_lines: int
    value: float
    value_changed: float
    transitions: list[Transition]
    #: lines held for review (a potential restricted-party match set aside) on each side; their
    #: outcome is the answer without the match, so they are counted apart
    held_old: int = 0
    held_new: int = 0
    #: lines held on either side, and their value
    held_lines: int = 0
    value_held: float = 0.0
    #: lines whose answer did not change but which are held for review on one side only (a
    #: potential match appearing or disappearing), and their value: the timeline's "review
    #: holds" series credits each once (:func:`~exportcheck.impact.summary.hold_events`)
    hold_moved_lines: int = 0
    value_hold_moved: float = 0.0
    #: changed lines without a value (none given, or refused): counted in ``changed_lines``
    #: but not in ``value_changed``, which therefore understates the money by theirs
    changed_without_value: int = 0
    #: the value of the lines with an error (not determined on one side or both): part of
    #: ``value``, never of ``value_changed``
    value_errors: float = 0.0


class LicenceImpact(BaseModel):
    """A ledger licence whose remaining balance cannot be used on the new side."""

    agency: str
    number: str
    destination: str
    status_old: str
    status_new: str
    approved_value: float
    shipped_value: float
    remaining_value: float
    unusable_value: float
    cause: str


class LicenceSummary(BaseModel):
    licences: int  # licences in the ledger
    hit: int
    unusable_value: float
    rows: list[LicenceImpact]
    #: licences whose validity simply ended between the two dates: unusable on the new side,
    #: but not because a rule or a status changed, so not counted in ``hit``/``unusable_value``
    expired: int = 0
    expired_value: float = 0.0
    expired_rows: list[LicenceImpact] = Field(default_factory=list)


class PartyImpact(BaseModel):
    """A stored party that is newly hit, or cleared, by the list change."""

    party: str
    country: str | None
    change: str  # newly hit | cleared
    list: str
    entry_id: str
    matched_name: str
    score: float


class PartySummary(BaseModel):
    parties: int
    newly_hit: int
    cleared: int
    rows: list[PartyImpact]


class ImpactSummary(BaseModel):
    """What ``summary.json`` holds."""

    mode: str  # rules | lists | rules+lists
    old: Side
    new: Side
    currency: str = "USD"
    ruleset_version: str
    totals: Totals
    by_destination: list[Breakdown]
    by_category: list[Breakdown]
    by_agency: list[Breakdown]
    by_reason: list[Breakdown]
    by_customer: list[Breakdown]
    #: rule events between the two dates for the portfolio's destinations and items
    events: list[RuleEvent]
    list_changes: list[ListChange] = []
    licences: LicenceSummary | None = None
    parties: PartySummary | None = None
    notes: list[str] = Field(default_factory=list)
    #: what may make the totals wrong without being any line's error (order ids repeated)
    warnings: list[str] = Field(default_factory=list)
