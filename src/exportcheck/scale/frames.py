"""The input file as Dask tasks, one per partition, each a polars frame read as the
single-process path reads the whole file, with an explicit ``_row`` column (the input row
number from 0). Polars frames, not a dask.dataframe of pandas: a partition goes from the reader
to the task that uses it without a round trip through pandas (about a second per 250,000 rows).

Why polars inside the partitions rather than ``dd.read_csv``: the output must equal the
single-process output byte for byte, so every partition is parsed by the same reader with the
same options (CSV: every column a string, an empty field null, ``""`` an empty string). A CSV
file is cut into byte ranges at line ends outside quoted fields, so a quoted newline never
splits a row; a Parquet file into slices of whole row groups. Partitions are read on the
workers: the client only plans them.
"""

from __future__ import annotations

import io
import mmap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from exportcheck.errors import InvalidInput

if TYPE_CHECKING:
    from distributed import Client, Future

ROW = "_row"
#: bytes sampled to estimate a CSV row's size
_SAMPLE = 1 << 20


@dataclass(frozen=True)
class Piece:
    """One partition of the input: a byte range of a CSV file (``header`` prepended) or a slice
    of rows of a Parquet file; ``first_row`` a Parquet one's (a CSV's is known once the
    partitions before it are read: :class:`CsvParts`)."""

    path: str
    kind: str  # "csv" or "parquet"
    start: int
    stop: int
    header: bytes = b""
    first_row: int | None = None
    #: the file's (modification time in ns, size) when planned: part of the task's key, so
    #: two runs on one path whose contents differ never share a partition on one scheduler
    stamp: tuple[int, int] = (0, 0)


def input_kind(path: Path, *, csv_suffixes: tuple[str, ...] | None = None) -> str:
    """``"parquet"`` or ``"csv"`` by extension. ``csv_suffixes`` None: ``.pq`` is Parquet too
    and anything else is read as CSV (screen-batch); else only those suffixes and ``.parquet``
    are read (batch, impact), as their one-process reader does."""
    if not path.exists():
        raise InvalidInput(f"input file {path} does not exist")
    if path.is_dir():
        raise InvalidInput(f"input file {path} is a folder: give a .csv or .parquet file")
    suffix = path.suffix.lower()
    if suffix == ".parquet" or (suffix == ".pq" and csv_suffixes is None):
        return "parquet"
    if csv_suffixes is None or suffix in csv_suffixes:
        return "csv"
    from exportcheck.determine.batch_io import unsupported_format

    raise unsupported_format(suffix)


def plan(path: Path, kind: str, rows_per_partition: int) -> list[Piece]:
    """Cut the file into pieces of about ``rows_per_partition`` rows (at least one piece)."""
    if rows_per_partition < 1:
        raise InvalidInput("rows per partition must be at least 1")
    try:
        st = path.stat()
        pieces = (_plan_parquet(path, rows_per_partition) if kind == "parquet"
                  else _plan_csv(path, rows_per_partition))
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"cannot read {path}: {exc}") from None
    return [replace(p, stamp=(st.st_mtime_ns, st.st_size)) for p in pieces]


def _plan_parquet(path: Path, rows: int) -> list[Piece]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    pieces: list[Piece] = []
    start = size = 0
    for i in range(meta.num_row_groups):
        size += meta.row_group(i).num_rows
        if size >= rows:
            pieces.append(Piece(str(path), "parquet", start, start + size, first_row=start))
            start, size = start + size, 0
    if size or not pieces:
        pieces.append(Piece(str(path), "parquet", start, start + size, first_row=start))
    return pieces


