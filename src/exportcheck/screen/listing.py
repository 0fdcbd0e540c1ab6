"""When a listed party was on its list: a determination for a past date must not apply a
listing that took effect later (Huawei: Entity List from 16 May 2019, 84 FR 22961).

The list files are today's; what they say of the past:

- some carry the day an entry took effect: the UN list (``LISTED_ON``), the Denied Persons
  List (an order's effective and expiration dates), MOFCOM (``date_added``), the CSL's
  ``start_date`` / ``end_date`` where trade.gov fills them; an entry citing a Federal
  Register notice published before that day was listed earlier (a renewed temporary denial
  order carries its latest renewal's dates), so days before it are not established;
- Entity List and MEU entries cite the Federal Register rules that added and amended them.
  The first rule cited is the one that added the entry: its effective date, from the reviewed
  table ``data/fr_listing_dates.csv`` (each row with its source), fixes the day. A rule not in
  that table still gives its year (volume 84 is 2019), so the entry was not listed before
  that year began, less :data:`DISPLAY_MARGIN` for rules that took effect on public display
  before publication (84 FR 22961 was published on 21 May 2019, effective 16 May);
  an affiliate the CSL lists under another entry ("... Affiliated Entity: ...", Huawei's)
  cites that entry's rules, so its day is not established, only that it was not before the
  entry's;
- OFAC's files carry no dates. The reviewed table ``data/ofac_designation_dates.csv`` gives,
  for the entries it covers, the day of the published action with its source: ``added`` fixes
  the day of an SDN designation (Carrie Lam, SDN 29249: Treasury press release sm1088 of 7 Aug
  2020; the NS-CMIC additions of December 2021); ``not-before`` only bounds a copy from below
  (a non-SDN HKAA copy cannot predate the State Department's report that identified the
  person, 14 Oct 2020 for Carrie Lam's NS-MBS 29249, and when OFAC put it on that list is not
  established; a copy whose SDN entry is dated is bounded by that designation instead, the
  party being blocked from then, 7 Aug 2020 for her); ``listed-by`` says
  it was listed that day, perhaps earlier (the 59 of the EO 14032 Annex on the NS-CMIC List
  created on 3 Jun 2021, some on OFAC's NS-CCMC List before). Otherwise, and before a
  ``listed-by`` day, each entry names the programmes it is designated under, and no one is
  designated under an executive order before it was signed: an entry whose programmes all
  began on or after 1 Nov 2018 (``data/program_starts.csv``: RUSSIA-EO14024 on 15 Apr 2021,
  HK-EO13936 on 14 Jul 2020 ...) was not listed before the first of them (a tag OFAC moved
  earlier designations to, as PAARSSR-EO13894, bounds nothing);
- the others carry no dates at all.

A hit's :func:`state_on` a day is then ``listed``, ``later`` (certainly not yet listed),
``expired`` (after the expiry its file gives), ``unsure`` (listed on a day around it, not
established) or ``undated``. The determination drops ``later`` hits with a caveat naming the
listing, and applies the others, saying why in a caveat (:mod:`exportcheck.determine.holds`).
An expired order is still applied: the Consolidated Screening List of July 2026 carries all 283
Denied Persons whose orders in the 2023 ``dpl.txt`` expire before July 2026, so an expiry date
is no proof of removal (the order may have been renewed). Entries delisted before the files
were published are not in them at all.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources

from exportcheck.models import ScreeningHit

#: lists whose entries cite the rules that added them (15 CFR 744 Supp. 4 and Supp. 7)
FR_DATED_LISTS = frozenset({"EL", "MEU"})
#: how long before its publication a listing rule may take effect (on public-inspection
#: display, as 84 FR 22961 did five days before): two weeks, so a year's first rule is covered
DISPLAY_MARGIN = timedelta(days=14)
#: how long after its year's end a listing rule known only by its year may have taken effect
#: (a delayed effective date); only the caveats depend on it: a hit is applied either way
DEFERRAL_MARGIN = timedelta(days=90)
#: what each list is called in a caveat
LIST_LABELS = {"EL": "Entity List", "MEU": "Military End-User List", "DPL": "Denied Persons List",
               "UN": "UN Consolidated List", "SDN": "SDN list", "UVL": "Unverified List",
               "DTC": "ITAR debarred list", "ISN": "Nonproliferation Sanctions list",
               "NONSDN": "OFAC non-SDN lists"}
#: the publications a list version comes from (``ParsedList.source``), as an officer knows them
SOURCE_LABELS = {"ofac-sdn": "OFAC SDN list", "ofac-cons": "OFAC consolidated (non-SDN) lists",
                 "csl": "Consolidated Screening List (trade.gov)",
                 "bis-dpl": "BIS Denied Persons List",
                 "un": "UN Security Council Consolidated List",
                 "mofcom": "China MOFCOM lists (Unreliable Entity, Export Control)"}
_FR = re.compile(r"\b(\d{2,3})\s*F\.?\s?R\.?\s*(\d{1,6})\b")
#: the publication day written after a citation in the Denied Persons List ("5/28/15")
_NOTICE_DAY = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")


@dataclass(frozen=True, slots=True)
class Listing:
    """What the lists say of an entry's time on its list."""

    #: listed on and after this day, certainly (None: not established)
    since: date | None = None
    #: not listed before this day, certainly (None: not established)
    not_before: date | None = None
    #: the last day listed (an order that expires); None: still listed
    until: date | None = None
    #: what says so, with its citation ("added by 84 FR 22961, effective 2019-05-16")
    basis: str = ""

    @property
    def dated(self) -> bool:
        return bool(self.since or self.not_before or self.until)


