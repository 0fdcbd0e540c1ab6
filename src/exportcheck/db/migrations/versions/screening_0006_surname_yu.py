"""Screening: parties and dispositions whose Han names begin with the surname 於 are keyed
with it, not with 于, another surname OpenCC made of it (於大文 and 于大文 are two people).

Revision ID: screening_0006
Revises: screening_0005
Create Date: 2026-12-07 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "screening_0006"
down_revision: str | Sequence[str] | None = "screening_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from exportcheck.screen.store import rekey_han_rows

    rekey_han_rows(op.get_bind())


def downgrade() -> None:
    # the old keys are not restored: they made two families one party
    pass
