"""Shipment reversals: ``ledger_shipment_reversal``, one row per reversed shipment.

A shipment posted by mistake is reversed by a compensating entry, never by editing or deleting
it: the shipment and its lines stay as posted, this table records the reversal (its own
idempotency key, reason, reference, the ``shipment.reversed`` audit entry) and the licence
lines get back what the shipment drew. ``shipment_id`` is UNIQUE, so a shipment cannot be
reversed twice even by two concurrent requests. The audit log itself is untouched (its
append-only triggers stay as they are).

Revision ID: ledger_0005
Revises: ledger_0004
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0005"
down_revision: str | Sequence[str] | None = "ledger_0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ledger_shipment_reversal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(length=128), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["ledger_shipment.id"],
            name=op.f("fk_ledger_shipment_reversal_shipment_id_ledger_shipment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_shipment_reversal")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_ledger_shipment_reversal_idempotency_key")
        ),
        sa.UniqueConstraint("shipment_id", name=op.f("uq_ledger_shipment_reversal_shipment_id")),
    )


def downgrade() -> None:
    bind = op.get_bind()
    reversed_ = bind.execute(sa.text("SELECT count(*) FROM ledger_shipment_reversal")).scalar()
    if reversed_:
        # without the table the reversed shipments would count as drawn again while the
        # licence lines no longer hold their draw: the balances would contradict the audit
        raise RuntimeError(f"{reversed_} shipment reversals are recorded; they cannot be "
                           "dropped without corrupting the licence balances")
    op.drop_table("ledger_shipment_reversal")
