"""Errors name the input they are about where they are raised (``exc.field``), so a form puts
the message under its box and the REST API names the request field without reading the
message's words (review 39: a reworded message used to lose its box)."""

from __future__ import annotations

from datetime import date

import pytest

from exportcheck import determine
from exportcheck.errors import InvalidInput
from exportcheck.models import TransactionFacts
from exportcheck.screen.evidence import parse_country, parse_dob
from exportcheck.screen.ownership import Ownership
from exportcheck.screen.service import default_screener
from exportcheck.web.ui.field_errors import FORM, field_of

ON = date(2024, 6, 1)


def _raised(call, *args, **kwargs) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"value": -5.0}, "value"),
    ({"value": "1200"}, "value"),
    ({"quantity": float("nan")}, "quantity"),
    ({"end_use": 12}, "end_use"),
    ({"facts": TransactionFacts(headquarters="Atlantis")}, "headquarters"),
    ({"facts": TransactionFacts(conditions_met={"XYZ"})}, "conditions_met"),
])
def test_the_engine_names_the_argument_it_refuses(kwargs: dict, field: str) -> None:
    exc = _raised(determine, "3A001.a.2", "DE", ON, **kwargs)
    assert exc.field == field, (str(exc), exc.field)
    assert field_of(exc) == field


@pytest.mark.parametrize("name", ["   ", "LLC", "!!!", "x" * 5000])
def test_a_refused_screening_name_is_the_name_box_or_the_party_that_carries_it(name: str) -> None:
    exc = _raised(default_screener().screen, name)
    assert exc.field == "name", str(exc)
    assert field_of(exc, name_field="name") == "name"
    assert field_of(exc) == FORM  # a form without a name box shows it above the form
    # in a determination it is the end user's (or consignee's) box; a blank party is no party
    for role in ("end_user", "consignee") if name.strip() else ():
        exc = _raised(determine, "EAR99", "DE", ON, screener=default_screener(), **{role: name})
        assert exc.field == role and str(exc).startswith(role.replace("_", " ")), str(exc)


@pytest.mark.parametrize(("call", "value", "field"), [
    (parse_dob, "1970-13-01", "dob"), (parse_dob, "yesterday", "dob"),
    (parse_dob, "1700", "dob"), (parse_country, "Narnia", "country")])
def test_screening_evidence_names_its_box(call, value: str, field: str) -> None:
    assert _raised(call, value).field == field


def test_the_same_words_without_a_field_are_no_longer_guessed_at() -> None:
    """An error that says "value ..." but was not raised about the value (a message of some
    other check) stays on the form, not under the value box."""
    assert field_of(InvalidInput("value of the licence line is stale")) == FORM
    assert field_of(InvalidInput("owners of record are unknown")) == FORM


def test_owner_errors_from_the_api_are_the_owners_field() -> None:
    from exportcheck.web.routers.determinations import ownership_of
    from exportcheck.web.schemas import OwnerStake

    stakes = [OwnerStake(owner="Acme", owned="Acme", percent=60)]
    exc = _raised(ownership_of, stakes)
    assert exc.field == "owners" and "cannot own itself" in str(exc)
    # the engine itself does not know which box its stakes came from
    assert _raised(Ownership.from_rows, [s.model_dump() for s in stakes]).field is None



def test_an_unknown_list_code_names_the_lists_field() -> None:
    """The REST API used to find it by the message's first words ("unknown list code")."""
    from exportcheck.screen.entries import check_lists

    exc = _raised(check_lists, "SDN,XX")
    assert exc.field == "lists" and "XX" in str(exc)
    assert field_of(exc) == "lists"
