"""OFAC numbers a party once across its lists: the CSL's non-SDN copy of an entry (NS-MBS
29250, John Lee Ka-chiu) carries no date of birth, its SDN copy does (1957)."""

from __future__ import annotations

from exportcheck.screen import Screener


def test_a_date_of_birth_that_rules_out_the_sdn_copy_rules_out_its_non_sdn_copy(
        full_screener: Screener) -> None:
    """A Lee Ka Chiu of Hong Kong born in 1985 is not the Chief Executive born in 1957: the
    SDN copy fell below the threshold, the non-SDN copy stayed an exact 100 alert."""
    assert full_screener.entry("NONSDN", "29250") is not None
    assert not full_screener.entry("NONSDN", "29250").dobs  # the premise: the CSL gives none
    born_1985 = full_screener.screen("Lee Ka Chiu", country="HK", dob="1985-03-01")
    assert not [h for h in born_1985 if h.entry_id == "29250"], born_1985
    born_1957 = full_screener.screen("Lee Ka Chiu", country="HK", dob="1957-12-07")
    assert {h.list for h in born_1957 if h.entry_id == "29250"} == {"SDN", "NONSDN"}
    nonsdn = next(h for h in born_1957 if h.list == "NONSDN" and h.entry_id == "29250")
    assert any("1957" in w for w in nonsdn.explanation), nonsdn.explanation
