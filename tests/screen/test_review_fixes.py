"""Issue #4 (review of the screening): party-bound dispositions, per-source entry hashes,
the loud sample fallback, rescreen baselines, clean CLI errors and the per-list row gate."""

from __future__ import annotations

import csv
import functools
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import run_cli as run
from sqlalchemy import Engine

from exportcheck.errors import ListDataError
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR

csv.field_size_limit(10_000_000)

pytestmark = pytest.mark.usefixtures("fresh_default")


@functools.cache
def _csl_rows(lists_dir: Path) -> tuple[list[str], list[list[str]]]:
    with (lists_dir / "csl_2026-07" / "consolidated.csv").open(encoding="utf-8",
                                                               newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _write_csl(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def _csl_subset(lists_dir: Path, path: Path,
                keep: Callable[[list[str]], bool] = lambda r: True,
                edit: Callable[[list[str]], list[str]] = lambda r: r) -> Path:
    """A real CSL cut down to its first 400 rows plus SDN 35096 (Putin) and 80 DPL rows."""
    header, rows = _csl_rows(lists_dir)
    dpl = [r for r in rows if "(DPL)" in r[1]][:80]
    putin = [r for r in rows if r[2] == "35096"]
    picked = [r for r in rows[:400] + putin + dpl if keep(r)]
    return _write_csl(path, header, [edit(list(r)) for r in picked])


def _edited_sdn(lists_dir: Path, dst: Path, ent_num: str, extra: bytes) -> Path:
    raw = (lists_dir / "ofac" / "sdn.csv").read_bytes()
    lines = raw.split(b"\r\n")
    i = next(i for i, ln in enumerate(lines) if ln.startswith(ent_num.encode() + b","))
    lines[i] = lines[i][:-1] + extra + b'"' if lines[i].endswith(b'"') else lines[i]
    assert lines[i] != raw.split(b"\r\n")[i]
    dst.mkdir(parents=True, exist_ok=True)
    (dst / "sdn.csv").write_bytes(b"\r\n".join(lines))
    return dst / "sdn.csv"


# -- 1. a clearance binds to the party's identity, not to the name ------------------------
def test_clearing_a_namesake_does_not_clear_the_listed_person(
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lists", "load", str(SAMPLES_DIR))
    assert code == 0, err
    code, _, err = run(capsys, "dispositions", "add", "--party", "Carrie Lam", "--country", "HK",
                       "--dob", "1957-02-03", "--list", "SDN", "--entry", "29249", "--user",
                       "alice", "--reason", "our customer is a Carrie Lam born 3 Feb 1957")
    assert code == 0, err
    code, out, err = run(capsys, "check", "--item", "EAR99", "--to", "HK", "--on", "2024-01-01",
                         "--end-user", "Carrie Lam", "--json")
    assert code == 0, err
    assert json.loads(out)["outcome"] == "PROHIBITED"
    # the cleared party itself (same name, country and dob) is not flagged again
    code, out, _ = run(capsys, "screen", "LAM, Carrie", "--country", "HK", "--dob",
                       "1957-02-03", "--json")
    assert "29249" not in {h["entry_id"] for h in json.loads(out)["hits"]}
    # anyone else called Carrie Lam: no dob, another dob, another country
    for other in (("--country", "HK"), ("--country", "HK", "--dob", "1957-02-04"),
                  ("--country", "CN", "--dob", "1957-02-03")):
        code, out, _ = run(capsys, "screen", "Carrie Lam", *other, "--json")
        assert "29249" in {h["entry_id"] for h in json.loads(out)["hits"]}, other


def test_check_says_which_hit_an_officer_cleared(capsys: pytest.CaptureFixture[str]) -> None:
    # the record must say why screening passed, not that nothing was found (as the web does)
    assert run(capsys, "lists", "load", str(SAMPLES_DIR))[0] == 0
    code, _, err = run(capsys, "dispositions", "add", "--party", "Carrie Lamm", "--country", "HK",
                       "--list", "SDN", "--entry", "29249", "--user", "alice",
                       "--reason", "a shop owner in Mong Kok, not the former Chief Executive")
    assert code == 0, err
    code, out, err = run(capsys, "check", "--item", "EAR99", "--to", "HK", "--on", "2024-01-01",
                         "--end-user", "Carrie Lamm", "--json")
    assert code == 0, err
    d = json.loads(out)
    assert d["outcome"] == "NLR" and not d["hold"]
    step = next(s for s in d["trace"] if s["rule"] == "Screening hit cleared (end user)")
    assert "SDN 29249" in step["detail"] and "cleared by alice" in step["detail"]
    assert "Mong Kok" in step["detail"]


def test_disposition_without_country_or_dob_applies_only_to_such_queries(
        engine: Engine) -> None:
    store.load_lists([SAMPLES_DIR], engine=engine)
    store.record_disposition("Carrie Lam", "SDN", "29249", user="bob", reason="namesake",
                             engine=engine)
    s = store.load_screener(engine)
    assert "29249" not in {h.entry_id for h in s.screen("Carrie Lam")}
    assert "29249" in {h.entry_id for h in s.screen("Carrie Lam", country="HK")}
    assert "29249" in {h.entry_id for h in s.screen("Carrie Lam", dob="1957")}


# -- 2. the same entry from two sources ---------------------------------------------------
def test_clearance_holds_for_an_entry_carried_by_two_sources(
        engine: Engine, lists_dir: Path, small_lists: Path, tmp_path: Path) -> None:
    csl = _csl_subset(lists_dir, tmp_path / "csl" / "consolidated.csv")
    store.load_lists([small_lists / "ofac" / "sdn.csv", csl], engine=engine)
    s = store.load_screener(engine)
    copies = {src: h for src, h in s._copies[("SDN", "35096")]}
    assert set(copies) == {"ofac-sdn", "csl"} and copies["ofac-sdn"] != copies["csl"]
    assert s.screen("Vladimir Putin")[0].entry_id == "35096"
    store.record_disposition("Vladimir Putin", "SDN", "35096", user="alice",
                             reason="a namesake", engine=engine)
    assert "35096" not in {h.entry_id for h in store.load_screener(engine).screen(
        "Vladimir Putin")}
    # the CSL copy changes: the clearance lapses, though the sdn.csv copy did not change
    changed = _csl_subset(lists_dir, tmp_path / "csl2" / "consolidated.csv",
                          edit=lambda r: [*r[:20], r[20] + " Updated.", *r[21:]]
                          if r[2] == "35096" else r)
    store.load_lists([changed], engine=engine)
    again = [h for h in store.load_screener(engine).screen("Vladimir Putin")
             if h.entry_id == "35096"]
    assert again and any("changed since" in x for x in again[0].explanation)


def test_clearance_lapses_when_a_new_source_carries_the_entry(
        engine: Engine, lists_dir: Path, small_lists: Path, tmp_path: Path) -> None:
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    store.record_disposition("Vladimir Putin", "SDN", "35096", user="alice",
                             reason="a namesake", engine=engine)
    assert "35096" not in {h.entry_id for h in store.load_screener(engine).screen(
        "Vladimir Putin")}
    store.load_lists([_csl_subset(lists_dir, tmp_path / "consolidated.csv")], engine=engine)
    hits = store.load_screener(engine).screen("Vladimir Putin")
    assert hits[0].entry_id == "35096" and any("changed since" in x
                                               for x in hits[0].explanation)


# -- 3. the fallback to the bundled samples is loud ----------------------------------------
def test_sample_fallback_is_announced(capsys: pytest.CaptureFixture[str],
                                      tmp_path: Path) -> None:
    code, out, err = run(capsys, "screen", "Carrie Lam", "--json")
    assert code == 0
    assert "SAMPLE lists" in err and "exportcheck lists load" in err
    assert json.loads(out)["lists_version"].startswith("samples:")
    src = tmp_path / "in.csv"
    src.write_text("name\nCarrie Lam\nNobody Special\n", encoding="utf-8")
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(tmp_path / "out.csv"), "--workers", "1")
    assert code == 0, err
    assert "SAMPLE lists" in err
    with (tmp_path / "out.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert all(r["lists_version"].startswith("samples:") for r in rows)
    code, _, err = run(capsys, "check", "--item", "EAR99", "--to", "HK", "--on", "2024-01-01",
                       "--end-user", "Carrie Lam")
    assert code == 0 and "SAMPLE lists" in err
    # with lists loaded there is no warning, and the batch names the loaded version
    assert run(capsys, "lists", "load", str(SAMPLES_DIR))[0] == 0
    code, out, err = run(capsys, "screen", "Carrie Lam", "--json")
    assert "SAMPLE" not in err and not json.loads(out)["lists_version"].startswith("samples:")


# -- 4. rescreen -------------------------------------------------------------------------
def test_rescreen_entry_still_listed_by_another_source_is_not_removed(
        engine: Engine, lists_dir: Path, small_lists: Path, tmp_path: Path) -> None:
    csl = _csl_subset(lists_dir, tmp_path / "a" / "consolidated.csv")
    store.load_lists([small_lists / "ofac" / "sdn.csv", csl], engine=engine)
    # a later sdn.csv that changes another entry only (35096 unchanged there)
    store.load_lists([_edited_sdn(small_lists, tmp_path / "s", "29249", b"; x")], engine=engine)
    store.add_party("Vladimir Putin", engine=engine)
    store.rescreen(engine)
    # the CSL drops its copy; sdn.csv still lists him: not a removed hit
    store.load_lists([_csl_subset(lists_dir, tmp_path / "b" / "consolidated.csv",
                                  keep=lambda r: r[2] != "35096")], engine=engine)
    rep = store.rescreen(engine)
    assert rep.changed_entries["csl"] >= 1
    assert "35096" not in {h.entry_id for _, h in rep.removed_hits + rep.new_hits}


def test_rescreen_reports_a_lapsed_clearance_as_new_hit(engine: Engine, small_lists: Path,
                                                        tmp_path: Path) -> None:
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    store.add_party("Vladimir Putin", engine=engine)
    store.record_disposition("Vladimir Putin", "SDN", "35096", user="alice",
                             reason="a namesake", engine=engine)
    changed = _edited_sdn(small_lists, tmp_path / "c", "35096", b"; Former Prime Minister")
    store.load_lists([changed], engine=engine)
    rep = store.rescreen(engine)
    assert rep.changed_entries == {"ofac-sdn": 1}
    assert [(p, h.entry_id) for p, h in rep.new_hits] == [("Vladimir Putin", "35096")]
    assert any("changed since" in x for x in rep.new_hits[0][1].explanation)


def test_rescreen_reports_only_changes_since_the_last_rescreen(engine: Engine,
                                                               small_lists: Path) -> None:
    store.load_lists([small_lists / "ofac_2021-07" / "sdn.csv"], engine=engine)
    store.add_party("Vladimir Putin", engine=engine)
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    first = store.rescreen(engine)  # first run: against the previous list version
    assert ("Vladimir Putin", "35096") in {(p, h.entry_id) for p, h in first.new_hits}
    again = store.rescreen(engine)
    assert again.new_hits == [] and again.removed_hits == []
    assert again.changed_entries == {"ofac-sdn": 0}
    assert again.baseline == again.versions


# -- 5. clean errors ---------------------------------------------------------------------
def _one_line_error(code: int, err: str) -> None:
    assert code == 2, err
    assert err.startswith("error:") and err.count("\n") == 1, err
    assert "Traceback" not in err


def test_cli_errors_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "empty" / "sdn.csv"
    empty.parent.mkdir()
    empty.write_bytes(b"")
    code, _, err = run(capsys, "lists", "load", str(empty))
    _one_line_error(code, err)
    assert "sdn.csv" in err

    rows = json.loads((SAMPLES_DIR / "cn.json").read_text(encoding="utf-8"))
    i = next(i for i, r in enumerate(rows) if str(r.get("list_id", "")).startswith("cn-"))
    del rows[i]["id"]
    (tmp_path / "cn").mkdir()
    (tmp_path / "cn" / "cn.json").write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
    code, _, err = run(capsys, "lists", "load", str(tmp_path / "cn" / "cn.json"))
    _one_line_error(code, err)
    assert '"id"' in err

    bad_json = tmp_path / "consolidated.json"
    bad_json.write_text('{"results":[1,2]}', encoding="utf-8")
    code, _, err = run(capsys, "lists", "load", str(bad_json))
    _one_line_error(code, err)
    assert "not an object" in err
    assert store.list_versions() == []  # none of them loaded anything

    code, _, err = run(capsys, "screen", "Carrie Lam", "--dob", "1957-13-45", "--lists-from",
                       str(SAMPLES_DIR))
    _one_line_error(code, err)
    assert "1957-13-45" in err

    src = tmp_path / "in.csv"
    src.write_text("name\nCarrie Lam\n", encoding="utf-8")
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       "/nonexistent/dir/out.csv", "--lists-from", str(SAMPLES_DIR))
    _one_line_error(code, err)
    assert "/nonexistent/dir" in err
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(tmp_path / "out.csv"), "--threshold", "500", "--lists-from",
                       str(SAMPLES_DIR))
    _one_line_error(code, err)
    assert "0-100" in err and not (tmp_path / "out.csv").exists()


# -- 6. the row gate per list inside the CSL ----------------------------------------------
def test_gate_refuses_a_csl_that_lost_one_list(engine: Engine, lists_dir: Path,
                                               tmp_path: Path) -> None:
    header, rows = _csl_rows(lists_dir)
    dpl = [r for r in rows if "(DPL)" in r[1]][:80]
    others = [r for r in rows if "(DPL)" not in r[1]][:1500]
    store.load_lists([_write_csl(tmp_path / "a" / "consolidated.csv", header, others + dpl)],
                     engine=engine)
    before = store.list_versions(engine, active_only=True)
    no_dpl = _write_csl(tmp_path / "b" / "consolidated.csv", header, others)
    with pytest.raises(ListDataError, match=r"DPL list has 0 entries"):
        store.load_lists([no_dpl], engine=engine)
    assert [v.id for v in store.list_versions(engine, active_only=True)] == [before[0].id]
    res = store.load_lists([no_dpl], engine=engine, force=True)
    assert res[0].status == "activated"
    assert store.list_versions(engine, active_only=True)[0].forced


def test_screen_file_writes_csv_a_spreadsheet_will_not_run(tmp_path) -> None:
    """The Python API's CSV output neutralises formulas as the CLI's does (csvsafe)."""
    import polars as pl

    from exportcheck.screen import Screener
    from exportcheck.screen.batch import screen_file

    pl.DataFrame({"name": ['=HYPERLINK("http://evil","x")', "Carrie Lam"]}).write_csv(
        tmp_path / "in.csv")
    screen_file(tmp_path / "in.csv", tmp_path / "out.csv", "name",
                screener=Screener.from_samples())
    got = pl.read_csv(tmp_path / "out.csv", infer_schema_length=0)
    assert got["name"].to_list() == ["'=HYPERLINK(\"http://evil\",\"x\")", "Carrie Lam"]
    assert got["score"].to_list()[1] == "100.0"


@pytest.mark.parametrize("name", ["Co., Ltd.", "有限公司", "LLC", "Limited", "GmbH & Co. KG",
                                  "PTY LTD", "GMBH & CO KG", "OOO"])
def test_a_name_that_is_only_a_legal_form_is_refused(name: str) -> None:
    """It answered "no hit", which reads as a cleared party (screening QA pass)."""
    from exportcheck.errors import InvalidInput
    from exportcheck.screen import Screener

    with pytest.raises(InvalidInput, match="is only a legal form"):
        Screener.from_samples().screen(name)


@pytest.mark.parametrize("name", ["AO", "The Limited", "Acme Ltd", "Sa",
                                  # Australia's submarine builder: ASC is a name here
                                  "ASC Pty Ltd"])
def test_a_name_with_a_word_of_its_own_is_screened(name: str) -> None:
    from exportcheck.screen import Screener

    assert isinstance(Screener.from_samples().screen(name), list)


def test_rescreen_screens_a_party_stored_since_the_last_one_against_every_entry(
        engine: Engine, small_lists: Path) -> None:
    """A party stored after the last rescreen was checked against the changed entries only:
    "Vladimir Putin" added today, SDN 35096 unchanged, was never reported."""
    store.load_lists([small_lists / "ofac" / "sdn.csv"], engine=engine)
    store.add_party("Jane Q. Unlisted", engine=engine)
    assert store.rescreen(engine).new_hits == []
    store.add_party("Vladimir Putin", engine=engine)
    store.add_party("Carrie Lam", country="HK", engine=engine)
    store.record_disposition("Carrie Lam", "SDN", "29249", user="alice", country="HK",
                             reason="a namesake, passport checked", engine=engine)
    rep = store.rescreen(engine)
    assert rep.changed_entries == {"ofac-sdn": 0} and rep.first_screened == 2
    found = {(p, h.entry_id) for p, h in rep.new_hits}
    assert ("Vladimir Putin", "35096") in found
    assert not any(p in ("Carrie Lam", "Jane Q. Unlisted") for p, _ in found)  # cleared
    again = store.rescreen(engine)
    assert again.new_hits == [] and again.first_screened == 0
