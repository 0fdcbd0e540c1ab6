"""Result files written whole or not at all.

A nightly batch writes hundreds of megabytes; a run killed or out of disk space half way
through must not leave a truncated CSV where the whole one (or last night's) was: a shorter
file of complete-looking rows reads as a finished run. Every result file is therefore written
to a temporary file beside it and renamed over it only once complete (``os.replace`` within one
folder is atomic), on one machine as on a Dask cluster.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from exportcheck.csvsafe import safe_frame
from exportcheck.errors import InvalidInput

#: suffixes written as Parquet (anything else is CSV)
PARQUET_SUFFIXES = (".parquet", ".pq")


def _umask() -> int:
    """The process's file-creation mask (read by setting it, so set back at once)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A temporary file beside ``out`` to write, moved over ``out`` when the block ends without
    an error and removed otherwise; a write error is an :class:`InvalidInput` naming ``out``."""
    if out.is_dir():
        raise InvalidInput(f"cannot write {out}: it is a directory, give a file name")
    try:  # a folder that does not exist, or cannot be written
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        # mkstemp makes it owner-only; the output gets the mode a plain write would give it
        os.chmod(tmp, 0o666 & ~_umask())
        yield Path(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_table(df: pl.DataFrame, out: str | Path) -> None:
    """``df`` to ``out``: Parquet as is, CSV with text cells a spreadsheet would run as a
    formula neutralised (:func:`exportcheck.csvsafe.safe_frame`); whole or not at all."""
    out = Path(out)
    with staged(out) as tmp:
        if out.suffix.lower() in PARQUET_SUFFIXES:
            df.write_parquet(tmp)
        else:
            safe_frame(df).write_csv(tmp)
