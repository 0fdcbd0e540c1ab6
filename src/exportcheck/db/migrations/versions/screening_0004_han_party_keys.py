"""Screening: parties and dispositions whose names have Han characters are keyed by those
characters, no longer by their toneless pinyin, which made homophones one party (金政恩, a
namesake, and 金正恩, Kim Jong Un; 李嘉超 stored as 李家超).

Revision ID: screening_0004
Revises: screening_0003
Create Date: 2026-12-07 04:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "screening_0004"
down_revision: str | Sequence[str] | None = "screening_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from exportcheck.screen.dispositions import party_key
    from exportcheck.screen.normalize import HAN_RE

    conn = op.get_bind()
    # a merged homophone was never stored under its own name: nothing to split, only re-key
    rows = conn.execute(sa.text("SELECT id, name, country, dob, identity "
                                "FROM screening_parties")).all()
    taken = {row.identity for row in rows}
    for row in rows:
        if HAN_RE.search(row.name):
            key = party_key(row.name)
            identity = f"{key}|{row.country or ''}|{row.dob or ''}"
            if identity != row.identity and identity in taken:
                continue  # another stored party already holds it: kept as it was, not merged
            taken.discard(row.identity)
            taken.add(identity)
            conn.execute(sa.text(
                "UPDATE screening_parties SET party_key = :k, identity = :i WHERE id = :id"),
                {"k": key, "i": identity, "id": row.id})
    for row in conn.execute(sa.text(
            "SELECT id, party_name FROM screening_dispositions")).all():
        if HAN_RE.search(row.party_name):
            conn.execute(sa.text("UPDATE screening_dispositions SET party_key = :k "
                                 "WHERE id = :id"),
                         {"k": party_key(row.party_name), "id": row.id})


def downgrade() -> None:
    # the pinyin keys are not restored: they are what made homophones one party
    pass
