"""Accounts for the web service: users with a role, API tokens, browser sessions.

Roles are ordered: ``viewer`` reads; ``officer`` also checks, screens, records dispositions,
registers licences and ships; ``admin`` also manages users, tokens and lists. There is no
default account: the first admin is created with ``exportcheck users add NAME --role admin
--password-stdin``.
"""

from exportcheck.accounts.service import ROLES, Accounts, Principal, TokenOut, UserOut

__all__ = ["ROLES", "Accounts", "Principal", "TokenOut", "UserOut"]
