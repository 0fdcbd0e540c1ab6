"""Screening fixtures: list paths in ../shared/data and screeners built once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from exportcheck.db import get_engine
from exportcheck.screen import Screener
from exportcheck.screen.service import reset_default_screener

REPO = Path(__file__).resolve().parents[2]
LISTS = REPO.parent / "shared" / "data" / "lists"
ALL_LISTS = [
    LISTS / "ofac" / "sdn.csv", LISTS / "ofac_2025-12" / "alt.csv",
    LISTS / "ofac_2025-12" / "add.csv", LISTS / "ofac_2025-12" / "sdn_comments.csv",
    LISTS / "ofac_cons", LISTS / "bis" / "dpl.txt", LISTS / "csl_2026-07" / "consolidated.csv",
    LISTS / "un" / "UN_consolidated.xml", LISTS / "xyna_registry" / "cn.json",
]


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A fresh database on each backend (the same migrations run on both)."""
    yield get_engine(db_url)


@pytest.fixture
def fresh_default() -> Iterator[None]:
    """The cached default screener must not leak between tests (each has its own data dir):
    for modules that load lists into the default database (``pytestmark``)."""
    reset_default_screener()
    yield
    reset_default_screener()


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    if not LISTS.is_dir():
        pytest.skip(f"shared list data not found at {LISTS} (../shared/data beside the repo)")
    return LISTS


#: SDN entries every cut keeps, whatever their number: the Hong Kong officials' program (the
#: Han-name queries), Carrie Lam (29249), Putin (35096, listed after July 2021), Kim Chol Sam
_KEEP_PROGRAM = b'"HK-EO13936"'
_KEEP_ENTRIES = {b"16084", b"29249", b"35096"}
#: the OFAC files a cut holds, each beside the sdn.csv whose entries it keeps
_OFAC_FILES = {"ofac": ("sdn.csv",), "ofac_2021-07": ("sdn.csv", "alt.csv", "add.csv",
                                                       "sdn_comments.csv"),
               "ofac_2025-12": ("alt.csv", "add.csv")}


@pytest.fixture(scope="session")
def small_lists(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The OFAC SDN files as published (same format, same rows), cut to every eighth entry
    and the entries above, in the same folders as in ``lists_dir``. For tests that load the
    SDN list several times to exercise the store, rescreening and the cache: the whole list
    costs about 2 s a load."""
    root = tmp_path_factory.mktemp("small_lists")
    kept: set[bytes] = set()
    for folder in ("ofac", "ofac_2021-07"):
        for line in (lists_dir / folder / "sdn.csv").read_bytes().split(b"\r\n"):
            ent = line.split(b",", 1)[0]
            if ent.isdigit() and (int(ent) % 8 == 0 or ent in _KEEP_ENTRIES
                                  or _KEEP_PROGRAM in line):
                kept.add(ent)
    for folder, names in _OFAC_FILES.items():
        (root / folder).mkdir()
        for name in names:
            lines = (lists_dir / folder / name).read_bytes().split(b"\r\n")
            keep = [ln for ln in lines
                    if not ln.split(b",", 1)[0].isdigit() or ln.split(b",", 1)[0] in kept]
            (root / folder / name).write_bytes(b"\r\n".join(keep))
    return root


@pytest.fixture(scope="session")
def full_screener(lists_dir: Path) -> Screener:
    """Every list, newest copy of each source (built once: ~6 s)."""
    return Screener.from_paths(ALL_LISTS)


@pytest.fixture(scope="session")
def sample_screener() -> Screener:
    return Screener.from_samples()
