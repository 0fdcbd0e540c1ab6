"""A shipment under a licence exception is checked against the project's own determination.

``ShipmentIn`` alone only checks the regime (an EAR symbol for an EAR item, an ITAR exemption
for a USML one), so LVS could be recorded for an item to Iran. Before such a shipment is
posted, each line is determined with :func:`exportcheck.determine.determine` (the function
``exportcheck.api`` exports): its classification, the shipment's destination and ship date,
the end-user type and end use the shipment states (none stated: a civil end user, unless its
name makes it military, 15 CFR 744.21(g)), its value and, given a screener, its consignee and
end user screened. The interfaces (CLI ``ship``, REST, web form) give the process's screener
(:func:`exportcheck.api.default_screener`); the Python API screens only when
:meth:`~exportcheck.ledger.api.Ledger.post_shipment` is given one, and otherwise records that
the parties were not screened. The value given is that of all the shipment's lines of the
line's CCL entry: LVS limits are per shipment of items of one ECCN (15 CFR 740.3), so two
$400 lines of 0A501 are $800 against a $500 limit.

EAR licence exceptions (and NLR):

* PROHIBITED: refused, whatever the symbol (an override does not lift it); a party on the
  SDN list makes every line PROHIBITED;
* a potential match of a party held for review (the determination's ``hold``): refused until
  an officer clears or confirms it (a disposition) - a shipment does not leave while its
  consignee or end user may be a listed party (ITAR exemptions too). An override with a
  reason posts it;
* a licence is required (LICENSE_REQUIRED or EXCEPTION_AVAILABLE) and the claimed symbol is
  not among the exceptions the determination offers: refused; NLR is refused too;
* the symbol is offered: accepted, and its citation and conditions (a value limit, what the
  exporter must have done) are recorded with the shipment;
* no licence is required (NLR): accepted; the record says the exception is not needed.

ITAR exemptions: the rule base models only where an exemption may go, not its other
conditions (22 CFR 123.17's personal-use limits, 126.5's Canadian-registered recipients, ...),
so an exemption is refused where the determination says none may be used - a PROHIBITED
outcome, or a 22 CFR 126.1 destination on the ship date (USML to Iran; to Hong Kong from 30
June 2020) - and where the exemption serves other destinations only, or was not yet in force
(126.5 Canada, 126.16 Australia from 16 May 2013, 126.17 the United Kingdom from 13 April 2012:
``itar_exemptions`` in ``rules/data/itar.yaml``). The engine answers a 126.1 destination
LICENSE_REQUIRED with a policy of denial and a fired 126.1 step saying "ITAR exemptions are
not available (126.1(a))": that step decides, but for the exemptions 126.1(a) itself leaves
usable there (126.6, and 126.4 for transfers by or for the U.S. Government:
``proscribed_exemptions``). Otherwise the exemption is accepted and the record says which
conditions the rule base does not check.

A line the rule base cannot determine (an ECCN it does not know, a date before it starts) is
refused as unchecked. An officer holding an authority the rule base does not know (an
advisory opinion, a classification ruling, an OFAC licence) may override any refusal but
PROHIBITED with a reason; the reason and the refusals it overrode are recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from exportcheck.errors import InvalidInput
from exportcheck.ledger.schemas import EAR_EXCEPTIONS, ShipmentIn, classification_key, is_ear_item
from exportcheck.ledger.shipments import ShipmentRefused
from exportcheck.models import Determination, Outcome, TraceStep, TransactionFacts

if TYPE_CHECKING:
    from exportcheck.determine.parties import PartyScreener
    from exportcheck.rules import RuleSet
    from exportcheck.rules.schema import ItarExemption


class ExceptionRefused(ShipmentRefused):
    """The determination does not allow the exception claimed; ``determination`` holds the
    per-line summaries, ``facts_wanted`` the facts not given that the exception turns on
    (``TransactionFacts`` fields: an interface says how to give them)."""

    facts_wanted: tuple[str, ...] = ()


@dataclass
class ExceptionCheck:
    """The determination of every line: ``lines`` as recorded in the audit payload;
    ``refusals`` ``(message, rule)``; ``final`` the refusals no override lifts."""

    lines: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[tuple[str, str]] = field(default_factory=list)
    final: list[tuple[str, str]] = field(default_factory=list)
    #: the TransactionFacts fields not given that the claimed exception turns on, any line
    facts_wanted: dict[str, None] = field(default_factory=dict)

    def payload(self, override_reason: str | None) -> dict[str, Any]:
        """What the ``shipment.posted`` payload gains: ``determination`` and, with an
        override, ``override`` (its reason and the refusals it overrode)."""
        out: dict[str, Any] = {"determination": self.lines}
        if override_reason is not None:
            out["override"] = {"reason": override_reason,
                               "overrode": [msg for msg, _ in self.refusals]}
        return out

    def refuse(self, override_reason: str | None) -> None:
        """Raise the first refusal that stands (all of them without an override)."""
        standing = self.final if override_reason is not None else self.refusals
        if not standing:
            return
        note = ("; an override does not lift a PROHIBITED outcome"
                if override_reason is not None else "")
        refused = ExceptionRefused.first_of(standing, self.lines, note)
        refused.facts_wanted = tuple(self.facts_wanted)
        raise refused


def determine_line(spec: ShipmentIn, classification: str, screener: PartyScreener | None,
                   rules: RuleSet | None, **more: Any) -> Determination:
    """One line of ``spec`` determined as the ledger checks it: the shipment's destination,
    ship date, parties, end-user type (none stated: civil) and end use; ``more``: ``value``,
    ``facts``."""
    from exportcheck.determine import determine

    return determine(determination_item(classification), spec.destination, spec.ship_date,
                     end_user=spec.end_user, consignee=spec.consignee,
                     end_user_type=spec.end_user_type or "civil", end_use=spec.end_use,
                     screener=screener, ruleset=rules, **more)


def determination_item(classification: str) -> str:
    """The spelling the determination parses: a USML category as ``USML:XI(a)(3)``."""
    text = "".join(classification.split())
    if is_ear_item(text):
        return text
    if text.upper().startswith("USML"):
        text = text[4:].lstrip(":")
    return f"USML:{text}"


def _entry(classification: str) -> str:
    """The CCL entry of an ECCN (its first five characters); other items stand alone."""
    key = classification_key(classification)
    return key[:5] if is_ear_item(classification) and key != "EAR99" else key


def _cited(det: Determination) -> str:
    """The citations of the requirements the outcome rests on (the prohibitions alone when it
    is PROHIBITED)."""
    return "; ".join(dict.fromkeys(r.citation for r in det.requirements)) or "no rule named"


def _itar_bar(det: Determination) -> TraceStep | None:
    """The fired 22 CFR 126.1 step of the destination's row, if it is proscribed that day."""
    return next((s for s in det.trace if s.fired and s.rule.startswith("22 CFR 126.1")), None)


