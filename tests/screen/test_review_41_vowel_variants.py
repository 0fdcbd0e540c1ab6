"""Review 41: an organisation's one long word spelt with other vowels is one word.

"Hezbollah", the usual English spelling, scored 80 against OFAC's "HIZBALLAH" (FTO, SDGT):
two vowels apart, so a screen of the name alone found nothing. Transliterations of an Arabic
or Persian name write its short vowels as they like; the same consonants in the same order,
between the same first and last letters, in a word of seven letters and five consonants or
more, are now the same word in an organisation's name, as a one-letter slip is. A changed
final vowel stays another name ("Alexandre" / "ALEXANDRA")."""

from __future__ import annotations

import pytest

from exportcheck.screen.entries import ListEntry
from exportcheck.screen.tokens import vowel_variant
from tests.screen.made_up import found, screener_of


@pytest.mark.parametrize(("a", "b"), [("hezbollah", "hizballah"), ("hizbullah", "hizballah")])
def test_vowel_variants(a: str, b: str) -> None:
    assert vowel_variant(a, b) and vowel_variant(b, a)


@pytest.mark.parametrize(("a", "b"), [
    ("alexandre", "alexandra"),  # the final vowel: another form of the name
    ("bellona", "ballena"),  # four consonants: too few
    ("hamas", "humus"),  # too short
    ("hezbollah", "hezbollah"),  # the same word is not a variant of itself
    ("mossadegh", "mossadeq"),  # other consonants
])
def test_not_vowel_variants(a: str, b: str) -> None:
    assert not vowel_variant(a, b)


def test_hezbollah_finds_the_sdn_entry_and_alexandre_not_the_vessel() -> None:
    s = screener_of([
        ListEntry(list="SDN", entry_id="4697", kind="entity", countries=["LB"], name="HIZBALLAH"),
        ListEntry(list="SDN", entry_id="7", kind="vessel", name="ALEXANDRA"),
    ])
    assert found(s, "Hezbollah") == {"4697"}
    assert found(s, "Hizbullah") == {"4697"}
    assert found(s, "Alexandre") == set()


def test_an_airline_spelt_out_is_the_listed_air() -> None:
    """"Mahan Airlines", as the press writes it, is SDN "MAHAN AIR" (it found nothing)."""
    s = screener_of([ListEntry(list="SDN", entry_id="9", kind="entity", countries=["IR"],
                               name="MAHAN AIR")])
    assert found(s, "Mahan Airlines") == found(s, "Mahan Airways") == {"9"}
    assert found(s, "Mahan Shipping") == set()
