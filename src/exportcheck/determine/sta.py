"""License Exception STA, paragraphs (c)(1) (Country Group A:5) and (c)(2) (A:6): what the
entry's own "Special conditions for STA" paragraph takes away.

An entry's STA paragraph lists where STA may *not* be used ("License Exception STA may not be
used to ship any item in 3A001.b.2 or b.3 ... or 3A001.z to any of the destinations listed in
Country Group A:5 or A:6"); it grants nothing. For (c)(1) a clause limited to Country Group A:6
(or to paragraph (c)(2)) leaves it untouched; a clause naming A:5, paragraph (c)(1), or no
destination at all takes it away for what the clause names. (c)(2) authorises only an item "not
designated in the STA paragraph in the License Exception section of the ECCN" (740.20(c)(2)), so
every clause of the paragraph takes it away for what the clause names, whatever destination or
paragraph the clause speaks of:

- the whole entry ("any item in this ECCN", "for 0A977", "specified by ECCN 4A005"): STA is
  not available;
- paragraphs of the entry (3A001.b.2, b.3, 3A001.z): not available when the item is in one of
  them, or when the item's paragraph is not given (it may be one of them);
- software or technology *for* other items (3D001 "software ... for equipment specified by
  3A090.a or 3B001.q"): an order line does not say what the software is for, so STA is not
  claimed (never assumed in the exporter's favour) and the trace says why.

A clause that carries its own exception ("except those ... for use in civil telecommunications
applications", "unless determined by BIS to be eligible ... 740.20(g)") is read the same way:
the exception is a fact the line does not carry, so STA is not claimed.
"""

from __future__ import annotations

import re
from functools import cache

_GROUP = re.compile(r"Country Group (A:5 or A:6|A:6)")
_NUMBERED = re.compile(r"\(\d\)\s+(?=Paragraph|License Exception)")
#: a paragraph continuing a list after a full reference: "b.3", ".q", "c.1.c", "o.3", "p"
_NEXT = re.compile(r"^\.?(?:\s*,\s*(?:or\s+|and\s+)?|\s+(?:or|and)\s+)(\.?[a-z](?:\.[a-z0-9]+)*)\b")
#: a range after a full reference: "7D004.a to .d"
_RANGE = re.compile(r"^\s+(?:to|through)\s+(\.[a-z](?:\.[a-z0-9]+)*)\b")
_OTHER_ECCN = re.compile(r"\b[0-9][A-E][0-9]{3}\b")
_CONDITIONAL = re.compile(r"\bexcept\b|\bunless\b|\bif\b", re.IGNORECASE)


@cache  # pure: a batch asks it for every key of the entry
def c1_excluded(eccn: str, paragraph: str, text: str) -> str | None:
    """Why STA (c)(1) may not be claimed for ``eccn`` + ``paragraph`` under the entry's STA
    paragraph ``text``; None when the paragraph leaves it available."""
    for clause in _c1_clauses(text):
        why = _clause_excludes(eccn, paragraph, clause)
        if why:
            return f"{why}: the entry's STA paragraph says {clause.strip()!r}"
    return None


@cache
def c2_excluded(eccn: str, paragraph: str, text: str) -> str | None:
    """Why STA (c)(2) may not be claimed for ``eccn`` + ``paragraph``: the item is designated
    (or may be: paragraph not given, "for" other items) in the entry's STA paragraph ``text``;
    None when no clause names it."""
    for clause in _clauses(text):
        why = _clause_excludes(eccn, paragraph, clause)
        if why:
            return (f"{why}: the entry's STA paragraph designates it ({clause.strip()!r}), and "
                    "740.20(c)(2) authorises only items it does not designate")
    return None


