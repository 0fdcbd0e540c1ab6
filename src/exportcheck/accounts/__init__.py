"""Accounts for the web service: users with a role, API tokens, browser sessions.

Roles are ordered: ``viewer`` reads; ``officer`` also checks, screens, records dispositions,
registers licences and ships; ``admin`` also manages users, tokens and lists. There is no
default account: the first admin is created with ``exportcheck users add NAME --role admin
--password-stdin``.

API tokens expire (``--days``, default ``EXPORTCHECK_TOKEN_DAYS`` or 90, at most 366) and may
be limited to a role below their owner's; disabling a user revokes their tokens.
"""

from exportcheck.accounts.service import Accounts, Principal, UserOut
from exportcheck.accounts.tokens import ROLES, TokenOut

__all__ = ["ROLES", "Accounts", "Principal", "TokenOut", "UserOut"]
