"""Screening, sixth pass (issue #11): a missing patronymic; Han names as Japanese documents
and PDF copies write them (Japanese character forms, Kangxi radicals, a space inside a word);
"Co., Limited"; bracketed codes; institute numbers written without 第."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese import simplified
from exportcheck.screen.entries import ListEntry, ParsedList, written_variants
from exportcheck.screen.han_orgs import segment
from exportcheck.screen.normalize import latin_form, name_forms
from exportcheck.screen.scorer import EXTRA_TOKEN_COST, PATRONYMIC_SHARE, compare_names
from exportcheck.settings import get_settings

THRESHOLD = get_settings().screening_threshold


# -- a missing patronymic -----------------------------------------------------------------------
def test_a_missing_patronymic_costs_half_a_word() -> None:
    """Latin-script documents drop the patronymic: "Sergejs Lavrovs" (Latvian spelling) is
    still LAVROV, Sergey Viktorovich at the default threshold."""
    with_patronymic = compare_names("Sergejs Lavrovs", "Sergey Viktorovich LAVROV")
    without = compare_names("Sergejs Lavrovs", "Sergey LAVROV")
    assert with_patronymic >= THRESHOLD
    assert without - with_patronymic == round(100 * EXTRA_TOKEN_COST * PATRONYMIC_SHARE, 1)


def test_the_patronymic_discount_needs_the_other_names_to_be_the_same() -> None:
    """Yakov and Isakov are other names, however alike: without the patronymic the pair
    stays below the threshold (a Faker Bulgarian name alerted on it)."""
    assert compare_names("Владимир Яков", "ISAKOV, Vladimir Pavlovich") < THRESHOLD


def test_a_missing_given_name_is_still_a_partial_match() -> None:
    """Only the patronymic is discounted: a second given name missing keeps the match
    partial, below the threshold."""
    assert compare_names("Sergejs Lavrovs", "Sergey Viktor LAVROV") < THRESHOLD


# -- Han characters in their Japanese forms -----------------------------------------------------
@pytest.mark.parametrize(("written", "chinese"), [
    ("中国電子科技集団公司", "中国电子科技集团公司"),  # 団 = 團 = 团
    ("中国空気動力研究与発展中心", "中国空气动力研究与发展中心"),  # 気 発
    ("広州", "广州"), ("実業", "实业"), ("総合", "综合"), ("鉄道", "铁道"),
    ("華為技術", "华为技术"),  # traditional characters, as before
])
def test_japanese_and_traditional_forms_read_as_simplified(written: str, chinese: str) -> None:
    assert simplified(written) == chinese


@pytest.mark.parametrize("chinese", ["王芸", "研究所", "沙家浜", "余"])
def test_characters_that_are_also_chinese_keep_their_chinese_reading(chinese: str) -> None:
    """芸 is 藝 in Japanese but a character of its own in Chinese (a given name); OpenCC's
    jp2t would also turn 研 into the rare 硏: only Japanese-only forms are mapped."""
    assert simplified(chinese) == chinese


@pytest.mark.parametrize(("query", "listed"), [
    ("中国電子科技集団公司第十研究所", "10th Research Institute of China Electronic Technology "
                                    "Group Corp"),
    ("中国空気動力研究与発展中心", "China Aerodynamics Research and Development Center"),
    ("哈爾浜工程大学", "Harbin Engineering University"),
    ("上海空間電源研究所", "Shanghai Institute of Space Power Sources"),
    ("丹东中盛工贸有限公司", "DANDONG ZHONGSHENG INDUSTRY & TRADE CO., LTD."),
    ("中国航空工业集团公司雷华电子技术研究所",
     "AVIC Leihua Electronic Technology Research Institute"),
])
def test_names_as_japans_end_user_list_writes_them_find_the_english_name(
        query: str, listed: str) -> None:
    """Japan's METI End User List writes these entities so (Japanese forms, glossary words
    added for them: 気動力, 空間, 電源, 工贸, the AVIC short name)."""
    assert compare_names(query, listed) >= THRESHOLD


def test_a_japanese_form_query_finds_the_listed_entry() -> None:
    listed = ListEntry(list="EL", entry_id="1", name="China Aerodynamics Research and "
                       "Development Center", kind="entity", source="t")
    other = ListEntry(list="EL", entry_id="2", name="China Academy of Aerospace "
                      "Aerodynamics", kind="entity", source="t")
    s = Screener([ParsedList("test", [listed, other], 2, "test")])
    assert [h.entry_id for h in s.screen("中国空気動力研究与発展中心")] == ["1"]


# -- PDF artefacts: Kangxi radicals, a space inside a word ----------------------------------------
def test_kangxi_radicals_read_as_the_characters_they_look_like() -> None:
    """PDF text extraction gives ⼝ (KANGXI RADICAL MOUTH) for 口."""
    assert name_forms("三明市中伊欧进出⼝有限公司") == name_forms("三明市中伊欧进出口有限公司")


def test_a_space_inside_an_organisation_name_is_no_word_break() -> None:
    assert name_forms("南溪穀科技有 限公司") == name_forms("南溪穀科技有限公司")
    assert compare_names("南溪穀科技有 限公司", "NANXIGU TECHNOLOGY CO., LIMITED") == 100


def test_a_space_still_separates_a_persons_surname() -> None:
    """Given name first, surname last ("慧 申"): the space keeps its meaning for people."""
    assert name_forms("慧 申") != name_forms("慧申")


# -- "Co., Limited" -------------------------------------------------------------------------
def test_co_limited_is_one_legal_form() -> None:
    """Hong Kong's Companies Registry names end "Co., Limited": both words are the legal form,
    so the name matches the same company written "Limited" or "Co., Ltd."."""
    form = latin_form("Nanxigu Technology Co., Limited")
    assert form is not None and form.tokens == ("nanxigu", "tech")
    assert compare_names("Nanxigu Technology Co., Limited", "Nanxigu Technology Limited") == 100


# -- a code in brackets ---------------------------------------------------------------------------
def test_an_institution_is_itself_without_a_code_that_spells_none_of_its_words() -> None:
    """"(BICD)" abbreviates the Chinese name, not the English one: the name without it is
    still the institution's, but the code alone is not offered as a name."""
    variants = written_variants("Beijing Aerospace Automatic Control Institute (BICD)")
    assert "Beijing Aerospace Automatic Control Institute" in variants
    assert "BICD" not in variants


