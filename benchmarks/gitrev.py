"""A detached checkout of another revision, for the benchmarks' "before" columns."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextlib.contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """A detached checkout of ``rev`` in a temporary directory, removed on exit (even on
    error); the shared working tree and its index are not touched."""
    tmp = Path(tempfile.mkdtemp(prefix="exportcheck-before-"))
    path = tmp / "tree"
    try:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "--quiet",
                        str(path), rev], check=True, capture_output=True, text=True)
        yield path
    finally:
        r = subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(path)],
                           capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
        if r.returncode:  # the directory is gone now: drop its worktree record
            subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)
