"""Issue #11 point 3: a potential match holds the line; a certain one decides it.

Real screening on the bundled sample lists (``Screener.from_samples()``); dispositions go
through the store on a throwaway SQLite database holding the same sample lists.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from exportcheck import determine, determine_frame
from exportcheck.db import get_engine, session_factory
from exportcheck.errors import InvalidInput
from exportcheck.impact import impact
from exportcheck.screen import Screener, store
from exportcheck.screen.models import DispositionRow
from exportcheck.screen.service import SAMPLES_DIR

#: an Entity List entry of the samples (HK) and a name that only partly matches it
ACTEAM = ("EL", "f04aff3fcb77")
ACTEAM_PARTIAL = "ACTeam Logistics Hong Kong Ltd"
#: Carrie Lam, SDN 29249 (HK)
CARRIE = ("SDN", "29249")
ON = date(2020, 6, 29)  # 9A610.x to HK could use LVS that day


@pytest.fixture(scope="module")
def samples() -> Screener:
    return Screener.from_samples()


def _line(screener: object, end_user: str | None, **kw: object):
    return determine("9A610.x", "HK", ON, value=100, end_user=end_user,
                     screener=screener, **kw)  # type: ignore[arg-type]


def test_partial_hit_holds_the_line_and_says_what_confirmation_would_do(
        samples: Screener) -> None:
    plain = _line(None, None)
    d = _line(samples, ACTEAM_PARTIAL)
    # the outcome is computed without the potential match...
    assert d.hold is True
    assert (d.outcome, d.reasons) == (plain.outcome, plain.reasons)
    assert d.outcome.value == "EXCEPTION_AVAILABLE"
    # ...which is listed with its evidence...
    (m,) = d.party_matches
    assert (m.list, m.entry_id, m.role, m.match_kind) == (*ACTEAM, "end user", "partial")
    assert m.score >= 85 and m.explanation and "partial" in m.why_held
    # ...and the answer if it were confirmed: the Entity List licence, no exceptions
    ic = d.if_confirmed
    assert ic is not None and ic.outcome.value == "LICENSE_REQUIRED" and "EL" in ic.reasons
    assert "744.11" in (ic.citation or "") and ic.requirement.startswith("Entity List")
    assert "presumption of denial" in (ic.review_policy or "").lower()
    held = [s for s in d.trace if s.rule.startswith("HOLD")]
    assert held and held[0].fired and "LICENSE_REQUIRED" in held[0].detail
    doc = json.loads(d.model_dump_json())
    assert doc["hold"] is True and doc["party_matches"][0]["entry_id"] == ACTEAM[1]
    assert doc["if_confirmed"]["outcome"] == "LICENSE_REQUIRED"


def test_partial_sdn_hit_would_be_prohibited_if_confirmed(samples: Screener) -> None:
    d = determine("EAR99", "HK", date(2024, 1, 1), end_user="Carrie Lam Cheng",
                  screener=samples)
    assert d.hold and d.outcome.value != "PROHIBITED"
    assert (d.party_matches[0].list, d.party_matches[0].entry_id) == CARRIE
    assert d.if_confirmed.outcome.value == "PROHIBITED" and d.if_confirmed.agency.value == "OFAC"
    assert d.if_confirmed.citation == "31 CFR 585.201 (HK-EO13936)"  # its programme's part


def test_if_confirmed_is_the_strictest_candidate(tmp_path: Path) -> None:
    """Two held candidates: an Entity List entry with the exact name and an SDN entry spelt a
    little otherwise. The EL one scores higher and comes first, but confirming the SDN one
    would make the line PROHIBITED: that answer is the one shown."""
    lists = tmp_path / "lists"
    shutil.copytree(SAMPLES_DIR, lists)
    sdn = (lists / "sdn.csv").read_bytes()
    end = sdn.rfind(b"\x1a")  # OFAC's files end with an end-of-file mark
    row = (b'99901,"CHAN, Tai-mun","individual","HK-EO13936",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
           b"-0- ,-0- \r\n")
    (lists / "sdn.csv").write_bytes(sdn[:end] + row + sdn[end:])
    with (lists / "consolidated.csv").open("a", encoding="utf-8") as fh:
        fh.write("csl-99902,Entity List (EL) - Bureau of Industry and Security,,,,Chan Tai Man,,"
                 "GB,,,,,For all items subject to the EAR,Presumption of denial,,,,,,,,"
                 "https://www.bis.gov,,,,,,,\n")
    d = determine("EAR99", "DE", date(2024, 1, 15), end_user="Chan Tai Man",
                  screener=Screener.from_paths([lists]))
    assert d.hold and d.outcome.value == "NLR"
    assert [m.list for m in d.party_matches] == ["EL", "SDN"]
    assert d.party_matches[0].score > d.party_matches[1].score
    ic = d.if_confirmed
    assert ic.outcome.value == "PROHIBITED" and ic.match.startswith("SDN 99901")
    assert ic.citation == "31 CFR 585.201 (HK-EO13936)"  # the SDN row's programme
    held = next(s for s in d.trace if s.rule.startswith("HOLD"))
    assert "strictest if confirmed: SDN 99901" in held.detail


def test_exact_name_without_corroborating_evidence_is_held(samples: Screener) -> None:
    # the exact listed name, but the entry's country (HK) is not the destination
    d = determine("EAR99", "DE", date(2024, 1, 1), end_user="LAM, Carrie", screener=samples)
    assert d.hold and d.outcome.value == "NLR"
    assert d.party_matches[0].match_kind == "exact"
    assert "no other evidence" in d.party_matches[0].why_held
    assert d.if_confirmed.outcome.value == "PROHIBITED"


def test_certain_hit_decides_as_before(samples: Screener) -> None:
    # exact name, corroborated by the listed country: blocked, no hold
    d = determine("EAR99", "HK", date(2024, 1, 1), end_user="LAM, Carrie", screener=samples)
    assert d.outcome.value == "PROHIBITED" and d.reasons == ["SDN"]
    assert d.hold is False and d.party_matches == [] and d.if_confirmed is None
    el = _line(samples, "Centre Bright Electronics Company Limited")
    assert el.outcome.value == "LICENSE_REQUIRED" and "EL" in el.reasons and not el.hold


def test_han_name_read_into_a_latin_listing_is_held(samples: Screener) -> None:
    """林鄭月娥 reads "Lam Cheng Yuet-ngor" in Cantonese, as the SDN list spells Carrie Lam;
    but the list gives no Han name, and other characters read the same (鄭/正, 娥/蛾): a
    potential match for an officer to confirm, however certain the Latin name would be."""
    d = determine("EAR99", "HK", date(2024, 1, 1), end_user="林鄭月娥", screener=samples)
    assert d.hold is True and d.outcome.value == "NLR"
    (m,) = d.party_matches
    assert (m.list, m.entry_id, m.match_kind) == (*CARRIE, "full")
    assert "not the exact name" in m.why_held
    assert any("not letter for letter" in line for line in m.explanation)
    assert d.if_confirmed.outcome.value == "PROHIBITED"


def test_consignee_is_screened_like_the_end_user(samples: Screener) -> None:
    d = determine("EAR99", "HK", date(2024, 1, 1), end_user="Kowloon Avionics Ltd",
                  consignee="LAM, Carrie", screener=samples)
    assert d.outcome.value == "PROHIBITED" and d.consignee == "LAM, Carrie"
    assert any("consignee matches" in s.detail for s in d.trace if s.fired)
    held = determine("9A610.x", "HK", ON, value=100, consignee=ACTEAM_PARTIAL,
                     screener=samples)
    assert held.hold and held.party_matches[0].role == "consignee"
    assert held.if_confirmed.outcome.value == "LICENSE_REQUIRED"


# -- dispositions resolve the hold ---------------------------------------------------------
@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    eng = get_engine(f"sqlite:///{tmp_path / 'holds.db'}")
    store.load_lists([SAMPLES_DIR], engine=eng, user="test")
    return eng


def test_cleared_disposition_resolves_the_hold(engine: Engine) -> None:
    before = _line(store.load_screener(engine), ACTEAM_PARTIAL)
    assert before.hold
    store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", country="HK",
                             reason="different company: HK registry no. 123", engine=engine)
    after = _line(store.load_screener(engine), ACTEAM_PARTIAL)
    assert not after.hold and after.party_matches == []
    assert (after.outcome, after.reasons) == (before.outcome, before.reasons)


def test_batch_lines_say_which_hit_a_disposition_cleared(engine: Engine) -> None:
    # the answer rests on the officer's decision: each line of that party says so (and the
    # impact path, which compares answers, is unaffected)
    store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", country="HK",
                             reason="different company: HK registry no. 123", engine=engine)
    lines = pl.DataFrame({"item": ["9A610.x"] * 3, "destination": ["HK", "HK", "MO"],
                          "date": [ON.isoformat()] * 3, "value": [100] * 3,
                          "end_user": [ACTEAM_PARTIAL, "Acme Trading Ltd", ACTEAM_PARTIAL]})
    out = determine_frame(lines, screener=store.load_screener(engine))
    cav = out.get_column("caveats").to_list()
    assert cav[0].startswith(f"end user {ACTEAM_PARTIAL!r}: EL {ACTEAM[1]} ")
    assert "not applied: cleared by officer on " in cav[0] and "registry no. 123" in cav[0]
    assert out.get_column("hold").to_list() == [False, False, True]  # Macau: not cleared
    assert not any("cleared by" in (c or "") for c in cav[1:])


def test_confirmed_disposition_makes_the_hit_certain(engine: Engine) -> None:
    store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", country="HK",
                             reason="same company: registry shows the trading name",
                             decision="confirmed", engine=engine)
    screener = store.load_screener(engine)
    # a confirmation does not suppress the hit in plain screening
    assert ACTEAM in {(h.list, h.entry_id) for h in screener.screen(ACTEAM_PARTIAL,
                                                                     country="HK")}
    d = _line(screener, ACTEAM_PARTIAL)
    assert not d.hold and d.outcome.value == "LICENSE_REQUIRED" and "EL" in d.reasons
    assert any(s.rule.startswith("Screening hit confirmed") for s in d.trace)
    # the same name screened for Macau is another identity: still held
    other = determine("9A610.x", "MO", ON, value=100, end_user=ACTEAM_PARTIAL,
                      screener=screener)
    assert other.hold
    # the latest decision wins: clearing it afterwards resolves the hold the other way
    store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", country="HK",
                             reason="re-checked: different company", engine=engine)
    again = _line(store.load_screener(engine), ACTEAM_PARTIAL)
    assert not again.hold and "EL" not in again.reasons


def test_bad_decision_is_refused_and_stores_nothing(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="decision 'maybe' is not one of cleared, confirmed"):
        store.record_disposition(ACTEAM_PARTIAL, *ACTEAM, user="officer", reason="x",
                                 decision="maybe", engine=engine)
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(DispositionRow)) == 0


# -- batch and impact carry hold ---------------------------------------------------------
def _frame() -> pl.DataFrame:
    return pl.DataFrame({
        "item": ["9A610.x", "9A610.x", "EAR99", "EAR99"],
        "destination": ["HK", "HK", "HK", "HK"],
        "date": [ON.isoformat()] * 4,
        "value": [100, 100, 100, 100],
        "end_user": [ACTEAM_PARTIAL, "Centre Bright Electronics Company Limited",
                     "Kowloon Avionics Ltd", None],
        "consignee": [None, None, "LAM, Carrie", None],
    })


def test_batch_has_hold_and_matches_the_scalar_path(samples: Screener) -> None:
    lines = _frame()
    out = determine_frame(lines, screener=samples)
    assert out["hold"].to_list() == [True, False, False, False]
    assert out["if_confirmed"].to_list() == ["LICENSE_REQUIRED", None, None, None]
    # the consignee (Carrie Lam, SDN 29249, designated on 7 Aug 2020) was not yet blocked
    assert out["outcome"].to_list()[2] == "NLR"
    assert "SDN 29249" in out["caveats"][2] and "2020-08-07" in out["caveats"][2]
    for row in out.iter_rows(named=True):
        d = determine(row["item"], row["destination"], ON, value=100, end_user=row["end_user"],
                      consignee=row["consignee"], screener=samples)
        assert (d.outcome.value, d.hold) == (row["outcome"], row["hold"])


def test_impact_has_hold_columns_and_counts_held_lines(samples: Screener) -> None:
    r = impact(_frame().drop("date"), ON, date(2021, 1, 15), screener=samples)
    lines = r.lines
    assert {"hold", "old_hold", "new_hold", "old_if_confirmed", "new_if_confirmed",
            "consignee"} <= set(lines.columns)
    assert lines["hold"].to_list() == [True, False, False, False]
    t = r.summary.totals
    assert (t.held_lines, t.held_old, t.held_new) == (1, 1, 1) and t.value_held == 100


def test_cli_check_says_hold(cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    code, out, _ = cli(["check", "--item", "9A610.x", "--to", "HK", "--on", "2020-06-29",
                        "--value", "100", "--end-user", ACTEAM_PARTIAL])
    assert code == 0 and "HOLD" in out and "if confirmed" in out
    code, out, _ = cli(["check", "--item", "9A610.x", "--to", "HK", "--on", "2020-06-29",
                        "--value", "100", "--consignee", ACTEAM_PARTIAL, "--json"])
    doc = json.loads(out)
    assert code == 0 and doc["hold"] and doc["party_matches"][0]["role"] == "consignee"
