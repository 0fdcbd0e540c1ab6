"""The default screener follows the database: a disposition or a list load made by another
process (another server worker, the CLI) is used within ``RECHECK_SECONDS``."""

from __future__ import annotations

import os
import subprocess
import sys

from exportcheck.screen import service, store
from exportcheck.screen.service import SAMPLES_DIR, default_screener, reset_default_screener


def test_a_disposition_made_by_another_process_is_honoured(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    monkeypatch.setenv("EXPORTCHECK_DATABASE_URL", url)
    reset_default_screener()
    try:
        store.load_lists([SAMPLES_DIR], user="test")
        before = default_screener()
        hit = before.screen("Carrie Lam")[0]
        assert hit.list == "SDN"
        env = {**os.environ, "EXPORTCHECK_DATABASE_URL": url}
        subprocess.run([sys.executable, "-m", "exportcheck", "dispositions", "add",
                        "--party", "Carrie Lam", "--list", "SDN", "--entry", hit.entry_id,
                        "--user", "other-worker", "--reason", "namesake, passport checked"],
                       env=env, check=True, capture_output=True)
        monkeypatch.setattr(service, "RECHECK_SECONDS", 3600.0)
        assert default_screener() is before  # within the recheck interval: not looked at
        monkeypatch.setattr(service, "RECHECK_SECONDS", 0.0)
        after = default_screener()
        assert after is not before
        assert all(h.entry_id != hit.entry_id for h in after.screen("Carrie Lam"))
        assert default_screener() is after  # nothing changed since: kept
    finally:
        reset_default_screener()
