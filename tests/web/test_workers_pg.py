"""Two ``exportcheck serve`` processes on one PostgreSQL database (issue #13 points 2 and 6).

Worker A and worker B run on two loopback ports with separate data folders (so B cannot
borrow A's on-disk index cache and really rebuilds). A list version activated through A is
used by B once B has indexed it in the background, and B answers every request meanwhile with
the previous version; shipments posted concurrently through both never over-draw a licence
and each lands in the audit chain exactly once.
"""

from __future__ import annotations

import csv
import io
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import httpx
import pytest

from exportcheck.db.engine import dispose_engines
from exportcheck.screen.service import SAMPLES_DIR
from tests.web.api_helpers import bis_licence
from tests.web.conftest import prepare_database
from tests.web.live import live_server

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

#: a name on no list until the big DPL version below is activated
SENTINEL = "ZEBULON QUIXOTE WORKERTEST"
#: extra DPL rows: enough that indexing them takes clearly longer than a request
EXTRA_ROWS = 40_000
LISTS_VERSION = "x-lists-version"


@dataclass
class Workers:
    url: str
    a: str
    b: str
    tokens: dict[str, str]
    env: dict[str, str] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture(scope="module")
def workers(pg_server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    folder = tmp_path_factory.mktemp("workers")
    url = pg_server.create_database("workers_pg")
    env = {"EXPORTCHECK_DATABASE_URL": url, "EXPORTCHECK_DATA_DIR": str(folder / "setup")}
    mp = pytest.MonkeyPatch()
    for k, v in env.items():
        mp.setenv(k, v)
    try:
        tokens = prepare_database(url)
        dispose_engines()
        extra = {"EXPORTCHECK_SCREENING_RECHECK_SECONDS": "0.5"}
        with live_server(url, folder / "a", env=extra) as a, \
                live_server(url, folder / "b", env=extra) as b:
            yield Workers(url, a, b, tokens, env)
    finally:
        mp.undo()


def match_body(name: str) -> dict[str, Any]:
    return {"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}}


def big_dpl() -> bytes:
    """The sample DPL plus :data:`EXTRA_ROWS` made-up names and :data:`SENTINEL`."""
    text = (SAMPLES_DIR / "dpl.txt").read_text(encoding="utf-8")
    header, *rows = [r for r in csv.reader(io.StringIO(text), delimiter="\t") if r]
    rng = random.Random(13)
    syllables = ["ka", "lo", "mi", "ra", "zen", "tor", "vus", "bel", "dor", "fan", "gul", "hes",
                 "jor", "pim", "sak", "wen", "yor", "xal", "nob", "tam"]

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).upper()

    extra = [[f"{word()} {word()} {word()}", *rows[i % len(rows)][1:]]
             for i in range(EXTRA_ROWS)]
    extra.append([SENTINEL, *rows[0][1:]])
    out = io.StringIO()
    csv.writer(out, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
        [header, *rows, *extra])
    return out.getvalue().encode()


@dataclass
class Answer:
    started: float
    latency: float
    status: int
    version: str | None
    sentinel: bool


def fire(base: str, headers: dict[str, str], stop: threading.Event,
         answers: list[Answer]) -> None:
    """/match requests one after another until ``stop``."""
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        while not stop.is_set():
            t0 = time.monotonic()
            r = client.post("/match/default", json=match_body(SENTINEL))
            took = time.monotonic() - t0
            hit = r.status_code == 200 and any(
                SENTINEL in e["properties"]["name"] for e in r.json()["responses"]["q"]["results"])
            answers.append(Answer(t0, took, r.status_code, r.headers.get(LISTS_VERSION), hit))


def serving(base: str) -> dict[str, Any]:
    r = httpx.get(f"{base}/healthz", timeout=30)
    assert r.status_code == 200, r.text
    return r.json()


def test_list_activated_through_one_worker_is_used_by_the_other(workers: Workers) -> None:
    officer = workers.auth("officer")
    before = httpx.post(f"{workers.b}/match/default", json=match_body(SENTINEL),
                        headers=officer, timeout=30)
    assert before.status_code == 200, before.text
    old = before.headers[LISTS_VERSION]
    assert old == serving(workers.a)["screener"]["lists_version"]
    assert before.json()["responses"]["q"]["results"] == []
    reloads_before = serving(workers.b)["screener"]["reloads"]

    stop, answers = threading.Event(), [[], []]
    firing = [threading.Thread(target=fire, args=(workers.b, officer, stop, out))
              for out in answers]
    for t in firing:
        t.start()
    try:
        upload = httpx.post(f"{workers.a}/api/v1/lists/load", headers=workers.auth("admin"),
                            files={"files": ("dpl.txt", big_dpl(), "text/plain")}, timeout=300)
        loaded_at = time.monotonic()
        assert upload.status_code == 200, upload.text
        [result] = upload.json()
        assert (result["source"], result["status"]) == ("bis-dpl", "activated")
        new = ";".join(sorted(serving(workers.a)["lists"]))
        assert new != old
        # the worker that loaded the lists answers with them from its next request on
        on_a = httpx.post(f"{workers.a}/match/default", json=match_body(SENTINEL),
                          headers=officer, timeout=30)
        assert on_a.headers[LISTS_VERSION] == new
        assert on_a.json()["responses"]["q"]["results"][0]["caption"] == SENTINEL

        deadline = time.monotonic() + 240
        while not all(a and a[-1].version == new for a in answers):
            assert time.monotonic() < deadline, "worker B never switched to the new lists"
            assert all(t.is_alive() for t in firing)
            time.sleep(0.1)
    finally:
        stop.set()
        for t in firing:
            t.join(timeout=120)

    state = serving(workers.b)["screener"]
    assert state["lists_version"] == new and state["reloading"] is False
    assert state["reloads"] == reloads_before + 1 and state["last_error"] is None
    rebuild = state["last_reload_seconds"]
    everything = [a for out in answers for a in out]
    assert all(a.status == 200 for a in everything), Counter(a.status for a in everything)
    # every answer is from one version or the other, and says which: the hit comes with it
    assert {a.version for a in everything} == {old, new}
    assert all(a.sentinel == (a.version == new) for a in everything)
    for out in answers:  # the swap is atomic: once a worker answers with the new lists, it stays
        first_new = next(i for i, a in enumerate(out) if a.version == new)
        assert all(a.version == new for a in out[first_new:])
    # B kept answering with the old lists while it indexed the new ones, and no request waited
    # for the rebuild. B may start indexing before A's upload has answered (it notices the
    # activation, committed before A builds its own index): the window is B's rebuild, which
    # ended when B first answered with the new lists
    swapped = min(a.started + a.latency for a in everything if a.version == new)
    during = [a for a in everything if a.started >= swapped - rebuild and a.version == old]
    assert len(during) >= 2, (len(during), rebuild, swapped - loaded_at)
    slowest = max(a.latency for a in everything)
    assert slowest < rebuild / 2, (slowest, rebuild)


# -- the ledger through both workers ---------------------------------------------------------
def shipment(key: str, number: str, value: str) -> dict[str, Any]:
    return {"idempotency_key": key, "licence_number": number, "ship_date": "2025-03-01",
            "destination": "IN", "consignee": "Bharat Optics Ltd",
            "end_user": "Bharat Optics Ltd",
            "lines": [{"classification": "3A001.a.2", "quantity": 1, "value": value}]}


def audit_entries(base: str, headers: dict[str, str], kind: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    while True:
        r = httpx.get(f"{base}/api/v1/audit", headers=headers, timeout=60,
                      params={"kind": kind, "limit": 500, "offset": len(out)})
        assert r.status_code == 200, r.text
        page = r.json()
        out += page["items"]
        if len(out) >= page["total"] or not page["items"]:
            return out


def test_concurrent_shipments_through_both_workers(workers: Workers) -> None:
    officer, viewer = workers.auth("officer"), workers.auth("viewer")
    contended, others = "WK-SAME-1", ["WK-OTHER-1", "WK-OTHER-2"]
    for i, number in enumerate([contended, *others]):
        base = (workers.a, workers.b)[i % 2]
        r = httpx.post(f"{base}/api/v1/licences", headers=officer,
                       json=bis_licence(number, quantity=1000), timeout=30)
        assert r.status_code == 201, r.text
    line = httpx.get(f"{workers.b}/api/v1/licences/{contended}", headers=viewer,
                     timeout=30).json()["lines"][0]
    limit = Decimal("100000") * (1 + Decimal(line["value_tolerance"]))
    each = Decimal("9000")
    # 24 draws of 9,000 on one licence, half through each worker; and on the other licences
    # each shipment posted through both workers at once (the second is a replay)
    calls = [(("a", "b")[i % 2], shipment(f"same-{i}", contended, str(each)))
             for i in range(24)]
    for number in others:
        for i in range(6):
            spec = shipment(f"{number}-{i}", number, "1000")
            calls += [("a", spec), ("b", spec)]
    random.Random(5).shuffle(calls)
    clients = {"a": httpx.Client(base_url=workers.a, headers=officer, timeout=120),
               "b": httpx.Client(base_url=workers.b, headers=officer, timeout=120)}
    answers: list[tuple[dict[str, Any], httpx.Response]] = []

    def post(call: tuple[str, dict[str, Any]]) -> httpx.Response:
        """One post: the licence lock serialises competing posts, so none is refused for
        having raced another (a "concurrent" refusal would mean a stale balance was read)."""
        r = clients[call[0]].post("/api/v1/shipments", json=call[1])
        answers.append((call[1], r))
        return r

    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            responses = list(zip([c[1] for c in calls], pool.map(post, calls), strict=True))
    finally:
        for c in clients.values():
            c.close()

    unexpected = [(s["idempotency_key"], r.status_code, r.text[:300]) for s, r in answers
                  if r.status_code not in (200, 201, 409)]
    assert not unexpected, unexpected
    for _, r in answers:
        if r.status_code == 409:  # a clean refusal: problem+json naming the rule and licence
            body = r.json()
            assert r.headers["content-type"].startswith("application/problem+json")
            assert body["rule"] == "value_exceeded" and body["detail"], body
    accepted: dict[str, list[dict[str, Any]]] = {}
    refused: list[str] = []
    for spec, r in responses:
        if r.status_code == 409:
            body = r.json()
            assert body["rule"] == "value_exceeded" and contended in body["detail"], body
            assert spec["licence_number"] == contended
            refused.append(spec["idempotency_key"])
        else:
            accepted.setdefault(spec["idempotency_key"], []).append(r.json())
    # no over-draw, and no refusal while there was room: exactly as many as fit
    same = [k for k in accepted if k.startswith("same-")]
    assert len(same) == int(limit // each), (len(same), limit)
    assert len(same) + len(refused) == 24
    # each shipment on the other licences was created once and replayed once
    for number in others:
        for i in range(6):
            first, second = accepted[f"{number}-{i}"]
            assert sorted([first["created"], second["created"]]) == [False, True]
            assert first["id"] == second["id"]

    report = httpx.get(f"{workers.a}/api/v1/ledger/report", headers=viewer, timeout=60,
                       params={"as_of": "2025-06-01"}).json()
    rows = {row["number"]: row for row in report["rows"]}
    assert Decimal(rows[contended]["shipped"]) == each * len(same) <= limit
    for number in others:
        assert Decimal(rows[number]["shipped"]) == Decimal("6000")

    for base in (workers.a, workers.b):
        verified = httpx.post(f"{base}/api/v1/audit/verify", headers=viewer, timeout=120)
        assert verified.status_code == 200 and verified.json()["ok"] is True, verified.text
    cli = subprocess.run([sys.executable, "-m", "exportcheck", "audit", "verify"],
                         env={**os.environ, **workers.env}, capture_output=True, text=True,
                         timeout=300)
    assert cli.returncode == 0, cli.stdout + cli.stderr

    # every accepted shipment is in the audit chain exactly once, every refusal once
    posted = Counter(e["payload"]["request"]["idempotency_key"]
                     for e in audit_entries(workers.b, viewer, "shipment.posted"))
    keys = {spec["idempotency_key"] for _, spec in calls}
    mine = {k: n for k, n in posted.items() if k in keys}
    assert mine == dict.fromkeys(accepted, 1)
    refusals = Counter(e["payload"]["request"]["idempotency_key"]
                       for e in audit_entries(workers.a, viewer, "shipment.refused")
                       if e["payload"]["request"]["idempotency_key"] in keys)
    assert refusals == Counter(s["idempotency_key"] for s, r in answers if r.status_code == 409)