@dataclass(frozen=True, slots=True)
class FrRule:
    """One reviewed row of ``fr_listing_dates.csv``."""

    citation: str
    fr_doc: str
    effective: date
    added: bool  # the rule added the entries that cite it first (else: revised or unknown)
    source: str


def _earliest_notice(text: str | None) -> date | None:
    """The latest day by which the earliest Federal Register notice an entry cites had been
    published: the day written beside a citation ("80 F.R. 30435 5/28/15"), else the last
    day of its volume's year."""
    days = [date(volume + 1935, 12, 31) for volume, _ in fr_citations(text)]
    for month, day, year in _NOTICE_DAY.findall(text or ""):
        if len(year) == 3:
            continue
        try:
            days.append(date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day)))
        except ValueError:  # a day the calendar lacks (a typo: "2/30/21") dates nothing
            continue
    return min(days, default=None)


def fr_citations(text: str | None) -> list[tuple[int, int]]:
    """The (volume, page) pairs a list entry cites, earliest first."""
    return sorted({(int(v), int(p)) for v, p in _FR.findall(text or "")})


@cache
def fr_rules() -> dict[tuple[int, int], FrRule]:
    """The reviewed listing rules by (volume, first page cited)."""
    out: dict[tuple[int, int], FrRule] = {}
    path = resources.files("exportcheck.screen") / "data" / "fr_listing_dates.csv"
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["effective"] or row["verified"] not in ("yes", "partial"):
                continue
            (key,) = fr_citations(row["citation"])
            out[key] = FrRule(row["citation"], row["fr_doc"], date.fromisoformat(row["effective"]),
                              row["action"] == "added", row["source"])
    return out


@dataclass(frozen=True, slots=True)
class OfacAction:
    """One reviewed row of ``ofac_designation_dates.csv``."""

    day: date
    #: ``added``: the entry took effect that day; ``not-before``: not before it (the day
    #: unknown); ``listed-by``: listed that day, perhaps earlier
    action: str
    cite: str  # the source, short ("Treasury press release sm1088")


