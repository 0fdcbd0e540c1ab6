"""A sanctions analyst's pass over dispositions and re-screening: a party's identity keeps
homophones in Han script apart, and a rescreen reports each stored party's hits as its own."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from exportcheck.db import get_engine
from exportcheck.screen import store
from exportcheck.screen.ownership import Ownership

pytestmark = pytest.mark.usefixtures("fresh_default")


# -- Han names: a homophone is another party -------------------------------------------------
def test_clearing_a_han_homophone_does_not_clear_the_listed_person(
        engine: Engine, small_lists: Path) -> None:
    """李嘉超 and 李家超 (John Lee, SDN 29250) read "Li Jiachao" alike in toneless pinyin:
    clearing the namesake cleared the Chief Executive too."""
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    s = store.load_screener(engine)
    assert "29250" in {h.entry_id for h in s.screen("李嘉超", country="HK")}
    store.record_disposition("李嘉超", "SDN", "29250", user="alice", country="HK",
                             reason="a namesake, identity card checked", engine=engine)
    s = store.load_screener(engine)
    assert "29250" not in {h.entry_id for h in s.screen("李嘉超", country="HK")}
    assert "29250" in {h.entry_id for h in s.screen("李家超", country="HK")}
    # traditional and simplified characters are one name
    store.record_disposition("林鄭月娥", "SDN", "29249", user="alice", country="HK",
                             reason="a namesake, identity card checked", engine=engine)
    s = store.load_screener(engine)
    assert "29249" not in {h.entry_id for h in s.screen("林郑月娥", country="HK")}


def test_a_han_homophone_is_stored_as_a_party_of_its_own(engine: Engine) -> None:
    first = store.add_party("李家超", country="HK", engine=engine)
    other = store.add_party("李嘉超", country="HK", engine=engine)
    assert other.id != first.id and other.name == "李嘉超"
    assert store.add_party("李家超", country="HK", engine=engine).id == first.id


def test_two_han_homophones_owning_one_company_are_two_owners() -> None:
    owners = Ownership.from_rows([
        {"owner": "李家超", "owned": "Kowloon Parts Ltd", "percent": 30},
        {"owner": "李嘉超", "owned": "Kowloon Parts Ltd", "percent": 30},
    ])
    assert sorted(s.owner for s in owners.owners_of("Kowloon Parts Ltd")) == ["李嘉超", "李家超"]
    assert len(owners.owners_all("Kowloon Parts Ltd")) == 2


@pytest.mark.empty_db
def test_migration_rekeys_han_parties(db_url: str) -> None:
    """A database of the previous release keyed 李家超 by its pinyin: re-adding 李嘉超 then
    returned 李家超's row."""
    from alembic import command

    from exportcheck.db.migrate import alembic_config, upgrade

    raw = create_engine(db_url)
    cfg = alembic_config()
    cfg.attributes["engine"] = raw
    command.upgrade(cfg, "screening_0003")
    with raw.begin() as conn:
        conn.execute(text(
            "INSERT INTO screening_parties (name, party_key, identity, country, dob, "
            "created_at) VALUES ('李家超', 'lijiachao', 'lijiachao|HK|', 'HK', NULL, "
            "CURRENT_TIMESTAMP)"))
    upgrade(raw)
    eng = get_engine(db_url)
    assert store.add_party("李家超", country="HK", engine=eng).name == "李家超"
    assert store.add_party("李嘉超", country="HK", engine=eng).name == "李嘉超"
    assert len(store.list_parties(eng)) == 2
    raw.dispose()


# -- rescreen: each stored party's hits are its own -----------------------------------------
def _edited_sdn(src: Path, dst: Path, ent_num: bytes, old: bytes, new: bytes) -> Path:
    lines = src.read_bytes().split(b"\r\n")
    i = next(i for i, ln in enumerate(lines) if ln.startswith(ent_num + b","))
    assert old in lines[i]
    lines[i] = lines[i].replace(old, new)
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "sdn.csv").write_bytes(b"\r\n".join(lines))
    return dst / "sdn.csv"


