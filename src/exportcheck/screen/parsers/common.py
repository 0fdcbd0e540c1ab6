"""Helpers shared by the list parsers: hashing, dates, and what OFAC hides in free-text remarks."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime
from pathlib import Path

from exportcheck.errors import ListDataError

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ListDataError(f"cannot read list file {path}: {exc.strerror or exc}") from exc


def sha256(*blobs: bytes) -> str:
    h = hashlib.sha256()
    for b in blobs:
        h.update(hashlib.sha256(b).digest())
    return h.hexdigest()


def file_date(path: Path) -> date:
    """The file's modification date: the official CSV formats carry no publication date."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC).date()


def iso_day(text: str | None) -> str | None:
    """A list's date of listing as ``YYYY-MM-DD``: ISO (``2012-12-31``, a time after it
    ignored) or US (``06/19/2003``, the Denied Persons List's); None when absent or unreadable
    (an unreadable date is no date: the entry is then treated as listed on any day)."""
    text = (text or "").strip()
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        parts = (int(m.group(3)), int(m.group(1)), int(m.group(2)))
    elif m := re.match(r"(\d{4})-(\d{2})-(\d{2})", text):
        parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
    else:
        return None
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


def listing_span(spans: list[tuple[str | None, str | None]]) -> tuple[str | None, str | None]:
    """One party on several rows (several orders, addresses): listed from the earliest start to
    the latest end (ISO dates); a row without a start or an end leaves that end open."""
    starts = [start for start, _ in spans]
    ends = [end for _, end in spans]
    return (None if None in starts else min(starts),  # type: ignore[type-var]
            None if None in ends else max(ends))  # type: ignore[type-var]


def stable_id(*parts: str) -> str:
    """A short id that survives re-ordering of the file (for lists without their own ids)."""
    text = "|".join(p.strip().casefold() for p in parts)
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


_DOB_RE = re.compile(
    r"(?:^|;\s*)(?:alt\.\s*)?DOB\s+(?:circa\s+)?([^;]+?)(?=;|$)", re.IGNORECASE
)
_AKA_RE = re.compile(r"a\.k\.a\.,?\s*'([^']+)'", re.IGNORECASE)
_NAT_RE = re.compile(r"(?:nationality|citizen)\s+([A-Za-z ,.'()-]+?)(?=;|\.$|$)", re.IGNORECASE)
_ID_RE = re.compile(
    r"(?:Passport|National ID No\.|Cedula No\.|Identification Number|Tax ID No\.|"
    r"Registration Number|NIT #|RFC|C\.U\.R\.P\.|SSN|D\.N\.I\.|Registration ID|"
    r"Business Registration Number|Unified Social Credit Code \(USCC\)|IMO|MMSI)\s+"
    r"([A-Z0-9][A-Z0-9./-]{3,})",
    re.IGNORECASE,
)


def parse_date_text(text: str) -> list[str]:
    """'04 Jul 1965' -> ['1965-07-04']; 'Sep 1961' -> ['1961-09']; '1964' / '1960 to 1962'."""
    text = text.strip().rstrip(".")
    out: list[str] = []
    for part in re.split(r"\bto\b|-(?=\s*\d{2}\s)", text):
        part = part.strip()
        m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\s+(\d{4})", part)
        if m and m.group(2).lower() in _MONTHS:
            out.append(f"{m.group(3)}-{_MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}")
            continue
        m = re.fullmatch(r"([A-Za-z]{3})[a-z]*\s+(\d{4})", part)
        if m and m.group(1).lower() in _MONTHS:
            out.append(f"{m.group(2)}-{_MONTHS[m.group(1).lower()]:02d}")
            continue
        m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", part)
        if m:
            out.append(part)
            continue
        m = re.search(r"\b(1[89]\d\d|20\d\d)\b", part)
        if m:
            out.append(m.group(1))
    # a range "1952 to 1954": keep the years in between too, the list means any of them
    years = sorted({int(d[:4]) for d in out})
    if len(years) == 2 and 0 < years[1] - years[0] <= 5:
        out.extend(str(y) for y in range(years[0] + 1, years[1]))
    return list(dict.fromkeys(out))


def aka_names(remarks: str) -> list[str]:
    """The aliases OFAC writes in an entry's remarks: its *weak* aliases
    (:mod:`exportcheck.screen.weak`)."""
    return [m.group(1).strip() for m in _AKA_RE.finditer(remarks)]


def parse_remarks(remarks: str | None) -> dict[str, list[str]]:
    """Pull DOBs, a.k.a. names, nationalities and document numbers out of OFAC remarks."""
    out: dict[str, list[str]] = {"dobs": [], "aka": [], "nationality": [], "ids": []}
    if not remarks:
        return out
    for m in _DOB_RE.finditer(remarks):
        out["dobs"].extend(parse_date_text(m.group(1)))
    out["aka"] = aka_names(remarks)
    out["nationality"] = [m.group(1).strip() for m in _NAT_RE.finditer(remarks)]
    out["ids"] = [m.group(1).strip().rstrip(".").upper() for m in _ID_RE.finditer(remarks)]
    return out


def split_multi(value: str | None, sep: str = ";") -> list[str]:
    if not value:
        return []
    return [v.strip() for v in value.split(sep) if v.strip()]
