"""Why LVS (15 CFR 740.3) is refused: the reason that decides whatever the value is said first
(a 740.2 restriction, a destination outside Country Group B), and an amount above the limit is
written so that it reads as above it."""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine
from exportcheck.models import TransactionFacts


def _lvs_notes(item: str, dest: str, on: date, value: float) -> list[str]:
    d = determine(item, dest, on, value=value)
    assert "LVS" not in [e.symbol for e in d.license_exceptions]
    return [s.detail for s in d.trace if s.rule == "License Exception LVS"]


@pytest.mark.parametrize(("item", "dest", "on", "value", "why"), [
    # 740.3: Country Group B only; China is not in B, whatever the value
    ("3A001.a.2", "CN", date(2024, 6, 1), 5001, "CN is not in Country Group B"),
    ("9A610.x", "RU", date(2024, 6, 1), 2000, "RU is not in Country Group B"),
    # 740.2(a)(23) (85 FR 45998): Hong Kong only where China could use it, from 30 Jun 2020
    ("3A001.a.2", "HK", date(2020, 7, 15), 6000, "740.2(a)(23)"),
])
def test_a_value_above_the_limit_does_not_hide_the_reason_that_decides(
        item: str, dest: str, on: date, value: float, why: str) -> None:
    """A compliance officer told "value exceeds the LVS limit" would split or reprice the
    order; the destination bars LVS at any value, and the trace must say so."""
    notes = _lvs_notes(item, dest, on, value)
    assert any(why in n for n in notes), notes
    assert not any("exceeds the LVS limit" in n for n in notes), notes


def test_an_amount_just_above_the_limit_is_not_rounded_down_to_it() -> None:
    """$1,500.40 against 9A610's $1,500 (740.3(a)(1): the net value of the shipment must not
    exceed the limit): "value $1,500 exceeds the LVS limit $1,500" contradicts itself."""
    notes = _lvs_notes("9A610.x", "DE", date(2024, 6, 1), 1500.40)
    assert notes == ["value $1,500.40 exceeds the LVS limit $1,500 for 9A610"]


def test_an_amount_within_the_limit_keeps_its_cents() -> None:
    d = determine("9A610.x", "DE", date(2024, 6, 1), value=1499.60)
    note = next(s.detail for s in d.trace if s.rule == "License Exception LVS")
    assert note == "value $1,499.60 within LVS limit $1,500 per shipment (9A610)"


def test_app_granted_for_some_paragraphs_asks_for_the_paragraph() -> None:
    """4A003 grants APP (740.7) "for computers controlled by 4A003.b, and electronic assemblies
    controlled by 4A003.c" [data: eCFR 2026-07-23 ccl.json]: for 4A003 given without its
    paragraph the trace must not say the entry names no exception, but ask for the paragraph,
    as it does for LVS and GBS."""
    d = determine("4A003", "IN", date(2024, 6, 1),
                  facts=TransactionFacts(conditions_met={"APP"}))
    assert [e.symbol for e in d.license_exceptions] == []
    notes = {s.rule: s.detail for s in d.trace}
    assert "give the item's paragraph" in notes["License Exception APP (740.7)"]
    assert "Licence exceptions" not in notes
    # with the paragraph, APP is offered (case app-4a003b-in)
    assert [e.symbol for e in determine("4A003.b", "IN", date(2024, 6, 1), facts=TransactionFacts(
        conditions_met={"APP"})).license_exceptions] == ["APP"]


def test_an_exception_that_does_not_overcome_every_requirement_says_which_it_leaves() -> None:
    """5A002.a to Russia in 2024: ENC (740.17) passes for the NS1 and EI requirements, but the
    746.8 Russia requirement allows only the exceptions 746.8(c) lists (ENC left out by the rule
    base, embargoes.yaml); the trace showed ENC usable beside a LICENSE_REQUIRED answer without
    saying why it was not offered."""
    d = determine("5A002.a", "RU", date(2024, 6, 1))
    assert d.outcome.value == "LICENSE_REQUIRED" and d.license_exceptions == []
    note = next(s for s in d.trace if s.rule == "Licence exceptions not sufficient")
    assert "ENC" in note.detail and "746.8 Russia" in note.detail and not note.fired
    assert "746.8" in note.citation
    # where ENC overcomes every requirement, no such step
    cn = determine("5A002.a", "CN", date(2024, 6, 1))
    assert [e.symbol for e in cn.license_exceptions] == ["ENC"]
    assert "Licence exceptions not sufficient" not in {s.rule for s in cn.trace}


def test_an_offered_lvs_leaves_the_yearly_total_to_a_person() -> None:
    """740.3 also caps LVS by the year: the exports under LVS of one ECCN to one consignee in a
    calendar year may not exceed twelve times the entry's limit [src: tuckerlaw.com 'The LVS
    License Exception', Sep 2019]. A determination sees one line, not the year's shipments, so
    the trace says the total is for a person to check, with the amount; a refused LVS does not."""
    d = determine("9A610.x", "DE", date(2024, 6, 1), value=1000)
    assert [e.symbol for e in d.license_exceptions][:1] == ["LVS"]
    step = next(s for s in d.trace if s.rule == "License Exception LVS, yearly total")
    assert "$18,000" in step.detail and "calendar year" in step.detail
    assert "for a person to check" in step.detail and step.citation == "15 CFR 740.3"
    over = determine("9A610.x", "DE", date(2024, 6, 1), value=2000)
    assert not any(s.rule == "License Exception LVS, yearly total" for s in over.trace)
