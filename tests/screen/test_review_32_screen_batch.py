"""screen-batch as a screening analyst runs it: the file's own country and date-of-birth
columns are screened with, and a file that cannot be read is named, not a traceback."""

from __future__ import annotations

import csv
from pathlib import Path

import polars as pl
import pytest
from cli_helpers import run_cli as run

from exportcheck.screen import Screener
from exportcheck.screen.service import SAMPLES_DIR

#: "Lee Ka" is part of "LEE, Ka Chiu" (SDN 29250, born 7 Dec 1957, Hong Kong): 70 on the name,
#: an alert only with his date of birth and country; "Carrie Lam" in the US is not the listed
#: Carrie Lam of Hong Kong (SDN 29249), whose exact name alone scores 100
ROWS = [["Lee Ka", "HK", "1957-12-07"], ["Carrie Lam", "US", ""]]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([header, *rows])
    return path


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_screen_batch_screens_with_the_files_country_and_dob_columns(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", ["Name", "Country", "DOB"], ROWS)
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(out), "--lists-from", str(SAMPLES_DIR), "--workers", "1")
    assert code == 0, err
    lee, lam = _read(out)
    assert (lee["entry_id"], lee["corroborated_by"]) == ("29250", "date of birth;country")
    assert float(lam["score"]) < 100  # the country differs from the listed one
    notes = [ln for ln in err.splitlines() if ln.startswith("note: ")]
    assert len(notes) == 1 and "'Country'" in notes[0] and "'DOB'" in notes[0], err


def test_an_option_still_wins_and_empty_asks_for_none(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    src = _write(tmp_path / "in.csv", ["name", "country", "ship_to", "dob"],
                 [[n, "US", c, d] for n, c, d in ROWS])
    out = tmp_path / "out.csv"
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(out), "--lists-from", str(SAMPLES_DIR), "--workers", "1",
                       "--country-column", "ship_to")
    assert code == 0, err
    assert _read(out)[0]["corroborated_by"] == "date of birth;country"
    assert "country" not in err.split("note: ")[1].split("(")[0]  # only the dob said
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(out), "--lists-from", str(SAMPLES_DIR), "--workers", "1",
                       "--country-column", "", "--dob-column", "")
    assert code == 0 and "note:" not in err, err
    lee, lam = _read(out)
    assert lee["entry_id"] == "" and float(lam["score"]) == 100
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(out), "--lists-from", str(SAMPLES_DIR), "--dob-column", "born")
    assert code == 2 and "'born'" in err and "name, country, ship_to, dob" in err, err


def test_screen_table_reads_a_country_column_too(sample_screener: Screener) -> None:
    from exportcheck.screen.batch import screen_table

    df = pl.DataFrame(ROWS, schema=["name", "nationality", "date_of_birth"], orient="row")
    res = screen_table(df, "name", screener=sample_screener, workers=1)
    assert res["entry_id"][0] == "29250"
    assert res["corroborated_by"][0] == "date of birth;country"


def test_a_parquet_date_of_birth_column_of_timestamps_is_screened_by_its_day(
        tmp_path: Path, sample_screener: Screener) -> None:
    """pandas writes a date column as timestamps: read as text ("1957-12-07 00:00:00.000000")
    no date of birth was one, and every row went unscreened."""
    from datetime import datetime

    from exportcheck.screen.batch import screen_file

    src, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    pl.DataFrame({"name": ["Lee Ka"], "country": ["HK"],
                  "dob": [datetime(1957, 12, 7)]}).write_parquet(src)
    assert screen_file(src, out, "name", screener=sample_screener, workers=1) == 1
    res = pl.read_parquet(out)
    assert res["error"].to_list() == [""] and res["entry_id"].to_list() == ["29250"]


@pytest.mark.parametrize("magic", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_an_excel_workbook_is_named_as_one(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                           magic: bytes, suffix: str) -> None:
    src = tmp_path / f"customers{suffix}"
    src.write_bytes(magic + bytes(range(256)) * 4)
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(tmp_path / "out.csv"), "--lists-from", str(SAMPLES_DIR))
    assert code == 2 and err.count("\n") == 1, err
    assert "Excel workbook" in err and "CSV UTF-8" in err and "UTF-16" not in err, err
    # an order file too: the check is the one every CSV reader makes
    code, _, err = run(capsys, "batch", str(src), "-o", str(tmp_path / "res.csv"), "--no-screen")
    assert code == 2 and "workbook" in err and "CSV UTF-8" in err and "UTF-16" not in err, err


@pytest.mark.parametrize("country", ["Hong Kong SAR", "HKSAR", "China, Hong Kong SAR", "香港"])
def test_hong_kong_as_hong_kong_writes_it_is_a_country(sample_screener: Screener,
                                                       country: str) -> None:
    """A Hong Kong customer file says "Hong Kong SAR": an unknown country left the row
    unscreened ("unknown country"), now that the country column is read by default."""
    hits = sample_screener.screen("Lee Ka", country=country, dob="1957-12-07")
    assert [h.entry_id for h in hits] == ["29250"]
    assert "country" in hits[0].corroborated_by


@pytest.mark.parametrize("encoding", ["gbk", "big5"])
def test_chinese_text_not_in_utf8_is_refused_naming_its_line(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str) -> None:
    """GBK or Big5 (a Hong Kong Excel's "CSV") read as UTF-8 would screen mojibake; guessed,
    the two read the same bytes as other names. Refused with the line, never a traceback."""
    src = tmp_path / "in.csv"
    src.write_bytes("name,country\nCarrie Lam,HK\n李家超,HK\n".encode(encoding))
    code, _, err = run(capsys, "screen-batch", str(src), "--name-column", "name", "-o",
                       str(tmp_path / "out.csv"), "--lists-from", str(SAMPLES_DIR))
    assert code == 2 and err.count("\n") == 1, err
    assert "line 3 is not UTF-8" in err and "CSV UTF-8" in err, err
    assert "Chinese text" in err and "Latin-1" not in err, err  # the guess says what it is
    assert not (tmp_path / "out.csv").exists()
