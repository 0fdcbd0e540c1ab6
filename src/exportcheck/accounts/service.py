"""The accounts API: users, password checks with a rate limit, tokens and sessions.

Every change to an account is written to the audit trail in the same transaction, attributed
to the user who made it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from exportcheck.accounts.models import (
    TOKEN_LABEL_MAX,
    ApiToken,
    LoginFailure,
    User,
    WebSession,
    now,
)
from exportcheck.accounts.tokens import ROLES, TokenOut, acting_role, status, token_lifetime
from exportcheck.db import get_engine, session_factory, upgrade, write_session_factory
from exportcheck.db.base import as_utc
from exportcheck.errors import (
    Conflict,
    ExportCheckError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    RateLimited,
)
from exportcheck.plaintext import refuse_control

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 12
#: failed sign-ins allowed for one user name from one client address within the window
MAX_FAILURES = 5
#: failed sign-ins allowed for one user name from all addresses together within the window:
#: guessing spread over many addresses. Higher than MAX_FAILURES, and an address that reached
#: MAX_FAILURES adds no more, so one stranger cannot lock an account for everybody else.
#: Failures are never counted per address alone: made-up names lock nobody out.
MAX_ACCOUNT_FAILURES = 20
FAILURE_WINDOW = dt.timedelta(minutes=5)
SESSION_LIFETIME = dt.timedelta(hours=12)
#: how long a server process may reuse a token lookup (revocations made elsewhere take this long)
TOKEN_CACHE_SECONDS = 5.0
TOKEN_PREFIX = "ect_"
#: how the audit trail names a failed sign-in's author: not the user whose name was typed
FAILED_SIGN_IN_ACTOR = "anonymous"
_hasher = PasswordHasher()


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def role_allows(role: str, needed: str) -> bool:
    return ROLES.index(role) >= ROLES.index(needed)


def check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    return role


class UserExists(Conflict, InvalidInput):
    """A user name is taken: a well-formed request the service's state refuses (HTTP 409);
    still an :class:`InvalidInput` for callers of the Python API."""


def _taken(same: str, name: str) -> UserExists:
    return UserExists(f"user {same!r} already exists" + (
        "" if same == name else f" (user names are unique ignoring case, so {name!r} is taken)"))


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"password too short: at least {MIN_PASSWORD} characters")
    if password.strip() != password or not password.isprintable():
        raise InvalidInput("password must not start or end with spaces or contain control "
                           "characters (check --password-stdin input)")
    return password


class LastAdmin(ExportCheckError):
    """A change that would leave no active admin (HTTP 409)."""

    code = "last_admin"


@dataclass(frozen=True)
class Principal:
    """Who is making a request, and how they proved it."""

    user_id: int
    name: str
    role: str
    via: str  # "session" | "token:<id>" | "local"
    csrf_token: str | None = None

    def allows(self, needed: str) -> bool:
        return role_allows(self.role, needed)

    @property
    def actor(self) -> str:
        """How the audit trail names this user's writes."""
        return self.name if self.via in ("session", "local") else f"{self.name} ({self.via})"


class UserOut(BaseModel):
    id: int
    name: str
    role: str
    disabled: bool
    created_at: dt.datetime


def _user_out(u: User) -> UserOut:
    return UserOut(id=u.id, name=u.name, role=u.role, disabled=u.disabled,
                   created_at=as_utc(u.created_at))


def _audit(s: Session, kind: str, actor: str, payload: dict) -> None:
    from exportcheck.ledger.audit import append_event

    append_event(s, kind=kind, actor=actor, payload=payload)


