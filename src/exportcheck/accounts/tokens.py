"""The rules of an API token apart from storage: how long it lives, what role it acts with,
and what a listing calls its state.

A token expires (``settings.MAX_TOKEN_DAYS`` says why every one must) and may be limited to a
role below its owner's, so that a machine that only reads holds a credential that can only
read. The limit is a ceiling, never a grant: a token acts with the lower of its own role and
its owner's role *when it is used*, so demoting a user demotes their tokens with them.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from exportcheck.errors import InvalidInput
from exportcheck.settings import default_token_days, token_days_problem

#: ordered from least to most rights
ROLES: tuple[str, ...] = ("viewer", "officer", "admin")
TokenStatus = Literal["active", "expired", "revoked"]


class TokenOut(BaseModel):
    id: int
    user: str
    label: str
    prefix: str
    created_at: dt.datetime
    revoked_at: dt.datetime | None
    expires_at: dt.datetime = Field(description="after this (UTC) the token authenticates "
                                                "nobody")
    role: str | None = Field(description="the highest role the token acts with (never above "
                                         "its owner's current role); null: its owner's role")
    status: TokenStatus = Field(description="revoked, expired (and not revoked) or active")


def token_lifetime(days: int | None, *, name: str = "days") -> dt.timedelta:
    """The lifetime of a new token: ``days``, or the configured default when None. Refuses
    anything but a whole number of days in the allowed range, naming the field (``name``)."""
    if days is None:
        return dt.timedelta(days=default_token_days())
    _check_days(days, name)
    return dt.timedelta(days=days)


def _check_days(days: object, name: str) -> None:
    problem = token_days_problem(days)
    if problem is not None:
        raise InvalidInput(f"{name}: {problem}", field="days")


def parse_days(raw: str | None) -> int | None:
    """``--days`` as typed on the command line (None: not given), checked as the API checks it."""
    if raw is None:
        return None
    try:
        days = int(raw.strip())
    except ValueError:
        _check_days(raw, "--days")  # not a whole number: says so, naming the option
        raise
    _check_days(days, "--days")
    return days


def acting_role(token_role: str | None, owner_role: str) -> str:
    """The role a token acts with: its own limit, but never more than its owner has now."""
    if token_role is None:
        return owner_role
    if token_role not in ROLES:  # written by hand: grant the least, not the owner's all
        token_role = ROLES[0]
    return min(token_role, owner_role, key=ROLES.index)


def status(revoked_at: dt.datetime | None, expires_at: dt.datetime,
           at: dt.datetime) -> TokenStatus:
    """What a listing calls a token at ``at``: a revoked token stays "revoked" after it would
    have expired (the stronger fact, and the one an administrator did)."""
    if revoked_at is not None:
        return "revoked"
    return "expired" if expires_at <= at else "active"
