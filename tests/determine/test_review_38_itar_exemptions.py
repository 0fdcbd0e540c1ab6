"""Review 38 (ITAR): a USML item to a destination an ITAR exemption serves (126.5 Canada,
126.16 and 126.17 the treaties, 126.7 AUKUS) was answered "case-by-case" with no word that
the rule base holds such an exemption for it; the answer now names them, from the day each
came into force, and says their conditions are not checked (the licence requirement stands)."""

from __future__ import annotations

from datetime import date

import polars as pl

from exportcheck import determine, determine_frame
from exportcheck.models import Outcome


def _exemption_caveats(item: str, to: str, on: date) -> list[str]:
    return [c for c in determine(item, to, on).caveats if c.startswith("ITAR exemptions")]


def test_canada_names_the_canadian_exemption_and_keeps_the_licence_requirement() -> None:
    """22 CFR 126.5(b): export to Canada for end use there by Canadian authorities or a
    Canadian-registered person; whether the recipient is one is the exporter's to show."""
    d = determine("USML:XI(a)(3)(i)", "CA", date(2024, 1, 1))
    assert d.outcome is Outcome.LICENSE_REQUIRED
    caveat, = _exemption_caveats("USML:XI(a)(3)(i)", "CA", date(2024, 1, 1))
    assert "22 CFR 126.5 Canadian exemptions (22 CFR 126.5(b))" in caveat
    assert "conditions are not checked" in caveat
    step, = (s for s in d.trace if s.rule.startswith("22 CFR 126.5"))
    assert not step.fired and "Canadian-registered person" in step.detail


def test_aukus_joins_the_australia_treaty_exemption_from_1_september_2024() -> None:
    """89 FR 67270 (interim final rule, 20 Aug 2024): 126.7 effective 1 Sep 2024."""
    before, = _exemption_caveats("USML:VIII", "AU", date(2024, 8, 31))
    assert "126.16" in before and "126.7 " not in before
    after, = _exemption_caveats("USML:VIII", "AU", date(2024, 9, 1))
    assert after.index("126.7 AUKUS") < after.index("126.16")  # by section number


def test_a_destination_no_exemption_serves_gets_no_such_caveat() -> None:
    assert _exemption_caveats("USML:XI", "DE", date(2024, 1, 1)) == []
    assert _exemption_caveats("USML:XI", "JP", date(2024, 1, 1)) == []
    # a 126.1 destination: 126.1(a) decides, and the treaty rows serve AU/GB/CA only
    assert _exemption_caveats("USML:XI", "CN", date(2024, 1, 1)) == []


def test_the_batch_path_carries_the_same_caveat() -> None:
    """The batch decides without a trace; the caveat is kept with the answer all the same."""
    frame = pl.DataFrame({"item": ["USML:XI", "USML:XI"], "destination": ["GB", "DE"],
                          "date": ["2025-01-01", "2025-01-01"]})
    gb, de = determine_frame(frame)["caveats"].to_list()
    assert "126.17 US-UK Defense Trade Cooperation Treaty" in gb
    assert gb == " | ".join(determine("USML:XI", "GB", date(2025, 1, 1)).caveats)
    assert "ITAR exemptions" not in (de or "")


def test_the_batch_splits_at_the_aukus_day() -> None:
    """A batch decides a band of dates once: the AUKUS row's start must split the band."""
    days = ["2024-08-31", "2024-09-01"]
    frame = pl.DataFrame({"item": ["USML:VIII"] * 2, "destination": ["AU"] * 2, "date": days})
    got = determine_frame(frame)["caveats"].to_list()
    assert got == [" | ".join(determine("USML:VIII", "AU", date.fromisoformat(d)).caveats)
                   for d in days]
    assert "126.7 AUKUS" not in got[0] and "126.7 AUKUS" in got[1]
