"""Typed rows of the rule base.

Every row carries a ``citation`` and an effective window. ``effective_from`` may be the word
``unknown``: the rule is in the eCFR edition the row was taken from, but its start date has not
been established; the engine then applies it from the start of the rule base and says so in the
trace. Validation here is what makes a missing citation fail loudly at start-up.

A start date is established only by a source that dates the row itself: the Federal Register
rule that made it (which may predate the rule base: India's A:1 and A:5 listings of 3 Aug 2018),
or a dated copy of the table showing the row in force. A row is never dated because no change to
it is known: that would need the complete list of the rules that amended its table over the
period (an eCFR or CFR edition's amendment citations, or the List of CFR Sections Affected),
checked rule by rule; for the Country Chart and Country Groups no such list was found (the eCFR
parse the tables come from carries none), so rows no known rule touched keep ``unknown``
(tools/chart_history.yaml).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

#: The earliest date the rule base answers for.
RULEBASE_START = date(2019, 1, 1)
#: The eCFR edition the rows without a start date (``unknown``) were read from: for an earlier
#: date a determination says which of them it used (exportcheck.determine.caveats).
SOURCE_EDITION = date(2026, 7, 23)

Reason = Literal[
    "NS", "NP", "MT", "CB", "CW", "RS", "FC", "CC", "AT", "UN", "EI", "SS", "SL", "RU", "SI", "XX"
]
ChartColumn = Literal[
    "CB1",
    "CB2",
    "CB3",
    "NP1",
    "NP2",
    "NS1",
    "NS2",
    "MT1",
    "RS1",
    "RS2",
    "FC1",
    "CC1",
    "CC2",
    "CC3",
    "AT1",
    "AT2",
]
CountryGroup = Literal[
    "A:1",
    "A:2",
    "A:3",
    "A:4",
    "A:5",
    "A:6",
    "B",
    "D:1",
    "D:2",
    "D:3",
    "D:4",
    "D:5",
    "E:1",
    "E:2",
]


def _start(value: object) -> object:
    if value in (None, "", "unknown"):
        return None
    return value


#: ``effective_from: "unknown; not before 2026-06-21"``: the start date is not established, but
#: sources show the row was not yet in force before that day (a lower bound, not a rule's date).
_BOUND = "unknown; not before "


StartDate = Annotated[date | None, BeforeValidator(_start)]


class Cited(BaseModel):
    """Base of every rule row: a citation and an effective window (inclusive both ends)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    citation: str = Field(min_length=3)
    effective_from: StartDate = None
    effective_to: date | None = None
    #: Where the start date comes from, when it differs from ``citation`` (e.g. an FR notice).
    start_citation: str | None = None
    #: The rule that ended the row (``effective_to``), when established: cited for a removal.
    end_citation: str | None = None
    note: str | None = None
    #: lower bound of an unknown start date (written ``effective_from: "unknown; not before
    #: <ISO>"``): the row applies from this day, and ``start_date_known`` stays false
    not_before: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _bounded_start(cls, data: object) -> object:
        raw = data.get("effective_from") if isinstance(data, dict) else None
        if isinstance(raw, str) and raw.startswith(_BOUND):
            data = {**data, "effective_from": None, "not_before": raw.removeprefix(_BOUND)}  # type: ignore[dict-item]
        return data

    @property
    def start_date_known(self) -> bool:
        return self.effective_from is not None

    @property
    def start(self) -> date:
        return self.effective_from or self.not_before or RULEBASE_START

    def in_force(self, on: date) -> bool:
        return self.start <= on and (self.effective_to is None or on <= self.effective_to)

    @model_validator(mode="after")
    def _window(self) -> Cited:
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            raise ValueError(f"effective_to {self.effective_to} before effective_from")
        return self


# --- destinations, chart, groups -------------------------------------------------------------


class Destination(Cited):
    """A Country Chart destination (ISO 3166-1 alpha-2, or ISO 3166-2 for special regions)."""

    code: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    name: str
    chart_name: str | None = None


class DestinationAlias(Cited):
    """From ``effective_from`` the EAR determines ``code`` as ``as_code`` (e.g. HK as CN)."""

    code: str
    as_code: str
    scope: Literal["ear", "itar", "all"] = "ear"


#: Where a chart mark comes from: a printed edition of the chart (the default); the column's
#: definition in Part 742 applied to the destination's Country Groups (a row no longer printed,
#: e.g. Hong Kong's before 23 Dec 2020); or a reconstruction by analogy, flagged in every trace.
MarkBasis = Literal["chart", "derived", "reconstructed"]


