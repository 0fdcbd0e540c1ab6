"""Review 38: ``exportcheck serve`` notices a rule file changed under ``EXPORTCHECK_RULES_DIR``.

The service read the layered rule files once and kept deciding by them after an operator
edited one (a proposed rule change evaluated on the running service): a determination answered
by the old rules with nothing to say so. Now the directory's files are checked (modification
time and size) before each use, and the rule base version the answer carries is the new one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exportcheck.rules.loader import BUNDLED, load_tables
from tests.web.conftest import Service

SUDAN = Path("events") / "sudan_2021.yaml"
#: an AT-only item to Sudan before 86 FR 4929 (effective 14 Jan 2021) removed the AT controls
LINE = {"item": "4A994", "destination": "SD", "date": "2020-06-01"}


def _layered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    rules = tmp_path / "rules"
    (rules / SUDAN).parent.mkdir(parents=True)
    shutil.copy(BUNDLED / SUDAN, rules / SUDAN)
    monkeypatch.setenv("EXPORTCHECK_RULES_DIR", str(rules))
    return rules


def _decide(service: Service) -> dict:
    r = service.client.post("/api/v1/determinations", json=LINE, headers=service.auth("officer"))
    assert r.status_code == 200, r.text
    return r.json()


def test_a_rule_file_edited_while_serving_decides_the_next_determination(
        service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _layered(tmp_path, monkeypatch)
    before = _decide(service)
    assert before["outcome"] == "LICENSE_REQUIRED"
    assert before["ruleset_version"] == load_tables(rules)[1]

    # the proposed change: Sudan's AT Column 1 mark ends in 2020 rather than on 13 Jan 2021
    event = rules / SUDAN
    text = event.read_text(encoding="utf-8")
    edited = text.replace("effective_to: 2021-01-13\n    end_citation",
                          "effective_to: 2020-01-01\n    end_citation", 1)
    assert edited != text
    event.write_text(edited, encoding="utf-8")

    after = _decide(service)
    assert after["outcome"] == "NLR"
    assert after["ruleset_version"] == load_tables(rules)[1] != before["ruleset_version"]
    # the footer of every page names the rule base in use
    page = service.client.get("/check", headers=service.auth("officer"))
    assert after["ruleset_version"] in page.text


def test_a_broken_edit_is_named_and_the_fixed_file_is_read(
        service: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules = _layered(tmp_path, monkeypatch)
    assert _decide(service)["outcome"] == "LICENSE_REQUIRED"
    event = rules / SUDAN
    good = event.read_text(encoding="utf-8")
    event.write_text(good.replace("    citation:", "    nocitation:", 1), encoding="utf-8")
    r = service.client.post("/api/v1/determinations", json=LINE, headers=service.auth("officer"))
    assert r.status_code >= 400
    assert "sudan_2021.yaml" in r.text  # the file at fault is named, not the old rules used
    event.write_text(good + "# reviewed\n", encoding="utf-8")
    assert _decide(service)["outcome"] == "LICENSE_REQUIRED"
