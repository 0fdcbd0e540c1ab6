"""Precision of the second screening round (issue #11): partial-name matches as their own kind,
evidence that raises them, word weights learnt from the lists, Hong Kong spelling variants, and
false-hit rates on ordinary people and companies."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.hkspell import hk_key, is_hk_syllable
from exportcheck.screen.normalize import name_forms
from exportcheck.screen.scorer import PARTIAL_MAX, compare_forms, compare_names
from exportcheck.screen.weights import DATA_FILE, org_factors, org_like
from exportcheck.settings import get_settings

REPO = Path(__file__).resolve().parents[2]
NEGATIVES = REPO.parent / "shared" / "data" / "eval" / "yente" / "negatives_us.csv"


def _match(a: str, b: str, org: bool | None = None):
    return compare_forms(name_forms(a)[0], name_forms(b)[0], org=org)


# -- kinds of match ---------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "listed"), [
    ("Stephen Smith", "STEPHEN EDWARD SMITH"),
    ("Michael Scott", "Scott Michael Miller"),
    ("Christopher Bryan", "O'BRIEN, Christopher Bryan"),
    ("Erik John Lee", "John Lee"),  # the reverse: the list name inside the query
])
def test_missing_words_make_a_partial_match_below_the_threshold(query: str, listed: str) -> None:
    m = _match(query, listed)
    assert m.kind == "partial"
    assert m.score <= PARTIAL_MAX < get_settings().screening_threshold
    assert any("partial name" in line for line in m.explain())


def test_partial_score_falls_with_the_share_missing() -> None:
    one = _match("Abdul Ghani Turk", "Abdul Ghani Baradar Turk").score
    three = _match("Abdul Ghani Turk", "Abdul Ghani Baradar Abdul Ahmad Turk").score
    assert three < one


@pytest.mark.parametrize(("a", "b", "kind"), [
    ("LAM, Carrie", "Carrie Lam", "exact"),
    ("Angela Merkel", "Angela Merkl", "full"),
    ("V. Putin", "Vladimir Putin", "full"),  # an initial is not a missing word
    ("Vladimir Vladimirovich Putin", "Vladimir Putin", "full"),  # nor is a patronymic
    ("Sergey Sergey Shoigu", "Sergey Shoigu", "full"),  # nor a word written twice
])
def test_kinds(a: str, b: str, kind: str) -> None:
    assert _match(a, b).kind == kind


def test_short_names_differing_by_a_letter_are_other_names() -> None:
    assert compare_names("Thomas Li", "THOMAS LIM") < 85
    assert compare_names("Anthony Chang", "ANTHONY CHAN") < 85
    assert compare_names("Karrie Lamm", "LAM, Carrie") > 70  # a doubled letter is a typo


# -- evidence raises a partial match -----------------------------------------------------------
def _person_with_middle_name(screener: Screener):
    """A listed person with three name words and a full date of birth, whose first and last
    words alone are a partial match (no alias of the entry is those two words)."""
    for e in screener.entries:
        if e.list == "UN" and e.kind == "person" and any(len(d) == 10 for d in e.dobs):
            words = e.name.replace(",", " ").split()
            if len(words) == 3 and all(len(w) > 3 and w.isalpha() for w in words):
                hits = screener.screen(f"{words[0]} {words[2]}", lists=["UN"], threshold=0)
                if any(h.entry_id == e.entry_id and h.match_kind == "partial" for h in hits):
                    return e, words
    pytest.fail("no UN person of three name words is found as a partial match by its first and "
                "last words: partial matching is broken, or the list changed")


def test_partial_match_needs_agreeing_evidence(full_screener: Screener) -> None:
    entry, words = _person_with_middle_name(full_screener)
    query = f"{words[0]} {words[2]}"  # the middle word left out
    key = (entry.list, entry.entry_id)
    plain = {(h.list, h.entry_id) for h in full_screener.screen(query, lists=["UN"])}
    assert key not in plain
    dob = next(d for d in entry.dobs if len(d) == 10)
    hits = full_screener.screen(query, lists=["UN"], dob=dob)
    hit = next(h for h in hits if (h.list, h.entry_id) == key)
    assert hit.match_kind == "partial"
    assert "date of birth" in hit.corroborated_by
    assert any("partial name corroborated by date of birth" in x for x in hit.explanation)


def test_entity_type_alone_does_not_raise_a_partial_match(full_screener: Screener) -> None:
    entry, words = _person_with_middle_name(full_screener)
    hits = full_screener.screen(f"{words[0]} {words[2]}", lists=["UN"], kind="person")
    assert (entry.list, entry.entry_id) not in {(h.list, h.entry_id) for h in hits}


def test_exact_hit_reports_its_kind_and_evidence(full_screener: Screener) -> None:
    hits = full_screener.screen("Huawei Technologies Co., Ltd.", country="CN")
    top = hits[0]
    assert top.match_kind == "exact" and top.list == "EL"
    assert "country" in top.corroborated_by


# -- companies --------------------------------------------------------------------------------
def test_word_weights_come_from_the_lists() -> None:
    factors = org_factors()
    assert factors["tech"] < 0.3 and factors["trade"] < 0.3  # on thousands of listed names
    assert factors["hk"] < 1 and "garrison" not in factors  # distinctive words weigh 1
    assert org_like(("wagner", "group")) and not org_like(("carrie", "lam"))


def test_word_weight_file_is_what_the_learner_gives(lists_dir: Path) -> None:
    from exportcheck.screen import weights_build

    stored = json.loads(DATA_FILE.read_text("utf-8"))
    learnt = weights_build.build(weights_build.default_paths())
    assert stored["factors"] == learnt["factors"]
    assert stored["organisations"] == learnt["organisations"]
    assert stored["legal_forms"] == learnt["legal_forms"]


@pytest.mark.parametrize("query", [
    "Hong Kong Garrison Logistics",  # vs the Entity List's "K Logistics Hong Kong"
    "Shenzhen Chips Co",  # vs "Shenzhen Allchips Co., Ltd"
    "Banks Industrial Limited",  # vs "INDUSTRIAL BANK"
    "Bruce Electronics Co., Ltd.",  # vs "Rice Electronics"
])
def test_a_differing_distinctive_word_keeps_a_company_below_threshold(
        full_screener: Screener, query: str) -> None:
    assert full_screener.screen(query) == []


def test_generic_words_weigh_less_in_company_names() -> None:
    m = _match("Hong Kong Garrison Logistics", "K Logistics Hong Kong", org=True)
    assert m.score < 80
    plain = _match("Hong Kong Garrison Logistics", "K Logistics Hong Kong", org=False)
    assert m.score < plain.score


def test_company_false_hits_on_faker_names(full_screener: Screener) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from company_names import company_names

    names = company_names(2000)
    hits = [(n, full_screener.screen(n)) for _, n in names]
    flagged = [(n, h[0]) for n, h in hits if h]
    not_exact = [(n, h.matched_name, h.score) for n, h in flagged if h.match_kind != "exact"]
    assert len(not_exact) / len(names) <= 0.0025, not_exact
    # exact collisions ("Butte" = the vessel BUTTE) are unavoidable on a name-only screen
    assert len(flagged) / len(names) <= 0.008, [(n, h.matched_name) for n, h in flagged]


def test_ordinary_people_false_hits(full_screener: Screener) -> None:
    if not NEGATIVES.exists():
        pytest.skip(f"negatives not found at {NEGATIVES}")
    with NEGATIVES.open(encoding="utf-8", newline="") as fh:
        names = [r["full_name"] for _, r in zip(range(10_000), csv.DictReader(fh), strict=False)]
    flagged = [(n, h[0]) for n in names if (h := full_screener.screen(n))]
    # no partial-name match reaches the threshold on a name alone
    assert not [n for n, h in flagged if h.match_kind == "partial"]
    assert len(flagged) / len(names) <= 0.0015, [(n, h.matched_name) for n, h in flagged]


# -- Hong Kong spellings ------------------------------------------------------------------------
@pytest.mark.parametrize(("a", "b"), [
    ("kei", "ki"), ("chiu", "chio"), ("tsang", "tsaang"), ("yeung", "yang"), ("lee", "li"),
    ("kwokkei", "kwokki"),
])
def test_hk_spellings_of_one_sound_share_a_key(a: str, b: str) -> None:
    assert hk_key(a) == hk_key(b)


def test_hk_variants_apply_to_han_queries_only() -> None:
    assert compare_names("陳國基", "CHAN, Kwok-ki") == 100  # OFAC writes 基 "ki"
    assert compare_names("Chan Kwok Kei", "CHAN, Kwok-ki") < 100  # Latin: the spelling differs


def test_english_given_name_is_not_missing_from_a_han_name() -> None:
    assert not is_hk_syllable("john") and is_hk_syllable("chiu")
    assert compare_names("李家超", "LEE, John Ka-chiu") >= 90
    # but a Cantonese syllable missing is: 王文 is not Cho-Man Wong
    assert compare_names("王文", "Cho-Man Wong") < 85
    assert compare_names("李平", "PING LI JING") < 85  # "jing" is pinyin, not an English name


def test_han_first_query_is_cheap_once_the_table_exists(tmp_path: Path) -> None:
    """The Cantonese reading table is written once to the user's cache folder; a new process
    then reads it instead of loading pycantonese."""
    import subprocess

    code = ("import sys, time\n"
            "from exportcheck.screen.jyutping import readings\n"
            "t = time.perf_counter(); r = readings('陳大文')\n"
            "print(' '.join(r), 'pycantonese' in sys.modules)\n")
    env = {"EXPORTCHECK_DATA_DIR": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin"}
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split()
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                            text=True, check=True).stdout.split()
    assert first[:3] == second[:3] == ["can4", "daai6", "man4"]
    assert first[3] == "True" and second[3] == "False"
