"""UN Security Council Consolidated List XML (``CONSOLIDATED_LIST`` schema sc-sanctions.xsd)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

from exportcheck.errors import ListDataError
from exportcheck.screen.countries import to_iso2
from exportcheck.screen.entries import ListEntry, ParsedList
from exportcheck.screen.parsers.common import file_date, iso_day, read_bytes, sha256


def _text(el: ET.Element | None, tag: str) -> str:
    if el is None:
        return ""
    child = el.find(tag)
    return (child.text or "").strip() if child is not None and child.text else ""


def _aliases(el: ET.Element, tag: str) -> list[str]:
    out = []
    for a in el.findall(tag):
        name = _text(a, "ALIAS_NAME")
        # "Low" quality aliases that are a single word ("Abu Ali") drown officers in hits
        if name and not (_text(a, "QUALITY").lower() == "low" and len(name.split()) < 2):
            out.append(name)
    return out


def _dobs(el: ET.Element) -> list[str]:
    out: list[str] = []
    for d in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        if v := _text(d, "DATE"):
            out.append(v[:10])
        elif v := _text(d, "YEAR"):
            out.append(v)
        elif ((a := _text(d, "FROM_YEAR")) and (b := _text(d, "TO_YEAR")) and a.isdigit()
              and b.isdigit() and 0 <= int(b) - int(a) <= 10):
            out.extend(str(y) for y in range(int(a), int(b) + 1))
    return out


def _countries(el: ET.Element) -> list[str]:
    vals = [v.text or "" for v in el.findall("NATIONALITY/VALUE")]
    vals += [_text(a, "COUNTRY") for a in el.findall("INDIVIDUAL_ADDRESS")]
    vals += [_text(a, "COUNTRY") for a in el.findall("ENTITY_ADDRESS")]
    out: list[str] = []
    for v in vals:
        cc = to_iso2(v)
        if cc and cc not in out:
            out.append(cc)
    return out


def parse_un(path: Path) -> ParsedList:
    raw = read_bytes(path)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        raise ListDataError(f"{path}: invalid UN XML ({exc})") from exc
    if root.tag != "CONSOLIDATED_LIST":
        raise ListDataError(f"{path}: XML root is <{root.tag}>, expected <CONSOLIDATED_LIST>")
    entries: list[ListEntry] = []
    for kind, path_ in (("person", "INDIVIDUALS/INDIVIDUAL"), ("entity", "ENTITIES/ENTITY")):
        for el in root.findall(path_):
            parts = [_text(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME",
                                              "FOURTH_NAME")]
            # the list writes "na" (not available) for a part it does not know
            name = " ".join(p for p in parts if p and p.casefold() not in ("na", "n/a"))
            if not name:
                continue
            ref = _text(el, "REFERENCE_NUMBER") or _text(el, "DATAID")
            alias_tag = "INDIVIDUAL_ALIAS" if kind == "person" else "ENTITY_ALIAS"
            ids = [_text(d, "NUMBER").upper() for d in el.findall("INDIVIDUAL_DOCUMENT")
                   if _text(d, "NUMBER")]
            entries.append(ListEntry(
                list="UN", entry_id=ref, name=name, kind=kind, aliases=_aliases(el, alias_tag),
                original_script=[x.text.strip() for x in el.findall("NAME_ORIGINAL_SCRIPT")
                                 if x.text and x.text.strip()],
                countries=_countries(el), dobs=_dobs(el) if kind == "person" else [], ids=ids,
                programs=[_text(el, "UN_LIST_TYPE")] if _text(el, "UN_LIST_TYPE") else [],
                list_name="UN Security Council Consolidated List", source="un",
                remarks=_text(el, "COMMENTS1") or None,
                listed_on=iso_day(_text(el, "LISTED_ON")),
            ))
    if not entries:
        raise ListDataError(f"{path}: UN XML has no INDIVIDUAL or ENTITY records")
    generated = root.get("dateGenerated", "")
    try:
        fdate, stated = date.fromisoformat(generated[:10]), True
    except ValueError:
        fdate, stated = file_date(path), False
    return ParsedList(
        source="un", entries=entries, row_count=len(entries), content_hash=sha256(raw),
        file_date=fdate, paths=[str(path)], format="UN consolidated XML", date_stated=stated,
    )
