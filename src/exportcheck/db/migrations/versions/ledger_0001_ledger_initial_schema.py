"""Ledger initial schema: licences, lines, parties, status history, policy events, shipments,
and the hash-chained audit log (append-only: UPDATE/DELETE are refused by triggers).

Revision ID: ledger_0001
Revises:
Create Date: 2026-11-25 15:10:05.374088
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

GENESIS_HASH = "0" * 64

_PG_APPEND_ONLY = [
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_log is append-only (15 CFR 762)'; END $$""",
    """CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
]
_SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (15 CFR 762)'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only (15 CFR 762)'); END""",
]


revision: str = "ledger_0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = ("ledger",)
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("recorded_at", sa.String(length=40), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("versions", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_log_hash")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_kind"), ["kind"], unique=False)

    op.create_table(
        "ledger_licence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency", sa.String(length=8), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("provisos", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_licence")),
        sa.UniqueConstraint("agency", "number", name=op.f("uq_ledger_licence_agency")),
    )
    op.create_table(
        "ledger_policy_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=96), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("filter_json", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_policy_event")),
        sa.UniqueConstraint("key", name=op.f("uq_ledger_policy_event_key")),
    )
    op.create_table(
        "ledger_licence_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("classification", sa.String(length=48), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit_basis", sa.String(length=8), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("qty_milli", sa.BigInteger(), nullable=True),
        sa.Column("value_cents", sa.BigInteger(), nullable=False),
        sa.Column("shipped_qty_milli", sa.BigInteger(), nullable=False),
        sa.Column("shipped_value_cents", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "shipped_qty_milli >= 0", name=op.f("ck_ledger_licence_line_shipped_qty_nonneg")
        ),
        sa.CheckConstraint(
            "shipped_value_cents >= 0", name=op.f("ck_ledger_licence_line_shipped_value_nonneg")
        ),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["ledger_licence.id"],
            name=op.f("fk_ledger_licence_line_licence_id_ledger_licence"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_licence_line")),
        sa.UniqueConstraint(
            "licence_id", "line_no", name=op.f("uq_ledger_licence_line_licence_id")
        ),
    )
    with op.batch_alter_table("ledger_licence_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_licence_line_licence_id"), ["licence_id"], unique=False
        )

    op.create_table(
        "ledger_licence_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["ledger_licence.id"],
            name=op.f("fk_ledger_licence_party_licence_id_ledger_licence"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_licence_party")),
    )
    with op.batch_alter_table("ledger_licence_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_licence_party_licence_id"), ["licence_id"], unique=False
        )

    op.create_table(
        "ledger_licence_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("effective", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("policy_event_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["ledger_licence.id"],
            name=op.f("fk_ledger_licence_status_licence_id_ledger_licence"),
        ),
        sa.ForeignKeyConstraint(
            ["policy_event_id"],
            ["ledger_policy_event.id"],
            name=op.f("fk_ledger_licence_status_policy_event_id_ledger_policy_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_licence_status")),
    )
    with op.batch_alter_table("ledger_licence_status", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_licence_status_licence_id"), ["licence_id"], unique=False
        )

    op.create_table(
        "ledger_shipment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("licence_id", sa.Integer(), nullable=True),
        sa.Column("licence_exception", sa.String(length=16), nullable=True),
        sa.Column("ship_date", sa.Date(), nullable=False),
        sa.Column("destination", sa.String(length=2), nullable=False),
        sa.Column("consignee", sa.String(length=256), nullable=False),
        sa.Column("end_user", sa.String(length=256), nullable=False),
        sa.Column("reference", sa.String(length=128), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "licence_id IS NOT NULL OR licence_exception IS NOT NULL",
            name=op.f("ck_ledger_shipment_has_authority"),
        ),
        sa.ForeignKeyConstraint(
            ["licence_id"],
            ["ledger_licence.id"],
            name=op.f("fk_ledger_shipment_licence_id_ledger_licence"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_shipment")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_ledger_shipment_idempotency_key")),
    )
    with op.batch_alter_table("ledger_shipment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_shipment_licence_id"), ["licence_id"], unique=False
        )

    op.create_table(
        "ledger_shipment_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("licence_line_id", sa.Integer(), nullable=True),
        sa.Column("classification", sa.String(length=48), nullable=False),
        sa.Column("qty_milli", sa.BigInteger(), nullable=False),
        sa.Column("value_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["licence_line_id"],
            ["ledger_licence_line.id"],
            name=op.f("fk_ledger_shipment_line_licence_line_id_ledger_licence_line"),
        ),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["ledger_shipment.id"],
            name=op.f("fk_ledger_shipment_line_shipment_id_ledger_shipment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_shipment_line")),
    )
    with op.batch_alter_table("ledger_shipment_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ledger_shipment_line_licence_line_id"), ["licence_line_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_shipment_line_shipment_id"), ["shipment_id"], unique=False
        )

    op.execute(
        sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, :h)").bindparams(
            h=GENESIS_HASH
        )
    )
    dialect = op.get_bind().dialect.name
    for stmt in _PG_APPEND_ONLY if dialect == "postgresql" else _SQLITE_APPEND_ONLY:
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_change ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    with op.batch_alter_table("ledger_shipment_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_shipment_line_shipment_id"))
        batch_op.drop_index(batch_op.f("ix_ledger_shipment_line_licence_line_id"))

    op.drop_table("ledger_shipment_line")
    with op.batch_alter_table("ledger_shipment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_shipment_licence_id"))

    op.drop_table("ledger_shipment")
    with op.batch_alter_table("ledger_licence_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_licence_status_licence_id"))

    op.drop_table("ledger_licence_status")
    with op.batch_alter_table("ledger_licence_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_licence_party_licence_id"))

    op.drop_table("ledger_licence_party")
    with op.batch_alter_table("ledger_licence_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_licence_line_licence_id"))

    op.drop_table("ledger_licence_line")
    op.drop_table("ledger_policy_event")
    op.drop_table("ledger_licence")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_kind"))

    op.drop_table("audit_log")
    op.drop_table("audit_head")
