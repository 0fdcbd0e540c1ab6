"""Accounts: users with roles, API tokens, browser sessions, failed logins (rate limit).

Revision ID: accounts_0001
Revises:
Create Date: 2026-12-04 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "accounts_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("accounts",)
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "accounts_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(256), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_users"),
        sa.UniqueConstraint("name", name="uq_accounts_users_name"),
    )
    op.create_table(
        "accounts_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("revoked_at", _TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_users.id"],
                                name="fk_accounts_tokens_user_id_accounts_users"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_accounts_tokens_token_hash"),
    )
    op.create_index("ix_accounts_tokens_user_id", "accounts_tokens", ["user_id"])
    op.create_table(
        "accounts_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("session_hash", sa.String(64), nullable=False),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_users.id"],
                                name="fk_accounts_sessions_user_id_accounts_users"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_sessions"),
        sa.UniqueConstraint("session_hash", name="uq_accounts_sessions_session_hash"),
    )
    op.create_index("ix_accounts_sessions_user_id", "accounts_sessions", ["user_id"])
    op.create_table(
        "accounts_login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_accounts_login_failures"),
    )
    op.create_index("ix_accounts_login_failures_key", "accounts_login_failures", ["key"])
    op.create_index("ix_accounts_login_failures_at", "accounts_login_failures", ["at"])


def downgrade() -> None:
    op.drop_table("accounts_login_failures")
    op.drop_table("accounts_sessions")
    op.drop_table("accounts_tokens")
    op.drop_table("accounts_users")
