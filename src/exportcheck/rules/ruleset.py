"""The effective-dated rule base and its snapshot on one date.

``RuleSet`` holds every row of every version; ``RuleSet.as_of(day)`` gives a ``Snapshot`` with
plain dict lookups for that day, cached, so a determination does no filtering by date.
"""

from __future__ import annotations

import logging
import re
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

from exportcheck.dates import as_day
from exportcheck.errors import DateOutOfRange, RuleDataError
from exportcheck.rules import relevance
from exportcheck.rules import schema as s
from exportcheck.rules.embargo_schema import Embargo
from exportcheck.rules.loader import files_stamp, load_tables
from exportcheck.rules.schema import RULEBASE_START

#: Tables that explain the rule base but never enter a determination: their changes do not split
#: a destination's periods of unchanged rules.
EXPLANATORY = frozenset({"column_definitions"})
#: an ECCN as the CCL's texts write one ("3C007", "see 2B352")
_ECCN_WORD = re.compile(r"\b[0-9][A-E][0-9]{3}\b")


@dataclass
class Snapshot:
    """The rules in force on ``on``."""

    on: date
    version: str
    destinations: dict[str, s.Destination]
    aliases: dict[tuple[str, str], s.DestinationAlias]  # (scope, code) -> alias
    chart: dict[str, dict[str, s.ChartMark]]
    groups: dict[str, dict[str, s.GroupMember]]
    group_codes: dict[str, frozenset[str]]
    ccl: dict[str, s.CclEntry]
    special: dict[str, s.SpecialControl]
    footnotes: list[s.ChartFootnote]
    column_definitions: dict[str, s.ColumnDefinition]
    #: ECCN -> paragraphs added to it later; all rows, in force or not yet
    paragraph_starts: dict[str, list[s.ParagraphStart]]
    exceptions: dict[str, s.LicenceExceptionDef]
    restrictions: list[s.ExceptionRestriction]
    embargoes: dict[str, list[Embargo]]
    item_lists: dict[str, frozenset[str]]
    item_list_rows: dict[str, s.ItemList]
    end_use_rules: list[s.EndUseRule]
    usml: dict[str, s.UsmlCategory]
    proscribed: dict[str, s.ItarDestination]
    itar_exemptions: dict[str, s.ItarExemption]
    #: by reason without the column digit ("RS" holds the RS, RS1 and RS2 rows), file order
    review_policies: dict[str, list[s.ReviewPolicy]]
    #: the exemptions 22 CFR 126.1(a) leaves usable for a proscribed destination, in force
    proscribed_exemptions: list[s.ProscribedExemption] = field(default_factory=list)
    #: ownership rules by id, each in its window on this date (in force or suspended)
    ownership_rules: dict[str, s.OwnershipRule] = field(default_factory=dict)
    #: every row of every licence exception, in force or not (when one was created or removed)
    exception_history: dict[str, list[s.LicenceExceptionDef]] = field(default_factory=dict)
    #: foreign-direct-product and enforcement notes in force (trace only)
    reach_notes: list[s.ReachNote] = field(default_factory=list)
    #: changes the rule base knows of but does not model, in force on this date (caveats)
    history_gaps: list[s.HistoryGap] = field(default_factory=list)
    cache: dict[Any, Any] = field(default_factory=dict, repr=False)

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per snapshot and ``key``: what depends on the day's rules only
        (and the key), which a batch asks for thousands of times."""
        try:
            return self.cache[key]
        except KeyError:
            value = self.cache[key] = compute()
            return value

    def alias(self, code: str, scope: str) -> s.DestinationAlias | None:
        """How ``code`` is treated in ``scope`` (``ear``, ``itar``) on this day, if as another
        destination: Hong Kong as China from 23 Dec 2020 (``.as_code``)."""
        return self.aliases.get((scope, code)) or self.aliases.get(("all", code))

    def in_group(self, code: str, group: str) -> bool:
        """``code`` is a member of Country Group ``group`` (``B``, ``D:5`` ...) on this day."""
        return code in self.group_codes.get(group, frozenset())

    def ownership_rule(self, list_code: str) -> s.OwnershipRule | None:
        """The ownership rule (in force or suspended) that reaches owners on ``list_code``."""
        return next((r for r in self.ownership_rules.values() if list_code in r.lists), None)


class RuleSet:
    """Every rule row with its effective window; build once, query by date."""

    def __init__(self, tables: dict[str, list[Any]], version: str) -> None:
        self.tables = tables
        self.version = version
        self._check()

    def _check(self) -> None:
        ids = {r.id for r in self.tables.get("special_controls", [])}
        for entry in self.tables.get("ccl", []):
            for line in entry.controls:
                if line.special and line.special not in ids:
                    raise RuleDataError(
                        f"ECCN {entry.eccn}: control line refers to unknown special control "
                        f"{line.special!r}"
                    )
        lists = {r.id for r in self.tables.get("item_lists", [])}
        for rule in self.tables.get("end_use_rules", []):
            if rule.items not in ("all", "ccl") and rule.items not in lists:
                raise RuleDataError(f"end-use rule {rule.id!r}: unknown item list {rule.items!r}")

    def rows(self, table: str) -> list[Any]:
        return self.tables.get(table, [])

    @property
    def eccns(self) -> set[str]:
        return {e.eccn for e in self.rows("ccl")}

    @cached_property
    def eccns_named(self) -> frozenset[str]:
        """ECCNs the CCL's own texts name that have no entry here (3C007 in 3E001's RS line):
        real entries the rule base could not itemise, not misspellings."""
        named = {m for e in self.rows("ccl")
                 for m in _ECCN_WORD.findall(e.model_dump_json())}
        return frozenset(named - self.eccns)

    def as_of(self, on: date | datetime | str) -> Snapshot:
        """The rules in force on ``on``: a date, a datetime's own day or ``YYYY-MM-DD`` text,
        as everywhere in the Python API (a bad one is an error naming it, not a TypeError)."""
        return self._as_of(on if type(on) is date else as_day(on, "as_of date"))

    @lru_cache(maxsize=8192)  # noqa: B019 - the rule set lives as long as the process
    def _as_of(self, on: date) -> Snapshot:
        if on < RULEBASE_START:
            raise DateOutOfRange(
                f"date {on.isoformat()} is before the rule base starts "
                f"({RULEBASE_START.isoformat()}); exportcheck answers for dates from then on"
            )
        start = self.epoch_start(on)
        base = self._build(start)
        return base if start == on else replace(base, on=on)

    @lru_cache(maxsize=256)  # noqa: B019
    def _build(self, on: date) -> Snapshot:
        if on < RULEBASE_START:
            raise DateOutOfRange(
                f"date {on.isoformat()} is before the rule base starts "
                f"({RULEBASE_START.isoformat()}); exportcheck answers for dates from then on"
            )

        def live(table: str) -> list[Any]:
            return [r for r in self.rows(table) if r.in_force(on)]

        chart: dict[str, dict[str, s.ChartMark]] = defaultdict(dict)
        for m in live("chart_marks"):
            chart[m.code][m.column] = m
        groups: dict[str, dict[str, s.GroupMember]] = defaultdict(dict)
        codes: dict[str, set[str]] = defaultdict(set)
        for g in live("group_members"):
            groups[g.code][g.group] = g
            codes[g.group].add(g.code)
        embargoes: dict[str, list[Embargo]] = defaultdict(list)
        for e in live("embargoes"):
            for d in e.destinations:
                embargoes[d].append(e)
        policies: dict[str, list[s.ReviewPolicy]] = defaultdict(list)
        for p in live("review_policies"):
            policies[p.reason.rstrip("0123456789")].append(p)
        lists = {r.id: r for r in self.rows("item_lists")}
        return Snapshot(
            on=on,
            version=self.version,
            destinations={d.code: d for d in live("destinations")},
            aliases={(a.scope, a.code): a for a in live("aliases")},
            chart=dict(chart),
            groups=dict(groups),
            group_codes={k: frozenset(v) for k, v in codes.items()},
            ccl={e.eccn: e for e in live("ccl")},
            special={c.id: c for c in live("special_controls")},
            footnotes=live("chart_footnotes"),
            column_definitions={c.column: c for c in live("column_definitions")},
            paragraph_starts=_by_eccn(self.rows("paragraph_starts")),
            exceptions=_first_by_symbol(live("licence_exceptions")),
            restrictions=live("exception_restrictions"),
            embargoes=dict(embargoes),
            item_lists={i: frozenset(r.eccns) for i, r in lists.items()},
            item_list_rows=lists,
            end_use_rules=live("end_use_rules"),
            usml={u.category: u for u in live("usml")},
            proscribed={p.code: p for p in live("proscribed")},
            itar_exemptions={x.section: x for x in live("itar_exemptions")},
            proscribed_exemptions=live("proscribed_exemptions"),
            review_policies=dict(policies),
            ownership_rules={r.id: r for r in live("ownership_rules")},
            exception_history=_by_symbol(self.rows("licence_exceptions")),
            reach_notes=live("reach_notes"),
            history_gaps=live("history_gaps"),
        )

    @property
    def epochs(self) -> list[date]:
        """Days on which some rule starts or stops: between two, every snapshot is the same."""
        if not hasattr(self, "_epochs"):
            days = {RULEBASE_START}
            for rows in self.tables.values():
                for r in rows:
                    if r.start > RULEBASE_START:
                        days.add(r.start)
                    if r.effective_to:
                        days.add(r.effective_to + timedelta(days=1))
            self._epochs = sorted(days)
        return self._epochs

    def epochs_for(self, code: str, eccn: str | None = None, *, ownership: bool = True,
                   caveats: bool = True, terms: bool = False) -> list[date]:
        """Days on which a rule that can matter for ``code`` (and items of ``eccn``) starts or
        stops.

        A row naming other destinations only (a chart mark, a group membership, an embargo...)
        cannot change an answer for ``code``; a CCL row only for its own ECCN; a row naming no
        destination only for the ECCNs :mod:`~exportcheck.rules.relevance` cannot rule out
        (every ECCN when ``eccn`` is None: EAR99, USML). What ``code`` is determined as (its
        aliases) and the destinations its restrictions refer to count too. Ownership rules
        matter only to determinations given an ownership graph (``ownership``); the days the
        end-use terms change (:meth:`_term_days`) only to lines whose stated end use reads
        otherwise with other terms (``terms``; :meth:`term_sets`).

        ``caveats=False``: for answers whose caveats are not wanted (impact analysis compares
        outcomes, reasons, exceptions and policies). Rows that only write the trace or the
        caveats (reach notes, known gaps) then split nothing, and a rule for some Country
        Groups only the periods of destinations that were ever in them: elsewhere it only
        notes that it does not apply, which shows in the caveats alone.
        """
        key = (code, eccn, ownership, caveats, terms)
        cache = self.__dict__.setdefault("_epochs_for", {})
        if key not in cache:
            days = (self._destination_days(code) | self._item_days(eccn, ownership)
                    | self._reached_days(code, eccn))
            if terms:
                days |= self._term_days()
            if caveats:
                days |= self._caveat_days(code, eccn)
            cache[key] = sorted(days)
        return cache[key]

    def _term_days(self) -> set[date]:
        """Days on which the end-use terms in force change, for every destination: a stated
        end use is read with the terms of the end-use rules in force (enduse.end_use), the
        longest first, so "military intelligence" names military before 744.22 (16 Mar 2021)
        and not after, wherever a rule of military alone reaches (Iraq, 746.3)."""
        if not hasattr(self, "_terms_changed"):
            self._terms_changed = {
                day for table, _, _, bounds in self._dated_rows() if table == "end_use_rules"
                for day in bounds
                if set(self._terms_on(day)) != set(self._terms_on(day - timedelta(days=1)))}
        return self._terms_changed

    def term_sets(self) -> list[tuple[str, ...]]:
        """The end-use terms in force in each period between :meth:`_term_days` (a stated
        end use is read with those of its day)."""
        return [self._terms_on(day) for day in sorted({RULEBASE_START, *self._term_days()})]

    def _terms_on(self, day: date) -> tuple[str, ...]:
        """The end uses the end-use rules in force on ``day`` name."""
        return tuple(dict.fromkeys(k for r in self.rows("end_use_rules") if r.in_force(day)
                                   for k in r.end_use_keywords))

    def may_be_in(self, code: str, groups: Iterable[str]) -> bool:
        """Whether ``code`` (or what it is determined as) was ever in one of ``groups``."""
        ever = self._ever_members()
        return any(self._codes(code) & ever.get(str(g), frozenset()) for g in groups)

    def _codes(self, code: str) -> frozenset[str]:
        """``code``, what it is determined as, and the destinations its restrictions refer to."""
        cache = self.__dict__.setdefault("_codes_for", {})
        if code not in cache:
            codes = {code}
            for r in self.rows("aliases"):
                if r.code == code:
                    codes.add(r.as_code)
            for r in self.rows("exception_restrictions"):
                if codes & set(r.destinations) and r.usable_for:
                    codes.add(r.usable_for)
            cache[code] = frozenset(codes)
        return cache[code]

    def _destination_days(self, code: str) -> set[date]:
        """Change days of the rows naming ``code`` (:meth:`_codes`)."""
        cache = self.__dict__.setdefault("_destination_days_for", {})
        if code not in cache:
            codes = self._codes(code)
            days = {RULEBASE_START}
            for _, _, named, bounds in self._dated_rows():
                if named & codes:
                    days |= bounds
            cache[code] = days
        return cache[code]

    def _item_days(self, eccn: str | None, ownership: bool) -> set[date]:
        """Change days of the rows naming no destination that can concern items of ``eccn``
        (its own CCL rows included), but not those of rows that reach some Country Groups only
        (:meth:`_reached_days`) or write no answer (:meth:`_caveat_days`)."""
        cache = self.__dict__.setdefault("_item_days_for", {})
        key = (eccn, ownership)
        if key not in cache:
            concerns = self._concerns(eccn)
            days: set[date] = set()
            for table, row, named, bounds in self._dated_rows():
                if named or (table == "ownership_rules" and not ownership):
                    continue
                if table in relevance.CAVEATS_ONLY or self._reach(table, row) is not None:
                    continue
                if row.eccn == eccn if table == "ccl" else concerns(table, row):
                    days |= bounds
            cache[key] = days
        return cache[key]

    def _caveat_days(self, code: str, eccn: str | None) -> set[date]:
        """For ``code``: change days of the rows naming no destination, that :meth:`_item_days`
        leaves out, that can still change the caveats of an untraced determination for items
        of ``eccn`` (:func:`relevance.caveat_reach`)."""
        anywhere, by_code = self._caveat_rows(eccn)
        return anywhere.union(*(by_code[c] for c in self._codes(code) if c in by_code))

    def _caveat_rows(self, eccn: str | None) -> tuple[set[date], dict[str, set[date]]]:
        """The change days of :meth:`_caveat_days` for items of ``eccn``: those of rows that
        can reach any destination, and those of the others by destination reached."""
        cache = self.__dict__.setdefault("_caveat_rows_for", {})
        if eccn not in cache:
            concerns, members = self._concerns(eccn), self._ever_members()
            anywhere: set[date] = set()
            by_code: dict[str, set[date]] = defaultdict(set)
            for table, row, named, bounds in self._dated_rows():
                if named or not (table in relevance.CAVEATS_ONLY or self._reach(
                        table, row) is not None) or not concerns(table, row):
                    continue
                where = relevance.caveat_reach(table, row, members)
                if where is None:
                    anywhere |= bounds
                else:
                    for c in where:
                        by_code[c] |= bounds
            cache[eccn] = (anywhere, dict(by_code))
        return cache[eccn]

    def _reached_days(self, code: str, eccn: str | None) -> set[date]:
        """Change days, for ``code``, of the rows naming no destination but some Country Groups
        (:func:`relevance.reach`) that can concern items of ``eccn`` (:meth:`_chain_days`)."""
        days: set[date] = set()
        for chain in self._reaching(eccn):
            days |= self._chain_days(chain, code)
        return days

    def _chain_days(self, chain: tuple[int, ...], code: str) -> set[date]:
        """For ``code``: the first start and last end of a rule's versions (``chain``: indexes
        of :meth:`_dated_rows`, by start) when it ever reached the destination, and each day a
        version replaced another that says something else of it (:func:`relevance.view`)."""
        cache = self.__dict__.setdefault("_chain_days_for", {})
        if (chain, code) not in cache:
            dated, codes = self._dated_rows(), self._codes(code)
            table = dated[chain[0]][0]
            versions = [dated[i][1] for i in chain]
            days: set[date] = set()
            if any(self._reach(table, r) & codes for r in versions):  # type: ignore[operator]
                for prev, row in zip([None, *versions], versions, strict=False):
                    joined = (prev is not None and prev.effective_to is not None
                              and prev.effective_to + timedelta(days=1) == row.start)
                    if prev is not None and not joined and prev.effective_to is not None:
                        days.add(prev.effective_to + timedelta(days=1))
                    if row.start > RULEBASE_START and (
                            not joined
                            or relevance.view(prev, codes) != relevance.view(row, codes)):
                        days.add(row.start)
                if versions[-1].effective_to is not None:
                    days.add(versions[-1].effective_to + timedelta(days=1))
            cache[chain, code] = days
        return cache[chain, code]

    def _reaching(self, eccn: str | None) -> list[tuple[int, ...]]:
        """The versions (indexes of :meth:`_dated_rows`, by start) of each rule that reaches
        some Country Groups only, those of them that can concern items of ``eccn``."""
        cache = self.__dict__.setdefault("_reaching_for", {})
        if eccn not in cache:
            concerns = self._concerns(eccn)
            chains: dict[tuple[str, str], list[int]] = defaultdict(list)
            for i, (table, row, named, _) in enumerate(self._dated_rows()):
                if named or table in relevance.CAVEATS_ONLY:
                    continue
                if self._reach(table, row) is None:
                    continue
                if concerns(table, row):
                    chains[table, relevance.identity(table, row)].append(i)
            dated = self._dated_rows()
            cache[eccn] = [tuple(sorted(v, key=lambda i: dated[i][1].start))
                           for v in chains.values()]
        return cache[eccn]

    def _reach(self, table: str, row: Any) -> frozenset[str] | None:
        """:func:`relevance.reach` of a row, once per row."""
        cache = self.__dict__.setdefault("_reach_of", {})
        if id(row) not in cache:
            cache[id(row)] = relevance.reach(table, row, self._ever_members())
        return cache[id(row)]

    def _ever_members(self) -> dict[str, frozenset[str]]:
        """Country Group -> every destination that was ever in it."""
        if not hasattr(self, "_members_ever"):
            members: dict[str, set[str]] = defaultdict(set)
            for m in self.rows("group_members"):
                members[str(m.group)].add(m.code)
            self._members_ever = {g: frozenset(c) for g, c in members.items()}
        return self._members_ever

    def _named(self, row: Any) -> set[str]:
        """:func:`named_destinations`, and for an end-use rule of some Country Groups (744.23:
        Macau and D:5) every destination ever in them: the rule reaches those alone, and a
        destination's joining or leaving a group is a row naming it. Otherwise such a rule
        would split every destination's periods."""
        if isinstance(row, s.EndUseRule) and row.groups:
            ever = self._ever_members()
            return set(row.countries).union(*(ever.get(str(g), ()) for g in row.groups))
        return named_destinations(row)

    def _dated_rows(self) -> list[tuple[str, Any, set[str], set[date]]]:
        """(table, row, destinations named, change days) for the rows that change in range."""
        if not hasattr(self, "_dated"):
            out = []
            for table, rows in self.tables.items():
                if table in EXPLANATORY:
                    continue
                for r in rows:
                    bounds = set()
                    if r.start > RULEBASE_START:
                        bounds.add(r.start)
                    if r.effective_to:
                        bounds.add(r.effective_to + timedelta(days=1))
                    if bounds:
                        out.append((table, r, self._named(r), bounds))
            self._dated = out
        return self._dated

    def _concerns(self, eccn: str | None) -> Callable[[str, Any], bool]:
        """``(table, row) -> bool``: whether a row naming no destination can concern ``eccn``."""
        if eccn is None:
            return lambda table, row: True
        cache = self.__dict__.setdefault("_concerns_for", {})
        if eccn not in cache:
            p = relevance.profile(self.tables, eccn)
            reach = frozenset(r.outside_special for r in self.rows("reach_notes")
                              if r.outside_special and relevance.reach_concerns(r, eccn))
            if "_allowed" not in self.__dict__:
                self._allowed = relevance.allowed_everywhere(self.tables)
            allowed = self._allowed
            cache[eccn] = lambda table, row: (table not in relevance.HANDLED or relevance.concerns(
                table, row, p, reach, allowed))
        return cache[eccn]

    def epoch_start(self, on: date) -> date:
        """The first day of the period of unchanged rules that contains ``on``."""
        i = bisect_right(self.epochs, on)
        return self.epochs[max(i - 1, 0)]

    def changes_between(self, start: date, end: date) -> list[tuple[str, Any, str]]:
        """Rows that came into or went out of force after ``start`` up to ``end``.

        Returns (table, row, 'added' | 'removed'), ordered by the date of the change. A row
        whose start is only bounded (``unknown; not before DAY``) is added on its bound, the
        day the engine starts applying it (the UAE's A:5 listing on 21 Jun 2026): otherwise
        the diff would show the memberships it replaces ending and nothing beginning.
        """
        out: list[tuple[date, str, Any, str]] = []
        for table, rows in self.tables.items():
            for r in rows:
                begins = r.effective_from or r.not_before
                if begins and start < begins <= end:
                    out.append((begins, table, r, "added"))
                if r.effective_to and start <= r.effective_to < end:
                    out.append((r.effective_to, table, r, "removed"))
        out.sort(key=lambda t: (t[0], t[1], t[3]))
        return [(t, r, kind) for _, t, r, kind in out]


