"""Who owns whom, and the screening hits that ownership derives.

A name that is on no list can still be blocked or restricted through its owners: OFAC blocks
an entity owned 50% or more, in the aggregate and directly or indirectly, by blocked persons
(the 50 Percent Rule, revised guidance of 13 Aug 2014), and while the BIS affiliates rule is in
force (90 FR 47201, from 29 Sep 2025; suspended 10 Nov 2025 - 9 Nov 2026) an entity owned 50%
or more by Entity List or Military End-User List parties takes their restrictions. The rules
and their dates are rows of ``rules/data/ownership_rules.yaml``.

Parties file
------------
CSV with a header, one stake per row::

    owner,owned,percent,owner_country
    LAM Carrie,Harbour Trading Ltd,25,HK
    Harbour Trading Ltd,Kowloon Parts Ltd,60,

or JSON: a list of objects with the same keys (or ``{"owners": [...]}``). ``owner`` owns
``percent`` (0 < percent <= 100) of ``owned``; ``owner_country`` (optional, ISO code or name)
is used when the owner is screened. Names are matched order-free and case-free, with a legal
form's spellings as one ("Ltd" = "Limited", 有限责任公司 = 有限公司) and a Han name's inner spaces
ignored (:func:`~exportcheck.screen.entity_keys.entity_key`). An
entity's owners may hold at most 100% in total; a pair may appear once; an owner cannot own
itself. Cross-holdings (cycles) are allowed. ``percent`` is a percentage (60 for 60%), a number
or a number with a percent sign (:func:`parse_percent`): a file whose every stake is at most 1
is refused as written in fractions (0.6 for 60%, which would read as 0.6%), unless a stake
carries the sign ("0.6%"; in JSON, the string "0.6%").

How hits are derived
--------------------
Every direct or indirect owner of the name is screened. Per rule, the owners with a hit on the
rule's lists are *listed*; then, until nothing changes, any entity whose listed owners hold
``threshold`` percent or more in total becomes covered itself and counts as listed for what it
owns. Percentages are never multiplied down a chain: ownership through an entity that is not
covered does not count (OFAC's guidance). The derived hit (``match_kind`` "owned") explains the
chain; it is certain (``corroborated_by`` ("ownership",)) when the chain holds on certain owner
matches alone (:mod:`exportcheck.screen.certainty`), else it is a potential match to review.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from exportcheck.errors import InvalidInput
from exportcheck.models import ScreeningHit
from exportcheck.screen.certainty import OWNED, assess
from exportcheck.screen.dispositions import party_key
from exportcheck.screen.entity_keys import entity_key, spelling_key
from exportcheck.screen.evidence import parse_country

#: how each rule names the consequence in a hit's explanation
_CONSEQUENCE = {
    "ofac_50_percent": "blocked under OFAC's 50 Percent Rule",
    "bis_affiliates": "an affiliate under the BIS affiliates rule (15 CFR 744.11(a)(1), "
                      "90 FR 47201)",
}
_EPS = 1e-9
_COLUMNS = ("owner", "owned", "percent", "owner_country")
#: the largest stake a file of fractions holds (1 = 100%)
_FRACTION_MAX = 1.0
#: a stake written as text: a number (no exponent, no "1_000"; a minus only to be told it is
#: out of range), then an optional percent sign
_PERCENT = re.compile(r"\s*(-?(?:\d+(?:\.\d*)?|\.\d+))\s*(%?)\s*")
_NOT_FINITE = re.compile(r"(?i)\s*[+-]?(?:nan|inf|infinity)\s*%?\s*")
#: the same, for JSON Schema (a sign is refused there: no stake is negative)
PERCENT_PATTERN = r"^\s*(\d+(\.\d*)?|\.\d+)\s*%?\s*$"


class MalformedOwners(InvalidInput):
    """The owners text or file is not in the form a stake is written in (a percent that is no
    number, a column missing, a line of the wrong shape): what the REST API's schema refuses
    with 422, where the engine's own checks (an owner owning itself, over 100% in all) are its
    400."""



@dataclass(frozen=True, slots=True)
class Stake:
    """``owner`` holds ``percent`` of ``owned``."""

    owner: str
    owned: str
    percent: float
    owner_country: str | None = None


@dataclass(frozen=True, slots=True)
class Findings:
    """What a name's owners give it: the derived ``hits`` (one per rule reached), and per rule
    whose listed owners hold some of the name but less than its threshold, a line saying how
    much (``short``: (rule, text)): such a name is not covered, but an officer should see the
    listed owners rather than read "no ownership hit" (OFAC advises caution there)."""

    hits: list[ScreeningHit]
    short: list[tuple[Any, str]]


def owners_file_bytes(path: str | Path) -> bytes:
    """A parties file's bytes, or the error that names why it cannot be read."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(f"owners file {p} does not exist")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read owners file {p}: {exc}") from None


