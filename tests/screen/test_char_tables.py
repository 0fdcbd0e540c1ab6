"""The per-character reading tables are built once per library version and read from the
user's cache folder afterwards (screen/char_tables.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from exportcheck.screen.char_tables import cached_table, table_path


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    return tmp_path / "xdg"


def test_built_once_then_read(cache_home: Path) -> None:
    calls: list[int] = []

    def build() -> dict[str, str]:
        calls.append(1)
        return {"南": "남"}

    assert cached_table("probe", "pyyaml", build) == {"南": "남"}
    path = table_path("probe", "pyyaml")
    assert path.is_relative_to(cache_home) and path.exists()
    assert cached_table("probe", "pyyaml", build) == {"南": "남"}
    assert len(calls) == 1


def test_corrupt_or_empty_file_is_rebuilt(cache_home: Path) -> None:
    path = table_path("probe", "pyyaml")
    path.parent.mkdir(parents=True)
    for bad in ('{"南": "남"', "[]", "{}"):
        path.write_text(bad, "utf-8")
        assert cached_table("probe", "pyyaml", lambda: {"川": "천"}) == {"川": "천"}
        assert path.read_text("utf-8") == '{"川": "천"}'


def test_unwritable_cache_keeps_the_table_in_memory(cache_home: Path) -> None:
    cache_home.write_text("not a folder", "utf-8")  # the cache folder cannot be made
    assert cached_table("probe", "pyyaml", lambda: {"江": "강"}) == {"江": "강"}
    assert not list(cache_home.parent.glob("**/probe-*.json"))


def test_korean_reading_needs_hanja_once(tmp_path: Path) -> None:
    """A batch worker's first North Korean name in Han script reads the cached table, not
    hanja's YAML (about 0.4 s each time)."""
    code = ("import sys\n"
            "from exportcheck.screen.korean_han import reading\n"
            "print(reading('南川江'), 'hanja.table' in sys.modules)\n")
    env = {"EXPORTCHECK_DATA_DIR": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert runs == [["남천강", "True"], ["남천강", "False"]]
