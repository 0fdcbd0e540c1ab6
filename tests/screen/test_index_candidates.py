"""Candidate generation (screen/index.py): each list name counted once per query word, joined
pairs found as written, and the Arabic-script path still fuzzy over joins."""

from __future__ import annotations

from exportcheck.screen.entries import ListEntry
from exportcheck.screen.index import NameIndex
from exportcheck.screen.normalize import name_forms


def _index(*names: str) -> NameIndex:
    return NameIndex([ListEntry(list="TEST", entry_id=str(i), name=n, kind="person", source="t")
                      for i, n in enumerate(names)])


def _found(index: NameIndex, query: str, **kwargs) -> list[str]:
    forms = tuple(name_forms(query, True, False))
    return [index.names[i].alias for i, _ in index.candidate_forms(forms, **kwargs)]


def test_a_name_reached_through_two_spellings_counts_once() -> None:
    # "smith" reaches both "smith" and "smyth": the second name holds both words, so its id is
    # in both postings. Counted twice, its share of its own weight (5 of 5 + 5 + 10) would read
    # 0.5 and pass min_rank 0.4; counted once it reads 0.25.
    index = _index("Smith", "Smyth Smith Abcdefghij")
    assert _found(index, "Smith", min_rank=0.4) == ["Smith"]
    assert sorted(_found(index, "Smith")) == ["Smith", "Smyth Smith Abcdefghij"]


def test_each_candidate_once_even_when_every_query_word_finds_it() -> None:
    index = _index("Smith Smyth")
    forms = tuple(name_forms("Smyth Smith", True, False))
    found = [(index.names[i].alias, positions)
             for i, positions in index.candidate_forms(forms)]
    assert found == [("Smith Smyth", list(range(len(forms))))]


def test_joined_words_find_the_name_both_ways() -> None:
    index = _index("Kachiu Wong", "Ka Chiu Lee")
    assert "Kachiu Wong" in _found(index, "Ka Chiu Chan")
    assert "Ka Chiu Lee" in _found(index, "Kachiu Ho")
