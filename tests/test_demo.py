"""The README's main job tells the Hong Kong story with the rules that changed it."""

from __future__ import annotations

from pathlib import Path

import pytest

from exportcheck.cli.app import main


def test_demo_runs_twice_and_tells_the_story(capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):  # a second run must not trip over the first run's database
        with pytest.raises(SystemExit) as exit_:
            main(["demo"])
        assert exit_.value.code in (0, None)
    out = capsys.readouterr().out
    for needle in (
        "740.2(a)(23)",
        "85 FR 83765",
        "85 FR 45998",
        "126.1(d)(1)",
        "MEU",
        "policy of denial",
        "EL",
        "$2,400,000.00",
        "$1,000,000.00",
        "chain verifies",
        "Impact — the Hong Kong portfolio",
        "Largest changed order lines",
        "EXCEPTION_AVAILABLE → LICENSE_REQUIRED",
    ):
        assert needle in out, needle
    assert ": 1 line, $" in out and " 1 lines" not in out  # one changed line is "1 line"
    # the demo ends with where the impact report is, and the report is there
    report = Path(out.split("report: ")[-1].split()[0])
    assert report.name == "report.html" and report.is_file()
    assert (report.parent / "lines.parquet").is_file()


def test_demo_screens_against_the_sample_lists_it_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The demo says it screens against the bundled sample lists (and the README's first line
    says so): loaded official lists must not change the story, nor make that line untrue."""
    dpl = Path(__file__).resolve().parents[1] / "src/exportcheck/samples/lists/dpl.txt"
    with pytest.raises(SystemExit) as loaded:
        main(["lists", "load", str(dpl)])
    assert loaded.value.code in (0, None)
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_:
        main(["demo"])
    assert exit_.value.code in (0, None)
    out = capsys.readouterr().out
    assert "screened against the bundled sample lists" in out
    assert "; lists samples:" in out
