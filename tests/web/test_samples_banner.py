"""The samples banner follows what the server screens with, not only what the database holds:
lists loaded from the CLI are active in the database tens of seconds before a web worker has
rebuilt its screener, and in between its answers still come from the bundled samples."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from jinja2 import Environment

from exportcheck.screen import service, store
from exportcheck.screen.service import SAMPLES_DIR, default_screener, reset_default_screener
from exportcheck.web.ui import _samples_in_use, templates


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", f"sqlite:///{tmp_path / 'banner.db'}")
    reset_default_screener()
    yield
    reset_default_screener()


def _banner(state: str | None) -> str:
    env: Environment = templates.env
    src = env.loader.get_source(env, "base.html")[0]
    start = src.index('{% if samples == "loading" %}')
    block = src[start: src.index("{% block content %}", start)]
    return env.from_string(block).render(samples=state, user=None).strip()


def test_banner_says_the_samples_answer_until_the_screener_is_rebuilt(fresh, monkeypatch):
    assert default_screener().is_samples
    assert _samples_in_use() == "samples"
    monkeypatch.setattr(service, "RECHECK_SECONDS", 3600.0)  # the rebuild has not happened yet
    # loaded by another process (the CLI): this one learns of it at its next check
    subprocess.run([sys.executable, "-m", "exportcheck", "lists", "load", str(SAMPLES_DIR)],
                   env=dict(os.environ), check=True, capture_output=True)
    assert store.has_active_lists()
    assert default_screener().is_samples
    assert _samples_in_use() == "loading"
    assert "still answers from the bundled" in _banner("loading")
    monkeypatch.setattr(service, "RECHECK_SECONDS", 0.0)
    assert not default_screener().is_samples  # rebuilt from the database
    assert _samples_in_use() is None
    assert _banner(None) == ""


def test_no_lists_loaded_is_the_plain_samples_banner(fresh):
    assert _samples_in_use() == "samples"  # before this process built any screener
    text = _banner("samples")
    assert "no official list is loaded" in text and "still answers" not in text
