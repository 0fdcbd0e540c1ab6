"""Chinese names of listed Chinese entities the curated table lacked (session 36 review).

The Military End-User list, the Entity List and the SDN list print Chinese entities in English
only, often under brands, translations or initials ("AVIC Flight Automatic Control Research
Institute (FACRI)", "Wuhan Raycus Fiber Laser Technologies", "HWA Create"). Their own Chinese
names (中国航空工业集团公司西安飞行自动控制研究所, 武汉锐科光纤激光技术股份有限公司,
北京华力创通科技股份有限公司, 长光卫星技术股份有限公司) found nothing, a partial hit on a
parent or sister company, or only a "full" reading of the English words or of a pinyin alias:
never the listed entry exactly with the source of the name cited. Each name below is a row of
``chinese_entity_names.csv`` with the source it comes from; every check fails on the table as
it was before."""

from __future__ import annotations

import csv

import pytest

from exportcheck.screen import Screener
from exportcheck.screen.chinese import simplified
from exportcheck.screen.chinese_names import TABLE_PATH
from tests.screen.table_names import assert_table_hit

CASES = [
    # Military End-User list: AVIC, AECC, CASC and CASIC companies and institutes
    ("中国航空工业集团公司西安飞行自动控制研究所", "MEU",
     "AVIC Flight Automatic Control Research Institute (FACRI)"),
    ("西安飞行自动控制研究所", "MEU", "AVIC Flight Automatic Control Research Institute (FACRI)"),
    ("北京航空材料研究院股份有限公司", "MEU", "Baimtec Material Co., Ltd."),
    ("中国航空工业标准件制造有限责任公司", "MEU", "China Aviation Ind. Std. Parts"),
    ("广州航新航空科技股份有限公司", "MEU", "Guangzhou Hangxin Aviation Technology Co., Ltd."),
    ("贵州黎阳国际制造有限公司", "MEU", "Guizhou Liyang Intl Manufacturing Co Ltd."),
    ("杭州轴承试验研究中心有限公司", "MEU", "Hangzhou Bearing Test & Research Center Co., Ltd."),
    ("河南航天精工制造有限公司", "MEU", "Henan Aerospace Precision Mach"),
    ("陕西航空电气有限责任公司", "MEU", "Shaanxi Aero Electric Co., Ltd."),
    ("陕西飞机工业有限责任公司", "MEU", "Shaanxi Aircaft Industry Co., Ltd."),
    ("上海航天设备制造总厂有限公司", "MEU", "Shanghai Aerospace Equip. Man."),
    ("上海航天设备制造总厂", "MEU", "Shanghai Aerospace Equip. Man."),
    ("無錫派克新材料科技股份有限公司", "MEU", "Wuxi Paike New Mat. Tech. Co., Ltd."),
    ("宜宾三江机械有限责任公司", "MEU", "Yibin Sanjiang Machine Co., Ltd."),
    ("中国航空工业集团公司金城南京机电液压工程研究中心", "MEU",
     "Nanjing Engineering Institute of Aircraft Systems (NEIAS)"),
    ("军事医学科学院毒物分析实验室", "MEU",
     "Laboratory of Toxicant Analysis, Institute of Pharmacology and Toxicology"),
    ("中航通飞华南飞机工业有限公司", "MEU", "AVIC General Aircraft Huanan Industry Co. Ltd."),
    # Entity List: research institutes, academies and companies named by brands, translations
    # or initials
    ("中国航空工业集团公司济南特种结构研究所", "EL",
     "AVIC Research Institute for Special Structures of Aeronautical Composites"),
    ("中国人民解放军军事医学科学院野战输血研究所", "EL",
     "Academy of Military Medical Sciences, Field Blood Transfusion Institution"),
    ("中国人民解放军军事医学科学院卫生学环境医学研究所", "EL",
     "Academy of Military Medical Sciences, Institute of Hygiene and Environmental Medicine"),
    ("军事医学科学院卫生学环境医学研究所", "EL",
     "Academy of Military Medical Sciences, Institute of Hygiene and Environmental Medicine"),
    ("中国人民解放军军事医学科学院卫生装备研究所", "EL",
     "Academy of Military Medical Sciences, Institute of Medical Equipment"),
    ("成都精密光学工程研究中心", "EL", "Chengdu Fine Optical Engineering Research Center"),
    ("中国航天科技集团有限公司", "EL", "China Aerospace Science and Technology Corporation (CASC)"),
    ("河北博威集成电路有限公司", "EL",
     "China Electronics Technology Group Corporation 13th Research Institute (CETC 13). "
     "Subordinate Institution - Bowei Integrated Circuits"),
    ("河北美泰电子科技有限公司", "EL",
     "China Electronics Technology Group Corporation 13th Research Institute (CETC 13). "
     "Subordinate Institution - MT Microsystems"),
    ("中电科电子装备集团有限公司", "EL",
     "China Electronics Technology Group Corporation Electronic Equipment Group Co., Ltd."),
    ("中国船舶集团有限公司系统工程研究院", "EL",
     "China State Shipbuilding Corp.-Systems Engineering Research Institute"),
    ("中国船舶集团有限公司第七一八研究所", "EL",
     "China State Shipbuilding Corporation, Limited (CSSC) 718th Research Institute"),
    ("中船重工第七一八研究所", "EL",
     "China State Shipbuilding Corporation, Limited (CSSC) 718th Research Institute"),
    ("中国船舶重工集团公司七五〇试验场", "EL",
     "China State Shipbuilding Corporation, Limited (CSSC) 750th Test Center"),
    ("今创集团股份有限公司", "EL", "KTK Group"),
    ("睿励科学仪器(上海)有限公司", "EL", "Raintree Scientific Instruments (Shanghai) Corporation"),
    ("量子科技长三角产业创新中心", "EL",
     "Quantum Science and Technology Yangtze River Delta Industrial Innovation Center"),
    ("三亚海兰寰宇海洋信息科技有限公司", "EL",
     "Sanya Highlander Huanyu Ocean Information Technology Corporation"),
    ("亚光科技集团股份有限公司", "EL", "Yaguang Technology Group Co., Ltd."),
    ("亚光科技", "EL", "Yaguang Technology Group Co., Ltd."),
    ("太阳鸟游艇股份有限公司", "EL", "Yaguang Technology Group Co., Ltd."),
    ("武汉锐科光纤激光技术股份有限公司", "EL", "Wuhan Raycus Fiber Laser Technologies Co., Ltd."),
    ("锐科激光", "EL", "Wuhan Raycus Fiber Laser Technologies Co., Ltd."),
    ("北京奇虎科技有限公司", "EL", "Qihoo 360 Technology Company"),
    ("奇虎360", "EL", "Qihoo 360 Technology Company"),
    ("合肥北方华创微电子装备有限公司", "EL", "Hefei Naura Microelectronics Equipment Co., Ltd."),
    ("江苏南大光电材料股份有限公司", "EL", "Jiangsu Nata Optoelectronic Material Co., Ltd."),
    ("南大光电", "EL", "Jiangsu Nata Optoelectronic Material Co., Ltd."),
    ("上海至纯洁净系统科技股份有限公司", "EL",
     "Shanghai Zhichun Purification System Technology Co., Ltd."),
    ("至纯科技", "EL", "Shanghai Zhichun Purification System Technology Co., Ltd."),
    ("珠海航宇微科技股份有限公司", "EL", "Zhuhai Orbita Control Systems"),
    ("珠海欧比特宇航科技股份有限公司", "EL", "Zhuhai Orbita Control Systems"),
    ("珠海歐比特宇航科技股份有限公司", "EL", "Zhuhai Orbita Control Systems"),
    ("南京莱斯信息技术股份有限公司", "EL", "Nanjing LES Information Technology Co., Ltd."),
    ("莱斯信息", "EL", "Nanjing LES Information Technology Co., Ltd."),
    ("中国航发哈尔滨轴承有限公司", "EL", "China Aviation Development Harbin Bearing Co., Ltd"),
    ("中航哈尔滨轴承有限公司", "EL", "China Aviation Development Harbin Bearing Co., Ltd"),
    ("青岛算能科技有限公司", "EL", "Qingdao Sophgo Technology Co., Ltd."),
    ("重庆川东船舶重工有限责任公司", "EL", "Chongqing Chuandong Shipbuilding Industry Co Ltd."),
    ("上海复控华龙微系统技术有限公司", "EL",
     "Shanghai Fukong Hualong Microsystem Technology Co., Ltd."),
    ("寒武纪（昆山）信息科技有限公司", "EL",
     "Cambricon (Kunshan) Information Technology Co., Ltd."),
    ("寒武纪(西安)集成电路有限公司", "EL", "Cambricon (Xi’an) Integrated Circuit Co., Ltd."),
    ("北京七星华创集成电路装备有限公司", "EL",
     "Beijing Sevenstar Integrated Circuit Equipment Co., Ltd."),
    ("上海北方华创微电子装备有限公司", "EL", "Shanghai Naura Microelectronics Equipment Co., Ltd."),
    ("无锡北方华创微电子装备有限公司", "EL", "Wuxi Naura Microelectronics Equipment Co., Ltd."),
    ("武汉北方华创微电子装备有限公司", "EL", "Wuhan Naura Microelectronics Equipment Co., Ltd."),
    ("深圳北方华创微电子装备有限公司", "EL", "Shenzhen Naura Microelectronics Equipment Co., Ltd."),
    ("生工生物工程（上海）股份有限公司", "EL", "Sangon Biotech (Shanghai) Co., Ltd."),
    ("苏州盛科通信股份有限公司", "EL", "Suzhou Centec Communications Co., Ltd"),
    ("天津七六四通信导航技术有限公司", "EL",
     "Tianjin 764 Communication and Navigation Technology Co., Ltd."),
    ("北京华力创通科技股份有限公司", "EL", "HWA Create"),
    ("广州通光通信技术有限公司", "EL",
     "Guangzhou Tongguang Communication Technology Co., Ltd. (a subordinate institute of CETC-7)"),
    ("北京和德宇航技术有限公司", "EL", "China HEAD Aerospace Technology Co."),
    ("合肥博微田村电气有限公司", "EL", "Hefei ECU-TAMURA Electric"),
    ("天津微纳制造技术有限公司", "EL", "Tianjin Micro Nano Manufacturing (MNMT)"),
    ("上海航芯", "EL", "Shanghai Aisinochip Electronics Technology Co., Ltd."),
    ("哈尔滨航天恒星数据系统科技有限公司", "EL",
     "Harbin Aerospace Star Data System Technology Co., Ltd."),
    ("中船重工鹏力（南京）超低温技术有限公司", "EL",
     "CSIC Pride (Nanjing) Cryogenic Technology Co., Ltd."),
    ("同方锐安科技有限公司", "EL", "Tongfang R.I.A. Co., Ltd."),
    ("西安恒达微波技术开发有限公司", "EL",
     "Xi’an Hengda Microwave Technology Development Co., Ltd."),
    ("成都雷电微力科技股份有限公司", "EL", "Chengdu RML Technology Co., Ltd."),
    ("摩尔线程智能科技（成都）有限责任公司", "EL",
     "Moore Thread Intelligent Technology (Chengdu) Co., Ltd."),
    ("北京飞斯科科技有限公司", "EL", "Physike Technology Co., Ltd."),
    ("北京飞斯科", "EL", "Physike Technology Co., Ltd."),
    ("重庆航伟光电", "EL", "Associated Opto-electronics (Chongqing) Co., Ltd."),
    ("赛澔(上海)仪器", "EL", "Scikro (Shanghai) Instrument Co., Ltd."),
    ("深圳市昇维旭技术有限公司", "EL", "SwaySure Technology Co., Ltd."),
    ("北京算能科技有限公司", "EL", "Sophgo Technologies Ltd."),
    ("上海爱信诺航芯电子科技有限公司", "EL",
     "Shanghai Aisinochip Electronics Technology Co., Ltd."),
    ("中电科芯片技术（集团）有限公司", "EL", "CETC Chip Technology Co., Ltd."),
    ("河北远东通信系统工程有限公司", "EL", "Hebei Far East Communication System Engineering"),
    ("北京欧唐科技发展有限公司", "EL", "Opturn Co., Ltd."),
    ("寒武纪(香港)有限公司", "EL", "Cambricon (Hong Kong) Co., Ltd."),
    ("寒武紀（香港）有限公司", "EL", "Cambricon (Hong Kong) Co., Ltd."),
    ("寒武纪(南京)信息科技有限公司", "EL", "Cambricon (Nanjing) Information Technology Co., Ltd."),
    ("寒武纪行歌(南京)科技有限公司", "EL", "Cambricon Jixingge (Nanjing) Technology Co., Ltd."),
    ("寒武纪行歌", "EL", "Cambricon Jixingge (Nanjing) Technology Co., Ltd."),
    ("成都申威", "EL", "Sunway Microelectronics"),
    ("军事医学科学院卫生勤务与医学情报研究所", "EL",
     "Academy of Military Medical Sciences, Institute of Health Service and Medical Information"),
    ("成都申威科技有限责任公司", "EL", "Sunway Microelectronics"),
    ("宁波南大光电材料有限公司", "EL", "Ningbo Nanda Optoelectronic Materials Ltd."),
    ("成都华日通讯技术股份有限公司", "EL", "Chengdu Day Communication Technology Co., Ltd."),
    ("北京富吉瑞光电科技有限公司", "EL", "Beijing FJR Optoelectronic Technology Company Ltd"),
    ("富吉瑞", "EL", "Beijing FJR Optoelectronic Technology Company Ltd"),
    ("中国科学器材有限公司", "EL", "China National Scientific Instruments and Materials (CNSIM)"),
    ("安世亚太科技股份有限公司", "EL", "Pera Global"),
    ("中国华腾工业有限公司", "EL", "China Volant Industry"),
    ("天利航空科技深圳有限公司", "EL", "China Taly Aviation Technologies Corporation"),
    ("北京天圣华信息技术有限责任公司", "EL", "Beijing Transemic Information Technology Ltd."),
    ("苏州高泰电子技术股份有限公司", "EL", "Suzhou SIP Hi-Tech Precision Electronics Co., Ltd."),
    ("成都海威华芯科技有限公司", "EL", "Chengdu GaStone Technology Co., Ltd. (CGTC)"),
    ("全椒南大光电材料有限公司", "EL", "Quanjiao Nanda Optoelectronic Materials Ltd."),
    ("中核北方核燃料元件有限公司", "EL",
     "Baotou Guanghua Chemical Industrial Corporation (Parent Organization: China National "
     "Nuclear Group Corporation (CNNC))"),
    ("特易通", "EL", "TYT Electronics Co. Ltd."),
    # SDN list: cyber, satellite imagery, Iranian oil, Russia supply, the CMC's equipment
    # department
    ("长光卫星技术股份有限公司", "SDN", "CHANG GUANG SATELLITE TECHNOLOGY CO., LTD."),
    ("长光卫星", "SDN", "CHANG GUANG SATELLITE TECHNOLOGY CO., LTD."),
    ("北京永信至诚科技集团股份有限公司", "SDN", "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"),
    ("永信至诚", "SDN", "INTEGRITY TECHNOLOGY GROUP, INCORPORATED"),
    ("四川无声信息技术有限公司", "SDN", "SICHUAN SILENCE INFORMATION TECHNOLOGY COMPANY, LIMITED"),
    ("黄岛检验认证有限公司", "SDN", "HUANGDAO INSPECTION AND CERTIFICATION CO., LTD"),
    ("青岛联润国际船舶代理有限公司", "SDN",
     "QINGDAO LINKRICH INTERNATIONAL SHIPPING AGENCY CO., LTD"),
    ("青岛港海业董家口油品有限公司", "SDN", "QINGDAO PORT HAIYE DONGJIAKOU OIL PRODUCTS CO., LTD"),
    ("洋山申港国际石油储运有限公司", "SDN",
     "YANGSHAN SHENGANG INTERNATIONAL PETROLEUM STORAGE AND TRANSPORTATION CO., LTD"),
    ("广州金升阳科技有限公司", "SDN", "MORNSUN GUANGZHOU SCIENCE AND TECHNOLOGY CO LTD"),
    ("安阳锻压数控设备有限公司", "SDN", "ANYANG FORGING PRESS NUMERICAL CONTROL EQUIPMENT CO LTD"),
    ("蓬莱巨涛海洋工程重工有限公司", "SDN",
     "PENGLAI JUTAL OFFSHORE ENGINEERING HEAVY INDUSTRIES CO LTD"),
    ("中央军委装备发展部", "SDN", "EQUIPMENT DEVELOPMENT DEPARTMENT"),
    ("中央军事委员会装备发展部", "SDN", "EQUIPMENT DEVELOPMENT DEPARTMENT"),
    ("北京和德宇航技术有限公司", "SDN", "CHINA HEAD AEROSPACE TECHNOLOGY COMPANY"),
    ("山东胜星化工有限公司", "SDN", "SHANDONG SHENGXING CHEMICAL CO., LTD."),
    ("河北鑫海化工集团有限公司", "SDN", "HEBEI XINHAI CHEMICAL GROUP CO., LTD."),
    ("丹东鸿祥实业发展有限公司", "SDN", "DANDONG HONGXIANG INDUSTRIAL DEVELOPMENT CO LTD"),
    ("武汉远成共创科技有限公司", "SDN", "WUHAN YUANCHENG GONGCHUANG TECHNOLOGY CO., LTD."),
    ("开封平煤新型炭材料科技有限公司", "SDN",
     "KAIFENG PINGMEI NEW CARBON MATERIALS TECHNOLOGY CO., LTD."),
    ("永宏安貿易有限公司", "SDN", "YONGHONGAN TRADE LIMITED"),
    ("保利科技有限公司", "SDN", "POLY TECHNOLOGIES INCORPORATED"),
]


@pytest.mark.parametrize(("query", "list_code", "english"), CASES)
def test_the_chinese_name_finds_its_listed_entry_exactly(
        full_screener: Screener, query: str, list_code: str, english: str) -> None:
    assert_table_hit(full_screener, query, list_code, english)


def test_each_name_is_a_cited_and_checked_row_of_its_entry() -> None:
    """Every query is a row's name (written in traditional characters or with full-width
    brackets, as documents write them, for a few), with a source and a check."""
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        rows = {(r["list"], r["english_name"], r["chinese_name"]): r for r in csv.DictReader(fh)}
    for query, list_code, english in CASES:
        written = simplified(query.replace("（", "(").replace("）", ")"))
        row = rows.get((list_code, english, query)) or rows[(list_code, english, written)]
        assert row["source"] and row["checked"].startswith("yes: "), row
