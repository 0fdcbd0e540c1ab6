"""ORM tables of the licence ledger and the audit trail (SQLAlchemy 2, on the shared ``Base``).

Money is stored as integer cents and quantities as integer thousandths ("milli-units") so that
draw-downs are exact and can be compared in SQL on every backend (SQLite has no decimal type).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exportcheck.db.base import Base


class Licence(Base):
    """One export/import authorisation (BIS licence, DSP-5/73/61, agreement)."""

    __tablename__ = "ledger_licence"
    __table_args__ = (UniqueConstraint("agency", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency: Mapped[str] = mapped_column(String(8))
    number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    destination: Mapped[str] = mapped_column(String(2))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    #: JSON list of proviso strings (conditions of approval)
    provisos: Mapped[str] = mapped_column(Text, default="[]")
    #: current status (denormalised from the newest status event; the history is authoritative)
    status: Mapped[str] = mapped_column(String(24), default="approved")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: PostgreSQL: incremented by triggers on every change of the licence's terms other than its
    #: balances (migration ledger_0004); a post made on cached terms states the version it was
    #: checked on
    terms_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    lines: Mapped[list[LicenceLine]] = relationship(
        back_populates="licence", order_by="LicenceLine.line_no", lazy="selectin"
    )
    parties: Mapped[list[LicenceParty]] = relationship(
        back_populates="licence", order_by="LicenceParty.id", lazy="selectin"
    )
    status_events: Mapped[list[LicenceStatusEvent]] = relationship(
        back_populates="licence", order_by="LicenceStatusEvent.id", lazy="selectin"
    )


class LicenceLine(Base):
    """A line of a licence: one item with its authorised quantity/value and what is drawn."""

    __tablename__ = "ledger_licence_line"
    __table_args__ = (
        UniqueConstraint("licence_id", "line_no"),
        CheckConstraint("shipped_value_cents >= 0", name="shipped_value_nonneg"),
        CheckConstraint("shipped_qty_milli >= 0", name="shipped_qty_nonneg"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("ledger_licence.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    classification: Mapped[str] = mapped_column(String(48))
    description: Mapped[str] = mapped_column(Text, default="")
    #: 15 CFR 750.11 "Unit" basis: number | value | measure
    unit_basis: Mapped[str] = mapped_column(String(8), default="number")
    unit: Mapped[str] = mapped_column(String(16), default="ea")
    qty_milli: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    value_cents: Mapped[int] = mapped_column(BigInteger)
    shipped_qty_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    shipped_value_cents: Mapped[int] = mapped_column(BigInteger, default=0)

    licence: Mapped[Licence] = relationship(back_populates="lines")


class LicenceParty(Base):
    __tablename__ = "ledger_licence_party"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("ledger_licence.id"), index=True)
    #: applicant | consignee | intermediate_consignee | end_user
    role: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(String(256))
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)

    licence: Mapped[Licence] = relationship(back_populates="parties")


class PolicyEvent(Base):
    """A government action applied to every licence matching a filter (e.g. HK, 30 Jun 2020)."""

    __tablename__ = "ledger_policy_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(96), unique=True)
    title: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(24))
    effective: Mapped[dt.date] = mapped_column(Date)
    citation: Mapped[str] = mapped_column(Text)
    filter_json: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LicenceStatusEvent(Base):
    """Status history: approved, suspended, revoked, expired, returned_without_action, ..."""

    __tablename__ = "ledger_licence_status"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("ledger_licence.id"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    effective: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    citation: Mapped[str] = mapped_column(Text, default="")
    policy_event_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_policy_event.id"), nullable=True
    )
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    licence: Mapped[Licence] = relationship(back_populates="status_events")


class Shipment(Base):
    """One export, either drawn against a licence or made under a licence exception."""

    __tablename__ = "ledger_shipment"
    __table_args__ = (
        CheckConstraint(
            "licence_id IS NOT NULL OR licence_exception IS NOT NULL", name="has_authority"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    #: sha256 of the canonical request: a reused key with different content is refused
    request_hash: Mapped[str] = mapped_column(String(64))
    licence_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_licence.id"), nullable=True, index=True
    )
    licence_exception: Mapped[str | None] = mapped_column(String(16), nullable=True)
    ship_date: Mapped[dt.date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(2))
    consignee: Mapped[str] = mapped_column(String(256))
    end_user: Mapped[str] = mapped_column(String(256))
    reference: Mapped[str] = mapped_column(String(128), default="")
    actor: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: sequence number of the audit entry that recorded this shipment
    audit_seq: Mapped[int] = mapped_column(BigInteger)

    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", order_by="ShipmentLine.id", lazy="selectin"
    )


class ShipmentLine(Base):
    __tablename__ = "ledger_shipment_line"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("ledger_shipment.id"), index=True)
    licence_line_id: Mapped[int | None] = mapped_column(
        ForeignKey("ledger_licence_line.id"), nullable=True, index=True
    )
    classification: Mapped[str] = mapped_column(String(48))
    qty_milli: Mapped[int] = mapped_column(BigInteger)
    value_cents: Mapped[int] = mapped_column(BigInteger)

    shipment: Mapped[Shipment] = relationship(back_populates="lines")


class ShipmentReversal(Base):
    """A compensating entry for a shipment posted by mistake (migration ledger_0005).

    The shipment and its lines stay as posted; this row says it is reversed, and the licence
    lines it drew on were given back what it drew, in the same transaction as the
    ``shipment.reversed`` audit entry. One per shipment (UNIQUE), so it cannot be reversed
    twice."""

    __tablename__ = "ledger_shipment_reversal"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("ledger_shipment.id"), unique=True)
    #: the reversal's own idempotency key
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    #: sha256 of the canonical reversal request: a reused key with other content is refused
    request_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(String(128), default="")
    actor: Mapped[str] = mapped_column(String(128))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: sequence number of the ``shipment.reversed`` audit entry
    audit_seq: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    """One entry of the append-only audit log (15 CFR Part 762 records).

    Entries up to ``audit_head.legacy_seq`` carry their chain link in ``prev_hash``/``hash``;
    later ones have ``prev_hash = ''`` and ``hash`` = their content hash, and their link is in
    :class:`AuditSeal` once sealed (see :mod:`exportcheck.ledger.sealing`).
    """

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    recorded_at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(64), index=True)
    payload: Mapped[str] = mapped_column(Text)
    versions: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditSeal(Base):
    """The chain link of one entry written since ``ledger_0002`` (append-only).

    ``hash`` is :func:`~exportcheck.ledger.audit.entry_hash` of the entry with ``prev_hash``
    (the link of the previous sealed entry, in ``seq`` order): the same rule as a pre-0002
    entry's own ``hash``, so the whole chain verifies with one formula.
    """

    __tablename__ = "audit_seal"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHead(Base):
    """Single row: the newest *sealed* entry (``seq``, chain ``hash``); sealers lock it.

    ``legacy_seq``: entries up to it were chained in their own row (before ``ledger_0002``).
    """

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    legacy_seq: Mapped[int] = mapped_column(BigInteger, default=0)