class ChartMark(Cited):
    """An X in the Commerce Country Chart (15 CFR 738 Supp. 1)."""

    code: str
    column: ChartColumn
    basis: MarkBasis = "chart"


class ColumnDefinition(Cited):
    """Which destinations a Country Chart column reaches, as Part 742 defines it.

    Part 742 states most columns in words ("all destinations except Canada", "except Country
    Group A:3"); the chart prints the result. Written as data, a definition can be checked
    against every printed row and applied to a destination whose row is no longer printed.
    Precedence: ``exclude_codes`` > ``include_codes`` > ``exclude_groups`` > the base
    (``all_destinations``, or membership of ``include_groups``).
    """

    column: ChartColumn
    all_destinations: bool = False
    include_groups: list[CountryGroup] = []
    exclude_groups: list[CountryGroup] = []
    include_codes: list[str] = []
    exclude_codes: list[str] = []
    #: "text": Part 742 states the rule (groups or "all except"); "list": the column is a list
    #: of destinations kept only in the chart itself, restated here from the 2026 edition.
    basis: Literal["text", "list"]

    def reaches(self, code: str, groups: frozenset[str] | set[str]) -> bool:
        if code in self.exclude_codes:
            return False
        if code in self.include_codes:
            return True
        if groups & set(self.exclude_groups):
            return False
        return self.all_destinations or bool(groups & set(self.include_groups))


class ChartFootnote(Cited):
    """A Country Chart footnote on some destinations' rows.

    ``kind: requirement`` adds a licence requirement the grid does not show (reported under
    ``reason``); ``kind: note`` only points to a paragraph that qualifies the printed marks
    for the footnote's items (e.g. thermal-imaging cameras): the engine applies the marks as
    printed and writes the footnote into the trace, so a reviewer reads the paragraph.
    """

    id: str
    destinations: list[str]
    kind: Literal["requirement", "note"] = "requirement"
    reason: str | None = None
    eccns: list[str]  # ECCN or ECCN.paragraph; prefix '!' excludes
    text: str

    @model_validator(mode="after")
    def _reason(self) -> ChartFootnote:
        if self.kind == "requirement" and not self.reason:
            raise ValueError(f"footnote {self.id}: a requirement footnote needs a reason")
        return self


class GroupMember(Cited):
    code: str
    group: CountryGroup


# --- Commerce Control List -------------------------------------------------------------------


class Scope(BaseModel):
    """Which paragraphs of an entry a control line (or a value limit) covers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    only: list[str] = []  # paragraphs like ".b.2"; empty = whole entry
    exclude: list[str] = []
    parsed: bool = True  # False: the text could not be read into paragraphs; applied to all


class ControlLine(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: Reason
    column: ChartColumn | None = None
    special: str | None = None  # id in special_controls.yaml
    scope: Scope = Scope()
    text: str
    chart_text: str

    @model_validator(mode="after")
    def _target(self) -> ControlLine:
        if (self.column is None) == (self.special is None):
            raise ValueError(f"control line needs exactly one of column/special: {self.text!r}")
        return self


class ValueLimit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    usd: int | None  # None = N/A
    scope: Scope = Scope()
    #: "N/A for NP": not where the Country Chart requires the licence for these reasons
    not_for_reasons: list[str] = []
    #: "for all Country Group B destinations, except those also listed under Country Group D:3"
    not_to_groups: list[CountryGroup] = []


class ExceptionEligibility(BaseModel):
    """An entry's List-Based licence exception (LVS, GBS, TSR, STA, ENC, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    eligible: Literal["yes", "no", "partial"]
    scope: Scope = Scope()
    text: str
    #: "Yes, except N/A for MT", "Yes, except UN": not where the Country Chart requires the
    #: licence for these reasons
    not_for_reasons: list[str] = []


class CclEntry(Cited):
    eccn: str = Field(pattern=r"^[0-9][A-E][0-9]{3}$")
    heading: str
    controls: list[ControlLine]
    lvs: list[ValueLimit] = []
    exceptions: dict[str, ExceptionEligibility] = {}
    #: 738.3(a)(1): licence to all destinations; the chart does not apply
    all_destinations: bool = False
    #: paragraphs the entry defines, where the source gives them (validates user input)
    paragraphs: list[str] = []
    #: paragraphs the entry marks "[Reserved]" (an order line naming one is refused)
    reserved: list[str] = []