#: OFAC's list codes the table dates (a non-SDN copy shares its SDN entry's number)
OFAC_LISTS = frozenset({"SDN", "NONSDN"})
OFAC_ACTIONS = ("added", "not-before", "listed-by")


@cache
def ofac_actions() -> dict[tuple[str, str], OfacAction]:
    """The reviewed OFAC actions by (list code, entry number)."""
    path = resources.files("exportcheck.screen") / "data" / "ofac_designation_dates.csv"
    with path.open(encoding="utf-8") as fh:
        return {(r["list"], r["entry_id"]): OfacAction(date.fromisoformat(r["designated"]),
                                                         r["action"], r["cite"])
                for r in csv.DictReader(fh)
                if r["designated"] and r["verified"] in ("yes", "partial")
                and r["action"] in OFAC_ACTIONS}


@cache
def program_starts() -> dict[str, tuple[date, str]]:
    """Programme tag -> (the day its authority began, the authority), reviewed data.

    A row without ``began`` is a tag reviewed and found to bound nothing (its note says why:
    OFAC moved entries designated earlier under another authority to it), so it is left out."""
    path = resources.files("exportcheck.screen") / "data" / "program_starts.csv"
    with path.open(encoding="utf-8") as fh:
        return {r["program"]: (date.fromisoformat(r["began"]), r["authority"])
                for r in csv.DictReader(fh) if r["began"]}


def _by_programs(programs: tuple[str, ...], label: str) -> Listing:
    """Not listed before the first of its programmes began, when every one is known."""
    starts = program_starts()
    known = [starts[p] for p in programs if p in starts]
    if not programs or len(known) < len(programs):
        return Listing()
    began, authority = min(known)
    return Listing(None, began, None,
                   f"on the {label} under {', '.join(programs)}; the first of them began "
                   f"on {began.isoformat()} ({authority}) and the list files do not date the "
                   "designation")


def _by_ofac_action(action: OfacAction, label: str, programs: tuple[str, ...],
                    entry_id: str) -> Listing:
    """The day of OFAC's published action: the listing's own day, a bound below it, or a
    day by which it was listed (before which its programmes still bound it).

    A non-SDN copy bounded from below is not left out while its SDN copy (the same number:
    one party) was designated: the CSL of July 2026 carries Carrie Lam only as NS-MBS 29249,
    whose HKAA report is of 14 Oct 2020, but she was blocked from 7 Aug 2020."""
    day = action.day.isoformat()
    twin = ofac_actions().get(("SDN", entry_id)) if action.action == "not-before" else None
    if twin is not None and twin.action == "added" and twin.day < action.day:
        return Listing(None, twin.day, None,
                       f"on the {label}, not before {day} ({action.cite}), the day OFAC listed "
                       "it there not established; its SDN copy was designated on "
                       f"{twin.day.isoformat()} ({twin.cite})")
    if action.action == "added":
        return Listing(action.day, action.day, None,
                       f"designated on the {label} on {day} ({action.cite})")
    if action.action == "listed-by":
        return Listing(action.day, _by_programs(programs, label).not_before, None,
                       f"on the {label} from {day} at the latest ({action.cite}); whether it "
                       "was listed before is not established")
    return Listing(None, action.day, None,
                   f"on the {label}, not before {day} ({action.cite}); the day OFAC listed it "
                   "there is not established")


def listing_of(hit: ScreeningHit) -> Listing:
    """What the hit's entry says of its dates (see the module docstring)."""
    return _listing(hit.list, hit.entry_id, hit.listed_on, hit.listed_until,
                    hit.federal_register_notice, hit.programs, hit.listed_under)