def _by_eccn(rows: list[s.ParagraphStart]) -> dict[str, list[s.ParagraphStart]]:
    out: dict[str, list[s.ParagraphStart]] = defaultdict(list)
    for r in rows:
        for eccn in r.eccns:
            out[eccn].append(r)
    return dict(out)


def _first_by_symbol(rows: list[s.LicenceExceptionDef]) -> dict[str, s.LicenceExceptionDef]:
    """Symbol -> its first row in force: an exception with several authorizing paragraphs in
    force at once (STA (c)(1) and (c)(2)) is named by its first; the engine picks the
    paragraph that reaches the destination."""
    out: dict[str, s.LicenceExceptionDef] = {}
    for r in rows:
        out.setdefault(r.symbol, r)
    return out


def _by_symbol(rows: list[s.LicenceExceptionDef]) -> dict[str, list[s.LicenceExceptionDef]]:
    out: dict[str, list[s.LicenceExceptionDef]] = defaultdict(list)
    for r in rows:
        out[r.symbol].append(r)
    return {k: sorted(v, key=lambda r: r.start) for k, v in out.items()}


def named_destinations(row: Any) -> set[str]:
    """The destinations a row is about; empty for rows that apply everywhere."""
    if isinstance(row, s.SpecialControl):
        return set()  # its destination set is computed from groups: treat as global
    if isinstance(row, s.ReachNote) and (row.worldwide or row.outside_special):
        return set()
    named: set[str] = set()
    fields = type(row).model_fields
    for attr in ("code", "as_code"):
        if attr in fields and getattr(row, attr):
            named.add(getattr(row, attr))
    for attr in ("destinations", "countries"):
        if attr in fields:
            named |= set(getattr(row, attr) or [])
    if "groups" in fields and row.groups:
        return set()  # a group-based rule reaches destinations by membership
    return named


