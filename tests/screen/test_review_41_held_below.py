"""Review 41: a screen that finds no alert still shows the matches the threshold held back.

A partial match ("Nicolas Maduro" against SDN "MADURO MOROS, Nicolas": the second surname left
out) scores at most 80 on a name alone, so "no hit" was the whole answer, in the CLI, the API
and the Screen page alike. Item 1 of #11 keeps such a match below the threshold, not out of
sight: it is now listed apart, as held, with what would lift it."""

from __future__ import annotations

import json

from exportcheck.screen.dispositions import HELD_FLOOR, held_below
from exportcheck.screen.entries import ListEntry
from tests.screen.made_up import found, screener_of

ENTRIES = [ListEntry(list="SDN", entry_id="22790", kind="person", countries=["VE"],
                     name="MADURO MOROS, Nicolas"),
           ListEntry(list="SDN", entry_id="9", kind="entity", countries=["CN"],
                     name="PEOPLE'S LIBERATION ARMY")]


def test_a_partial_match_is_held_not_dropped() -> None:
    s = screener_of(ENTRIES)
    assert found(s, "Nicolas Maduro") == set()
    held = held_below(s, "Nicolas Maduro", threshold=85)
    assert [(h.entry_id, h.match_kind) for h in held] == [("22790", "partial")]
    assert HELD_FLOOR <= held[0].score < 85


def test_what_the_threshold_lets_through_is_not_held_again() -> None:
    s = screener_of(ENTRIES)
    assert found(s, "Nicolas Maduro Moros") == {"22790"}
    assert held_below(s, "Nicolas Maduro Moros", threshold=85) == []
    assert held_below(s, "Nicolas Maduro", threshold=HELD_FLOOR) == []  # nothing below it
    # an acronym is held too; an unrelated name has nothing held
    assert [h.entry_id for h in held_below(s, "PLA", threshold=85)] == ["9"]
    assert held_below(s, "Maria Gonzalez", threshold=85) == []


def test_the_cli_lists_held_matches_apart(cli, tmp_path) -> None:
    from exportcheck.screen.service import SAMPLES_DIR

    code, out, err = cli(["screen", "Adel Cherri", "--lists-from", str(SAMPLES_DIR)])
    assert code == 0, err
    text = " ".join(out.split())
    assert "no hit for 'Adel Cherri'" in text
    assert "held below the threshold" in text and "CHERRI, Adel Mohamad (80, partial match)" in text
    code, out, _ = cli(["screen", "Adel Cherri", "--lists-from", str(SAMPLES_DIR), "--json"])
    body = json.loads(out)
    assert body["hits"] == [] and [h["matched_name"] for h in body["held"]] == [
        "CHERRI, Adel Mohamad"]
