"""Urban districts of other cities, as US list addresses name them (review 41).

Review 40 taught the glossary the urban districts of the six largest cities; the CSL (2026-07,
lists/csl/csl.csv, addresses) also names districts of Changsha (Kaifu District: NUDT), Xi'an
(Yanliang District: Xi'an Aircraft), Hangzhou (Binjiang District: Hikvision), Chengdu,
Qingdao, Shenyang, Zhuhai ... A name such as 长沙市开福区金星电子 was read as Changsha and one
proper name "kaifuqujinxing", so the company written "Changsha Jinxing Electronics" scored 80.
Districts whose name is also an ordinary word, or sits inside one, are left out: 玄武 (Nanjing;
玄武岩 basalt), 东洲 (Fushun; 远东 Far East + 洲际 intercontinental), 大东 (Shenyang; 大东方),
福山 (Yantai; 幸福 happiness + 山), 元宝 (Dandong; 元宝山 is another district), 青山, 金牛,
盘龙, 平房, 小河 (green hills, golden bull, coiled dragon, bungalow, brook). The companies
below are made up."""

from __future__ import annotations

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry
from exportcheck.screen.han_orgs import glossary, segment
from tests.screen.made_up import found, screener_of


def _entry(entry_id: str, name: str) -> ListEntry:
    return ListEntry(list="EL", entry_id=entry_id, kind="entity", countries=["CN"], name=name)


ENTRIES = [
    _entry("jinxing", "Changsha Jinxing Electronics Co., Ltd."),
    _entry("haorui", "Hangzhou Haorui Technology Co., Ltd."),
    _entry("tianyu", "Xi'an Tianyu Aviation Technology Co., Ltd."),
    _entry("ruida", "Chengdu Ruida Electronic Technology Co., Ltd."),
    _entry("hengtong", "Qingdao Hengtong Trading Co., Ltd."),
]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return screener_of(ENTRIES)


def _texts(name: str) -> list[str]:
    return [s.text for s in segment(name)]


@pytest.mark.parametrize(("query", "entry_id"), [
    ("长沙市开福区金星电子有限公司", "jinxing"),  # each was 80 before
    ("长沙市岳麓区金星电子有限公司", "jinxing"),
    ("杭州市滨江区浩瑞科技有限公司", "haorui"),
    ("杭州市西湖区浩瑞科技有限公司", "haorui"),
    ("西安市阎良区天宇航空科技有限公司", "tianyu"),
    ("西安市未央区天宇航空科技有限公司", "tianyu"),
    ("成都市双流区瑞达电子科技有限公司", "ruida"),
    ("成都市青羊区瑞达电子科技有限公司", "ruida"),
    ("青岛市崂山区恒通贸易有限公司", "hengtong"),
    ("青岛市即墨区恒通贸易有限公司", "hengtong"),
])
def test_city_district_and_proper_name_find_the_company(screener: Screener, query: str,
                                                        entry_id: str) -> None:
    assert entry_id in found(screener, query)


@pytest.mark.parametrize("query", [
    "长沙市岳麓区银河电子有限公司",        # another district, another proper name
    "杭州市西湖区浩天科技有限公司",
    "青岛市崂山区恒达贸易有限公司",
    "成都市青羊区瑞丰电子科技有限公司",
    "西安市未央区瑞达电子科技有限公司",    # Chengdu's trade name in a district of Xi'an
])
def test_another_district_with_another_proper_name_is_no_hit(screener: Screener,
                                                             query: str) -> None:
    assert found(screener, query) == set()


@pytest.mark.parametrize(("name", "expected"), [
    ("长沙市开福区金星电子有限公司", ["长沙", "开福", "金星", "电子", "有限公司"]),
    ("沈阳市皇姑区金星电子有限公司", ["沈阳", "皇姑", "金星", "电子", "有限公司"]),
    ("大庆市让胡路区恒通贸易有限公司", ["大庆", "让胡路", "恒通", "贸易", "有限公司"]),
    ("南昌市青云谱区恒通贸易有限公司", ["南昌", "青云谱", "恒通", "贸易", "有限公司"]),
    ("广州市萝岗区瑞达电子科技有限公司", ["广州", "萝岗", "瑞达", "电子", "科技", "有限公司"]),
    # 东西湖 (Wuhan) is a district of its own, not 东 + 西湖 (Hangzhou)
    ("武汉市东西湖区恒通贸易有限公司", ["武汉", "东西湖", "恒通", "贸易", "有限公司"]),
])
def test_new_districts_are_read_as_places(name: str, expected: list[str]) -> None:
    assert _texts(name) == expected


@pytest.mark.parametrize(("name", "left_out", "word"), [
    ("四川航天拓鑫玄武岩实业有限公司", "玄武", "玄武岩"),     # basalt
    ("远东洲际贸易有限公司", "东洲", "远东洲际"),             # Far East, intercontinental
    ("大东方股份有限公司", "大东", "东方"),                   # not 大东 + 方
    ("幸福山庄酒店有限公司", "福山", "幸福"),                 # happiness
    ("赤峰市元宝山区恒通贸易有限公司", "元宝", "元宝山"),     # a district of Chifeng
    ("青山控股集团有限公司", "青山", "青山"),                 # a trade name, read as pinyin
    ("金牛座科技有限公司", "金牛", "金牛座"),                 # Taurus
])
def test_a_word_holding_a_left_out_district_is_not_split(name: str, left_out: str,
                                                         word: str) -> None:
    segs = segment(name)
    assert left_out not in glossary()
    assert not any(s.word is not None and s.text == left_out for s in segs)
    assert any(word in s.text for s in segs)


@pytest.mark.parametrize(("han", "english", "code"), [
    ("开福", "Kaifu", "430105"), ("岳麓", "Yuelu", "430104"), ("芦淞", "Lusong", "430203"),
    ("江夏", "Jiangxia", "420115"), ("樊城", "Fancheng", "420606"),
    ("阎良", "Yanliang", "610114"), ("灞桥", "Baqiao", "610111"), ("未央", "Weiyang", "610112"),
    ("滨江", "Binjiang", "330108"), ("西湖", "Xihu", "330106"), ("北仑", "Beilun", "330206"),
    ("滨湖", "Binhu", "320211"), ("港闸", "Gangzha", "320611"),
    ("青羊", "Qingyang", "510105"), ("双流", "Shuangliu", "510116"),
    ("皇姑", "Huanggu", "210105"), ("新抚", "Xinfu", "210402"), ("西岗", "Xigang", "210203"),
    ("让胡路", "Ranghulu", "230604"), ("崂山", "Laoshan", "370212"), ("即墨", "Jimo", "370215"),
    ("芝罘", "Zhifu", "370602"), ("青云谱", "Qingyunpu", "360104"), ("鲤城", "Licheng", "350502"),
    ("乌当", "Wudang", "520112"), ("香洲", "Xiangzhou", "440402"), ("金湾", "Jinwan", "440404"),
    ("萝岗", "Luogang", "440116"), ("东西湖", "Dongxihu", "420112"),
])
def test_districts_are_cited_places_with_their_code(han: str, english: str, code: str) -> None:
    word = glossary()[han]
    assert word.kind == "place" and english in word.english
    assert f"GB/T 2260: {code} {han}区" in word.source
