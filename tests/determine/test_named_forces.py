"""An end user whose name is a national armed force is a military end user (744.21(g)), in
the scalar and the batch path alike, whatever end-user type the order line states."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from exportcheck import determine
from exportcheck.determine.batch import determine_frame
from exportcheck.determine.parties import armed_force_name
from exportcheck.models import Outcome

NAMES = {
    "People's Liberation Army": True,
    "PLA Rocket Force Unit 96711": True,
    "Ministry of National Defense": True,
    "中国人民解放军海军": True,
    "國防部軍備局": True,
    # 744.21(g) names more than the army: garrisons and units, the command above them, the
    # coast guard, national police and intelligence services, in their own languages
    "PLA Hong Kong Garrison": True,
    "中國人民解放軍駐香港部隊": True,
    "驻港部队": True,
    "PLA Unit 61398": True,
    "PLAAF": True,
    "PLARF Base 61": True,
    "Hong Kong Garrison": True,
    "The Macao Garrison": True,
    "PLAN": False,  # also the word "plan": "MASTER PLAN LTD"
    "MASTER PLAN LTD": False,
    "61398部队": True,
    "Central Military Commission Equipment Development Department": True,
    "中央军委装备发展部": True,
    "China Coast Guard": True,
    "中国海警局": True,
    "Ministry of Public Security of the PRC": True,
    "公安部第三研究所": True,
    "Ministry of State Security": True,
    "武警部队": True,
    "Министерство обороны Российской Федерации": True,
    "Rosgvardia": True,
    "Guardia Nacional Bolivariana": True,
    "Tatmadaw": True,
    # military words alone name shops, piers and clubs too: a review note, not a decision
    "Hong Kong Garrison Navy Depot": False,
    "Old Navy (Shanghai) Trading Co": False,
    "Shenzhen PLA Filament Co": False,
    "Salvation Army Hong Kong": False,
    "Acme Trading Ltd": False,
    "Hong Kong Police Force": False,  # a regional police, not national: a note
    "上海公安部件有限公司": False,  # "public-security parts", no ministry
    "将军澳贸易有限公司": False,  # Tseung Kwan O, a Hong Kong district
    "威武警示灯有限公司": False,  # "mighty warning lights"
    "广州市公安局": False,  # a city's police bureau: a note
    "Grupo Sebinco": False,
}


@pytest.mark.parametrize(("name", "force"), NAMES.items())
def test_armed_force_names(name: str, force: bool) -> None:
    assert (armed_force_name(name) is not None) is force


def test_named_force_triggers_the_military_end_user_rule() -> None:
    # 3A991 is in Supp. 2 to Part 744 from 29 Jun 2020 (85 FR 23459); the line says "civil"
    d = determine("3A991", "CN", date(2020, 6, 29), end_user="People's Liberation Army")
    assert d.outcome is Outcome.LICENSE_REQUIRED and "MEU" in d.reasons
    step = next(s for s in d.trace if s.rule == "End-user type")
    assert "744.21(g)" in step.citation and "not civil as stated" in step.detail
    plain = determine("3A991", "CN", date(2020, 6, 29), end_user="Old Navy (Shanghai) Trading Co")
    assert plain.outcome is Outcome.NLR
    note = next(s for s in plain.trace if s.rule == "End-user type")
    assert not note.fired and "'Navy'" in note.detail and "as stated" in note.detail


def test_batch_agrees_with_the_scalar_path_when_names_share_list_hits() -> None:
    # the batch path decides once per screening result: a force's name must not lend its
    # answer to a listed company it shares hits with, whatever the row order
    from exportcheck.screen import Screener

    screener = Screener.from_samples()
    listed = "Centre Bright Electronics Company Limited"
    names = [listed, f"{listed} PLA Navy", f"{listed} Navy"]
    for order in (names, names[::-1]):
        df = pl.DataFrame(
            {
                "item": ["3A991"] * 3,
                "destination": ["HK"] * 3,
                "date": ["2021-01-15"] * 3,
                "end_user": order,
            }
        )
        got = determine_frame(df, screener=screener).select("outcome", "reasons").rows()
        want = [
            (d.outcome.value, ",".join(d.reasons))
            for d in (
                determine("3A991", "HK", date(2021, 1, 15), end_user=n, screener=screener)
                for n in order
            )
        ]
        assert got == want


def test_batch_agrees_with_the_scalar_path() -> None:
    names = list(NAMES)
    df = pl.DataFrame(
        {
            "item": ["3A991"] * len(names),
            "destination": ["CN"] * len(names),
            "date": ["2020-06-29"] * len(names),
            "end_user": names,
        }
    )
    got = determine_frame(df, screener=None)["outcome"].to_list()
    want = [
        determine("3A991", "CN", date(2020, 6, 29), end_user=n, screener=None).outcome.value
        for n in names
    ]
    assert got == want
    assert got.count("LICENSE_REQUIRED") == sum(NAMES.values())


@pytest.mark.parametrize("name", ["中國人民解放軍駐香港部隊", "PLA Hong Kong Garrison"])
def test_the_hong_kong_garrison_is_a_military_end_user_from_23_december_2020(name: str) -> None:
    # Hong Kong takes China's 744.21 rule on 23 Dec 2020 (85 FR 83765: events/hong_kong_2020);
    # the order line says "civil"
    before = determine("3A991", "HK", date(2020, 12, 22), end_user=name)
    after = determine("3A991", "HK", date(2020, 12, 23), end_user=name)
    assert "MEU" not in before.reasons
    assert after.outcome is Outcome.LICENSE_REQUIRED and "MEU" in after.reasons
    step = next(s for s in after.trace if s.rule == "End-user type")
    assert step.fired and "744.21(g)" in step.citation


def test_a_police_word_alone_is_a_note_not_an_answer() -> None:
    d = determine("3A991", "CN", date(2021, 1, 15), end_user="广州市公安局")
    assert d.outcome is Outcome.NLR
    note = next(s for s in d.trace if s.rule == "End-user type")
    assert not note.fired and "'公安'" in note.detail


@pytest.mark.parametrize("locale", ["zh_CN", "zh_TW", "ru_RU", "es_MX", "es_ES", "en_US"])
def test_ordinary_companies_and_people_are_no_armed_force(locale: str) -> None:
    # the recognizer decides an answer without a person: it must not fire on ordinary names
    # (Chinese has no spaces, so 军, 警 or 公安 inside a firm's name must not be enough)
    from faker import Faker

    fake = Faker(locale)
    fake.seed_instance(2026)
    names = [fake.company() for _ in range(2000)] + [fake.name() for _ in range(2000)]
    # Faker's Russian firms are real ones: "Охрана Росгвардии" is the national guard's own
    # guarding enterprise, rightly a military end user
    assert {n for n in names if armed_force_name(n)} <= {"Охрана Росгвардии"}