class Accounts:
    """Users, tokens and sessions on one database (the same one as the ledger)."""

    def __init__(self, database_url: str | None = None) -> None:
        self.engine = get_engine(database_url)
        upgrade(self.engine)
        self._read = session_factory(self.engine)
        self._write = write_session_factory(self.engine)
        #: token hash -> (valid until, the token's expiry, principal or None), see
        #: token_principal
        self._token_cache: dict[str, tuple[float, dt.datetime | None, Principal | None]] = {}

    # -- users --------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password: str, *, actor: str) -> UserOut:
        name = name.strip()
        if not _NAME.match(name):
            raise InvalidInput(f"user name {name!r}: use 1-64 letters, digits, '.', '_', '@' "
                               "or '-', starting with a letter or digit")
        role = check_role(role)
        hashed = _hasher.hash(check_password(password))
        try:
            with self._write() as s, s.begin():
                same = s.scalar(select(User.name).where(func.lower(User.name) == name.lower()))
                if same is not None:  # 'Olivia' beside 'olivia': two audit actors alike
                    raise _taken(same, name)
                user = User(name=name, role=role, password_hash=hashed, disabled=False)
                s.add(user)
                s.flush()
                _audit(s, "account.user_added", actor, {"user": name, "role": role})
                return _user_out(user)
        except IntegrityError:
            # another process added the name (or its other-case twin) since the check above;
            # the unique index on lower(name) refused this one and nothing was written
            with self._read() as s:
                same = s.scalar(select(User.name).where(func.lower(User.name) == name.lower()))
            raise _taken(same or name, name) from None

    def list_users(self) -> list[UserOut]:
        with self._read() as s:
            return [_user_out(u) for u in s.scalars(select(User).order_by(User.id))]

    def get_user(self, name: str) -> UserOut:
        with self._read() as s:
            return _user_out(self._find(s, name))

    def _find(self, s: Session, name: str) -> User:
        user = self._lookup(s, name)
        if user is None:
            raise NotFound(f"no user {name!r} (see `exportcheck users list`)")
        return user

    def update_user(self, name: str, *, actor: str, role: str | None = None,
                    password: str | None = None, disabled: bool | None = None) -> UserOut:
        """Change a user's role, password or disabled flag. Disabling ends their sessions and
        revokes their active tokens (audited, one ``account.token_revoked`` per token), so
        re-enabling them later brings back neither: whoever re-enables a user hands out new
        credentials knowingly. A new password ends the sessions (people) but keeps the tokens
        (machines, whose owner's password is not what they authenticate with); revoke a
        token on its own when it may have leaked. Demoting a user lowers what their tokens
        may do at once (a token never acts above its owner's current role)."""
        self._token_cache.clear()
        with self._write() as s, s.begin():
            if role is not None or disabled:
                # lock the active admins (in id order: two admins demoting each other wait
                # rather than deadlock), so that two changes cannot each leave the other last
                s.execute(select(User.id).where(User.role == "admin", User.disabled.is_(False))
                          .order_by(User.id).with_for_update())
            user = self._find(s, name)
            was_admin = user.role == "admin" and not user.disabled
            changes: dict[str, object] = {}
            if role is not None:
                user.role = changes["role"] = check_role(role)
            if password is not None:
                user.password_hash = _hasher.hash(check_password(password))
                changes["password"] = "changed"
            if disabled is not None:
                user.disabled = changes["disabled"] = disabled
            if not changes:
                raise InvalidInput("nothing to change: give a role, a password or disabled")
            if was_admin and (user.role != "admin" or user.disabled):
                self._keep_an_admin(s, user)
            if password is not None or disabled:
                s.execute(delete(WebSession).where(WebSession.user_id == user.id))
            _audit(s, "account.user_changed", actor, {"user": user.name, **changes})
            if disabled:
                self._revoke_all(s, user, actor)
            out = _user_out(user)
        self._token_cache.clear()  # again after the commit: a lookup in between saw the old row
        return out

    @staticmethod
    def _revoke_all(s: Session, user: User, actor: str) -> None:
        """Revoke every active token of a user being disabled, each audited as a revocation
        by hand is, with the reason. Expired ones are left as they are: they act no more."""
        at = now()
        ids = s.scalars(select(ApiToken.id).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > at).order_by(ApiToken.id).with_for_update()).all()
        if not ids:
            return
        s.execute(update(ApiToken).where(ApiToken.id.in_(ids), ApiToken.revoked_at.is_(None))
                  .values(revoked_at=at))
        for token_id in ids:
            _audit(s, "account.token_revoked", actor,
                   {"user": user.name, "token_id": token_id, "reason": "user disabled"})

    @staticmethod
    def _keep_an_admin(s: Session, user: User) -> None:
        """Refuse to disable or demote the last active admin: nobody could then manage users,
        tokens or lists from the web service."""
        others = s.scalar(select(func.count()).select_from(User).where(
            User.role == "admin", User.disabled.is_(False), User.id != user.id))
        if not others:
            raise LastAdmin(f"{user.name} is the last active admin: make another user admin "
                            "first, then change this one")

    # -- passwords and the login rate limit ---------------------------------------------
    def login(self, name: str, password: str, *, client: str = "") -> Principal:
        """Check a password. After :data:`MAX_FAILURES` failures for this user name from this
        client address, or :data:`MAX_ACCOUNT_FAILURES` from all addresses, within
        :data:`FAILURE_WINDOW`, refuse without checking (slow, synchronous: Argon2)."""
        account = name.strip().lower()[:64]
        keys = [f"pair:{account}|{client[:100]}", f"account:{account}"]
        cutoff = now() - FAILURE_WINDOW
        reserved = self._reserve_attempt(keys, name, cutoff)
        with self._read() as s:
            user = self._lookup(s, name)
        ok = False
        if user is not None and user.password_hash and not user.disabled:
            try:
                ok = _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            _hasher.hash(password or "x")  # same cost whether or not the user exists
        if not ok:  # the reserved places stay, as this failure
            if user is not None:
                self._audit_failure(user, client)
            raise NotAuthenticated("wrong user name or password")
        with self._write() as s, s.begin():
            # this address may try afresh; the account-wide count keeps earlier failures
            s.execute(delete(LoginFailure).where(
                (LoginFailure.key == keys[0]) | LoginFailure.id.in_(reserved)))
        assert user is not None
        return Principal(user.id, user.name, user.role, "local")

    def _audit_failure(self, user: User, client: str) -> None:
        """Record a failed sign-in to an existing user, so an auditor sees guessing at an
        account and from where. Names nobody has write nothing: they are never paused, so
        they could fill the trail; the sign-in limit bounds the rest (at most
        :data:`MAX_ACCOUNT_FAILURES` per user name in :data:`FAILURE_WINDOW`). Nobody
        signed in, so the entry is not written as the user's act."""
        with self._write() as s, s.begin():
            _audit(s, "account.login_failed", FAILED_SIGN_IN_ACTOR,
                   {"user": user.name, "client": client[:100],
                    "reason": "user disabled" if user.disabled else "wrong password"})

    def _reserve_attempt(self, keys: list[str], name: str, cutoff: dt.datetime) -> list[int]:
        """Count this attempt as a failure before the password is checked, then refuse it if
        that puts a key over its limit: counted only after Argon2 (~0.1 s), guesses sent
        together all passed the limit before any was recorded. Each attempt commits its rows
        before counting, so the k-th to commit sees at least k and no more than the limit
        pass, on any database. A refused attempt takes its rows back (it adds nothing: one
        address cannot lock the account for everybody). Returns the rows' ids."""
        with self._write() as s, s.begin():
            s.execute(delete(LoginFailure).where(LoginFailure.at < cutoff))
            rows = [LoginFailure(key=key) for key in keys]
            s.add_all(rows)
            s.flush()
            reserved = [row.id for row in rows]
        with self._read() as s:
            for key, limit in zip(keys, (MAX_FAILURES, MAX_ACCOUNT_FAILURES), strict=True):
                count, first = s.execute(select(func.count(), func.min(LoginFailure.at)).where(
                    LoginFailure.key == key, LoginFailure.at >= cutoff,
                    LoginFailure.id.not_in(reserved))).one()
                if count < limit:
                    continue
                with self._write() as w, w.begin():
                    w.execute(delete(LoginFailure).where(LoginFailure.id.in_(reserved)))
                wait = max(1, int((as_utc(first) + FAILURE_WINDOW - now()).total_seconds()))
                where = "from this address" if key.startswith("pair:") else "from several addresses"
                raise RateLimited(
                    f"sign-in as {name.strip()[:64]!r} is paused after {count} failed "
                    f"attempts {where} in {FAILURE_WINDOW.seconds // 60} minutes: try "
                    f"again in {wait} seconds", retry_after=wait + 1)
        return reserved

    @staticmethod
    def _lookup(s: Session, name: str) -> User | None:
        """The user called ``name``, ignoring case when no name matches exactly (names are
        unique ignoring case; older databases may hold two that differ only in case)."""
        name = name.strip()
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            found = s.scalars(select(User).where(func.lower(User.name) == name.lower())
                              .limit(2)).all()
            user = found[0] if len(found) == 1 else None
        return user

    # -- browser sessions ---------------------------------------------------------------
    def start_session(self, principal: Principal) -> tuple[str, str]:
        """A new session for a logged-in user: ``(session secret for the cookie, csrf token)``."""
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._write() as s, s.begin():
            s.execute(delete(WebSession).where(WebSession.expires_at < now()))
            s.add(WebSession(user_id=principal.user_id, session_hash=digest(secret),
                             csrf_token=csrf, expires_at=now() + SESSION_LIFETIME))
            _audit(s, "account.login", principal.name, {"user": principal.name})
        return secret, csrf

    def session_principal(self, secret: str) -> Principal | None:
        with self._read() as s:
            row = s.execute(select(WebSession, User).join(User, User.id == WebSession.user_id)
                            .where(WebSession.session_hash == digest(secret))).first()
        if row is None:
            return None
        sess, user = row
        if user.disabled or as_utc(sess.expires_at) < now():
            return None
        return Principal(user.id, user.name, user.role, "session", sess.csrf_token)

    def end_session(self, secret: str) -> None:
        with self._write() as s, s.begin():
            s.execute(delete(WebSession).where(WebSession.session_hash == digest(secret)))

    # -- API tokens ---------------------------------------------------------------------
    def create_token(self, user: str, *, label: str = "", days: int | None = None,
                     role: str | None = None, actor: str) -> tuple[TokenOut, str]:
        """A new token for ``user``; the secret is returned once and only its hash is kept.

        It expires after ``days`` (default: ``EXPORTCHECK_TOKEN_DAYS``, else 90; 1 to 366)
        and acts with at most ``role`` (default: no limit, its owner's role at each use); a
        role above the owner's is refused rather than quietly lowered."""
        lifetime = token_lifetime(days)
        limit = check_role(role) if role is not None else None
        # as REST refuses them: a longer label was cut to 120 characters without a word
        label = refuse_control(label.strip(), "label", TOKEN_LABEL_MAX)
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self._write() as s, s.begin():
            owner = self._find(s, user)
            # locked, so that a concurrent disabling (which revokes the user's tokens) either
            # sees this token or is seen here: never a token left unrevoked for a disabled user
            s.refresh(owner, with_for_update=True)
            if owner.disabled:
                raise InvalidInput(f"user {owner.name!r} is disabled")
            if limit is not None and not role_allows(owner.role, limit):
                raise InvalidInput(f"role: {owner.name} is {owner.role}, so their token cannot "
                                   f"act as {limit} (a token acts with at most its owner's "
                                   "role)", field="role")
            created = now()
            tok = ApiToken(user_id=owner.id, label=label, prefix=secret[:10],
                           token_hash=digest(secret), created_at=created,
                           expires_at=created + lifetime, role=limit)
            s.add(tok)
            s.flush()
            _audit(s, "account.token_created", actor,
                   {"user": owner.name, "token_id": tok.id, "label": tok.label,
                    "days": lifetime.days, "expires_at": tok.expires_at.isoformat(),
                    "role": limit})
            return self._token_out(tok, owner), secret

    def list_tokens(self, user: str | None = None) -> list[TokenOut]:
        with self._read() as s:
            stmt = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
            if user:
                # found as everywhere else, ignoring case; an unknown name is an error, not
                # "holds no token" (checked before disabling someone, say)
                stmt = stmt.where(User.id == self._find(s, user).id)
            return [self._token_out(t, u) for t, u in s.execute(stmt.order_by(ApiToken.id))]

    def revoke_token(self, token_id: int, *, actor: str) -> tuple[TokenOut, bool]:
        """End a token; returns it and whether this call revoked it (False: it already was,
        at its ``revoked_at``, and nothing is written or audited again)."""
        self._token_cache.clear()
        with self._write() as s, s.begin():
            row = s.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                            .where(ApiToken.id == token_id)).first()
            if row is None:
                raise NotFound(f"no token #{token_id} (see `exportcheck tokens list`)")
            tok, owner = row
            revoked_now = tok.revoked_at is None
            if revoked_now:
                s.execute(update(ApiToken).where(ApiToken.id == tok.id)
                          .values(revoked_at=now()))
                _audit(s, "account.token_revoked", actor,
                       {"user": owner.name, "token_id": tok.id})
            s.flush()
            s.refresh(tok)
            out = self._token_out(tok, owner)
        self._token_cache.clear()  # again after the commit: a lookup in between saw the old row
        return out, revoked_now

    def token_principal(self, secret: str) -> Principal | None:
        """The user a token acts for, with the role it acts with (its limit, never above the
        owner's current role), or None (unknown, revoked, expired, user disabled).

        Answers are kept for :data:`TOKEN_CACHE_SECONDS` per process (the lookup was half the
        cost of a screening request); a revocation or a user change made through this object
        clears them at once, other processes see it within that time. The token's expiry is
        kept with the answer and checked on every use: a cached token stops at its expiry,
        not up to that many seconds later."""
        key = digest(secret)
        hit = self._token_cache.get(key)
        if hit is not None and hit[0] > time.monotonic():
            until, principal = hit[1], hit[2]
            return principal if until is None or now() < until else None
        with self.engine.connect() as conn:
            row = conn.execute(select(ApiToken.id, ApiToken.revoked_at, ApiToken.expires_at,
                                      ApiToken.role, User.id, User.name, User.role,
                                      User.disabled)
                               .join(User, User.id == ApiToken.user_id)
                               .where(ApiToken.token_hash == key)).first()
        principal, until = None, None
        if row is not None:
            token_id, revoked, expires, limit, user_id, name, owner_role, disabled = row
            until = as_utc(expires)
            if revoked is None and not disabled and now() < until:
                principal = Principal(user_id, name, acting_role(limit, owner_role),
                                      f"token:{token_id}")
        if len(self._token_cache) > 10_000:
            self._token_cache.clear()
        self._token_cache[key] = (time.monotonic() + TOKEN_CACHE_SECONDS, until, principal)
        return principal

    @staticmethod
    def _token_out(t: ApiToken, owner: User) -> TokenOut:
        revoked = as_utc(t.revoked_at) if t.revoked_at else None
        expires = as_utc(t.expires_at)
        return TokenOut(id=t.id, user=owner.name, label=t.label, prefix=t.prefix,
                        created_at=as_utc(t.created_at), revoked_at=revoked, expires_at=expires,
                        role=t.role, status=status(revoked, expires, now()))
