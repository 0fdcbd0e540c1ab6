"""Screening fixtures: list paths in ../shared/data and screeners built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportcheck.screen import Screener

REPO = Path(__file__).resolve().parents[2]
LISTS = REPO.parent / "shared" / "data" / "lists"
ALL_LISTS = [
    LISTS / "ofac" / "sdn.csv", LISTS / "ofac_2025-12" / "alt.csv",
    LISTS / "ofac_2025-12" / "add.csv", LISTS / "ofac_2025-12" / "sdn_comments.csv",
    LISTS / "ofac_cons", LISTS / "bis" / "dpl.txt", LISTS / "csl_2026-07" / "consolidated.csv",
    LISTS / "un" / "UN_consolidated.xml", LISTS / "xyna_registry" / "cn.json",
]


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    if not LISTS.is_dir():
        pytest.skip(f"shared list data not found at {LISTS} (../shared/data beside the repo)")
    return LISTS


@pytest.fixture(scope="session")
def full_screener(lists_dir: Path) -> Screener:
    """Every list, newest copy of each source (built once: ~6 s)."""
    return Screener.from_paths(ALL_LISTS)


@pytest.fixture(scope="session")
def sample_screener() -> Screener:
    return Screener.from_samples()