@lru_cache(maxsize=65_536)  # a batch asks once per hit and line: the entries are few
def _listing(code: str, entry_id: str, listed_on: date | None, listed_until: date | None,
             notice: str | None, programs: tuple[str, ...],
             listed_under: str | None) -> Listing:
    label = LIST_LABELS.get(code, code)
    if listed_on or listed_until:
        what = f"on the {label} from {listed_on.isoformat()}" if listed_on else f"on the {label}"
        if listed_until:
            what += f" until {listed_until.isoformat()}"
        what += " (as the list file says)"
        earlier = _earliest_notice(notice)
        if listed_on and earlier and earlier < listed_on:
            # a renewed order (15 CFR 766.24): the file dates the latest renewal, not the first
            return Listing(listed_on, None, listed_until,
                           f"{what}; its entry cites a Federal Register notice of "
                           f"{earlier.isoformat()}, so {listed_on.isoformat()} is the date of a "
                           "later order or renewal and it may have been listed before")
        return Listing(listed_on, listed_on, listed_until, what)
    if code in OFAC_LISTS and (action := ofac_actions().get((code, entry_id))):
        return _by_ofac_action(action, label, programs, entry_id)
    cites = fr_citations(notice) if code in FR_DATED_LISTS else []
    if not cites:
        return _by_programs(programs, label)
    volume, page = cites[0]
    year_start = date(volume + 1935, 1, 1) - DISPLAY_MARGIN
    rule = fr_rules().get((volume, page))
    if listed_under:
        return _affiliate(listed_under, label, rule, f"{volume} FR {page}", year_start)
    if rule is None:
        return Listing(date(volume + 1935, 12, 31) + DEFERRAL_MARGIN, year_start, None,
                       f"added to the {label} by {volume} FR {page} ({volume + 1935}), the first "
                       "rule its entry cites; the day that rule took effect is not in "
                       "exportcheck's table")
    doc = f", FR Doc {rule.fr_doc}" if rule.fr_doc else ""
    if rule.added:
        return Listing(rule.effective, rule.effective, None,
                       f"added to the {label} by {rule.citation}{doc}, effective "
                       f"{rule.effective.isoformat()}")
    return Listing(rule.effective, year_start, None,
                   f"on the {label} by {rule.citation}{doc} (effective "
                   f"{rule.effective.isoformat()}), the first rule its entry cites, which may "
                   "not be the one that added it")


def _affiliate(entry: str, label: str, rule: FrRule | None, first: str,
               year_start: date) -> Listing:
    """An affiliate listed under another entry: its row cites that entry's rules, the first
    of which added the entry, not necessarily the affiliate (19 of Huawei's affiliates were
    put under its entry of 16 May 2019 by 84 FR 43493, effective 19 Aug 2019), so the day
    is not established; only that it was not before the entry's."""
    since = rule.effective if rule is not None and rule.added else None
    return Listing(None, since or year_start, None,
                   f"listed on the {label} as an affiliate under the entry {entry!r}, whose "
                   f"rules its row cites (the first, {first}"
                   + (f", effective {since.isoformat()}" if since else "")
                   + ", added that entry; the affiliate may have been added later)")


def listed_since(hit: ScreeningHit) -> date | None:
    """The day the entry took effect, when established to the day (else None)."""
    listing = listing_of(hit)
    return listing.since if listing.since and listing.since == listing.not_before else None


def state_on(listing: Listing, day: date, lists_date: date | None) -> str:
    """``listed``, ``later``, ``expired``, ``unsure`` or ``undated`` (see the module docstring).

    An entry in the lists was listed on the lists' own date: only days before it are in doubt.
    """
    if listing.until and day > listing.until:
        return "expired"
    if listing.not_before and day < listing.not_before:
        return "later"
    if (listing.since and day >= listing.since) or (lists_date and day >= lists_date):
        return "listed"
    return "unsure" if listing.dated else "undated"


def boundaries(listing: Listing, lists_date: date | None) -> set[date]:
    """The days on which :func:`state_on` may change (a batch decides each period once)."""
    days = {listing.since, listing.not_before, lists_date}
    if listing.until:
        days.add(listing.until + timedelta(days=1))
    return {d for d in days if d is not None}
