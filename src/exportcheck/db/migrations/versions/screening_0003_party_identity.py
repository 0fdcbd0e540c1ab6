"""Screening: stored parties are unique by identity (name key, country, date of birth), not by
name alone, so two same-named customers in different countries are both kept.

Revision ID: screening_0003
Revises: screening_0002
Create Date: 2026-11-25 18:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "screening_0003"
down_revision: str | Sequence[str] | None = "screening_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENTITY = (
    "party_key || '|' || coalesce(country, '') || '|' || coalesce(dob, '')"
)


def upgrade() -> None:
    with op.batch_alter_table("screening_parties") as batch:
        batch.add_column(sa.Column("identity", sa.Text(), nullable=True))
    # existing rows were unique by name: their identity is what they were stored with
    op.execute(f"UPDATE screening_parties SET identity = {_IDENTITY}")
    with op.batch_alter_table("screening_parties") as batch:
        batch.alter_column("identity", existing_type=sa.Text(), nullable=False)
        batch.drop_constraint("uq_screening_parties_party_key", type_="unique")
        batch.create_unique_constraint("uq_screening_parties_identity", ["identity"])
        batch.create_index("ix_screening_parties_party_key", ["party_key"])


def downgrade() -> None:
    # refuses (unique violation) if two parties now share a name: nothing is silently dropped
    with op.batch_alter_table("screening_parties") as batch:
        batch.drop_index("ix_screening_parties_party_key")
        batch.drop_constraint("uq_screening_parties_identity", type_="unique")
        batch.create_unique_constraint("uq_screening_parties_party_key", ["party_key"])
        batch.drop_column("identity")
