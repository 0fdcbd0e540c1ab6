"""Licence, shipment and policy files read strictly: a mapping that names a key twice is refused.

YAML and JSON readers keep the last of two values given for one key without a word, so a
licence file whose line says ``value: 10000.00`` and, further on, ``value: 100000.00`` was
recorded at $100,000 while the officer checking the file could read $10,000. The REST API
refuses such a body (``exportcheck.web.jsonbody``); a file given to the CLI is refused alike,
naming the key and where it is repeated.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from exportcheck.errors import InvalidInput

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE = "tag:yaml.org,2002:merge"


class _RepeatedKey(yaml.MarkedYAMLError):
    """A YAML mapping repeats a key (``problem_mark`` is where the repeat is)."""


class _UniqueKeyLoader(_BASE):  # type: ignore[misc,valid-type]
    """The safe loader, refusing a mapping that repeats a key (merge keys ``<<`` may still be
    overridden by the mapping's own keys, as YAML means them to be)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    repeated = key in seen
                except TypeError:  # an unhashable key: the base constructor says so
                    break
                if repeated:
                    raise _RepeatedKey(
                        problem=f"the key {key!r} is given more than once in one mapping "
                        f"(again on line {key_node.start_mark.line + 1}): give it once (which "
                        "of the values would count is not defined)")
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj: dict[str, Any] = {}
    for key, value in pairs:
        if key in obj:
            raise InvalidInput(f"the key {key!r} is given more than once in the same object: "
                               "give it once (which of the values would count is not "
                               "defined, RFC 8259 section 4)")
        obj[key] = value
    return obj


def read_spec_file(path: Path) -> Any:
    """The data of a YAML or JSON (``.json``) file; a file that is not UTF-8, not valid, or
    repeats a key in one mapping is an :class:`InvalidInput` naming the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"{path} is not UTF-8 text: save it as UTF-8") from None
    try:
        if path.suffix == ".json":
            return json.loads(text, object_pairs_hook=_unique_pairs)
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a safe loader
    except (InvalidInput, _RepeatedKey) as exc:
        raise InvalidInput(f"{path}: {exc}") from None
    except (ValueError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{path} is not valid JSON/YAML: {exc}") from None
