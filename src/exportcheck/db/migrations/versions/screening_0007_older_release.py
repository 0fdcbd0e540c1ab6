"""Screening: a list version loaded although it is older than the one it replaced (a release
that was replaced before, or dated earlier) says so, as a forced drop in rows does.

Revision ID: screening_0007
Revises: screening_0006
Create Date: 2026-12-08 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "screening_0007"
down_revision: str | Sequence[str] | None = "screening_0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_list_versions") as batch:
        batch.add_column(sa.Column("older_release", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("screening_list_versions") as batch:
        batch.drop_column("older_release")
