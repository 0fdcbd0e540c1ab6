"""The first of a series of funds or companies is often named without its number: "Nantahala
Capital Offshore Fund, Ltd." is the list's "Nantahala Capital Offshore Fund I, Ltd.". Two
serials that differ ("Fund VIII" / "Fund IX") already scored SERIAL_MAX, above the default
threshold, while a serial on one side only scored less (84): a name nearer the listed one
than a sister fund was the one left below the threshold. A later number on one side only
("Solutions" / "Solutions II") names another entity, and a person's "III" another generation:
those stay as they were."""

from __future__ import annotations

import pytest

from exportcheck.screen.scorer import SERIAL_MAX, compare_names

THRESHOLD = 85.0


@pytest.mark.parametrize(("query", "listed"), [
    ("Nantahala Capital Offshore Fund, Ltd.", "Nantahala Capital Offshore Fund I, Ltd."),
    ("Nantahala Capital Offshore Fund I, Ltd.", "Nantahala Capital Offshore Fund, Ltd."),
    ("Caspian Shipping 1 LLC", "Caspian Shipping LLC"),
])
def test_the_first_of_a_series_without_its_number_is_a_sister_at_least(query: str,
                                                                         listed: str) -> None:
    score = compare_names(query, listed)
    assert score == SERIAL_MAX > THRESHOLD
    # no nearer than the same name spelt alike, no further than a sister with another number
    assert score <= compare_names(listed, listed)
    assert score >= compare_names("Apollo Investment Fund VIII L.P.",
                                  "Apollo Investment Fund IX L.P.")


@pytest.mark.parametrize(("query", "listed"), [
    ("Bowne Global Solutions, Inc.", "Bowne Global Solutions II, Inc."),  # a second entity
    ("John Smith", "JOHN SMITH III"),  # a person: another generation
    ("Victory", "Victory 3"),  # one word is too little to call them sisters
])
def test_a_later_number_or_a_persons_numeral_on_one_side_stays_below(query: str,
                                                                      listed: str) -> None:
    assert compare_names(query, listed) < THRESHOLD
