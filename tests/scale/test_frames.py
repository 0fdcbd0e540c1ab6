"""Partitions read back to the file polars reads whole: quoted newlines, empty strings, order."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from exportcheck.errors import InvalidInput
from exportcheck.scale import frames


def _whole(pieces: list[frames.Piece]) -> pl.DataFrame:
    return pl.concat([frames.read_piece(p) for p in pieces])


def test_csv_pieces_never_split_a_quoted_newline(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    rows = []
    for i in range(200):
        if i % 7 == 0:
            name = f'"line one\nline two {i}"'
        elif i % 5 == 0:
            name = f'"say ""hi"" {i}"'
        else:
            name = "" if i % 11 == 0 else '""' if i % 13 == 0 else f"陳{i}"
        rows.append(f"{i},{name}")
    src.write_text('id,"the\nname"\n' + "\n".join(rows) + "\n", encoding="utf-8")
    pieces = frames.plan(src, "csv", 9)
    assert len(pieces) > 10
    assert _whole(pieces).equals(pl.read_csv(src, infer_schema_length=0))


def test_parquet_pieces_are_whole_row_groups_in_order(tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    df = pl.DataFrame({"n": list(range(1000)), "s": [None if i % 3 else str(i)
                                                       for i in range(1000)]})
    df.write_parquet(src, row_group_size=64)
    pieces = frames.plan(src, "parquet", 100)
    assert [p.first_row for p in pieces] == [p.start for p in pieces]
    assert all(p.start % 64 == 0 for p in pieces)
    assert _whole(pieces).equals(df)


def test_header_only_and_missing_files(tmp_path: Path) -> None:
    src = tmp_path / "empty.csv"
    src.write_text("name,country\n")
    got = _whole(frames.plan(src, "csv", 10))
    assert got.columns == ["name", "country"] and got.height == 0
    with pytest.raises(InvalidInput, match="does not exist"):
        frames.input_kind(tmp_path / "nope.csv")
    other = tmp_path / "x.json"
    other.write_text("{}")
    with pytest.raises(InvalidInput, match="unsupported input format"):
        frames.input_kind(other, csv_suffixes=(".csv",))
