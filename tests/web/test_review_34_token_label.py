"""A token label from Python is checked as REST checks it (storage review, session 34): one
longer than the column was cut to 120 characters without a word, and a control character
was stored on SQLite and failed in the driver on PostgreSQL."""

from __future__ import annotations

import pytest

from exportcheck.accounts import Accounts
from exportcheck.errors import InvalidInput

PASSWORD = "a long enough password"


@pytest.fixture
def acc(tmp_path) -> Accounts:
    a = Accounts(f"sqlite:///{tmp_path / 'acc.db'}")
    a.add_user("erp", "officer", PASSWORD, actor="test")
    return a


@pytest.mark.parametrize(("label", "says"), [("x" * 121, "at most 120"),
                                             ("ERP\x00", "control character")])
def test_a_bad_label_is_refused_and_nothing_is_stored(acc: Accounts, label: str,
                                                      says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        acc.create_token("erp", label=label, actor="test")
    assert acc.list_tokens("erp") == []


def test_a_label_of_the_longest_length_is_kept_whole(acc: Accounts) -> None:
    token, _ = acc.create_token("erp", label="y" * 120, actor="test")
    assert token.label == "y" * 120