class ParagraphStart(Cited):
    """A paragraph added to existing CCL entries after the rule base starts (e.g. the .z
    paragraphs of 88 FR 73458): before ``effective_from`` an order line naming it is refused."""

    eccns: list[str]
    paragraph: str = Field(pattern=r"^(\.[a-z0-9]{1,4})+$")  # ".z"


class SpecialControl(Cited):
    """A control line target that is not a chart column (e.g. RS worldwide, 742.6(a)(6)(iii)(A)).

    The destination set is ``countries`` ∪ (members of ``groups``, or every destination when
    ``worldwide``, minus members of ``exclude_groups``), minus ``exclude_countries``: a country
    named by name stays whatever its groups ("the United Arab Emirates or ... D:1, D:4, and D:5
    ..., excluding any destination also specified in Country Groups A:5 or A:6").
    ``headquarters_countries`` / ``headquarters_groups``: the control also reaches an end user
    headquartered there (or whose ultimate parent is), wherever the destination (742.6(a)(6)
    since 17 Nov 2023: entities headquartered in Macau or D:5).
    """

    id: str
    reason: str
    description: str
    worldwide: bool = False
    countries: list[str] = []
    groups: list[CountryGroup] = []
    exclude_countries: list[str] = []
    exclude_groups: list[CountryGroup] = []
    review_policy: str | None = None
    headquarters_countries: list[str] = []
    headquarters_groups: list[CountryGroup] = []
    headquarters_citation: str | None = None
    #: the CCL categories whose entries it reaches (none: every entry pointing to it): 746.8
    #: reached Categories 3-9 before all ECCNs, so the RU line of 8A992 applied before 0A998's
    ccl_categories: list[int] = []


# --- policies: restrictions, embargoes, end uses, ITAR ---------------------------------------


class ExceptionRestriction(Cited):
    """15 CFR 740.2: when licence exceptions may not be used.

    ``kind``: ``bar`` removes ``exceptions`` (all when empty); ``none_except`` keeps only
    ``exceptions``; ``only_where_usable_for`` keeps an exception only if it is usable for the
    ``usable_for`` destination too (Hong Kong 2020).
    """

    id: str
    description: str
    kind: Literal["bar", "none_except", "only_where_usable_for"]
    destinations: list[str] = []
    groups: list[CountryGroup] = []
    #: destinations the restriction does not reach: 740.2(a)(4)(i) lets crime-control items
    #: to Australia, India, Japan, New Zealand and NATO member states use the exceptions
    exclude_destinations: list[str] = []
    exceptions: list[str] = []
    usable_for: str | None = None
    item_regex: str | None = None  # e.g. 600-series and 9x515
    #: ECCN patterns with paragraphs ("6D003.c"; "!" excludes) the restriction reaches; an
    #: item classified less far than one may be in it, so it is reached (740.20(b)(2))
    items: list[str] = []
    reasons: list[str] = []  # applies when one of these reasons is among those triggered
    #: a ``bar`` that lifts when the exporter confirms this fact (``--conditions-met SYMBOL``):
    #: STA to the UAE only for the approved entities of Supp. No. 8 to Part 740
    unless_confirmed: str | None = None


# Part 746 rows (Embargo) are in exportcheck.rules.embargo_schema, with their exclusions


class ItemList(Cited):
    """A dated list of ECCNs (e.g. Supplement No. 2 to Part 744)."""

    id: str
    eccns: list[str]


class EndUseRule(Cited):
    """Part 744 end-use / end-user controls (744.2-744.4, 744.21-744.23)."""

    id: str
    reason: str
    description: str
    #: where the rule reaches: these countries and the members of ``groups`` on the day
    #: ("Macau or a destination specified in Country Group D:5", 744.23); both empty = worldwide
    countries: list[str] = []
    groups: list[CountryGroup] = []
    #: 'all' = all items subject to the EAR; 'ccl' = CCL items only; or an ItemList id
    items: str = "all"
    end_user_types: list[str] = []
    end_use_keywords: list[str] = []
    #: end user types the control does not reach whatever the end use (746.3(a)(4) leaves
    #: out exports to the Government of Iraq)
    exempt_end_user_types: list[str] = []
    review_policy: str
    #: licence exceptions still usable when this rule fires (usually none)
    allowed_exceptions: list[str] = []
    #: who decides: an OFAC programme that blocks a class of end users (the Government of
    #: Venezuela, EO 13884) rather than a Part 744 licence
    agency: Literal["BIS", "OFAC"] = "BIS"
    #: the rule blocks the dealing (PROHIBITED) instead of requiring a licence
    prohibited: bool = False


