"""Screening tables (on the shared ``Base``): list versions and their entries, screened parties
and dispositions. Migrations: ``db/migrations/versions/screening_*`` (branch ``screening``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from exportcheck.db.base import Base


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class ListVersion(Base):
    """One loaded release of one source (``ofac-sdn``, ``csl``, ``un``...)."""

    __tablename__ = "screening_list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    file_date: Mapped[dt.date | None] = mapped_column(Date)
    row_count: Mapped[int] = mapped_column(Integer)
    entry_count: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(80))
    paths: Mapped[list] = mapped_column(JSON)
    loaded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    loaded_by: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening_list_versions.id"), nullable=True)
    forced: Mapped[bool] = mapped_column(Boolean, default=False)
    #: loaded with ``allow_older``: a release replaced before, or dated before the active one
    older_release: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ListEntryRow(Base):
    """One entry of a list version, stored whole so the index can be rebuilt from the DB."""

    __tablename__ = "screening_list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("screening_list_versions.id", ondelete="CASCADE"), index=True)
    list_code: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(Text)
    data: Mapped[dict] = mapped_column(JSON)


class ScreenedParty(Base):
    """A counterparty kept for re-screening when lists change.

    Unique by identity (name key, country, date of birth), the same identity a disposition
    binds to: two customers called "John Smith" in different countries are two parties.
    """

    __tablename__ = "screening_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    party_key: Mapped[str] = mapped_column(Text, index=True)
    identity: Mapped[str] = mapped_column(Text, unique=True)
    country: Mapped[str | None] = mapped_column(String(2))
    dob: Mapped[str | None] = mapped_column(String(10))
    kind: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class DispositionRow(Base):
    """"Party X cleared against entry Y by user U on date D because R" (append-only use)."""

    __tablename__ = "screening_dispositions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_key: Mapped[str] = mapped_column(Text, index=True)
    party_name: Mapped[str] = mapped_column(Text)
    #: the cleared party's identity as recorded: a screen is suppressed only for the same
    #: name key, country and date of birth (``None`` = not given)
    party_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    party_dob: Mapped[str | None] = mapped_column(String(10), nullable=True)
    list_code: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64))
    #: ``{source: [entry_hash, ...]}`` of every active copy of the entry when it was cleared
    entry_hashes: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    decision: Mapped[str] = mapped_column(String(16), default="cleared")
    user: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text)
    decided_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


class RescreenRun(Base):
    """One ``rescreen``: the list version of each source it screened against."""

    __tablename__ = "screening_rescreens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ran_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    versions: Mapped[dict] = mapped_column(JSON)  # source -> list version id
    parties: Mapped[int] = mapped_column(Integer, default=0)
