"""BIS Denied Persons List ``dpl.txt``: tab-separated, every field quoted, one row per
person *and* order/address, so rows are merged by name into one entry.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from exportcheck.errors import ListDataError
from exportcheck.screen.countries import to_iso2
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.parsers.common import (
    file_date,
    iso_day,
    listing_span,
    read_bytes,
    sha256,
    stable_id,
)

HEADER_START = '"Name"\t"Street_Address"'


def parse_dpl(path: Path) -> ParsedList:
    raw = read_bytes(path)
    text = raw.decode("utf-8", errors="replace").lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t")
    if not reader.fieldnames or "Name" not in reader.fieldnames:
        raise ListDataError(f"{path}: not a BIS dpl.txt (no tab-separated 'Name' header)")
    entries: dict[str, ListEntry] = {}
    orders: dict[str, list[tuple[str | None, str | None]]] = {}
    rows = 0
    for row in reader:
        name = (row.get("Name") or "").strip()
        if not name:
            continue
        rows += 1
        eid = stable_id("DPL", name)
        e = entries.get(eid)
        if e is None:
            e = entries[eid] = ListEntry(
                list="DPL", entry_id=eid, name=name, source="bis-dpl",
                list_name="BIS Denied Persons List",
            )
        cc = to_iso2(row.get("Country"))
        if cc and cc not in e.countries:
            e.countries.append(cc)
        orders.setdefault(eid, []).append((iso_day(row.get("Effective_Date")),
                                           iso_day(row.get("Expiration_Date"))))
        fr = (row.get("FR_Citation") or "").strip()
        if fr and fr not in (e.federal_register_notice or ""):
            e.federal_register_notice = "; ".join(x for x in (e.federal_register_notice, fr) if x)
    if rows == 0:
        raise ListDataError(f"{path}: dpl.txt has a header but no records")
    for eid, e in entries.items():
        e.listed_on, e.listed_until = listing_span(orders[eid])
    return ParsedList(
        source="bis-dpl", entries=list(entries.values()), row_count=rows,
        content_hash=sha256(raw), file_date=file_date(path), paths=[str(path)],
        format="BIS DPL tab-separated",
    )
