"""Han company names against how the lists really write them (review 38, from the misses of
Japan's METI End User List, which gives Chinese names beside the English ones).

- The Entity List and the SDN list write some Chinese companies whole in pinyin, legal form
  included: "RUIYUAN KEJI YOUXIAN GONGSI" is 锐元科技有限公司. The pinyin "youxian gongsi" was
  read as two words of the name, so 銳元科技有限公司 (and "Ruiyuan Keji" typed in Latin)
  matched only part of it (78.3). It is now the legal form it is (PRC Company Law art. 2).
- The glossary lacked 磁业 "Magnetic Industry" and 合金 "Alloy" (each cited to a company's
  own English name): 苏州中盛磁业有限公司 found nothing, 苏州埃文特种合金有限公司 scored 61.1
  against "SUZHOU AIWEN SPECIAL ALLOY CO., LTD."."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.han_orgs import glossary
from exportcheck.screen.normalize import name_forms

THRESHOLD = 85.0
RUIYUAN = ListEntry(list="SDN", entry_id="ruiyuan", kind="entity", countries=["CN"],
                    name="RUIYUAN KEJI YOUXIAN GONGSI")
BINGZHI = ListEntry(list="SDN", entry_id="bingzhi", kind="entity", countries=["CN"],
                    name="SHANGHAI BINGZHI GUOJI MAOYI YOUXIAN GONGSI")
XIANGYANG = ListEntry(list="EL", entry_id="xiangyang", kind="entity", countries=["CN"],
                      name="Xi'an Xiangyang Hangtian Cailiao Gufen Youxian Gongsi")
ZHONGSHENG = ListEntry(list="SDN", entry_id="zhongsheng", kind="entity", countries=["CN"],
                       name="SUZHOU ZHONGSHENG MAGNETIC INDUSTRY CO., LTD.")
AIWEN = ListEntry(list="SDN", entry_id="aiwen", kind="entity", countries=["CN"],
                  name="SUZHOU AIWEN SPECIAL ALLOY CO., LTD.")
ENTRIES = [RUIYUAN, BINGZHI, XIANGYANG, ZHONGSHENG, AIWEN]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=ENTRIES, row_count=len(ENTRIES),
                                      content_hash="t")])


@pytest.mark.parametrize(("name", "core", "legal"), [
    ("RUIYUAN KEJI YOUXIAN GONGSI", ("ruiyuan", "keji"), ("youxian", "gongsi")),
    ("Xi'an Xiangyang Hangtian Cailiao Gufen Youxian Gongsi",
     ("xian", "xiangyang", "hangtian", "cailiao"), ("gufen", "youxian", "gongsi")),
    ("Beijing Lianhe Youxian Zeren Gongsi", ("beijing", "lianhe"),
     ("youxian", "zeren", "gongsi")),
])
def test_the_pinyin_legal_form_is_set_aside(name: str, core: tuple, legal: tuple) -> None:
    (form,) = name_forms(name)[:1]
    assert (form.tokens, form.legal) == (core, legal)


def test_a_name_of_the_legal_form_alone_keeps_it() -> None:
    assert name_forms("Youxian Gongsi")[0].tokens == ("youxian", "gongsi")


@pytest.mark.parametrize(("query", "entry"), [
    ("銳元科技有限公司", "ruiyuan"),  # traditional 銳, as METI writes it
    ("锐元科技有限公司", "ruiyuan"),
    ("Ruiyuan Keji", "ruiyuan"),
    ("Ruiyuan Keji Co., Ltd.", "ruiyuan"),
    ("上海丙至国際貿易有限公司", "bingzhi"),  # Japanese forms 際 貿
    ("苏州中盛磁业有限公司", "zhongsheng"),
    ("苏州埃⽂特种合⾦有限公司", "aiwen"),  # Kangxi radicals ⽂ ⾦ as PDFs give them
])
def test_the_listed_company_is_found_from_its_chinese_name(screener: Screener, query: str,
                                                           entry: str) -> None:
    hits = {h.entry_id: h.score for h in screener.screen(query)}
    assert hits.get(entry, 0) >= THRESHOLD, hits


@pytest.mark.parametrize("query", ["锐新科技有限公司", "上海丙至电子有限公司",
                                   "苏州中盛合金有限公司"])
def test_another_company_sharing_words_is_not(screener: Screener, query: str) -> None:
    assert all(h.score < THRESHOLD for h in screener.screen(query))


@pytest.mark.parametrize(("han", "english"), [("磁业", "Magnetic Industry"), ("合金", "Alloy")])
def test_the_new_glossary_words_cite_a_company_s_own_english_name(han: str,
                                                                   english: str) -> None:
    word = glossary()[han]
    assert english in word.english and word.kind == "word"
    assert "official English name" in word.source and english in word.source
