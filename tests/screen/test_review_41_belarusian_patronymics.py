"""Review 41: a Belarusian or Ukrainian patronymic the query leaves out is a patronymic.

OFAC writes Belarusian names in their Belarusian form ("LUKASHENKO, Viktor Aliaksandravich",
"KACHANAVA, Natallia Ivanauna"); the scorer knew Russian and Ukrainian endings (-ovich, -ovna,
-ovych, -ivna) but not -avich, -auna, -euna or Ukrainian -evych, so a query by given name and
surname alone was a partial match held below the threshold: 31 of the 81 listed persons so
written were found that way, 77 now."""

from __future__ import annotations

import re

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry
from exportcheck.screen.name_words import PATRONYMIC
from tests.screen.made_up import found, screener_of

_ENDING = re.compile(r"(avich|auna|euna|evych)$", re.IGNORECASE)


@pytest.mark.parametrize("word", ["aliaksandravich", "ivanauna", "mikalaeuna", "andriyevych",
                                  "vladimirovich", "ivanovna", "petrivna"])
def test_the_endings_read_as_patronymics(word: str) -> None:
    assert PATRONYMIC.search(word)


@pytest.mark.parametrize("word", ["lukashenka", "fauna", "evans", "kravchenko"])
def test_other_words_do_not(word: str) -> None:
    assert not PATRONYMIC.search(word)


def test_a_made_up_listed_person_is_found_without_the_patronymic() -> None:
    s = screener_of([ListEntry(list="SDN", entry_id="1", kind="person", countries=["BY"],
                               name="HARADZETSKI, Yauhen Mikalaevich"),
                     ListEntry(list="SDN", entry_id="2", kind="person", countries=["BY"],
                               name="SIALITSKAYA, Alena Ivanauna")])
    assert found(s, "Yauhen Haradzetski") == {"1"}
    assert found(s, "Alena Sialitskaya") == {"2"}
    assert found(s, "Yauhen Sialitskaya") == set()  # another person: the surname differs


def test_listed_belarusian_names_are_found_by_given_name_and_surname(
        full_screener: Screener) -> None:
    queries = []
    for e in full_screener.entries:
        surname, _, rest = e.name.partition(",")
        words = rest.split()
        if e.kind == "person" and len(words) == 2 and _ENDING.search(words[1]):
            queries.append((f"{words[0]} {surname.strip().title()}", e.list, e.entry_id))
    assert len(queries) >= 60
    hit = sum(any((h.list, h.entry_id) == (code, eid) for h in full_screener.screen(q))
              for q, code, eid in queries)
    assert hit / len(queries) >= 0.9, (hit, len(queries))
