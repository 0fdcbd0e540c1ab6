"""Parse what is exported: an ECCN (with paragraph), EAR99 or a USML category."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from exportcheck.errors import MalformedItem, UnknownItem
from exportcheck.rules.ruleset import Snapshot
from exportcheck.rules.schema import SOURCE_EDITION, CclEntry

ECCN_RE = re.compile(r"^(?P<eccn>[0-9][A-E][0-9]{3})(?P<para>(?:\.[a-z0-9]{1,4})*)$", re.IGNORECASE)
_ECCN_LIKE = re.compile(r"^[0-9][A-Za-z][0-9]{3}")
USML_RE = re.compile(
    r"^USML[\s:\-]*(?:CAT(?:EGORY)?\.?\s*)?(?P<cat>[IVX]+)(?P<para>(?:\([a-z0-9]+\))*)$",
    re.IGNORECASE,
)

#: the error for an order line that names no item (scalar and batch paths alike)
EMPTY_ITEM = "item classification is empty: give an ECCN, EAR99 or USML:<category>"


@dataclass(frozen=True, slots=True)
class Classification:
    """``kind`` decides the regime: ``eccn`` and ``ear99`` are EAR, ``usml`` is ITAR."""

    kind: Literal["eccn", "ear99", "usml"]
    code: str  # ECCN, "EAR99" or the roman USML category
    paragraph: str = ""  # ".a.2" for ECCNs, "(a)(1)" for USML

    @property
    def label(self) -> str:
        if self.kind == "usml":
            return f"USML:{self.code}{self.paragraph}"
        return f"{self.code}{self.paragraph}"

    def covered_by(self, scope_paragraphs: list[str]) -> bool:
        """Whether any paragraph in the list covers this item (prefix at a dot boundary)."""
        p = self.paragraph
        return any(p == q or p.startswith(q + ".") for q in scope_paragraphs)

    def may_be_in(self, scope_paragraphs: list[str]) -> bool:
        """Whether the item, classified less far than a paragraph in the list, may be in it:
        3A001.a may be 3A001.a.1.a, and a bare 3A001 may be any paragraph (15 CFR 738.4 takes
        a control to the paragraph it names, so the classification decides)."""
        p = self.paragraph + "."
        return any(q.startswith(p) for q in scope_paragraphs)


#: 22 CFR 121.1 numbers paragraphs (a), then (1), then (i): one pattern per level
_USML_LEVELS = (re.compile(r"^[a-z]$"), re.compile(r"^[0-9]{1,2}$"), re.compile(r"^[ivx]+$"))


def check_usml_paragraph(raw: str, para: str) -> None:
    parts = re.findall(r"\(([a-z0-9]+)\)", para)
    for level, part in enumerate(parts[: len(_USML_LEVELS)]):
        if not _USML_LEVELS[level].match(part):
            raise MalformedItem(
                f"malformed USML paragraph in {raw!r}: 22 CFR 121.1 numbers them like "
                "(a), (a)(1), (a)(1)(i)"
            )


#: the most item texts a snapshot remembers parsed (a batch repeats a few hundred thousand times)
_PARSED_MAX = 50_000


def parse_item(text: str, snapshot: Snapshot) -> Classification:
    """The classification ``text`` names on the snapshot's day, or a clear error."""
    parsed = snapshot.cache.setdefault("parsed_items", {})
    got = parsed.get(text)
    if got is None:
        got = _parse_item(text, snapshot)
        if len(parsed) < _PARSED_MAX:
            parsed[text] = got
    return got


def _parse_item(text: str, snapshot: Snapshot) -> Classification:
    raw = (text or "").strip()
    if not raw:
        raise MalformedItem(EMPTY_ITEM)
    if raw.upper() == "EAR99":
        return Classification("ear99", "EAR99")
    if raw.upper().startswith("USML"):
        m = USML_RE.match(raw)
        if not m:
            raise MalformedItem(f"malformed USML category {raw!r}: write e.g. USML:XI or USML:I(a)")
        cat = m.group("cat").upper()
        if cat not in snapshot.usml:
            raise UnknownItem(f"unknown USML category {cat!r} (22 CFR 121.1 has I to XXI)")
        para = m.group("para").lower()
        check_usml_paragraph(raw, para)
        return Classification("usml", cat, para)
    m = ECCN_RE.match(raw)
    if not m:
        if _ECCN_LIKE.match(raw) and raw[1].upper() not in "ABCDE":
            raise MalformedItem(
                f"malformed ECCN {raw!r}: the product group (second character) must be A to E"
            )
        if _ECCN_LIKE.match(raw):
            raise MalformedItem(
                f"malformed ECCN paragraph in {raw!r}: write it like 3A001.a.2 "
                "(dot-separated letters and numbers)"
            )
        raise MalformedItem(
            f"unrecognised item classification {raw!r}: expected an ECCN such as 3A001.a.2, "
            "EAR99, or USML:<category>"
        )
    eccn = m.group("eccn").upper()
    para = m.group("para").lower()
    entry = snapshot.ccl.get(eccn)
    if entry is None:
        raise UnknownItem(
            f"unknown ECCN {eccn}: not on the Commerce Control List in force on "
            f"{snapshot.on.isoformat()}"
        )
    if problem := paragraph_problem(entry, para):
        raise MalformedItem(problem)
    for row in snapshot.paragraph_starts.get(eccn, ()):
        if snapshot.on < row.start and known_paragraph(para, [row.paragraph]):
            raise UnknownItem(
                f"ECCN paragraph {eccn}{row.paragraph} did not exist on "
                f"{snapshot.on.isoformat()}: added from {row.start.isoformat()} ({row.citation})"
            )
    return Classification("eccn", eccn, para)


