"""QA review 25 of the web service, as an application-security reviewer probes it.

1. The sign-in limit was checked before the password and the failure recorded after it:
   guesses sent together all passed the check (40 concurrent wrong passwords for one name
   from one address were all answered 401, none 429), so the limit of 5 per address in 5
   minutes did not hold against a client that does not wait for its answers.
2. A list upload of two files with the same name (``ofac/sdn.csv`` and ``ofac_new/sdn.csv``,
   a folder's files chosen together) kept only the last: the first was overwritten in the
   scratch folder and the load answered "activated" without it, where ``exportcheck lists
   load`` refuses two releases of one list.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from exportcheck.accounts.service import MAX_ACCOUNT_FAILURES, MAX_FAILURES
from exportcheck.errors import NotAuthenticated, RateLimited
from tests.web.api_helpers import problem
from tests.web.conftest import Service
from tests.web.test_api_accounts import PASSWORD, browser, sign_in

GUESSES = 16


def _guess_together(service: Service, name: str, client: str, guesses: int) -> list[str]:
    """``guesses`` wrong passwords for ``name`` sent at the same moment from ``client``,
    then more in turn until one is paused: how each was answered ("checked" or "paused")."""
    start = threading.Barrier(guesses)

    def together(_: int) -> str:
        start.wait()
        return guess(service, name, client)

    with ThreadPoolExecutor(guesses) as pool:
        answers = list(pool.map(together, range(guesses)))
    # then in turn until paused: under a burst fewer may have been checked, never more
    while answers[-1] != "paused":
        answers.append(guess(service, name, client))
    return answers


def guess(service: Service, name: str, client: str) -> str:
    """One wrong password: "checked" (401) or "paused" (429)."""
    try:
        service.accounts.login(name, "wrong-password-guess", client=client)
    except RateLimited:
        return "paused"
    except NotAuthenticated:
        return "checked"
    return "signed in"


def test_guesses_sent_together_are_limited_like_guesses_in_turn(service: Service) -> None:
    service.accounts.add_user("burst", "viewer", PASSWORD, actor="test")
    answers = _guess_together(service, "burst", "203.0.113.90", GUESSES)
    assert answers.count("checked") == MAX_FAILURES, answers
    # the right password from that address is now refused unchecked, from another it works
    b = browser(service, "203.0.113.90")
    assert sign_in(b, "burst", PASSWORD).status_code == 429
    b.close()
    other = browser(service, "203.0.113.91")
    assert sign_in(other, "burst", PASSWORD).status_code == 303
    other.close()


def test_guesses_sent_together_from_many_addresses_stop_at_the_account_limit(
        service: Service) -> None:
    """Each address adds at most MAX_FAILURES; a refused guess adds nothing."""
    service.accounts.add_user("burst-spread", "viewer", PASSWORD, actor="test")
    checked = 0
    for n in range(MAX_ACCOUNT_FAILURES // MAX_FAILURES + 1):
        answers = _guess_together(service, "burst-spread", f"198.51.100.{n}", MAX_FAILURES + 3)
        checked += answers.count("checked")
    assert checked == MAX_ACCOUNT_FAILURES
    b = browser(service, "198.51.100.250")
    assert sign_in(b, "burst-spread", PASSWORD).status_code == 429
    b.close()


def test_a_right_password_leaves_no_failure_behind(service: Service) -> None:
    """Signing in must not count against the account (it reserves a place while Argon2
    runs, then gives it back)."""
    service.accounts.add_user("often", "viewer", PASSWORD, actor="test")
    for _ in range(MAX_ACCOUNT_FAILURES + 2):
        service.accounts.login("often", PASSWORD, client="203.0.113.92")
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(NotAuthenticated):  # checked, not paused (RateLimited)
            service.accounts.login("often", "wrong-password-guess", client="203.0.113.92")
    assert service.accounts.login("often", PASSWORD, client="203.0.113.92").name == "often"


def _sdn_csv(*entries: tuple[int, str]) -> bytes:
    """OFAC's legacy sdn.csv (no header, "-0- " for empty fields)."""
    empty = ',"-0- "' * 8
    return "".join(f'{n},"{name}","-0- ","SDGT"{empty}\r\n' for n, name in entries).encode()


def test_two_uploads_of_one_file_name_are_refused_not_merged(service: Service) -> None:
    c, h = service.client, service.auth("admin")
    before = c.get("/api/v1/lists", headers=h, params={"all": True}).json()
    old = _sdn_csv((900001, "OLD RELEASE TRADING LTD"))
    new = _sdn_csv((900002, "NEW RELEASE TRADING LTD"))
    r = c.post("/api/v1/lists/load", headers=h, data={"force": "true"},
               files=[("files", ("ofac/sdn.csv", old)), ("files", ("ofac_new/sdn.csv", new))])
    body = problem(r, 422)
    assert "sdn.csv" in body["detail"] and "one release at a time" in body["detail"], body["detail"]
    assert c.get("/api/v1/lists", headers=h, params={"all": True}).json() == before
