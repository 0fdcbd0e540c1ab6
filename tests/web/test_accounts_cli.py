"""``exportcheck users`` and ``exportcheck tokens``: no default password, tokens shown once."""

from __future__ import annotations

import io
import json

import pytest

from exportcheck.accounts import Accounts
from exportcheck.ledger.api import Ledger


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch):
    def feed(text: str) -> None:
        monkeypatch.setattr("sys.stdin", io.StringIO(text))
    return feed


def test_first_admin_from_stdin_then_a_token_printed_once_and_revoked(cli, stdin):
    assert Accounts().list_users() == []  # no default account exists
    stdin("a long enough password\n")
    code, out, err = cli(["users", "add", "alice", "--role", "admin", "--password-stdin"])
    assert code == 0, err
    assert "alice (admin) created" in out
    user = Accounts().login("alice", "a long enough password")
    assert user.role == "admin"

    code, out, err = cli(["tokens", "create", "alice", "--label", "ERP"])
    assert code == 0, err
    secret = out.strip()
    assert secret.startswith("ect_") and len(secret) > 40
    assert "not shown again" in err
    assert Accounts().token_principal(secret).name == "alice"

    code, out, _ = cli(["tokens", "list", "--json"])
    listed = json.loads(out)
    assert [t["label"] for t in listed] == ["ERP"]
    assert secret not in out and listed[0]["prefix"] == secret[:10]  # only a prefix is kept

    code, out, err = cli(["tokens", "revoke", str(listed[0]["id"])])
    assert code == 0, err
    assert Accounts().token_principal(secret) is None
    kinds = [e.kind for e in Ledger().audit_entries(limit=10, newest_first=False)[0]]
    assert kinds == ["account.user_added", "account.token_created", "account.token_revoked"]


@pytest.mark.parametrize(("args", "stdin_text", "message"), [
    (["users", "add", "bob", "--role", "admin", "--password-stdin"], "short\n",
     "password too short"),
    (["users", "add", "bob", "--role", "owner", "--password-stdin"], "a long enough password\n",
     "unknown role 'owner'"),
    (["users", "add", "bad name!", "--role", "viewer", "--password-stdin"],
     "a long enough password\n", "user name 'bad name!'"),
    (["users", "add", "bob", "--role", "viewer"], "", "--password-stdin"),
    (["tokens", "create", "nobody"], "", "no user 'nobody'"),
    (["tokens", "revoke", "99"], "", "no token #99"),
])
def test_bad_account_input_is_one_clear_error_and_stores_nothing(cli, stdin, args, stdin_text,
                                                                 message):
    stdin(stdin_text)
    code, out, err = cli(args)
    assert code == 2 and message in err, (out, err)
    assert Accounts().list_users() == []


def test_duplicate_user_is_refused(cli, stdin):
    stdin("a long enough password\n")
    assert cli(["users", "add", "carol", "--role", "viewer", "--password-stdin"])[0] == 0
    stdin("another long password\n")
    code, _, err = cli(["users", "add", "carol", "--role", "admin", "--password-stdin"])
    assert code == 2 and "already exists" in err
    assert [(u.name, u.role) for u in Accounts().list_users()] == [("carol", "viewer")]
