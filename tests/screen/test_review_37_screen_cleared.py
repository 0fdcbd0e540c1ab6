"""``exportcheck screen`` tells a hit an officer cleared, as the REST API does (session 37).

After a disposition cleared Carrie Lam's SDN hit for a party, ``screen "Carrie Lam"`` said
"no hit" and its JSON had nothing of the cleared entry: a screen that passed did not say why
it passed, while ``POST /api/v1/screen`` lists it under ``suppressed`` with who cleared it,
when and why. The CLI now prints a ``cleared:`` line and the same ``suppressed`` list."""

from __future__ import annotations

import json

import pytest
from cli_helpers import run_cli as run

from exportcheck.screen.service import SAMPLES_DIR


def _cleared_carrie_lam(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lists", "load", str(SAMPLES_DIR))
    assert code == 0, err
    code, _, err = run(capsys, "dispositions", "add", "--party", "Carrie Lam", "--list", "SDN",
                       "--entry", "29249", "--user", "alice", "--reason", "different person")
    assert code == 0, err


def test_the_json_lists_the_cleared_hit_with_who_cleared_it(
        capsys: pytest.CaptureFixture[str]) -> None:
    _cleared_carrie_lam(capsys)
    code, out, _ = run(capsys, "screen", "Carrie Lam", "--json")
    assert code == 0
    body = json.loads(out)
    assert all((h["list"], h["entry_id"]) != ("SDN", "29249") for h in body["hits"])
    (cleared,) = [h for h in body["suppressed"] if (h["list"], h["entry_id"]) == ("SDN", "29249")]
    assert "cleared by alice" in cleared["suppressed_by"]
    assert "different person" in cleared["suppressed_by"]


def test_the_text_says_the_hit_was_cleared(capsys: pytest.CaptureFixture[str]) -> None:
    _cleared_carrie_lam(capsys)
    code, out, _ = run(capsys, "screen", "Carrie Lam")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("cleared: SDN 29249"))
    assert "cleared by alice" in line and "different person" in line


def test_a_name_nobody_cleared_has_no_suppressed_hits(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "screen", "Carrie Lam", "--json", "--lists-from",
                       str(SAMPLES_DIR))
    assert code == 0
    body = json.loads(out)
    assert body["suppressed"] == [] and any(h["entry_id"] == "29249" for h in body["hits"])
