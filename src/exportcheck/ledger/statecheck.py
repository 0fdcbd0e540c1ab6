"""Check the ledger's state tables against the audit chain (``exportcheck audit verify``).

The hash chain proves the *log* is intact; this module proves the *tables* agree with it. It
replays the audit payloads (``licence.added``, ``licence.status``, ``policy.applied``,
``shipment.posted``, ``shipment.reversed``) into what every licence (lines: classification,
quantity, value, drawn totals; parties; destination; validity; provisos), its status history,
every policy event, every shipment (with its lines and the licence lines they draw on) and
every reversal must be, and compares that with ``ledger_licence``, ``ledger_licence_line``,
``ledger_licence_party``, ``ledger_licence_status``, ``ledger_policy_event``,
``ledger_shipment``, ``ledger_shipment_line`` and ``ledger_shipment_reversal``. A reversal
gives back what its shipment's own audited lines drew, so a reversed shipment's draw-down is
expected back. So multiplying a line's value, deleting a suspension, editing a shipment line,
inserting a shipment without an audit entry or deleting a reversal is reported, naming the
table, the row and the audit entry it contradicts.

A shipment's and a reversal's ``recorded_at`` (what ``shipments show`` prints as "posted by X
at T" and "REVERSED ... at T") must be the time of its own audit entry: both are written in one
transaction, from one instant (rows written before this check: a second clock reading a few
microseconds later), so a difference of more than :data:`TIME_TOLERANCE` either way is
reported, whatever time zone the backend returns it in. Not compared (not shown as a record's
time, or derived): the other row timestamps (``ledger_licence.created_at``, the status and
policy rows' ``recorded_at``) and the denormalised ``ledger_licence.status`` (the status
history, which *is* compared, is authoritative). Payload keys the replay does not need (a
shipment's ``determination`` and ``override``, a reversal's ``returned``) are ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from exportcheck.ledger.audit import canonical_json, recorded_time
from exportcheck.ledger.models import (
    AuditEntry,
    Licence,
    LicenceStatusEvent,
    PolicyEvent,
    Shipment,
    ShipmentReversal,
)
from exportcheck.ledger.schemas import classification_key

#: audit entry kinds that change the ledger tables
STATE_KINDS = ("licence.added", "licence.status", "policy.applied", "shipment.posted",
               "shipment.reversed")
_CENT, _MILLI = Decimal("0.01"), Decimal("0.001")
#: how far a shipment's or reversal's ``recorded_at`` may be from its audit entry's time: rows
#: written before both took one instant stored a second reading of the clock, taken a few
#: microseconds (under load, milliseconds) after the entry's
TIME_TOLERANCE = dt.timedelta(seconds=2)


def _cents(value: Any) -> int:
    return int((Decimal(str(value)) / _CENT).to_integral_exact())


def _milli(value: Any) -> int | None:
    return None if value is None else int((Decimal(str(value)) / _MILLI).to_integral_exact())


def _cls(code: str) -> str:
    return classification_key(code)


@dataclass
class Mismatch:
    """One disagreement between a table row and the audit entry that should have made it."""

    seq: int | None  # the audit entry contradicted (None: a row no entry accounts for)
    table: str
    row: str
    problem: str

    def sort_key(self) -> tuple[float, str, str]:
        return (float("inf") if self.seq is None else self.seq, self.table, self.row)

    def message(self) -> str:
        where = f"audit entry #{self.seq}" if self.seq is not None else "no audit entry"
        return f"{self.table} {self.row}: {self.problem} (contradicts {where})"


@dataclass
class StateCheck:
    mismatches: list[Mismatch] = field(default_factory=list)
    #: entries of a state-changing kind whose payload cannot be replayed (seq: why)
    unverifiable: list[str] = field(default_factory=list)
    entries_replayed: int = 0

    @property
    def first(self) -> Mismatch | None:
        return min(self.mismatches, key=Mismatch.sort_key) if self.mismatches else None


@dataclass
class _Lic:
    seq: int
    agency: str
    number: str
    fields: dict[str, Any]
    lines: dict[int, dict[str, Any]]  # line_no -> expected columns
    parties: list[tuple[str, str, str | None]]
    statuses: list[tuple[int, tuple]] = field(default_factory=list)  # (seq, row tuple)
    drawn: dict[int, list[int]] = field(default_factory=dict)  # line_no -> [qty, cents]
    last_draw_seq: dict[int, int] = field(default_factory=dict)


def _status_row(ev: LicenceStatusEvent) -> tuple:
    return (ev.status, ev.effective.isoformat(), ev.reason, ev.citation, ev.policy_event_id)


def check_state(session: Session) -> StateCheck:
    """Replay the audit payloads and compare with the state tables (read-only)."""
    out = StateCheck()
    lics: dict[tuple[str, str], _Lic] = {}
    policies: dict[str, tuple[int, dict[str, Any]]] = {}
    policy_status: list[tuple[int, str, tuple[str, str], tuple]] = []  # seq, key, licence, row
    ships: dict[str, tuple[int, dict[str, Any]]] = {}
    reversals: dict[str, tuple[int, dict[str, Any]]] = {}
    times: dict[int, str] = {}  # seq -> recorded_at of the shipment and reversal entries

    entries = session.execute(
        select(AuditEntry.seq, AuditEntry.kind, AuditEntry.actor, AuditEntry.payload,
               AuditEntry.recorded_at)
        .where(AuditEntry.kind.in_(STATE_KINDS)).order_by(AuditEntry.seq)
        .execution_options(yield_per=2000))
    for seq, kind, actor, text, recorded_at in entries:
        if kind.startswith("shipment."):
            times[seq] = recorded_at
        try:
            p = json.loads(text)
            if kind == "shipment.reversed":
                _replay_reversal(seq, actor, p, lics, ships, reversals)
            else:
                _replay(seq, kind, actor, p, lics, policies, policy_status, ships)
            out.entries_replayed += 1
        except (KeyError, TypeError, ValueError, AttributeError, InvalidOperation) as exc:
            out.unverifiable.append(f"#{seq} ({kind}): payload cannot be replayed "
                                    f"({type(exc).__name__}: {exc})")
    _compare(session, out, lics, policies, policy_status, ships, times)
    _compare_reversals(session, out, reversals, times)
    return out


def time_problem(row_time: dt.datetime | None, entry_time: str) -> str | None:
    """Why a row's ``recorded_at`` is not its audit entry's time (None: it is, within
    :data:`TIME_TOLERANCE`). A naive value (SQLite keeps no zone) is UTC, as written; an aware
    one (PostgreSQL, in the session's zone) is compared as the instant it is."""
    try:
        want = recorded_time(entry_time)
    except ValueError:
        return f"the audit entry's time {entry_time!r} cannot be read"
    if row_time is None:
        return f"recorded_at is empty but the audit entry was recorded at {entry_time}"
    have = (row_time.replace(tzinfo=dt.UTC) if row_time.tzinfo is None
            else row_time.astimezone(dt.UTC))
    if abs(have - want) <= TIME_TOLERANCE:
        return None
    return (f"recorded_at is {have.isoformat(sep=' ')} but the audit entry was recorded at "
            f"{entry_time}")


def _replay(seq: int, kind: str, actor: str, p: dict[str, Any], lics: dict, policies: dict,
            policy_status: list, ships: dict) -> None:
    if kind == "licence.added":
        spec = p["licence"]
        key = (spec["agency"], spec["number"])
        lics[key] = _Lic(
            seq=seq, agency=spec["agency"], number=spec["number"],
            fields={"kind": spec["kind"], "destination": spec["destination"],
                    "valid_from": spec["valid_from"], "valid_to": spec["valid_to"],
                    "provisos": list(spec.get("provisos") or [])},
            lines={no: {"classification": ln["classification"],
                        "description": ln.get("description", ""),
                        "unit_basis": ln.get("unit_basis", "number"),
                        "unit": ln.get("unit", "ea"), "qty_milli": _milli(ln.get("quantity")),
                        "value_cents": _cents(ln["value"])}
                   for no, ln in enumerate(spec["lines"], start=1)},
            parties=[(pt["role"], pt["name"], pt.get("country")) for pt in spec["parties"]])
        lics[key].statuses.append((seq, ("approved", spec["valid_from"], "licence approved",
                                         f"validity: {p['validity_source']}", None)))
    elif kind == "licence.status":
        lic = lics[(p["agency"], p["number"])]
        lic.statuses.append((seq, (p["status"], p["effective"], p["reason"], p["citation"],
                                   p.get("policy_event_id"))))
    elif kind == "policy.applied":
        ev = p["event"]
        policies[ev["key"]] = (seq, ev)
        for name in p["affected"]:
            agency, number = name.split(" ", 1)
            policy_status.append((seq, ev["key"], (agency, number),
                                  (ev["action"], ev["effective"], ev["title"], ev["citation"])))
    elif kind == "shipment.posted":
        req = p["request"]
        lic_info = p.get("licence")
        lic_key = None if lic_info is None else (lic_info["agency"], lic_info["number"])
        lines = []
        lic = lics.get(lic_key) if lic_key else None
        by_cls = {_cls(v["classification"]): no for no, v in lic.lines.items()} if lic else {}
        for item in req["lines"]:
            line_no = by_cls.get(_cls(item["classification"]))
            qty, cents = _milli(item.get("quantity") or "0") or 0, _cents(item["value"])
            lines.append({"classification": item["classification"], "qty_milli": qty,
                          "value_cents": cents, "licence_line": None if line_no is None
                          else (lic_key, line_no)})
            if lic is not None and line_no is not None:
                drawn = lic.drawn.setdefault(line_no, [0, 0])
                drawn[0] += qty
                drawn[1] += cents
                lic.last_draw_seq[line_no] = seq
        ships[req["idempotency_key"]] = (seq, {
            "licence": lic_key, "licence_exception": req.get("licence_exception"),
            "ship_date": req["ship_date"], "destination": req["destination"],
            "consignee": req["consignee"], "end_user": req["end_user"],
            "reference": req.get("reference", ""), "actor": actor, "audit_seq": seq,
            "request_hash": hashlib.sha256(canonical_json(req).encode()).hexdigest(),
            "lines": lines})


def _replay_reversal(seq: int, actor: str, p: dict[str, Any], lics: dict, ships: dict,
                     reversals: dict) -> None:
    """Give back what the reversed shipment's audited lines drew (not the amounts the
    reversal's payload states: the shipment's entry is the record of the draw)."""
    req = p["request"]
    key = p["shipment"]["idempotency_key"]
    if key not in ships:
        raise KeyError(f"the reversed shipment {key!r} has no earlier shipment.posted entry")
    if any(want["shipment"] == key for _, want in reversals.values()):
        raise ValueError(f"shipment {key!r} is reversed a second time")
    for line in ships[key][1]["lines"]:
        if line["licence_line"] is not None:
            lic_key, line_no = line["licence_line"]
            lic = lics[lic_key]
            drawn = lic.drawn.setdefault(line_no, [0, 0])
            drawn[0] -= line["qty_milli"]
            drawn[1] -= line["value_cents"]
            lic.last_draw_seq[line_no] = seq
    reversals[req["idempotency_key"]] = (seq, {
        "shipment": key, "reason": req["reason"], "reference": req.get("reference", ""),
        "actor": actor, "audit_seq": seq,
        "request_hash": hashlib.sha256(canonical_json(req).encode()).hexdigest()})


def _compare_reversals(session: Session, out: StateCheck, reversals: dict,
                       times: dict[int, str]) -> None:
    add = out.mismatches.append
    keys = dict(session.execute(select(Shipment.id, Shipment.idempotency_key)).all())
    found: set[str] = set()
    for rev in session.execute(select(ShipmentReversal).order_by(ShipmentReversal.id)
                               ).scalars():
        row = f"id={rev.id} (key {rev.idempotency_key!r})"
        if rev.idempotency_key not in reversals:
            add(Mismatch(None, "ledger_shipment_reversal", row,
                         "no shipment.reversed entry records this reversal (inserted outside "
                         f"the ledger?; it claims audit entry #{rev.audit_seq})"))
            continue
        found.add(rev.idempotency_key)
        seq, want = reversals[rev.idempotency_key]
        actual = {"shipment": keys.get(rev.shipment_id), "reason": rev.reason,
                  "reference": rev.reference, "actor": rev.actor, "audit_seq": rev.audit_seq,
                  "request_hash": rev.request_hash}
        for problem in _diff(want, actual):
            add(Mismatch(seq, "ledger_shipment_reversal", row, problem))
        if (late := time_problem(rev.recorded_at, times[seq])) is not None:
            add(Mismatch(seq, "ledger_shipment_reversal", row, late))
    for key, (seq, want) in reversals.items():
        if key not in found:
            add(Mismatch(seq, "ledger_shipment_reversal", f"key {key!r} (shipment "
                         f"{want['shipment']!r})", "row is missing (deleted?)"))


def _diff(expected: dict[str, Any], actual: dict[str, Any]) -> list[str]:
    return [f"{k} is {actual[k]!r} but the audit records {v!r}"
            for k, v in expected.items() if actual[k] != v]


def _compare(session: Session, out: StateCheck, lics: dict[tuple[str, str], _Lic],
             policies: dict, policy_status: list, ships: dict, times: dict[int, str]) -> None:
    add = out.mismatches.append
    # -- policy events ------------------------------------------------------------------
    policy_ids: dict[str, int] = {}
    for pe in session.execute(select(PolicyEvent).order_by(PolicyEvent.id)).scalars():
        policy_ids[pe.key] = pe.id
        row = f"id={pe.id} (key {pe.key!r})"
        if pe.key not in policies:
            add(Mismatch(None, "ledger_policy_event", row, "no policy.applied entry records it "
                                                          "(inserted outside the ledger?)"))
            continue
        seq, ev = policies[pe.key]
        actual = {"title": pe.title, "action": pe.action, "effective": pe.effective.isoformat(),
                  "citation": pe.citation, "filter": json.loads(pe.filter_json)}
        expected = {k: ev[k] for k in ("title", "action", "effective", "citation", "filter")}
        for problem in _diff(expected, actual):
            add(Mismatch(seq, "ledger_policy_event", row, problem))
    for key, (seq, _ev) in policies.items():
        if key not in policy_ids:
            add(Mismatch(seq, "ledger_policy_event", f"key {key!r}", "row is missing (deleted?)"))
    for seq, key, lic_key, row in policy_status:
        if lic_key in lics:
            lics[lic_key].statuses.append((seq, (*row, policy_ids.get(key))))

    # -- licences, lines, parties, status history ---------------------------------------
    line_keys: dict[int, tuple[tuple[str, str], int]] = {}
    seen: set[tuple[str, str]] = set()
    for lic in session.execute(select(Licence).order_by(Licence.id)).scalars():
        key = (lic.agency, lic.number)
        name = f"{lic.agency} {lic.number}"
        for ln in lic.lines:
            line_keys[ln.id] = (key, ln.line_no)
        exp = lics.get(key)
        if exp is None:
            add(Mismatch(None, "ledger_licence", f"id={lic.id} ({name})",
                         "no licence.added entry records this licence (inserted outside the "
                         "ledger?)"))
            continue
        seen.add(key)
        actual = {"kind": lic.kind, "destination": lic.destination,
                  "valid_from": lic.valid_from.isoformat(), "valid_to": lic.valid_to.isoformat(),
                  "provisos": json.loads(lic.provisos)}
        for problem in _diff(exp.fields, actual):
            add(Mismatch(exp.seq, "ledger_licence", f"id={lic.id} ({name})", problem))
        got_lines = {ln.line_no: ln for ln in lic.lines}
        for no, want in exp.lines.items():
            ln = got_lines.pop(no, None)
            if ln is None:
                add(Mismatch(exp.seq, "ledger_licence_line", f"{name} line {no}",
                             "row is missing (deleted?)"))
                continue
            row = f"id={ln.id} ({name} line {no})"
            actual = {k: getattr(ln, k) for k in want}
            for problem in _diff(want, actual):
                add(Mismatch(exp.seq, "ledger_licence_line", row, problem))
            q, v = exp.drawn.get(no, [0, 0])
            draw_seq = exp.last_draw_seq.get(no, exp.seq)
            if (ln.shipped_qty_milli, ln.shipped_value_cents) != (q, v):
                add(Mismatch(draw_seq, "ledger_licence_line", row,
                             f"drawn {ln.shipped_value_cents} cents / {ln.shipped_qty_milli} "
                             f"milli-units but the audited shipments draw {v} / {q}"))
        for no, ln in got_lines.items():
            add(Mismatch(exp.seq, "ledger_licence_line", f"id={ln.id} ({name} line {no})",
                         "the licence.added entry has no such line (inserted?)"))
        parties = [(pt.role, pt.name, pt.country) for pt in lic.parties]
        if parties != exp.parties:
            add(Mismatch(exp.seq, "ledger_licence_party", f"licence {name}",
                         f"parties are {parties} but the audit records {exp.parties}"))
        _compare_statuses(add, name, exp, list(lic.status_events))
    for key, exp in lics.items():
        if key not in seen:
            add(Mismatch(exp.seq, "ledger_licence", f"{key[0]} {key[1]}",
                         "row is missing (deleted?)"))

    # -- shipments and their lines ------------------------------------------------------
    lic_keys = {i: (a, n) for i, a, n in session.execute(
        select(Licence.id, Licence.agency, Licence.number))}
    found: set[str] = set()
    for shp in session.execute(select(Shipment).order_by(Shipment.id)
                               .execution_options(yield_per=2000)).scalars():
        row = f"id={shp.id} (key {shp.idempotency_key!r})"
        if shp.idempotency_key not in ships:
            add(Mismatch(None, "ledger_shipment", row,
                         "no shipment.posted entry records this shipment (inserted outside the "
                         f"ledger?; it claims audit entry #{shp.audit_seq})"))
            continue
        found.add(shp.idempotency_key)
        seq, want = ships[shp.idempotency_key]
        actual = {"licence": lic_keys.get(shp.licence_id) if shp.licence_id else None,
                  "licence_exception": shp.licence_exception,
                  "ship_date": shp.ship_date.isoformat(), "destination": shp.destination,
                  "consignee": shp.consignee, "end_user": shp.end_user,
                  "reference": shp.reference, "actor": shp.actor, "audit_seq": shp.audit_seq,
                  "request_hash": shp.request_hash}
        for problem in _diff({k: v for k, v in want.items() if k != "lines"}, actual):
            add(Mismatch(seq, "ledger_shipment", row, problem))
        if (late := time_problem(shp.recorded_at, times[seq])) is not None:
            add(Mismatch(seq, "ledger_shipment", row, late))
        got = [{"classification": ln.classification, "qty_milli": ln.qty_milli,
                "value_cents": ln.value_cents,
                "licence_line": line_keys.get(ln.licence_line_id) if ln.licence_line_id
                else None, "_id": ln.id} for ln in shp.lines]
        for i, want_line in enumerate(want["lines"]):
            if i >= len(got):
                add(Mismatch(seq, "ledger_shipment_line", f"{row} line {i + 1}",
                             "row is missing (deleted?)"))
                continue
            have = got[i]
            for problem in _diff(want_line, have):
                add(Mismatch(seq, "ledger_shipment_line",
                             f"id={have['_id']} (shipment {shp.idempotency_key!r} line {i + 1})",
                             problem))
        for extra in got[len(want["lines"]):]:
            add(Mismatch(seq, "ledger_shipment_line",
                         f"id={extra['_id']} (shipment {shp.idempotency_key!r})",
                         "the shipment.posted entry has no such line (inserted?)"))
    for key, (seq, _want) in ships.items():
        if key not in found:
            add(Mismatch(seq, "ledger_shipment", f"key {key!r}", "row is missing (deleted?)"))


def _compare_statuses(add: Any, name: str, exp: _Lic, rows: list[LicenceStatusEvent]) -> None:
    want = sorted(exp.statuses, key=lambda s: s[0])  # audit order
    rows = sorted(rows, key=lambda e: e.id)
    for i, (seq, w) in enumerate(want):
        if i >= len(rows):
            add(Mismatch(seq, "ledger_licence_status", f"licence {name}",
                         f"the status row {w[0]} from {w[1]} ({w[3]}) is missing (deleted?)"))
            continue
        have = _status_row(rows[i])
        if have != w:
            if len(rows) < len(want) and all(_status_row(r) != w for r in rows[i:]):
                problem = f"the status row {w[0]} from {w[1]} ({w[3]}) is missing (deleted?)"
                add(Mismatch(seq, "ledger_licence_status", f"licence {name}", problem))
                return
            add(Mismatch(seq, "ledger_licence_status", f"id={rows[i].id} (licence {name})",
                         f"row is {have} but the audit records {w}"))
    for extra in rows[len(want):]:
        add(Mismatch(None, "ledger_licence_status", f"id={extra.id} (licence {name})",
                     f"status row {_status_row(extra)} has no audit entry (inserted?)"))