def _why_not(det: Determination, symbol: str) -> str:
    """Why the determination does not offer ``symbol``, if its trace says, and the facts not
    given that would settle it (named as the shipment's ``facts`` fields)."""
    wanted = [w.fact.replace("_", " ") + (f" {symbol}" if w.fact == "conditions_met" else "")
              for w in det.facts_wanted if w.exception == symbol]
    facts = f"; facts not given: {', '.join(dict.fromkeys(wanted))}" if wanted else ""
    for step in det.trace:
        if not step.fired and step.rule.startswith(f"License Exception {symbol}"):
            return f"; {step.rule}: {step.detail}{facts}"
        if step.fired and step.rule == "Licence exceptions barred":
            return f"; {step.detail}"
    return ""


def _summary(n: int, classification: str, value: Decimal, det: Determination | None,
             spec: ShipmentIn) -> dict[str, Any]:
    return {"line": n, "classification": classification, "value": str(value),
            "outcome": det.outcome.value if det else None,
            "agency": det.agency.value if det and det.agency else None,
            "reasons": list(det.reasons) if det else [],
            "rule_base": det.ruleset_version if det else None,
            "exception": None, "note": "",
            "parties_screened": bool(det and det.lists_version),
            "end_user_type": ("assumed civil" if spec.end_user_type is None
                              else spec.end_user_type.value),
            "end_use": spec.end_use}


def held_matches(det: Determination) -> str:
    """The held candidates, one clause each: who may be whom, on which list."""
    return "; ".join(f"{m.role} {m.party!r} may be {m.list} {m.entry_id} {m.matched_name!r} "
                     f"(score {m.score:.0f}, {m.match_kind})" for m in det.party_matches)


