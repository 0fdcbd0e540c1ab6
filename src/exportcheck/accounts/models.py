"""Account tables (on the shared ``Base``): users, API tokens, browser sessions and failed logins.

Secrets are never stored: passwords as argon2 hashes, tokens and session ids as SHA-256 digests
(they are long random strings, so a fast hash is enough and lookups stay cheap).
Migrations: ``db/migrations/versions/accounts_*`` (branch ``accounts``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column

from exportcheck.db.base import Base

#: the longest API token label (the column's width; REST refuses longer, and so does Python)
TOKEN_LABEL_MAX = 120


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class User(Base):
    __tablename__ = "accounts_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(256), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)

    #: "Olivia" and "olivia" would be two audit actors alike: the database, not only the
    #: service's check, refuses a second name that differs only in case (two concurrent
    #: sign-ups on PostgreSQL would both pass a read-then-insert check)
    __table_args__ = (Index("uq_accounts_users_name_lower", func.lower(name), unique=True),)


class ApiToken(Base):
    __tablename__ = "accounts_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_users.id"), index=True)
    label: Mapped[str] = mapped_column(String(TOKEN_LABEL_MAX), default="")
    #: first characters of the token, shown in listings so a user can tell tokens apart
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True),
                                                           nullable=True)
    #: after this the token authenticates nobody: every token expires (see
    #: ``settings.MAX_TOKEN_DAYS`` for why)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: the highest role the token acts with (never above its owner's role at the time of
    #: use); NULL: no limit, the owner's role
    role: Mapped[str | None] = mapped_column(String(16), nullable=True)


class WebSession(Base):
    __tablename__ = "accounts_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("accounts_users.id"), index=True)
    session_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class LoginFailure(Base):
    """One failed login, kept for the rate limit (shared by every server worker)."""

    __tablename__ = "accounts_login_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=now, index=True)
