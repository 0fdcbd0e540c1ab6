"""Review 30, owners files as people type them.

1. A Han name typed with a space before its legal form ("中国电子科技集团 有限公司") was
   another entity of the ownership graph than the same name without it, so a file writing the
   owned entity both ways split its owners' stakes and a 50% aggregate was missed.
2. One reading of a stake (:func:`parse_percent`) for files, pasted text and the REST API: a
   number with an optional percent sign, nothing else ("1_0" read as 10, "5%%" as 5).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exportcheck.errors import InvalidInput
from exportcheck.screen import Screener
from exportcheck.screen.ownership import Ownership
from tests.ownership_lists import SDN_A, SDN_B, ownership_screener

CETC = "中国电子科技集团有限公司"


def one_entity(one: str, other: str) -> bool:
    """Whether the ownership graph takes the two names as one entity."""
    own = Ownership.from_rows([{"owner": "Gamma Holdings", "owned": one, "percent": 10}])
    return [s.owner for s in own.owners_of(other)] == ["Gamma Holdings"]


@pytest.fixture(scope="module")
def screener() -> Screener:
    return ownership_screener()


# -- 1. spaces inside a Han name ---------------------------------------------------------------
@pytest.mark.parametrize("typed", [
    "中国电子科技集团 有限公司",  # a space before the legal form
    "中国电子科技集团\u3000有限公司",  # the ideographic space of a Chinese input method
    "中国电子科技集团\u00a0\u00a0有限公司",  # no-break spaces, as pasted from a web page
    "中国 电子 科技 集团 有限公司",
    "中国电子科技集团 有限责任公司",  # and the other spelling of the form
    "中國電子科技集團 有限公司",  # traditional characters
    " 中国电子科技集团有限公司 ",
])
def test_spaces_inside_a_han_name_do_not_make_another_entity(typed: str) -> None:
    assert one_entity(CETC, typed) and one_entity(typed, CETC)


def test_a_middle_dot_inside_a_han_name_is_no_word_boundary() -> None:
    assert one_entity("诺基亚·西门子通信有限公司", "诺基亚西门子通信有限公司")
    assert one_entity("诺基亚・西门子通信 有限公司", "诺基亚西门子通信有限公司")


@pytest.mark.parametrize(("one", "other"), [
    ("AB C Trading Ltd", "ABC Trading Ltd"),  # Latin words keep their boundaries
    ("中国电子科技集团有限公司", "中国电子科技集团股份有限公司"),  # another legal form
])
def test_other_names_stay_apart(one: str, other: str) -> None:
    assert not one_entity(one, other)


def test_latin_keys_are_as_before() -> None:
    from exportcheck.screen.ownership import entity_key

    assert entity_key("Beta Trading Limited") == "beta ltd trading"
    assert entity_key("LAM, Carrie") == entity_key("Carrie Lam") == "carrie lam"
    assert one_entity("Acme 有限公司", "ACME有限公司")
    assert one_entity("华为 Tech 有限公司", "华为Tech有限公司")  # a Latin word parts Han runs


def test_stakes_in_one_han_entity_written_two_ways_add_up(screener: Screener) -> None:
    """30% + 30% by two SDN companies, one row writing the owned entity with a space: the
    entity was two entities of 30% each, neither blocked."""
    own = Ownership.from_rows([
        {"owner": SDN_A, "owned": CETC, "percent": 30, "owner_country": "HK"},
        {"owner": SDN_B, "owned": "中国电子科技集团 有限公司", "percent": 30,
         "owner_country": "HK"}])
    (hit,) = own.derived_hits("中国电子科技集团\u3000有限公司", screener)
    assert hit.explanation[0].startswith(f"owned 30% by {SDN_A} (SDN entry 9001) + 30% by "
                                         f"{SDN_B}"), hit.explanation
    assert "= 60% ≥ 50%: blocked under OFAC's 50 Percent Rule" in hit.explanation[0]


def test_one_pair_typed_with_and_without_the_space_is_given_twice() -> None:
    with pytest.raises(InvalidInput, match="is already on line 1"):
        Ownership.from_text(f"{SDN_A},{CETC},30\n{SDN_A},中国电子科技集团 有限公司,20",
                            source="owners")


def test_a_chain_names_the_spelling_with_the_space(screener: Screener) -> None:
    own = Ownership.from_rows([
        {"owner": SDN_A, "owned": CETC, "percent": 60, "owner_country": "HK"},
        {"owner": "中国电子科技集团 有限公司", "owned": "Sampan Components Ltd",
         "percent": 60}])
    (hit,) = own.derived_hits("Sampan Components Ltd", screener)
    assert hit.explanation[0].startswith(
        f"owned 60% by {CETC} (also written '中国电子科技集团 有限公司') [owned 60% by {SDN_A}")


# -- 2. one reading of a stake -----------------------------------------------------------------
@pytest.mark.parametrize(("raw", "read"), [
    (60, (60.0, False)), (0.5, (0.5, False)), ("60", (60.0, False)), (" 0.6 % ", (0.6, True)),
    ("0.6%", (0.6, True)), (".5%", (0.5, True)), ("50.%", (50.0, True)), ("-5", (-5.0, False)),
])
def test_a_stake_is_a_number_with_an_optional_percent_sign(raw: object, read: tuple) -> None:
    from exportcheck.screen.ownership import parse_percent

    assert parse_percent(raw) == read


@pytest.mark.parametrize(("raw", "message"), [
    ("abc", "percent 'abc' is not a number"),
    ("5%%", "percent '5%%' is not a number"),
    ("1_0", "percent '1_0' is not a number"),  # float() read it as 10
    ("1e1", "percent '1e1' is not a number"),
    ("+5%", "percent '+5%' is not a number"),
    ("0,5%", "percent '0,5%' is not a number"),
    ("nan%", "percent 'nan%' is not a number: give a finite number"),
    (float("inf"), "percent inf is not a number: give a finite number"),
    (True, "percent True is not a number"),
])
def test_anything_else_is_no_stake(raw: object, message: str) -> None:
    from exportcheck.screen.ownership import parse_percent

    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        parse_percent(raw)


def test_a_json_file_writes_small_stakes_as_strings_with_the_sign(
        tmp_path: Path, screener: Screener) -> None:
    path = tmp_path / "owners.json"
    path.write_text(json.dumps([{"owner": SDN_A, "owned": "Pearl Ltd", "percent": "0.6%"},
                                {"owner": "Some Fund", "owned": "Pearl Ltd", "percent": 0.4}]),
                    encoding="utf-8")
    own = Ownership.from_file(path)
    assert [s.percent for s in own.owners_of("Pearl Ltd")] == [0.6, 0.4]
    (short,) = own.findings("Pearl Ltd", screener).short
    assert short[1].startswith(f"owned 0.6% by {SDN_A}")
    path.write_text(json.dumps([{"owner": SDN_A, "owned": "Pearl Ltd", "percent": 0.6}]),
                    encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape('in JSON, the string "0.6%"')):
        Ownership.from_file(path)


def test_a_file_stake_that_is_no_number_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "owners.csv"
    path.write_text(f"owner,owned,percent\n{SDN_A},Pearl Ltd,60\nSome Fund,Pearl Ltd,1_0\n",
                    encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^owners.csv row 2: percent '1_0' is not a number$"):
        Ownership.from_file(path)
    path.write_text(f"owner,owned,percent\n{SDN_A},Pearl Ltd,\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=r"^owners.csv row 1: percent is missing$"):
        Ownership.from_file(path)


def test_the_kind_of_a_screen_is_read_in_any_case() -> None:
    """Review 30: ``screen NAME --kind Entity`` was refused ("not one of person, entity ...")
    by the library, which the API and a party's stored kind read in any case."""
    s = Screener.from_samples()
    assert s.screen("Huawei Technologies", kind=" Entity ") == s.screen(
        "Huawei Technologies", kind="entity") != []
    with pytest.raises(InvalidInput, match="'boat' is not one of person, entity"):
        s.screen("Huawei Technologies", kind="boat")
