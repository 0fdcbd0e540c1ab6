"""Validated inputs and plain outputs of the ledger API (pydantic v2).

Money crosses the API as :class:`~decimal.Decimal` US dollars (at most 2 decimal places) and
quantities as Decimal (at most 3); they are stored as integer cents / thousandths.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from exportcheck.choices import ANY_CASE, AgencyIn, EndUserTypeIn, any_case
from exportcheck.determine.items import ECCN_RE, USML_RE, check_usml_paragraph
from exportcheck.ledger.fields import LedgerDate, LicenceNumber
from exportcheck.ledger.symbols import EAR_EXCEPTIONS, licence_exception
from exportcheck.ledger.tolerances import validity_years
from exportcheck.ledger.wire import DollarsText, FractionText, QuantityText
from exportcheck.models import Agency, TransactionFacts
from exportcheck.plaintext import PlainTextIn
from exportcheck.tables import PLAIN_NUMBER


class LicenceKind(StrEnum):
    BIS = "BIS"  # BIS licence (BIS-748P application), 15 CFR part 750
    DSP5 = "DSP5"  # permanent export of unclassified hardware, 22 CFR 123.1
    DSP73 = "DSP73"  # temporary export, 22 CFR 123.5
    DSP61 = "DSP61"  # temporary import, 22 CFR 123.3
    TAA = "TAA"  # technical assistance agreement, 22 CFR part 124
    MLA = "MLA"  # manufacturing licence agreement, 22 CFR part 124
    WDA = "WDA"  # warehouse and distribution agreement, 22 CFR part 124


KINDS_BY_AGENCY = {
    Agency.BIS: {LicenceKind.BIS},
    Agency.DDTC: {LicenceKind.DSP5, LicenceKind.DSP73, LicenceKind.DSP61, LicenceKind.TAA,
                  LicenceKind.MLA, LicenceKind.WDA},
}
AGREEMENT_KINDS = {LicenceKind.TAA, LicenceKind.MLA, LicenceKind.WDA}


class LicenceStatus(StrEnum):
    APPROVED = "approved"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    EXPIRED = "expired"
    RETURNED_WITHOUT_ACTION = "returned_without_action"
    REINSTATED = "reinstated"


#: statuses under which nothing may be shipped
BLOCKING = {LicenceStatus.SUSPENDED, LicenceStatus.REVOKED, LicenceStatus.EXPIRED,
            LicenceStatus.RETURNED_WITHOUT_ACTION}

PartyRole = Literal["applicant", "consignee", "intermediate_consignee", "end_user"]
#: a licence kind as a request names it (any letter case: "dsp5")
LicenceKindIn = Annotated[LicenceKind, any_case(LicenceKind)]
UnitBasis = Literal["number", "value", "measure"]
PolicyAction = Literal["suspended", "revoked"]
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def _country(value: str) -> str:
    """An ISO code the bundled rule base knows as a destination: a licence for 'XX' could
    never be matched by a policy event or a determination."""
    from exportcheck.rules import load_ruleset
    from exportcheck.rules.describe import known_destination

    value = value.strip().upper()
    if not _COUNTRY.match(value):
        raise ValueError(f"country must be an ISO 3166 alpha-2 code like 'HK', got {value!r}")
    return known_destination(load_ruleset(), value)  # UnknownDestination is a ValueError


#: USML categories, 22 CFR 121.1
_USML_CATEGORIES = frozenset((
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
    "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"))


def _classification(value: str) -> str:
    """Refuse what is no ECCN (3A001.a.2), EAR99 or USML category (I(a), USML XI(a)(3)):
    a line under 'banana' could never be shipped against or matched by a policy event.
    The text is kept as given (matching ignores case and spaces)."""
    text = "".join(value.split())
    if text.upper() == "EAR99" or ECCN_RE.match(text):
        return value
    m = USML_RE.match(text if text.upper().startswith("USML") else f"USML:{text}")
    if m and m["cat"].upper() in _USML_CATEGORIES:
        check_usml_paragraph(value, m["para"].lower())  # MalformedItem is a ValueError
        return value
    raise ValueError(f"classification {value!r} is not an ECCN (e.g. 3A001.a.2), EAR99 or a "
                     "USML category I to XXI (e.g. I(a), XI(a)(3))")


def classification_key(code: str) -> str:
    """One spelling per item, for every comparison the ledger makes (duplicate lines, the
    line a shipment draws on, policy filters): upper case, no spaces, no "USML" prefix, so
    "3A001.a .2" is "3A001.A.2" and "USML XI(a)(3)", "USML:XI(a)(3)" and "XI(a)(3)" are one
    item. Roman numerals begin no ECCN or EAR99, so dropping the prefix is unambiguous."""
    text = "".join(code.split()).upper()
    if text.startswith("USML"):
        text = text[4:].lstrip(":")
    return text


_USML_HEAD = re.compile(r"^([IVX]+)(.*)$")


def prefix_matches(prefix: str, code: str) -> bool:
    """Does a policy filter's classification prefix select this item? Both are compared as
    :func:`classification_key` spells them, and a USML prefix by whole category: "I" and
    "I(" select Category I only (not II or III), "XI(a)" the paragraphs of XI(a). An ECCN
    prefix beyond the five-character entry ends at a paragraph: "3A001.a.1" selects
    3A001.a.1 and 3A001.a.1.b, not 3A001.a.10."""
    p, k = classification_key(prefix), classification_key(code)
    usml_p, usml_k = _USML_HEAD.match(p), _USML_HEAD.match(k)
    if usml_p or usml_k:
        if not (usml_p and usml_k) or usml_p[1] != usml_k[1]:
            return False
        rest = usml_p[2]
        return rest in ("", "(") or usml_k[2].startswith(rest)
    if not k.startswith(p):
        return False
    return len(p) <= 5 or len(k) == len(p) or p.endswith(".") or k[len(p)] == "."


#: the start of an ECCN, EAR99 or USML category, as policy filters name classifications
_CLASSIFICATION_PREFIX = re.compile(
    r"^(?:E(?:A(?:R(?:9(?:9)?)?)?)?|[0-9](?:[A-E](?:[0-9]{1,3}(?:\..*)?)?)?|[IVX]+(?:\(.*)?)$")

#: an item as a licence or shipment line names it
Classification = Annotated[str, Field(min_length=1, max_length=48),
                           AfterValidator(_classification)]


#: Largest amount / quantity the ledger accepts: stored as integer cents / thousandths in
#: 64-bit columns, so anything near 9.2e16 dollars would overflow the database; no real licence
#: comes close to a trillion dollars or a trillion units.
MAX_VALUE = Decimal("999999999999.99")
MAX_QUANTITY = Decimal("999999999999.999")


def _bounded(value: Decimal, what: str, limit: Decimal, places: Decimal, unit: str) -> Decimal:
    """Range- and precision-check one number; every failure is a ValueError (-> InvalidInput),
    never decimal.InvalidOperation or an overflow deep in the database driver."""
    if not value.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value}")
    if value < 0:
        raise ValueError(f"{what} must not be negative")
    if value > limit:
        raise ValueError(f"{what} {value} is too large (at most {limit:,}{unit})")
    try:
        rounded = value.quantize(places)
    except InvalidOperation:
        raise ValueError(f"{what} {value} cannot be represented") from None
    if value != rounded:
        raise ValueError(f"{what} has more than {-places.as_tuple().exponent} decimal places"
                         + (" (US dollars and cents)" if what == "value" else ""))
    return rounded  # one spelling per amount: stable request hashes


def _money(value: Decimal) -> Decimal:
    return _bounded(value, "value", MAX_VALUE, Decimal("0.01"), " US dollars")


def _quantity(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return _bounded(value, "quantity", MAX_QUANTITY, Decimal("0.001"), "")


#: amounts checked and rounded once, wherever a schema takes them
Money = Annotated[Decimal, PLAIN_NUMBER, AfterValidator(_money), Field(description=(
    "US dollars, at most 2 decimal places: a decimal string (\"250000.00\", exact) or a "
    "JSON number; answers give it back as a decimal string"))]
Quantity = Annotated[Decimal, PLAIN_NUMBER, AfterValidator(_quantity)]


class _In(PlainTextIn):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PartyIn(_In):
    role: Annotated[PartyRole, any_case(PartyRole)] = Field(description=ANY_CASE)
    name: str = Field(min_length=1, max_length=256)
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _check_country(cls, v: str | None) -> str | None:
        return None if v is None else _country(v)


class LicenceLineIn(_In):
    classification: Classification = Field(
        description="ECCN (e.g. 0A501.a) or USML category (e.g. I(a))")
    #: bounded as the other free texts: a page of text here is a paste error, kept for good
    description: str = Field(default="", max_length=2000)
    #: the ECCN "Unit" basis used by 15 CFR 750.11: number | value | measure
    unit_basis: Annotated[UnitBasis, any_case(UnitBasis)] = Field("number", description=ANY_CASE)
    #: as wide as its column, VARCHAR(16) (``ea``, ``kg``, ``$ value``): SQLite stored a
    #: longer one as given, and PostgreSQL refuses it deep in the driver
    unit: str = Field(default="ea", max_length=16)
    quantity: Quantity | None = None
    value: Money

    @model_validator(mode="after")
    def _quantity_needed(self) -> LicenceLineIn:
        if self.unit_basis != "value" and self.quantity is None:
            raise ValueError(f"line {self.classification}: a quantity is required unless the "
                             "unit basis is 'value'")
        # a line authorising nothing could never be shipped against: a typo, not a licence
        if self.value <= 0:
            raise ValueError(f"line {self.classification}: value must be more than $0.00 "
                             "(give the value the licence approves for the line)")
        if self.quantity is not None and self.quantity <= 0:
            raise ValueError(f"line {self.classification}: quantity must be more than 0 (or "
                             "leave it out on a line licensed by value)")
        # a shipment against a line counted by number ships whole units only, so a fraction
        # licensed here could never be shipped and would stand as a balance forever
        if (self.unit_basis == "number" and self.quantity is not None
                and self.quantity != self.quantity.to_integral_value()):
            raise ValueError(f"line {self.classification}: quantity "
                             f"{self.quantity.normalize():f} is not a whole number of units on "
                             f"a line licensed by number (unit {self.unit}); give whole units, "
                             "or unit_basis 'measure' for an item counted by weight, length "
                             "or volume")
        return self


class LicenceIn(_In):
    agency: AgencyIn = Field(description=ANY_CASE)
    number: LicenceNumber
    kind: LicenceKindIn = Field(description=ANY_CASE)
    destination: str
    valid_from: LedgerDate
    valid_to: LedgerDate | None = None
    provisos: list[str] = Field(default_factory=list)
    parties: list[PartyIn]
    lines: list[LicenceLineIn] = Field(min_length=1)

    @field_validator("destination")
    @classmethod
    def _check_destination(cls, v: str) -> str:
        return _country(v)

    @model_validator(mode="after")
    def _consistent(self) -> LicenceIn:
        if self.agency not in KINDS_BY_AGENCY:
            raise ValueError(f"the ledger holds BIS and DDTC licences, not {self.agency}")
        if self.kind not in KINDS_BY_AGENCY[self.agency]:
            allowed = ", ".join(sorted(KINDS_BY_AGENCY[self.agency]))
            raise ValueError(f"{self.agency} licences are of kind {allowed}, not {self.kind}")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        self._validity_within_the_rules()
        roles = [p.role for p in self.parties]
        if "applicant" not in roles:
            raise ValueError("a licence names its applicant (party with role 'applicant')")
        if self.kind not in AGREEMENT_KINDS:
            for role in ("consignee", "end_user"):
                if role not in roles:
                    article = "an" if role[0] in "aeiou" else "a"
                    raise ValueError(f"a {self.kind} licence names {article} {role}")
        seen: dict[str, str] = {}
        for line in self.lines:
            if self.agency == Agency.BIS and not is_ear_item(line.classification):
                # DDTC may license EAR items with USML articles (22 CFR 120.5(b)); BIS never
                # licenses a USML article: it is not subject to the EAR
                raise ValueError(
                    f"line {line.classification!r} is a USML article, subject to the ITAR: a "
                    "BIS licence cannot authorise it (22 CFR 120.5; 15 CFR 734.3(b)(1)(i)); "
                    "record it on its DDTC licence")
            _on_the_ccl(line.classification)
            key = classification_key(line.classification)
            if key in seen:
                # one item on two lines: a shipment could draw on only one of them, so the
                # other's cap would never hold
                raise ValueError(f"lines {seen[key]!r} and {line.classification!r} are the same "
                                 "item (case, spaces and a 'USML' prefix do not count); give "
                                 "it one line")
            seen[key] = line.classification
        return self


    def _validity_within_the_rules(self) -> None:
        """A licence (not an agreement, whose term is its own, 22 CFR part 124) is valid for
        four years (15 CFR 750.7(g), 22 CFR 123.21(a)): a later ``valid_to`` is a typo or an
        extension, which the ledger records as a new licence. Up to the anniversary itself is
        accepted (licences print their expiry either way)."""
        if self.valid_to is None or self.kind in AGREEMENT_KINDS:
            return
        years, citation = validity_years(self.agency.value)
        try:
            limit = self.valid_from.replace(year=self.valid_from.year + years)
        except ValueError:  # 29 February
            limit = self.valid_from.replace(year=self.valid_from.year + years, day=28)
        if self.valid_to > limit:
            raise ValueError(
                f"valid_to {self.valid_to} is more than {years} years after valid_from "
                f"{self.valid_from} (at most {limit}): a {self.agency.value} licence is valid "
                f"for {years} years, {citation}; check the dates, and record an extension as "
                "a new licence")


def _on_the_ccl(classification: str) -> None:
    """Refuse an ECCN that is no entry of the bundled CCL (15 CFR 774 Supp. 1) on any date:
    '5A999' is well-formed but names nothing a licence could authorise, a determination
    classify or a policy event select. Any date, so a licence issued before its entry was
    removed (1C018, ended 30 Jun 2014 in the rule base) still records, and so does an entry
    the CCL's texts name but the rule base could not itemise (3C007: ``eccns_named``); EAR99
    and USML articles are no CCL entries."""
    from exportcheck.rules import load_ruleset

    m = ECCN_RE.match("".join(classification.split()))
    rs = load_ruleset()
    if m and m["eccn"].upper() not in rs.eccns and m["eccn"].upper() not in rs.eccns_named:
        raise ValueError(
            f"line {classification!r}: ECCN {m['eccn'].upper()} is not on the Commerce Control "
            "List (15 CFR 774 Supp. 1) on any date the rule base covers; check the "
            "classification on the licence")


def is_ear_item(classification: str) -> bool:
    """An ECCN or EAR99 (else a USML category: :func:`_classification` admits no other)."""
    text = "".join(classification.split())
    return text.upper() == "EAR99" or bool(ECCN_RE.match(text))


class ShipmentLineIn(_In):
    #: licence line number; if omitted, the line is found by classification
    line_no: int | None = None
    classification: Classification
    #: required (more than 0) on a licence line counted by number or measure (see shipments)
    quantity: Quantity = Decimal(0)
    value: Money

    @field_validator("value")
    @classmethod
    def _something_shipped(cls, v: Decimal) -> Decimal:
        """A $0 line would be recorded as a shipment that drew nothing."""
        if v <= 0:
            raise ValueError("value must be more than $0.00: give the value of what is shipped")
        return v


class ShipmentIn(_In):
    idempotency_key: str = Field(min_length=1, max_length=128)
    licence_number: str | None = None
    agency: AgencyIn | None = Field(None, description=ANY_CASE)
    #: licence exception / exemption used instead of a licence, e.g. "LVS" or "22 CFR 123.17";
    #: the regime is checked here, the rest against the determination when it is posted
    #: (:mod:`exportcheck.ledger.exception_check`)
    licence_exception: str | None = Field(default=None, max_length=16)
    ship_date: LedgerDate
    destination: str
    consignee: str = Field(min_length=1, max_length=256)
    end_user: str = Field(min_length=1, max_length=256)
    #: what a licence exception is checked with (a licence states its own end use): none
    #: given, the end user is taken as civil (or military when its name says so, 744.21(g))
    end_user_type: EndUserTypeIn | None = Field(None, description=ANY_CASE)
    end_use: str | None = Field(default=None, max_length=256)
    #: the facts an EAR licence exception rests on that the lines do not carry (NAC/ACA, AIA,
    #: ACM, LPP: the end user's headquarters; NAC: the notification; conditions the exporter
    #: confirms): checked as ``check --headquarters ...`` checks them, recorded with the shipment
    facts: TransactionFacts | None = None
    reference: str = Field(default="", max_length=128)
    lines: list[ShipmentLineIn] = Field(min_length=1)

    @field_validator("destination")
    @classmethod
    def _check_destination(cls, v: str) -> str:
        return _country(v)

    @field_validator("licence_exception")
    @classmethod
    def _check_exception(cls, v: str | None) -> str | None:
        return None if v is None else licence_exception(v)

    @model_validator(mode="after")
    def _one_authority(self) -> ShipmentIn:
        if (self.licence_number is None) == (self.licence_exception is None):
            raise ValueError("give exactly one of licence_number (drawn down) or "
                             "licence_exception (recorded, nothing drawn)")
        if self.licence_exception is not None:
            self._exception_fits_the_items(self.licence_exception)
        if self.facts is not None and self.licence_exception not in EAR_EXCEPTIONS:
            raise ValueError("facts (headquarters, NAC notification, conditions met) are what "
                             "an EAR licence exception rests on: give them with "
                             "licence_exception, not with a licence or an ITAR exemption")
        return self

    def _exception_fits_the_items(self, exc: str) -> None:
        """An EAR licence exception (or NLR) cannot authorise a USML item, nor an ITAR
        exemption an item on the CCL or EAR99: the authority and the item belong to two
        regimes (22 CFR 120.5; 15 CFR 734.3(b)(1))."""
        ear = exc in EAR_EXCEPTIONS
        for line in self.lines:
            usml = not is_ear_item(line.classification)
            if ear and usml:
                raise ValueError(
                    f"{exc} is an EAR authority and {line.classification!r} is a USML item, "
                    "subject to the ITAR: record an ITAR exemption (22 CFR ...) or ship it "
                    "under a DDTC licence")
            if not ear and not usml:
                raise ValueError(
                    f"{exc} is an ITAR exemption and {line.classification!r} is subject to the "
                    "EAR: record an EAR licence exception (or NLR) or a BIS licence")


class PolicyFilter(_In):
    agency: AgencyIn | None = Field(None, description=ANY_CASE)
    destinations: list[str] = Field(default_factory=list)
    kinds: list[LicenceKindIn] = Field(default_factory=list, description=ANY_CASE)
    #: classification prefixes, e.g. ["I(", "III("] or ["0A501"]
    classification_prefixes: list[str] = Field(default_factory=list)

    @field_validator("destinations")
    @classmethod
    def _countries(cls, v: list[str]) -> list[str]:
        return [_country(c) for c in v]

    @field_validator("classification_prefixes")
    @classmethod
    def _prefixes(cls, v: list[str]) -> list[str]:
        """Each must begin some ECCN, EAR99 or USML category ("0A501", "3A", "I(", "XI"):
        'banana' would match no licence line and report '0 licences affected'."""
        for prefix in v:
            text = re.sub(r"^USML[\s:]*", "", "".join(prefix.split()).upper())
            if not text or not _CLASSIFICATION_PREFIX.match(text):
                raise ValueError(f"classification prefix {prefix!r} begins no ECCN (0A501, "
                                 "3A), EAR99 or USML category (I(, XI)")
        return v


class PolicyEventIn(_In):
    key: str = Field(min_length=1, max_length=96)
    title: str = Field(min_length=1, max_length=2000)
    action: Annotated[PolicyAction, any_case(PolicyAction)] = Field(description=ANY_CASE)
    effective: LedgerDate
    citation: str = Field(min_length=1, max_length=500)
    filter: PolicyFilter


class LineOut(BaseModel):
    line_no: int
    classification: str
    description: str
    unit_basis: str
    unit: str
    quantity: QuantityText | None
    value: DollarsText
    shipped_quantity: QuantityText
    shipped_value: DollarsText
    remaining_quantity: QuantityText | None
    remaining_value: DollarsText
    value_tolerance: FractionText
    tolerance_citation: str


class StatusOut(BaseModel):
    status: str
    effective: dt.date
    reason: str
    citation: str


class LicenceOut(BaseModel):
    agency: str
    number: str
    kind: str
    destination: str
    valid_from: dt.date
    valid_to: dt.date
    provisos: list[str]
    parties: list[PartyIn]
    lines: list[LineOut]
    status: str
    history: list[StatusOut]


class ShipmentToReview(BaseModel):
    """A shipment already posted on a date a status change now blocks (recorded before the
    change was known): flagged for review, never deleted."""

    idempotency_key: str
    ship_date: dt.date
    total_value: DollarsText


class StatusChangeOut(LicenceOut):
    """The licence after a status change, with the shipments the change puts in question."""

    shipments_to_review: list[ShipmentToReview] = Field(default_factory=list)
    #: False when this repeated the licence's latest status change (a retry): nothing recorded
    created: bool = True


class ShipmentOut(BaseModel):
    id: int
    idempotency_key: str
    licence_number: str | None
    licence_exception: str | None
    ship_date: dt.date
    destination: str
    total_value: DollarsText
    audit_seq: int
    #: False when this was a repeat of an already-recorded idempotency key
    created: bool
    #: True when the repeated key's shipment has been reversed since (nothing is drawn again)
    reversed: bool = False


class ExceptionShipmentOut(ShipmentOut):
    """A shipment posted under a licence exception, with the determination it was checked
    against (one summary per line, as recorded in its audit entry) and any override. The REST
    API answers :class:`ShipmentOut` (these fields are the CLI's)."""

    determination: list[dict] = Field(default_factory=list)
    override_reason: str | None = None


class ReversalRequest(_In):
    """Reverse a shipment posted by mistake: a compensating entry, never an edit. The reversal
    has its own idempotency key (a retried request reverses once). The REST body of
    ``POST /shipments/{key}/reversal``."""

    idempotency_key: str = Field(min_length=1, max_length=128)
    #: why the shipment is reversed (checked by the ledger, so an empty one is an audited
    #: refusal like the others)
    reason: str = Field(default="", max_length=2000)
    #: e.g. the corrected AES filing, a credit note
    reference: str = Field(default="", max_length=128)


class ShipmentReversalIn(ReversalRequest):
    """A :class:`ReversalRequest` naming its shipment."""

    #: the idempotency key the shipment was posted under
    shipment_key: str = Field(min_length=1, max_length=128)


class ReturnedLine(BaseModel):
    line_no: int
    classification: str
    quantity: QuantityText
    value: DollarsText


class ReversalOut(BaseModel):
    id: int
    idempotency_key: str
    shipment_key: str
    licence_number: str | None
    licence_exception: str | None
    #: what the reversal gave back to the licence lines (none under a licence exception)
    returned: list[ReturnedLine]
    returned_value: DollarsText
    audit_seq: int
    #: False when this was a repeat of an already-recorded reversal key
    created: bool
