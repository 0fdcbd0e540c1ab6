"""Shipments: check one against its licence and draw it down, exactly once.

Correctness under concurrency rests on three things, all inside one transaction:

1. the licence row is locked before anything else is read (``SELECT ... FOR UPDATE`` on
   PostgreSQL; the connection is ``BEGIN IMMEDIATE`` on SQLite, which holds the database write
   lock), so two writers cannot both see the same remaining balance;
2. the draw itself is a conditional ``UPDATE ... WHERE shipped + delta <= cap`` whose row count
   is checked, so even a caller that forgot the lock cannot over-draw;
3. the idempotency key is UNIQUE, so a repeated post finds the first one instead of drawing
   again (and a concurrent duplicate fails its INSERT and is answered from the winner).

A refused shipment raises :class:`~exportcheck.errors.LedgerError` naming the rule; the caller
rolls back, so nothing changes (the refusal itself is then audited in its own transaction).

This is the ledger's hot path, so it uses SQLAlchemy Core, not ORM objects, and few round trips
(:mod:`exportcheck.ledger.snapshot` reads the licence in two statements). On PostgreSQL
(:mod:`exportcheck.ledger.pgpost`) the draw, the audit entry, the shipment and its lines are ONE
statement of data-modifying CTEs; a post on a licence this process alone draws on runs just that
statement, on the terms its previous post left (:class:`~exportcheck.ledger.snapshot.
TermsCache`, checked by the statement itself), and any other post first locks and reads the
licence (two round trips). The rules, messages and audit payload are those of the ORM version
it replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, insert, or_, update
from sqlalchemy.exc import IntegrityError, OperationalError

from exportcheck.errors import InvalidInput
from exportcheck.ledger.audit import (
    canonical_json,
    check_event,
    content_tail,
    encode_versions,
    entry_row,
    json_str,
    seal_inline,
    stamp,
)
from exportcheck.ledger.licences import (
    from_cents,
    from_milli,
    line_remaining_cents,
    status_on,
    to_cents,
    to_milli,
)
from exportcheck.ledger.models import AuditEntry, LicenceLine, Shipment, ShipmentLine
from exportcheck.ledger.refusals import KeyReused, ShipmentRefused
from exportcheck.ledger.schemas import BLOCKING, ShipmentIn, ShipmentOut, classification_key
from exportcheck.ledger.snapshot import (
    LicenceRow,
    LineRow,
    NextEntry,
    PriorShipment,
    TermsCache,
    lock_licence,
    read_terms,
)
from exportcheck.ledger.tolerances import tolerance_for

_LINES = LicenceLine.__table__
_L = _LINES.c
# SQLite: one statement per table (no data-modifying CTEs), each built once
_DRAW = (update(_LINES)
         .where(_L.id == bindparam("b_id"), _L.shipped_value_cents + bindparam("b_v")
                <= bindparam("b_cap_v"),
                or_(_L.qty_milli.is_(None), _L.shipped_qty_milli + bindparam("b_q")
                    <= bindparam("b_cap_q")))
         .values(shipped_value_cents=_L.shipped_value_cents + bindparam("b_v"),
                 shipped_qty_milli=_L.shipped_qty_milli + bindparam("b_q")))
_INSERT_ENTRY = insert(AuditEntry.__table__)
_INSERT_SHIPMENT = insert(Shipment.__table__)
_INSERT_LINES = insert(ShipmentLine.__table__)
@dataclass(slots=True)
class _Draw:
    """One licence line's draw: the deltas, the caps they were checked against, its label."""

    line: LineRow
    q: int
    v: int
    cap_q: int | None
    cap_v: int
    where: str


#: fields ``ShipmentIn`` gained after shipments were first recorded, by the version that added
#: them: left out of the request while unset, so that a shipment recorded before them still
#: replays under its idempotency key (its stored hash is of a request without them)
LATER_FIELDS = (("end_user_type", "end_use"), ("facts",))


def request_dump(spec: ShipmentIn, kept: int = 0) -> dict[str, Any]:
    """The request as audited (accepted or refused) and hashed: its JSON dump, the
    :data:`LATER_FIELDS` left out while unset. ``kept``: the first groups kept even when
    unset, as the versions between wrote them."""
    dump = spec.model_dump(mode="json")
    for group in LATER_FIELDS[kept:]:
        for name in group:
            if dump[name] is None:
                del dump[name]
    return dump


