"""Screening: dispositions bound to the party's identity and to every source's copy of the entry;
a record of each re-screen's list versions.

Revision ID: screening_0002
Revises: screening_0001
Create Date: 2026-11-25 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "screening_0002"
down_revision: str | Sequence[str] | None = "screening_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("screening_dispositions") as batch:
        batch.add_column(sa.Column("party_country", sa.String(2), nullable=True))
        batch.add_column(sa.Column("party_dob", sa.String(10), nullable=True))
        batch.add_column(sa.Column("entry_hashes", sa.JSON(), nullable=True))
    op.create_table(
        "screening_rescreens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("versions", sa.JSON(), nullable=False),
        sa.Column("parties", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_rescreens"),
    )


def downgrade() -> None:
    op.drop_table("screening_rescreens")
    with op.batch_alter_table("screening_dispositions") as batch:
        batch.drop_column("entry_hashes")
        batch.drop_column("party_dob")
        batch.drop_column("party_country")