def _clauses(text: str) -> list[str]:
    """Every clause of the paragraph: its numbered parts, or its parts up to each Country
    Group named, and what follows the last if it still says "may not"."""
    body = re.sub(r"^\s*STA:\s*", "", text)
    if _NUMBERED.search(body):
        return [p for p in _NUMBERED.split(body) if p.strip()]
    out: list[str] = []
    start = 0
    for m in _GROUP.finditer(body):
        out.append(body[start : m.end()])
        start = m.end()
    tail = body[start:]
    if "may not" in tail or (start == 0 and body.strip()):
        out.append(tail)
    return out


def _c1_clauses(text: str) -> list[str]:
    """The clauses of the paragraph that limit (c)(1) (A:5) - see the module docstring."""
    body = re.sub(r"^\s*STA:\s*", "", text)
    if _NUMBERED.search(body):
        parts = [p for p in _NUMBERED.split(body) if p.strip()]
        return [p for p in parts if "(c)(2)" not in p.split("may not")[0]]
    if re.match(r"(?:1\.\s*)?Paragraph \(c\)\(2\)", body):
        return []
    out: list[str] = []
    start = 0
    for m in _GROUP.finditer(body):
        if m.group(1) == "A:5 or A:6":
            out.append(body[start : m.end()])
        start = m.end()
    tail = body[start:]
    if "may not" in tail or (start == 0 and body.strip()):
        out.append(tail)  # no destination named: every destination
    return out


def _clause_excludes(eccn: str, paragraph: str, clause: str) -> str | None:
    own = _own_paragraphs(eccn, clause)
    whole = re.search(r"\bthis (?:ECCN|entry)\b", clause) or re.search(
        rf"\b{eccn}(?![.][a-z0-9])", clause
    )
    if whole and not own:
        return f"STA may not be used for {eccn}"
    others = {e for e in _OTHER_ECCN.findall(clause) if e != eccn}
    if own:
        listed = ", ".join(f"{eccn}{p}" for p in own)
        if not paragraph:
            return f"paragraph of {eccn} not given: it may be one of {listed}, excluded"
        if any(paragraph == p or paragraph.startswith(p + ".") for p in own):
            unless = (" (the clause's own exception is a fact the order line does not "
                      "carry: not assumed)") if _CONDITIONAL.search(clause) else ""
            return f"{eccn}{paragraph} is among {listed}{unless}"
        if any(p.startswith(paragraph + ".") for p in own):
            return (f"{eccn}{paragraph} is not classified as far as {listed}: it may be one "
                    "of them, excluded")
        if not others:
            return None
    if others or re.search(r"“?(?:software|technology)”?", clause, re.IGNORECASE):
        return (f"the exclusion depends on what the {eccn} item is for (it names "
                f"{', '.join(sorted(others)) or 'software or technology by function'}), which "
                "the order line does not say: not claimed")
    return None


def _own_paragraphs(eccn: str, clause: str) -> list[str]:
    """Paragraphs of ``eccn`` the clause names: '3A001.b.2 or b.3 ... or 3A001.z' ->
    ['.b.2', '.b.3', '.z']."""
    found: list[str] = []
    for m in re.finditer(rf"\b{eccn}((?:\.[a-z0-9]+)+)", clause):
        found.append(m.group(1))
        rest = clause[m.end() :]
        while n := _RANGE.match(rest) or _NEXT.match(rest):
            token = n.group(1)
            token = token if token.startswith(".") else "." + token
            found.extend(_span(found[-1], token) if n.re is _RANGE else [token])
            rest = rest[n.end() :]
    return list(dict.fromkeys(p.rstrip(".") for p in found))


def _span(first: str, last: str) -> list[str]:
    """'.a' to '.d' -> ['.b', '.c', '.d'] (7D004 "software in 7D004.a to .d and .g"); ends
    that are not letters of one level give the end alone."""
    head, _, a = first.rpartition(".")
    tail_head, _, b = last.rpartition(".")
    if head != tail_head or len(a) != 1 or len(b) != 1 or not (a.isalpha() and b.isalpha()):
        return [last]
    return [f"{head}.{chr(c)}" for c in range(ord(a) + 1, ord(b) + 1)]
