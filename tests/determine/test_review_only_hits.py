"""A certain hit on a list that sets no licence requirement of its own (the UN list, the OFAC
non-SDN lists, ISN, MOFCOM) answered NLR with hold false and only a trace line "review before
shipping", while an uncertain hit on the same entry held the line: the stronger evidence
shipped, the weaker held. Now such a hit holds the line too, until an officer confirms it or
a binding hit (SDN, Entity List ...) decides for the same party."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exportcheck import determine
from exportcheck.db import get_engine
from exportcheck.screen import Screener, store
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.service import SAMPLES_DIR

ON = date(2026, 11, 1)


def _screener(*entries: ListEntry) -> Screener:
    return Screener([ParsedList("test", list(entries), len(entries), "test")])


UN = ListEntry(list="UN", entry_id="QDi.190", name="ABDELKADER LAAGOUB", kind="person",
               source="un", countries=["MA"])
SDN = ListEntry(list="SDN", entry_id="9358", name="LAAGOUB, Abdelkader", kind="person",
                source="ofac-sdn", countries=["MA"])


def test_a_certain_un_hit_holds_the_line() -> None:
    d = determine("EAR99", "MA", ON, end_user="Abdelkader Laagoub", screener=_screener(UN))
    assert d.outcome.value == "NLR" and d.hold is True
    (m,) = d.party_matches
    assert (m.list, m.entry_id, m.match_kind) == ("UN", "QDi.190", "exact")
    assert "UN sets no licence requirement of its own" in m.why_held
    assert d.if_confirmed is not None and d.if_confirmed.outcome.value == "NLR"


def test_a_binding_hit_on_the_same_party_decides_without_a_hold() -> None:
    d = determine("EAR99", "MA", ON, end_user="Abdelkader Laagoub", screener=_screener(UN, SDN))
    assert d.outcome.value == "PROHIBITED" and d.hold is False and d.party_matches == []
    assert any(s.rule == "Screening hit on UN" and s.fired for s in d.trace)


def test_an_entity_list_hit_binds_an_ear_item_only() -> None:
    el = ListEntry(list="EL", entry_id="e1", name="Harbin Optics Works", kind="entity",
                   source="csl", countries=["CN"])
    ear = determine("EAR99", "CN", ON, end_user="Harbin Optics Works", screener=_screener(el))
    assert ear.outcome.value == "LICENSE_REQUIRED" and not ear.hold
    # for a USML article the Entity List sets no requirement of its own: a review holds it
    itar = determine("USML XII(c)", "CN", ON, end_user="Harbin Optics Works",
                     screener=_screener(el))
    assert itar.hold and itar.party_matches[0].list == "EL"


@pytest.fixture
def engine(tmp_path: Path):
    eng = get_engine(f"sqlite:///{tmp_path / 'review.db'}")
    store.load_lists([SAMPLES_DIR], engine=eng, user="test")
    return eng


def test_a_confirmation_records_the_review_and_resolves_the_hold(engine) -> None:
    before = determine("EAR99", "KP", ON, end_user="YUN HO-JIN",
                       screener=store.load_screener(engine))
    assert before.hold and ("UN", "KPi.001") in {(m.list, m.entry_id)
                                                  for m in before.party_matches}
    for m in before.party_matches:
        store.record_disposition("YUN HO-JIN", m.list, m.entry_id, user="officer", country="KP",
                                 reason="reviewed: the listed person", decision="confirmed",
                                 engine=engine)
    after = determine("EAR99", "KP", ON, end_user="YUN HO-JIN",
                      screener=store.load_screener(engine))
    assert not after.hold and after.outcome == before.outcome
    assert any(s.rule.startswith("Screening hit confirmed") for s in after.trace)


def test_the_match_says_it_is_the_listed_party() -> None:
    """A certain UN hit was labelled "Potential match" like a doubtful one (web QA pass)."""
    d = determine("EAR99", "MA", ON, end_user="Abdelkader Laagoub", screener=_screener(UN))
    assert d.party_matches[0].certain is True
    doubtful = determine("EAR99", "DE", ON, end_user="Abdelkader Laagoub",
                         screener=_screener(UN))
    assert doubtful.hold and doubtful.party_matches[0].certain is False
