"""A web service on its own SQLite database: the sample lists loaded, the Hong Kong DSP-5
licences seeded, and one user (with a password and an API token) per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from exportcheck.accounts import ROLES, Accounts
from exportcheck.db import get_engine
from exportcheck.db.engine import dispose_engines
from exportcheck.ledger.api import Ledger
from exportcheck.ledger.seed import seed
from exportcheck.screen import store
from exportcheck.screen.service import SAMPLES_DIR, reset_default_screener


@dataclass
class Service:
    database_url: str
    data_dir: Path
    app: FastAPI
    client: TestClient
    accounts: Accounts
    #: role -> API token secret of that role's user (user name == role)
    tokens: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def password(role: str) -> str:
        return f"{role}-password-for-tests"

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def prepare_database(url: str) -> dict[str, str]:
    """Sample lists, the seeded licences, and a user per role; returns role -> token."""
    store.load_lists([SAMPLES_DIR], engine=get_engine(url), user="test-setup")
    seed(Ledger(url))
    acc = Accounts(url)
    tokens = {}
    for role in ROLES:
        acc.add_user(role, role, Service.password(role), actor="test-setup")
        tokens[role] = acc.create_token(role, label="tests", actor="test-setup")[1]
    return tokens


def start_service(folder: Path, url: str | None = None) -> tuple[Service, pytest.MonkeyPatch]:
    """The app on ``url`` (default: a SQLite file in ``folder``), prepared as above."""
    from exportcheck.web.app import create_app

    url = url or f"sqlite:///{folder / 'web.db'}"
    mp = pytest.MonkeyPatch()
    mp.setenv("EXPORTCHECK_DATABASE_URL", url)
    mp.setenv("EXPORTCHECK_DATA_DIR", str(folder / "data"))
    reset_default_screener()
    tokens = prepare_database(url)
    acc = Accounts(url)
    app = create_app()
    client = TestClient(app, base_url="https://testserver")
    client.__enter__()
    return Service(url, folder / "data", app, client, acc, tokens), mp


def stop_service(service: Service, mp: pytest.MonkeyPatch) -> None:
    service.client.__exit__(None, None, None)
    reset_default_screener()
    dispose_engines()
    mp.undo()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    svc, mp = start_service(tmp_path_factory.mktemp("web"))
    try:
        yield svc
    finally:
        stop_service(svc, mp)


@pytest.fixture
def own(tmp_path: Path) -> Iterator[Service]:
    """A service of the test's own, for a test that alters its database (drops a trigger)."""
    svc, mp = start_service(tmp_path)
    try:
        yield svc
    finally:
        stop_service(svc, mp)


@pytest.fixture(autouse=True)
def _service_env(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """The root conftest points every test at a fresh data dir; web tests share the module's
    service database instead."""
    if "service" in request.fixturenames:
        svc: Service = request.getfixturevalue("service")
        monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", svc.database_url)
        monkeypatch.setenv("EXPORTCHECK_DATA_DIR", str(svc.data_dir))


@pytest.fixture
def officer_page(service: Service) -> Iterator[TestClient]:
    """A browser signed in as the officer, from an address of its own (sign-in limits count
    per account and address)."""
    from tests.web.test_api_accounts import browser, sign_in

    b = browser(service, "203.0.113.40")
    assert sign_in(b, "officer", service.password("officer")).status_code == 303
    yield b
    b.close()
