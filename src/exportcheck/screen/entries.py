"""In-memory form of one restricted-party list entry, whatever file it came from.

Every parser produces :class:`ListEntry` objects so the matcher, the database and the
re-screening diff never care about the source format. ``content_hash`` identifies the entry's
substance: a disposition stays valid while the hash is unchanged.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING

from exportcheck.errors import InvalidInput

if TYPE_CHECKING:
    from exportcheck.models import ScreeningHit
    from exportcheck.screen.normalize import NameForm

#: List codes and what they mean (the ``list`` field of a hit).
LIST_CODES: dict[str, str] = {
    "SDN": "OFAC Specially Designated Nationals and Blocked Persons",
    "NONSDN": "OFAC non-SDN consolidated lists (SSI, NS-MBS, CMIC, PLC, FSE, CAPTA)",
    "SSI": "OFAC Sectoral Sanctions Identifications (via the CSL)",
    "NS-MBS": "OFAC Non-SDN Menu-Based Sanctions (via the CSL)",
    "CMIC": "OFAC Non-SDN Chinese Military-Industrial Complex Companies (via the CSL)",
    "PLC": "OFAC Palestinian Legislative Council (via the CSL)",
    "FSE": "OFAC Foreign Sanctions Evaders (via the CSL)",
    "CAP": "OFAC CAPTA list (via the CSL)",
    "EL": "BIS Entity List (15 CFR 744 Supp. 4)",
    "DPL": "BIS Denied Persons List",
    "UVL": "BIS Unverified List",
    "MEU": "BIS Military End-User List",
    "DTC": "State Department ITAR debarred parties",
    "ISN": "State Department Nonproliferation Sanctions",
    "UN": "UN Security Council Consolidated List",
    "CN-UEL": "China MOFCOM Unreliable Entity List",
    "CN-ECL": "China MOFCOM Export Control Control List",
    "CN-ATT": "China MOFCOM Attention List",
}

#: Which of two equally scored hits an officer must see first: by what a listing does to an
#: export (blocked; all export privileges denied; a licence for all items; ...), the non-US
#: lists last. A list not named here ranks with the non-SDN lists.
LIST_RANK: dict[str, int] = {"SDN": 0, "DPL": 1, "DTC": 1, "EL": 2, "MEU": 3, "UN": 4,
                             "UVL": 5, "ISN": 5, "NONSDN": 6, "CN-UEL": 9, "CN-ECL": 9,
                             "CN-ATT": 9}


def hit_order(score: float, list_code: str, entry_id: str) -> tuple[float, int, str, str]:
    """Sort key of hits: best score first, then the stricter list (an SDN entry before the
    same person's NS-MBS copy), then list and entry for a stable order."""
    return (-score, LIST_RANK.get(list_code, 6), list_code, entry_id)


#: OFAC's non-SDN lists, stored together as NONSDN (the CSL and OFAC's consolidated file
#: both publish them so); a filter on one of them picks its NONSDN entries (:func:`sublist`)
NONSDN_LISTS = ("SSI", "NS-MBS", "CMIC", "PLC", "FSE", "CAP")
#: the CSL names the sub-list in its source column ("Sectoral Sanctions Identifications List
#: (SSI) - Treasury Department"); OFAC's consolidated file by programme tag only
SUBLIST_MARKERS = (("(SSI)", "SSI"), ("(NS-MBS", "NS-MBS"), ("(CMIC)", "CMIC"),
                    ("(PLC)", "PLC"), ("(FSE)", "FSE"), ("(CAP)", "CAP"))
_SUBLIST_PROGRAMMES = (("UKRAINE-EO13662", "SSI"), ("CMIC-EO13959", "CMIC"), ("NS-PLC", "PLC"),
                       ("FSE-", "FSE"), ("561-RELATED", "CAP"))


def sublist(entry: ListEntry | ScreeningHit) -> str | None:
    """Which of OFAC's non-SDN lists a NONSDN entry (or a hit on one) is on: the CSL's source
    name, else its programme (Ukraine directives: SSI; EO 13959: CMIC; NS-PLC; FSE; section
    561: CAPTA), else the Non-SDN Menu-Based Sanctions list (HKAA, CAATSA, EO 14024 ...). None
    for other lists."""
    if entry.list != "NONSDN":
        return None
    for marker, code in SUBLIST_MARKERS:
        if marker in entry.list_name:
            return code
    programmes = [p.upper() for p in entry.programs]
    for tag, code in _SUBLIST_PROGRAMMES:
        if any(p.startswith(tag) for p in programmes):
            return code
    return "NS-MBS"


def on_lists(entry: ListEntry, wanted: set[str] | frozenset[str]) -> bool:
    """The entry is on one of the ``wanted`` list codes (a NONSDN sub-list code included)."""
    return entry.list in wanted or (entry.list == "NONSDN" and sublist(entry) in wanted)


def index_lists(wanted: set[str] | frozenset[str]) -> frozenset[str]:
    """The stored list codes to search for ``wanted``: a sub-list is searched in NONSDN."""
    return frozenset({"NONSDN" if c in NONSDN_LISTS else c for c in wanted})


#: Lists whose hit makes an export PROHIBITED (OFAC blocking) rather than licensable.
BLOCKING_LISTS = frozenset({"SDN"})
#: Lists from a foreign jurisdiction: a business risk to flag, not a US legal bar.
FOREIGN_LISTS = frozenset({"CN-UEL", "CN-ECL", "CN-ATT"})

KINDS = ("person", "entity", "vessel", "aircraft")


def check_kind(kind: str | None) -> str | None:
    """``kind`` as a screen takes it (one of :data:`KINDS`, any case, spaces around ignored, as
    the CLI and the API read choices) or None when not given."""
    if kind is None or not kind.strip():
        return None
    if (folded := kind.strip().lower()) not in KINDS:
        raise InvalidInput(f"kind {kind.strip()!r} is not one of {', '.join(KINDS)}")
    return folded

_ACRONYM = re.compile(r"\s\(([A-Z][A-Z0-9&-]{1,9})\)")
#: two words joined by a slash, each of two letters or more ("ISFAHAN/ESFAHAN"; not "M/S")
_SLASH = re.compile(r"(?<![\w'’-])([^\W\d_][\w'’-]*[^\W_])/([^\W\d_][\w'’-]*[^\W_])(?![\w'’-])")
#: how the CSL writes an affiliate listed under another entry of the Entity List (Huawei's:
#: "Huawei Technologies Co., Ltd. (Huawei). Affiliated Entity: Huawei Marine Networks Co.,
#: Ltd.", the affiliates 84 FR 43493 added under it on 19 Aug 2019)
_AFFILIATE = re.compile(r"\.?\s*Affiliated Entit(?:y|ies)\s*:\s*", re.IGNORECASE)


def listed_under(name: str) -> tuple[str, str] | None:
    """(the entry, the affiliate) of a CSL row naming an affiliate listed under another
    entry, or None: the row's Federal Register citations are that entry's."""
    parts = _AFFILIATE.split(name, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip(" .,;"):
        return None
    return parts[0].strip(), parts[1].strip(" ,;")


def written_variants(name: str) -> list[str]:
    """A written name and the names written inside it: an acronym in brackets and the name
    without it ("Semiconductor Manufacturing International Corporation (SMIC)"), or only the
    name without a code that spells none of its words.

    A slash is not read as two names: "AL-QA'IDA/ISLAMIC ARMY" is, but "Behover General
    Trading/Information Technologies" shares its first word, and "C/O", "I/E" are
    abbreviations; "Information Technologies" alone would hit every such company. It is read
    as two words, either of which the name uses: "7TH OF TIR INDUSTRIES OF ISFAHAN/ESFAHAN",
    "REVOLUTIONARY PEOPLE'S LIBERATION PARTY/FRONT", "... MACHINERY IMPORT/EXPORT
    CORPORATION" (a name of more words than those two, with one slash between words of two
    letters or more).

    An affiliate listed under another entry ("Huawei Technologies Co., Ltd. (Huawei).
    Affiliated Entity: Huawei Marine Networks Co., Ltd.") is also its own name: the party a
    user screens."""
    name = name.strip()
    if under := listed_under(name):
        return [name, *written_variants(under[1])]
    out = [name]
    if m := _ACRONYM.search(name):
        rest = (name[: m.start()] + name[m.end() :]).strip()
        if _abbreviates(m.group(1), rest):
            out += [m.group(1), rest]
        elif len(m.group(1)) >= 3 and _long_organisation_name(rest):
            # a code that spells no words of the name ("Beijing Aerospace Automatic Control
            # Institute (BICD)", from its Chinese name): an institution without it is still
            # itself. A person's bracket may be a nickname, a two-letter one a place ("Schmidt
            # & Co., (HK) Ltd." is not Schmidt & Co.), and a short name without it too little
            out.append(rest)
    if len(found := _SLASH.findall(name)) == 1 and name.count("/") == 1 and " " in name:
        left, right = found[0]  # not a name of the two words alone ("NPP/CPP": two acronyms)
        out += [name.replace(f"{left}/{right}", word, 1) for word in (left, right)]
    return out


def inner_readings(name: str, forms: tuple[NameForm, ...], person: bool | None
                   ) -> list[tuple[NameForm, str]]:
    """Forms of the names written inside a query (:func:`written_variants`) that its own
    ``forms`` lack, each with a note: "China Academy of Engineering Physics (CAEP)" is also
    read without its acronym. Not as the acronym alone: the name beside it says which CAEP,
    and an acronym alone would find every party that shares it."""
    from exportcheck.screen.normalize import name_forms

    seen = {f.tokens for f in forms}
    out = []
    for inner in written_variants(name)[1:]:
        if f"({inner})" in name:
            continue
        for f in name_forms(inner, person):
            if f.tokens not in seen:
                seen.add(f.tokens)
                out.append((f, f"the query read as {inner!r}, a name written inside it"))
    return out


def _long_organisation_name(name: str) -> bool:
    """An organisation's name (a legal form or an organisation word) of three words or more."""
    from exportcheck.screen.normalize import latin_form
    from exportcheck.screen.weights import org_like

    form = latin_form(name)
    return (form is not None and len(form.tokens) >= 3
            and (bool(form.legal) or org_like(form.tokens)))


def _abbreviates(acronym: str, name: str) -> bool:
    """Whether ``acronym`` can be read from ``name``: its letters in order, the first one a
    word's first letter ("SMIC", "AVIC" for Aviation Industry Corporation of China). A
    nickname in brackets is not ("JAMES L. (LONG) STEPHENS" is not also called "LONG")."""
    letters = [c for c in acronym.casefold() if c.isalnum()]
    words = re.findall(r"[^\W_]+", name.casefold())
    if not letters or not words:
        return False
    for start, word in enumerate(words):
        if word[0] != letters[0]:
            continue
        text, k = " ".join(words[start:]), 0
        for c in text:
            if k < len(letters) and c == letters[k]:
                k += 1
        if k == len(letters):
            return True
    return False


@dataclass(slots=True)
class ListEntry:
    """One listed party with all its names and the evidence used to confirm a match."""

    list: str
    entry_id: str
    name: str
    kind: str | None = None  # person / entity / vessel / aircraft / None when the file says nothing
    aliases: list[str] = field(default_factory=list)
    #: names in their original script (UN NAME_ORIGINAL_SCRIPT, MOFCOM Chinese names)
    original_script: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO-3166 alpha-2 where known
    dobs: list[str] = field(default_factory=list)  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    ids: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    list_name: str = ""
    source: str = ""
    license_requirement: str | None = None
    license_policy: str | None = None
    federal_register_notice: str | None = None
    remarks: str | None = None
    #: ISO dates: the day the entry took effect and its last day, where the file says (UN
    #: LISTED_ON, a Denied Persons order...); not part of :attr:`content_hash`, which is the
    #: identity a disposition binds to
    listed_on: str | None = None
    listed_until: str | None = None

    def all_names(self) -> list[str]:
        """Primary name first, then aliases and original-script names, without duplicates.

        "Semiconductor Manufacturing International Corporation (SMIC)" also yields "SMIC" and
        the name without the acronym: lists write acronyms in brackets, users type either."""
        from exportcheck.screen.chinese_names import chinese_names

        seen: dict[str, None] = {}
        # + Chinese names from the curated table (not stored: the content hash is unchanged)
        for n in (self.name, *self.aliases, *self.original_script,
                  *chinese_names(self.list, self.name)):
            for x in written_variants(n):
                if x and x.casefold() not in {k.casefold() for k in seen}:
                    seen[x] = None
        return list(seen)

    @property
    def key(self) -> tuple[str, str]:
        return (self.list, self.entry_id)

    def to_dict(self) -> dict:
        # not dataclasses.asdict: its deep copy costs seconds over a full list set
        return {f: (list(v) if isinstance(v := getattr(self, f), list) else v)
                for f in _FIELDS}

    @classmethod
    def from_dict(cls, d: dict) -> ListEntry:
        return cls(**d)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the entry's content (stable across file re-orderings)."""
        data = {k: v for k, v in self.to_dict().items() if k not in _UNHASHED}
        payload = json.dumps(data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


_FIELDS = tuple(f.name for f in fields(ListEntry))
_UNHASHED = ("listed_on", "listed_until")


@dataclass(slots=True)
class ParsedList:
    """The result of reading one source (a file or a set of companion files).

    ``source`` names the publication (``ofac-sdn``, ``csl``, ``bis-dpl``, ``un``, ``mofcom``...);
    the row-count gate compares versions of the same source.
    """

    source: str
    entries: list[ListEntry]
    row_count: int
    content_hash: str
    file_date: date | None = None
    paths: list[str] = field(default_factory=list)
    format: str = ""
    #: the file states its own publication day (the UN's dateGenerated), not its modification
    #: date: a date given at load time (``store.load_lists(published=...)``) does not replace it
    date_stated: bool = False

    def by_list(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for e in self.entries:
            out[e.list] = out.get(e.list, 0) + 1
        return out


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects (halves the
    index build time); nothing built here forms reference cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def check_lists(lists: Iterable[str] | None) -> set[str] | None:
    """The list codes asked for (None: every list); an unknown code is refused."""
    if lists is None:
        return None
    lists = lists.split(",") if isinstance(lists, str) else lists  # "SDN": not S, D and N
    wanted = {str(x).strip().upper() for x in lists if str(x).strip()}
    unknown = wanted - set(LIST_CODES)
    if unknown:
        raise InvalidInput(f"unknown list code(s) {sorted(unknown)}: use {', '.join(LIST_CODES)}",
                           field="lists")
    return wanted or None
