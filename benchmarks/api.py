"""Web API throughput and latency over loopback: requests/s, p50 and p99 per endpoint.

    .venv/bin/python benchmarks/api.py [--duration 15] [--warmup 5] [--connections 8,16]

Starts ``exportcheck serve --workers 2`` on 127.0.0.1 and a free port, on a fresh SQLite database
and data dir in a temporary folder (removed afterwards; the server is always stopped, also on
error or Ctrl-C). The lists are the newest copy of each source in ../shared/data/lists (OFAC SDN
2024-05 with the 2025-12 alt/add/comments, OFAC non-SDN consolidated, BIS DPL, CSL 2026-07, UN,
MOFCOM), loaded with ``store.load_lists`` before the server starts (the bundled samples if that
folder is missing). The screening index is built once in a separate process first, so both
server workers start from its on-disk cache.

Load generator: ``wrk`` (installed with apt-get when missing), one thread, a fixed number of
keep-alive connections (closed loop), a small Lua script rotating over prebuilt request bodies;
latency percentiles from wrk's histogram. Without wrk a Python asyncio + httpx closed loop is
used instead (the output names the generator). Endpoints, each warmed up, then measured:

- ``POST /api/v1/screen``: 400 names, a third real list names (primary names of random list
  entries), the rest Faker persons and companies in eight locales incl. zh_CN, ja_JP, ru_RU, ar;
- ``POST /api/v1/determinations``: ECCNs/USML categories x destinations x dates, no end user;
- peers, in the same run, the ceiling of the same stack: ``GET /healthz`` (no credentials; one
  ``SELECT 1`` and the active list versions through the ORM) and ``GET /static/app.css`` (a
  3.7 kB file, no database: uvicorn + Starlette alone).

Before the warm-up, Han names are screened on concurrent connections until both workers answer
quickly: the Chinese readers (pypinyin, pycantonese, OpenCC) load on a worker's first Han name,
not at startup; the slowest of those first answers is printed.

Target from the issue: with 2 server workers, >= 500 screening requests/s with p99 <= 50 ms.
On a 2-core machine the load generator shares the cores with the two workers, and so does any
other process: the table also shows the server's CPU time per request (both workers, from
/proc) and the cores the generator and all other processes used during each row.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from loadgen import Httpx, Result, Wrk, find_wrk
from rich import box
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
L = ROOT.parent / "shared" / "data" / "lists"
LIST_PATHS = [L / "ofac" / "sdn.csv", L / "ofac_2025-12" / "alt.csv",
              L / "ofac_2025-12" / "add.csv", L / "ofac_2025-12" / "sdn_comments.csv",
              L / "ofac_cons", L / "bis" / "dpl.txt",
              L / "csl_2026-07" / "consolidated.csv", L / "un" / "UN_consolidated.xml",
              L / "xyna_registry" / "cn.json"]
SAMPLES = ROOT / "src" / "exportcheck" / "samples" / "lists"
LOCALES = ["en_US", "de_DE", "fr_FR", "es_MX", "ru_RU", "ar_AA", "ja_JP", "zh_CN"]
#: on the CCL throughout 2019-2026 (3A090/4A090 only exist from October 2022)
ITEMS = ["3A001.a.2", "3A001.b.1", "5A002.a", "5D002", "3E001", "9A012", "1C350", "0A501",
         "6A003", "EAR99", "USML:XI", "USML:IV"]
DESTS = ["HK", "CN", "DE", "GB", "JP", "RU", "IR", "AE", "IN", "SG", "TW", "BR"]
TARGET_RPS, TARGET_P99_MS = 500.0, 50.0
SCREEN, DETERMINE, HEALTH = "/api/v1/screen", "/api/v1/determinations", "/healthz"
STATIC = "/static/app.css"
CLK = os.sysconf("SC_CLK_TCK")

console = Console(width=None if sys.stdout.isatty() else 200)
progress = Console(stderr=True)  # the report alone goes to stdout


# -- data -------------------------------------------------------------------------------------
def load_lists(url: str) -> tuple[str, list[tuple[str, int, int, str]]]:
    """Store the lists in the benchmark database; returns (what, [(source, rows, entries,
    files)])."""
    from exportcheck.db import get_engine
    from exportcheck.screen import store

    if all(p.exists() for p in LIST_PATHS):
        paths, what = LIST_PATHS, f"official list files from {L}"
    else:
        paths = sorted(p for p in SAMPLES.iterdir() if p.name != "README.md")
        what = (f"BUNDLED SAMPLES ({SAMPLES}): {L} is missing, so these figures are NOT for "
                "realistic list sizes")
    store.load_lists(paths, engine=get_engine(url), user="bench")
    versions = store.list_versions(active_only=True)
    return what, [(v.source, v.row_count, v.entry_count,
                   ", ".join("/".join(Path(x).parts[-2:]) for x in v.paths)) for v in versions]


def list_names(url: str, n: int, rng: random.Random) -> list[str]:
    """Primary names of ``n`` random entries of the active lists."""
    from sqlalchemy import select

    from exportcheck.db import get_engine, session_factory
    from exportcheck.screen.models import ListEntryRow, ListVersion

    with session_factory(get_engine(url))() as s:
        names = s.scalars(select(ListEntryRow.name).join(
            ListVersion, ListVersion.id == ListEntryRow.version_id)
            .where(ListVersion.active.is_(True))).all()
    distinct = sorted(set(names))
    return rng.sample(distinct, min(n, len(distinct)))


def screen_bodies(url: str, n: int, seed: int) -> tuple[list[str], str]:
    """``n`` request bodies, and what names they carry."""
    from faker import Faker

    rng = random.Random(seed)
    fakers = {loc: Faker(loc) for loc in LOCALES}
    for i, f in enumerate(fakers.values()):
        f.seed_instance(seed + i)
    real = list_names(url, n // 3, rng)
    fake = []
    while len(fake) < n - len(real):
        f = fakers[rng.choice(LOCALES)]
        fake.append(f.company() if rng.random() < 0.25 else f.name())
    names = real + fake
    rng.shuffle(names)
    han = sum(bool(re.search(r"[\u3400-\u9fff]", name)) for name in names)
    what = (f"{len(names)} names: {len(real)} list entries' primary names, {len(fake)} Faker "
            f"names ({', '.join(LOCALES)}; a quarter companies); {han} with Han characters")
    return [json.dumps({"name": name}, ensure_ascii=False) for name in names], what


def determination_bodies(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    start, days = date(2019, 1, 1), (date(2026, 7, 1) - date(2019, 1, 1)).days
    return [json.dumps({"item": rng.choice(ITEMS), "destination": rng.choice(DESTS),
                        "date": (start + timedelta(days=rng.randrange(days))).isoformat()})
            for _ in range(n)]


def make_token(url: str) -> str:
    from exportcheck.accounts import Accounts

    accounts = Accounts(url)
    accounts.add_user("bench", "officer", "bench-password-" + os.urandom(6).hex(), actor="bench")
    _, secret = accounts.create_token("bench", label="benchmarks/api.py", actor="bench")
    return secret


# -- the server -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def exportcheck_cmd() -> list[str]:
    script = Path(sys.executable).with_name("exportcheck")
    return [str(script)] if script.exists() else [sys.executable, "-m", "exportcheck"]


def build_index(env: dict[str, str]) -> float:
    """Build the screening index (and its on-disk cache) in a process of its own; seconds."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c",
                    "from exportcheck.screen import store; store.load_screener()"],
                   env=env, check=True)
    return time.perf_counter() - t


