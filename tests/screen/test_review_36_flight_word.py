"""飞行 is "Flight" (session 36 review).

The glossary lacked 飞行, so 西安飞行自动控制研究所 (AVIC's Flight Automatic Control Research
Institute, FACRI, on the MEU list) was read "feixing automatic control institute", and the
pinyin "feixing" matched "Beijing" fuzzily (0.71). With its country the query then reached 87.5
on CASC's Beijing Aerospace Automatic Control Institute, another institute on the Entity List,
and a determination for FACRI was held for review as a potential Entity List party."""

from __future__ import annotations

from exportcheck.screen import Screener
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.han_orgs import glossary

FACRI = ListEntry(list="MEU", entry_id="facri", kind="entity", countries=["CN"],
                  name="AVIC Flight Automatic Control Research Institute (FACRI)")
BICD = ListEntry(list="EL", entry_id="bicd", kind="entity", countries=["CN"],
                 name="China Aerospace Science and Technology Corporation (CASC) 1st Academy "
                      "12 Research Institute",
                 aliases=["Beijing Aerospace Automatic Control Institute (BICD)",
                          "12th Institute"])


def _screener(*entries: ListEntry) -> Screener:
    return Screener(lists=[ParsedList(source="t", entries=list(entries),
                                      row_count=len(entries), content_hash="t")])


def test_flight_is_a_glossary_word() -> None:
    assert glossary()["飞行"].english[0] == "Flight"


def test_facri_is_not_a_potential_match_of_another_institute() -> None:
    hits = _screener(FACRI, BICD).screen("西安飞行自动控制研究所", country="CN")
    assert [h.entry_id for h in hits] == ["facri"], [(h.entry_id, h.score) for h in hits]


def test_facri_read_in_english_finds_its_english_name() -> None:
    named = ListEntry(list="MEU", entry_id="f2", kind="entity", countries=["CN"],
                      name="Xi'an Flight Automatic Control Institute")
    hits = _screener(BICD, named).screen("西安飞行自动控制研究所")
    assert [h.entry_id for h in hits] == ["f2"] and hits[0].score >= 85