def request_json(spec: ShipmentIn) -> str:
    """:func:`request_dump` as canonical JSON."""
    return canonical_json(request_dump(spec))


def _digest(request_json: str) -> str:
    return hashlib.sha256(request_json.encode()).hexdigest()


def _norm(name: str) -> str:
    return " ".join(name.casefold().split())


def _cls(code: str) -> str:
    return classification_key(code)


def _authority(lic: LicenceRow) -> str:
    """The rule that confines a licence to what it names."""
    if lic.agency == "DDTC":
        return "22 CFR 123.9 and 123.25(c): destination, consignee and end user cannot change"
    return "15 CFR 750.7(a): a licence authorises only the transaction it describes"


def _item_scope(lic: LicenceRow) -> str:
    """The rule that confines a licence to the items it lists."""
    if lic.agency == "DDTC":
        return ("22 CFR 123.25(c): a licence covers only the articles it lists; others need a "
                "new licence")
    return "15 CFR 750.7(a): a licence authorises only the items it describes"


@dataclass(slots=True)
class _Fixed:
    """What a post derives from a licence's terms alone, never from its balances: computed once
    per read of the terms and shared by the :class:`TermsCache`'s copies of them (their
    ``fixed``), so a post on cached terms does not redo it. Line positions index ``lic.lines``."""

    label: str
    by_no: dict[int, int]  # line number -> position
    by_cls: dict[str, int]  # classification (upper case, no spaces) -> position
    cls: list[str]  # each line's classification, upper case, no spaces
    named: list[tuple[str, list[str], set[str]]]  # (role, names on the licence, normalised)
    licence_json: str  # the audit payload's "licence"
    # by position: cap_q, cap_v, the tolerance note and the line's label; made when first drawn
    caps: dict[int, tuple[int | None, int, str, str]]
    status: dict[dt.date, tuple[str, Any]]  # status_on by ship date, made when first asked


def _fixed(lic: LicenceRow) -> _Fixed:
    fixed = lic.fixed
    if fixed is None:
        cls = [_cls(ln.classification) for ln in lic.lines]
        named = []
        for role in ("consignee", "end_user"):
            names = [p.name for p in lic.parties if p.role == role]
            if not names and role == "consignee":  # an agreement may name forwarders only
                names = [p.name for p in lic.parties if p.role == "intermediate_consignee"]
            named.append((role, names, {_norm(n) for n in names}))
        fixed = lic.fixed = _Fixed(
            f"{lic.agency} licence {lic.number}",
            {ln.line_no: i for i, ln in enumerate(lic.lines)},
            {c: i for i, c in enumerate(cls)}, cls, named,
            canonical_json({"agency": lic.agency, "number": lic.number, "kind": lic.kind}),
            {}, {})
    return fixed


def _status_on(lic: LicenceRow, fixed: _Fixed, day: dt.date) -> tuple[str, Any]:
    known = fixed.status.get(day)
    if known is None:
        if len(fixed.status) >= 64:
            fixed.status.clear()
        known = fixed.status[day] = status_on(lic, day)
    return known


def check_ship_date(spec: ShipmentIn, today: dt.date | None = None) -> ShipmentIn:
    """``spec``, unless shipped after tomorrow (UTC; ``today``: the day to count from): a
    shipment is recorded once made, and a mistyped year (2028) would draw the licence down
    for an export not made. Tomorrow is allowed: it is today in time zones east of UTC."""
    latest = (today or dt.datetime.now(dt.UTC).date()) + dt.timedelta(days=1)
    if spec.ship_date > latest:
        raise InvalidInput(f"ship_date {spec.ship_date} is in the future (the latest allowed is "
                           f"{latest}, tomorrow in UTC): record a shipment once it is made",
                           field="ship_date")
    return spec


