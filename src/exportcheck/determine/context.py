"""The working state of one determination: the trace being written and the requirements found."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from exportcheck.determine.items import Classification
from exportcheck.models import (
    Agency,
    EndUserType,
    FactWanted,
    IfConfirmed,
    IfOutOfScope,
    PartyMatch,
    ScreeningHit,
    TraceStep,
    TransactionFacts,
)
from exportcheck.rules.ruleset import Snapshot
from exportcheck.rules.schema import Cited


@dataclass(frozen=True, slots=True)
class Requirement:
    """A licence requirement (or prohibition) one rule imposes.

    ``exceptions``: ``None`` means the ordinary Part 740 exceptions may overcome it; a set
    means only those; an empty set means none can.
    """

    reason: str
    agency: Agency
    review_policy: str | None
    rule: str
    exceptions: frozenset[str] | None = None
    prohibited: bool = False
    #: imposed by the Country Chart (a control line of the entry or a chart footnote), not by
    #: Part 744 or 746: GBS and TSR need every such requirement to be for NS (740.4, 740.6)
    chart: bool = False
    #: the regulation that imposes it (the answer's ``requirements`` carry it)
    citation: str = field(kw_only=True)


@dataclass
class Screening:
    """The parties' hits, split: ``certain`` ones decide, ``held`` ones wait for review.

    Each is ``(role, hit)``; a held one also carries its :class:`PartyMatch`, best first."""

    certain: list[tuple[str, ScreeningHit]] = field(default_factory=list)
    held: list[tuple[str, ScreeningHit, PartyMatch]] = field(default_factory=list)

    def confirming(self, i: int = 0) -> Screening:
        """The same screening with held candidate ``i`` taken as confirmed."""
        role, hit, _ = self.held[i]
        return Screening([*self.certain, (role, hit)], [])


@dataclass
class Context:
    snapshot: Snapshot
    item: Classification
    destination: str  # as given (validated)
    ear_destination: str  # as the EAR determines it on this date (HK -> CN from 23 Dec 2020)
    itar_destination: str
    value: float | None
    end_user_name: str | None
    end_user_type: EndUserType
    end_use: str
    consignee_name: str | None = None
    #: the parties' hits, each with the role of the party that got it ("end user", "consignee")
    role_hits: list[tuple[str, ScreeningHit]] = field(default_factory=list)
    party_matches: list[PartyMatch] = field(default_factory=list)
    if_confirmed: IfConfirmed | None = None
    lists_version: str | None = None
    trace: list[TraceStep] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    #: exception symbol -> (citation, conditions) found usable
    exceptions: dict[str, tuple[str, str]] = field(default_factory=dict)
    no_exceptions: list[str] = field(default_factory=list)  # rules barring all exceptions
    tracing: bool = True  # the batch path needs the answer only
    #: rule -> citation of every row of unknown start date consulted, kept even when not
    #: tracing: the caveats of a past determination name them (batch path too)
    unknown_rules: dict[str, str] = field(default_factory=dict)
    #: those a stated end use naming none of Part 744's would have added (worldwide end-use
    #: rules are consulted only when an end use is stated): the batch decides such lines with
    #: the lines that state none, and takes their caveats with these
    unknown_if_stated: dict[str, str] = field(default_factory=dict)
    #: what the rules applied rest on and could not be verified (OwnershipRule.caveat), kept
    #: even when not tracing: the caveats list them (batch path too)
    rule_caveats: list[str] = field(default_factory=list)
    #: facts the licence exceptions of exceptions_ac depend on (none given: none assumed)
    facts: TransactionFacts = field(default_factory=TransactionFacts)
    #: control lines with a scope in words that added a requirement ("5E001 SL: SL applies
    #: to ..."), and the answer without them (engine.evaluate)
    unread_applied: list[str] = field(default_factory=list)
    skip_unread: bool = False  # the run that answers "outside their scope"
    if_out_of_scope: IfOutOfScope | None = None
    #: facts not given that would settle an "available if" exception (Determination.facts_wanted)
    facts_wanted: list[FactWanted] = field(default_factory=list)

    def want_fact(self, exception: str | None, fact: str, condition: str,
                  subject: str = "") -> None:
        wanted = FactWanted(exception=exception, fact=fact, condition=condition,
                            subject=subject)
        if wanted not in self.facts_wanted:
            self.facts_wanted.append(wanted)

    @property
    def hold(self) -> bool:
        """A potential match was set aside: the answer is provisional until it is reviewed."""
        return bool(self.party_matches)

    @property
    def on(self) -> date:
        return self.snapshot.on

    def note(
        self, rule: str, row: Cited | None, fired: bool, detail: str, citation: str = "",
        effective_from: date | None = None,
    ) -> None:
        """A step of the trace; ``effective_from``: the day it took effect where no rule row
        says (a party's listing, :mod:`exportcheck.screen.listing`)."""
        if row is not None and not row.start_date_known:
            self.unknown_rules.setdefault(rule, citation or row.citation)
        if not self.tracing:
            return
        # model_construct: the rows were validated when the rule base loaded
        self.trace.append(
            TraceStep.model_construct(
                rule=rule,
                citation=citation or (row.citation if row else ""),
                effective_from=row.start if row else effective_from,
                effective_to=row.effective_to if row else None,
                start_date_known=row.start_date_known if row else True,
                fired=fired,
                detail=detail,
            )
        )

    def require(self, req: Requirement) -> None:
        self.requirements.append(req)
