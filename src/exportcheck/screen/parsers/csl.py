"""trade.gov Consolidated Screening List, CSV (29-column ``consolidated.csv``) or JSON
(``consolidated.json`` with a ``results`` array).

One file carries many lists; the ``source`` column picks the list code. OFAC rows keep the OFAC
``ent_num`` as id (so a CSL SDN hit and an ``sdn.csv`` hit are the same entry); the others get an
id derived from list + name, because some CSL copies number rows by position.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from exportcheck.errors import ListDataError
from exportcheck.screen.countries import to_iso2
from exportcheck.screen.entries import SUBLIST_MARKERS, ListEntry, ParsedList
from exportcheck.screen.parsers.common import (
    file_date,
    iso_day,
    listing_span,
    parse_date_text,
    read_bytes,
    sha256,
    split_multi,
    stable_id,
)

HEADER_START = "_id,source,entity_number"
#: OFAC's non-SDN lists are stored together as NONSDN (entries.sublist tells them apart)
_SOURCE_CODES = [
    ("(SDN)", "SDN"), ("(EL)", "EL"), ("(DPL)", "DPL"), ("(UVL)", "UVL"), ("(MEU)", "MEU"),
    ("(DTC)", "DTC"), ("(ISN)", "ISN"), *((marker, "NONSDN") for marker, _ in SUBLIST_MARKERS),
]
_OFAC = {"SDN", "NONSDN"}
_KIND = {"individual": "person", "entity": "entity", "vessel": "vessel", "aircraft": "aircraft"}


def list_code(source: str) -> str:
    for marker, code in _SOURCE_CODES:
        if marker in source:
            return code
    raise ListDataError(f"unknown CSL source {source!r}: add it to screen/parsers/csl.py")


def _countries(addresses: Any) -> list[str]:
    out: list[str] = []
    if isinstance(addresses, list):  # JSON: [{"country": "CN", ...}]
        values = [a.get("country") for a in addresses if isinstance(a, dict)]
    else:  # CSV: "street, city, state, postal, CC; ..." or just "CN; HK"
        values = [a.split(",")[-1] for a in split_multi(addresses)]
    for v in values:
        cc = to_iso2(v)
        if cc and cc not in out:
            out.append(cc)
    return out


def _multi(v: Any) -> list[str]:
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    return split_multi(v)


def _ids(v: Any) -> list[str]:
    if isinstance(v, list):
        return [str(i.get("number", "")).strip().upper() for i in v
                if isinstance(i, dict) and i.get("number")]
    out = []
    for part in split_multi(v):
        fields = [f.strip() for f in part.split(",")]
        if len(fields) >= 2 and fields[1]:
            out.append(fields[1].upper())
    return out


def _entry(row: dict[str, Any]) -> ListEntry:
    source = (row.get("source") or "").strip()
    code = list_code(source)
    name = (row.get("name") or "").strip()
    ent_num = str(row.get("entity_number") or "").strip()
    entry_id = ent_num if code in _OFAC and ent_num else stable_id(code, name)
    nat = [c for c in (to_iso2(x) for x in
                       _multi(row.get("nationalities")) + _multi(row.get("citizenships"))) if c]
    dobs: list[str] = []
    for d in _multi(row.get("dates_of_birth")):
        dobs.extend(parse_date_text(d))
    programs = _multi(row.get("programs"))
    return ListEntry(
        list=code, entry_id=entry_id, name=name,
        kind=_KIND.get(str(row.get("type") or "").strip().lower()),
        aliases=_multi(row.get("alt_names")),
        countries=list(dict.fromkeys(_countries(row.get("addresses")) + nat)),
        dobs=dobs, ids=_ids(row.get("ids")), programs=programs,
        list_name=source, source="csl",
        license_requirement=(row.get("license_requirement") or None),
        license_policy=(row.get("license_policy") or None),
        federal_register_notice=(row.get("federal_register_notice") or None),
        remarks=(row.get("remarks") or None),
        listed_on=iso_day(str(row.get("start_date") or "")),
        listed_until=iso_day(str(row.get("end_date") or "")),
    )


def _merge(entries: list[ListEntry]) -> list[ListEntry]:
    """Same party on several rows (one per address/order): one entry, union of the details."""
    out: dict[tuple[str, str], ListEntry] = {}
    for e in entries:
        prev = out.get(e.key)
        if prev is None:
            out[e.key] = e
            continue
        prev.listed_on, prev.listed_until = listing_span(
            [(prev.listed_on, prev.listed_until), (e.listed_on, e.listed_until)])
        for attr in ("aliases", "countries", "dobs", "ids", "programs"):
            lst = getattr(prev, attr)
            lst.extend(x for x in getattr(e, attr) if x not in lst)
        if e.federal_register_notice and e.federal_register_notice != prev.federal_register_notice:
            prev.federal_register_notice = "; ".join(
                x for x in (prev.federal_register_notice, e.federal_register_notice) if x)
    return list(out.values())


def parse_csl(path: Path) -> ParsedList:
    raw = read_bytes(path)
    text = raw.decode("utf-8-sig", errors="replace")
    if text.lstrip().startswith(("{", "[")):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ListDataError(f"{path}: invalid CSL JSON ({exc})") from exc
        rows = doc.get("results", []) if isinstance(doc, dict) else doc
        if not isinstance(rows, list):
            raise ListDataError(f"{path}: CSL JSON \"results\" is not an array")
        bad = next((i for i, r in enumerate(rows, 1) if not isinstance(r, dict)), None)
        if bad is not None:
            raise ListDataError(f"{path}: CSL JSON row {bad} is not an object")
        fmt = "trade.gov CSL JSON"
    else:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        if not reader.fieldnames or reader.fieldnames[:2] != ["_id", "source"]:
            raise ListDataError(f"{path}: not a CSL CSV (header must start with _id,source)")
        rows = [r for r in reader if r.get("_id") != "_id"]  # some copies repeat the header
        fmt = "trade.gov CSL CSV"
    entries = [_entry(r) for r in rows if (r.get("name") or "").strip()]
    if not entries:
        raise ListDataError(f"{path}: CSL file has no rows")
    return ParsedList(
        source="csl", entries=_merge(entries), row_count=len(rows), content_hash=sha256(raw),
        file_date=file_date(path), paths=[str(path)], format=fmt,
    )


def looks_like_csl_json(text_head: str) -> bool:
    return bool(re.search(r'"(results|sources_used)"\s*:', text_head)) or (
        '"source"' in text_head and '"name"' in text_head and '"alt_names"' in text_head)
