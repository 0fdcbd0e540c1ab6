"""Shared database layer: one declarative ``Base``, engines, sessions and Alembic migrations.

Use: ``engine = get_engine(url)``; ``upgrade(engine)``; ``with session_factory(engine)() as s: ...``
(``write_session_factory`` for read-check-write transactions: ``BEGIN IMMEDIATE`` on SQLite).

Adding a migration (each concern owns an Alembic *branch* in ``db/migrations/versions``):
1. Define/alter ORM models on ``exportcheck.db.base.Base`` and make sure ``migrations/env.py``
   imports your models module.
2. First migration of a new concern: ``down_revision = None`` and ``branch_labels = ("name",)``
   (the ledger uses ``("ledger",)``, screening ``("screening",)``).
3. Later ones: ``down_revision = "<previous revision of your branch>"``; no branch_labels.
4. Write it by hand from ``script.py.mako`` (file ``<rev>_<slug>.py``) or autogenerate:
   ``alembic.command.revision(migrate.alembic_config(), autogenerate=True, head="name@head")``
   with ``cfg.attributes["engine"]`` set to an engine on an up-to-date scratch database.
5. Never edit a released migration; ``upgrade(engine)`` runs ``alembic upgrade heads``.
"""

from exportcheck.db.base import Base
from exportcheck.db.engine import get_engine, session_factory, write_session_factory
from exportcheck.db.migrate import upgrade

__all__ = ["Base", "get_engine", "session_factory", "upgrade", "write_session_factory"]