class Server:
    def __init__(self, env: dict[str, str], port: int, workers: int, log: Path) -> None:
        self.port, self.log_path = port, log
        self.cmd = [*exportcheck_cmd(), "serve", "--host", "127.0.0.1", "--port", str(port),
                    "--workers", str(workers)]
        self.log = log.open("wb")
        # a session of its own: stop() can then end the master and its workers, and only them
        self.proc = subprocess.Popen(self.cmd, env=env, stdout=self.log,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, timeout: float) -> float:
        import httpx

        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n"
                                   + self.log_tail())
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"http://127.0.0.1:{self.port}{HEALTH}", timeout=2).is_success:
                    return time.perf_counter() - t0
            time.sleep(0.2)
        raise RuntimeError(f"no answer on {HEALTH} after {timeout:.0f} s:\n" + self.log_tail())

    def prime(self, headers: dict[str, str], rounds: int = 6) -> float:
        """Screen Han names on concurrent connections until every answer is quick, so each
        worker has loaded its Chinese readers (pypinyin, pycantonese, OpenCC: loaded on the
        first Han name, not at startup) before the clock runs; the slowest first answer, s."""
        import httpx

        url = f"http://127.0.0.1:{self.port}{SCREEN}"

        def one(name: str) -> float:
            t = time.perf_counter()
            with httpx.Client(timeout=120) as client:  # a connection of its own
                client.post(url, json={"name": name}, headers=headers).raise_for_status()
            return time.perf_counter() - t

        first = 0.0
        with ThreadPoolExecutor(8) as pool:
            for k in range(rounds):
                slowest = max(pool.map(one, ["陳大文", "李小龍", "王建國", "張偉", "劉德華",
                                             "黃志明", "楊晨", "周杰倫"]))
                first = first or slowest
                if slowest < 0.5 and k:
                    break
        return first

    def log_tail(self, n: int = 30) -> str:
        self.log.flush()
        lines = self.log_path.read_text("utf-8", "replace").splitlines()
        return "\n".join(lines[-n:])

    def cpu(self) -> dict[int, float]:
        """CPU seconds (user + system) so far of the master (key 0) and of each worker."""
        out = {}
        for pid in [self.proc.pid, *children(self.proc.pid)]:
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
                if pid == self.proc.pid or b"spawn_main" not in cmdline:
                    pid = 0  # the master, or multiprocessing's resource tracker
                out[pid] = out.get(pid, 0.0) + (int(fields[11]) + int(fields[12])) / CLK
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGINT)  # uvicorn shuts its workers down
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # leftovers of our own group only
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=5)
        self.log.close()


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
    return out


