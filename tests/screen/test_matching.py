"""Matching behaviour: cross-script Chinese, reordering, numbers, one-word names, evidence."""

from __future__ import annotations

import pytest

from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.chinese import han_forms, jyutping_to_hk
from exportcheck.screen.normalize import name_forms
from exportcheck.screen.scorer import compare_names


@pytest.mark.parametrize(("han", "latin"), [
    ("陳大文", "CHAN, Tai Man"),
    ("曾蔭權", "TSANG, Yam-kuen"),
    ("习近平", "XI, Jinping"),
    ("習近平", "XI, Jinping"),  # traditional = simplified
    ("李家超", "LEE, John Ka-chiu"),
    ("鄭若驊", "CHENG, Yeuk Wah"),
    ("林鄭月娥", "LAM CHENG, Yuet-ngor"),
])
def test_han_matches_pinyin_and_hk_romanisation(han: str, latin: str) -> None:
    assert compare_names(han, latin) >= 90


@pytest.mark.parametrize(("char", "spellings"), [
    ("陳", {"chan"}), ("張", {"cheung"}), ("黃", {"wong"}), ("李", {"lee", "li"}),
    ("鄭", {"cheng"}),
])
def test_hk_surnames(char: str, spellings: set[str]) -> None:
    """One reading per name; the other Hong Kong spellings of its syllables are equal under
    hk_key and looked up in the index through hk_spellings."""
    from exportcheck.screen.hkspell import hk_key, hk_spellings

    first = {f.tokens[0] for f in han_forms(char, person=True) if f.script == "jyutping"}
    assert len(first) == 1
    (reading,) = first
    assert spellings <= {reading, *hk_spellings(reading)}
    assert {hk_key(s) for s in spellings} == {hk_key(reading)}


def test_jyutping_syllables() -> None:
    assert jyutping_to_hk("zoeng1")[0] == "cheung"
    assert "tsang" in jyutping_to_hk("zang1")
    assert jyutping_to_hk("kyun4") == ["kuen"]


def test_hyphenated_and_joined_given_names_equal() -> None:
    for a in ("LEE, Ka-chiu", "LEE, Ka Chiu", "LEE, Kachiu", "Kachiu Lee"):
        assert compare_names(a, "Lee Ka Chiu") == 100


def test_name_part_reordering() -> None:
    assert compare_names("LAM, Carrie", "Carrie Lam") == 100


def test_han_not_equal_to_another_han_name() -> None:
    # nomenklatura case: 习近朋 is not 习近平 (one different character)
    assert compare_names("习近朋", "习近平") < 85


def test_numbers_never_dropped() -> None:
    # watchman's false hit: "CORP" matched "11420 CORP." because the digits were dropped
    assert compare_names("CORP", "11420 CORP.") < 50
    assert compare_names("1425 BRICKELL AVE 63-F LLC", "1425 BRICKELL AVE 64-F LLC") < 85
    forms = name_forms("11420 CORP.")
    assert "11420" in forms[0].tokens


def test_legal_forms_ignored() -> None:
    assert compare_names("Anglo-Caribbean Company Limited", "ANGLO-CARIBBEAN CO., LTD.") == 100
    assert compare_names("华为技术有限公司", "华为技术") == 100


def test_other_scripts() -> None:
    assert compare_names("Владимир Путин", "PUTIN, Vladimir") == 100
    assert compare_names("Αλέξης Τσίπρας", "Alexis Tsipras") == 100
    assert compare_names("محمد علي", "Mohammed Ali") >= 85


def test_hk_officials_on_full_lists(full_screener: Screener) -> None:
    hits = full_screener.screen("李家超", country="HK")
    top = hits[0]
    assert (top.list, top.entry_id) in {("SDN", "29250"), ("NONSDN", "29250")}
    assert any("Cantonese" in line for line in top.explanation)
    assert full_screener.screen("夏寶龍")[0].entry_id == "29262"  # XIA, Baolong via pinyin
    assert full_screener.screen("Carrie Lam")[0].entry_id == "29249"


