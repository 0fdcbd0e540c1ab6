"""Per-character reading tables kept as JSON in the user's cache folder.

Why: the libraries that know a character's reading load slowly (pycantonese about 2.5 s and
400 MB, hanja's YAML table about 0.4 s), and every process that reads a Han name, each batch
worker included, would pay that. What a name needs of them is one reading per character: a
table written once, per library version, to ``~/.cache/exportcheck/<stem>-<version>.json``
and read by later processes in a few milliseconds.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def table_path(stem: str, dist: str) -> Path:
    """In the user's cache folder, shared by every data folder: the table depends on the
    version of ``dist`` only."""
    from platformdirs import user_cache_dir

    try:
        ver = version(dist)
    except PackageNotFoundError:
        ver = "unknown"
    return Path(user_cache_dir("exportcheck", appauthor=False)) / f"{stem}-{ver}.json"


def cached_table(stem: str, dist: str, build: Callable[[], dict[str, str]]) -> dict[str, str]:
    """The table read from its cache file, else built and written there (a read-only or full
    cache folder keeps it in memory only)."""
    path = table_path(stem, dist)
    try:
        tab = json.loads(path.read_text("utf-8"))
        if isinstance(tab, dict) and tab:
            return tab
    except (OSError, ValueError):
        pass
    tab = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{stem}-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(tab, fh, ensure_ascii=False)
            os.replace(tmp, path)  # a reader sees the whole file or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
    return tab