class Ownership:
    """A validated ownership graph (see the module docstring for the file format)."""

    def __init__(self, stakes: Iterable[Stake | Mapping[str, Any]], *, source: str = "") -> None:
        where = f"{source} " if source else ""
        self.stakes: list[Stake] = []
        self._owners: dict[str, list[Stake]] = {}
        self._names: dict[str, str] = {}
        #: each key's names as written, one per :func:`spelling_key` (case and order aside)
        self._spellings: dict[str, dict[str, str]] = {}
        seen: set[tuple[str, str]] = set()
        signed = False  # some percent written with its sign ("0.6%")
        for i, raw in enumerate(stakes, start=1):
            stake = _stake(raw, f"{where}row {i}")
            signed = signed or _percent_signed(raw)
            owner, owned = entity_key(stake.owner), entity_key(stake.owned)
            if owner == owned:
                raise InvalidInput(f"{where}row {i}: {stake.owner!r} cannot own itself")
            if (owner, owned) in seen:
                raise InvalidInput(f"{where}row {i}: {stake.owner!r} owning {stake.owned!r} is "
                                   "given twice: give one row with the total percentage")
            seen.add((owner, owned))
            self.stakes.append(stake)
            self._owners.setdefault(owned, []).append(stake)
            for key, written in ((owner, stake.owner), (owned, stake.owned)):
                self._names.setdefault(key, written)
                self._spellings.setdefault(key, {}).setdefault(spelling_key(written), written)
        for owned, held in self._owners.items():
            total = sum(s.percent for s in held)
            if total > 100 + _EPS:
                raise InvalidInput(
                    f"{where}{self._names[owned]!r} is owned {total:g}% in total "
                    f"({', '.join(f'{s.owner} {s.percent:g}%' for s in held)}): "
                    "the owners of one entity can hold at most 100%")
        if self.stakes and not signed and all(s.percent <= _FRACTION_MAX for s in self.stakes):
            # 0.6 meant as 60% reads as 0.6%: an entity 60% owned by a blocked person would
            # pass as not blocked, so the file is refused, never guessed at
            shown = list(dict.fromkeys(f"{s.percent:g}" for s in self.stakes))
            raise InvalidInput(
                f"{source + ': ' if source else ''}every percent is at most 1 "
                f"({', '.join(shown[:4])}{', ...' if len(shown) > 4 else ''}): write "
                "percentages, 60 for 60%, not fractions (0.6 for 60%); if every stake really is "
                'at most 1%, write the percent sign: 0.6% (in JSON, the string "0.6%")')

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, Any]], *, source: str = "") -> Ownership:
        """Owners given in code or a REST body (``owner, owned, percent[, owner_country]``),
        checked as a parties file is; ``source`` names them in its errors."""
        return cls(rows, source=source)

    @classmethod
    def from_file(cls, path: str | Path) -> Ownership:
        """A parties file: ``.csv`` or ``.json`` (see the module docstring)."""
        return cls.from_bytes(owners_file_bytes(path), path)

    @classmethod
    def from_bytes(cls, data: bytes, path: str | Path) -> Ownership:
        """A parties file's content, read already (``path`` names it and gives its kind): a
        Dask worker parses the very bytes whose digest it checked against the client's."""
        p = Path(path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"cannot read owners file {p}: {exc}") from None
        if p.suffix.lower() == ".json":
            return cls(_json_rows(text, p.name), source=p.name)
        if p.suffix.lower() == ".csv":
            return cls(_csv_rows(text, p.name), source=p.name)
        raise InvalidInput(f"owners file {p.name}: use .csv or .json, not {p.suffix or 'none'}")

    @classmethod
    def from_text(cls, text: str, *, source: str = "owners") -> Ownership:
        """Stakes pasted as CSV lines ``owner,owned,percent[,owner_country]``.

        For forms, where people paste a few lines rather than upload a file: the header line
        is optional (when given, its column order is used), and every error names the line of
        the text and the field, since row numbers would not match what the user sees."""
        rows, lines = _text_rows(text, source)
        seen: dict[tuple[str, str], int] = {}
        for row, line in zip(rows, lines, strict=True):
            where = f"{source} line {line}"
            stake = _stake(row, where)
            pair = (entity_key(stake.owner), entity_key(stake.owned))
            if pair[0] == pair[1]:
                raise InvalidInput(f"{where}: owner {stake.owner!r} cannot own itself")
            if pair in seen:
                raise InvalidInput(f"{where}: {stake.owner!r} owning {stake.owned!r} is already "
                                   f"on line {seen[pair]}: give one line with the total")
            seen[pair] = line
        return cls(rows, source=source)  # the rows as written: a percent sign counts

    def __len__(self) -> int:
        return len(self.stakes)

    def owners_of(self, name: str) -> list[Stake]:
        return list(self._owners.get(entity_key(name), ()))

    def owners_all(self, name: str) -> set[str]:
        """Keys of every direct or indirect owner of ``name`` (without ``name`` itself)."""
        start = entity_key(name)
        out: set[str] = set()
        todo = [start]
        while todo:
            for s in self._owners.get(todo.pop(), ()):
                k = entity_key(s.owner)
                if k not in out and k != start:
                    out.add(k)
                    todo.append(k)
        return out

    # -- derived hits ---------------------------------------------------------------------
    def derived_hits(self, name: str, screener: Any, *, on: date | None = None,
                     ruleset: Any = None, rules: Iterable[Any] | None = None
                     ) -> list[ScreeningHit]:
        """Hits ``name`` gets through its owners, one per ownership rule reached.

        ``on``: only the rules in force that day (suspended rows excluded); without it every
        rule of the rule base is tried. ``rules``: exactly these rule rows (the determination
        passes its day's rows, suspended ones included, and says why one does not apply).
        ``screener``: anything with ``screen(name, country=...)``; its confirmed dispositions
        count when it has ``recorded_decision``."""
        return self.findings(name, screener, on=on, ruleset=ruleset, rules=rules).hits

    def findings(self, name: str, screener: Any, *, on: date | None = None,
                 ruleset: Any = None, rules: Iterable[Any] | None = None) -> Findings:
        """The hits of :meth:`derived_hits` and the listed holdings short of a rule's
        threshold (:class:`Findings`); the owners are screened once for both."""
        owners = self.owners_all(name)
        if not owners:
            return Findings([], [])
        screened = {k: self._screen_owner(k, screener) for k in owners}
        found = Findings([], [])
        for rule in (list(rules) if rules is not None else _rules(on, ruleset)):
            hit, short = self._rule_hit(name, rule, screened)
            if hit is not None:
                found.hits.append(hit)
            elif short is not None:
                found.short.append((rule, short))
        return found

    def owner_queries(self, name: str) -> list[tuple[str, str | None]]:
        """The (name, country) each owner of ``name`` is screened with, direct or indirect."""
        return [self._query(k) for k in sorted(self.owners_all(name))]

    def _query(self, key: str) -> tuple[str, str | None]:
        country = next((s.owner_country for held in self._owners.values() for s in held
                        if entity_key(s.owner) == key and s.owner_country), None)
        return self._names[key], country

    def _screen_owner(self, key: str, screener: Any) -> list[tuple[ScreeningHit, bool, str]]:
        display, country = self._query(key)
        hits = screener.screen(display, country=country)
        out = []
        for h in hits:
            a = assess(h, display, country=country, screener=screener)
            out.append((h, a.certain, a.why))
        return out

    def _rule_hit(self, name: str, rule: Any,
                  screened: dict[str, list[tuple[ScreeningHit, bool, str]]]
                  ) -> tuple[ScreeningHit | None, str | None]:
        """The rule's hit for ``name``, or else the line saying what listed owners hold of it
        below the threshold (None when they hold none)."""
        lists = set(rule.lists)
        direct_certain: dict[str, ScreeningHit] = {}
        direct_any: dict[str, ScreeningHit] = {}
        doubts: dict[str, str] = {}
        for key, hits in screened.items():
            on_list = [(h, c, why) for h, c, why in hits if h.list in lists]
            if not on_list:
                continue
            best = max(on_list, key=lambda t: (t[1], t[0].score))
            direct_any[key] = best[0]
            if best[1]:
                direct_certain[key] = best[0]
            else:
                doubts[key] = best[2]
        target = entity_key(name)
        for direct, certain in ((direct_certain, True), (direct_any, False)):
            status = self._covered(target, direct, rule.threshold)
            if target in status:
                return self._hit(name, rule, status, certain, doubts), None
        held = sorted((s for s in self._owners.get(target, ()) if entity_key(s.owner) in status),
                      key=lambda s: -s.percent)
        if not held:
            return None, None
        seen = frozenset({target})
        stakes = " + ".join(f"{s.percent:g}% by "
                            f"{self._chain(entity_key(s.owner), status, [], seen)}" for s in held)
        consequence = _CONSEQUENCE.get(rule.id, f"covered by {rule.id}")
        return None, (f"owned {stakes} = {sum(s.percent for s in held):g}% < "
                      f"{rule.threshold:g}%: not {consequence}")

    def _covered(self, target: str, direct: dict[str, ScreeningHit],
                 threshold: float) -> dict[str, tuple]:
        """Fixed point: ("listed", hit) or ("owned", stakes, total) for every covered key."""
        status: dict[str, tuple] = {k: ("listed", h) for k, h in direct.items() if k != target}
        nodes = self.owners_all(target) | {target}
        changed = True
        while changed:
            changed = False
            for k in sorted(nodes - status.keys()):
                held = [s for s in self._owners.get(k, ()) if entity_key(s.owner) in status]
                total = sum(s.percent for s in held)
                if held and total >= threshold - _EPS:
                    status[k] = ("owned", sorted(held, key=lambda s: -s.percent), total)
                    changed = True
        # shown with every covered owner, not only those covered before it in the pass: the
        # total and the chain then name each listed owner, and the strictest licence policy
        # is taken over all of them (BIS: the most restrictive owner's requirement applies)
        for k, st in list(status.items()):
            if st[0] == "owned":
                held = [s for s in self._owners.get(k, ()) if entity_key(s.owner) in status]
                status[k] = ("owned", sorted(held, key=lambda s: -s.percent),
                             sum(s.percent for s in held))
        return status

    def _hit(self, name: str, rule: Any, status: dict[str, tuple], certain: bool,
             doubts: dict[str, str]) -> ScreeningHit:
        roots: list[tuple[str, ScreeningHit]] = []
        _, stakes, total = status[entity_key(name)]
        consequence = _CONSEQUENCE.get(rule.id, f"covered by {rule.id}")
        seen = frozenset({entity_key(name)})
        text = ("owned " + " + ".join(f"{s.percent:g}% by "
                                       f"{self._chain(entity_key(s.owner), status, roots, seen)}"
                                       for s in stakes)
                + f" = {total:g}% ≥ {rule.threshold:g}%: {consequence}")
        hits = [h for _, h in roots]
        primary = next((h for h in hits if h.list == "EL"), hits[0])
        policy_hit = max((h for h in hits if h.list == primary.list),
                         key=lambda h: _policy_rank(h.license_policy))
        explanation = [text, f"rule: {rule.citation}"]
        explanation += [f"owner {self._names[k]!r} matched {h.list} {h.matched_name!r} "
                        f"(score {h.score:g}) but is not a certain match: {doubts[k]}"
                        for k, h in roots if k in doubts]
        return ScreeningHit(
            list=primary.list, entry_id=primary.entry_id, matched_name=primary.matched_name,
            score=min(h.score for h in hits), query=name,
            list_name=f"{primary.list_name or primary.list} (ownership: {rule.id})",
            programs=tuple(dict.fromkeys(p for h in hits for p in h.programs)),
            license_requirement=policy_hit.license_requirement,
            license_policy=policy_hit.license_policy,
            federal_register_notice=policy_hit.federal_register_notice,
            explanation=tuple(explanation), kind="entity", match_kind=OWNED,
            corroborated_by=("ownership",) if certain else (),
        )

    def _chain(self, key: str, status: dict[str, tuple],
               roots: list[tuple[str, ScreeningHit]], seen: frozenset[str] = frozenset()
               ) -> str:
        """How ``key`` is covered, down to the listed owners (appended to ``roots``).
        ``seen``: the entities above it in this chain; a cross-holding leads back to one, which
        is named without its owners again."""
        st = status[key]
        if st[0] == "listed":
            roots.append((key, st[1]))
            return f"{self._label(key)} ({st[1].list} entry {st[1].entry_id})"
        if key in seen:
            return f"{self._names[key]} (as above)"
        seen = seen | {key}
        inner = " + ".join(f"{s.percent:g}% by "
                           f"{self._chain(entity_key(s.owner), status, roots, seen)}"
                           for s in st[1])
        return f"{self._label(key)} [owned {inner} = {st[2]:g}%]"

    def _label(self, key: str) -> str:
        """The entity's name, with the other spellings the rows gave it ("Beta Ltd (also
        written 'Beta Limited')"): the officer sees which rows were taken as one entity."""
        shown = spelling_key(self._names[key])
        others = [n for k, n in self._spellings[key].items() if k != shown]
        also = f" (also written {', '.join(repr(n) for n in others)})" if others else ""
        return self._names[key] + also


