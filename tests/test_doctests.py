"""The examples in the package's docstrings run and print what they show.

Found by walking the package, so an example added to any module is checked without being
listed here."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import exportcheck


def _modules_with_examples() -> list[str]:
    names = []
    found = pkgutil.walk_packages(exportcheck.__path__, "exportcheck.")
    for name in ["exportcheck", *(info.name for info in found)]:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec else None
        if origin and origin.endswith(".py"):
            with open(origin, encoding="utf-8") as f:
                if ">>> " in f.read():
                    names.append(name)
    return names


MODULES = _modules_with_examples()


def test_examples_are_found() -> None:
    assert {"exportcheck", "exportcheck.determine.engine"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples in {name} failed"