class UsmlCategory(Cited):
    category: str = Field(pattern=r"^[IVX]+$")
    title: str


class ItarDestination(Cited):
    """22 CFR 126.1: a proscribed destination and its licence review policy."""

    code: str
    paragraph: str
    review_policy: str


class ItarExemption(Cited):
    """An ITAR exemption that serves only some destinations ("the permanent and temporary
    export to Canada", 126.5(b)): a shipment recorded under it elsewhere is refused
    (:mod:`exportcheck.ledger.exception_check`). Its other conditions (registered recipients,
    Supplement No. 1 exclusions, Approved Community membership) are the exporter's to meet."""

    section: str = Field(pattern=r"^1\d\d\.\d+$")
    title: str
    destinations: list[str] = Field(min_length=1)
    text: str


class ProscribedExemption(Cited):
    """An exemption 22 CFR 126.1(a) leaves usable at a proscribed destination (126.6; 126.4 for
    the U.S. Government); ``destinations``: only these (empty: any 126.1 destination)."""

    section: str = Field(pattern=r"^1\d\d\.\d+$")
    paragraphs: str  # "126.4(a)(1), (a)(3), (b)(1)": the parts of the section it leaves open
    text: str
    destinations: list[str] = []


class LicenceExceptionDef(Cited):
    """A Part 740 licence exception, with the conditions the engine checks.

    The destination is eligible when it is in ``groups`` or ``countries`` (both empty: any) and
    not in ``exclude_groups`` / ``exclude_countries``. The other fields state the conditions of
    the exceptions that depend on facts an order line does not carry (headquarters of the
    ultimate parent, a notification made to BIS, the exporter's confirmation of a condition):
    :mod:`exportcheck.determine.exceptions_ac` reads them. Successive rows of one ``symbol``
    tell its history (creation, changes, removal).
    """

    symbol: str
    title: str
    section: str | None = None  # "740.8"
    #: the authorizing paragraph of the row, where several of one exception are in force at
    #: once, each for its own destinations: STA "(c)(1)" (A:5) and "(c)(2)" (A:6, 740.20(c))
    paragraph: str | None = None
    #: the Country Chart's requirement must be for these reasons only (GBS, TSR: "for national
    #: security reasons only", 740.4 and 740.6(a)); empty: any reason
    only_for_reasons: list[str] = []
    groups: list[CountryGroup] = []  # destination must be in one (empty = any)
    countries: list[str] = []  # or be one of these
    exclude_groups: list[CountryGroup] = []
    exclude_countries: list[str] = []
    conditions: str
    #: ECCN patterns (3A090, 3A001.z; "!" excludes) the exception covers although the entry's
    #: License Exceptions paragraph does not name it (NAC/ACA); empty: the entry decides
    items: list[str] = []
    #: the ultimate parent must be headquartered in one of these (AIA) ...
    hq_in_countries: list[str] = []
    #: ... or must not be headquartered in these (ACA, ACM, LPP)
    hq_not_in_countries: list[str] = []
    hq_not_in_groups: list[CountryGroup] = []
    #: a prior notification to BIS is needed when the destination or the headquarters is in
    #: these (NAC); ``notify_days``: days BIS has to object before the export may go
    notify_countries: list[str] = []
    notify_groups: list[CountryGroup] = []
    notify_days: int | None = None
    #: the exception also reaches an entity headquartered in a notify destination wherever
    #: it is located (NAC)
    reaches_notify_hq_anywhere: bool = False
    #: not for a government end user in these groups (ACE)
    no_government_groups: list[CountryGroup] = []
    #: conditions the user must confirm (``--conditions-met SYMBOL``): facts of the
    #: transaction the engine cannot see; ``needs_groups``: only for these destinations
    needs: list[str] = []
    needs_groups: list[CountryGroup] = []


