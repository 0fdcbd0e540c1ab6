"""Curated Chinese names of listed Chinese entities, used as extra aliases at index time.

The US lists carry Chinese companies under English names only, and brand names cannot be
derived from the words (大疆 is "DJI", 海康威视 is "Hikvision"). ``data/chinese_entity_names.csv``
records, for entries of the CMIC list, the Entity List, the MEU list, the SDN list and the
Unverified List, the Chinese name the entity itself uses, with where it comes from. An entry
whose list and English name (compared through :func:`normalize.fold_text`) match a row gets
that Chinese name among its names (:meth:`entries.ListEntry.all_names`), so a query written in
characters finds it exactly, and a hit through it cites the row's source.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from exportcheck.screen.normalize import fold_text

TABLE_PATH = Path(__file__).with_name("data") / "chinese_entity_names.csv"
#: the table's list column -> the list codes entries carry (CMIC entries are OFAC non-SDN)
LIST_CODES = {"CMIC": ("NONSDN", "CMIC"), "EL": ("EL",), "MEU": ("MEU",), "SDN": ("SDN",),
              "UVL": ("UVL",)}


@dataclass(frozen=True, slots=True)
class TableName:
    """One row of the table: a Chinese name of one listed entity, with its source."""

    list: str
    english_name: str
    chinese_name: str
    name_type: str
    source: str
    checked: str


@lru_cache(maxsize=1)
def table() -> dict[tuple[str, str], tuple[TableName, ...]]:
    """(entry list code, folded English name) -> the rows naming that entry."""
    out: dict[tuple[str, str], list[TableName]] = {}
    with TABLE_PATH.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            t = TableName(*(row[k].strip() for k in (
                "list", "english_name", "chinese_name", "name_type", "source", "checked")))
            for code in LIST_CODES.get(t.list, (t.list,)):
                out.setdefault((code, fold_text(t.english_name)), []).append(t)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset(code for code, _ in table())


@lru_cache(maxsize=1)
def _by_chinese() -> dict[str, tuple[TableName, ...]]:
    from exportcheck.screen.chinese import simplified

    out: dict[str, list[TableName]] = {}
    for rows in table().values():
        for t in rows:
            out.setdefault(simplified(t.chinese_name), []).append(t)
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


def chinese_names(list_code: str, english_name: str) -> list[str]:
    """The table's Chinese names for the entry with this list code and English name."""
    if list_code not in _codes():
        return []
    rows = table().get((list_code, fold_text(english_name)), ())
    return list(dict.fromkeys(t.chinese_name for t in rows))


def is_table_name(simp: str) -> bool:
    """True when a (simplified) Han name is a Chinese name in the table: an organisation,
    even when short enough to read as a person's name (华为, 大疆, 中芯国际)."""
    return simp in _by_chinese()


def table_note(list_code: str, english_name: str, alias: str) -> str | None:
    """Explanation line for a hit through a table alias: the name came from the curated
    table, and from which source; None when ``alias`` is not a table name of that entry."""
    rows = [t for t in table().get((list_code, fold_text(english_name)), ())
            if t.chinese_name == alias]
    if not rows:
        return None
    t = rows[0]
    checked = "verified against the source" if t.checked.startswith("yes") else "not re-verified"
    return (f"Chinese name {alias} from exportcheck's curated table "
            f"(chinese_entity_names.csv, {t.list} row for {t.english_name!r}; {t.name_type} name; "
            f"source: {t.source}; {checked})")
