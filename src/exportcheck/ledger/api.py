"""The ledger's Python API: one :class:`Ledger` object per database.

Every mutating call is one transaction that contains the state change *and* its audit entry;
transient lock conflicts (PostgreSQL deadlock/serialisation failures, SQLite "database is
locked") are retried. The entry is linked into the hash chain in the same transaction on SQLite
and after the commit on PostgreSQL, at most once per ``seal_interval`` per process
(:mod:`exportcheck.ledger.sealing` says why). Shipment posts, the hot path, run on SQLAlchemy
Core in a few statements (:mod:`exportcheck.ledger.shipments`); the rest uses the ORM. The CLI
(``exportcheck licences ...``, ``ship``, ``audit ...``) is a thin layer over this class.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import random
import time
from collections.abc import Callable, Iterable
from typing import IO, TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from exportcheck.db import get_engine, session_factory, upgrade, write_session_factory
from exportcheck.db.engine import masked_url, normalise_url
from exportcheck.errors import InvalidInput, LedgerError, NotFound
from exportcheck.ledger import (
    audit,
    exception_check,
    licences,
    policy,
    records,
    report,
    retries,
    reversals,
    shipments,
    statecheck,
    storagecheck,
)
from exportcheck.ledger.inputs import day, parse
from exportcheck.ledger.models import (
    AuditEntry,
    AuditHead,
    LicenceLine,
    Shipment,
    ShipmentLine,
    ShipmentReversal,
)
from exportcheck.ledger.schemas import (
    BLOCKING,
    ExceptionShipmentOut,
    LicenceIn,
    LicenceOut,
    LicenceStatus,
    PolicyEventIn,
    ReversalOut,
    ShipmentIn,
    ShipmentOut,
    ShipmentReversalIn,
    StatusChangeOut,
)
from exportcheck.ledger.sealing import Sealer, SealResult
from exportcheck.ledger.snapshot import TermsCache, missing_licence
from exportcheck.models import Agency

if TYPE_CHECKING:
    from exportcheck.determine.parties import PartyScreener

T = TypeVar("T")
_TRANSIENT_SQLSTATES = {"40001", "40P01", "55P03"}
#: when a write's audit entry is linked into the chain: "inline" (in the write's transaction,
#: SQLite only), "after" (right after its commit), "manual" (only by seal/verify/export);
#: "auto" is inline on SQLite and after on PostgreSQL
SEALING_MODES = ("auto", "inline", "after", "manual")


def _unreachable(url: str | None, exc: Exception) -> str:
    """One line naming the database (password masked) and the driver's first line of error."""
    shown = masked_url(url)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = reason[0] if reason else type(exc).__name__
    parsed_pw = None
    with contextlib.suppress(Exception):  # an unparseable URL has no password to hide
        parsed_pw = make_url(normalise_url(url)).password if url else None
    if parsed_pw:
        first = first.replace(str(parsed_pw), "***")
    return (f"cannot open the ledger database {shown}: {first} (check --db or "
            "EXPORTCHECK_DATABASE_URL, and that the server is running)")


def _transient(exc: Exception) -> bool:
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


def _add_one(s: Session, spec: LicenceIn, actor: str,
             versions: dict | None) -> tuple[LicenceOut, bool]:
    lic, created = licences.add_licence(s, spec, actor=actor, versions=versions)
    if created:  # a back-filled licence is subject to events already recorded
        policy.apply_recorded_events(s, lic, actor=actor, versions=versions)
    return licences.licence_out(lic), created


def _entry(index: int, count: int, spec: Any, fn: Callable[[Any], T]) -> T:
    """``fn(spec)``; an error names the entry of a list: "entry 2 of 3 (number 'X'): ..."."""
    try:
        return fn(spec)
    except (InvalidInput, LedgerError) as exc:
        number = spec.get("number") if isinstance(spec, dict) else getattr(spec, "number", None)
        name = f" (number {number!r})" if number else ""
        exc.args = (f"entry {index} of {count}{name}: {exc}", *exc.args[1:])
        raise


