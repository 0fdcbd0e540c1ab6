"""A shipment on a licence: its consignee and end user screened before it draws anything.

A licence names its parties, and the ledger already refuses a shipment to a party the licence
does not name. But a party can be designated after the licence was issued - Hong Kong's chief
executive and its police commissioner were, on 7 August 2020 (EO 13936) - and a blocked or
denied party may not be dealt with whatever licence names it. So, given a screener (the
interfaces give the process's, :func:`exportcheck.api.default_screener`), each line is
determined with the shipment's parties, as a shipment under a licence exception is
(:mod:`~exportcheck.ledger.exception_check`), and the shipment is refused when:

* a party is blocked (SDN: the blocking section of its programme's part of 31 CFR chapter V,
  31 CFR 585.201 for HK-EO13936), denied (Denied Persons List: 15 CFR 764.3) or debarred (22
  CFR 127.7) and the determination is PROHIBITED for it (``party_blocked``); an SDN party on
  an OFAC licence is the licence's business, not refused here;
* a party is a potential match held for review (``party_held``) until an officer clears or
  confirms the match (a disposition).

An Entity List or MEU match is not refused: such a licence is issued for that party (the
licence check already ties it to the parties it names). Nothing is drawn on a refusal, which is
audited like any other; a repeated post of a shipment already recorded answers as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from exportcheck.errors import InvalidInput
from exportcheck.ledger.exception_check import determine_line, held_matches
from exportcheck.ledger.schemas import ShipmentIn
from exportcheck.ledger.shipments import ShipmentRefused
from exportcheck.models import Agency, Determination, Outcome

if TYPE_CHECKING:
    from exportcheck.determine.parties import PartyScreener

#: requirement reasons that no licence of another agency lifts, by the agency that could
_PARTY_BARS = {"SDN": Agency.OFAC, "DPL": None, "DEBARRED": None}


class PartyRefused(ShipmentRefused):
    """A party bars or holds the shipment; ``determination`` holds, per line refused, its
    outcome and the hits or held matches."""


@dataclass
class PartyCheck:
    """``lists``: the list versions screened against; ``refusals``: ``(message, rule)``;
    ``lines``: what each refused line's determination said of the parties."""

    lists: str | None = None
    refusals: list[tuple[str, str]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)

    def payload(self) -> dict[str, Any]:
        return {"parties_screened": self.lists}

    def refuse(self) -> None:
        """Raise the first refusal (saying how many more lines were refused), if any."""
        if self.refusals:
            raise PartyRefused.first_of(self.refusals, self.lines)


def _bar(det: Determination, agency: Agency | None) -> str | None:
    """The citation of the party prohibition no licence of ``agency`` lifts, if any."""
    if det.outcome != Outcome.PROHIBITED:
        return None
    bars = [r.citation for r in det.requirements if r.reason in _PARTY_BARS
            and (_PARTY_BARS[r.reason] is None or _PARTY_BARS[r.reason] != agency)]
    return "; ".join(dict.fromkeys(bars)) or None


def check_parties(spec: ShipmentIn, screener: PartyScreener, agency: Agency | None,
                  ruleset: Any = None) -> PartyCheck:
    """Screen the parties of a shipment on a licence of ``agency`` (module docstring)."""
    from exportcheck.determine.batch_parties import MemoScreener

    screener = MemoScreener(screener)  # the parties are the same on every line
    out = PartyCheck()
    seen: set[str] = set()
    for n, line in enumerate(spec.lines, start=1):
        if line.classification in seen:
            continue  # the parties' answer does not depend on the line's value
        seen.add(line.classification)
        label = f"line {n} ({line.classification})"
        try:
            det = determine_line(spec, line.classification, screener, ruleset)
        except InvalidInput:
            continue  # the licence check answers for the item itself
        out.lists = det.lists_version
        summary = {"line": n, "classification": line.classification,
                   "outcome": det.outcome.value, "reasons": list(det.reasons),
                   "screening_hits": [f"{h.list} {h.entry_id} {h.matched_name}"
                                      for h in det.screening_hits],
                   "party_matches": [m.model_dump(mode="json") for m in det.party_matches]}
        if (cited := _bar(det, agency)) is not None:
            out.lines.append(summary)
            hits = "; ".join(f"{h.list} {h.entry_id} {h.matched_name!r}"
                             for h in det.screening_hits)
            out.refusals.append((f"{label}: a party may not be dealt with on {spec.ship_date}, "
                                 f"whatever the licence: {hits} ({cited})", "party_blocked"))
        elif det.hold:
            out.lines.append(summary)
            out.refusals.append((f"{label}: held for review: {held_matches(det)}; clear or "
                                 "confirm the potential match (a disposition) before it ships",
                                 "party_held"))
    return out


__all__ = ["PartyCheck", "PartyRefused", "check_parties"]
