"""Posting on cached licence terms: ``ledger_licence.terms_version`` and (PostgreSQL)
``ledger_post_check(terms_unchanged, drawn, expected)``.

A process may post on the licence terms its previous post left, without reading them again:
on PostgreSQL that post is ONE statement, run on its own as one transaction (see
``exportcheck.ledger.pgpost``). The statement states what it assumed: each drawn line's
balance (in the draw's ``WHERE``) and the licence's ``terms_version``, which triggers increment
on every other change of the licence's terms: a status event or a party added, changed or
deleted, a line's limits or classification changed, the licence's own dates, destination or
kind changed - by this code, by older code during a rolling upgrade, or by hand in SQL. The
licence row is locked ``FOR UPDATE NOWAIT`` with that version in its ``WHERE``: a change
committed meanwhile makes PostgreSQL re-check the newest row version, which no longer
matches. Any difference fails the statement (SQLSTATE 40001, or 55P03 for a licence locked by
another post) and nothing is written; the post then locks the licence, reads its terms and
checks again.
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

# what bumps a licence's terms_version (a draw changes only shipped_*: its balance is checked
# by the draw itself)
_BUMPED = {
    "ledger_licence_status": "INSERT OR UPDATE OR DELETE",
    "ledger_licence_party": "INSERT OR UPDATE OR DELETE",
    "ledger_licence_line": "INSERT OR DELETE OR UPDATE OF licence_id, line_no, classification, "
                           "unit_basis, unit, qty_milli, value_cents",
}


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
        op.execute("""CREATE FUNCTION ledger_terms_changed() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE ledger_licence SET terms_version = terms_version + 1
       WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.licence_id END,
                    CASE WHEN TG_OP <> 'DELETE' THEN NEW.licence_id END);
      RETURN NULL;
    END $$""")
        for table, events in _BUMPED.items():
            op.execute(f"CREATE TRIGGER {table}_terms AFTER {events} ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION ledger_terms_changed()")
        op.execute("""CREATE FUNCTION ledger_licence_terms() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.terms_version = OLD.terms_version AND (NEW.agency, NEW.number, NEW.kind,
          NEW.destination, NEW.valid_from, NEW.valid_to) IS DISTINCT FROM (OLD.agency,
          OLD.number, OLD.kind, OLD.destination, OLD.valid_from, OLD.valid_to) THEN
        NEW.terms_version := OLD.terms_version + 1;
      END IF;
      RETURN NEW;
    END $$""")
        op.execute("CREATE TRIGGER ledger_licence_terms BEFORE UPDATE ON ledger_licence "
                   "FOR EACH ROW EXECUTE FUNCTION ledger_licence_terms()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER ledger_licence_terms ON ledger_licence")
        op.execute("DROP FUNCTION ledger_licence_terms()")
        for table in _BUMPED:
            op.execute(f"DROP TRIGGER {table}_terms ON {table}")
        op.execute("DROP FUNCTION ledger_terms_changed()")
        op.execute("DROP FUNCTION ledger_post_check(boolean, integer, integer)")
    with op.batch_alter_table("ledger_licence", schema=None) as batch_op:
        batch_op.drop_column("terms_version")
