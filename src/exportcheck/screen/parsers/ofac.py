"""OFAC legacy CSV files: ``sdn.csv`` + ``alt.csv`` + ``add.csv`` + ``sdn_comments.csv``, and
the non-SDN consolidated set ``cons_prim.csv`` / ``cons_alt.csv`` / ``cons_add.csv`` /
``cons_comments.csv``.

Quirks (see shared SOURCES.md): no header, CRLF, Latin-1, ``-0- `` (with a trailing space)
means null, the last line is a lone Ctrl-Z (0x1A), remarks overflow into the comments file, and
several programs are joined as ``"A] [B"``.
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
    parse_remarks,
    read_bytes,
    sha256,
)

#: file name -> (family, role)
FILE_ROLES = {
    "sdn.csv": ("sdn", "main"), "alt.csv": ("sdn", "alt"), "add.csv": ("sdn", "add"),
    "sdn_comments.csv": ("sdn", "comments"),
    "cons_prim.csv": ("cons", "main"), "cons_alt.csv": ("cons", "alt"),
    "cons_add.csv": ("cons", "add"), "cons_comments.csv": ("cons", "comments"),
}
_EXPECTED_COLS = {"main": 12, "alt": 5, "add": 6, "comments": 2}
_KIND = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft"}


def _null(v: str | None) -> str | None:
    if v is None:
        return None
    v = v.strip()
    return None if v in ("", "-0-") else v


def read_rows(path: Path, role: str) -> tuple[list[list[str]], bytes]:
    """Rows of an OFAC CSV, the Ctrl-Z end marker and blank lines dropped."""
    raw = read_bytes(path)
    text = raw.decode("utf-8") if _is_utf8(raw) else raw.decode("latin-1")
    rows = []
    for i, row in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
        if not row or (len(row) == 1 and row[0].strip() in ("", "\x1a")):
            continue
        if role == "comments" and len(row) > 2:  # commas inside unquoted overflow text
            row = [row[0], ",".join(row[1:])]
        if len(row) < _EXPECTED_COLS[role] or not row[0].strip().isdigit():
            raise ListDataError(
                f"{path}: line {i} is not an OFAC {path.name} record (expected "
                f"{_EXPECTED_COLS[role]} columns starting with ent_num, got {row[:3]!r})"
            )
        rows.append(row)
    return rows, raw


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def parse_ofac(files: dict[str, Path]) -> ParsedList:
    """Join the main file with its companions on ``ent_num`` (companions are optional)."""
    if "main" not in files:
        names = ", ".join(p.name for p in files.values())
        raise ListDataError(
            f"OFAC companion file(s) {names} given without their main file (sdn.csv or "
            "cons_prim.csv): pass the main file too"
        )
    main_path = files["main"]
    family = "cons" if main_path.name.lower().startswith("cons_") else "sdn"
    code = "NONSDN" if family == "cons" else "SDN"
    rows, raw_main = read_rows(main_path, "main")
    if not rows:
        raise ListDataError(f"{main_path}: no OFAC rows in this file (empty or truncated "
                            "download?)")
    blobs = [raw_main]
    comments: dict[str, str] = {}
    if "comments" in files:
        crow, craw = read_rows(files["comments"], "comments")
        blobs.append(craw)
        for r in crow:
            comments[r[0].strip()] = (comments.get(r[0].strip(), "") + (_null(r[1]) or ""))
    entries: dict[str, ListEntry] = {}
    for r in rows:
        ent = r[0].strip()
        remarks = _null(r[11])
        if ent in comments:
            remarks = (remarks or "") + comments[ent]
        info = parse_remarks(remarks)
        kind = _KIND.get((_null(r[2]) or "").lower(), "entity")
        programs = [p.strip() for p in (_null(r[3]) or "").split("] [") if p.strip()]
        countries = [c for c in (to_iso2(n) for n in info["nationality"]) if c]
        entries[ent] = ListEntry(
            list=code, entry_id=ent, name=r[1].strip(), kind=kind,
            aliases=info["aka"], countries=countries, dobs=info["dobs"], ids=info["ids"],
            programs=programs, remarks=remarks, source=f"ofac-{family}",
            list_name="OFAC SDN List" if code == "SDN" else "OFAC Consolidated (non-SDN) List",
        )
    orphans = 0
    if "alt" in files:
        arows, araw = read_rows(files["alt"], "alt")
        blobs.append(araw)
        for r in arows:
            e = entries.get(r[0].strip())
            name = _null(r[3])
            if e is None:
                orphans += 1
            elif name and name not in e.aliases:
                e.aliases.append(name)
    if "add" in files:
        drows, draw = read_rows(files["add"], "add")
        blobs.append(draw)
        for r in drows:
            e = entries.get(r[0].strip())
            cc = to_iso2(_null(r[4]))
            if e is None:
                orphans += 1
            elif cc and cc not in e.countries:
                e.countries.append(cc)
    return ParsedList(
        source=f"ofac-{family}", entries=list(entries.values()), row_count=len(rows),
        content_hash=sha256(*blobs), file_date=file_date(main_path),
        paths=[str(p) for p in files.values()], format=f"OFAC legacy CSV ({family})",
    )