def paragraph_problem(entry: CclEntry, para: str) -> str | None:
    """Why ``para`` names no item of ``entry`` (reserved, or not a paragraph of it), or None."""
    if para and known_paragraph(para, entry.reserved):
        return (f"ECCN {entry.eccn}{para} is marked [Reserved] in the CCL (eCFR of "
                f"{SOURCE_EDITION.isoformat()}): no item is classified there; the entry's "
                "notes say where items it once held moved")
    if para and entry.paragraphs and not known_paragraph(para, entry.paragraphs) and not any(
            p.startswith(para + ".") for p in entry.paragraphs):
        # a parent the list itemises by its children only (3C002.a: .a.1, .a.2) is a paragraph
        return f"ECCN {entry.eccn} has no paragraph {para!r}"
    if para and entry.paragraphs and (last := _beyond_listed(para, entry)):
        return (f"ECCN {entry.eccn} has no paragraph {para!r}: its paragraphs at that level end "
                f"at {last}")
    return None


def _beyond_listed(para: str, entry: CclEntry) -> str | None:
    """The last listed sibling, when ``para`` (not listed itself) numbers past the siblings
    the CCL lists under its parent (3A001.b.99: .b ends at .b.12); None when it cannot tell.
    Only explicit siblings count, and .x/.y/.z are letters of their own (3A001.z follows .j)."""
    known = set(entry.paragraphs) | set(entry.reserved)
    parts = para.split(".")[1:]
    for depth in range(1, len(parts) + 1):
        here = "." + ".".join(parts[:depth])
        if here in known:
            continue
        parent = "." + ".".join(parts[: depth - 1]) if depth > 1 else ""
        siblings = [k.split(".")[depth] for k in known
                    if k.count(".") == depth and k.startswith(parent + ".")]
        child = parts[depth - 1]
        if child.isdigit():
            numbers = [int(x) for x in siblings if x.isdigit()]
            if numbers and int(child) > max(numbers):
                return f"{parent}.{max(numbers)}"
        elif len(child) == 1 and child not in "xyz":
            letters = [x for x in siblings if len(x) == 1 and x.isalpha() and x not in "xyz"]
            if letters and child > max(letters):
                return f"{parent}.{max(letters)}"
        return None
    return None


def known_paragraph(para: str, known: list[str]) -> bool:
    # .x/.y/.z and deeper sub-paragraphs are not always itemised in the source: accept a
    # paragraph when it or one of its parents is known.
    parts = para.split(".")[1:]
    return any(".".join(["", *parts[:i]]) in known for i in range(len(parts), 0, -1))


def pattern_hit(label: str, patterns: list[str]) -> bool:
    """Whether an item label (``3A090.a.1``) is among ECCN patterns (``3A090``, ``3A090.a``;
    a leading ``!`` excludes), as chart footnotes and review-policy rows list items: a pattern
    matches the label or a parent of it (a batch asks this a million times, so by set lookup)."""
    within = _label_and_parents(label)
    included = any(p in within for p in patterns if p[:1] != "!")
    return included and not any(p[1:] in within for p in patterns if p[:1] == "!")


def may_be_among(label: str, patterns: list[str]) -> bool:
    """Like :func:`pattern_hit`, but an item classified less far than a pattern may be in it
    (``6D003`` may be ``6D003.c``): for a bar, which is never lifted on a guess."""
    within = _label_and_parents(label)
    included = any(p in within or p.startswith(label + ".") for p in patterns if p[:1] != "!")
    return included and not any(p[1:] in within for p in patterns if p[:1] == "!")


@lru_cache(maxsize=65_536)
def _label_and_parents(label: str) -> frozenset[str]:
    """``3A090.a.1`` -> {``3A090``, ``3A090.a``, ``3A090.a.1``}."""
    parts = label.split(".")
    return frozenset(".".join(parts[:i]) for i in range(1, len(parts) + 1))
