"""PostgreSQL: ``ledger_drawn_all(drawn, expected)``, which fails a shipment's write when its
conditional draw did not cover every licence line it meant to draw.

With it the write can fail on the server, so the client sends ``COMMIT`` in the same round trip
as the write (psycopg pipeline mode): a failed write aborts the transaction and the queued
``COMMIT`` is never run. The error is a serialization failure (SQLSTATE 40001), which the
ledger retries: the retry locks the licence and reads the balance afresh. SQLite needs nothing:
its write lock is held for the whole post.

Revision ID: ledger_0003
Revises: ledger_0002
Create Date: 2026-12-05 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "ledger_0003"
down_revision: str | Sequence[str] | None = "ledger_0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION ledger_drawn_all(drawn integer, expected integer)
    RETURNS integer LANGUAGE plpgsql AS $$
    BEGIN
      IF drawn IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'licence balance changed concurrently: % of % lines drawn',
          drawn, expected USING ERRCODE = '40001';
      END IF;
      RETURN drawn;
    END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION ledger_drawn_all(integer, integer)")
