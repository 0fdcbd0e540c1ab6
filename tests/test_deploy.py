"""The deployment files (deploy/compose.yaml, deploy/Dockerfile) stay in step with the code: the
settings they set exist, the commands they run exist, and nothing listens beyond loopback on
the host. (No Docker daemon in CI: the stack itself is not started here.)"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((REPO / "deploy" / "compose.yaml").read_text("utf-8"))
SETTINGS = (REPO / "src" / "exportcheck" / "settings.py").read_text("utf-8")


def test_compose_has_the_roles_of_a_deployment() -> None:
    assert set(COMPOSE["services"]) >= {"postgres", "api", "dask-scheduler", "dask-worker"}


def test_every_exportcheck_variable_is_a_real_setting() -> None:
    env = COMPOSE["x-exportcheck"]["environment"]
    names = [k.removeprefix("EXPORTCHECK_") for k in env]
    assert names
    for name in names:
        assert f'_env("{name}"' in SETTINGS, f"EXPORTCHECK_{name} is not read by settings.py"
    assert env["EXPORTCHECK_DATABASE_URL"].startswith("postgresql")


def test_host_ports_are_loopback_only() -> None:
    for name, svc in COMPOSE["services"].items():
        for port in svc.get("ports", []):
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_commands_exist() -> None:
    exe = Path(sys.executable).parent
    help_text = subprocess.run([exe / "exportcheck", "serve", "--help"], capture_output=True,
                               text=True, check=True).stdout
    assert "--workers" in help_text and "--host" in help_text
    dask = shutil.which("dask", path=str(exe))
    assert dask, "the dask command (distributed) is not installed"
    for sub in ("scheduler", "worker"):
        assert subprocess.run([dask, sub, "--help"], capture_output=True).returncode == 0
    worker = COMPOSE["services"]["dask-worker"]["command"]
    assert worker[:2] == ["dask", "worker"] and worker[2] == "tcp://dask-scheduler:8786"


def test_dockerfile_installs_the_package_with_postgres_support() -> None:
    text = (REPO / "deploy" / "Dockerfile").read_text("utf-8")
    assert re.search(r'pip install "\.\[postgres\]"', text)
    assert "_vendor.sh" in text  # front-end packages from npm, not a CDN
