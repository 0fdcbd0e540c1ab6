"""Impact runs: summary, per-line table and report of each run made through the service.

Revision ID: impact_0001
Revises:
Create Date: 2026-12-04 19:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "impact_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("impact",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "impact_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("source", sa.String(256), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("to_date", sa.Date(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("changed_lines", sa.Integer(), nullable=False),
        sa.Column("value_changed", sa.Float(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("report_html", sa.Text(), nullable=False),
        sa.Column("lines_parquet", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_impact_runs"),
    )


def downgrade() -> None:
    op.drop_table("impact_runs")
