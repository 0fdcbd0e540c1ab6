"""Domain models shared across packages (pydantic, so they serialise the same everywhere)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_serializer

from exportcheck.dates import IsoDate


class Outcome(StrEnum):
    PROHIBITED = "PROHIBITED"
    LICENSE_REQUIRED = "LICENSE_REQUIRED"
    EXCEPTION_AVAILABLE = "EXCEPTION_AVAILABLE"
    NLR = "NLR"


#: Higher wins when several steps give an answer (DETERMINATION.md section 5).
OUTCOME_RANK = {
    Outcome.NLR: 0,
    Outcome.EXCEPTION_AVAILABLE: 1,
    Outcome.LICENSE_REQUIRED: 2,
    Outcome.PROHIBITED: 3,
}


class Agency(StrEnum):
    BIS = "BIS"
    DDTC = "DDTC"
    OFAC = "OFAC"


class EndUserType(StrEnum):
    CIVIL = "civil"
    GOVERNMENT = "government"
    MILITARY = "military"


class ScreeningHit(BaseModel):
    """One restricted-party list entry that a name matched.

    ``list`` is the short code of the list (``SDN``, ``NONSDN``, ``EL`` Entity List, ``DPL``
    Denied Persons, ``UVL`` Unverified, ``MEU`` Military End-User, ``DTC`` ITAR debarred,
    ``ISN`` Nonproliferation, ``UN``, ``CN-UEL`` ...). The licence fields come from the list
    entry itself (the CSL carries them for the Entity List).
    """

    model_config = ConfigDict(frozen=True)

    list: str
    entry_id: str
    matched_name: str
    score: float = Field(ge=0, le=100)
    query: str = ""
    list_name: str = ""
    programs: tuple[str, ...] = ()
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register_notice: str | None = None
    explanation: tuple[str, ...] = ()
    #: screening extras (exportcheck.screen): entry details and how the score was reached
    kind: str | None = None
    countries: tuple[str, ...] = ()
    dobs: tuple[str, ...] = ()
    name_score: float | None = None
    entry_hash: str | None = None
    suppressed_by: str | None = None
    #: "exact" (every word of both names equal, in one script), "full" (every word matched,
    #: some spelt differently or through a reading: a Han name in Cantonese) or "partial"
    #: (words of one name missing from the other: a middle name, a second company word);
    #: ``None`` on hits made before this field existed
    match_kind: str | None = None
    #: the other evidence that agreed with the listed entry ("date of birth", "country",
    #: "identifier"): a partial match reaches the threshold only with some
    corroborated_by: tuple[str, ...] = ()
    #: the day the entry took effect and its last day, where the list file says
    #: (:mod:`exportcheck.screen.listing` reads the Entity List's Federal Register rules too)
    listed_on: date | None = None
    listed_until: date | None = None
    #: the entry an affiliate is listed under (the CSL's "... Affiliated Entity: ..." rows of
    #: Huawei's entry): the rules its row cites are that entry's, not the affiliate's own
    listed_under: str | None = None
    #: the name the entry is listed under (its primary name): a hit names the alias it matched
    #: ("华为" for Huawei Technologies Co., Ltd.), which an officer cannot compare with the
    #: party's documents alone; ``None`` on hits made before this field existed
    listed_name: str | None = Field(None, description="the name the entry is listed under "
                                    "(matched_name is the name matched: may be an alias)")
    #: a ``confirmed`` disposition, as ``suppressed_by`` says who cleared a hit: a confirmed
    #: hit stays open, and nothing said it was decided
    confirmed_by: str | None = Field(None, description="who confirmed the party is this "
                                     "listed entry, when and why (a confirmed disposition)")


class Party(BaseModel):
    """The end user (or another party) of a transaction."""

    name: str | None = None
    type: EndUserType = EndUserType.CIVIL
    country: str | None = None


class LineItem(BaseModel):
    """One order line: what is exported, how many and for how much (USD)."""

    item: str
    value: float | None = Field(default=None, description="USD value of the line")
    quantity: float | None = None


class TransactionFacts(BaseModel):
    """Facts some licence exceptions depend on that an order line does not carry.

    Each is optional. When one is missing the engine does not assume it in the exporter's
    favour: the exception is reported in the trace as "available if ..." and not claimed
    (:mod:`exportcheck.determine.exceptions_ac`).
    """

    # a misspelt fact ("headquarter") was dropped without a word: the caller believed it given
    model_config = ConfigDict(frozen=True, extra="forbid")

    headquarters: str | None = Field(
        None,
        description="ISO country code where the end user, or its ultimate parent, is "
        "headquartered (NAC/ACA, AIA, ACM, LPP; the advanced-computing reach; the Russia/"
        "Belarus exclusion of 746.8(a)(12)(ii))",
        examples=["GB"],
    )
    nac_notified: IsoDate | None = Field(
        None,
        description="date of the License Exception NAC notification to BIS (740.8(a)(2)) "
        "that BIS did not object to",
    )
    conditions_met: frozenset[str] = Field(
        frozenset(),
        description="licence exception symbols whose remaining conditions (listed in the "
        "trace) the exporter confirms are met, e.g. AIA, HBM, IEC",
    )

    @field_serializer("conditions_met")
    def _in_order(self, symbols: frozenset[str]) -> list[str]:
        """Sorted: a set's order changes from process to process, and a shipment's request is
        hashed (its idempotency key replays only the same request)."""
        return sorted(symbols)


class TraceStep(BaseModel):
    """A rule consulted, whether it fired or not (auditors ask both ways)."""

    rule: str
    citation: str
    effective_from: date | None
    effective_to: date | None = None
    start_date_known: bool = True
    fired: bool
    detail: str


class ExceptionOption(BaseModel):
    symbol: str
    citation: str
    conditions: str


class FactWanted(BaseModel):
    """A fact the order line did not give on which a licence exception's availability turns
    (the exception is not claimed until it is given), a licence requirement or the review
    policy (each interface says how to give it)."""

    exception: str | None = Field(
        description="the licence exception symbol; null when the fact bears on the licence "
        "requirement or the review policy", examples=["AIA"])
    fact: Literal["headquarters", "nac_notified", "conditions_met"] = Field(
        description="the field of TransactionFacts that supplies it"
    )
    condition: str = Field(description="the condition in words, as the trace states it")
    subject: str = Field(
        "", description='what the fact decides: the exception\'s symbol, "licence '
        'requirement" or "review policy"', examples=["AIA", "licence requirement"])

    def model_post_init(self, _context: object) -> None:
        if not self.subject:
            self.subject = self.exception or "review policy"


class PartyMatch(BaseModel):
    """A match that holds a determination for review: a potential one (not certain enough to
    decide: see :mod:`exportcheck.screen.certainty`), or a certain one on a list that sets no
    licence requirement of its own (``certain``: the UN list, the OFAC non-SDN lists ...)."""

    role: str = Field(description='"end user" or "consignee"')
    party: str
    list: str
    entry_id: str
    matched_name: str
    listed_name: str | None = Field(None, description="the name the entry is listed under "
                                    "(matched_name is the name matched: may be an alias)")
    score: float
    match_kind: str
    corroborated_by: tuple[str, ...] = ()
    why_held: str
    explanation: tuple[str, ...] = ()
    certain: bool = Field(False, description="the party is the listed one; held for the "
                                             "review its list asks for, not for doubt")


class IfConfirmed(BaseModel):
    """The answer the line would have if a held candidate were confirmed: the strictest over
    its candidates, the best-scored among equally strict ones."""

    match: str = Field(description="the candidate assumed confirmed: list, entry and name")
    outcome: Outcome
    agency: Agency | None
    reasons: list[str]
    review_policy: str | None
    requirement: str | None = Field(None, description="the rule that would decide")
    citation: str | None = None


class IfOutOfScope(BaseModel):
    """The answer without the control lines whose scope the rule base holds only in words
    ("RS applies to technology for 3A090.c"): they are applied to the whole entry, so the
    answer above is the item's if it is inside their scope, this one if it is outside."""

    lines: list[str] = Field(description="the control lines applied conservatively: rule and text")
    outcome: Outcome
    agency: Agency | None
    reasons: list[str]
    review_policy: str | None