def _bound(symbol: str, rules: RuleSet) -> list[ItarExemption]:
    """The rows of a destination-bound ITAR exemption (``itar.yaml``), oldest first."""
    section = symbol.removeprefix("22 CFR ")
    return sorted((r for r in rules.rows("itar_exemptions") if r.section == section),
                  key=lambda r: r.start)


def _exemption_elsewhere(spec: ShipmentIn, symbol: str, rules: RuleSet) -> str | None:
    """Why a destination-bound ITAR exemption does not serve this shipment, if it does not:
    another destination, or a ship date before it came into force."""
    rows = _bound(symbol, rules)
    if not rows:
        return None
    row = next((r for r in rows if r.in_force(spec.ship_date)), None)
    if row is None:
        return (f"{rows[0].title} is not in force on {spec.ship_date} (from {rows[0].start}: "
                f"{rows[0].start_citation or rows[0].citation})")
    if spec.destination in row.destinations:
        return None
    return (f"{row.citation} ({row.title}) serves exports to {', '.join(row.destinations)} "
            f"only: {row.text}")


def _kept_at_proscribed(spec: ShipmentIn, symbol: str, det: Determination,
                        rules: RuleSet) -> str:
    """Which paragraphs of ``symbol`` 22 CFR 126.1(a) leaves usable for the proscribed
    destination on the ship date ("" if none): 126.6, and 126.4 for transfers by or for the
    U.S. Government (``proscribed_exemptions`` in ``rules/data/itar.yaml``)."""
    section = symbol.removeprefix("22 CFR ")
    dest = det.evaluated_destination
    rows = [r for r in rules.rows("proscribed_exemptions")
            if r.section == section and r.in_force(spec.ship_date)
            and (not r.destinations or dest in r.destinations)]
    return "; ".join(f"{r.citation} leaves {r.paragraphs} usable there ({r.text})"
                     for r in rows)


def _judge(spec: ShipmentIn, symbol: str, label: str, det: Determination,
           summary: dict[str, Any], rules: RuleSet) -> tuple[str, str] | None:
    """Refusal ``(message, rule)`` of one determined line, or None (``summary`` completed)."""
    where = f"{label}: {symbol} is not available to {spec.destination} on {spec.ship_date}"
    outcome = det.outcome
    cited = _cited(det)
    if outcome == Outcome.PROHIBITED:
        return f"{where}: PROHIBITED ({cited})", "prohibited"
    if det.hold:
        summary["party_matches"] = [m.model_dump(mode="json") for m in det.party_matches]
        held = (f"held for review: {held_matches(det)}; clear or confirm the potential match "
                "(a disposition), or override with a reason")
        # the answer without the potential match may refuse the claim on its own (LVS to
        # Iran): that comes first, or the officer clears the match only to be refused again
        other = _judge_answer(spec, symbol, label, det, {}, rules, where, cited)
        if other is not None:
            return f"{other[0]}; also {held}", other[1]
        return f"{label}: {held}", "party_held"
    return _judge_answer(spec, symbol, label, det, summary, rules, where, cited)


def _judge_answer(spec: ShipmentIn, symbol: str, label: str, det: Determination,
                  summary: dict[str, Any], rules: RuleSet, where: str,
                  cited: str) -> tuple[str, str] | None:
    """:func:`_judge` for the outcome itself (neither PROHIBITED nor held aside)."""
    outcome = det.outcome
    if symbol not in EAR_EXCEPTIONS:  # an ITAR exemption
        bar = _itar_bar(det)
        if bar is not None and (kept := _kept_at_proscribed(spec, symbol, det, rules)):
            summary["note"] = (f"ITAR exemption: {det.evaluated_destination} is a 22 CFR 126.1 "
                               f"destination on this date, but {kept}; the rule base does not "
                               "check the exemption's other conditions")
            return None
        if bar is not None:
            policy = f", {det.review_policy}" if det.review_policy else ""
            return (f"{where}: {outcome.value}{policy} ({bar.citation}: {bar.detail})",
                    "exemption_not_available")
        if (wrong := _exemption_elsewhere(spec, symbol, rules)) is not None:
            return f"{where}: {wrong}", "exemption_not_available"
        summary["note"] = ("ITAR exemption: not barred by 22 CFR 126.1 on this date"
                           + (f" and {spec.destination} is a destination it serves"
                              if _bound(symbol, rules) else "")
                           + "; the rule base does not check the exemption's other conditions")
        return None
    if outcome == Outcome.NLR:
        summary["note"] = ("no licence required" if symbol == "NLR" else
                           f"no licence required: {symbol} is not needed")
        return None
    offered = {e.symbol: e for e in det.license_exceptions}
    if symbol in offered:
        opt = offered[symbol]
        summary["exception"] = {"symbol": opt.symbol, "citation": opt.citation,
                                "conditions": opt.conditions}
        return None
    if symbol == "NLR":
        others = f" (the determination offers {', '.join(offered)})" if offered else ""
        return (f"{label}: NLR claimed but a licence is required for {spec.destination} on "
                f"{spec.ship_date}: {outcome.value} ({cited}){others}", "licence_required")
    return (f"{where}: {outcome.value} ({cited}{_why_not(det, symbol)})",
            "exception_not_available")


