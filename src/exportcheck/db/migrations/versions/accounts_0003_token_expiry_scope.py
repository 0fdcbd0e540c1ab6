"""Accounts: every API token expires (``expires_at``) and may be limited to a role (``role``).

What the upgrade does to the tokens a database already holds, as a security review expects:

- **They get an expiry: the upgrade's time plus the default lifetime**
  (``EXPORTCHECK_TOKEN_DAYS``, else 90 days). Not NULL ("never"): a token that never expires
  is the standing credential this change removes, and an old token is the likeliest to have
  leaked. Not their creation time plus the lifetime either: tokens older than that would all
  stop at once, and every machine client with them, on the day of an upgrade nobody connected
  with them. So nothing breaks at the upgrade, and nothing lives forever; to end them sooner,
  revoke them.
- **Their role limit is NULL (none)**: they act with their owner's role, as before.
- **The tokens of users who are disabled now are revoked** (``revoked_at`` = the upgrade's
  time): disabling a user now revokes their tokens, and re-enabling does not bring them back.
  Left unrevoked, these would come back to life when such a user is re-enabled, the hole this
  change closes. (No audit entry is written: the audit trail belongs to the ledger, whose
  tables a migration of this branch must not depend on; ``tokens list`` shows them revoked.)

The downgrade refuses while an unrevoked token is expired or limited to a role: without the
columns it would act again, or with its owner's full role.

Revision ID: accounts_0003
Revises: accounts_0002
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op
from alembic.operations import BatchOperations

revision: str = "accounts_0003"
down_revision: str | Sequence[str] | None = "accounts_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)
# typed columns, so that the datetimes are written as the models write them on every backend
_tokens = sa.table("accounts_tokens", sa.column("id", sa.Integer()),
                   sa.column("user_id", sa.Integer()), sa.column("revoked_at", _TS),
                   sa.column("expires_at", _TS), sa.column("role", sa.String(16)))
_users = sa.table("accounts_users", sa.column("id", sa.Integer()),
                  sa.column("disabled", sa.Boolean()))


@contextmanager
def _tokens_batch() -> Iterator[BatchOperations]:
    """``batch_alter_table`` on the tokens table. On SQLite it rebuilds the table and reflects
    accounts_users for the foreign key, and SQLAlchemy then warns that it cannot reflect that
    table's index on lower(name): that table and its index are not touched, so say nothing."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based")
        with op.batch_alter_table("accounts_tokens") as batch:
            yield batch


def upgrade() -> None:
    from exportcheck.settings import default_token_days

    at = dt.datetime.now(dt.UTC)
    expires = at + dt.timedelta(days=default_token_days())  # a bad setting stops it here
    with _tokens_batch() as batch:
        batch.add_column(sa.Column("expires_at", _TS, nullable=True))
        batch.add_column(sa.Column("role", sa.String(16), nullable=True))
    op.execute(_tokens.update().values(expires_at=expires))
    disabled = sa.select(_users.c.id).where(_users.c.disabled.is_(True))
    op.execute(_tokens.update().where(_tokens.c.revoked_at.is_(None),
                                      _tokens.c.user_id.in_(disabled)).values(revoked_at=at))
    with _tokens_batch() as batch:
        batch.alter_column("expires_at", existing_type=_TS, nullable=False)


def downgrade() -> None:
    # without the columns, an expired token would work again and a limited one would act
    # with its owner's full role: refuse while any such token is still unrevoked
    at = dt.datetime.now(dt.UTC)
    ids = op.get_bind().execute(sa.select(_tokens.c.id).where(
        _tokens.c.revoked_at.is_(None),
        (_tokens.c.expires_at <= at) | _tokens.c.role.is_not(None)).order_by(_tokens.c.id)
    ).scalars().all()
    if ids:
        raise RuntimeError(
            "accounts: unrevoked tokens that are expired or limited to a role: "
            + ", ".join(f"#{i}" for i in ids) + ". Without expiry and scope they would act "
            "again, or with their owner's full role: revoke them (exportcheck tokens revoke "
            "ID), then downgrade again")
    with _tokens_batch() as batch:
        batch.drop_column("role")
        batch.drop_column("expires_at")
