"""API tokens on the command line and in the database: ``tokens create --days/--role``, the
listing's expiry, status and role, a cached token stopping at its expiry, and the upgrade of a
database holding tokens made before tokens expired (accounts_0003)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic import command

from exportcheck.accounts import Accounts
from exportcheck.accounts import service as account_service
from exportcheck.accounts.service import digest
from exportcheck.db.migrate import alembic_config, upgrade
from exportcheck.ledger.api import Ledger

PASSWORD = "a long enough password"
CLI = Callable[[list[str]], tuple[int, str, str]]
_TS = sa.DateTime(timezone=True)
#: accounts_tokens as accounts_0002 left it (no expiry, no role)
OLD_TOKENS = sa.table("accounts_tokens", sa.column("user_id"), sa.column("label"),
                      sa.column("prefix"), sa.column("token_hash"), sa.column("created_at", _TS),
                      sa.column("revoked_at", _TS))


def _utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_a_cached_token_stops_at_its_expiry_not_a_cache_window_later(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    acc = Accounts(f"sqlite:///{tmp_path / 'acc.db'}")
    acc.add_user("erp", "officer", PASSWORD, actor="test")
    token, secret = acc.create_token("erp", days=1, actor="test")
    clock = [1000.0]  # the cache's clock stands still: the entry stays fresh
    monkeypatch.setattr(account_service, "time", SimpleNamespace(monotonic=lambda: clock[0]))
    assert acc.token_principal(secret).name == "erp"
    at = token.expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(account_service, "now", lambda: at)
    assert acc.token_principal(secret) is None  # from the cached entry, at its expiry


# -- CLI ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("days", "message"), [
    ("0", "--days: 0 is outside 1..366 days"), ("-3", "--days: -3 is outside 1..366 days"),
    ("367", "--days: 367 is outside 1..366 days"), ("abc", "--days: 'abc' is not a whole"),
    ("1.5", "--days: '1.5' is not a whole"), ("", "--days: '' is not a whole"),
])
def test_cli_bad_days_is_one_clear_error_and_stores_nothing(cli: CLI, days: str,
                                                            message: str) -> None:
    Accounts().add_user("nora", "officer", PASSWORD, actor="test")
    code, out, err = cli(["tokens", "create", "nora", "--days", days])
    assert code == 2 and message in err, (out, err)
    assert Accounts().list_tokens() == []


def test_cli_creates_a_limited_token_and_lists_its_expiry_status_and_role(cli: CLI) -> None:
    acc = Accounts()
    acc.add_user("olga", "officer", PASSWORD, actor="test")
    code, _, err = cli(["tokens", "create", "olga", "--role", "admin"])
    assert code == 2 and "olga is officer, so their token cannot act as admin" in err
    code, out, err = cli(["tokens", "create", "olga", "--days", "7", "--role", "viewer"])
    assert code == 0, err
    assert "acts as at most viewer, expires" in err
    assert acc.token_principal(out.strip()).role == "viewer"
    code, out, err = cli(["tokens", "list", "--json"])
    [listed] = json.loads(out)
    assert (listed["role"], listed["status"]) == ("viewer", "active")
    assert _utc(listed["expires_at"]) - _utc(listed["created_at"]) == dt.timedelta(days=7)
    code, out, _ = cli(["tokens", "list"])
    assert "viewer" in out and "active" in out and listed["expires_at"][:10] in out
    cli(["users", "set", "olga", "--disable"])
    cli(["users", "set", "olga", "--enable"])
    code, out, _ = cli(["tokens", "list", "--json"])
    assert json.loads(out)[0]["status"] == "revoked"
    kinds = [e.kind for e in Ledger().audit_entries(limit=10, newest_first=False)[0]]
    assert kinds == ["account.user_added", "account.token_created", "account.user_changed",
                     "account.token_revoked", "account.user_changed"]


# -- the migration --------------------------------------------------------------------------
@pytest.mark.empty_db
def test_upgrade_gives_old_tokens_an_expiry_and_revokes_those_of_disabled_users(
        db_url: str) -> None:
    engine = sa.create_engine(db_url)
    cfg = alembic_config()
    cfg.attributes["engine"] = engine
    command.upgrade(cfg, "accounts_0002")  # tokens without expiry or scope
    with engine.begin() as conn:
        for name, disabled in (("pat", False), ("quinn", True)):
            conn.execute(sa.text(
                "INSERT INTO accounts_users (name, role, password_hash, created_at, disabled) "
                "VALUES (:n, 'officer', NULL, CURRENT_TIMESTAMP, :d)"), {"n": name, "d": disabled})
        for user, secret, revoked in ((1, "ect_pat-erp", None), (2, "ect_quinn-ci", None),
                                      (1, "ect_pat-old", dt.datetime(2025, 1, 1, tzinfo=dt.UTC))):
            conn.execute(sa.insert(OLD_TOKENS).values(
                user_id=user, label=secret, prefix=secret[:10], token_hash=digest(secret),
                created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), revoked_at=revoked))
    before = dt.datetime.now(dt.UTC)
    upgrade(engine)
    after = dt.datetime.now(dt.UTC)
    engine.dispose()

    acc = Accounts(db_url)
    tokens = {t.label: t for t in acc.list_tokens()}
    for t in tokens.values():  # from the upgrade on, not from their creation in 2024
        assert before + dt.timedelta(days=90) <= t.expires_at <= after + dt.timedelta(days=90)
        assert t.role is None
    assert {label: t.status for label, t in tokens.items()} == {
        "ect_pat-erp": "active", "ect_quinn-ci": "revoked", "ect_pat-old": "revoked"}
    assert tokens["ect_pat-old"].revoked_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    assert acc.token_principal("ect_pat-erp").role == "officer"
    acc.update_user("quinn", disabled=False, actor="test")
    assert acc.token_principal("ect_quinn-ci") is None