def parse_percent(raw: Any) -> tuple[float, bool]:
    """A stake as written: a number, or its text with an optional percent sign ("0.6%"), and
    whether the sign was written (a stake with it is no fraction). The one reading of a stake
    for files, pasted text and the REST API. ValueError when it is no finite number."""
    if isinstance(raw, bool):  # a JSON true is no 1%
        raise ValueError(f"percent {raw!r} is not a number")
    if isinstance(raw, int | float):
        value, signed = float(raw), False
    else:
        text = str(raw)
        m = _PERCENT.fullmatch(text)
        if m is None:
            finite = "" if _NOT_FINITE.fullmatch(text) is None else ": give a finite number"
            raise ValueError(f"percent {raw!r} is not a number{finite}")
        value, signed = float(m[1]), bool(m[2])
    if not math.isfinite(value):
        raise ValueError(f"percent {raw!r} is not a number: give a finite number")
    return value, signed


def _percent_signed(raw: Any) -> bool:
    if not isinstance(raw, Mapping):
        return False
    try:
        return parse_percent(raw.get("percent"))[1]
    except ValueError:
        return False


def _rules(on: date | None, ruleset: Any) -> list[Any]:
    if ruleset is None:
        from exportcheck.rules.ruleset import load_ruleset

        ruleset = load_ruleset()
    if on is not None:
        return [r for r in ruleset.as_of(on).ownership_rules.values() if r.status == "in_force"]
    latest: dict[str, Any] = {}
    for r in ruleset.rows("ownership_rules"):
        if r.status == "in_force":
            latest[r.id] = r
    return list(latest.values())


