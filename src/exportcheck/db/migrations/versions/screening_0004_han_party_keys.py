"""Screening: parties and dispositions whose names have Han characters are keyed by those
characters, no longer by their toneless pinyin, which made homophones one party (金政恩, a
namesake, and 金正恩, Kim Jong Un; 李嘉超 stored as 李家超).

Revision ID: screening_0004
Revises: screening_0003
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "screening_0004"
down_revision: str | Sequence[str] | None = "screening_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from exportcheck.screen.store import rekey_han_rows

    # a merged homophone was never stored under its own name: nothing to split, only re-key
    rekey_han_rows(op.get_bind())


def downgrade() -> None:
    # the pinyin keys are not restored: they are what made homophones one party
    pass