def _check_licence_terms(lic: LicenceRow, fixed: _Fixed, spec: ShipmentIn) -> None:
    label = fixed.label
    status, ev = _status_on(lic, fixed, spec.ship_date)
    if status == "not yet valid" or spec.ship_date < lic.valid_from:
        raise ShipmentRefused(
            f"{label} is not valid until {lic.valid_from}; ship date {spec.ship_date} is outside "
            f"its validity ({_validity(lic)})", "outside_validity")
    if status in BLOCKING and ev is not None:
        if status == "expired" and ev.effective > lic.valid_to:  # its validity ended
            raise ShipmentRefused(
                f"{label} expired on {lic.valid_to}; ship date {spec.ship_date} is outside its "
                f"validity ({_validity(lic)})", "outside_validity")
        if status == "expired":  # recorded as a status event, before valid_to
            raise ShipmentRefused(
                f"{label} was recorded as expired with effect from {ev.effective}: ship date "
                f"{spec.ship_date} is on or after that date ({_validity(lic)}). Reason: "
                f"{ev.reason} [{ev.citation}]", "outside_validity")
        rule = "22 CFR 126.7" if lic.agency == "DDTC" else "15 CFR 750.8"
        if status == "returned_without_action":  # no licence was issued: not a 750.8/126.7 act
            rule = "an application returned without action authorises nothing"
        raise ShipmentRefused(
            f"{label} was {status.replace('_', ' ')} with effect from {ev.effective}: no "
            f"shipment may be made under it on or after that date ({rule}). Reason: "
            f"{ev.reason} [{ev.citation}]", f"licence_{status}")
    if spec.destination != lic.destination:
        raise ShipmentRefused(
            f"{label} authorises exports to {lic.destination}, not {spec.destination} "
            f"({_authority(lic)})", "destination_not_on_licence")
    for (role, named, normalised), given in zip(fixed.named, (spec.consignee, spec.end_user),
                                                strict=True):
        if named and _norm(given) not in normalised:
            _refuse_intermediate(lic, label, role, given, named)
            raise ShipmentRefused(
                f"{label} does not name {given!r} as {role.replace('_', ' ')} (it names "
                f"{', '.join(repr(n) for n in named)}; {_authority(lic)})",
                f"{role}_not_on_licence")


def _refuse_intermediate(lic: LicenceRow, label: str, role: str, given: str,
                         named: list[str]) -> None:
    """A consignee that is the licence's intermediate consignee: an agent that takes
    possession only to deliver to the ultimate consignee (15 CFR 748.5(c)-(d), 30.1), and the
    ultimate consignee an export is reported with is the one the licence names (15 CFR
    30.6(a)(3))."""
    forwarders = {_norm(p.name) for p in lic.parties if p.role == "intermediate_consignee"}
    if role == "consignee" and _norm(given) in forwarders:
        raise ShipmentRefused(
            f"{label}: {given!r} is its intermediate consignee, which takes possession only to "
            "deliver to the ultimate consignee; the shipment's consignee is the ultimate "
            f"consignee it names ({', '.join(map(repr, named))}; 15 CFR 748.5(c)-(d), "
            f"30.6(a)(3); {_authority(lic)})", "consignee_not_on_licence")


def _spent(lic: LicenceRow) -> str:
    """The rule that ends a licence line once its quantity is shipped, by agency."""
    if lic.agency == "DDTC":
        return ("22 CFR 123.23: the tolerance is on value only; additional quantity needs a new "
                "licence, 22 CFR 123.25(c)")
    return "15 CFR 750.11(a): no shipping tolerance once the full quantity is shipped"


def _whole_units(lic: LicenceRow) -> str:
    """Why a line counted by number ships whole units, by agency: 750.11(a)(2) is the EAR's
    "Unit" rule and says nothing of a DDTC licence, which authorises the quantity it lists
    (22 CFR 123.25(c): more quantity needs a new licence)."""
    if lic.agency == "DDTC":
        return ("the licence lists a number of units; 22 CFR 123.25(c): additional quantity "
                "needs a new licence")
    return "15 CFR 750.11(a)(2)"


def _validity(lic: LicenceRow) -> str:
    rule = "22 CFR 123.21" if lic.agency == "DDTC" else "15 CFR 750.7(g)"
    return f"{lic.valid_from} to {lic.valid_to}, {rule}"


