"""Iranian organisation names written in Persian script find the English list names
(شرکت ملی نفت ایران -> NATIONAL IRANIAN OIL COMPANY) through the cited glossary
``persian_glossary.csv``; unlisted Iranian companies find nothing; listed names keep to their
own script."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.normalize import fold_text, name_forms
from exportcheck.screen.persian_orgs import GLOSSARY_PATH, SCRIPT, glossary, org_forms

ROWS = list(csv.DictReader((Path(__file__).parent / "data" / "persian_orgs.csv").open(
    encoding="utf-8", newline="")))
POSITIVES = [r for r in ROWS if r["route"] in ("glossary", "romaniser")]
NEGATIVES = [r for r in ROWS if r["route"] == "negative"]


def _found(screener: Screener, row: dict) -> list[str]:
    """The expected entry's name among the query's hits at 85 (empty list if not found),
    else the names hit."""
    hits = screener.screen(row["query"], threshold=85)
    names = [(h.list, fold_text(screener.entry(h.list, h.entry_id).name)) for h in hits]
    return names


def test_labelled_set_is_large_enough_and_sourced():
    assert len(ROWS) >= 40
    assert len(POSITIVES) >= 20 and len(NEGATIVES) >= 12
    assert all(r["source"].strip() for r in ROWS)


@pytest.mark.parametrize("row", POSITIVES, ids=lambda r: r["query"])
def test_persian_name_finds_its_list_entry(full_screener, row):
    names = _found(full_screener, row)
    assert (row["expected_list"], fold_text(row["expected_name"])) in names, names


@pytest.mark.parametrize("row", NEGATIVES, ids=lambda r: r["query"])
def test_unlisted_iranian_company_finds_nothing(full_screener, row):
    assert full_screener.screen(row["query"], threshold=85) == []


def test_hit_explains_the_glossary_reading(full_screener):
    hits = full_screener.screen("شرکت ملی نفتکش ایران", threshold=85)
    notes = [n for h in hits for n in h.explanation if "Persian glossary" in n]
    assert notes and "نفتکش=Tanker" in notes[0]
    assert hits[0].match_kind == "full"  # a reading, not the name as listed


def test_iran_reads_as_iran_and_iranian():
    tokens = {f.tokens for f in org_forms("شرکت ملی نفت ایران")}
    assert ("natl", "oil", "iran") in tokens and ("natl", "oil", "iranian") in tokens
    assert all(f.legal == ("company",) for f in org_forms("شرکت ملی نفت ایران"))


@pytest.mark.parametrize("variant", [
    "شركت ملي نفتكش ايران",  # Arabic yeh and kaf
    "شرکت ملی نفت‌کش ایران",  # zero-width non-joiner inside a word
    "شرکت  ملّی نفتکش ایران",  # a vowel mark, two spaces
])
def test_letter_variants_read_alike(variant):
    assert org_forms(variant) == org_forms("شرکت ملی نفتکش ایران") != []


def test_written_ezafe_is_read_as_the_word():
    assert org_forms("بانک توسعه‌ی صادرات ایران") == org_forms("بانک توسعه صادرات ایران")
    assert ("forces" in org_forms("وزارت دفاع و پشتیبانی نیروهای مسلح")[0].tokens)


def test_only_organisation_queries_are_read_in_english():
    # a person's name, and a name without an organisation word of the glossary
    assert org_forms("محمد رضا احمدی") == []
    assert not any(f.script == SCRIPT for f in name_forms("ملی نفت ایران"))
    assert not any(f.script == SCRIPT for f in name_forms("شرکت ملی نفت ایران", True))
    # listed names keep to their script: no English reading is indexed
    assert not any(f.script == SCRIPT for f in name_forms("شرکت ملی نفت ایران", None, True))
    # the romanised forms stay
    assert any(f.script == "abjad" for f in name_forms("شرکت ملی نفت ایران"))


def test_glossary_rows_are_cited_and_typed():
    with GLOSSARY_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(glossary())  # no word twice
    for row in rows:
        assert row["kind"] in ("legal", "org", "word", "place"), row
        assert len(row["source"]) > 20 and row["english"].strip(), row