def check_exception(spec: ShipmentIn, ruleset: RuleSet | None = None,
                    screener: PartyScreener | None = None) -> ExceptionCheck:
    """Determine every line of a shipment under a licence exception (module docstring);
    with ``screener``, its consignee and end user are screened too."""
    from exportcheck.determine.batch_parties import MemoScreener
    from exportcheck.rules import load_ruleset

    rules = ruleset or load_ruleset()
    if screener is not None:
        screener = MemoScreener(screener)  # the parties are the same on every line
    symbol = spec.licence_exception
    assert symbol is not None, "only a shipment under a licence exception is checked here"
    facts = checked_facts(spec, rules)
    per_entry: dict[str, Decimal] = {}
    for item in spec.lines:
        per_entry[_entry(item.classification)] = (
            per_entry.get(_entry(item.classification), Decimal(0)) + item.value)
    out = ExceptionCheck()
    for n, item in enumerate(spec.lines, start=1):
        label = f"line {n} ({item.classification})"
        value = per_entry[_entry(item.classification)]
        try:
            det = determine_line(spec, item.classification, screener, rules,
                                 value=float(value), facts=facts)
        except InvalidInput as exc:  # unknown ECCN, a date the rule base does not cover
            out.lines.append(_summary(n, item.classification, value, None, spec))
            out.refusals.append((f"{label}: {symbol} cannot be checked against the rule base: "
                                 f"{exc}", "exception_unchecked"))
            continue
        summary = _summary(n, item.classification, value, det, spec)
        out.lines.append(summary)
        refusal = _judge(spec, symbol, label, det, summary, rules)
        if refusal is not None:
            out.refusals.append(refusal)
            out.facts_wanted.update((w.fact, None) for w in det.facts_wanted
                                    if w.exception == symbol)
            if refusal[1] == "prohibited":
                out.final.append(refusal)
    return out


def checked_facts(spec: ShipmentIn, rules: RuleSet | None = None) -> TransactionFacts | None:
    """The shipment's facts, normalised; a mistyped headquarters code or symbol is bad input
    (an error, nothing recorded), not a refusal. A ship date the rule base does not cover is
    left to the lines, each refused as unchecked."""
    from exportcheck.determine.exceptions_ac import check_facts
    from exportcheck.rules import load_ruleset

    if spec.facts is None:
        return None
    rules = rules or load_ruleset()
    try:
        snap = rules.as_of(spec.ship_date)
    except InvalidInput:
        return spec.facts
    return check_facts(spec.facts, snap)


def check_override(spec: ShipmentIn, override_reason: str | None) -> str | None:
    """An override needs a reason and a shipment under a licence exception (the stripped
    reason, or None)."""
    if override_reason is None:
        return None
    reason = " ".join(override_reason.split())
    if not reason:
        raise InvalidInput("override_reason is empty: say which authority the rule base does "
                           "not know allows the shipment (an advisory opinion, a ruling, ...)")
    if spec.licence_exception is None:
        raise InvalidInput("override_reason applies to a shipment under a licence exception; "
                           "a shipment on a licence is checked against the licence, with no "
                           "override")
    return reason


__all__ = ["ExceptionCheck", "ExceptionRefused", "check_exception", "check_override",
           "checked_facts", "determination_item", "determine_line", "held_matches"]