def _match_lines(lic: LicenceRow, fixed: _Fixed, spec: ShipmentIn) -> dict[int, list[int]]:
    """Map each shipment line to its licence line; sum deltas ``[qty_milli, value_cents]`` per
    licence line (by position, in the order first shipped)."""
    totals: dict[int, list[int]] = {}
    for item in spec.lines:
        cls = _cls(item.classification)
        at = fixed.by_no.get(item.line_no) if item.line_no is not None else fixed.by_cls.get(cls)
        if at is None or fixed.cls[at] != cls:
            raise ShipmentRefused(
                f"{fixed.label} has no line for {item.classification}"
                + (f" at line {item.line_no}" if item.line_no is not None else "")
                + f" (it lists {', '.join(ln.classification for ln in lic.lines)}; "
                + f"{_item_scope(lic)})", "item_not_on_licence")
        ln = lic.lines[at]
        exhausted = ln.qty_milli is not None and ln.shipped_qty_milli >= ln.qty_milli
        if ln.unit_basis != "value" and item.quantity <= 0 and not exhausted:  # else: says so
            raise ShipmentRefused(
                f"line {ln.line_no} ({ln.classification}) is licensed by {ln.unit_basis}: give "
                f"the quantity shipped in {ln.unit} (more than 0), so it is drawn down "
                "against the licensed quantity", "quantity_missing")
        if ln.unit_basis == "number" and item.quantity != item.quantity.to_integral_value():
            raise ShipmentRefused(
                f"line {ln.line_no} ({ln.classification}) is licensed by number: ship whole "
                f"units, not {item.quantity} ({_whole_units(lic)})", "fractional_units")
        total = totals.get(at)
        if total is None:
            total = totals[at] = [0, 0]
        total[0] += to_milli(item.quantity) or 0
        total[1] += to_cents(item.value)
    return totals


def _caps(lic: LicenceRow, fixed: _Fixed, at: int) -> tuple[int | None, int, str, str]:
    caps = fixed.caps.get(at)
    if caps is None:
        ln = lic.lines[at]
        tol = tolerance_for(lic.agency, lic.kind, ln.unit_basis)
        cap_q = None if ln.qty_milli is None else ln.qty_milli + int(ln.qty_milli * tol.quantity)
        cap_v = ln.value_cents + int(ln.value_cents * tol.value)
        how = (f"{tol.citation}: value tolerance {tol.value * 100:.0f}%, quantity tolerance "
               f"{tol.quantity * 100:.0f}%")
        where = f"{fixed.label} line {ln.line_no} ({ln.classification})"
        caps = fixed.caps[at] = (cap_q, cap_v, how, where)
    return caps


def _plan_draws(lic: LicenceRow, fixed: _Fixed, matched: dict[int, list[int]]
                ) -> tuple[list[_Draw], str]:
    """Check each line's draw against its balance and caps; the draws and the canonical JSON of
    their audit form (``drawn``: built here as ``canonical_json`` would encode the list of
    ``{classification, line_no, quantity, remaining_quantity, remaining_value, tolerance,
    value}``)."""
    draws, drawn = [], []
    for at, (q, v) in matched.items():
        ln = lic.lines[at]
        cap_q, cap_v, how, where = _caps(lic, fixed, at)
        if ln.qty_milli is not None and ln.shipped_qty_milli >= ln.qty_milli:
            raise ShipmentRefused(
                f"{where}: the full licensed quantity ({from_milli(ln.qty_milli)} {ln.unit}) has "
                f"already been shipped; no further shipment may be made under it ({_spent(lic)})",
                "quantity_exhausted")
        if cap_q is not None and ln.shipped_qty_milli + q > cap_q:
            raise ShipmentRefused(
                f"{where}: shipping {from_milli(q)} {ln.unit} would exceed the remaining quantity "
                f"{from_milli(cap_q - ln.shipped_qty_milli)} {ln.unit} ({how})",
                "quantity_exceeded")
        if ln.shipped_value_cents + v > cap_v:
            raise ShipmentRefused(
                f"{where}: shipping ${from_cents(v):,} would exceed the remaining value "
                f"${from_cents(max(0, cap_v - ln.shipped_value_cents)):,} including the "
                f"shipping tolerance (licensed ${from_cents(ln.value_cents):,}; {how})",
                "value_exceeded")
        draws.append(_Draw(ln, q, v, cap_q, cap_v, where))
        left_q = "null" if ln.qty_milli is None else json_str(
            str(from_milli(ln.qty_milli - ln.shipped_qty_milli - q)))
        drawn.append(
            f'{{"classification":{json_str(ln.classification)},"line_no":{int(ln.line_no)},'
            f'"quantity":{json_str(str(from_milli(q)))},"remaining_quantity":{left_q},'
            '"remaining_value":'
            f'{json_str(str(from_cents(_left_after(ln, q, v))))},'
            f'"tolerance":{json_str(how)},"value":{json_str(str(from_cents(v)))}}}')
    return draws, "[" + ",".join(drawn) + "]"


