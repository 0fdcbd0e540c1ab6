"""Writing an impact run to a folder: all three files or none.

The files are written into a fresh temporary folder beside the target and moved into place only
when all of them are complete, so a failure (a full disk, a bad value in the report) never leaves
a half-written ``lines.parquet`` next to an old ``summary.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from exportcheck.errors import InvalidInput

if TYPE_CHECKING:
    from exportcheck.impact.core import ImpactResult

FILES = ("lines.parquet", "summary.json", "report.html")


def check_outdir(path: str | Path) -> Path:
    """Refuse an output folder that cannot be written, before any work is done."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InvalidInput(f"cannot write to {p}: it is a file, not a folder")
    parent = p if p.is_dir() else p.parent
    if not parent.is_dir():
        raise InvalidInput(f"cannot write to {p}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InvalidInput(f"cannot write to {p}: permission denied")
    return p


def check_not_input(orders: str | Path, path: str | Path) -> None:
    """Refuse an output folder that holds the order file under a name the run writes (an
    order book called ``lines.parquet``): it would be replaced by the results without a word,
    as ``batch`` and ``screen-batch`` refuse their input as output."""
    for name in FILES:
        target = Path(path) / name
        try:
            same = target.exists() and target.samefile(orders)
        except OSError:
            same = False
        if same:
            raise InvalidInput(f"output {target} is the input file: give another output "
                               "folder (the order file would be overwritten)")


def write_outdir(result: ImpactResult, path: str | Path, lines_file: Path | None = None) -> Path:
    """``lines_file``: ``lines.parquet`` already written (part by part); moved in, not rewritten."""
    from exportcheck.impact.report import render_report

    out = check_outdir(path)
    # the staging folder sits where the files go, so the final moves are renames on one disk
    stage_parent = out if out.is_dir() else out.parent
    try:
        stage = Path(tempfile.mkdtemp(prefix=".impact-", dir=stage_parent))
    except OSError as exc:
        raise InvalidInput(f"cannot write to {out}: {exc.strerror or exc}") from None
    try:
        if lines_file is None:
            result.lines.write_parquet(stage / "lines.parquet")
        else:
            os.replace(lines_file, stage / "lines.parquet")
        summary = result.summary.model_dump(mode="json")
        (stage / "summary.json").write_text(
            json.dumps(summary, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        (stage / "report.html").write_text(
            render_report(result.lines, result.summary), encoding="utf-8"
        )
        if not out.exists():
            out.mkdir()
        for name in FILES:
            os.replace(stage / name, out / name)
    except OSError as exc:
        raise InvalidInput(f"cannot write to {out}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return out