def _policy_rank(policy: str | None) -> int:
    low = (policy or "").lower()
    for word, rank in (("denial", 3), ("case-by-case", 2), ("approval", 1)):
        if word in low:
            return rank
    return 0


def _stake(raw: Stake | Mapping[str, Any], where: str) -> Stake:
    if isinstance(raw, Stake):
        raw = {"owner": raw.owner, "owned": raw.owned, "percent": raw.percent,
               "owner_country": raw.owner_country}
    if not isinstance(raw, Mapping):
        raise MalformedOwners(f"{where}: expected an object with owner, owned, percent; got "
                           f"{type(raw).__name__}")
    unknown = set(raw) - set(_COLUMNS)
    if unknown:
        raise MalformedOwners(f"{where}: unknown field(s) {sorted(unknown)}: use "
                           f"{', '.join(_COLUMNS)}")
    owner, owned = (str(raw.get(k) or "").strip() for k in ("owner", "owned"))
    for field, value in (("owner", owner), ("owned", owned)):
        if not value:
            raise MalformedOwners(f"{where}: {field} is missing")
        if not party_key(value).strip():
            raise InvalidInput(f"{where}: {field} {value!r} has nothing to match")
    pct_raw = raw.get("percent")
    if pct_raw is None or pct_raw == "":
        raise MalformedOwners(f"{where}: percent is missing")
    try:
        pct = parse_percent(pct_raw)[0]
    except ValueError as exc:
        raise MalformedOwners(f"{where}: {exc}") from None
    if not 0 < pct <= 100:
        raise MalformedOwners(f"{where}: percent {pct:g} of {owned!r} held by {owner!r} is outside "
                           "0-100 (more than 0, at most 100)")
    country = str(raw.get("owner_country") or "").strip() or None
    if country is not None:
        try:
            country = parse_country(country)
        except InvalidInput as exc:
            raise InvalidInput(f"{where}: owner_country: {exc}") from None
    return Stake(owner, owned, pct, country)