def _left_after(ln: LineRow, q: int, v: int) -> int:
    """The line's remaining value in cents once ``q``/``v`` are drawn, as ``licences show``
    and the report count it: 0 once its quantity is shipped, never below 0 (a draw into the
    shipping tolerance leaves nothing, not a negative balance)."""
    return line_remaining_cents(ln.qty_milli, ln.value_cents, ln.shipped_qty_milli + q,
                                ln.shipped_value_cents + v)


def _concurrent(draw: _Draw) -> ShipmentRefused:
    """Only if someone drew without holding the licence lock (SQLite)."""
    return ShipmentRefused(f"{draw.where}: balance changed concurrently; retry", "concurrent")


@dataclass(slots=True)
class _Plan:
    """What a checked shipment writes: the draws, its audit event (``recorded_at, actor, kind,
    payload, versions``: numbered when written), the shipment and its lines."""

    draws: list[_Draw]
    event: dict[str, str]
    shipment: dict[str, Any]
    lines: list[dict[str, Any]]


def _plan(spec: ShipmentIn, lic: LicenceRow | None, actor: str, versions: dict | None,
          request_json: str, digest: str, extra: dict[str, Any] | None = None) -> _Plan:
    """Check ``spec`` against the licence as read under its lock (raises
    :class:`ShipmentRefused`) and build the rows to write. ``request_json``: the request's
    canonical JSON, spliced into the audit payload (encoded once per post). ``extra``: more
    payload keys (a shipment under a licence exception: its ``determination``, ``override``)."""
    draws: list[_Draw] = []
    drawn = "[]"
    fixed = None
    if lic is not None:
        fixed = _fixed(lic)
        _check_licence_terms(lic, fixed, spec)
        draws, drawn = _plan_draws(lic, fixed, _match_lines(lic, fixed, spec))
    check_event("shipment.posted", actor)
    # canonical_json({"request": ..., "decision": "accepted", "drawn": ..., "licence": ...}):
    # its keys in sorted order, each value already canonical
    payload_text = (f'{{"decision":"accepted","drawn":{drawn},"licence":'
                    f'{"null" if fixed is None else fixed.licence_json},"request":'
                    f'{request_json}}}')
    if extra:  # not the hot path: the keys merged in canonical (sorted) order
        parts = {"decision": '"accepted"', "drawn": drawn, "request": request_json,
                 "licence": "null" if fixed is None else fixed.licence_json}
        parts.update((k, canonical_json(v)) for k, v in extra.items())
        payload_text = "{" + ",".join(f"{json_str(k)}:{parts[k]}" for k in sorted(parts)) + "}"
    now = dt.datetime.now(dt.UTC)  # one instant for the entry and the row (audit verify)
    event = {"recorded_at": stamp(now), "actor": actor, "kind": "shipment.posted",
             "payload": payload_text, "versions": encode_versions(versions)}
    shipment = {
        "idempotency_key": spec.idempotency_key, "request_hash": digest,
        "licence_id": lic.id if lic else None, "licence_exception": spec.licence_exception,
        "ship_date": spec.ship_date, "destination": spec.destination,
        "consignee": spec.consignee, "end_user": spec.end_user, "reference": spec.reference,
        "actor": actor, "recorded_at": now}
    # Lines that match a licence line point at it; under an exception they stand alone.
    lines = [{"licence_line_id": None if fixed is None or (at := fixed.by_cls.get(
                  _cls(item.classification))) is None else lic.lines[at].id,
              "classification": item.classification,
              "qty_milli": to_milli(item.quantity) or 0, "value_cents": to_cents(item.value)}
             for item in spec.lines]
    return _Plan(draws, event, shipment, lines)