def test_rescreen_reports_a_hit_for_each_stored_party_of_one_name(
        engine: Engine, small_lists: Path, tmp_path: Path) -> None:
    """Carrie Lam (HK) had a clearance that lapsed when SDN 29249 changed; a "Carrie Lam" with
    no country stored since the last rescreen was dropped as "already reported", and the report
    did not say which of the two a hit was for."""
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    store.add_party("Carrie Lam", country="HK", engine=engine)
    store.record_disposition("Carrie Lam", "SDN", "29249", user="alice", country="HK",
                             reason="a namesake, passport checked", engine=engine)
    assert store.rescreen(engine).new_hits == []
    store.load_lists([_edited_sdn(small_lists / "ofac" / "sdn.csv", tmp_path / "v2", b"29249",
                                  b"DOB 13 May 1957", b"DOB 13 May 1957; alt. DOB 1958")],
                     engine=engine)
    store.add_party("Carrie Lam", engine=engine)
    rep = store.rescreen(engine)
    assert [h.entry_id for _, h in rep.new_hits if h.list == "SDN"].count("29249") == 2
    found = {(p, p.country, h.list, h.entry_id) for p, h in rep.new_hits}
    assert ("Carrie Lam", "HK", "SDN", "29249") in found
    assert ("Carrie Lam", None, "SDN", "29249") in found


def test_rescreen_output_names_the_party_country(
        small_lists: Path, cli: Callable[[list[str]], tuple[int, str, str]]) -> None:
    assert cli(["lists", "load", str(small_lists / "ofac" / "sdn.csv")])[0] == 0
    assert cli(["parties", "add", "Carrie Lam", "--country", "HK"])[0] == 0
    code, out, _ = cli(["rescreen", "--json"])
    assert code == 0
    hit = next(h for h in json.loads(out)["new_hits"] if h["entry_id"] == "29249")
    assert (hit["party"], hit["country"], hit["dob"]) == ("Carrie Lam", "HK", None)
    assert isinstance(hit["party_id"], int)


# -- ownership: every listed owner is in the chain ------------------------------------------
def _target_owned_by(direct: dict[str, object], indirect: dict[str, object]) -> Ownership:
    """'Alpha Target Ltd' owned by ``direct`` and 30% by 'Zulu Holdings Ltd', which
    ``indirect`` owns whole ('Alpha ...' sorts first, so the pass reached it before Zulu)."""
    return Ownership.from_rows([
        {**direct, "owned": "Alpha Target Ltd"},
        {"owner": "Zulu Holdings Ltd", "owned": "Alpha Target Ltd", "percent": 30},
        {**indirect, "owned": "Zulu Holdings Ltd", "percent": 100},
    ])


def test_an_owned_entity_is_shown_with_every_blocked_owner() -> None:
    """Blocked persons own 80% (50% directly, 30% through a blocked company): the chain said
    "= 50%" and left out the second blocked owner."""
    from exportcheck.screen import Screener

    owners = _target_owned_by(
        {"owner": "LAM, Carrie", "percent": 50, "owner_country": "HK"},
        {"owner": "LEE, John Ka-chiu", "owner_country": "HK"})
    (hit,) = owners.derived_hits("Alpha Target Ltd", Screener.from_samples())
    assert "= 80% ≥ 50%" in hit.explanation[0]
    assert "SDN entry 29249" in hit.explanation[0] and "SDN entry 29250" in hit.explanation[0]


def test_an_affiliate_takes_the_strictest_requirement_of_all_its_listed_owners() -> None:
    """BIS affiliates rule (90 FR 47201; ownership_rules.yaml): with several listed owners the
    most restrictive requirement applies. A MEU owner (50%, Supp. 2 items only) and Huawei
    (Entity List, all items; 30% through Zulu): Huawei was left out of the chain, and an EAR99
    line to the affiliate was NLR."""
    from datetime import date

    from exportcheck import determine
    from exportcheck.screen import Screener

    s = Screener.from_samples()
    meu = next(e for e in s.entries if e.list == "MEU")
    owners = _target_owned_by({"owner": meu.name, "percent": 50, "owner_country": "CN"},
                              {"owner": "Huawei Technologies Co., Ltd.", "owner_country": "CN"})
    d = determine("EAR99", "CN", date(2025, 10, 5), consignee="Alpha Target Ltd", screener=s,
                  ownership=owners)
    (hit,) = [h for h in d.screening_hits if h.match_kind == "owned"]
    assert "Huawei" in hit.explanation[0] and "= 80%" in hit.explanation[0]
    assert hit.list == "EL" and d.outcome.value == "LICENSE_REQUIRED"


def test_a_cross_holding_in_the_chain_is_named_once() -> None:
    from exportcheck.screen import Screener

    owners = Ownership.from_rows([
        {"owner": "LAM, Carrie", "owned": "A Co", "percent": 50, "owner_country": "HK"},
        {"owner": "B Co", "owned": "A Co", "percent": 50},
        {"owner": "A Co", "owned": "B Co", "percent": 100}])
    (hit,) = owners.derived_hits("B Co", Screener.from_samples())
    assert hit.explanation[0].startswith("owned 100% by A Co [owned 50% by LAM, Carrie (SDN "
                                         "entry 29249) + 50% by B Co (as above) = 100%]")
