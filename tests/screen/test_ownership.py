"""Issue #11 point 7: the ownership graph, its validation and the hits it derives.

The lists are small parsed lists screened by the real screener (index, scorer, evidence).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.ownership import Ownership
from tests.ownership_lists import EL_C, SDN_A, SDN_B, ownership_screener


@pytest.fixture(scope="module")
def screener() -> Screener:
    return ownership_screener()


def _stake(owner: str, owned: str, pct: float, cc: str | None = None) -> dict:
    return {"owner": owner, "owned": owned, "percent": pct, "owner_country": cc}


def _sdn_hits(own: Ownership, name: str, screener: Screener) -> list:
    return [h for h in own.derived_hits(name, screener) if h.list == "SDN"]


def test_two_blocked_owners_of_25_percent_block_the_entity(screener: Screener) -> None:
    own = Ownership.from_rows([_stake(SDN_A, "Pearl Delta Trading Ltd", 25, "HK"),
                               _stake(SDN_B, "Pearl Delta Trading Ltd", 25, "HK")])
    (hit,) = _sdn_hits(own, "Pearl Delta Trading Ltd", screener)
    assert hit.match_kind == "owned" and hit.corroborated_by == ("ownership",)
    assert hit.explanation[0] == (
        f"owned 25% by {SDN_A} (SDN entry 9001) + 25% by {SDN_B} (SDN entry 9002) = 50% ≥ 50%: "
        "blocked under OFAC's 50 Percent Rule")
    assert "79 FR 47726" in hit.explanation[1] and hit.programs == ("HK-EO13936",)
    # the name is matched order- and case-free
    assert _sdn_hits(own, "pearl delta trading ltd", screener)


def test_49_percent_in_the_aggregate_is_not_blocked(screener: Screener) -> None:
    own = Ownership.from_rows([_stake(SDN_A, "Pearl Delta Trading Ltd", 24.5, "HK"),
                               _stake(SDN_B, "Pearl Delta Trading Ltd", 24.5, "HK"),
                               _stake("Some Pension Fund", "Pearl Delta Trading Ltd", 51)])
    assert _sdn_hits(own, "Pearl Delta Trading Ltd", screener) == []


def test_indirect_chain_through_a_blocked_entity(screener: Screener) -> None:
    own = Ownership.from_rows([_stake(SDN_A, "Pearl Delta Trading Ltd", 50, "HK"),
                               _stake("Pearl Delta Trading Ltd", "Sampan Components Ltd", 60),
                               _stake("Sampan Components Ltd", "Junk Bay Parts Ltd", 100)])
    (hit,) = _sdn_hits(own, "Junk Bay Parts Ltd", screener)
    assert hit.entry_id == "9001"
    assert hit.explanation[0].startswith(
        "owned 100% by Sampan Components Ltd [owned 60% by Pearl Delta Trading Ltd [owned 50% "
        f"by {SDN_A} (SDN entry 9001) = 50%] = 60%] = 100% ≥ 50%")


def test_ownership_through_an_entity_that_is_not_blocked_does_not_count(
        screener: Screener) -> None:
    # 40% of B is not enough to block B; B's 99.5% of C is then ownership by an unblocked
    # entity, and percentages are not multiplied down the chain
    own = Ownership.from_rows([_stake(SDN_A, "B Holdings Ltd", 40, "HK"),
                               _stake("B Holdings Ltd", "C Trading Ltd", 99.5),
                               _stake(SDN_B, "C Trading Ltd", 0.5, "HK")])
    assert _sdn_hits(own, "B Holdings Ltd", screener) == []
    assert _sdn_hits(own, "C Trading Ltd", screener) == []


def test_cross_holdings_terminate(screener: Screener) -> None:
    own = Ownership.from_rows([_stake(SDN_A, "X Ltd", 50, "HK"), _stake("Y Ltd", "X Ltd", 50),
                               _stake("X Ltd", "Y Ltd", 50), _stake("Z Ltd", "Y Ltd", 50)])
    assert [h.entry_id for h in _sdn_hits(own, "Y Ltd", screener)] == ["9001"]
    assert [h.entry_id for h in _sdn_hits(own, "X Ltd", screener)] == ["9001"]


def test_affiliates_hits_follow_the_rule_dates(screener: Screener) -> None:
    own = Ownership.from_rows([_stake(EL_C, "Violet Bay Semiconductor Ltd", 51, "CN")])
    before = own.derived_hits("Violet Bay Semiconductor Ltd", screener, on=date(2025, 9, 28))
    during = own.derived_hits("Violet Bay Semiconductor Ltd", screener, on=date(2025, 10, 1))
    suspended = own.derived_hits("Violet Bay Semiconductor Ltd", screener, on=date(2026, 1, 5))
    assert before == [] and suspended == []
    (hit,) = during
    assert (hit.list, hit.entry_id, hit.license_policy) == ("EL", "el-1", "Presumption of denial")
    assert "BIS affiliates rule" in hit.explanation[0] and "90 FR 47201" in hit.explanation[1]


def test_uncertain_owner_match_gives_an_uncertain_hit(screener: Screener) -> None:
    # the owner's name only partly matches the listed one: the derived hit is a candidate
    own = Ownership.from_rows([_stake("Harbour Shadow Holdings Trading Limited", "Pearl Ltd",
                                      60, "HK")])
    (hit,) = _sdn_hits(own, "Pearl Ltd", screener)
    assert hit.corroborated_by == ()
    assert any("not a certain match" in line for line in hit.explanation)


@pytest.mark.parametrize(("rows", "message"), [
    ([_stake("A", "B", 0)], "row 1: percent 0 of 'B' held by 'A' is outside 0-100"),
    ([_stake("A", "B", 120)], "row 1: percent 120 of 'B' held by 'A' is outside 0-100"),
    ([{"owner": "A", "owned": "B", "percent": "lots"}], "row 1: percent 'lots' is not a number"),
    ([{"owner": "A", "owned": "B", "percent": float("nan")}], "is not a number"),
    ([_stake("A", "B", 60), _stake("C", "B", 50)], "'B' is owned 110% in total"),
    ([_stake("A Ltd", "a ltd", 10)], "row 1: 'A Ltd' cannot own itself"),
    ([_stake("A", "B", 10), _stake("a", "b", 20)], "row 2: 'a' owning 'b' is given twice"),
    ([{"owned": "B", "percent": 10}], "row 1: owner is missing"),
    ([{"owner": "A", "owned": "B", "percent": 10, "share": 1}], "unknown field"),
    ([_stake("A", "B", 10, "Atlantis")], "row 1: owner_country: unknown country 'Atlantis'"),
])
def test_bad_ownership_input_names_the_problem(rows: list, message: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        Ownership.from_rows(rows, source="owners.csv")
    assert message in str(exc.value) and "owners.csv" in str(exc.value)


def test_parties_files_csv_and_json(tmp_path: Path, screener: Screener) -> None:
    csv_file = tmp_path / "owners.csv"
    csv_file.write_text(f"owner,owned,percent,owner_country\n{SDN_A},Pearl Ltd,30%,HK\n"
                        f"{SDN_B},Pearl Ltd,25,HK\n\n", encoding="utf-8")
    own = Ownership.from_file(csv_file)
    assert len(own) == 2 and [s.percent for s in own.owners_of("Pearl Ltd")] == [30, 25]
    assert "= 55% ≥ 50%" in _sdn_hits(own, "Pearl Ltd", screener)[0].explanation[0]
    json_file = tmp_path / "owners.json"
    json_file.write_text(json.dumps({"owners": [_stake(SDN_A, "Pearl Ltd", 50, "HK")]}))
    assert _sdn_hits(Ownership.from_file(json_file), "Pearl Ltd", screener)


@pytest.mark.parametrize(("name", "text", "message"), [
    ("o.csv", "holder,owned,percent\nA,B,10\n", "header needs columns owner, owned, percent "
                                                 "(missing owner"),
    ("o.csv", "owner,owned,percent\nA,B,10\nA,B,20\n", "o.csv row 2: 'A' owning 'B' is given"),
    # a field past the header (an owner_country the header lacks, a name's unquoted comma)
    # must not be dropped without a word
    ("o.csv", "owner,owned,percent\nA,B,10\nC,B,60,RU\n", "o.csv row 2: 4 fields where the "
                                                           "header has 3"),
    ("o.csv", "owner,owned,percent,owner_country\nA,B,10,Korea, Republic of\n",
     "quote a name that contains a comma"),
    ("o.json", "[{", "o.json is not valid JSON"),
    ("o.json", '{"owner": "A"}', 'expected a list of stakes or {"owners": [...]}'),
    ("o.txt", "x", "use .csv or .json"),
])
def test_bad_parties_file_names_the_problem(tmp_path: Path, name: str, text: str,
                                            message: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        Ownership.from_file(path)
    assert message in str(exc.value)
    with pytest.raises(InvalidInput, match="does not exist"):
        Ownership.from_file(tmp_path / "missing.csv")


@pytest.mark.parametrize(("text", "malformed"), [
    ("A,B,abc", True), ("A,B,150", True), ("owner,owned\nA,B,50", True), (",B,50", True),
    ("A,B,50,HK,extra", True), ("A,A,60", False), ("A,C,60\nB,C,60", False)])
def test_a_stake_written_wrong_is_malformed_and_a_wrong_graph_is_not(text: str,
                                                                    malformed: bool) -> None:
    """The web form answers the first kind 422, as the API's schema would, the second 400."""
    from exportcheck.screen.ownership import MalformedOwners

    with pytest.raises(InvalidInput) as caught:
        Ownership.from_text(text, source="owners")
    assert isinstance(caught.value, MalformedOwners) is malformed, str(caught.value)