def test_cyrillic_query_finds_sdn(full_screener: Screener) -> None:
    hits = full_screener.screen("Владимир Путин", lists=["SDN"])
    assert hits and hits[0].matched_name.upper().startswith("PUTIN")


def test_watchman_false_positive_class(full_screener: Screener) -> None:
    assert full_screener.screen("CORP") == []
    assert full_screener.screen("11420 CORP") == [] or all(
        "11420" in h.matched_name for h in full_screener.screen("11420 CORP"))
    # one word is weak evidence: a lone surname does not reach the default threshold
    assert not [h for h in full_screener.screen("Putin") if h.score >= 85]


def test_entity_list_hit_carries_licence_fields(full_screener: Screener) -> None:
    hits = full_screener.screen("Xinjiang Police College", lists=["EL"])
    assert hits and hits[0].score == 100
    assert hits[0].license_requirement and "Case-by-case" in hits[0].license_policy


def test_explanation_says_what_matched(full_screener: Screener) -> None:
    hit = full_screener.screen("Vladimir Putin", lists=["SDN"])[0]
    text = " | ".join(hit.explanation)
    assert "alias" in text and "vladimir" in text and "putin" in text


def test_secondary_evidence(full_screener: Screener) -> None:
    base = full_screener.screen("Carrie Lam", lists=["SDN"])[0].score
    far = full_screener.screen("Carrie Lam", lists=["SDN"], dob="1990", threshold=0)
    same = full_screener.screen("Carrie Lam", lists=["SDN"], dob="1957-05-13", country="HK")
    assert far[0].score < base - 10 and any("year of birth" in x for x in far[0].explanation)
    assert same[0].score >= base
    wrong_kind = full_screener.screen("Carrie Lam", lists=["SDN"], kind="vessel", threshold=0)
    assert wrong_kind[0].score < base


def test_scores_graded_and_sorted(full_screener: Screener) -> None:
    hits = full_screener.screen("Vladimir Putin", threshold=60)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 100 for s in scores)
    assert len(set(scores)) > 1  # graded, not saturated at 100


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"name": ""}, "empty"),
    ({"name": "   "}, "empty"),
    ({"name": "x" * 10_240}, "characters long"),
    ({"name": "!!!"}, "no letters"),
    ({"name": "Carrie Lam", "dob": "13/05/1957"}, "date of birth"),
    ({"name": "Carrie Lam", "country": "Atlantis"}, "unknown country"),
    ({"name": "Carrie Lam", "lists": ["XYZ"]}, "unknown list"),
    ({"name": "Carrie Lam", "threshold": 150}, "threshold"),
    ({"name": "Carrie Lam", "kind": "robot"}, "kind"),
])
def test_bad_input_is_a_clear_error(sample_screener: Screener, kwargs: dict,
                                    message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        sample_screener.screen(**kwargs)


def test_han_name_written_given_name_first() -> None:
    assert compare_names("大文 陳", "CHAN, Tai Man") == 100


def test_list_filter_applies_before_candidate_cut(full_screener: Screener) -> None:
    # dozens of Entity List Huawei affiliates must not crowd out the one CMIC entry
    hits = full_screener.screen("Huawei Technologies Co., Ltd.", lists=["NONSDN"])
    assert hits and {h.list for h in hits} == {"NONSDN"}


@pytest.mark.parametrize(("listed", "query"), [
    ("陳大文", "CHAN, Tai Man"),
    ("曾蔭權", "TSANG, Yam-kuen"),
    ("习近平", "XI, Jinping"),
])
def test_latin_query_finds_a_name_listed_in_han(listed: str, query: str) -> None:
    # the list writes the name in characters; the officer types the Hong Kong or pinyin spelling
    from exportcheck.screen.entries import ListEntry, ParsedList

    entry = ListEntry(list="SDN", entry_id="T1", name=listed, kind="person")
    screener = Screener(lists=[ParsedList(source="test", entries=[entry], row_count=1,
                                          content_hash="t")])
    hits = screener.screen(query)
    assert hits and hits[0].entry_id == "T1" and hits[0].score >= 85