@cache
def _bundled() -> RuleSet:
    """The bundled rule base: its files change only with the package, so read once."""
    return RuleSet(*load_tables(None))


log = logging.getLogger(__name__)
#: the rule base read with each layered directory, under the stamp of its files when read
_LAYERED: dict[str, tuple[tuple[tuple[str, int, int], ...], RuleSet]] = {}
_LAYERED_LOCK = threading.Lock()


def load_ruleset(rules_dir: str | Path | None = None) -> RuleSet:
    """The bundled rule base (optionally with a directory of rule files layered over it).

    A layered directory is checked (its files' modification times and sizes) at every call:
    a long-running process (``exportcheck serve``) otherwise kept the rule files it first read
    and went on deciding by them, silently, after an operator edited one. The bundled files
    change only with the package, so they are read once."""
    if rules_dir is None:
        from exportcheck.settings import rules_dir as configured

        rules_dir = configured()
    if not rules_dir:
        return _bundled()
    key = str(rules_dir)
    stamp = files_stamp(Path(key))
    held = _LAYERED.get(key)
    if held is not None and held[0] == stamp:
        return held[1]
    with _LAYERED_LOCK:
        held = _LAYERED.get(key)
        if held is not None and held[0] == stamp:
            return held[1]
        tables, version = load_tables(Path(key))  # an invalid edit raises; nothing is replaced
        if held is not None and held[1].version == version:
            rs = held[1]  # touched, not changed: keep its snapshots
        else:
            rs = RuleSet(tables, version)
            if held is not None:
                log.warning("rules directory %s changed: rule base %s, was %s", key, version,
                            held[1].version)
        _LAYERED[key] = (stamp, rs)
        return rs


def held_ruleset(version: str) -> RuleSet | None:
    """The rule base with content hash ``version`` if this process holds it (the bundled one,
    or a layered directory as last read), found without reading or stamping any file."""
    with _LAYERED_LOCK:
        held = next((rs for _, rs in _LAYERED.values() if rs.version == version), None)
    if held is None and _bundled.cache_info().currsize and _bundled().version == version:
        return _bundled()
    return held
