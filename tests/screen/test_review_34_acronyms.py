"""Chinese companies known by three initials, screened in China (session 34 review).

China Construction Bank ("CCB"), Bank of China ("BOC"), China Merchants Bank ("CMB") and ZTE
were alerts in China: the initials of a listed Chinese organisation (Cheil Credit Bank,
Corebai Microelectronics Beijing, Zhejiang Tianlu Energy), raised by the country. One in twenty
three-letter strings is some listed Chinese organisation's initials; only institutions and
forces keep three-letter acronyms (HIT, PLA). And an OFAC weak alias counts only as written:
"CRRC", China's train maker, is not the weak alias "CRCC" of China Railway Construction."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


@pytest.mark.parametrize("name", ["CCB", "BOC", "CMB", "ZTE", "CRRC"])
def test_a_companys_initials_are_no_alert_in_china(full_screener: Screener, name: str) -> None:
    hits = full_screener.screen(name, country="CN")
    assert hits == [], [(h.list, h.matched_name, h.score, h.match_kind) for h in hits[:3]]


@pytest.mark.parametrize(("name", "listed"), [
    ("HIT", "Harbin Institute of Technology"),
    ("HEU", "Harbin Engineering University"),
])
def test_an_institutions_initials_still_are(full_screener: Screener, name: str,
                                            listed: str) -> None:
    hits = full_screener.screen(name, country="CN")
    assert hits and hits[0].score >= THRESHOLD, hits[:2]
    assert any(h.matched_name.casefold() == listed.casefold() for h in hits), hits[:3]


def test_a_weak_alias_written_as_listed_still_is_a_potential_match(
        full_screener: Screener) -> None:
    hits = full_screener.screen("CRCC", country="CN")
    assert hits and hits[0].match_kind == "weak" and hits[0].score >= THRESHOLD, hits[:2]