# -- main -------------------------------------------------------------------------------------
def machine_busy() -> float:
    """Busy CPU seconds of the whole machine (all cores) since boot."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = f
    return (user + nice + system + irq + softirq + steal) / CLK


def own_cpu() -> float:
    """CPU seconds of this process and its finished children (wrk)."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


@dataclass
class Row:
    label: str
    method: str
    path: str
    connections: int
    result: Result
    server_cpu: float  # CPU seconds of the server processes during the row
    worker_cpu: list[float]  # of each worker, busiest first
    gen_cpu: float  # of the load generator
    other_cpu: float  # of every other process on the machine

    def cores(self, cpu: float) -> str:
        return f"{cpu / self.result.seconds:.2f}" if self.result.seconds else "—"

    def unbalanced(self) -> bool:
        w = self.worker_cpu
        return len(w) > 1 and w[-1] < 0.5 * w[0]

    def screening_met(self) -> bool:
        r = self.result
        return r.rps >= TARGET_RPS and r.p99_ms <= TARGET_P99_MS and r.errors == 0


def _terminate(signum, frame):  # SIGTERM: unwind through the finally blocks (server stop)
    raise SystemExit(128 + signum)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=float, default=15.0, help="seconds measured per row")
    ap.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up per endpoint")
    ap.add_argument("--connections", default="8,16",
                    help="comma-separated concurrent connections (one row each)")
    ap.add_argument("--workers", type=int, default=2, help="server workers")
    ap.add_argument("--bodies", type=int, default=400, help="distinct request bodies rotated")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--python-generator", action="store_true",
                    help="use the asyncio + httpx generator even if wrk is available")
    args = ap.parse_args()
    conns = [int(c) for c in args.connections.split(",") if c.strip()]
    signal.signal(signal.SIGTERM, _terminate)
    load_before = os.getloadavg()

    with tempfile.TemporaryDirectory(prefix="exportcheck-api-bench-") as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'web.db'}"
        env = {**os.environ, "EXPORTCHECK_DATABASE_URL": url,
               "EXPORTCHECK_DATA_DIR": str(folder / "data")}
        os.environ.update({k: env[k] for k in ("EXPORTCHECK_DATABASE_URL",
                                               "EXPORTCHECK_DATA_DIR")})

        t = time.perf_counter()
        what, versions = load_lists(url)
        load_s = time.perf_counter() - t
        token = make_token(url)
        screens, names_what = screen_bodies(url, args.bodies, args.seed)
        determinations = determination_bodies(args.bodies, args.seed)
        from exportcheck.db.engine import dispose_engines

        dispose_engines()
        index_s = build_index(env)

        wrk = None if args.python_generator else find_wrk()
        port = free_port()
        gen = (Wrk(wrk, port, folder) if wrk else Httpx(
            port, "--python-generator" if args.python_generator else "FALLBACK: wrk unavailable"))
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        plan = [("POST", SCREEN, auth, screens, ""),
                ("POST", DETERMINE, auth, determinations, ""),
                ("GET", HEALTH, {}, [], "peer"),
                ("GET", STATIC, {}, [], "peer, no DB")]

        server = Server(env, port, args.workers, folder / "server.log")
        rows: list[Row] = []
        try:
            ready_s = server.wait_ready(timeout=600)
            progress.print("[dim]first Han-name screens on each worker[/]")
            han_s = server.prime(auth)
            for method, path, headers, bodies, label in plan:
                progress.print(f"[dim]{method} {path}: warm-up {args.warmup:.0f} s[/]")
                warm = gen.run(method, path, headers, bodies, max(conns), args.warmup)
                if warm.requests == 0 or warm.errors == warm.requests:
                    raise RuntimeError(f"{method} {path}: no successful request in the "
                                       f"warm-up ({warm.errors} errors)\n" + server.log_tail())
                for c in conns:
                    progress.print(f"[dim]{method} {path}: {c} connections, "
                                  f"{args.duration:.0f} s[/]")
                    time.sleep(1.0)  # let the previous run's connections close everywhere
                    s0, g0, m0 = server.cpu(), own_cpu(), machine_busy()
                    r = gen.run(method, path, headers, bodies, c, args.duration)
                    s1, g1, m1 = server.cpu(), own_cpu(), machine_busy()
                    per = {pid: s1[pid] - s0.get(pid, 0.0) for pid in s1}
                    server_cpu = sum(per.values())
                    workers = sorted((v for pid, v in per.items() if pid), reverse=True)
                    rows.append(Row(label, method, path, c, r, server_cpu, workers,
                                    g1 - g0, max(0.0, (m1 - m0) - server_cpu - (g1 - g0))))
        finally:
            server.stop()

    report(args, what, versions, load_s, index_s, (ready_s, han_s), gen, conns, rows,
           (load_before, os.getloadavg()), names_what)