@pytest.mark.parametrize("name", [
    "Schmidt & Co., (HK) Ltd.",  # a place: Schmidt & Co., Ltd. is another company
    "JAMES L. (LONG) STEPHENS",  # a person's nickname
    "Ruby Trading (RTC)",  # too short a name to stand without its code
])
def test_other_brackets_stay(name: str) -> None:
    assert written_variants(name) == [name]


def test_an_acronym_that_abbreviates_the_name_is_a_name_of_its_own() -> None:
    name = "Semiconductor Manufacturing International Corporation (SMIC)"
    assert written_variants(name) == [
        name, "SMIC", "Semiconductor Manufacturing International Corporation"]


# -- institute numbers without 第 ---------------------------------------------------------------
def test_a_number_before_an_institution_word_is_the_institutes_number() -> None:
    """"第三研究院三十三研究所" is the 33rd institute of the Third Academy (CASIC)."""
    ordinals = [s.ordinal for s in segment("中国航天科工集团第三研究院三十三研究所")
                if s.ordinal is not None]
    assert ordinals == [3, 33]
    assert compare_names("中国航天科工集団第三研究院三十三研究所",
                         "No. 33 Research Institute of the Third Academy of China Aerospace "
                         "Science and Industry Corporation") >= THRESHOLD


def test_a_number_inside_a_proper_name_is_not_an_ordinal() -> None:
    assert all(s.ordinal is None for s in segment("三一重工"))
