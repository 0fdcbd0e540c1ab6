"""Fifth pass on screening (issue #11): initials written together, Baltic name endings and a
final j for й."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.scorer import compare_names
from exportcheck.screen.tokens import variant_key
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


# -- initials written together ----------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("JC Juncker", "Jean-Claude Juncker"), ("JC Juncker", "J.-C. Juncker"),
    ("George HW Bush", "BUSH, George Herbert Walker")])
def test_initials_written_together_stand_for_the_words_they_begin(a: str, b: str) -> None:
    assert compare_names(a, b) >= THRESHOLD
    assert compare_names(b, a) >= THRESHOLD


@pytest.mark.parametrize(("a", "b"), [
    ("Ng Ka Ming", "Nam Gil Ka Ming"),  # Ng is a Cantonese surname, not N. G.
    ("JR Ewing", "John Ross Ewing"),  # Junior
    ("JC Juncker", "Jean-Pierre Juncker"),  # the letters must begin the other name's words
    ("KT Chan", "Chan Tai Kwok"),  # ... in their order
])
def test_other_consonant_words_are_not_read_as_initials(a: str, b: str) -> None:
    assert compare_names(a, b) < THRESHOLD


# -- Baltic endings and a final j ----------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("sergejs", "sergey"), ("sergejus", "sergei"), ("lavrovs", "lavrov"),
    ("lavrovas", "lavrov"), ("medvedevs", "medvedev"), ("nikolaj", "nikolay"),
    ("andrej", "andrey")])
def test_a_baltic_ending_or_a_final_j_is_one_name_written_another_way(a: str, b: str) -> None:
    assert variant_key(a) == variant_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("minas", "min"), ("jenkins", "jenkin"), ("roberts", "robert"), ("williams", "william"),
    ("raj", "ray")])
def test_other_endings_still_make_other_names(a: str, b: str) -> None:
    assert variant_key(a) != variant_key(b)


def test_a_latvian_spelling_finds_the_listed_name() -> None:
    """The index knows the endings too, not only the scorer: "Sergejs Lavrovs" (a Latvian
    document) finds "LAVROV, Sergey" and not the other Sergey."""
    lavrov = ListEntry(list="TEST", entry_id="1", name="LAVROV, Sergey", kind="person", source="t")
    other = ListEntry(list="TEST", entry_id="2", name="LAVRENOV, Sergey", kind="person",
                      source="t")
    s = Screener([ParsedList("test", [lavrov, other], 2, "test")])
    assert [h.entry_id for h in s.screen("Sergejs Lavrovs")] == ["1"]
    assert [h.entry_id for h in s.screen("Sergejus Lavrovas")] == ["1"]