def _csv_rows(text: str, name: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("owner", "owned", "percent") if c not in header]
    if missing:
        raise MalformedOwners(f"owners file {name}: the header needs columns owner, owned, percent "
                           f"(missing {', '.join(missing)}; got {', '.join(header) or 'none'})")
    rows = []
    for row in reader:
        extra = row.pop(None, None)  # the fields past the header's (csv.DictReader's restkey)
        clean = {(k or "").strip().lower(): v for k, v in row.items()}
        if not any((v or "").strip() for v in clean.values() if isinstance(v, str)):
            continue  # a blank line
        if extra and any(str(v).strip() for v in extra):
            # would be dropped: an owner_country the header lacks, the rest of a name or
            # country cut at an unquoted comma
            raise MalformedOwners(
                f"owners file {name} row {len(rows) + 1}: {len(header) + len(extra)} fields "
                f"where the header has {len(header)} ({', '.join(header)}): add the column to "
                'the header, or quote a name that contains a comma: "Acme, Inc."')
        rows.append({k: v for k, v in clean.items() if k})
    return rows


def _text_rows(text: str, source: str) -> tuple[list[dict[str, str]], list[int]]:
    """Rows of pasted CSV text and the line each ends on (header optional, blanks skipped)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    columns: tuple[str, ...] | None = None
    rows: list[dict[str, str]] = []
    lines: list[int] = []
    usage = "owner,owned,percent[,owner_country]"
    try:
        for raw in reader:
            cells = [c.strip() for c in raw]
            if not any(cells):
                continue
            line = reader.line_num
            if columns is None and not rows:
                header = tuple(c.lower() for c in cells)
                if "owner" in header and "owned" in header:
                    unknown = [c for c in header if c not in _COLUMNS]
                    missing = [c for c in ("owner", "owned", "percent") if c not in header]
                    if unknown or missing:
                        raise MalformedOwners(
                            f"{source} line {line}: header "
                            + (f"has unknown column(s) {', '.join(unknown)}" if unknown else
                               f"lacks {', '.join(missing)}")
                            + f": use {usage}")
                    columns = header
                    continue
            names = columns or _COLUMNS
            if not 3 <= len(cells) <= len(names):
                raise MalformedOwners(
                    f"{source} line {line}: {len(cells)} field(s) where "
                    f"{','.join(names) if columns else usage} was expected (quote a name that "
                    'contains a comma: "Acme, Inc.")')
            rows.append({n: (cells[i] if i < len(cells) else "") for i, n in enumerate(names)})
            lines.append(line)
    except csv.Error as exc:
        raise MalformedOwners(f"{source} line {reader.line_num}: not readable as CSV: {exc}"
                           ) from None
    return rows, lines


def _json_rows(text: str, name: str) -> list[Any]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedOwners(f"owners file {name} is not valid JSON: {exc}") from None
    if isinstance(doc, dict):
        doc = doc.get("owners")
    if not isinstance(doc, list):
        raise MalformedOwners(f"owners file {name}: expected a list of stakes or "
                           '{"owners": [...]}')
    return doc
