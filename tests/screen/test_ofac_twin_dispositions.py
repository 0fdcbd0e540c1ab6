"""OFAC numbers a party once across its lists: SDN 29249 and the NS-MBS copy 29249 are both
Carrie Lam. Clearing one copy left the other holding the line (the analyst had to clear her
twice); a decision recorded for one copy now answers for the other."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from exportcheck import determine
from exportcheck.db import get_engine
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR

NS_MBS = ("csl-99903,Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department,"
          "29249,Individual,HKAA,Carrie Lam,,HK,,,,,,,,,,,,,,"
          "https://sanctionslist.ofac.treas.gov/Home/ConsolidatedList,"
          "Yuet-ngor Lam Cheng,,,,,,\n")


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    lists = tmp_path / "lists"
    shutil.copytree(SAMPLES_DIR, lists)
    with (lists / "consolidated.csv").open("a", encoding="utf-8") as fh:
        fh.write(NS_MBS)
    eng = get_engine(f"sqlite:///{tmp_path / 'twin.db'}")
    store.load_lists([lists], engine=eng, user="test")
    return eng


def _keys(engine: Engine) -> set[tuple[str, str]]:
    return {(h.list, h.entry_id) for h in store.load_screener(engine).screen(
        "Carrie Lam", country="DE")}


def test_clearing_the_sdn_copy_clears_the_non_sdn_copy(engine: Engine) -> None:
    assert {("SDN", "29249"), ("NONSDN", "29249")} <= _keys(engine)
    store.record_disposition("Carrie Lam", "SDN", "29249", user="officer", country="DE",
                             reason="a German namesake, born 1990", engine=engine)
    assert not {("SDN", "29249"), ("NONSDN", "29249")} & _keys(engine)
    hits = store.load_screener(engine).screen("Carrie Lam", country="DE",
                                              include_suppressed=True)
    twin = next(h for h in hits if (h.list, h.entry_id) == ("NONSDN", "29249"))
    assert "(for SDN 29249, the same OFAC entry)" in (twin.suppressed_by or "")
    d = determine("EAR99", "DE", date(2024, 1, 1), end_user="Carrie Lam",
                  screener=store.load_screener(engine))
    assert not d.hold and d.outcome.value == "NLR"


def test_the_later_decision_of_the_two_copies_wins(engine: Engine) -> None:
    store.record_disposition("Carrie Lam", "NONSDN", "29249", user="officer", country="DE",
                             reason="namesake", decided_on=date(2024, 1, 1), engine=engine)
    store.record_disposition("Carrie Lam", "SDN", "29249", user="officer", country="DE",
                             reason="it is her after all", decision="confirmed",
                             decided_on=date(2024, 2, 1), engine=engine)
    screener = store.load_screener(engine)
    assert ("NONSDN", "29249") in _keys(engine)  # the later confirmation un-suppresses it
    disp = screener.recorded_decision("Carrie Lam", "NONSDN", "29249", country="DE")
    assert disp is not None and disp.decision == "confirmed"
    d = determine("EAR99", "DE", date(2024, 3, 1), end_user="Carrie Lam", screener=screener)
    assert d.outcome.value == "PROHIBITED" and not d.hold


def test_another_number_is_another_party(engine: Engine) -> None:
    store.record_disposition("Carrie Lam", "SDN", "29249", user="officer", country="DE",
                             reason="namesake", engine=engine)
    screener = store.load_screener(engine)
    assert screener.recorded_decision("Carrie Lam", "NONSDN", "29250", country="DE") is None
    assert screener.recorded_decision("Carrie Lam", "EL", "29249", country="DE") is None
