"""Screening initial schema: list versions and entries, screened parties, dispositions.

Revision ID: screening_0001
Revises:
Create Date: 2026-11-25 15:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "screening_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("screening",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "screening_list_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("file_date", sa.Date(), nullable=True),
        sa.Column("row_count", sa.Integer(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("format", sa.String(80), nullable=False),
        sa.Column("paths", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("loaded_by", sa.String(120), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("forced", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["previous_id"], ["screening_list_versions.id"],
                                name="fk_screening_list_versions_previous_id_screening_list_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_screening_list_versions"),
    )
    op.create_index("ix_screening_list_versions_source", "screening_list_versions", ["source"])
    op.create_index("ix_screening_list_versions_active", "screening_list_versions", ["active"])
    op.create_table(
        "screening_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("list_code", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["screening_list_versions.id"],
                                name="fk_screening_list_entries_version_id_screening_list_versions",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_screening_list_entries"),
    )
    op.create_index("ix_screening_list_entries_version_id", "screening_list_entries",
                    ["version_id"])
    op.create_table(
        "screening_parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("party_key", sa.Text(), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("dob", sa.String(10), nullable=True),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_parties"),
        sa.UniqueConstraint("party_key", name="uq_screening_parties_party_key"),
    )
    op.create_table(
        "screening_dispositions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_key", sa.Text(), nullable=False),
        sa.Column("party_name", sa.Text(), nullable=False),
        sa.Column("list_code", sa.String(16), nullable=False),
        sa.Column("entry_id", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("user", sa.String(120), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screening_dispositions"),
    )
    op.create_index("ix_screening_dispositions_party_key", "screening_dispositions",
                    ["party_key"])


def downgrade() -> None:
    op.drop_table("screening_dispositions")
    op.drop_table("screening_parties")
    op.drop_table("screening_list_entries")
    op.drop_table("screening_list_versions")