def report(args, what, versions, load_s, index_s, start, gen, conns, rows: list[Row],
           loads, names_what: str = "") -> None:
    ready_s, han_s = start
    table = Table(title=f"exportcheck web API over loopback ({os.cpu_count()} cores, "
                  f"{args.workers} server workers, Python {sys.version.split()[0]}, "
                  f"{args.duration:.0f} s per row)", title_justify="left", box=box.MARKDOWN)
    for col in ("endpoint", "conns", "req/s", "p50 ms", "p99 ms", "errors", "server CPU ms/req",
                "worker cores", "gen. cores", "other cores", "screening target"):
        table.add_column(col, justify="left" if col in ("endpoint", "screening target")
                         else "right", no_wrap=True)
    for row in rows:
        r = row.result
        target = "—"
        if row.path == SCREEN:
            target = "met" if row.screening_met() else "NOT met"
        errors = f"{r.errors}" + (f" ({r.error_detail})" if r.error_detail else "")
        label = f" ({row.label})" if row.label else ""
        table.add_row(f"{row.method} {row.path}{label}", str(row.connections),
                      f"{r.rps:,.0f}", f"{r.p50_ms:.1f}", f"{r.p99_ms:.1f}", errors,
                      f"{row.server_cpu * 1000 / r.requests:.2f}" if r.requests else "—",
                      " + ".join(row.cores(w) for w in row.worker_cpu)
                      + (" (!)" if row.unbalanced() else ""),
                      row.cores(row.gen_cpu), row.cores(row.other_cpu), target)
    console.print(table)
    console.print(f"screening target: ≥ {TARGET_RPS:.0f} requests/s with p99 ≤ "
                  f"{TARGET_P99_MS:.0f} ms and no errors, {args.workers} workers")
    console.print(f"lists: {what}")
    total_rows = sum(v[1] for v in versions)
    total_entries = sum(v[2] for v in versions)
    console.print(f"  {len(versions)} sources, {total_rows:,} rows, {total_entries:,} entries: "
                  + "; ".join(f"{s} {rws:,} rows/{ent:,} entries ({files})"
                              for s, rws, ent, files in versions))
    if names_what:
        console.print(f"screening bodies: {names_what}")
    console.print(f"lists stored in {load_s:.1f} s; screening index built (cold, own process) in "
                  f"{index_s:.1f} s; server answered {HEALTH} {ready_s:.1f} s after start "
                  f"(workers load the index from the on-disk cache); slowest first Han-name "
                  f"screen after that: {han_s:.2f} s (Chinese readers load on first use)")
    console.print(f"server: exportcheck serve --host 127.0.0.1 --port N --workers "
                  f"{args.workers} (uvicorn), fresh SQLite database and data dir in a temporary "
                  "folder")
    console.print(f"generator: {gen.name}; "
                  f"{gen.describe(','.join(map(str, conns)), args.duration)}; "
                  f"warm-up {args.warmup:.0f} s per endpoint at {max(conns)} connections; "
                  f"{args.bodies} distinct bodies rotated per POST endpoint")
    console.print("columns: errors = non-2xx responses + socket errors/timeouts; server CPU "
                  "ms/req = user+system CPU of the server processes during the row / requests; "
                  "worker (each), generator (gen.) and all other processes: cores busy on "
                  "average during the row (the generator and anything else running share the "
                  "cores with the workers)")
    if any(row.unbalanced() for row in rows):
        console.print("[yellow]note:[/] (!) = connections unevenly spread over the workers (one "
                      "did less than half the other's work): uvicorn's workers share one "
                      "listening socket, the first to accept takes the connection, and wrk's "
                      "keep-alive connections stay where they landed for the whole row")
    console.print(f"load average before/after: {loads[0][0]:.2f} / {loads[1][0]:.2f}")
    noisy = [row for row in rows if row.result.seconds
             and row.other_cpu / row.result.seconds > 0.25]
    if noisy:
        console.print(f"[yellow]note:[/] other processes used > 0.25 core during {len(noisy)} "
                      "of the rows: those figures understate what an idle machine gives")
    screen_rows = [row for row in rows if row.path == SCREEN]
    if screen_rows:
        met = [row for row in screen_rows if row.screening_met()]
        verdict = ("[green]MET[/]" if len(met) == len(screen_rows) else
                   "[yellow]PARTLY MET[/]" if met else "[red bold]NOT MET[/]")
        console.print(f"screening target (≥ {TARGET_RPS:.0f} req/s with p99 ≤ "
                      f"{TARGET_P99_MS:.0f} ms, {args.workers} workers): {verdict} in "
                      f"{len(met)} of {len(screen_rows)} screening rows ("
                      + ", ".join(f"{row.connections} conns: {row.result.rps:,.0f} req/s, p99 "
                                  f"{row.result.p99_ms:.1f} ms" for row in screen_rows) + ")")

if __name__ == "__main__":
    main()
