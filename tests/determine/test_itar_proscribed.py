"""The ITAR step for a 22 CFR 126.1 destination: the policy, and the exemptions 126.1(a) still
leaves usable there, each with its citation."""

from __future__ import annotations

from datetime import date

from exportcheck import determine


def _step(item: str, to: str, on: date) -> str:
    d = determine(item, to, on)
    step, = (s for s in d.trace if s.fired and s.rule.startswith("22 CFR 126.1"))
    return step.detail


def test_a_proscribed_destination_names_the_exemptions_126_1_a_keeps() -> None:
    """22 CFR 126.1(a)(1)-(2): 126.6 and 126.4(a)(1), (a)(3), (b)(1) may be used for a
    proscribed destination (77 FR 76864 for 126.4 and 126.6); the others may not."""
    detail = _step("USML:XI", "CN", date(2024, 1, 1))
    assert "ITAR exemptions are not available (126.1(a))" in detail
    assert "126.4(a)(1), (a)(3), (b)(1)" in detail and "126.6" in detail
    assert "(a)(2), (b)(2)" not in detail  # Russia's government space cooperation only


def test_russia_adds_government_space_cooperation_from_its_listing() -> None:
    """126.1(a)(2)(iii): 126.4(a)(2) or (b)(2) "when the export is destined for Russia and in
    support of government space cooperation", with Russia's listing (86 FR 14802)."""
    assert "126.4(a)(2), (b)(2)" in _step("USML:XV", "RU", date(2022, 1, 1))
