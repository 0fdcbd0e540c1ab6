"""Running one function over every partition and writing the results in input order.

Why a window: the client gathers part ``i`` only after parts ``0..i-1``, writes it and lets it
go, while at most ``window`` parts are submitted or finished ahead of it. Memory stays bounded
on the client (one part at a time) and on the workers (``window`` results), whatever the size
of the input.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import polars as pl

from exportcheck.csvsafe import safe_frame
from exportcheck.errors import InvalidInput
from exportcheck.outfile import staged

if TYPE_CHECKING:
    from distributed import Client, Future


def ordered(
    submit: Callable[[int], Future],
    total: int,
    *,
    window: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Any]:
    """The results of ``submit(0) .. submit(total - 1)`` in that order, at most ``window``
    submitted ahead of the one being gathered.

    A run that ends early (a part failed, the output could not be written, the caller stopped
    reading) cancels the parts it had submitted ahead: on a scheduler that outlives the run
    they went on computing, for a result nobody would read, while the traceback kept them."""
    pending: deque[Future] = deque()
    nxt = 0
    try:
        for done in range(total):
            while nxt < total and len(pending) < window:
                pending.append(submit(nxt))
                nxt += 1
            future = pending.popleft()
            try:
                result = future.result()
            finally:
                future.release()
            if progress:
                progress(done + 1, total)
            yield result
    finally:
        for future in pending:
            future.cancel()
        pending.clear()


def pack(df: pl.DataFrame) -> bytes:
    """A partition's result as zstd-compressed Arrow IPC, to cross from worker to client:
    answers repeat (a caveat of ~760 bytes on most lines of a batch), so 250,000 lines are
    ~6 MB instead of ~90 MB pickled."""
    buf = io.BytesIO()
    df.write_ipc(buf, compression="zstd")
    return buf.getvalue()


def unpack(data: bytes) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(data))


def run_parts(
    client: Client,
    parts: Sequence[Any],
    fn: Callable[..., Any],
    *args: Any,
    window: int,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Any]:
    """``fn(part, *args)`` for each partition (dask delayed objects), in input order."""
    import dask

    task = dask.delayed(fn, pure=True)

    def submit(i: int) -> Future:
        return client.compute(task(parts[i], *args))

    return ordered(submit, len(parts), window=window, progress=progress)


class TableWriter:
    """Appends polars frames to one CSV or Parquet file, as ``write_csv``/``write_parquet`` of
    their concatenation would write it (CSV byte for byte, formula-like text cells neutralised
    as :func:`exportcheck.csvsafe.safe_frame` does; Parquet row for row).

    Every part must have the first part's columns and types; a column typed Null in a part
    (polars' type for "all missing") takes the first part's type."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parquet = path.suffix.lower() in (".parquet", ".pq")
        self.schema: pl.Schema | None = None
        self.rows = 0
        self.parts = 0
        self._file: IO[bytes] | None = None
        self._writer: Any = None  # the Parquet writer, opened with the first part

    def write(self, part: pl.DataFrame) -> None:
        if self.schema is None:
            self.schema = part.schema
            self._file = self.path.open("wb")
        elif part.schema != self.schema:
            part = self._conform(part, self.schema)
        assert self._file is not None
        if self.parquet:
            table = part.to_arrow()
            if self._writer is None:
                import pyarrow.parquet as pq

                self._writer = pq.ParquetWriter(self._file, table.schema, compression="zstd")
            self._writer.write_table(table)
        else:
            # as the one-process writers: no cell a spreadsheet would run as a formula
            safe_frame(part).write_csv(self._file, include_header=self.parts == 0)
        self.parts += 1
        self.rows += part.height

    @staticmethod
    def _conform(part: pl.DataFrame, schema: pl.Schema) -> pl.DataFrame:
        if list(part.columns) != list(schema):
            raise InvalidInput(f"partition columns {part.columns} differ from {list(schema)}")
        try:
            return part.cast({c: t for c, t in schema.items() if part.schema[c] != t})
        except pl.exceptions.PolarsError as exc:
            raise InvalidInput(f"partition types differ from the first partition's: {exc}"
                               ) from None

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
        self._writer = None
        if self._file is not None:
            self._file.close()
            self._file = None


def write_ordered(parts: Iterable[pl.DataFrame], out: Path) -> int:
    """Write ``parts`` to ``out`` through a temporary file beside it, replaced into place at the
    end: a failed run never leaves half an output. Returns the number of rows."""
    with staged(out) as tmp:
        writer = TableWriter(tmp)
        try:
            for part in parts:
                writer.write(part)
        finally:
            writer.close()
    return writer.rows
