"""Shared fixtures: paths to the read-only data beside the repo, and an isolated data dir."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data not found at {SHARED} (../shared/data beside the repo)")
    return SHARED


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the user's real database from a test."""
    monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(tmp_path_factory.mktemp("data")))
