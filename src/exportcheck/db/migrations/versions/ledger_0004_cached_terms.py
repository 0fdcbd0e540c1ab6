"""Posting on cached licence terms: ``ledger_licence.terms_version`` and (PostgreSQL)
``ledger_post_check(terms_unchanged, drawn, expected)``.

A process may post on the licence terms its previous post left, without reading them again:
on PostgreSQL that post is ONE statement, run on its own as one transaction (see
``exportcheck.ledger.pgpost``). The statement states what it assumed: each drawn line's
balance (in the draw's ``WHERE``) and the licence's ``terms_version``, which every change of a
licence's status (or any future amendment of its terms) increments. The licence row is locked
``FOR UPDATE NOWAIT`` with that version in its ``WHERE``: a change committed meanwhile makes
PostgreSQL re-check the newest row version, which no longer matches. Any difference fails the
statement (SQLSTATE 40001, or 55P03 for a licence locked by another post) and nothing is
written; the post then locks the licence, reads its terms and checks again.
``ledger_drawn_all`` stays for databases written by older code.

Revision ID: ledger_0004
Revises: ledger_0003
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ledger_0004"
down_revision: str | Sequence[str] | None = "ledger_0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_licence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("terms_version", sa.Integer(), nullable=False,
                                      server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""CREATE FUNCTION ledger_post_check(terms_unchanged boolean, drawn integer,
                                     expected integer)
    RETURNS integer LANGUAGE plpgsql AS $$
    BEGIN
      IF terms_unchanged IS NOT TRUE THEN
        RAISE EXCEPTION 'licence terms changed since they were read'
          USING ERRCODE = '40001';
      END IF;
      IF drawn IS DISTINCT FROM expected THEN
        RAISE EXCEPTION 'licence balance changed concurrently: % of % lines drawn',
          drawn, expected USING ERRCODE = '40001';
      END IF;
      RETURN drawn;
    END $$""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION ledger_post_check(boolean, integer, integer)")
    with op.batch_alter_table("ledger_licence", schema=None) as batch_op:
        batch_op.drop_column("terms_version")