def _write_sqlite(conn: Connection, plan: _Plan, nxt: NextEntry, inline_seal: bool) -> int:
    for d in plan.draws:
        result = conn.execute(_DRAW, {"b_id": d.line.id, "b_q": d.q, "b_v": d.v,
                                      "b_cap_v": d.cap_v,
                                      "b_cap_q": d.cap_q if d.cap_q is not None else 0})
        if result.rowcount != 1:
            raise _concurrent(d)
    ev = plan.event
    entry = entry_row(nxt.seq, ev["kind"], ev["actor"], ev["payload"], ev["versions"],
                      ev["recorded_at"])
    conn.execute(_INSERT_ENTRY, entry)
    if inline_seal:
        seal_inline(conn, entry, nxt.head_seq, nxt.head_hash)
    shipment_id = conn.execute(_INSERT_SHIPMENT, dict(plan.shipment, audit_seq=nxt.seq)
                               ).inserted_primary_key[0]
    conn.execute(_INSERT_LINES, [dict(line, shipment_id=shipment_id) for line in plan.lines])
    return shipment_id


def _pg_rows(plan: _Plan) -> tuple[list[dict[str, int]], dict[str, str]]:
    """The draws (with the balances they were checked on) and the audit entry (with its hash
    tail) as :func:`exportcheck.ledger.pgpost.write_and_commit` takes them."""
    ev = plan.event
    entry = dict(ev, tail=content_tail(ev["recorded_at"], ev["actor"], ev["kind"],
                                       ev["payload"], ev["versions"]))
    draws = [{"id": d.line.id, "q": d.q, "v": d.v, "cap_v": d.cap_v,
              "cap_q": d.cap_q if d.cap_q is not None else 0,
              "had_q": d.line.shipped_qty_milli, "had_v": d.line.shipped_value_cents}
             for d in plan.draws]
    return draws, entry


def _post_pg(cur: Any, spec: ShipmentIn, actor: str, versions: dict | None,
             request: str, digest: str, cache: TermsCache | None,
             extra: dict[str, Any] | None = None
             ) -> tuple[LicenceRow | None, _Plan, int, int, bool] | ShipmentOut:
    """A post on PostgreSQL, committed here on ``cur``'s connection (psycopg, in autocommit,
    idle): ONE
    statement when this process's cache holds the licence's current terms (or the post names no
    licence), else two round trips; a replay's answer when the key was used before. Returns the
    terms, the plan, the shipment id, its audit number and whether the cached terms were used.
    A transaction left open (a refusal, a replay, an error) is the caller's to roll back."""
    from exportcheck.ledger import pgpost  # psycopg is only installed for PostgreSQL

    raw = cur.connection
    number, agency = spec.licence_number, spec.agency.value if spec.agency else None
    lic = cache.quiet(number, agency) if cache is not None and number is not None else None
    if number is None or lic is not None:
        try:
            plan = _plan(spec, lic, actor, versions, request, digest, extra)
            written = pgpost.write_and_commit(raw, lic, *_pg_rows(plan), plan.shipment,
                                              plan.lines, alone=True, cursor=cur)
            return lic, plan, *written, True
        except ShipmentRefused:
            pass  # the cached terms may be stale: only terms read under the lock refuse
        except (OperationalError, IntegrityError) as exc:
            # stale terms (40001), the licence locked by another post (55P03), or a key
            # used before (its replay is read below); the statement wrote nothing
            if not isinstance(exc, IntegrityError) and not _stale(exc):
                raise
        if lic is not None:
            cache.missed(number, agency)
    lic, prior = pgpost.lock_and_read(raw, number, agency, spec.idempotency_key)
    if prior is not None:
        return _replay(spec, prior, digest)
    if cache is not None and lic is not None:
        cache.read(number, agency, lic)
    plan = _plan(spec, lic, actor, versions, request, digest, extra)
    written = pgpost.write_and_commit(raw, lic, *_pg_rows(plan), plan.shipment, plan.lines,
                                      alone=False, cursor=cur)
    return lic, plan, *written, False


