"""Load generators for benchmarks/api.py: wrk with a Lua script rotating request bodies
(installed with apt-get when missing), or a Python asyncio + httpx closed loop without it."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console

progress = Console(stderr=True)


@dataclass
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx responses plus socket errors and timeouts
    error_detail: str = ""

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def find_wrk() -> str | None:
    wrk = shutil.which("wrk")
    if wrk is None and shutil.which("apt-get") and os.geteuid() == 0:
        progress.print("[yellow]wrk not found: apt-get install -y wrk[/]")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for cmd in (["apt-get", "install", "-y", "-q", "wrk"], ["apt-get", "update", "-q"],
                    ["apt-get", "install", "-y", "-q", "wrk"]):
            ok = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL).returncode == 0
            if ok and cmd[1] == "install":
                break
        wrk = shutil.which("wrk")
    return wrk


LUA = """\
local method, path = "%(method)s", "%(path)s"
local headers = {%(headers)s}
local bodies = {%(bodies)s}
local reqs, i, threads = {}, 0, {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  bad = 0
  for k, b in ipairs(bodies) do reqs[k] = wrk.format(method, path, headers, b) end
  if #reqs == 0 then reqs[1] = wrk.format(method, path, headers, nil) end
end
function request() i = i %% #reqs + 1; return reqs[i] end
function response(status, hdrs, body)
  if status < 200 or status > 299 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("bad") or 0) end
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, \\"p99_us\\": %%d, "
    .. "\\"non2xx\\": %%d, \\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, "
    .. "\\"timeout\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    bad, e.connect, e.read, e.write, e.timeout))
end
"""


def lua_string(text: str) -> str:
    level = 0
    while f"]{'=' * level}]" in text:
        level += 1
    return f"[{'=' * level}[{text}]{'=' * level}]"


class Wrk:
    name = "wrk"

    def __init__(self, exe: str, port: int, folder: Path) -> None:
        self.exe, self.port, self.folder = exe, port, folder
        version = subprocess.run([exe, "--version"], capture_output=True, text=True)
        self.version = (version.stdout + version.stderr).split("Copyright")[0].strip()
        self.last_cmd = ""

    def script(self, method: str, path: str, headers: dict[str, str], bodies: list[str]) -> Path:
        lua = LUA % {
            "method": method, "path": path,
            "headers": ", ".join(f'["{k}"] = {lua_string(v)}' for k, v in headers.items()),
            "bodies": ", ".join(lua_string(b) for b in bodies)}
        out = self.folder / f"{path.strip('/').replace('/', '_')}.lua"
        out.write_text(lua, "utf-8")
        return out

    def run(self, method: str, path: str, headers: dict[str, str], bodies: list[str],
            connections: int, seconds: float) -> Result:
        script = self.script(method, path, headers, bodies)
        cmd = [self.exe, "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s",
               "--timeout", "10s", "--latency", "-s", str(script),
               f"http://127.0.0.1:{self.port}{path}"]
        self.last_cmd = " ".join(cmd)
        proc = subprocess.run(cmd, capture_output=True, text=True)
        m = re.search(r"^WRKJSON (\{.*\})$", proc.stdout, re.M)
        if proc.returncode != 0 or m is None:
            raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
        r = json.loads(m.group(1))
        sock = r["connect"] + r["read"] + r["write"] + r["timeout"]
        detail = ", ".join(f"{k} {r[k]}" for k in ("connect", "read", "write", "timeout")
                           if r[k])
        return Result(r["requests"], r["duration_us"] / 1e6, r["p50_us"] / 1e3,
                      r["p99_us"] / 1e3, r["non2xx"] + sock, detail)

    def describe(self, connections: str, seconds: float) -> str:
        return (f"{self.version}: wrk -t1 -c{{{connections}}} -d{round(seconds)}s --timeout 10s "
                f"--latency -s <script rotating the bodies> URL  (last: {self.last_cmd})")


class Httpx:
    """Fallback: a closed loop of ``connections`` asyncio tasks on one httpx client."""

    def __init__(self, port: int, why: str) -> None:
        self.port = port
        self.name = f"python asyncio + httpx ({why})"

    def run(self, method: str, path: str, headers: dict[str, str], bodies: list[str],
            connections: int, seconds: float) -> Result:
        return asyncio.run(self._run(method, path, headers, bodies, connections, seconds))

    async def _run(self, method, path, headers, bodies, connections, seconds) -> Result:
        import httpx

        encoded = [b.encode() for b in bodies] or [None]
        latencies: list[float] = []
        errors = 0
        limits = httpx.Limits(max_connections=connections,
                              max_keepalive_connections=connections)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{self.port}", limits=limits,
                                     timeout=10, headers=headers) as client:
            stop = time.perf_counter() + seconds

            async def loop(k: int) -> None:
                nonlocal errors
                i = k
                while time.perf_counter() < stop:
                    i += connections
                    t = time.perf_counter()
                    try:
                        resp = await client.request(method, path,
                                                    content=encoded[i % len(encoded)])
                        ok = resp.is_success
                    except httpx.HTTPError:
                        ok = False
                    latencies.append(time.perf_counter() - t)
                    errors += not ok

            t0 = time.perf_counter()
            await asyncio.gather(*(loop(k) for k in range(connections)))
            elapsed = time.perf_counter() - t0
        latencies.sort()
        n = len(latencies)
        return Result(n, elapsed, latencies[n // 2] * 1e3 if n else 0,
                      latencies[min(n - 1, int(n * 0.99))] * 1e3 if n else 0, errors)

    def describe(self, connections: str, seconds: float) -> str:
        return (f"httpx {__import__('httpx').__version__} AsyncClient, closed loop of "
                f"{{{connections}}} tasks, {round(seconds)} s")
