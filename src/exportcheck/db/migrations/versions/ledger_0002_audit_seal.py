"""Audit entries sealed after commit: ``audit_seal`` (append-only), ``audit_head.legacy_seq``
and, on PostgreSQL, the ``audit_log_seq`` sequence (CACHE 1) that numbers new entries.

Existing entries keep their in-row chain links untouched; ``legacy_seq`` records where they end
and the sealed chain continues from their head hash, so an upgraded database verifies as before
(see :mod:`exportcheck.ledger.sealing`).

Revision ID: ledger_0002
Revises: ledger_0001
Create Date: 2026-12-04 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0002"
down_revision: str | Sequence[str] | None = "ledger_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_APPEND_ONLY = [
    """CREATE FUNCTION audit_seal_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit_seal is append-only (15 CFR 762)'; END $$""",
    """CREATE TRIGGER audit_seal_no_change BEFORE UPDATE OR DELETE ON audit_seal
    FOR EACH ROW EXECUTE FUNCTION audit_seal_append_only()""",
    """CREATE TRIGGER audit_seal_no_truncate BEFORE TRUNCATE ON audit_seal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_seal_append_only()""",
]
_SQLITE_APPEND_ONLY = [
    """CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal
    BEGIN SELECT RAISE(ABORT, 'audit_seal is append-only (15 CFR 762)'); END""",
    """CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal
    BEGIN SELECT RAISE(ABORT, 'audit_seal is append-only (15 CFR 762)'); END""",
]


def upgrade() -> None:
    op.create_table(
        "audit_seal",
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_seal")),
        sa.UniqueConstraint("hash", name=op.f("uq_audit_seal_hash")),
    )
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("legacy_seq", sa.BigInteger(), nullable=False, server_default="0")
        )
    # every entry written so far is chained in its own row: the legacy part ends at the head
    op.execute("UPDATE audit_head SET legacy_seq = seq")
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # CACHE 1: a backend must never hand out a number older than the sequence's last_value
        # (the sealer's horizon relies on it)
        op.execute("CREATE SEQUENCE audit_log_seq AS bigint CACHE 1")
        op.execute("SELECT setval('audit_log_seq', "
                   "COALESCE((SELECT max(seq) FROM audit_log), 0) + 1, false)")
    for stmt in _PG_APPEND_ONLY if dialect == "postgresql" else _SQLITE_APPEND_ONLY:
        op.execute(stmt)


def downgrade() -> None:
    bind = op.get_bind()
    sealed = bind.execute(sa.text("SELECT count(*) FROM audit_log WHERE seq > "
                                  "(SELECT legacy_seq FROM audit_head)")).scalar()
    if sealed:
        raise RuntimeError(f"{sealed} audit entries were written in the sealed format; they "
                           "cannot be re-chained in place (the log is append-only)")
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_seal_no_change ON audit_seal")
        op.execute("DROP TRIGGER audit_seal_no_truncate ON audit_seal")
        op.execute("DROP FUNCTION audit_seal_append_only()")
        op.execute("DROP SEQUENCE audit_log_seq")
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("legacy_seq")
    op.drop_table("audit_seal")
