"""Owners files as people write them: stakes written as fractions (0.6 for 60%) are refused
rather than read as 0.6%, and one entity's name written with its legal form spelt two ways
("Ltd" / "Limited") is one entity of the ownership graph, so the chain holds."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exportcheck import determine
from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.ownership import Ownership
from tests.ownership_lists import SDN_A, SDN_B, ownership_screener


@pytest.fixture(scope="module")
def screener() -> Screener:
    return ownership_screener()


# -- fractions --------------------------------------------------------------------------------
def test_a_file_of_fractions_is_refused_naming_the_problem(tmp_path: Path) -> None:
    """0.6 meant 60%: read as 0.6%, the entity 60% owned by an SDN company was not blocked."""
    path = tmp_path / "owners.csv"
    path.write_text(f"owner,owned,percent\n{SDN_A},Pearl Ltd,0.6\nSome Fund,Pearl Ltd,0.4\n",
                    encoding="utf-8")
    with pytest.raises(InvalidInput) as exc:
        Ownership.from_file(path)
    message = str(exc.value)
    assert message.startswith("owners.csv: every percent is at most 1 (0.6, 0.4)")
    assert "60 for 60%" in message


@pytest.mark.parametrize("rows", [
    [{"owner": SDN_A, "owned": "Pearl Ltd", "percent": 0.6}],
    [{"owner": SDN_A, "owned": "Pearl Ltd", "percent": "1"}],
])
def test_rows_of_fractions_are_refused(rows: list) -> None:
    with pytest.raises(InvalidInput, match="every percent is at most 1"):
        Ownership.from_rows(rows, source="owners")


def test_pasted_fractions_are_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^owners: every percent is at most 1 \(0\.6\)"):
        Ownership.from_text(f"{SDN_A},Pearl Ltd,0.6", source="owners")


def test_small_stakes_among_others_and_written_with_a_percent_sign_are_kept(
        tmp_path: Path, screener: Screener) -> None:
    among = Ownership.from_rows([
        {"owner": SDN_A, "owned": "Pearl Ltd", "percent": 0.5},
        {"owner": "Some Fund", "owned": "Pearl Ltd", "percent": 60}])
    assert [s.percent for s in among.owners_of("Pearl Ltd")] == [0.5, 60]
    path = tmp_path / "small.csv"
    path.write_text(f"owner,owned,percent\n{SDN_A},Pearl Ltd,0.6%\n", encoding="utf-8")
    (short,) = Ownership.from_file(path).findings("Pearl Ltd", screener).short
    assert short[1].startswith(f"owned 0.6% by {SDN_A}")
    assert len(Ownership.from_text(f"{SDN_A},Pearl Ltd,0.6 %", source="owners")) == 1


# -- legal forms --------------------------------------------------------------------------------
def test_a_legal_form_spelt_two_ways_keeps_the_chain(screener: Screener) -> None:
    """"Beta Trading Ltd" owned by SDN parties, "Beta Trading Limited" owning the consignee:
    two entities before, and the consignee passed as not owned by any blocked person."""
    own = Ownership.from_rows([
        {"owner": SDN_A, "owned": "Beta Trading Ltd", "percent": 30, "owner_country": "HK"},
        {"owner": SDN_B, "owned": "BETA TRADING LTD.", "percent": 30, "owner_country": "HK"},
        {"owner": "Beta Trading Limited", "owned": "Sampan Components Corporation",
         "percent": 60}])
    (hit,) = own.derived_hits("Sampan Components Corp.", screener)
    assert hit.explanation[0].startswith(
        "owned 60% by Beta Trading Ltd (also written 'Beta Trading Limited') [owned 30% by "
        f"{SDN_A} (SDN entry 9001) + 30% by {SDN_B}")
    assert own.owners_all("Beta Trading Company") == own.owners_all("Beta Trading Co")


def test_an_owned_consignee_written_with_another_legal_form_spelling_is_prohibited() -> None:
    s = Screener.from_samples()
    own = Ownership.from_rows([
        {"owner": "LAM, Carrie", "owned": "Pearl Delta Trading Ltd", "percent": 60,
         "owner_country": "HK"},
        {"owner": "Pearl Delta Trading Limited", "owned": "Sampan Components Inc",
         "percent": 60}])
    d = determine("EAR99", "HK", date(2025, 6, 1), consignee="Sampan Components Incorporated",
                  screener=s, ownership=own)
    assert d.outcome.value == "PROHIBITED"


@pytest.mark.parametrize(("one", "other"), [
    ("Beta Trading Ltd", "BETA TRADING LIMITED"),
    ("Beta Trading Co., Ltd.", "Beta Trading Company Limited"),
    ("Acme L.L.C.", "Acme Limited Liability Company"),
    ("Acme Corp", "Acme Corporation"),
    ("華為技術有限公司", "华为技术有限责任公司"),  # PRC Company Law art. 8: either in the name
    ("株式会社東芝", "東芝 株式会社"),
])
def test_legal_form_spellings_are_one_entity(one: str, other: str) -> None:
    own = Ownership.from_rows([{"owner": "Gamma Holdings", "owned": one, "percent": 10}])
    assert [s.owner for s in own.owners_of(other)] == ["Gamma Holdings"]


@pytest.mark.parametrize(("one", "other"), [
    ("Beta Trading Ltd", "Beta Trading GmbH"),
    ("Beta Trading Ltd", "Beta Trading"),
    ("Beta Trading Ltd", "Beta Trading Co Ltd"),
    ("华为技术有限公司", "华为技术股份有限公司"),
])
def test_other_legal_forms_stay_other_entities(one: str, other: str) -> None:
    own = Ownership.from_rows([{"owner": "Gamma Holdings", "owned": one, "percent": 10}])
    assert own.owners_of(other) == []


def test_one_pair_given_twice_with_two_spellings_is_refused() -> None:
    with pytest.raises(InvalidInput, match="line 2: 'A Ltd' owning 'B Limited' is already on "
                                           "line 1"):
        Ownership.from_text("A Limited,B Ltd,30\nA Ltd,B Limited,20", source="owners")


def test_party_keys_of_stored_parties_are_unchanged() -> None:
    from exportcheck.screen.dispositions import party_key

    assert party_key("Beta Trading Ltd") != party_key("Beta Trading Limited")
