"""Two threads of one process upgrading databases at once (a web worker's threads, a test
harness): Alembic keeps its migration context in module-level state, and both failed with
KeyError('config') or KeyError('script') until upgrades were serialised in the process."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import inspect

from exportcheck.db import get_engine
from exportcheck.db.migrate import upgrade


def test_threads_upgrading_fresh_databases_at_once_all_succeed(tmp_path: Path) -> None:
    engines = [get_engine(f"sqlite:///{tmp_path / f'db{i}.sqlite'}") for i in range(4)]
    errors: list[str] = []
    start = threading.Barrier(len(engines))

    def run(engine) -> None:
        start.wait()
        try:
            upgrade(engine)
        except Exception as exc:  # the test reports whatever a thread raised
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for e in engines:
        assert "ledger_licence" in inspect(e).get_table_names()
