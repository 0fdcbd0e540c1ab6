"""Accounts: user names unique ignoring case, in the database itself.

Revision ID: accounts_0002
Revises: accounts_0001
Create Date: 2026-12-06 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "accounts_0002"
down_revision: str | Sequence[str] | None = "accounts_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A database written before names were compared ignoring case may hold "Olivia" beside
    # "olivia": the index cannot be built then, and which account to keep is the
    # administrator's decision, not the migration's.
    clashes = op.get_bind().execute(sa.text(
        "SELECT lower(name), count(*) FROM accounts_users GROUP BY lower(name) "
        "HAVING count(*) > 1 ORDER BY lower(name)")).all()
    if clashes:
        names = ", ".join(f"{name!r} ({n} accounts)" for name, n in clashes)
        raise RuntimeError(
            f"accounts: user names that differ only in case: {names}. Rename all but one of "
            "each in the accounts_users table, then run the upgrade again: the audit trail "
            "cannot tell such actors apart")
    op.create_index("uq_accounts_users_name_lower", "accounts_users", [sa.text("lower(name)")],
                    unique=True)


def downgrade() -> None:
    op.drop_index("uq_accounts_users_name_lower", table_name="accounts_users")
