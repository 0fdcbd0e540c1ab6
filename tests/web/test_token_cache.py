"""Token lookups are cached per process for a few seconds: a revocation is immediate where it
is made and reaches other server processes within ``TOKEN_CACHE_SECONDS``."""

from __future__ import annotations

from types import SimpleNamespace

from exportcheck.accounts import Accounts, service


def test_revocation_elsewhere_is_seen_once_the_cache_expires(tmp_path, monkeypatch):
    # the cache's clock, moved by hand: a loaded machine (argon2 hashing, CI) takes its time
    now = [1000.0]
    monkeypatch.setattr(service, "time", SimpleNamespace(monotonic=lambda: now[0]))
    url = f"sqlite:///{tmp_path / 'acc.db'}"
    server, admin = Accounts(url), Accounts(url)  # two processes' worth of state
    admin.add_user("erp", "officer", "a long enough password", actor="test")
    token, secret = admin.create_token("erp", actor="test")
    assert server.token_principal(secret).name == "erp"
    admin.revoke_token(token.id, actor="test")
    assert admin.token_principal(secret) is None  # where it was revoked: at once
    assert server.token_principal(secret) is not None  # elsewhere: the cached answer...
    now[0] += service.TOKEN_CACHE_SECONDS - 0.01
    assert server.token_principal(secret) is not None  # ...for TOKEN_CACHE_SECONDS...
    now[0] += 0.02
    assert server.token_principal(secret) is None  # ...then no more


def test_revoking_in_the_same_process_takes_effect_at_once(tmp_path):
    acc = Accounts(f"sqlite:///{tmp_path / 'acc.db'}")
    acc.add_user("erp", "officer", "a long enough password", actor="test")
    _, secret = acc.create_token("erp", actor="test")
    assert acc.token_principal(secret) is not None
    acc.update_user("erp", disabled=True, actor="test")
    assert acc.token_principal(secret) is None
