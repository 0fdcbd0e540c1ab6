"""Reading paragraph references and scopes out of CCL control-line text.

Used by ``tools/build_ccl.py``: "NS applies to entire entry except 0A501.y" becomes
``{exclude: [".y"]}``; text that names no paragraphs (e.g. "software for equipment controlled
by 3B001.c") is marked ``parsed: false`` so the engine applies it conservatively.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_ECCN = r"\d[A-E]\d{3}"
_REF_TOKEN = re.compile(rf"{_ECCN}|(?:{_ECCN})?\.?[a-z](?:\.\d+\.[a-z])*(?:\.\d+)?|\.\d+")
_CONNECTORS = {
    "and", "or", "to", "only", "paragraph", "paragraphs", "of", "this", "entry", "items",
    "item", "controlled", "by", "in", "the", "applies", "apply", "eccn", "through", "for",
}  # fmt: skip


def norm(text: str | None) -> str:
    """Whitespace-normalised text: the source wraps lines arbitrarily; wording is kept."""
    return re.sub(r"\s+", " ", text or "").strip()


# --- paragraph references ---------------------------------------------------------------------


def _fix_typos(text: str) -> str:
    """Join references the source splits with a stray space ("z. 1.b", "8A620. b", ".and")."""
    text = re.sub(r"(\.[a-z])\. (\d)", r"\1.\2", text)
    text = re.sub(rf"({_ECCN})\. ([a-z])\b", r"\1.\2", text)
    text = re.sub(rf"({_ECCN}) (\.[a-z])\b", r"\1\2", text)
    return text.replace(" .and ", " and ")


def _split_ref(token: str, eccn_ctx: str) -> tuple[str, str]:
    """(eccn, relative paragraph) of a reference token; bare tokens inherit ``eccn_ctx``."""
    m = re.match(rf"({_ECCN})(\..*)?$", token)
    if m:
        return m.group(1), (m.group(2) or "")
    return eccn_ctx, token if token.startswith(".") else "." + token


def _sibling(prev: str, rel: str) -> str:
    """ ".16" after ".d.15" means ".d.16": a bare number replaces the last level."""
    return prev.rsplit(".", 1)[0] + rel if prev.count(".") > 1 else rel


def _expand_range(start: str, end: str) -> list[str]:
    """ ".b.4" to ".b.7" -> .b.4 ... .b.7; "g" to "j" -> .g .h .i .j (same parent only)."""
    ps, pe = start.rsplit(".", 1), end.rsplit(".", 1)
    if ps[0] != pe[0]:
        return [start, end]
    a, b = ps[1], pe[1]
    if a.isdigit() and b.isdigit():
        return [f"{ps[0]}.{i}" for i in range(int(a), int(b) + 1)]
    if len(a) == len(b) == 1 and a.isalpha() and b.isalpha() and a <= b:
        return [f"{ps[0]}.{chr(c)}" for c in range(ord(a), ord(b) + 1)]
    return [start, end]


@dataclass
class Refs:
    """Paragraph references found in a piece of text, split by the ECCN they belong to."""

    own: list[str] = field(default_factory=list)
    other: int = 0
    residue: list[str] = field(default_factory=list)


def find_refs(text: str, eccn: str) -> Refs:
    """Read paragraph references; bare ones ("b.3", ".x", "e") follow the last named ECCN.

    A bare single letter counts only inside a run of references, so the article "a" in prose is
    not read as paragraph .a. Words that are neither references nor list glue land in
    ``residue``: a non-empty residue means the text carries a condition.
    """
    out, state = Refs(), {"ctx": eccn, "prev": "", "run": False, "range": False}
    for raw in re.findall(r"[^\s,;()]+", _fix_typos(text)):
        tok = raw.strip("“”\"'").rstrip(".:")
        bare_letter = len(tok) == 1
        if _REF_TOKEN.fullmatch(tok) and (state["run"] or not bare_letter):
            _take_ref(tok, eccn, out, state)
            continue
        word = tok.lower()
        state["range"] = word in ("to", "through") and state["run"]
        if word not in _CONNECTORS:
            state["run"] = False
            if word:
                out.residue.append(word)
    return out


def _take_ref(tok: str, eccn: str, out: Refs, state: dict[str, Any]) -> None:
    """Record one reference token, expanding "x to y" ranges of this entry's paragraphs."""
    owner, rel = _split_ref(tok, state["ctx"])
    if rel[1:2].isdigit():
        rel = _sibling(state["prev"], rel)
    state["ctx"], state["run"] = owner, True
    if owner != eccn:
        out.other += 1
        return
    if not rel:
        return
    new = _expand_range(state["prev"], rel)[1:] if state["range"] and state["prev"] else [rel]
    out.own.extend(r for r in new if r not in out.own)
    state["prev"], state["range"] = rel, False


# --- scopes -----------------------------------------------------------------------------------

# "NS applies to entire entry", "Russian industry sector sanctions apply to entire entry"
_WHOLE = re.compile(r"^(?:[\w ]+? )?(?:applies|apply)(?: to)?(?: the)? entire entry\b[,.]?\s*",
                    re.I)


def _exclusions(tail: str, eccn: str) -> tuple[list[str], bool]:
    """Paragraphs excluded by "entire entry except ...": only the unconditional ones.

    A segment that names a paragraph with a condition ("9A610.x if being exported ...") is not
    excluded: the control then applies to it, which is the conservative reading.
    """
    tail = re.split(r"\. Note\b", tail)[0]
    excluded, unread = [], 0
    for seg in re.split(r";|,|\band\b|\bor\b", tail):
        seg = seg.strip(" :").rstrip(".")
        if not seg:
            continue
        if re.fullmatch(r"[a-z]", seg):  # "e and f" after a named paragraph
            seg = "." + seg
        refs = find_refs(seg, eccn)
        if refs.own and not refs.residue and not refs.other:
            excluded.extend(r for r in refs.own if r not in excluded)
        else:
            unread += 1
    return excluded, bool(excluded) or not unread


def _parenthetical_exclusions(text: str, eccn: str) -> tuple[str, list[str]]:
    """Pull "(except .b.5)" out of a paragraph list; conditional ones are dropped (conservative)."""
    excluded: list[str] = []

    def take(m: re.Match[str]) -> str:
        refs = find_refs(m.group(1), eccn)
        if refs.own and not refs.residue and not refs.other:
            excluded.extend(refs.own)
        return " "

    return re.sub(r"\(except ([^)]*)\)", take, text), excluded


def parse_scope(control: str, eccn: str) -> dict[str, Any]:
    """Scope of a control line as ``Scope`` fields (defaults omitted)."""
    text = norm(control)
    whole = _WHOLE.match(text)
    if whole:
        tail = text[whole.end() :]
        if not tail or tail.startswith("("):
            return {}
        tail = re.sub(r"^except(?: for)?:?\s*", "", tail, flags=re.I)
        excluded, ok = _exclusions(tail, eccn)
        return scope_dict([], excluded, ok)
    body, excluded = _parenthetical_exclusions(text, eccn)
    body = re.split(r"\bEXCEPT\b", body)[0]
    refs = find_refs(body, eccn)
    if refs.own:
        return scope_dict(refs.own, excluded, True)
    return {"parsed": False}


def scope_dict(only: list[str], exclude: list[str], parsed: bool) -> dict[str, Any]:
    scope: dict[str, Any] = {}
    if only:
        scope["only"] = only
    if exclude:
        scope["exclude"] = exclude
    if not parsed:
        scope["parsed"] = False
    return scope


# --- control lines ----------------------------------------------------------------------------
