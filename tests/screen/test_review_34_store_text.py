"""Screening records written from Python refuse control characters, as REST does (storage
review, session 34): a NUL in a stored party's name, or a disposition's user or reason, was
kept on SQLite and failed in the driver on PostgreSQL; a user longer than its column was
refused by PostgreSQL only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from exportcheck.errors import InvalidInput
from exportcheck.screen import store


def test_a_party_name_with_a_nul_is_refused(engine: Engine) -> None:
    with pytest.raises(InvalidInput, match="party name contains the control character U\\+0000"):
        store.add_party("John\x00 Smith", country="GB", engine=engine)
    assert store.list_parties(engine) == []


@pytest.mark.parametrize(("field", "value", "says"), [
    ("user", "alice\x00", "user contains the control character"),
    ("user", "a" * 121, "user is 121 characters long"),
    ("reason", "not her\x07", "reason contains the control character U\\+0007"),
])
def test_a_disposition_with_bad_text_is_refused_and_not_stored(
        engine: Engine, small_lists: Path, field: str, value: str, says: str) -> None:
    store.load_lists([small_lists / "ofac_2021-07"], engine=engine)
    hit = store.load_screener(engine).screen("Carrie Lam")[0]
    kw = {"user": "alice", "reason": "a different Carrie Lam, born 1990"} | {field: value}
    with pytest.raises(InvalidInput, match=says):
        store.record_disposition("Carrie Lam", hit.list, hit.entry_id, engine=engine, **kw)
    assert store.load_screener(engine).screen("Carrie Lam")  # nothing cleared it
