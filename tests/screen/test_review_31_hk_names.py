"""A compliance officer's pass over Hong Kong and mainland Chinese names: a clearance of a
party written in Han characters holds for the same name in Hong Kong's character forms, in
simplified characters and with a space typed between surname and given name."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, create_engine, text

from exportcheck.screen import store
from exportcheck.screen.dispositions import party_key
from exportcheck.screen.service import SAMPLES_DIR

pytestmark = pytest.mark.usefixtures("fresh_default")


@pytest.mark.parametrize(("one", "other"), [
    ("曾國衞", "曾国卫"),        # 衞: Hong Kong's standard form of 衛 (Erick Tsang, SDN 29246)
    ("曾國衞", "曾國衛"),
    ("敍豐貿易有限公司", "叙丰贸易有限公司"),  # 敍: Hong Kong's form of 敘
    ("陳 大文", "陳大文"),        # surname and given name typed apart
    ("陳\u3000大文", "陈大文"),   # with an ideographic space
    ("鄧 炳強", "邓炳强"),
])
def test_one_han_name_written_two_ways_is_one_party(one: str, other: str) -> None:
    assert party_key(one) == party_key(other)


@pytest.mark.parametrize(("one", "other"), [
    ("李嘉超", "李家超"),        # homophones stay two parties
    ("大文 陳", "陳大文"),        # the characters in another order are another name
    ("陳大文 Chan", "陳大文"),    # a Latin word stays a word of its own
    ("於大文", "于大文"),        # the surnames 於 and 于 are two families (OpenCC merged them)
    ("於國強", "于国强"),
])
def test_other_han_names_stay_other_parties(one: str, other: str) -> None:
    assert party_key(one) != party_key(other)


def test_clearing_erick_tsangs_namesake_in_hk_characters_holds_in_simplified(
        engine: Engine) -> None:
    """曾國衞 (Hong Kong writes 衛 as 衞) was cleared, yet 曾国卫, the same name in simplified
    characters, and 曾國 衞 with a space still raised SDN 29246 (TSANG, Erick)."""
    store.load_lists([SAMPLES_DIR], engine=engine)
    s = store.load_screener(engine)
    assert "29246" in {h.entry_id for h in s.screen("曾国卫", country="HK")}
    store.record_disposition("曾國衞", "SDN", "29246", user="alice", country="HK",
                             reason="a namesake, a clerk in Mong Kok, HKID checked",
                             engine=engine)
    s = store.load_screener(engine)
    for name in ("曾國衞", "曾国卫", "曾國衛", "曾 國衞"):
        assert "29246" not in {h.entry_id for h in s.screen(name, country="HK")}, name
    # the clearance is this party's only: the name elsewhere still finds Erick Tsang
    assert "29246" in {h.entry_id for h in s.screen("曾国卫", country="CN")}


def test_a_han_name_with_a_space_is_the_stored_party(engine: Engine) -> None:
    first = store.add_party("陳大文", country="HK", engine=engine)
    assert store.add_party("陳 大文", country="HK", engine=engine).id == first.id
    assert store.add_party("陈大文", country="HK", engine=engine).id == first.id



def _stored_before(db_url: str, revision: str, name: str, key: str) -> Engine:
    """A database at ``revision`` holding one party ``name`` in HK stored under ``key``,
    then upgraded: the engine to read it with."""
    from alembic import command

    from exportcheck.db import get_engine
    from exportcheck.db.migrate import alembic_config, upgrade

    raw = create_engine(db_url)
    cfg = alembic_config()
    cfg.attributes["engine"] = raw
    command.upgrade(cfg, revision)
    with raw.begin() as conn:
        conn.execute(text(
            "INSERT INTO screening_parties (name, party_key, identity, country, dob, "
            "created_at) VALUES (:name, :key, :identity, 'HK', NULL, CURRENT_TIMESTAMP)"),
            {"name": name, "key": key, "identity": f"{key}|HK|"})
    upgrade(raw)
    raw.dispose()
    return get_engine(db_url)


@pytest.mark.empty_db
def test_migration_rekeys_parties_stored_in_hk_characters(db_url: str) -> None:
    """A party stored before this release as 曾國衞 kept the key 曾国衞: adding 曾国卫 (or
    曾國衞 itself) stored a second party, and a rescreen reported its hits twice."""
    eng = _stored_before(db_url, "screening_0004", "曾國衞", "曾国衞")
    assert store.add_party("曾国卫", country="HK", engine=eng).name == "曾國衞"
    assert len(store.list_parties(eng)) == 1


@pytest.mark.empty_db
def test_migration_rekeys_parties_of_the_surname_yu(db_url: str) -> None:
    """於大文 was stored keyed 于大文 (OpenCC's 于): 于大文, another family's name, was then the
    same party. The upgrade keys it 於大文, and 于大文 is a party of its own."""
    eng = _stored_before(db_url, "screening_0005", "於大文", "于大文")
    assert store.add_party("於大文", country="HK", engine=eng).name == "於大文"
    assert store.add_party("于大文", country="HK", engine=eng).name == "于大文"
    assert len(store.list_parties(eng)) == 2
