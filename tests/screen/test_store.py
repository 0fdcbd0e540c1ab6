"""List versions in the database: row-count gate, atomic loads, dispositions, re-screening."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from exportcheck.db import get_engine, session_factory
from exportcheck.errors import InvalidInput, ListDataError, NotFound
from exportcheck.screen import store
from exportcheck.screen.parsers import load_paths


def _truncated_sdn(src: Path, dst: Path, keep: float) -> Path:
    lines = src.read_bytes().split(b"\r\n")
    dst.mkdir(parents=True, exist_ok=True)
    out = dst / "sdn.csv"
    out.write_bytes(b"\r\n".join(lines[: int(len(lines) * keep)]) + b"\r\n")
    return out


def test_load_stores_version_and_activates(engine: Engine, lists_dir: Path) -> None:
    res = store.load_lists([lists_dir / "ofac_2021-07", lists_dir / "bis" / "dpl.txt"],
                           engine=engine, user="tester")
    assert {r.source: r.status for r in res} == {"ofac-sdn": "activated", "bis-dpl": "activated"}
    versions = store.list_versions(engine, active_only=True)
    sdn = next(v for v in versions if v.source == "ofac-sdn")
    assert sdn.row_count == 8976 and len(sdn.content_hash) == 64 and sdn.file_date
    again = store.load_lists([lists_dir / "bis" / "dpl.txt"], engine=engine)
    assert again[0].status == "unchanged"
    s = store.load_screener(engine)
    assert s.version.startswith("bis-dpl@") and s.screen("Carrie Lam")[0].entry_id == "29249"


def test_row_count_gate(engine: Engine, small_lists: Path, tmp_path: Path) -> None:
    # the published file cut to an eighth of its entries (the gate is relative; the whole
    # list, loaded three times, took 7 s a backend)
    sdn = small_lists / "ofac" / "sdn.csv"
    [first] = store.load_lists([sdn], engine=engine)
    assert first.status == "activated" and first.row_count > 1_500
    small = _truncated_sdn(sdn, tmp_path / "cut", 0.5)
    with pytest.raises(ListDataError, match="fewer"):
        store.load_lists([small], engine=engine)
    active = store.list_versions(engine, active_only=True)
    assert [v.row_count for v in active] == [first.row_count]  # nothing changed
    ok = _truncated_sdn(sdn, tmp_path / "ok", 0.95)
    assert store.load_lists([ok], engine=engine)[0].status == "activated"  # 5% drop is fine
    forced = store.load_lists([small], engine=engine, force=True)
    assert forced[0].status == "activated"
    assert store.list_versions(engine, active_only=True)[0].forced


def test_bad_file_in_a_load_changes_nothing(engine: Engine, lists_dir: Path,
                                            tmp_path: Path) -> None:
    bad = tmp_path / "dpl.txt"
    bad.write_text("not a list\n", encoding="utf-8")
    with pytest.raises(ListDataError):
        store.load_lists([lists_dir / "un" / "UN_consolidated.xml", bad], engine=engine)
    assert store.list_versions(engine) == []


def test_dispositions_suppress_until_entry_changes(engine: Engine, small_lists: Path,
                                                   tmp_path: Path) -> None:
    store.load_lists([small_lists / "ofac_2021-07"], engine=engine)
    s = store.load_screener(engine)
    hit = s.screen("Carrie Lam")[0]
    with pytest.raises(NotFound):
        store.record_disposition("Carrie Lam", "SDN", "999999", user="u", reason="r",
                                 engine=engine)
    store.record_disposition("Carrie Lam", hit.list, hit.entry_id, user="alice",
                             reason="our customer is a different Carrie Lam, born 1990",
                             engine=engine)
    s = store.load_screener(engine)
    assert s.screen("LAM, Carrie") == []  # same party, other word order
    shown = s.screen("Carrie Lam", include_suppressed=True)
    assert shown and "alice" in shown[0].suppressed_by
    # a release that leaves the entry as it was keeps the hit cleared
    store.load_lists([small_lists / "ofac" / "sdn.csv", small_lists / "ofac_2025-12" / "alt.csv"],
                     engine=engine)
    assert store.load_screener(engine).screen("Carrie Lam") == []
    # a release that changes the entry brings the hit back for review
    changed = tmp_path / "changed"
    changed.mkdir()
    raw = (small_lists / "ofac" / "sdn.csv").read_bytes()
    (changed / "sdn.csv").write_bytes(raw.replace(b"DOB 13 May 1957", b"DOB 13 May 1957; "
                                                  b"Former Chief Executive", 1))
    store.load_lists([changed / "sdn.csv"], engine=engine)
    again = store.load_screener(engine).screen("Carrie Lam")
    assert again and any("changed since" in x for x in again[0].explanation)
    _assert_audited(engine)


def _assert_audited(engine: Engine) -> None:
    from exportcheck.ledger.models import AuditEntry

    with session_factory(engine)() as s:
        kinds = list(s.scalars(select(AuditEntry.kind)))
    assert "screening.disposition" in kinds


def test_rescreen_reports_new_and_removed_hits(engine: Engine, small_lists: Path) -> None:
    old = load_paths([small_lists / "ofac_2021-07" / "sdn.csv"])[0]
    new = load_paths([small_lists / "ofac" / "sdn.csv"])[0]
    old_ids = {e.entry_id for e in old.entries}
    new_ids = {e.entry_id for e in new.entries}
    added = next(e for e in new.entries if e.entry_id not in old_ids and e.kind == "person"
                 and len(e.name.split()) >= 2)
    removed = next(e for e in old.entries if e.entry_id not in new_ids and e.kind == "person"
                   and len(e.name.split()) >= 2)
    store.load_lists([small_lists / "ofac_2021-07" / "sdn.csv"], engine=engine)
    for name in (added.name, removed.name, "Jane Q. Unlisted"):
        store.add_party(name, engine=engine)
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    rep = store.rescreen(engine)
    assert rep.parties == 3 and rep.changed_entries["ofac-sdn"] > 0
    assert (added.name, added.entry_id) in {(p, h.entry_id) for p, h in rep.new_hits}
    assert (removed.name, removed.entry_id) in {(p, h.entry_id) for p, h in rep.removed_hits}
    assert "Jane Q. Unlisted" not in {p for p, _ in rep.new_hits + rep.removed_hits}


def test_same_named_parties_in_different_countries_are_both_kept(engine: Engine) -> None:
    a = store.add_party("John Smith", country="GB", dob="1970-01-02", engine=engine)
    b = store.add_party("John Smith", country="US", engine=engine)
    c = store.add_party("SMITH, John", country="gb", dob="1970-01-02", kind="person",
                        engine=engine)  # the same identity as a: idempotent
    d = store.add_party("John Smith", engine=engine)  # no country: an identity of its own
    assert a.id == c.id and len({a.id, b.id, d.id}) == 3
    parties = store.list_parties(engine)
    assert [(p.country, p.dob) for p in parties] == [("GB", "1970-01-02"), ("US", None),
                                                     (None, None)]
    assert parties[0].kind == "person" and parties[0].name == "John Smith"


@pytest.mark.empty_db
def test_party_identity_migration_keeps_existing_parties(db_url: str) -> None:
    # a database created by the previous release (screening_0002) with parties in it
    from alembic import command
    from sqlalchemy import create_engine, text

    from exportcheck.db.migrate import alembic_config, upgrade

    raw = create_engine(db_url)
    cfg = alembic_config()
    cfg.attributes["engine"] = raw
    command.upgrade(cfg, "screening_0002")
    with raw.begin() as conn:
        conn.execute(text(
            "INSERT INTO screening_parties (name, party_key, country, dob, created_at) VALUES "
            "('Carrie Lam', 'carrie lam', 'HK', NULL, CURRENT_TIMESTAMP), "
            "('Acme Ltd', 'acme ltd', NULL, NULL, CURRENT_TIMESTAMP)"))
    upgrade(raw)
    eng = get_engine(db_url)
    kept = {(p.name, p.country) for p in store.list_parties(eng)}
    assert kept == {("Carrie Lam", "HK"), ("Acme Ltd", None)}
    # re-adding an existing party finds it; the same name elsewhere is a new party
    assert store.add_party("LAM, Carrie", country="HK", engine=eng).name == "Carrie Lam"
    store.add_party("Carrie Lam", country="GB", engine=eng)
    assert len(store.list_parties(eng)) == 3
    raw.dispose()


def test_concurrent_adds_of_one_party_keep_one_row(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    eng = get_engine(db_url)
    store.add_party("Warm Up", engine=eng)  # schema in place before the race
    with ThreadPoolExecutor(8) as pool:
        ids = set(pool.map(lambda _: store.add_party("Carrie Lam", country="HK",
                                                      engine=eng).id, range(16)))
    assert len(ids) == 1
    assert sum(p.name == "Carrie Lam" for p in store.list_parties(eng)) == 1


def test_add_party_refuses_an_unknown_kind_and_keeps_nothing(engine: Engine) -> None:
    """A stored kind every later screen refuses made each ``rescreen`` fail for all parties
    ("kind 'banana' is not one of ..."), and no command removes a party."""
    with pytest.raises(InvalidInput, match="kind 'banana' is not one of person, entity"):
        store.add_party("John Smith", kind="banana", engine=engine)
    assert store.list_parties(engine) == []
    # the kinds a screen takes, in any case the user types them
    assert store.add_party("Jane Roe", kind=" Person ", engine=engine).kind == "person"
