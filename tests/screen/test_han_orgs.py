"""Han-script company and institution names against English list names (issue #11 point 4)."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH, chinese_names, table
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.han_orgs import glossary, segment
from exportcheck.screen.normalize import name_forms

REPO = Path(__file__).resolve().parents[2]


def _english(name: str) -> set[tuple[str, ...]]:
    return {f.tokens for f in name_forms(name) if f.script == "han-en"}


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


def test_segmentation_by_longest_glossary_word() -> None:
    assert [s.text for s in segment("哈尔滨工业大学")] == ["哈尔滨", "工业大学"]
    assert [s.text for s in segment("杭州海康威视数字技术股份有限公司")] == [
        "杭州", "海康威视", "数字", "技术", "股份有限公司"]
    segs = segment("中国电子科技集团公司第十四研究所")
    assert [s.ordinal for s in segs if s.ordinal] == [14]
    # the administrative suffix 市 after a place is dropped, as in English
    assert [s.text for s in segment("深圳市大疆创新科技有限公司")][:2] == ["深圳", "大疆"]


def test_glossary_rows_cite_a_source() -> None:
    words = glossary()
    assert len(words) >= 300
    assert all(w.source and w.english for w in words.values())
    assert "Harbin" in words["哈尔滨"].english and "Yangtze" in words["长江"].english


def test_glossary_forms_match_english_word_order() -> None:
    assert ("harbin", "eng", "univ") in _english("哈尔滨工程大学")
    assert ("china", "aerospace", "science", "and", "industry") in _english(
        "中国航天科工集团有限公司")
    # proper names become pinyin, joined and syllable by syllable; legal forms set aside
    forms = [f for f in name_forms("华为技术有限公司") if f.script == "han-en"]
    assert forms[0].tokens == ("huawei", "tech") and forms[0].legal == ("co", "ltd")
    assert ("hua", "wei", "tech") in {f.tokens for f in forms}
    assert ("china", "electronic", "tech", "group", "14th", "research", "inst") in _english(
        "中国电子科技集团公司第十四研究所")


def test_traditional_script_and_hong_kong_readings() -> None:
    assert _english("華為技術有限公司") >= _english("华为技术有限公司")
    # the Cantonese reading of 華為 is a form of its own, never mixed with pinyin
    cantonese = {f.tokens for f in name_forms("華為技術有限公司") if f.script == "han-en-hk"}
    assert ("wawai", "tech") in cantonese
    assert not any("hua" in t or "huawei" in t for t in cantonese)


@pytest.mark.parametrize(("query", "listed"), [
    ("偉記貿易有限公司", "Wai Kee Trading Limited"),  # 記 kei, as firms write it Kee
    ("曾益香港有限公司", "Tsang Yick Hong Kong Limited"),  # 益 yik / Yick
    ("樂記工程有限公司", "Lock Kee Engineering Limited"),  # 樂 lok / Lock
    ("新德電子有限公司", "Sun Tak Electronics Company Limited"),  # 新 san / Sun
])
def test_hong_kong_firm_spellings(query: str, listed: str) -> None:
    firm = ListEntry(list="EL", entry_id="hk", name=listed, kind="entity")
    hits = _screener(firm).screen(query)
    assert [h.score for h in hits] == [100.0]
    assert any("read in Cantonese" in line for line in hits[0].explanation)


def test_hong_kong_firm_spellings_are_not_other_syllables() -> None:
    # "Sun" = 新 only in a firm's name read in Cantonese: pinyin "sun" (孙) is no "san" (三)
    firm = ListEntry(list="EL", entry_id="s", name="San Tak Electronics Company Limited",
                     kind="entity")
    assert _screener(firm).screen("孙德电子有限公司") == []
    # a different syllable stays different: 信 seon is "Sun", 陳 can is "Chan", not "Chun"
    chan = ListEntry(list="EL", entry_id="c", name="Chun Wo Trading Company Limited",
                     kind="entity")
    assert all(h.score < 85 for h in _screener(chan).screen("陳和貿易有限公司"))


def test_hk_legal_forms_set_aside() -> None:
    # a Hong Kong company (有限公司 = Limited) and a mainland joint-stock one (股份有限公司)
    hk = next(f for f in name_forms("中國移動有限公司") if f.script == "han-en")
    mainland = next(f for f in name_forms("中国移动股份有限公司") if f.script == "han-en")
    assert hk.tokens == mainland.tokens == ("china", "mobile")
    screener = _screener(ListEntry(list="NONSDN", entry_id="1", name="China Mobile Limited",
                                   kind="entity"))
    assert screener.screen("中國移動有限公司")[0].score >= 85


def test_short_company_names_are_not_persons() -> None:
    assert all(f.script != "jyutping" for f in name_forms("中国银行"))
    assert all(f.script != "jyutping" for f in name_forms("大疆"))
    assert any(f.script == "jyutping" for f in name_forms("张建设"))  # a person stays a person


def test_table_rows_are_complete_and_cited() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 150
    lists = {"CMIC", "EL", "MEU", "SDN", "UVL"}
    assert all(r["source"] and r["chinese_name"] and r["list"] in lists for r in rows)
    # a comma left unquoted in a source note splits it into fields of no column (None)
    assert [r["english_name"] for r in rows if None in r] == []
    assert len({r["english_name"] for r in rows if r["list"] == "CMIC"}) >= 60
    assert table()
    assert chinese_names("NONSDN", "SZ DJI TECHNOLOGY CO., LTD.") == [
        "深圳市大疆创新科技有限公司", "大疆", "大疆创新"]
    assert chinese_names("SDN", "SZ DJI Technology Co., Ltd.") == []  # list code must agree


def test_table_alias_found_and_cited() -> None:
    dji = ListEntry(list="NONSDN", entry_id="33111", name="SZ DJI Technology Co., Ltd.",
                    kind="entity")
    other = ListEntry(list="NONSDN", entry_id="9", name="Dajiang Trading Co., Ltd.",
                      kind="entity")
    screener = _screener(dji, other)
    top = screener.screen("大疆")[0]
    assert top.entry_id == "33111" and top.matched_name == "大疆" and top.score >= 85
    note = next(line for line in top.explanation if "curated table" in line)
    assert "dji.com" in note
    # the stored entry is unchanged: the alias comes from the table at index time
    assert "大疆" not in dji.aliases + dji.original_script


def test_glossary_reading_explained() -> None:
    # on the UVL, which the curated table has no Chinese name for: found through the glossary
    screener = _screener(ListEntry(list="UVL", entry_id="7",
                                   name="Harbin Engineering University", kind="entity"))
    hit = screener.screen("哈爾濱工程大學")[0]  # traditional characters
    assert hit.score >= 85
    assert any("Han glossary" in line for line in hit.explanation)
    # a reading, not the list's own letters: not certain on the name alone
    assert hit.match_kind == "full"


def test_table_name_wins_over_a_reading() -> None:
    """The Entity List entry has its Chinese name in the curated table: the query written as
    that name is an exact match, preferred to the glossary reading of equal score."""
    screener = _screener(ListEntry(list="EL", entry_id="7",
                                   name="Harbin Engineering University", kind="entity"))
    hit = screener.screen("哈爾濱工程大學")[0]
    assert (hit.match_kind, hit.matched_name) == ("exact", "哈尔滨工程大学")


def test_two_han_names_do_not_match_through_english() -> None:
    listed = ListEntry(list="EL", entry_id="1", name="Beijing Institute of Technology",
                       kind="entity")
    screener = _screener(listed)
    assert not screener.screen("北京工业大学")  # Beijing University of Technology
    assert not screener.screen("北京大学")


def test_labelled_set_on_official_lists(full_screener: Screener) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    from screening_han import han_company_figures

    fig = han_company_figures(full_screener)
    assert fig["positives"] >= 60 and fig["negatives"] >= 20
    assert fig["found_share"] >= 0.9, fig["misses"]
    assert fig["false_hit_queries"] <= 1, fig["false_hits"]


@pytest.mark.parametrize("query", ["华为技术有限公司", "哈尔滨工业大学",
                                   "中国航天科工集团有限公司"])
def test_issue_examples_found(full_screener: Screener, query: str) -> None:
    hits = full_screener.screen(query)
    assert hits and hits[0].score >= 85


def test_four_ambiguous_words_still_reach_the_listed_reading() -> None:
    """科技 read "Science and Technology" together with 集团有限公司 read "Corporation": with
    four other words of two readings each, the combination is past the sixteenth form."""
    name = "中国航天科技集团有限公司第九研究院第七七一研究所"
    listed = ListEntry(list="TEST", entry_id="1", kind="entity", source="t",
                       name="China Aerospace Science and Technology Corporation 9th Academy "
                            "771 Research Institute")
    s = Screener([ParsedList("test", [listed], 1, "test")])
    hits = s.screen(name)
    assert [h.entry_id for h in hits] == ["1"] and hits[0].score >= 85
    assert hits[0].match_kind != "partial"


@pytest.mark.parametrize(("short", "english"), [
    ("哈工大", "Harbin Institute of Technology"),
    ("西工大", "Northwestern Polytechnical University"),
    ("北航", "Beijing University of Aeronautics and Astronautics (BUAA)"),
    ("国防科大", "National University of Defense Technology (NUDT)"),
    ("川大", "Sichuan University"),
])
def test_a_university_found_by_its_own_short_name(short: str, english: str) -> None:
    # 哈工大 is not read from its characters (工大 alone is no word of the English name): the
    # table gives it, citing the university's own use
    entry = ListEntry(list="EL", entry_id="u", name=english, kind="entity")
    hits = _screener(entry).screen(short)
    assert [h.entry_id for h in hits] == ["u"] and hits[0].score == 100
    assert any("curated table" in line and "short name" in line for line in hits[0].explanation)


def test_ordinary_words_are_no_short_name() -> None:
    # 航天科技 is "aerospace technology", in many firms' names: only 中国航天科技 stands for CASC
    casc = ListEntry(list="NONSDN", entry_id="casc",
                     name="China Aerospace Science and Technology Corporation", kind="entity")
    assert "中国航天科技" in chinese_names("NONSDN", casc.name)
    assert "航天科技" not in chinese_names("NONSDN", casc.name)
    hits = _screener(casc).screen("深圳市航天科技发展有限公司")
    assert all(h.score < 85 for h in hits)


def test_a_place_written_in_one_name_only_is_a_partial_match() -> None:
    """The lists write a Chinese company with its city or without it, so a Han name is also
    read without its leading place; but 北京海康威视 is not 杭州海康威视, and a name without the
    city may be another company of the group: a partial match, as in Latin letters."""
    hik = ListEntry(list="EL", entry_id="1", kind="entity", countries=["CN"],
                    name="Hangzhou Hikvision Digital Technology Co., Ltd.")
    screener = _screener(hik)
    exact = screener.screen("杭州海康威视数字技术股份有限公司")[0]
    assert (exact.score, exact.match_kind) == (100, "exact")
    for query in ("北京海康威视数字技术股份有限公司", "海康威视数字技术股份有限公司"):
        assert screener.screen(query) == []  # name alone: below the threshold
        hit = screener.screen(query, country="CN")[0]  # the country corroborates
        assert hit.match_kind == "partial" and 85 <= hit.score < 100, query
    without = screener.screen("海康威视数字技术股份有限公司", threshold=70)[0]
    assert any(line in ("list-name tokens not in query: 杭州",
                        "the place Hangzhou is written in one name only")
               for line in without.explanation)
    # the Latin spelling of the same names answers alike
    latin = screener.screen("Hikvision Digital Technology Co., Ltd.", threshold=70)[0]
    assert latin.match_kind == without.match_kind == "partial"
    assert latin.score == without.score


def test_tongxin_reads_communications_as_its_citation_says() -> None:
    """通信 was also read "Telecommunications", which its cited source does not support:
    中国移动通信集团 (China Mobile) became a partial match of China Telecommunications
    Corporation, an alert once the country CN corroborated it (screening QA pass)."""
    telecom = ListEntry(list="NONSDN", entry_id="30939", kind="entity", countries=["CN"],
                        name="China Telecommunications Corporation")
    assert "Telecommunications" not in glossary()["通信"].english
    assert _screener(telecom).screen("中国移动通信集团有限公司", country="CN") == []


@pytest.mark.parametrize(("query", "english"), [
    # the QA example: 终端 was no glossary word and the table had no row for these
    ("华为终端（香港）有限公司", "Huawei Device (Hong Kong) Co., Limited"),
    ("华为终端有限公司", "Huawei Device Co., Ltd."),
    ("海思光电子有限公司", "HiSilicon Optoelectronics Co., Ltd."),
    ("深圳市新凯来技术有限公司", "Shenzhen SiCarrier Technologies Co., Ltd."),
    ("北方华创科技集团股份有限公司", "Naura Technology Group Co., Ltd."),
    ("中科寒武纪科技股份有限公司", "Cambricon Technologies Corporation Limited"),
    ("海光信息技术股份有限公司", "Higon"),
    ("中国船舶集团有限公司第七〇一研究所",
     "China State Shipbuilding Corporation, Limited (CSSC) 701st Research Institute"),
    ("喀什地区公安局", "Kashgar Prefecture Public Security Bureau"),
    ("國家超級計算無錫中心", "National Supercomputing Center Wuxi"),  # traditional characters
])
def test_entity_list_affiliates_found_by_their_chinese_names(
        full_screener: Screener, query: str, english: str) -> None:
    """Entity List entries the curated table had no Chinese name for (table extension, QA
    pass): the Han name a document gives finds the entry itself, not only its parent."""
    hits = [h for h in full_screener.screen(query) if h.list == "EL" and h.score >= 85]
    assert english in {full_screener.entry(h.list, h.entry_id).name for h in hits}, \
        [(h.matched_name, h.score) for h in full_screener.screen(query)[:3]]


def test_every_table_row_names_a_listed_entry(full_screener: Screener) -> None:
    """A row is matched by list code and the English name as the list spells it: a row whose
    name no loaded entry has is dead weight (a typo, or an entry since renamed)."""
    from exportcheck.screen.chinese_names import LIST_CODES
    from exportcheck.screen.normalize import fold_text

    listed = {(e.list, fold_text(e.name)) for e in full_screener.entries}
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    dead = [(r["list"], r["english_name"]) for r in rows
            if not any((code, fold_text(r["english_name"])) in listed
                       for code in LIST_CODES[r["list"]])]
    assert not dead
