"""Read the rule files into validated rows.

Tables come from CSV files (named after the table) and YAML files (top-level keys name tables;
a top-level list takes the table from the file name). A directory given by the user is layered
over the bundled one: a file with the same relative path replaces the bundled file.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from exportcheck.errors import RuleDataError
from exportcheck.rules import schema as s
from exportcheck.rules.embargo_schema import Embargo

BUNDLED = Path(__file__).with_name("data")

TABLES: dict[str, type[BaseModel]] = {
    "destinations": s.Destination,
    "aliases": s.DestinationAlias,
    "chart_marks": s.ChartMark,
    "country_chart": s.ChartMark,
    "group_members": s.GroupMember,
    "country_groups": s.GroupMember,
    "chart_footnotes": s.ChartFootnote,
    "column_definitions": s.ColumnDefinition,
    "ccl": s.CclEntry,
    "special_controls": s.SpecialControl,
    "paragraph_starts": s.ParagraphStart,
    "licence_exceptions": s.LicenceExceptionDef,
    "exception_restrictions": s.ExceptionRestriction,
    "embargoes": Embargo,
    "item_lists": s.ItemList,
    "end_use_rules": s.EndUseRule,
    "usml": s.UsmlCategory,
    "proscribed": s.ItarDestination,
    "itar_exemptions": s.ItarExemption,
    "proscribed_exemptions": s.ProscribedExemption,
    "review_policies": s.ReviewPolicy,
    "reach_notes": s.ReachNote,
    "ownership_rules": s.OwnershipRule,
    "history_gaps": s.HistoryGap,
}
#: tables whose CSV/YAML name differs from the canonical table
CANONICAL = {"country_chart": "chart_marks", "country_groups": "group_members"}


def _rule_files(roots: list[Path]) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for root in roots:
        if not root.is_dir():
            raise RuleDataError(f"rules directory {root} does not exist")
        for path in sorted(root.rglob("*")):
            if path.suffix in (".csv", ".yaml", ".yml") and path.is_file():
                files[str(path.relative_to(root))] = path
    return files


def files_stamp(rules_dir: Path) -> tuple[tuple[str, int, int], ...]:
    """Each rule file of a layered directory with its modification time and size: a few
    ``stat`` calls that tell a file edited, added or removed since the directory was read."""
    out = []
    for rel, path in sorted(_rule_files([Path(rules_dir)]).items()):
        st = path.stat()
        out.append((rel, st.st_mtime_ns, st.st_size))
    return tuple(out)


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [{k: (v if v != "" else None) for k, v in row.items()} for row in csv.DictReader(fh)]


#: libyaml's safe loader where PyYAML was built with it: it reads the rule base in about
#: 0.25 s where the pure-Python one takes 1.5 s, on every ``exportcheck check``
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """A bundled YAML file's data, as ``yaml.safe_load`` reads it (the same safe subset)."""
    return yaml.load(text, Loader=_LOADER)  # a safe loader, C or Python


def _yaml_tables(path: Path, rel: str) -> dict[str, list[Any]]:
    doc = load_yaml(path.read_text(encoding="utf-8"))
    if doc is None:
        return {}
    if rel.startswith("ccl/"):
        rows = doc.get("entries", []) if isinstance(doc, dict) else doc
        return {"ccl": rows}
    if isinstance(doc, list):
        return {path.stem: doc}
    if not isinstance(doc, dict):
        raise RuleDataError(f"{rel}: expected a mapping of table names to rows")
    return doc


def load_tables(extra_dir: Path | None = None) -> tuple[dict[str, list[Any]], str]:
    """All validated rows by table, and a content hash identifying this rule-base version."""
    roots = [BUNDLED] + ([Path(extra_dir)] if extra_dir else [])
    files = _rule_files(roots)
    digest = hashlib.sha256()
    tables: dict[str, list[Any]] = defaultdict(list)
    for rel, path in sorted(files.items()):
        digest.update(rel.encode() + b"\0" + path.read_bytes())
        raw = {path.stem: _csv_rows(path)} if path.suffix == ".csv" else _yaml_tables(path, rel)
        for name, rows in raw.items():
            model = TABLES.get(name)
            if model is None:
                raise RuleDataError(f"{rel}: unknown table {name!r} (known: {', '.join(TABLES)})")
            for i, row in enumerate(rows or [], start=1):
                try:
                    tables[CANONICAL.get(name, name)].append(model.model_validate(row))
                except ValidationError as exc:
                    first = exc.errors()[0]
                    where = ".".join(str(p) for p in first["loc"])
                    raise RuleDataError(f"{rel}: {name} row {i}: {where}: {first['msg']}") from None
    return dict(tables), digest.hexdigest()[:16]
