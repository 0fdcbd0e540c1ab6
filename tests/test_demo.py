"""The README's main job tells the Hong Kong story with the rules that changed it."""

from __future__ import annotations

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
    ):
        assert needle in out, needle