def _stale(exc: OperationalError) -> bool:
    return getattr(exc.orig, "sqlstate", None) in ("40001", "55P03")


def post_shipment(conn: Connection, spec: ShipmentIn, *, actor: str,
                  versions: dict | None = None, inline_seal: bool = False,
                  extra: dict[str, Any] | None = None) -> tuple[ShipmentOut, bool]:
    """SQLite: check and record one shipment in the caller's (write) transaction on ``conn``.

    Returns ``(shipment, created)``; ``created`` is False for a repeated idempotency key.
    Raises :class:`ShipmentRefused` (nothing written) when the licence does not cover it.
    ``inline_seal`` links the audit entry into the chain in the same transaction; ``extra``
    adds keys to its payload (:func:`_plan`). PostgreSQL
    posts go through :func:`post_shipment_pg` on a connection the Ledger keeps for posts.
    """
    request = request_json(spec)
    digest = _digest(request)
    lic = None
    if spec.licence_number is not None:
        # Lock first: every later read of this licence sees the committed latest state.
        lic = lock_licence(conn, spec.licence_number, spec.agency.value if spec.agency else None)
    prior, nxt = read_terms(conn, lic, spec.idempotency_key)
    if prior is not None:
        return _replay(spec, prior, digest), False
    plan = _plan(spec, lic, actor, versions, request, digest, extra)
    shipment_id = _write_sqlite(conn, plan, nxt, inline_seal)
    return _out(spec, lic, plan, shipment_id, nxt.seq), True


def post_shipment_pg(cur: Any, spec: ShipmentIn, *, actor: str, versions: dict | None = None,
                     cache: TermsCache | None = None,
                     extra: dict[str, Any] | None = None) -> tuple[ShipmentOut, bool]:
    """PostgreSQL: check and record one shipment with ``cur`` (a psycopg cursor; its connection
    in autocommit, idle), in a transaction of its own committed here, in one statement or two
    round trips (:func:`_post_pg`; ``cache``: the process's :class:`TermsCache`). Returns and
    raises as :func:`post_shipment`; a transaction left open by a refusal or an error is the
    caller's to roll back (:class:`exportcheck.ledger.pgpost.PostConnections` does)."""
    request = request_json(spec)
    digest = _digest(request)
    done = _post_pg(cur, spec, actor, versions, request, digest, cache, extra)
    if isinstance(done, ShipmentOut):
        return done, False
    lic, plan, shipment_id, seq, cached = done
    if cache is not None and lic is not None:
        cache.wrote(spec.licence_number, spec.agency.value if spec.agency else None, lic,
                    [(d.line.id, d.q, d.v) for d in plan.draws], cached=cached)
    return _out(spec, lic, plan, shipment_id, seq), True


def _out(spec: ShipmentIn, lic: LicenceRow | None, plan: _Plan, shipment_id: int,
         seq: int) -> ShipmentOut:
    return ShipmentOut.model_construct(  # built from validated input: no second validation
        id=shipment_id, idempotency_key=spec.idempotency_key,
        licence_number=spec.licence_number if lic is not None else None,
        licence_exception=spec.licence_exception, ship_date=spec.ship_date,
        destination=spec.destination,
        total_value=from_cents(sum(ln["value_cents"] for ln in plan.lines)),
        audit_seq=seq, created=True)


def _replay(spec: ShipmentIn, prior: PriorShipment, digest: str) -> ShipmentOut:
    """The answer to a repeated idempotency key: the shipment first posted under it."""
    if prior.request_hash != digest and prior.request_hash not in (
            _digest(canonical_json(request_dump(spec, k)))
            for k in range(1, len(LATER_FIELDS))):
        raise KeyReused(f"idempotency key {spec.idempotency_key!r} was already used for a "
                        f"different shipment (audit entry #{prior.audit_seq}); use a new key "
                        "for a new shipment", prior.audit_seq)
    return ShipmentOut(
        id=prior.id, idempotency_key=spec.idempotency_key,
        licence_number=spec.licence_number if prior.licence_id else None,
        licence_exception=prior.licence_exception, ship_date=prior.ship_date,
        destination=prior.destination, total_value=from_cents(prior.total_cents),
        audit_seq=prior.audit_seq, created=False, reversed=prior.reversed)