class ReviewPolicy(Cited):
    """A licence review policy BIS applies (Part 742 paragraph (b) of each reason, Part 746).

    A row applies to a requirement when every condition it states holds: ``reason`` is the
    reason (``NS``) or the chart column (``RS2``) of the requirement; the destination is one
    of ``countries`` or in one of ``groups``; the item matches ``items`` (ECCN patterns, as
    in chart footnotes) or ``item_regex``; the requirement comes from one of ``controls``
    (special-control or footnote ids); ``military``: the end user is military or the stated
    end use is military; ``headquarters``: the row applies too when the stated headquarters of
    the end user (or of its ultimate parent) is one of ``countries`` or in one of ``groups``,
    wherever the destination (742.6(b)(10): entities headquartered in Macau or D:5). Of the rows
    that apply, the most specific wins (:func:`specificity`); on a tie the later row in the file
    wins.
    """

    id: str
    reason: str
    policy: str
    countries: list[str] = []
    groups: list[CountryGroup] = []  # applies when the destination is in one (empty = any)
    items: list[str] = []
    item_regex: str | None = None
    controls: list[str] = []
    military: bool = False
    headquarters: bool = False

    @model_validator(mode="after")
    def _where(self) -> ReviewPolicy:
        if self.headquarters and not (self.countries or self.groups):
            raise ValueError(f"review policy {self.id}: headquarters needs countries or groups")
        return self

    @property
    def specificity(self) -> int:
        """Why a row beats another: the rule it serves (8), the item (4), the country (4),
        the Country Group (2), the military end use (2), the chart column (1)."""
        return (
            8 * bool(self.controls)
            + 4 * bool(self.items or self.item_regex)
            + 4 * bool(self.countries)
            + 2 * bool(self.groups)
            + 2 * self.military
            + (self.reason[-1:].isdigit())
        )


class ReachNote(Cited):
    """A rule that says how far the EAR reaches for an item, written into the trace only.

    ``kind: fdp``: a foreign direct product rule (15 CFR 734.9) makes items of this kind
    produced abroad subject to the EAR for these destinations; ``kind: enforcement``: BIS has
    said it does not enforce a requirement that is still in the CFR. The note applies when the
    item matches ``items`` (ECCN patterns) or ``item_regex`` and the destination is one of
    ``countries``, in one of ``groups`` or ``worldwide``, minus ``exclude_countries``, minus
    the destinations of the special control ``outside_special`` (the set the requirement had
    before the rule BIS does not enforce).
    """

    id: str
    kind: Literal["fdp", "enforcement"]
    text: str
    items: list[str] = []
    item_regex: str | None = None
    worldwide: bool = False
    countries: list[str] = []
    groups: list[CountryGroup] = []
    exclude_countries: list[str] = []
    outside_special: str | None = None


class HistoryGap(Cited):
    """A change the regulation made in a window that the rule base does not model, because the
    amended text could not be read: a determination in the window, for an item of ``kinds``
    that is one of ``items`` (ECCNs) or controlled for one of ``reasons`` (any item when both
    are empty), to one of ``countries`` or a member of one of ``groups`` on that day (any
    destination when both are empty; as the EAR determines it) and not one of
    ``exclude_countries``, carries ``text`` among its caveats, so the answer is never silently
    the text before or after the change."""

    id: str
    text: str = Field(min_length=10)
    kinds: list[Literal["eccn", "ear99", "usml"]] = ["eccn"]
    items: list[str] = []
    reasons: list[Reason] = []
    countries: list[str] = []
    groups: list[CountryGroup] = []
    exclude_countries: list[str] = []


# --- ownership: entities owned by listed parties ---------------------------------------------


class OwnershipRule(Cited):
    """An ownership rule: an entity owned ``threshold`` percent or more, in the aggregate and
    directly or indirectly, by parties on ``lists`` is treated as listed itself.

    Successive windows of one ``id`` tell its history: ``status: suspended`` rows record a
    period in which the rule stays in the CFR but does not apply (the BIS affiliates rule from
    10 Nov 2025). ``general_licence`` names a temporary authorisation that the engine reports
    but cannot apply on its own (its conditions are facts an order line does not carry).
    ``below_threshold``: the agency's advice on an entity its listed owners hold less than
    ``threshold`` of, said beside the holdings (the entity is not covered). ``caveat``: what an
    answer that applies the row rests on and could not be verified (a determination lists it
    under ``caveats``).
    """

    id: str
    agency: Literal["OFAC", "BIS"]
    lists: list[str] = Field(min_length=1)
    threshold: float = Field(50.0, gt=0, le=100)
    status: Literal["in_force", "suspended"] = "in_force"
    description: str
    general_licence: str | None = None
    general_licence_to: date | None = None
    below_threshold: str | None = None
    caveat: str | None = None

