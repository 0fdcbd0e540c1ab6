"""Settings read from the environment (prefix ``EXPORTCHECK_``), in one place."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(f"EXPORTCHECK_{name}", default)


def _default_data_dir() -> Path:
    return Path(_env("DATA_DIR") or user_data_dir("exportcheck", appauthor=False))


def _bad(name: str, raw: str, want: str) -> Exception:
    """The one-line error for an unusable setting, naming the variable and its value."""
    from exportcheck.errors import InvalidInput

    return InvalidInput(f"EXPORTCHECK_{name}={raw!r}: {want}")


def _env_int(name: str, default: int, *, at_least: int = 1) -> int:
    """An integer setting; unset or empty means ``default``."""
    raw = _env(name)
    if not raw or not raw.strip():
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _bad(name, raw, f"give a whole number (at least {at_least})") from None
    if value < at_least:
        raise _bad(name, raw, f"give a whole number of at least {at_least}")
    return value


def screening_recheck_seconds(default: float = 1.0) -> float:
    """How often (seconds) a long-running process asks the database whether the active lists
    or the dispositions changed (``EXPORTCHECK_SCREENING_RECHECK_SECONDS``, else ``default``;
    0 checks on every screen). Read on each screen, so no other settings work."""
    raw = _env("SCREENING_RECHECK_SECONDS")
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 86400:
        from exportcheck.errors import InvalidInput

        raise InvalidInput(f"EXPORTCHECK_SCREENING_RECHECK_SECONDS={raw!r}: give a number of "
                           "seconds between 0 and 86400")
    return value


#: the default threshold a Dask task was given by its client (:func:`client_threshold`)
_CLIENT_THRESHOLD: ContextVar[float | None] = ContextVar("client_threshold", default=None)


@contextmanager
def client_threshold(value: float | None) -> Iterator[None]:
    """Screen with ``value`` as the default threshold inside this block (this thread or task
    only): a Dask worker on another machine has its own environment, and must screen with the
    ``EXPORTCHECK_SCREENING_THRESHOLD`` of the client that started the run."""
    token = _CLIENT_THRESHOLD.set(value)
    try:
        yield
    finally:
        _CLIENT_THRESHOLD.reset(token)


def default_threshold() -> float:
    """``get_settings().screening_threshold`` without reading every other setting: screening
    asks for it on each name."""
    given = _CLIENT_THRESHOLD.get()
    if given is not None:
        return given
    raw = _env("SCREENING_THRESHOLD")
    if not raw or not raw.strip():
        return 85.0
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 100:  # also NaN
        raise _bad("SCREENING_THRESHOLD", raw, "give a score between 0 and 100")
    return value


#: bounds of an API token's lifetime in days. A token that never expires is a standing
#: credential: copied into a script, a CI secret or a log, it keeps working for whoever finds
#: it long after the job it was made for is gone. NIST SP 800-63B (its limits on how long an
#: authentication stays good before the subscriber must authenticate again) and OWASP's REST
#: Security and Secrets Management cheat sheets call for credentials with a bounded life that
#: are rotated; a year (366 days, a leap year's worth) is the longest we allow, so every token
#: is renewed at least yearly, and a day the shortest (lifetimes are counted in whole days).
MIN_TOKEN_DAYS = 1
MAX_TOKEN_DAYS = 366
#: the lifetime of a token created without ``--days`` / ``days``
DEFAULT_TOKEN_DAYS = 90


def token_days_problem(value: object) -> str | None:
    """Why ``value`` is no token lifetime in days (None when it is one): one sentence, for
    the CLI option, the REST field and the setting alike."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{value!r} is not a whole number of days"
    if not MIN_TOKEN_DAYS <= value <= MAX_TOKEN_DAYS:
        return (f"{value} is outside {MIN_TOKEN_DAYS}..{MAX_TOKEN_DAYS} days (a token must "
                "expire, and within a year)")
    return None


def default_token_days() -> int:
    """The lifetime of a new API token when none is given (``EXPORTCHECK_TOKEN_DAYS``, else
    :data:`DEFAULT_TOKEN_DAYS`), bounded as :data:`MAX_TOKEN_DAYS` says why. Read on each
    token created, so no other settings work."""
    raw = _env("TOKEN_DAYS")
    if not raw or not raw.strip():
        return DEFAULT_TOKEN_DAYS
    try:
        value: object = int(raw.strip())
    except ValueError:
        value = raw
    problem = token_days_problem(value)
    if problem is not None:
        raise _bad("TOKEN_DAYS", raw, f"{problem}: give a whole number of days from "
                   f"{MIN_TOKEN_DAYS} to {MAX_TOKEN_DAYS}")
    assert isinstance(value, int)
    return value


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)
    #: SQLAlchemy URL; defaults to a SQLite file in ``data_dir``.
    database_url: str | None = field(default_factory=lambda: _env("DATABASE_URL"))
    #: Directory of extra or replacement rule files layered over the bundled rule base.
    rules_dir: Path | None = field(
        default_factory=lambda: Path(p) if (p := _env("RULES_DIR")) else None
    )
    #: Default screening threshold (0-100).
    screening_threshold: float = field(default_factory=default_threshold)
    #: seconds between checks for list loads and dispositions made by other processes; a
    #: web worker then rebuilds its screening index in the background
    screening_recheck_seconds: float = field(default_factory=screening_recheck_seconds)

    #: the web service's session cookie is sent over HTTPS only (browsers treat
    #: http://localhost and 127.0.0.1 as secure, so local use works); "0" to allow plain HTTP
    cookie_secure: bool = field(
        default_factory=lambda: (_env("COOKIE_SECURE", "1") or "1").lower()
        not in ("0", "false", "no")
    )
    #: largest request body the web service accepts, in bytes (list uploads: ``max_upload_bytes``)
    max_body_bytes: int = field(
        default_factory=lambda: _env_int("MAX_BODY_BYTES", 8 * 1024 * 1024)
    )
    max_upload_bytes: int = field(
        default_factory=lambda: _env_int("MAX_UPLOAD_BYTES", 512 * 1024 * 1024)
    )
    #: addresses (or networks, comma-separated; "*" any) of reverse proxies whose
    #: X-Forwarded-For and X-Forwarded-Proto the web service believes, as uvicorn's
    #: ``--forwarded-allow-ips``; empty (the default): the TCP peer is the client. Behind a
    #: proxy, set it to the proxy's address: the sign-in limit counts failures per user name
    #: and client address, and every client would otherwise share the proxy's address.
    forwarded_allow_ips: str = field(
        default_factory=lambda: (_env("FORWARDED_ALLOW_IPS") or "").strip()
    )

    #: lifetime in days of an API token created without ``--days`` (1-366)
    token_days: int = field(default_factory=default_token_days)

    #: Dask scheduler address (``tcp://host:8786``) for screen-batch, batch and impact; unset:
    #: single process unless ``--dask`` or ``--scheduler`` is given
    dask_scheduler: str | None = field(default_factory=lambda: _env("DASK_SCHEDULER") or None)

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{self.data_dir / 'exportcheck.db'}"


def rules_dir() -> Path | None:
    """Just the rules directory: read on every determination, so no other settings work."""
    p = _env("RULES_DIR")
    return Path(p) if p else None


def get_settings() -> Settings:
    """Read afresh each call so tests can change the environment."""
    return Settings()