class Ledger:
    """Licence ledger and audit trail on one database (SQLite file or PostgreSQL)."""

    def __init__(self, database_url: str | None = None, *, migrate: bool = True,
                 sealing: str = "auto", seal_interval: float | None = None,
                 terms_cache: TermsCache | None = None) -> None:
        """``seal_interval``: with after-commit sealing, the least seconds between this
        process's seals (None: 0.25 s on PostgreSQL, 0 on SQLite; 0: after every write).
        ``terms_cache``: PostgreSQL only; by default the process's cache for the database, so
        a new ``Ledger`` per request still posts on a quiet licence in one statement."""
        if sealing not in SEALING_MODES:
            raise InvalidInput(f"sealing must be one of {', '.join(SEALING_MODES)}, "
                               f"not {sealing!r}")
        self.engine = get_engine(database_url)
        sqlite = self.engine.dialect.name == "sqlite"
        if sealing == "inline" and not sqlite:
            raise InvalidInput("inline sealing needs SQLite's single writer; use 'after' on "
                               "PostgreSQL")
        self.sealing = ("inline" if sqlite else "after") if sealing == "auto" else sealing
        self.sealer = Sealer.shared(self.engine, seal_interval)
        # PostgreSQL: a post on a licence only this process draws on is one round trip
        self.terms_cache = None if sqlite else (terms_cache or TermsCache.shared(self.engine))
        self._post_conns = None
        if not sqlite:
            from exportcheck.ledger import pgpost  # psycopg is only installed for PostgreSQL

            self._post_conns = pgpost.connections(self.engine)
        if migrate:
            try:
                upgrade(self.engine)
            except (DatabaseError, InterfaceError) as exc:  # "file is not a database" too
                raise LedgerError(_unreachable(database_url, exc)) from None
        self._read = session_factory(self.engine)
        self._write = write_session_factory(self.engine)
        self._write_engine = self._write.kw["bind"]  # BEGIN IMMEDIATE on SQLite

    # -- plumbing -----------------------------------------------------------------------
    def _retry(self, attempt: Callable[[], T], attempts: int = 8, *,
               idempotent: bool = False) -> T:
        """Run ``attempt`` (one whole transaction), retrying transient lock conflicts and lost
        duplicate-key races; and, when the write is ``idempotent`` (a shipment post, keyed), a
        connection the server had dropped."""
        for n in range(attempts):
            try:
                return attempt()
            except (OperationalError, IntegrityError) as exc:
                # IntegrityError: a concurrent duplicate idempotency key won the race; the
                # retry finds it and answers from it. A dropped connection may have committed
                # before it dropped: the retry then finds the post by its key.
                if n + 1 >= attempts or not (
                        isinstance(exc, IntegrityError) or _transient(exc)
                        or (idempotent and exc.connection_invalidated)):
                    raise
            time.sleep(random.uniform(0.005, 0.05) * (n + 1))
        raise AssertionError("unreachable")

    def _retrying(self, attempt: Callable[[Connection], T], attempts: int = 8, *,
                  idempotent: bool = False) -> T:
        """:meth:`_retry` with a pooled connection per attempt, rolled back on any error."""
        def once() -> T:
            with self._write_engine.connect() as conn:
                try:
                    return attempt(conn)
                except BaseException:
                    conn.rollback()
                    raise

        return self._retry(once, attempts, idempotent=idempotent)

    def _in_write(self, fn: Callable[[Session], T], attempts: int = 8) -> T:
        """``fn`` in an ORM session, committed; sealed after the commit if it appended."""
        def attempt(conn: Connection) -> T:
            # the session runs on a connection we hold, so the seal after the commit reuses it
            with Session(bind=conn, expire_on_commit=False) as session:
                session.info[audit.INLINE_SEAL] = self.sealing == "inline"
                result = fn(session)
                session.commit()
                if self.sealing == "after" and session.info.pop(audit.APPENDED, False):
                    self.sealer.after_commit(conn)
                return result

        return self._retrying(attempt, attempts)

    def _in_core_write(self, fn: Callable[[Connection], tuple[T, bool]]) -> T:
        """``fn`` on a bare connection (no ORM session: the hot path), committed; it returns
        ``(result, appended an audit entry)``. ``fn`` must be idempotent (a keyed shipment
        post): it is retried on a connection the server dropped."""
        def attempt(conn: Connection) -> T:
            result, appended = fn(conn)
            conn.commit()
            if appended and self.sealing == "after":
                self.sealer.after_commit(conn)
            return result

        return self._retrying(attempt, idempotent=True)

    def _post_pg(self, spec: ShipmentIn, actor: str, versions: dict | None,
                 extra: dict[str, Any] | None = None) -> ShipmentOut:
        """PostgreSQL: a post on a connection this process keeps for posts (no pool checkout:
        :class:`~exportcheck.ledger.pgpost.PostConnections`), committed by the post itself;
        retried as :meth:`_in_core_write` retries."""
        def attempt() -> ShipmentOut:
            with self._post_conns.cursor() as cur:
                result, appended = shipments.post_shipment_pg(
                    cur, spec, actor=actor, versions=versions, cache=self.terms_cache,
                    extra=extra)
            if appended and self.sealing == "after":
                self.sealer.after_commit()
            return result

        return self._retry(attempt, idempotent=True)

    def _audit_refusal(self, kind: str, actor: str, payload: dict,
                       versions: dict | None) -> None:
        self._in_write(lambda s: audit.append_event(s, kind=kind, actor=actor, payload=payload,
                                                    versions=versions))

    # -- licences -----------------------------------------------------------------------
    def add_licence(self, spec: LicenceIn | dict[str, Any], *, actor: str = "exportcheck",
                    versions: dict | None = None) -> tuple[LicenceOut, bool]:
        """Register a licence; ``(licence, created)``. Identical re-adds are no-ops."""
        spec = parse(LicenceIn, spec)
        return self._in_write(lambda s: _add_one(s, spec, actor, versions))

    def add_licences(self, specs: list[LicenceIn | dict[str, Any]], *,
                     actor: str = "exportcheck", versions: dict | None = None
                     ) -> list[tuple[LicenceOut, bool]]:
        """Register several licences (a file of them) all or none: every entry is validated
        first, then all are written in ONE transaction; an error names the entry (its index
        from 1 and its number) and nothing is written."""
        count = len(specs)
        parsed = [_entry(i, count, spec, lambda x: parse(LicenceIn, x))
                  for i, spec in enumerate(specs, start=1)]
        return self._in_write(lambda s: [
            _entry(i, count, spec, lambda x: _add_one(s, x, actor, versions))
            for i, spec in enumerate(parsed, start=1)])

    def get_licence(self, number: str, agency: str | None = None,
                    as_of: dt.date | str | None = None) -> LicenceOut:
        """One licence by number (``agency`` when two agencies use it), with its lines'
        shipped and remaining amounts; with ``as_of``, its status and balances on that day
        (shipments dated on or before it, not reversed), as ``licences show --as-of``."""
        as_of = day(as_of, "as_of")
        with self._read() as s:
            lic = licences.find_licence(s, number, agency)
            return licences.licence_out(lic, as_of, licences.shipped_by_line(s, as_of)
                                         if as_of else None)

    def list_licences(self, *, agency: str | None = None, destination: str | None = None,
                      as_of: dt.date | str | None = None) -> list[LicenceOut]:
        """Every licence (optionally of one agency or destination); ``as_of`` as in
        :meth:`get_licence`."""
        as_of = day(as_of, "as_of")
        with self._read() as s:
            shipped = licences.shipped_by_line(s, as_of) if as_of else None
            return [licences.licence_out(lic, as_of, shipped) for lic in
                    licences.list_licences(s, agency=agency, destination=destination)]

    def set_status(self, number: str, status: LicenceStatus | str, *, effective: dt.date | str,
                   reason: str, citation: str, agency: str | None = None,
                   actor: str = "exportcheck", versions: dict | None = None,
                   lifts: str | None = None) -> StatusChangeOut:
        """Suspend, revoke, reinstate... one licence, with citation; a reinstatement lifts its
        own suspensions, or ``lifts`` (a policy event's key) that event's (they stack). A
        suspension or revocation dated before shipments already posted is recorded all the
        same (it is a fact); they are returned in ``shipments_to_review``."""
        effective = day(effective, "effective", required=True)
        try:
            status = LicenceStatus(status)
        except ValueError:
            raise InvalidInput(f"unknown status {status!r}; one of "
                               f"{', '.join(s.value for s in LicenceStatus)}") from None

        def run(s: Session) -> StatusChangeOut:
            lic = licences.find_licence(s, number, agency, lock=True)
            event_id = policy.lifted_event_id(s, lifts, status)
            if retries.repeats_latest_status(lic, status, effective, reason, citation, event_id):
                # a retry (the first answer timed out): answered as the first, not recorded
                review = (licences.shipments_to_review(s, lic, effective)
                          if status in BLOCKING else [])
                return StatusChangeOut(**dict(licences.licence_out(lic)),
                                       shipments_to_review=review, created=False)
            _, review = licences.change_status(s, lic, status, effective=effective,
                                               reason=reason, citation=citation, actor=actor,
                                               policy_event_id=event_id, versions=versions)
            return StatusChangeOut(**dict(licences.licence_out(lic)),
                                   shipments_to_review=review)

        return self._in_write(run)

    # -- shipments ----------------------------------------------------------------------
    def post_shipment(self, spec: ShipmentIn | dict[str, Any], *, actor: str = "exportcheck",
                      versions: dict | None = None, audit_refusals: bool = True,
                      override_reason: str | None = None,
                      screener: PartyScreener | None = None) -> ShipmentOut:
        """Check a shipment against its licence and draw it down once per idempotency key.

        A shipment under a licence exception is checked against the determination of each
        line instead (:mod:`~exportcheck.ledger.exception_check`), which is recorded in its
        audit entry; ``override_reason`` (an authority the rule base does not know) posts one
        the determination refuses, unless it is PROHIBITED, and is recorded too. Such a post
        answers :class:`~exportcheck.ledger.schemas.ExceptionShipmentOut`. With ``screener``
        (e.g. :func:`exportcheck.api.default_screener`) its consignee and end user are
        screened, on a licence too (:mod:`~exportcheck.ledger.party_check`): a blocked party
        refuses it, a potential match holds it for review.

        Raises :class:`~exportcheck.ledger.shipments.ShipmentRefused` (a ``LedgerError``) naming
        the rule, or :class:`~exportcheck.ledger.shipments.KeyReused` for an idempotency key
        already used for a different shipment; nothing is drawn, and the refusal is written to
        the audit trail.
        """
        spec = shipments.check_ship_date(parse(ShipmentIn, spec))
        override_reason = exception_check.check_override(spec, override_reason)
        extra, checked = None, None
        try:
            if spec.licence_exception is not None:
                checked = exception_check.check_exception(spec, screener=screener)
                if checked.refusals and not self._posted(spec.idempotency_key):
                    checked.refuse(override_reason)  # (a replay answers as before)
                extra = checked.payload(override_reason)
            elif screener is not None:
                extra = self._screen_parties(spec, screener)
            out = self._post_keyed(spec, actor, versions, extra)
        except (shipments.ShipmentRefused, shipments.KeyReused) as exc:
            if audit_refusals:  # a key reused for another shipment is a refusal too
                payload = {"request": shipments.request_dump(spec), "decision": "refused",
                           "rule": exc.rule, "reason": str(exc)}
                determination = getattr(exc, "determination", None)
                if checked is not None or determination:
                    payload["determination"] = checked.lines if checked else determination
                self._audit_refusal("shipment.refused", actor, payload, versions)
            raise
        if checked is None or not out.created:
            return out
        return ExceptionShipmentOut.model_construct(
            **dict(out), determination=checked.lines, override_reason=override_reason)

    def _post_keyed(self, spec: ShipmentIn, actor: str, versions: dict | None,
                    extra: dict[str, Any] | None) -> ShipmentOut:
        """Record ``spec``, or answer the shipment first posted under its key; a retry spelt
        differently (:mod:`~exportcheck.ledger.retries`) answers that shipment too."""
        try:
            return self._post_once(spec, actor, versions, extra)
        except shipments.KeyReused as exc:
            first = self._first_request(exc.first_seq)
            if first is None or retries.shipment_terms(first) != retries.shipment_terms(spec):
                raise
            return self._post_once(first, actor, versions, extra)

    def _post_once(self, spec: ShipmentIn, actor: str, versions: dict | None,
                   extra: dict[str, Any] | None) -> ShipmentOut:
        try:
            if self._post_conns is not None:
                return self._post_pg(spec, actor, versions, extra)
            return self._in_core_write(functools.partial(
                shipments.post_shipment, spec=spec, actor=actor, versions=versions,
                inline_seal=self.sealing == "inline", extra=extra))
        except NotFound as exc:  # the number as written: name its stored spelling, if any
            agency = spec.agency.value if spec.agency else None
            with self._read() as s:
                stored = (licences.other_spellings(s, spec.licence_number, agency)
                          if exc.field == "licence_number" and spec.licence_number else [])
            if not stored:
                raise
            raise missing_licence(spec.licence_number or "", agency, stored) from None

    def _first_request(self, seq: int | None) -> ShipmentIn | None:
        """The request of audit entry ``seq`` (a key's first post), as first spelt; None when
        it cannot be read back as one (an earlier version's, under a rule since tightened)."""
        if seq is None:
            return None
        with self._read() as s:
            text = s.scalar(select(AuditEntry.payload).where(AuditEntry.seq == seq))
        payload = audit.stored_json(text) if isinstance(text, str) else None
        request = payload.get("request") if isinstance(payload, dict) else None
        try:
            return parse(ShipmentIn, request) if isinstance(request, dict) else None
        except InvalidInput:
            return None

    def _screen_parties(self, spec: ShipmentIn, screener: PartyScreener) -> dict[str, Any]:
        """A shipment on a licence: refused for a blocked or held party
        (:mod:`~exportcheck.ledger.party_check`); what the audit entry records otherwise."""
        from exportcheck.ledger.party_check import check_parties

        try:
            agency = Agency(self.get_licence(spec.licence_number or "", spec.agency).agency)
        except (NotFound, InvalidInput):
            return {}  # no such licence: the licence check answers, with its own error
        checked = check_parties(spec, screener, agency)
        if not self._posted(spec.idempotency_key):  # (a replay answers as before)
            checked.refuse()
        return checked.payload()

    def _posted(self, key: str) -> bool:
        """Is a shipment recorded under ``key``?"""
        with self._read() as s:
            return s.scalar(select(Shipment.id).where(Shipment.idempotency_key == key)
                            ) is not None

    def reverse_shipment(self, shipment_key: str, *, reason: str, idempotency_key: str,
                         reference: str = "", actor: str = "exportcheck",
                         versions: dict | None = None) -> ReversalOut:
        """Reverse a shipment posted by mistake (the one posted under ``shipment_key``) with
        a compensating, audited entry: the licence lines get back exactly what it drew, the
        shipment is marked reversed, nothing is edited or deleted
        (:mod:`~exportcheck.ledger.reversals`). ``idempotency_key`` is the reversal's own:
        repeating the request answers the first reversal.

        Raises :class:`~exportcheck.ledger.reversals.ReversalRefused` for an unknown shipment,
        one already reversed or an empty reason (the refusal is audited, nothing else is
        written); :class:`~exportcheck.ledger.shipments.KeyReused` (a ``LedgerError``,
        audited as a refusal too) for a reversal key used for another request."""
        spec = parse(ShipmentReversalIn, {
            "shipment_key": shipment_key, "idempotency_key": idempotency_key,
            "reason": " ".join((reason or "").split()), "reference": reference or ""})
        try:
            return self._in_write(lambda s: reversals.reverse_shipment(
                s, spec, actor=actor, versions=versions))
        except (reversals.ReversalRefused, shipments.KeyReused) as exc:
            self._audit_refusal("shipment.reversal_refused", actor, {
                "request": spec.model_dump(mode="json"), "decision": "refused",
                "rule": exc.rule, "reason": str(exc)}, versions)
            raise

    def list_shipments(self, **filters: Any) -> tuple[list[records.ShipmentRecord], int]:
        """A page of posted shipments, newest first, each with its reversal if any; see
        :func:`exportcheck.ledger.records.list_shipments` for the filters."""
        with self._read() as s:
            return records.list_shipments(s, **filters)

    def get_shipment(self, key: str) -> records.ShipmentRecord:
        """The shipment posted under idempotency key ``key``, with its reversal if any."""
        with self._read() as s:
            return records.get_shipment(s, key)

    def apply_policy_event(self, event: PolicyEventIn | dict[str, Any], *,
                           actor: str = "exportcheck",
                           versions: dict | None = None) -> policy.PolicyResult:
        """Suspend or revoke every licence ``event.filter`` matches, with its citation
        (``licences policy``); the same key again answers the first application."""
        event = parse(PolicyEventIn, event)
        return self._in_write(
            lambda s: policy.apply_policy_event(s, event, actor=actor, versions=versions))

    # -- reporting and audit ------------------------------------------------------------
    def report(self, *, as_of: dt.date | str | None = None, agency: str | None = None,
               destination: str | None = None) -> report.Report:
        """Approved, shipped, remaining and blocked per licence and in total, as they stand on
        ``as_of`` (default today): :func:`~exportcheck.ledger.report.build_report`."""
        as_of = day(as_of, "as_of")
        with self._read() as s:
            return report.build_report(s, as_of=as_of, agency=agency, destination=destination)

    def append_event(self, *, kind: str, actor: str, payload: dict,
                     versions: dict | None = None) -> int:
        """Record an event in its own transaction; returns its sequence number."""
        return self._in_write(lambda s: audit.append_event(
            s, kind=kind, actor=actor, payload=payload, versions=versions).seq)

    def seal(self, *, timeout: float = 30.0) -> SealResult:
        """Link every entry committed so far into the hash chain (``exportcheck audit seal``);
        see :meth:`exportcheck.ledger.sealing.Sealer.seal`."""
        if not self._chain_headed():
            raise LedgerError(audit.HEAD_MISSING)
        return self.sealer.seal(timeout=timeout)

    def verify_audit(self, anchors: Iterable[tuple[int, str]] = (), *,
                     state: bool = True, seal: bool = True) -> audit.VerifyResult:
        """Seal what is committed (``seal``), verify the hash chain and then (``state``) that
        the ledger tables agree with it: the first edited, deleted or inserted licence, line,
        party, status, policy-event, shipment or shipment-line row is reported with the audit
        entry it contradicts."""
        anchors = list(anchors)
        audit.anchors_by_entry(anchors)  # a mistyped anchor is refused before anything is sealed
        if seal:
            self._seal_if_headed()
        result = None
        try:
            with self._read() as s:
                result = audit.verify(s, anchors)
                if not result.ok or not state:
                    return result
                check = statecheck.check_state(s)
        except storagecheck.READ_ERRORS:  # a value edited into one its column cannot hold
            with self._read() as s:
                named = storagecheck.verify_result(s, result)
            if named is None:
                raise
            return named
        result.state_checked = True
        result.unverifiable = check.unverifiable
        result.state_mismatches = [m.message() for m in
                                   sorted(check.mismatches, key=statecheck.Mismatch.sort_key)]
        first = check.first
        if first is not None:
            result.ok = False
            result.first_bad, result.table, result.row = first.seq, first.table, first.row
            result.problem = f"table does not match the audit trail: {first.message()}"
        return result

    def _chain_headed(self) -> bool:
        """Whether the chain head row exists (only a hand edit deletes it)."""
        with self._read() as s:
            return s.scalar(select(func.count()).select_from(AuditHead)) > 0

    def _seal_if_headed(self) -> None:
        """Seal before a check or an export, unless the chain head row was deleted: then
        there is nothing to link to, and ``verify`` says so instead."""
        if self._chain_headed():
            self.sealer.seal(timeout=5.0)

    def audit_entries(self, **filters: Any) -> tuple[list[audit.AuditEntry], int]:
        """A page of audit entries; see :func:`exportcheck.ledger.audit.query`."""
        with self._read() as s:
            return audit.query(s, **filters)

    def trail_status(self, *, seal: bool = True) -> dict[str, Any]:
        """What ``audit verify`` checks, as one dict: the chain and tables
        (:meth:`verify_audit`), ``balance_mismatches``, and ``ok`` only if all agree."""
        result = self.verify_audit(seal=seal)
        mismatches = self.balance_mismatches()
        return result.as_dict() | {"ok": result.ok and not mismatches,
                                   "balance_mismatches": mismatches}

    def export_audit(self, out: IO[str], *, fmt: str = "json",
                     start: dt.date | dt.datetime | None = None,
                     end: dt.date | dt.datetime | None = None,
                     status: dict[str, Any] | None = None) -> int:
        """Write the trail for an auditor (:func:`exportcheck.ledger.audit.export`); the JSON
        says whether it verifies (``status``, default :meth:`trail_status`): a tampered trail
        must not travel as if it were sound."""
        fmt = audit.check_export(fmt, start, end)  # before anything is sealed or written
        self._seal_if_headed()  # export chain links, not just content hashes
        if status is None and fmt == "json":
            status = self.trail_status(seal=False)
        with self._read() as s:
            return audit.export(s, out, fmt=fmt, start=start, end=end, status=status)

    def balance_mismatches(self) -> list[str]:
        """Licence lines whose drawn totals differ from the sum of the lines of their shipments
        not reversed (there should be none: both change in the same transaction)."""
        def drawn(column: Any) -> dict[int, int]:
            return dict(s.execute(
                select(ShipmentLine.licence_line_id, func.sum(column))
                .outerjoin(ShipmentReversal,
                           ShipmentReversal.shipment_id == ShipmentLine.shipment_id)
                .where(ShipmentLine.licence_line_id.is_not(None),
                       ShipmentReversal.id.is_(None))
                .group_by(ShipmentLine.licence_line_id)).all())

        with self._read() as s:
            sums, qty = drawn(ShipmentLine.value_cents), drawn(ShipmentLine.qty_milli)
            bad = []
            # only the drawn totals: a row edited elsewhere is named by verify_audit, not here
            for ln in s.execute(select(LicenceLine.id, LicenceLine.shipped_value_cents,
                                       LicenceLine.shipped_qty_milli)):
                v, q = int(sums.get(ln.id) or 0), int(qty.get(ln.id) or 0)
                if (v, q) != (ln.shipped_value_cents, ln.shipped_qty_milli):
                    bad.append(f"licence line {ln.id}: drawn {ln.shipped_value_cents} cents / "
                               f"{ln.shipped_qty_milli} milli-units, shipments sum to {v} / {q}")
            return bad