class LicenceRequirement(BaseModel):
    """A requirement (or prohibition) the outcome rests on, with the rule that imposes it."""

    reason: str = Field(description='"NS1", "EL", "MEU", "EMBARGO", "ITAR", "SDN" ...')
    agency: Agency
    rule: str = Field(description="the rule row or control line that imposes it")
    citation: str
    review_policy: str | None = None
    prohibited: bool = False


class Determination(BaseModel):
    outcome: Outcome
    agency: Agency | None
    reasons: list[str]
    license_exceptions: list[ExceptionOption]
    review_policy: str | None
    trace: list[TraceStep]
    #: the requirements behind ``outcome`` (only the prohibitions when PROHIBITED; none for
    #: NLR), in the order the rules were applied: ``reasons`` with their rules and citations
    requirements: list[LicenceRequirement] = []
    item: str
    destination: str
    evaluated_destination: str
    on: date
    ruleset_version: str
    #: the restricted-party list versions the end user was screened against (None: not screened)
    lists_version: str | None = None
    screening_hits: list[ScreeningHit] = []
    #: the end user and the consignee as given (each screened when a screener is)
    end_user: str | None = None
    consignee: str | None = None
    #: True when a potential match (not certain) was set aside: the outcome above is the answer
    #: without it, ``if_confirmed`` the answer with it; review before shipping
    hold: bool = False
    party_matches: list[PartyMatch] = []
    if_confirmed: IfConfirmed | None = None
    #: set when control lines whose scope is in words decided the answer: the outcome if the
    #: item is outside their scope (the order line does not say what a technology is for)
    if_out_of_scope: IfOutOfScope | None = None
    #: for a date before the eCFR edition the rule base was read from: the rows of unknown
    #: history the answer used (exportcheck.determine.caveats); re-check those by hand
    caveats: list[str] = []
    #: facts not given on which a licence exception turns ("available if ..." in the trace):
    #: giving them may make it available
    facts_wanted: list[FactWanted] = []
