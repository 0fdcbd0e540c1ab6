"""China MOFCOM lists (Unreliable Entity List, Export Control Control List, Attention List) in
the JSON layout of the xyna export-control registry (``cn.json``).

A separate jurisdiction: a hit is a business risk for a US exporter (the Chinese counterparty
may not deal with the listed party), never a US licence requirement.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from exportcheck.errors import ListDataError
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.parsers.common import file_date, iso_day, read_bytes, sha256

LIST_IDS = {
    "cn-unreliable-entity-list": "CN-UEL",
    "cn-export-control-watchlist": "CN-ECL",
    "cn-attention-list": "CN-ATT",
}
_HAN = re.compile(r"[\u3400-\u9fff]")
_KIND = {"organization": "entity", "person": "person", "individual": "person"}


def _entry_id(registry_id: str, name: str, seen: Counter) -> str:
    """The registry's id, made unique where it gives one id to several parties (it numbers
    the parties of an announcement, and two announcements of 20 May 2024 share numbers): such
    ids get a suffix from the party's name, so a hit or a disposition names one party."""
    if seen[registry_id] < 2:
        return registry_id
    return f"{registry_id}~{hashlib.sha256(name.strip().encode()).hexdigest()[:8]}"


def parse_mofcom(path: Path) -> ParsedList:
    raw = read_bytes(path)
    try:
        rows = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ListDataError(f"{path}: invalid JSON ({exc})") from exc
    if not isinstance(rows, list):
        raise ListDataError(f"{path}: expected a JSON array of MOFCOM entities")
    entries: list[ListEntry] = []
    seen = Counter(str(r.get("id")) for r in rows if isinstance(r, dict))
    for i, r in enumerate(rows, 1):
        if not isinstance(r, dict):
            raise ListDataError(f"{path}: row {i} is not a JSON object")
        code = LIST_IDS.get(str(r.get("list_id", "")))
        if code is None or not r.get("entity_name"):
            continue  # the registry also carries other jurisdictions; only China here
        if r.get("id") in (None, ""):
            raise ListDataError(f"{path}: row {i} ({str(r['entity_name'])[:60]!r}) has no "
                                "\"id\"")
        aliases = [a for a in r.get("aliases") or [] if a]
        entries.append(ListEntry(
            list=code, entry_id=_entry_id(str(r["id"]), r["entity_name"], seen),
            name=r["entity_name"].strip(),
            kind=_KIND.get(str(r.get("entity_type", "")).lower()),
            aliases=[a for a in aliases if not _HAN.search(a)],
            original_script=[a for a in aliases if _HAN.search(a)],
            list_name=str(r.get("source_list_name", "")), source="mofcom",
            remarks=r.get("reason") or None,
            listed_on=iso_day(str(r.get("date_added") or "")),
        ))
    if not entries:
        raise ListDataError(f"{path}: no China MOFCOM entries (list_id cn-...) in this JSON")
    return ParsedList(
        source="mofcom", entries=entries, row_count=len(rows), content_hash=sha256(raw),
        file_date=file_date(path), paths=[str(path)], format="MOFCOM lists JSON (xyna registry)",
    )
