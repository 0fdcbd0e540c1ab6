"""The shipped password hashing: argon2id at RFC 9106's low-memory parameters.

The test session hashes with cheap argon2 parameters in its own process (tests/conftest.py),
so the shipped ones are read from a fresh interpreter, as a server starts."""

from __future__ import annotations

import json
import subprocess
import sys

from argon2 import PasswordHasher, Type

_PROBE = """
import json, sys
import sqlalchemy as sa
from exportcheck.accounts import service
from exportcheck.accounts.service import Accounts
url = "sqlite:///" + sys.argv[1]
accounts = Accounts(url)
accounts.add_user("olivia", "officer", "a long enough password", actor="test")
accounts.login("olivia", "a long enough password")
with sa.create_engine(url).connect() as c:
    stored = c.execute(sa.text("SELECT password_hash FROM accounts_users")).scalar()
h = service._hasher
print(json.dumps({"type": h.type.name, "time_cost": h.time_cost, "memory_cost": h.memory_cost,
                  "parallelism": h.parallelism, "stored": stored}))
"""


def test_the_shipped_hasher_is_argon2id_at_rfc_9106_low_memory(tmp_path) -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE, str(tmp_path / "a.db")],
                         capture_output=True, text=True, check=True).stdout
    got = json.loads(out)
    assert got["type"] == Type.ID.name
    assert (got["time_cost"], got["memory_cost"], got["parallelism"]) >= (3, 65536, 4), got
    assert got["stored"].startswith("$argon2id$v=19$m=65536,t=3,p=4$"), got["stored"]


def test_a_hash_made_with_cheap_parameters_still_verifies_with_the_shipped_ones() -> None:
    # the parameters travel in the hash: a database prepared by the tests' cheap hasher
    # signs in on a server that hashes with the shipped parameters
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("pw-for-tests")
    assert PasswordHasher().verify(cheap, "pw-for-tests")
