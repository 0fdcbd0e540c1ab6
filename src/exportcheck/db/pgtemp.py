"""A throwaway PostgreSQL cluster on a Unix socket, for tests and the benchmark.

``with TempPostgres() as pg: url = pg.create_database("t1")`` runs ``initdb`` into a fresh temp
directory, starts ``postgres`` listening only on a Unix socket in that directory (no TCP), and
removes everything on exit. initdb refuses to run as root, so when we are root the server runs
as the ``postgres`` user via ``runuser``.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType


def find_pg_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl (``EXPORTCHECK_PG_BINDIR``, Debian layout, or PATH)."""
    env = os.environ.get("EXPORTCHECK_PG_BINDIR")
    candidates = [env] if env else []
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if (initdb := shutil.which("initdb")) is not None:
        candidates.append(str(Path(initdb).parent))
    for c in candidates:
        if c and (Path(c) / "initdb").exists() and (Path(c) / "pg_ctl").exists():
            return Path(c)
    return None


class TempPostgres:
    """Start/stop a private PostgreSQL server; ``fsync`` off unless ``durable=True``."""

    def __init__(self, *, durable: bool = False, max_connections: int = 300) -> None:
        self.bindir = find_pg_bindir()
        if self.bindir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) not found; "
                               "install postgresql (Debian: apt-get install postgresql)")
        self.durable = durable
        self.max_connections = max_connections
        self.root: Path | None = None
        self._as_user: list[str] = []

    @property
    def socket_dir(self) -> Path:
        assert self.root is not None
        return self.root / "sock"

    def _run(self, *args: str) -> None:
        cmd = [*self._as_user, *args]
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(args[:2])} failed ({proc.returncode}):\n"
                               f"{proc.stdout}\n{proc.stderr}")

    def start(self) -> TempPostgres:
        # short path: Unix socket paths are limited to ~107 bytes
        self.root = Path(tempfile.mkdtemp(prefix="ecpg-", dir="/tmp"))
        data, sock = self.root / "data", self.root / "sock"
        sock.mkdir()
        if os.geteuid() == 0:
            import pwd

            user = pwd.getpwnam("postgres")
            for p in (self.root, sock):
                os.chown(p, user.pw_uid, user.pw_gid)
            self.root.chmod(0o755)
            runuser = shutil.which("runuser")
            if not runuser:
                raise RuntimeError("runuser not found: cannot start PostgreSQL as root")
            self._as_user = [runuser, "-u", "postgres", "--"]
        initdb = [str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--locale=C"]
        self._run(*initdb, *([] if self.durable else ["--no-sync"]))
        opts = (f"-k {sock} -c listen_addresses='' -c max_connections={self.max_connections}"
                f" -c shared_buffers=64MB")
        if not self.durable:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l",
                  str(self.root / "server.log"), "-w", "-t", "60", "-o", opts, "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """A new database ``name`` (dropped first if it exists), empty or a copy of the
        database ``template`` (which nobody may be connected to)."""
        import psycopg

        copy = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(host=str(self.socket_dir), user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"{copy}')
        return self.url(name)

    def stop(self, *, wait_for_removal: bool = True) -> None:
        """Stop the server and remove its files. ``wait_for_removal=False`` leaves the removal
        to a detached ``rm -rf`` once the server has stopped: a test session's cluster holds a
        database per test, hundreds of thousands of files, which took tens of seconds."""
        if self.root is None:
            return
        try:
            if (self.root / "data" / "postmaster.pid").exists():
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.root / "data"), "-m",
                          "fast", "-w", "stop")
        finally:
            rm = shutil.which("rm")
            if wait_for_removal or rm is None:
                shutil.rmtree(self.root, ignore_errors=True)
            else:
                subprocess.Popen([rm, "-rf", "--", str(self.root)], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
            self.root = None

    def __enter__(self) -> TempPostgres:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