def _plan_csv(path: Path, rows: int) -> list[Piece]:
    """Byte ranges cut at a newline with an even number of quotes before it in the range (RFC
    4180 doubles quotes inside quoted fields, so parity tells whether a newline is inside)."""
    size = path.stat().st_size
    if size == 0:
        return [Piece(str(path), "csv", 0, 0)]
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
        body = _header_end(mm)
        header = bytes(mm[:body])
        sample = mm[body : body + _SAMPLE]
        per_row = max(1, len(sample) // max(1, sample.count(b"\n")))
        block = max(1, rows * per_row)
        pieces, pos = [], body
        while pos < size:
            cut = pos + block
            if cut >= size:
                pieces.append(Piece(str(path), "csv", pos, size, header))
                break
            quotes = mm[pos:cut].count(b'"')
            nl = mm.find(b"\n", cut)
            while nl != -1:
                quotes += mm[cut:nl].count(b'"')
                cut = nl
                if quotes % 2 == 0:
                    break
                nl = mm.find(b"\n", nl + 1)
            end = size if nl == -1 else nl + 1
            pieces.append(Piece(str(path), "csv", pos, end, header))
            pos = end
    return pieces or [Piece(str(path), "csv", body, body, header)]


def _header_end(mm: mmap.mmap) -> int:
    """The offset just past the header line (a quoted header may span lines)."""
    pos = 0
    while True:
        nl = mm.find(b"\n", pos)
        if nl == -1:
            return len(mm)
        if mm[:nl].count(b'"') % 2 == 0:
            return nl + 1
        pos = nl + 1


def read_piece(piece: Piece) -> pl.DataFrame:
    """The piece as polars reads it in the single-process path."""
    try:
        if piece.kind == "parquet":
            rows = piece.stop - piece.start
            return pl.scan_parquet(piece.path).slice(piece.start, rows).collect()
        with open(piece.path, "rb") as f:
            if piece.stop == 0:
                return pl.read_csv(f, infer_schema_length=0)
            f.seek(piece.start)
            data = piece.header + f.read(piece.stop - piece.start)
        return pl.read_csv(io.BytesIO(data), infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidInput(_read_error(Path(piece.path), exc, piece.kind)) from None


def _read(piece: Piece) -> pl.DataFrame | str:
    """The piece's frame, or why it cannot be read: returned, not raised, so the client raises
    it as one process would (a worker logs a raised error as a failed task, traceback and
    all, on the user's terminal)."""
    try:
        return read_piece(piece)
    except InvalidInput as exc:
        return str(exc)


def _height(read: pl.DataFrame | str) -> int | str:
    return read if isinstance(read, str) else read.height


def _numbered(df: pl.DataFrame, first_row: int) -> pl.DataFrame:
    return df.with_row_index(ROW, offset=first_row).with_columns(pl.col(ROW).cast(pl.Int64))


def _load(piece: Piece) -> pl.DataFrame:
    return _numbered(read_piece(piece), piece.first_row or 0)


class CsvParts(Sequence[Any]):
    """A CSV file's partitions as futures of frames with ``_row``, each parsed once: a
    partition's frame stays on its worker until its row count (where the next one starts) is
    known, and is numbered there. Taken in input order, each once; reading runs ``ahead``
    partitions beyond the one taken, so a caller's window bounds what the workers hold.

    A partition that cannot be read is an :class:`InvalidInput` when it is taken, naming the
    file as the user did and the line as the single-process reader does."""

    def __init__(self, client: Client, pieces: list[Piece], path: Path, *, ahead: int) -> None:
        self._client, self._pieces, self._path = client, pieces, path
        self._ahead = max(0, ahead)
        self._reads: dict[int, Future] = {}
        self._next = 0
        self._first_row = 0

    def __len__(self) -> int:
        return len(self._pieces)

    def __getitem__(self, i: int) -> Future:  # type: ignore[override]
        if not 0 <= i < len(self._pieces):
            raise IndexError(i)
        if i != self._next:
            raise ValueError(f"CSV partition {i} asked for out of order (next: {self._next})")
        for j in range(i, min(len(self._pieces), i + self._ahead + 1)):
            if j not in self._reads:
                self._reads[j] = self._client.submit(_read, self._pieces[j])
        read = self._reads.pop(i)
        rows = self._client.submit(_height, read).result()
        if isinstance(rows, str):
            for pending in self._reads.values():
                pending.release()
            self._reads.clear()
            raise InvalidInput(rows.replace(f"cannot read {self._pieces[i].path}:",
                                            f"cannot read {self._path}:", 1))
        part = self._client.submit(_numbered, read, self._first_row)
        self._next, self._first_row = i + 1, self._first_row + rows
        return part


def read_parts(client: Client, path: Path, kind: str, rows_per_partition: int, *,
               ahead: int | None = None) -> Sequence[Any]:
    """The input's partitions as Dask futures or delayed objects giving polars frames with
    ``_row``. ``ahead`` None: every partition read now and kept (futures; impact uses each
    twice); else read as they are taken, in input order (:class:`CsvParts`; a Parquet
    partition knows its first row and is read by the task that uses it).

    The path is made absolute: a scheduler's workers do not run in the client's folder (a
    message still names the file as the user did, as in one process)."""
    import dask

    absolute = path.resolve()
    pieces = plan(absolute, kind, rows_per_partition)
    if kind == "csv":
        parts = CsvParts(client, pieces, path, ahead=len(pieces) if ahead is None else ahead)
        return list(parts) if ahead is None else parts
    load = dask.delayed(_load, pure=True)
    loads = [load(p) for p in pieces]
    return client.compute(loads) if ahead is None else loads


def empty(path: Path, kind: str) -> pl.DataFrame:
    """The input's columns and types without its rows (to check options before any work)."""
    try:
        if kind == "parquet":
            return pl.DataFrame(schema=pl.read_parquet_schema(path))
        return pl.read_csv(path, infer_schema_length=0, n_rows=0)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidInput(_read_error(path, exc, kind)) from None


def has_rows(path: Path, kind: str) -> bool:
    """Whether the input holds a row (read on the client: a Parquet file's metadata, a CSV
    file's first row), so that an empty file is refused before a task fails on a worker."""
    try:
        if kind == "parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows > 0
        return pl.read_csv(path, infer_schema_length=0, n_rows=1).height > 0
    except (pl.exceptions.PolarsError, OSError, ValueError) as exc:
        raise InvalidInput(_read_error(path, exc, kind)) from None


def _read_error(path: Path, exc: Exception, kind: str) -> str:
    """The single-process reader's message: the whole file is read again to the first line
    it cannot take, so the line named is the file's, not the partition's."""
    from exportcheck.determine.batch_io import read_error

    return read_error(path, exc, csv_file=kind == "csv")


def partition(df: pl.DataFrame) -> tuple[pl.DataFrame, int]:
    """A partition without ``_row``, and the number of its first row."""
    first = int(df[ROW][0]) if df.height else 0
    return df.drop(ROW), first
