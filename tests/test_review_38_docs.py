"""The README against the Python API it documents (review 38).

- "A date is a ``date``, a datetime's own day or ``"YYYY-MM-DD"`` text wherever the API takes
  one", but ``load_ruleset().as_of("2020-06-29")``, the README's own rule-base call, raised
  ``TypeError: '<' not supported between instances of 'str' and 'datetime.date'`` (a datetime
  too, and a malformed date gave no error naming it).
- The functions the README names have short docstrings: ``RuleSet.as_of``,
  ``Snapshot.in_group``, ``Snapshot.alias`` and ``Ownership.from_rows`` had none.
- ``record_determination()`` was named next to "Python API: ``from exportcheck.ledger import
  Ledger``", but lives in ``exportcheck.api``: every dotted ``exportcheck....`` name in the
  README must import."""

from __future__ import annotations

import importlib
import inspect
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from exportcheck import load_ruleset
from exportcheck.errors import InvalidInput

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("day", ["2020-06-29", datetime(2020, 6, 29, 23, 30)])
def test_as_of_takes_a_day_as_the_rest_of_the_api_does(day: str | datetime) -> None:
    rules = load_ruleset()
    snap = rules.as_of(day)
    assert snap.on == date(2020, 6, 29)
    assert snap.in_group("HK", "B") and snap.chart == rules.as_of(date(2020, 6, 29)).chart
    assert rules.as_of("2021-01-15").alias("HK", "ear").as_code == "CN"


@pytest.mark.parametrize("bad", ["2020-6-29", "20200629", None, 20200629])
def test_as_of_names_a_bad_day(bad: object) -> None:
    with pytest.raises(InvalidInput, match="as_of"):
        load_ruleset().as_of(bad)  # type: ignore[arg-type]


def test_as_of_still_refuses_a_day_before_the_rule_base() -> None:
    from exportcheck.errors import DateOutOfRange

    with pytest.raises(DateOutOfRange, match="2018-12-31"):
        load_ruleset().as_of("2018-12-31")


def _readme_objects() -> list[object]:
    from exportcheck.rules.ruleset import RuleSet, Snapshot
    from exportcheck.screen.ownership import Ownership

    return [RuleSet.as_of, Snapshot.in_group, Snapshot.alias, Ownership.from_rows]


@pytest.mark.parametrize("func", _readme_objects(), ids=lambda f: f.__qualname__)
def test_functions_the_readme_names_say_what_they_are_for(func: object) -> None:
    assert f"{func.__qualname__.split('.')[-1]}(" in README.read_text(encoding="utf-8")
    assert inspect.getdoc(func), f"{func.__qualname__} has no docstring"
    hints = inspect.signature(func).parameters  # type: ignore[arg-type]
    assert all(p.annotation is not inspect.Parameter.empty
               for n, p in hints.items() if n not in ("self", "cls"))


def _dotted_names() -> list[str]:
    """Each backticked ``exportcheck.x.y`` (or ``exportcheck.x.y()``) of the README."""
    text = README.read_text(encoding="utf-8")
    return sorted(set(re.findall(r"`(exportcheck(?:\.\w+)+)(?:\([^`]*\))?`", text)))


@pytest.mark.parametrize("name", _dotted_names())
def test_every_dotted_name_in_the_readme_imports(name: str) -> None:
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return
    pytest.fail(f"{name} does not import")


def test_record_determination_is_named_where_it_lives() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "`exportcheck.api.record_determination()`" in text
    assert "exportcheck.api.record_determination" in _dotted_names()
