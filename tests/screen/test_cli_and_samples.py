"""CLI commands (thin layer over the API) and the bundled sample lists."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from cli_helpers import run_cli as run

from exportcheck.screen import Screener
from exportcheck.screen.service import SAMPLES_DIR


def test_samples_are_small_and_cover_hong_kong(sample_screener: Screener) -> None:
    size = sum(p.stat().st_size for p in SAMPLES_DIR.iterdir())
    assert size < 300_000
    assert Screener().version == sample_screener.version
    sources = {pl.source for pl in sample_screener.lists}
    assert {"ofac-sdn", "csl", "bis-dpl", "un", "mofcom"} <= sources
    hit = sample_screener.screen("LEE Ka-chiu", country="HK")[0]
    assert hit.list == "SDN" and "HK-EO13936" in hit.programs
    el = [e for e in sample_screener.entries if e.list == "EL"]
    assert el and all(e.license_requirement and e.license_policy for e in el)
    assert any(e.list == "DPL" for e in sample_screener.entries)


def test_screen_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "screen", "曾國衞", "--json", "--lists-from", str(SAMPLES_DIR),
                       "--threshold", "50")
    assert code == 0
    doc = json.loads(out)
    assert doc["query"] == "曾國衞" and "lists_version" in doc


def test_screen_table_and_no_hit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "screen", "Carrie Lam", "--lists-from", str(SAMPLES_DIR))
    assert code == 0 and "29249" in out
    code, out, _ = run(capsys, "screen", "Jane Q. Unlisted", "--lists-from", str(SAMPLES_DIR))
    assert code == 0 and "no hit" in out


def test_screen_bad_input_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "screen", "  ", "--lists-from", str(SAMPLES_DIR))
    assert code == 2 and err.startswith("error:") and "empty" in err


def test_screen_batch_one_row_per_input(capsys: pytest.CaptureFixture[str],
                                        tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    names = ["Carrie Lam", "Nobody Special", "", "李家超", "Teresa Cheng"]
    with src.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["customer", "cc"])
        w.writerows([n, "HK"] for n in names)
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "customer", "-o",
                       str(out), "--lists-from", str(SAMPLES_DIR), "--workers", "1")
    assert code == 0, err
    with out.open(encoding="utf-8") as fh:
        result = list(csv.DictReader(fh))
    assert len(result) == len(names)
    assert {"row", "score", "list", "entry_id", "matched_name"} <= set(result[0])
    assert result[0]["entry_id"] == "29249" and result[1]["entry_id"] == ""
    assert "empty" in result[2]["error"]
    assert result[3]["entry_id"] == "29250"
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "nope", "-o",
                       str(out), "--lists-from", str(SAMPLES_DIR))
    assert code == 2 and "nope" in err


def test_lists_load_show_rescreen_dispositions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lists", "load", str(SAMPLES_DIR))
    assert code == 0, err
    assert "activated" in out
    code, out, _ = run(capsys, "lists", "show", "--json")
    assert {v["source"] for v in json.loads(out)} >= {"ofac-sdn", "csl", "un"}
    code, out, _ = run(capsys, "parties", "add", "Carrie Lam", "--country", "HK")
    assert code == 0
    code, out, _ = run(capsys, "rescreen", "--json")
    assert code == 0 and json.loads(out)["parties"] == 1
    code, out, err = run(capsys, "dispositions", "add", "--party", "Carrie Lam", "--list", "SDN",
                         "--entry", "29249", "--user", "alice", "--reason", "different person")
    assert code == 0, err
    code, out, _ = run(capsys, "screen", "Carrie Lam", "--json")
    assert all(h["entry_id"] != "29249" or h["list"] != "SDN" for h in json.loads(out)["hits"])
    code, _, err = run(capsys, "lists", "load", str(SAMPLES_DIR / "README.md"))
    assert code == 2 and "unrecognised" in err


def test_batch_parquet_and_api(tmp_path: Path, sample_screener: Screener) -> None:
    import polars as pl

    from exportcheck.screen.batch import screen_file

    src = tmp_path / "in.parquet"
    pl.DataFrame({"n": ["Xinjiang Police College", "Acme Widgets"]}).write_parquet(src)
    out = tmp_path / "out.parquet"
    assert screen_file(src, out, "n", screener=sample_screener, workers=1) == 1
    res = pl.read_parquet(out)
    assert res["list"].to_list() == ["EL", ""] and res["row"].to_list() == [1, 2]


def test_fetch_without_network_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib.request

    from exportcheck.errors import ListDataError
    from exportcheck.screen import fetch

    def offline(*_a: object, **_k: object) -> None:
        raise OSError("network is unreachable")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(ListDataError, match="cannot download un"):
        fetch.fetch_official(["un"])
    with pytest.raises(ListDataError, match="no official URL"):
        fetch.fetch_official(["nope"])


def test_lists_load_takes_the_day_the_files_were_published(
        capsys: pytest.CaptureFixture[str]) -> None:
    """Where the files do not say (the UN file does), ``--published`` is the lists' date a
    past determination compares with (screen/listing.py); a bad date loads nothing."""
    from exportcheck.screen.store import load_screener

    code, _, err = run(capsys, "lists", "load", str(SAMPLES_DIR), "--published", "2026-7-1")
    assert code == 2 and "YYYY-MM-DD" in err
    code, _, err = run(capsys, "lists", "load", str(SAMPLES_DIR), "--published", "2099-01-01")
    assert code == 2 and "in the future" in err
    code, _, err = run(capsys, "lists", "show", "--json")  # nothing loaded, nothing created
    assert code == 2 and "there is no database" in err
    code, out, err = run(capsys, "lists", "load", str(SAMPLES_DIR), "--published", "2026-07-01")
    assert code == 0, err
    code, out, _ = run(capsys, "lists", "show", "--json")
    dates = {v["source"]: v["file_date"] for v in json.loads(out)}
    assert dates["ofac-sdn"] == dates["csl"] == "2026-07-01"
    assert dates["un"] == "2026-02-27"  # its dateGenerated
    assert load_screener().lists_date.isoformat() == "2026-07-01"
