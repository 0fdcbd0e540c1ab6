"""Chinese names of Entity List entries with brand or translated English names (session 36, b).

The Entity List names these mainland companies by brands, translations and initials
("Shanghai Naura Microelectronics Equipment Co., Ltd.", "SwaySure Technology Co., Ltd.",
"HWA Create", "Tongfang R.I.A. Co., Ltd."). Their own Chinese names (上海北方华创微电子装备有限公司,
深圳市昇维旭技术有限公司, 北京华力创通科技股份有限公司, 同方锐安科技有限公司) found nothing, or only
a pinyin alias at "full", never the entry exactly with a cited source."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

AISINOCHIP = "Shanghai Aisinochip Electronics Technology Co., Ltd."
PHYSIKE = "Physike Technology Co., Ltd."


@pytest.mark.parametrize(("query", "english"), [
    ("寒武纪（昆山）信息科技有限公司", "Cambricon (Kunshan) Information Technology Co., Ltd."),
    ("寒武纪(西安)集成电路有限公司", "Cambricon (Xi’an) Integrated Circuit Co., Ltd."),
    ("北京七星华创集成电路装备有限公司",
     "Beijing Sevenstar Integrated Circuit Equipment Co., Ltd."),
    ("上海北方华创微电子装备有限公司", "Shanghai Naura Microelectronics Equipment Co., Ltd."),
    ("无锡北方华创微电子装备有限公司", "Wuxi Naura Microelectronics Equipment Co., Ltd."),
    ("武汉北方华创微电子装备有限公司", "Wuhan Naura Microelectronics Equipment Co., Ltd."),
    ("深圳北方华创微电子装备有限公司", "Shenzhen Naura Microelectronics Equipment Co., Ltd."),
    ("生工生物工程（上海）股份有限公司", "Sangon Biotech (Shanghai) Co., Ltd."),
    ("苏州盛科通信股份有限公司", "Suzhou Centec Communications Co., Ltd"),
    ("天津七六四通信导航技术有限公司",
     "Tianjin 764 Communication and Navigation Technology Co., Ltd."),
    ("北京华力创通科技股份有限公司", "HWA Create"),
    ("广州通光通信技术有限公司",
     "Guangzhou Tongguang Communication Technology Co., Ltd. (a subordinate institute of CETC-7)"),
    ("北京和德宇航技术有限公司", "China HEAD Aerospace Technology Co."),
    ("合肥博微田村电气有限公司", "Hefei ECU-TAMURA Electric"),
    ("天津微纳制造技术有限公司", "Tianjin Micro Nano Manufacturing (MNMT)"),
    ("上海航芯", AISINOCHIP),
    ("哈尔滨航天恒星数据系统科技有限公司",
     "Harbin Aerospace Star Data System Technology Co., Ltd."),
    ("中船重工鹏力（南京）超低温技术有限公司",
     "CSIC Pride (Nanjing) Cryogenic Technology Co., Ltd."),
    ("同方锐安科技有限公司", "Tongfang R.I.A. Co., Ltd."),
    ("西安恒达微波技术开发有限公司", "Xi’an Hengda Microwave Technology Development Co., Ltd."),
    ("成都雷电微力科技股份有限公司", "Chengdu RML Technology Co., Ltd."),
    ("摩尔线程智能科技（成都）有限责任公司",
     "Moore Thread Intelligent Technology (Chengdu) Co., Ltd."),
    ("北京飞斯科科技有限公司", PHYSIKE),
    ("北京飞斯科", PHYSIKE),
    ("重庆航伟光电", "Associated Opto-electronics (Chongqing) Co., Ltd."),
    ("赛澔(上海)仪器", "Scikro (Shanghai) Instrument Co., Ltd."),
    # names a pinyin alias already found at "full", now exact through the table
    ("深圳市昇维旭技术有限公司", "SwaySure Technology Co., Ltd."),
    ("北京算能科技有限公司", "Sophgo Technologies Ltd."),
    ("上海爱信诺航芯电子科技有限公司", AISINOCHIP),
    ("中电科芯片技术（集团）有限公司", "CETC Chip Technology Co., Ltd."),
])
def test_the_chinese_name_finds_the_el_entry_exactly(
        full_screener: Screener, query: str, english: str) -> None:
    assert_table_hit(full_screener, query, "EL", english)


def test_new_el_rows_are_sourced_and_checked() -> None:
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["list"] == "EL"]
    new = [r for r in rows if r["english_name"] in (AISINOCHIP, PHYSIKE, "HWA Create")]
    assert {r["chinese_name"] for r in new} >= {
        "上海爱信诺航芯电子科技有限公司", "北京飞斯科科技有限公司", "北京华力创通科技股份有限公司"}
    assert all(r["source"] and r["checked"].startswith("yes: ") for r in new)
