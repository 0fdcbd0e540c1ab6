"""The README's Python examples run as written (library first: the docs are tested)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_readme_starts_with_the_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first = re.search(r"```bash\n(.*?)```", text, re.DOTALL)
    assert first is not None
    commands = [ln.split("#")[0].strip() for ln in first.group(1).splitlines() if ln.strip()]
    assert commands == ["./scripts/demo", "./scripts/test"]
    ci = (README.parent / ".ci" / "run").read_text()
    assert "./scripts/test" in ci


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_example(code: str) -> None:
    exec(compile(code, str(README), "exec"), {})


def _bash_commands() -> list[tuple[list[str], str | None]]:
    """Each ``exportcheck`` command of the README's bash blocks (continuation lines joined) as
    its arguments, with the ``# error: ...`` line shown under it, if any."""
    text = README.read_text(encoding="utf-8")
    commands: list[tuple[list[str], str | None]] = []
    for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("exportcheck "):
                commands.append((shlex.split(line, comments=True)[1:], None))
            elif line.startswith("# error: ") and commands:
                commands[-1] = (commands[-1][0], line[2:].split(" ...")[0])
    return commands


def test_readme_ledger_commands_answer_as_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    """The licence demo, then each command the README shows an error for, run as written: the
    shipment on the demo's suspended licence must meet that licence, not "no licence"."""
    monkeypatch.chdir(tmp_path)
    shown = [(args, error) for args, error in _bash_commands()
             if error or args[:2] == ["licences", "demo"]]
    assert sum(1 for _, error in shown if error) >= 2
    for args, error in shown:
        code, _, err = cli(args)
        if error is None:
            assert code == 0, err
        else:
            errors = [ln for ln in err.splitlines() if ln.startswith("error: ")]
            # the README's errors are the ledger's refusals (exit 3; bad input is 2)
            assert code == 3 and len(errors) == 1 and errors[0].startswith(error), (args, err)


def test_readme_counts_the_demo_order_lines() -> None:
    from exportcheck.demo import ORDER_LINES

    words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    said = re.search(r"`\./scripts/demo` determines (\w+) order lines", README.read_text())
    assert said is not None and said.group(1) == words[len(ORDER_LINES)]


def test_code_layout_names_every_package() -> None:
    layout = README.read_text(encoding="utf-8").split("## Code layout")[1].split("## ")[0]
    src = README.parent / "src" / "exportcheck"
    packages = sorted(p.name for p in src.iterdir() if (p / "__init__.py").is_file())
    assert [p for p in packages if f"  {p}/ " not in layout] == []


def _yaml_files() -> dict[str, str]:
    """The README's YAML blocks that open with their file name (``# licence.yaml``)."""
    blocks = re.findall(r"```yaml\n# (\S+)\n(.*?)```", README.read_text(encoding="utf-8"),
                        re.DOTALL)
    return dict(blocks)


def test_readme_ledger_block_runs_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    """Every command of the licence-ledger block, in order, with the files the README shows:
    ``shipments show INV-1000`` named a shipment nothing had posted, and ``licence.yaml`` and
    ``hk-2020.yaml`` were nowhere to be found."""
    from exportcheck.db.engine import dispose_engines

    dispose_engines()  # engines are cached by URL: sqlite:///hk-demo.db of an earlier folder
    monkeypatch.chdir(tmp_path)
    for name, text in _yaml_files().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert {"licence.yaml", "hk-2020.yaml"} <= set(_yaml_files())
    commands = _bash_commands()
    start = next(i for i, (args, _) in enumerate(commands) if args[:2] == ["licences", "demo"])
    end = next(i for i, (args, _) in enumerate(commands) if args[:2] == ["audit", "export"])
    for args, error in commands[start:end + 1]:
        code, _, err = cli(args)
        assert code == (3 if error else 0), (args, err)  # a refusal: 3
    assert "keyed twice" in cli(["shipments", "show", "hk19-001-b", "--db",
                                 "sqlite:///hk-demo.db"])[1]


def test_readme_disposition_clears_the_hit_for_a_determination_to_hk(
    cli: Callable[[list[str]], tuple[int, str, str]],
) -> None:
    """The screening block's ``dispositions add``, run as written, clears SDN 29249 where the
    README says it does: a determination to HK screens its end user with HK as the country,
    and a disposition recorded without ``--country`` is another party's (name, country, dob)."""
    import json

    from exportcheck.screen.service import SAMPLES_DIR

    (add,) = [args for args, _ in _bash_commands() if args[:2] == ["dispositions", "add"]]
    assert cli(["lists", "load", str(SAMPLES_DIR)])[0] == 0
    check = ["check", "--item", "EAR99", "--to", "HK", "--on", "2024-01-01",
             "--end-user", "Carrie Lam", "--json"]
    assert json.loads(cli(check)[1])["outcome"] == "PROHIBITED"
    code, _, err = cli(add)
    assert code == 0, err
    assert json.loads(cli(check)[1])["outcome"] == "NLR"
    hits = json.loads(cli(["screen", "Carrie Lam", "--country", "HK", "--json"])[1])["hits"]
    assert [h for h in hits if h["entry_id"] == "29249"] == []
    hits = json.loads(cli(["screen", "Carrie Lam", "--json"])[1])["hits"]
    assert "SDN" in {h["list"] for h in hits if h["entry_id"] == "29249"}  # no country given
