"""Screening: parties and dispositions whose names have Han characters are keyed by the
simplified forms of Hong Kong's characters too (曾國衞 = 曾国卫: 衞 is Hong Kong's form of 衛)
and without the spaces typed between Han characters (陳 大文 = 陳大文).

Revision ID: screening_0005
Revises: screening_0004
Create Date: 2026-12-07 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "screening_0005"
down_revision: str | Sequence[str] | None = "screening_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from exportcheck.screen.store import rekey_han_rows

    rekey_han_rows(op.get_bind())


def downgrade() -> None:
    # the old keys are not restored: they made one name written two ways two parties
    pass
