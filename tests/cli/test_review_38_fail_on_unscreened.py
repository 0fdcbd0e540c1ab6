"""``screen-batch --fail-on-unscreened``: a nightly job that must not pass over names never
looked at (an empty name, an unknown country) exits 1, after writing the output all the same;
without the option such a partial success exits 0, as before (review 38 left the default as
it was: scripts rely on it)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from exportcheck.screen.service import SAMPLES_DIR

Cli = Callable[[list[str]], tuple[int, str, str]]


def _run(cli: Cli, tmp_path: Path, rows: str, *extra: str) -> tuple[int, str, list[dict]]:
    src, out = tmp_path / "names.csv", tmp_path / "hits.csv"
    src.write_text(rows, encoding="utf-8")
    code, stdout, err = cli(["screen-batch", str(src), "--name-column", "name", "--lists-from",
                             str(SAMPLES_DIR), "-o", str(out), *extra])
    with out.open(encoding="utf-8", newline="") as fh:
        return code, " ".join((stdout + err).split()), list(csv.DictReader(fh))


@pytest.mark.parametrize(("extra", "expected"), [((), 0), (("--fail-on-unscreened",), 1)])
def test_a_row_not_screened_fails_the_run_only_when_asked(cli: Cli, tmp_path: Path,
                                                          extra: tuple, expected: int) -> None:
    code, said, written = _run(cli, tmp_path, "name,country\nAcme Trading,GB\n,HK\n", *extra)
    assert code == expected
    assert "ERROR: 1 row(s) not screened" in said
    assert [bool(r["error"]) for r in written] == [False, True]  # written all the same


def test_a_run_with_every_row_screened_passes_with_the_option(cli: Cli, tmp_path: Path) -> None:
    code, said, written = _run(cli, tmp_path, "name\nAcme Trading\n\"LAM, Carrie\"\n",
                               "--fail-on-unscreened")
    assert code == 0 and "not screened" not in said and len(written) == 2


def test_the_help_names_the_option(cli: Cli) -> None:
    code, out, _ = cli(["screen-batch", "--help"])
    assert code == 0 and "--fail-on-unscreened" in out
